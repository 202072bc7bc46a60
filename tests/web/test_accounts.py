"""A shared deployment as its writers meet it: signing in, sessions that end, and each unit's private reports
staying inside the unit in search, references, the corpus list, exports, pre-filling and the API."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from drafter.accounts.service import Accounts
from drafter.app import Drafter
from drafter.cli import cli
from drafter.errors import DrafterError
from drafter.web.access import AccessSettings, access_for
from drafter.web.api import WebSettings
from drafter.web.app import create_app
from drafter.web.server import serve

SECRET = "独创“蓝鲸计划”扶持科技型企业"
B_PRIVATE = (
    "青溪区乙局2024年工作总结\n一、主要工作\n（一）科技企业培育\n"
    f"聚焦科技企业培育，新认定国家高新技术企业77家，{SECRET}，培育科技型中小企业入库300家。\n"
)
B_SHARED = (
    "青溪区乙局2023年工作总结\n一、主要工作\n（一）科技人才引育\n"
    "新认定市级博士创新站6家，引进高层次人才团队9个，“乙局人才公寓”投入使用。\n"
)
PASSWORD = "correct-horse-1"
FORM = {
    "unit": "青溪区乙局",
    "year": 2025,
    "figures": [{"label": "新认定国家高新技术企业", "value": 80, "unit": "家", "theme": "科技企业培育"}],
    "highlights": [{"theme": "科技企业培育", "text": "扶持科技型企业，新认定国家高新技术企业"}],
}


@pytest.fixture(scope="module")
def city(seeded_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drafter]:
    """The sample corpus with two units (甲局 private by default, 乙局), their writers and an administrator;
    乙局 has uploaded one private and one shared report through the web."""
    corpus = tmp_path_factory.mktemp("city") / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    core = Drafter(corpus, seed=False)
    accounts = Accounts(core.account_store())
    accounts.add_unit("青溪区甲局")
    accounts.add_unit("青溪区乙局", "shared")
    accounts.add_account("a", "青溪区甲局", "writer", PASSWORD)
    accounts.add_account("b", "青溪区乙局", "writer", PASSWORD)
    accounts.add_account("root", "", "admin", PASSWORD)
    b = signed_in(core, "b")
    private = b.post(
        "/api/upload", files=[("files", ("乙局2024.txt", B_PRIVATE.encode()))], data={"visibility": "private"}
    )
    assert private.status_code == 200, private.text
    assert private.json()["visibility"] == "private"
    shared = b.post("/api/upload", files=[("files", ("乙局2023.txt", B_SHARED.encode()))])
    assert shared.json()["visibility"] == "shared"  # 乙局's own setting
    yield core
    core.close()


def app_for(core: Drafter, host: str = "0.0.0.0") -> TestClient:
    rules = access_for(host, AccessSettings(allowed_hosts=("localhost",)))
    return TestClient(
        create_app(core, settings=WebSettings(warm_up=False, access=rules)), base_url="http://localhost:8000"
    )


def signed_in(core: Drafter, name: str, password: str = PASSWORD) -> TestClient:
    client = app_for(core)
    assert client.get("/login").status_code == 200
    client.headers["X-CSRF-Token"] = client.cookies["drafter_csrf"]
    response = client.post("/api/login", json={"name": name, "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = client.cookies["drafter_csrf"]  # a fresh token after signing in
    return client


def ids(city: Drafter) -> tuple[str, str]:
    by_title = {s.title: s.id for s in city.corpus_summaries()}
    return by_title["青溪区乙局2024年工作总结"], by_title["青溪区乙局2023年工作总结"]


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))


def test_a_writer_of_another_unit_never_sees_a_private_report(city: Drafter) -> None:
    private_id, shared_id = ids(city)
    a = signed_in(city, "a")
    hits = a.get("/api/search", params={"q": "蓝鲸计划 扶持科技型企业", "k": 50}).json()
    assert private_id not in {h["doc_id"] for h in hits}
    assert SECRET not in json.dumps(hits, ensure_ascii=False)
    assert shared_id in {h["doc_id"] for h in a.get("/api/search", params={"q": "乙局人才公寓"}).json()}
    assert SECRET not in a.get("/search", params={"q": "蓝鲸计划"}).text
    listed = {row["id"] for row in a.get("/api/corpus").json()}
    assert shared_id in listed
    assert private_id not in listed
    assert a.get(f"/api/corpus/{private_id}").status_code == 404
    assert a.get(f"/api/corpus/{private_id[:8]}").status_code == 404
    for passages in ("false", "true"):
        exported = a.get("/api/corpus/export", params={"passages": passages}).text
        assert SECRET not in exported
        assert "乙局人才公寓" in exported
    # Drafting for 乙局's very name: neither its private report's passages nor its structure come through.
    preview = a.post("/api/preview", json=FORM)
    assert preview.status_code == 200, preview.text
    assert SECRET not in preview.text
    draft = a.post("/api/draft", json={**FORM, "predecessor": private_id})
    assert draft.status_code == 200, draft.text
    assert "蓝鲸" not in docx_text(draft.content)
    sources = a.get("/api/prefill/sources", params={"unit": "青溪区乙局"}).json()
    assert private_id not in {s["id"] for s in sources}
    assert a.get(f"/api/prefill/{private_id}").status_code == 404


def test_the_owner_unit_and_the_administrator_see_it(city: Drafter) -> None:
    private_id, _ = ids(city)
    for name in ("b", "root"):
        client = signed_in(city, name)
        hits = client.get("/api/search", params={"q": "蓝鲸计划 扶持科技型企业", "k": 50}).json()
        assert private_id in {h["doc_id"] for h in hits}, name
        assert client.get(f"/api/corpus/{private_id}").status_code == 200
    b = signed_in(city, "b")
    assert "蓝鲸" in b.post("/api/preview", json=FORM).text  # own unit first in the references


def test_an_upload_goes_into_the_writers_unit_with_the_units_default(city: Drafter) -> None:
    a = signed_in(city, "a")
    text = (
        "青溪区甲局2024年工作总结\n一、主要工作\n（一）科普\n举办“甲局科普月”活动12场，惠及群众5000人次。\n"
    )
    response = a.post("/api/upload", files=[("files", ("甲局.txt", text.encode()))])
    assert response.json()["visibility"] == "private"  # 甲局's default
    (doc,) = [s for s in city.corpus_summaries() if s.title == "青溪区甲局2024年工作总结"]
    assert (doc.owner_unit, doc.visibility) == ("青溪区甲局", "private")
    hits = signed_in(city, "b").get("/api/search", params={"q": "甲局科普月", "k": 50}).json()
    assert doc.id not in {h["doc_id"] for h in hits}
    assert doc.id in {h["doc_id"] for h in a.get("/api/search", params={"q": "甲局科普月"}).json()}
    assert city.change_log(1)[0].actor == "a"


def test_the_page_shows_the_writers_unit_and_drafts_for_it(city: Drafter) -> None:
    page = signed_in(city, "a").get("/").text
    assert 'data-default-unit="青溪区甲局"' in page
    assert '<span class="viewer-unit">青溪区甲局</span>' in page
    assert "退出" in page
    assert "/admin" not in page  # not offered to a writer


def test_without_a_session_every_page_and_api_is_closed(city: Drafter) -> None:
    client = app_for(city)
    page = client.get("/", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/login")
    for path in ("/api/search?q=科技", "/api/corpus", "/api/corpus/export", "/api/phrases", "/openapi.json"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code in (401, 303), path
    assert "请先登录" in client.get("/api/corpus").json()["detail"][0]["msg"]
    for path in ("/healthz", "/login", "/static/app.css", "/static/login.js"):
        assert client.get(path).status_code == 200, path


def test_an_upload_without_a_session_is_refused(city: Drafter) -> None:
    client = app_for(city)
    client.get("/login")
    client.headers["X-CSRF-Token"] = client.cookies["drafter_csrf"]
    before = len(city.corpus_summaries())
    response = client.post(
        "/api/upload", files=[("files", ("x.txt", B_SHARED.replace("2023", "2019").encode()))]
    )
    assert response.status_code == 401
    assert len(city.corpus_summaries()) == before


@pytest.mark.parametrize(
    ("headers", "message"),
    [({"X-CSRF-Token": "forged"}, "页面令牌"), ({"Origin": "http://evil.example"}, "跨站")],
)
def test_a_cross_site_post_is_refused(city: Drafter, headers: dict[str, str], message: str) -> None:
    client = signed_in(city, "a")
    before = len(city.corpus_summaries())
    upload = client.post(
        "/api/upload",
        files=[("files", ("x.txt", B_SHARED.replace("2023", "2018").encode()))],
        headers=headers,
    )
    assert upload.status_code == 403
    assert message in upload.json()["detail"][0]["msg"]
    assert len(city.corpus_summaries()) == before
    assert client.post("/api/logout", headers=headers).status_code == 403
    assert client.get("/api/corpus").status_code == 200  # still signed in


def test_signing_in_needs_the_pages_token_too(city: Drafter) -> None:
    client = app_for(city)
    response = client.post("/api/login", json={"name": "a", "password": PASSWORD})
    assert response.status_code == 403
    assert "drafter_session" not in client.cookies


def test_a_wrong_password_and_an_unknown_name_read_alike(city: Drafter) -> None:
    client = app_for(city)
    client.get("/login")
    client.headers["X-CSRF-Token"] = client.cookies["drafter_csrf"]
    wrong = client.post("/api/login", json={"name": "a", "password": "not-it-at-all"})
    unknown = client.post("/api/login", json={"name": "nobody", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert "账号或密码不对" in wrong.json()["detail"][0]["msg"]
    empty = client.post("/api/login", json={"name": "", "password": ""})
    assert empty.status_code == 422
    assert "请填写账号" in empty.json()["detail"][0]["msg"]


def test_the_session_cookie_is_http_only_and_strict(city: Drafter) -> None:
    client = app_for(city)
    client.get("/login")
    token = client.cookies["drafter_csrf"]
    response = client.post(
        "/api/login", json={"name": "a", "password": PASSWORD}, headers={"X-CSRF-Token": token}
    )
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("drafter_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Secure" not in cookie
    https = TestClient(client.app, base_url="https://localhost")
    https.get("/login")
    token = https.cookies["drafter_csrf"]
    response = https.post(
        "/api/login", json={"name": "a", "password": PASSWORD}, headers={"X-CSRF-Token": token}
    )
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("drafter_session="))
    assert "Secure" in cookie


@pytest.mark.parametrize("column", ["last_seen", "created"])
def test_an_expired_session_is_refused(city: Drafter, column: str) -> None:
    client = signed_in(city, "a")
    assert client.get("/api/corpus").status_code == 200
    with sqlite3.connect(city.corpus.path) as conn:  # the session idle 3 hours / begun 13 hours ago
        conn.execute(f"UPDATE sessions SET {column} = {column} - 13 * 3600 WHERE account = 'a'")
    response = client.get("/api/corpus")
    assert response.status_code == 401
    assert "请先登录" in response.json()["detail"][0]["msg"]
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_signing_out_ends_the_session(city: Drafter) -> None:
    client = signed_in(city, "a")
    assert client.post("/api/logout").status_code == 200
    assert client.get("/api/corpus").status_code == 401


def test_a_disabled_account_cannot_sign_in_and_its_session_ends(city: Drafter) -> None:
    accounts = Accounts(city.account_store())
    accounts.add_account("c", "青溪区甲局", "writer", PASSWORD)
    client = signed_in(city, "c")
    accounts.set_disabled("c")
    assert client.get("/api/corpus").status_code == 401
    again = app_for(city)
    again.get("/login")
    again.headers["X-CSRF-Token"] = again.cookies["drafter_csrf"]
    refused = again.post("/api/login", json={"name": "c", "password": PASSWORD})
    assert refused.status_code == 401
    assert "已停用" in refused.json()["detail"][0]["msg"]


def test_a_writer_cannot_administer(city: Drafter) -> None:
    private_id, _ = ids(city)
    a = signed_in(city, "a")
    assert a.get("/admin").status_code == 403
    assert a.get("/api/admin/log").status_code == 403
    assert a.delete(f"/api/admin/documents/{private_id}").status_code == 403
    assert signed_in(city, "root").get("/api/admin/log").status_code == 200


def test_beyond_loopback_without_an_account_nothing_answers(tmp_path: Path) -> None:
    core = Drafter(tmp_path / "corpus.sqlite3", seed=False)
    response = app_for(core).get("/api/corpus")
    assert response.status_code == 403
    assert "drafter admin user add" in response.json()["detail"][0]["msg"]
    with pytest.raises(DrafterError, match="drafter admin user add"):
        serve(host="0.0.0.0", port=0, corpus_path=tmp_path / "corpus.sqlite3")
    result = CliRunner().invoke(
        cli, ["serve", "--host", "0.0.0.0", "--port", "0", "--corpus", str(tmp_path / "corpus.sqlite3")]
    )
    assert result.exit_code == 1
    assert "还没有任何账号" in result.output
    assert "drafter admin user add" in result.output
    core.close()


def test_on_loopback_without_accounts_it_stays_login_free(tmp_path: Path) -> None:
    core = Drafter(tmp_path / "corpus.sqlite3", seed=False)
    client = app_for(core, "127.0.0.1")
    assert client.get("/").status_code == 200
    assert client.get("/api/me").json()["name"] == "本机用户"
    assert client.get("/login", follow_redirects=False).status_code == 303
    core.close()


def test_the_phrase_banks_examples_stay_in_scope(city: Drafter) -> None:
    private_id, _ = ids(city)
    city.phrase_bank()  # mined and stored on first use
    stored = city.corpus.load_phrases()
    assert stored is not None
    bank = json.loads(stored)
    # The bank as if mining had kept a sentence of 乙局's private report as an example.
    for phrase in bank["phrases"]:
        phrase["examples"].append({"text": SECRET, "doc_id": private_id, "title": "乙局"})
    city.corpus.save_phrases(json.dumps(bank, ensure_ascii=False))
    try:
        assert SECRET in json.dumps(city.phrase_rows(), ensure_ascii=False)  # the administrator's view
        assert SECRET not in signed_in(city, "a").get("/api/phrases").text
        assert SECRET in signed_in(city, "b").get("/api/phrases").text
    finally:
        city.corpus.save_phrases(stored)


def test_a_writer_changes_the_visibility_of_their_own_units_documents_only(city: Drafter) -> None:
    private_id, shared_id = ids(city)
    a, b = signed_in(city, "a"), signed_in(city, "b")
    url = f"/api/corpus/{shared_id}/visibility"
    refused = a.put(url, params={"visibility": "private"})
    assert refused.status_code == 403
    assert "不属于本单位" in refused.json()["detail"][0]["msg"]
    assert a.put(f"/api/corpus/{private_id}/visibility", params={"visibility": "shared"}).status_code == 404
    assert b.put(url, params={"visibility": "private"}, headers={"X-CSRF-Token": "forged"}).status_code == 403
    try:
        made = b.put(url, params={"visibility": "private"})
        assert made.json() == {"id": shared_id, "visibility": "private"}
        assert a.get(f"/api/corpus/{shared_id}").status_code == 404
        assert shared_id not in {
            h["doc_id"] for h in a.get("/api/search", params={"q": "乙局人才公寓"}).json()
        }
        assert city.change_log(1)[0].actor == "b"
    finally:
        assert b.put(url, params={"visibility": "shared"}).status_code == 200
    assert a.get(f"/api/corpus/{shared_id}").status_code == 200
