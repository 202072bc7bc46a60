"""The pre-filled form as YAML: it reads back as the same form, and each row says what last year stated."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from drafter.app import Drafter
from drafter.continuity.form_yaml import form_yaml, scalar
from drafter.continuity.prefill import prefill
from drafter.models import Document
from tests.continuity.test_reading import ANNUAL


def test_the_yaml_reads_back_as_the_form(report_doc: Callable[[str], Document]) -> None:
    result = prefill(Drafter(None).read_last_report(report_doc(ANNUAL)))
    assert yaml.safe_load(form_yaml(result)) == result.form


def test_each_row_has_a_chinese_note_of_last_years_value(report_doc: Callable[[str], Document]) -> None:
    text = form_yaml(prefill(Drafter(None).read_last_report(report_doc(ANNUAL))))
    assert "value:  # 去年：162家（截至目前，增长29.6%）；去年计划：180家" in text
    assert "# 去年：约2000份" in text
    assert "# 去年的问题：仍存在的保留，已解决的删去" in text


def test_the_unread_list_closes_the_file(report_doc: Callable[[str], Document]) -> None:
    summary_only = ANNUAL.split("三、2025年工作思路")[0]
    text = form_yaml(prefill(Drafter(None).read_last_report(report_doc(summary_only))))
    tail = text[text.index("# 没有读出的内容") :]
    assert "没有找到工作思路" in tail


def test_scalars_that_yaml_would_misread_are_quoted() -> None:
    for value in ["1234e5", "yes", "a: b", "#1", "- x", "R&D投入", "50%", "", "ac63", "null"]:
        assert yaml.safe_load(f"k: {scalar(value)}")["k"] == value


def test_the_yaml_file_is_a_form_drafter_draft_reads(report_doc: Callable[[str], Document]) -> None:
    from drafter.draft.form import parse_form_bytes

    text = form_yaml(prefill(Drafter(None).read_last_report(report_doc(ANNUAL))))
    form = parse_form_bytes(text.encode("utf-8"), "表单.yaml")
    assert (form.unit, form.year) == ("青溪区科学技术局", 2025)
