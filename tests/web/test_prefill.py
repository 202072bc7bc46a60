"""从去年的报告开始 through the API: upload last year's report or pick a stored one, get the form back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from drafter.app import Drafter
from drafter.web.api import WebSettings
from drafter.web.app import create_app
from tests.continuity.test_reading import ANNUAL
from tests.web.test_api import page_client


@pytest.fixture
def drafter(tmp_path: Path) -> Iterator[Drafter]:
    core = Drafter(tmp_path / "corpus.sqlite3", seed=False)
    yield core
    core.close()


@pytest.fixture
def client(drafter: Drafter) -> TestClient:
    return page_client(create_app(drafter, settings=WebSettings(warm_up=False)))


def upload(client: TestClient, text: str, **data: str) -> dict:
    response = client.post("/api/prefill", files={"file": ("2024年总结.txt", text.encode())}, data=data)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_uploaded_report_returns_the_prefilled_form_and_the_unread_list(client: TestClient) -> None:
    body = upload(client, ANNUAL.split("三、2025年工作思路")[0])
    form = body["form"]
    assert (form["unit"], form["year"]) == ("青溪区科学技术局", 2025)
    firms = next(r for r in form["figures"] if "国家高新技术企业" in r["label"])
    assert (firms["previous"], firms["unit"]) == (162, "家")
    assert any("没有找到工作思路" in item for item in body["unread"])
    assert body["source"]["title"].startswith("青溪区科学技术局2024年")


def test_an_uploaded_report_counts_at_once_under_the_unit_given(client: TestClient) -> None:
    body = upload(client, ANNUAL.replace("青溪区科学技术局", ""), unit="青溪区科学技术局", year="2025")
    assert body["form"]["unit"] == "青溪区科学技术局"
    sources = client.get("/api/prefill/sources", params={"unit": "青溪区科技局"}).json()
    assert [(s["id"], s["own"]) for s in sources] == [(body["source"]["id"], True)]
    again = client.get(f"/api/prefill/{body['source']['id']}", params={"year": 2026}).json()
    assert again["form"]["year"] == 2026


def test_bad_uploads_are_refused_with_a_chinese_message(client: TestClient) -> None:
    wrong = client.post("/api/prefill", files={"file": ("x.pdf", b"%PDF")})
    assert wrong.status_code == 422
    assert "不支持这种文件类型" in wrong.json()["detail"][0]["msg"]
    empty = client.post("/api/prefill", files={"file": ("x.txt", b"")})
    assert empty.status_code == 422
    message = empty.json()["detail"][0]["msg"]
    assert message.startswith("x.txt：")
    assert "uploads" not in message
    missing = client.get("/api/prefill/ffffffffffff")
    assert missing.status_code == 404


def test_the_form_page_offers_to_start_from_last_years_report(client: TestClient) -> None:
    page = client.get("/").text
    assert "从去年的报告开始" in page
    assert "/static/prefill.js" in page
    assert client.get("/static/prefill.js").status_code == 200


def test_the_upload_is_guarded_like_any_upload(drafter: Drafter) -> None:
    forged = page_client(create_app(drafter, settings=WebSettings(warm_up=False)))
    forged.headers["X-CSRF-Token"] = "forged"
    response = forged.post("/api/prefill", files={"file": ("总结.txt", ANNUAL.encode())})
    assert response.status_code == 403
    assert "页面令牌" in response.json()["detail"][0]["msg"]
    assert drafter.corpus_summaries() == []
