"""The web form in a real browser (Debian's chromium driven by Playwright), on the real drafting pipeline.

A writer fills the form by its labels, imports a form file, previews, clicks 生成Word and gets a .docx whose
figures are right; a reload keeps what they typed; a bad value is explained beside its field; the page
raises no JavaScript error and asks nothing of any host but its own.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from drafter.web.app import create_app

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ANNUAL_FORM = REPO / "examples" / "forms" / "keji_annual_2025.yaml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000


@dataclass
class Server:
    """uvicorn serving the app on 127.0.0.1 in a background thread."""

    base_url: str
    server: Any
    thread: threading.Thread


@pytest.fixture(scope="module")
def server(seeded_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    import uvicorn

    corpus = tmp_path_factory.mktemp("browser") / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(corpus_path=corpus)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not uv.started:
        assert thread.is_alive(), "the web server stopped while starting"
        assert time.monotonic() < deadline, "the web server did not start within 120 s"
        time.sleep(0.05)
    assert app.state.readiness.wait(300), "the corpus was not prepared within 300 s"
    yield Server(f"http://127.0.0.1:{port}", uv, thread)
    uv.should_exit = True
    thread.join(timeout=30)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page with everything that went wrong on it: script errors, console errors, foreign requests."""

    page: Any
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    expected_statuses: set[int] = field(default_factory=set)

    def problems(self) -> list[str]:
        """Script and console errors, except the browser's note on an error status the test provoked."""

        def provoked(error: str) -> bool:
            return "Failed to load resource" in error and any(
                f"status of {status}" in error for status in self.expected_statuses
            )

        return [error for error in self.errors if not provoked(error)]


@pytest.fixture
def watched(browser: Any, server: Server) -> Iterator[Watched]:
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    result = Watched(page)
    page.on("pageerror", lambda exc: result.errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: result.errors.append(msg.text) if msg.type == "error" else None)
    page.on(
        "request",
        lambda req: (
            None
            if req.url.startswith((server.base_url, "data:", "blob:"))
            else result.foreign.append(req.url)
        ),
    )
    page.goto(f"{server.base_url}/")
    yield result
    assert result.problems() == []
    assert result.foreign == []
    context.close()


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _growth(value: float, previous: float) -> str:
    """The growth as the writers write it, computed here independently: one decimal, half up."""
    percent = (value - previous) / previous * 100
    return f"同比增长{percent:.1f}%"


def _fill_figure(page: Any, row: int, label: str, value: str, unit: str, previous: str) -> None:
    page.get_by_label("指标名称").nth(row).fill(label)
    page.get_by_label("本期数值").nth(row).fill(value)
    page.get_by_label("单位", exact=True).nth(row).fill(unit)
    page.get_by_label("上年同期").nth(row).fill(previous)


def _fill_basic_form(page: Any) -> None:
    page.get_by_label("单位名称").fill("青溪区科学技术局")
    page.get_by_label("年度").fill("2025")
    page.get_by_label("类型").select_option(label="年度总结及下年思路")
    _fill_figure(page, 0, "新认定国家高新技术企业", "162", "家", "125")
    page.get_by_role("button", name="添加指标").click()
    _fill_figure(page, 1, "研发投入强度", "3.12", "%", "2.87")
    page.get_by_label("问题").first.fill("企业研发投入意愿不强")


def test_fill_preview_and_download_the_word_file(watched: Watched, tmp_path: Path) -> None:
    page = watched.page
    _fill_basic_form(page)
    page.get_by_role("button", name="预览").click()
    figures = page.locator("#preview-body .pv-figures")
    growth = _growth(162, 125)
    figures.get_by_text(growth, exact=True).wait_for()
    assert "提高0.25个百分点" in figures.inner_text()
    assert "企业研发投入意愿不强" not in page.locator(".field-error").all_inner_texts()

    with page.expect_download() as info:
        page.get_by_role("button", name="生成Word").click()
    download = info.value
    assert download.suggested_filename == "青溪区科学技术局2025年工作总结及2026年工作思路.docx"
    saved = tmp_path / "draft.docx"
    download.save_as(saved)
    text = _docx_text(saved)
    assert "162家" in text
    assert growth in text
    assert "提高0.25个百分点" in text
    assert "企业研发投入意愿不强" in text


def test_import_a_form_file_then_preview_and_draft(watched: Watched, tmp_path: Path) -> None:
    page = watched.page
    form = yaml.safe_load(ANNUAL_FORM.read_text(encoding="utf-8"))
    page.get_by_label("导入表单").set_input_files(str(ANNUAL_FORM))
    page.get_by_text(f"已导入：{ANNUAL_FORM.name}").wait_for()
    assert page.get_by_label("单位名称").input_value() == form["unit"]
    assert page.get_by_label("指标名称").count() >= len(form["figures"])
    first = form["figures"][0]
    assert page.get_by_label("指标名称").first.input_value() == first["label"]
    # The import previews at once: the outline, reference passages with their 《sources》, the figures.
    page.locator("#preview-body .pv-outline").wait_for()
    assert page.locator("#preview-body .pv-ref-source").count() > 0
    assert page.locator("#preview-body .pv-ref-source").first.text_content().startswith("《")

    with page.expect_download() as info:
        page.get_by_role("button", name="生成Word").click()
    saved = tmp_path / "imported.docx"
    info.value.save_as(saved)
    text = _docx_text(saved)
    compared = [
        f
        for f in form["figures"]
        if f.get("previous") and f.get("value") and f.get("unit") not in ("%", None)
    ]
    assert compared, "the sample form should hold figures with last year's value"
    for fig in compared:
        if fig["value"] > fig["previous"]:
            assert _growth(fig["value"], fig["previous"]) in text, fig


def test_a_reload_keeps_what_was_typed(watched: Watched) -> None:
    page = watched.page
    _fill_basic_form(page)
    page.get_by_label("亮点内容").first.fill("新认定市级博士创新站8家")
    page.reload()
    assert page.get_by_label("单位名称").input_value() == "青溪区科学技术局"
    assert page.get_by_label("年度").input_value() == "2025"
    assert page.get_by_label("本期数值").nth(1).input_value() == "3.12"
    assert page.get_by_label("指标名称").nth(1).input_value() == "研发投入强度"
    assert page.get_by_label("亮点内容").first.input_value() == "新认定市级博士创新站8家"
    assert page.get_by_label("问题").first.input_value() == "企业研发投入意愿不强"


def test_a_bad_value_is_explained_beside_its_field(watched: Watched) -> None:
    page = watched.page
    watched.expected_statuses.add(422)
    _fill_basic_form(page)
    bad = page.get_by_label("本期数值").nth(1)
    bad.fill("三点一二")
    page.get_by_role("button", name="生成Word").click()
    message = bad.locator("xpath=following-sibling::p[contains(@class, 'field-error')]")
    message.wait_for()
    assert "应为数字" in message.inner_text()
    assert bad.get_attribute("aria-invalid") == "true"
    assert page.locator(".field-error").count() == 1
    # Nothing typed is lost, and fixing the value clears the message.
    assert bad.input_value() == "三点一二"
    assert page.get_by_label("单位名称").input_value() == "青溪区科学技术局"
    bad.fill("3.12")
    assert page.locator(".field-error").count() == 0


def test_search_page_finds_passages_with_their_sources(watched: Watched, server: Server) -> None:
    page = watched.page
    page.goto(f"{server.base_url}/search")
    page.get_by_label("检索词").fill("高新技术企业")
    page.get_by_role("button", name="检索", exact=True).click()
    hits = page.locator(".hit")
    hits.first.wait_for()
    assert hits.count() > 0
    assert hits.first.locator(".hit-source").inner_text().startswith("《")
    assert "高新技术企业" in hits.first.locator("mark").first.inner_text()


def test_upload_a_report_from_the_search_page_then_find_it(
    watched: Watched, server: Server, tmp_path: Path
) -> None:
    page = watched.page
    report = tmp_path / "翠屏县2024年工作总结.txt"
    report.write_text(
        "翠屏县农业农村局2024年工作总结\n一、2024年主要工作\n（一）稻渔综合种养示范\n"
        "全县新建稻渔综合种养基地12个，带动农户户均增收3200元。\n",
        encoding="utf-8",
    )
    page.goto(f"{server.base_url}/search")
    page.get_by_label("选择文件").set_input_files(str(report))
    page.get_by_role("button", name="上传到语料库").click()
    page.get_by_text("上传完成").wait_for()
    assert "新增文档" in page.locator("#upload-status").inner_text()
    page.get_by_label("检索词").fill("稻渔综合种养")
    page.get_by_role("button", name="检索", exact=True).click()
    page.locator(".hit").first.wait_for()
    assert "稻渔综合种养基地" in page.locator(".hit-text").first.inner_text()
    assert report.name in page.locator(".hit-file").first.inner_text()
