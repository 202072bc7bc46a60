"""The accounts page of the administration: an administrator lists units and accounts, adds an account,
disables one and resets a password on the web, under the same rules as ``drafter admin``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from drafter.accounts.service import Accounts
from drafter.app import Drafter
from tests.web.test_accounts import PASSWORD, app_for, signed_in


@pytest.fixture
def city(tmp_path: Path) -> Iterator[Drafter]:
    core = Drafter(tmp_path / "corpus.sqlite3", seed=False)
    assert core.corpus.count() == 0  # the corpus file exists: accounts live in it
    accounts = Accounts(core.account_store())
    accounts.add_unit("青溪区甲局")
    accounts.add_account("root", "", "admin", PASSWORD)
    accounts.add_account("a", "青溪区甲局", "writer", PASSWORD)
    yield core
    core.close()


def sign_in_fails(core: Drafter, name: str, password: str) -> bool:
    client = app_for(core)
    client.get("/login")
    client.headers["X-CSRF-Token"] = client.cookies["drafter_csrf"]
    return client.post("/api/login", json={"name": name, "password": password}).status_code == 401


def test_an_administrator_adds_a_writer_who_can_then_sign_in(city: Drafter) -> None:
    root = signed_in(city, "root")
    page = root.get("/admin").text
    assert "账号管理" in page
    assert "添加账号" in page
    assert [u["name"] for u in root.get("/api/admin/units").json()] == ["青溪区甲局"]
    added = root.post(
        "/api/admin/users",
        json={"name": "li", "unit": "青溪区甲局", "role": "writer", "password": "li-password-9"},
    )
    assert added.status_code == 201, added.text
    assert added.json()["role_name"] == "撰稿人"
    listed = {u["name"]: u for u in root.get("/api/admin/users").json()}
    assert listed["li"]["unit"] == "青溪区甲局"
    assert "password" not in listed["li"]
    assert signed_in(city, "li", "li-password-9").get("/api/me").json()["unit"] == "青溪区甲局"


def test_a_bad_account_is_refused_with_the_fix_in_chinese(city: Drafter) -> None:
    root = signed_in(city, "root")
    no_unit = root.post(
        "/api/admin/users", json={"name": "wang", "role": "writer", "password": "wang-password-9"}
    )
    assert no_unit.status_code == 422
    assert "单位" in no_unit.json()["detail"][0]["msg"]
    taken = root.post(
        "/api/admin/users", json={"name": "a", "unit": "青溪区甲局", "password": "another-pass-9"}
    )
    assert taken.status_code == 422
    assert "已存在" in taken.json()["detail"][0]["msg"]


def test_disabling_a_writer_ends_their_session_and_enabling_lets_them_back(city: Drafter) -> None:
    root = signed_in(city, "root")
    writer = signed_in(city, "a")
    assert writer.get("/api/me").status_code == 200
    assert root.post("/api/admin/users/a/disable").json()["disabled"] is True
    assert writer.get("/api/me").status_code == 401
    assert sign_in_fails(city, "a", PASSWORD)
    assert root.post("/api/admin/users/a/enable").json()["disabled"] is False
    assert signed_in(city, "a").get("/api/me").status_code == 200


def test_an_administrator_cannot_disable_their_own_account(city: Drafter) -> None:
    root = signed_in(city, "root")
    response = root.post("/api/admin/users/root/disable")
    assert response.status_code == 422
    assert "自己" in response.json()["detail"][0]["msg"]
    assert root.get("/api/me").status_code == 200


def test_a_reset_password_replaces_the_old_one_and_ends_the_sessions(city: Drafter) -> None:
    root = signed_in(city, "root")
    writer = signed_in(city, "a")
    reset = root.post("/api/admin/users/a/password", json={"password": "fresh-password-7"})
    assert reset.status_code == 200, reset.text
    assert writer.get("/api/me").status_code == 401
    assert sign_in_fails(city, "a", PASSWORD)
    assert signed_in(city, "a", "fresh-password-7").get("/api/me").status_code == 200


def test_only_an_administrator_from_this_page_may_manage_accounts(city: Drafter) -> None:
    writer = signed_in(city, "a")
    assert writer.get("/api/admin/users").status_code == 403
    new = {"name": "x", "unit": "青溪区甲局", "password": "x-password-99"}
    assert writer.post("/api/admin/users", json=new).status_code == 403
    root = signed_in(city, "root")
    forged = TestClient(root.app, base_url="http://localhost:8000", cookies=root.cookies)  # no token header
    assert forged.post("/api/admin/users", json=new).status_code == 403
    assert "x" not in {u["name"] for u in root.get("/api/admin/users").json()}


def test_an_administrator_adds_a_unit_and_then_a_writer_of_it(city: Drafter) -> None:
    root = signed_in(city, "root")
    page = root.get("/admin").text
    assert "添加单位" in page
    assert "accounts-unit-form" in page
    added = root.post("/api/admin/units", json={"name": "青溪区乙局", "default_visibility": "shared"})
    assert added.status_code == 201, added.text
    assert added.json()["visibility_name"] == "全市共享"
    units = {u["name"]: u for u in root.get("/api/admin/units").json()}
    assert units["青溪区乙局"]["default_visibility"] == "shared"
    assert Accounts(city.account_store()).unit("青溪区乙局").default_visibility == "shared"
    writer = {"name": "zhao", "unit": "青溪区乙局", "role": "writer", "password": "zhao-password-9"}
    assert root.post("/api/admin/users", json=writer).status_code == 201
    assert signed_in(city, "zhao", "zhao-password-9").get("/api/me").json()["unit"] == "青溪区乙局"


def test_a_bad_or_forged_unit_is_refused(city: Drafter) -> None:
    root = signed_in(city, "root")
    taken = root.post("/api/admin/units", json={"name": "青溪区甲局"})
    assert taken.status_code == 422
    assert "已存在" in taken.json()["detail"][0]["msg"]
    blank = root.post("/api/admin/units", json={"name": "  "})
    assert blank.status_code == 422
    assert "单位" in blank.json()["detail"][0]["msg"]
    assert (
        root.post("/api/admin/units", json={"name": "丙局", "default_visibility": "public"}).status_code
        == 422
    )
    writer = signed_in(city, "a")
    assert writer.post("/api/admin/units", json={"name": "丁局"}).status_code == 403
    forged = TestClient(root.app, base_url="http://localhost:8000", cookies=root.cookies)  # no token header
    assert forged.post("/api/admin/units", json={"name": "戊局"}).status_code == 403
    assert [u["name"] for u in root.get("/api/admin/units").json()] == ["青溪区甲局"]
