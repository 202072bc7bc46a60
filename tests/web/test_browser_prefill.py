"""从去年的报告开始 in a real browser: upload last year's report, see the pre-filled form and what could not
be read, fill this year's values, preview, download the Word file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.continuity.test_reading import ANNUAL
from tests.web.test_browser import Watched, _docx_text, _growth, browser, server, watched

pytestmark = pytest.mark.slow
__all__ = ["browser", "server", "watched"]  # the fixtures of the browser tests, shared

LAST_YEAR = ANNUAL.replace("发放政策宣传册约2000份", "相关工作两次得到区领导批示肯定，发放政策宣传册约2000份")


def test_start_from_last_years_report_fill_this_year_and_download(watched: Watched, tmp_path: Path) -> None:
    page = watched.page
    report = tmp_path / "青溪区科学技术局2024年工作总结.txt"
    report.write_text(LAST_YEAR, encoding="utf-8")
    page.get_by_label("上传去年的报告").set_input_files(str(report))
    page.get_by_role("button", name="预填表单").click()
    unread = page.locator("#prefill-unread")
    unread.get_by_text("以下内容没有读出").wait_for()
    assert "两次" in unread.inner_text()

    assert page.get_by_label("单位名称").input_value() == "青溪区科学技术局"
    assert page.get_by_label("年度").input_value() == "2025"
    labels = page.get_by_label("指标名称")
    row = next(i for i in range(labels.count()) if "国家高新技术企业" in labels.nth(i).input_value())
    assert page.get_by_label("上年同期").nth(row).input_value() == "162"
    assert page.get_by_label("单位", exact=True).nth(row).input_value() == "家"
    page.get_by_label("本期数值").nth(row).fill("178")

    page.get_by_role("button", name="预览").click()
    growth = _growth(178, 162)
    page.locator("#preview-body .pv-figures").get_by_text(growth, exact=False).first.wait_for()

    with page.expect_download() as info:
        page.get_by_role("button", name="生成Word").click()
    saved = tmp_path / "2025.docx"
    info.value.save_as(saved)
    text = _docx_text(saved)
    assert "178家" in text
    assert growth in text
    assert "162家" not in text  # last year's number is never presented as this year's

    # the uploaded report now counts as the unit's own: it is offered as a starting point
    page.get_by_label("或选择语料库中的报告").locator("option", has_text="本单位").first.wait_for(
        state="attached"
    )
