"""A writer of a shared deployment in a real browser: signs in, finds the form set to their unit, drafts,
signs out, and is sent back to 登录."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drafter.accounts.service import Accounts
from drafter.accounts.store import SqliteAccounts
from drafter.web.app import create_app
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _docx_text, _fill_figure

pytestmark = pytest.mark.slow

UNIT = "青溪区科学技术局"


@pytest.fixture(scope="module")
def base_url(seeded_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    corpus = tmp_path_factory.mktemp("browser-accounts") / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    accounts = Accounts(SqliteAccounts(corpus))
    accounts.add_unit(UNIT)
    accounts.add_account("zhang", UNIT, "writer", "s3cret-pass")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(create_app(corpus_path=corpus), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not uv.started:
        assert thread.is_alive(), "the web server stopped while starting"
        assert time.monotonic() < deadline, "the web server did not start within 120 s"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=30)
    sock.close()


@pytest.fixture
def page(base_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = chromium.new_context(accept_downloads=True, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        assert errors == []
        chromium.close()


def test_a_writer_signs_in_drafts_for_their_unit_and_signs_out(
    page: Any, base_url: str, tmp_path: Path
) -> None:
    page.goto(f"{base_url}/")
    assert page.url == f"{base_url}/login"  # nothing without a session
    page.get_by_label("账号").fill("zhang")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("账号或密码不对").wait_for()
    page.get_by_label("密码").fill("s3cret-pass")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")
    assert UNIT in page.locator("#viewer").inner_text()
    assert page.get_by_label("单位名称").input_value() == UNIT  # drafting defaults to the writer's unit
    page.get_by_label("年度").fill("2025")
    _fill_figure(page, 0, "新认定国家高新技术企业", "162", "家", "125")
    with page.expect_download() as info:
        page.get_by_role("button", name="生成Word").click()
    saved = tmp_path / "draft.docx"
    info.value.save_as(saved)
    assert info.value.suggested_filename.startswith(f"{UNIT}2025年")
    assert "162家" in _docx_text(saved)
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(f"{base_url}/login")
    page.goto(f"{base_url}/search")
    assert page.url == f"{base_url}/login"
