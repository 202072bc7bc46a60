"""Changes to the corpus are authorised: the right host, this server's own page, its token.

And every change is in the corpus's append-only log, at the command line and on the web alike.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from drafter.app import Drafter
from drafter.changes import Actor, ParseLimits
from drafter.cli import cli
from drafter.web.access import AccessSettings, access_for, host_name
from drafter.web.api import WebSettings
from drafter.web.app import create_app
from tests import hostile_payloads as hp


def report(year: int) -> bytes:
    return hp.REPORT.replace("2024", str(year)).replace("162家", f"{year % 100 + 100}家").encode()


@pytest.fixture
def core(tmp_path: Path) -> Iterator[Drafter]:
    drafter = Drafter(tmp_path / "corpus.sqlite3", seed=False)
    yield drafter
    drafter.close()


def browser(core: Drafter, host: str = "127.0.0.1", **access: object) -> TestClient:
    """A client that opened this server's page, as a browser on the server's own address would."""
    rules = access_for(host, AccessSettings(**access))  # type: ignore[arg-type]
    app = create_app(core, settings=WebSettings(warm_up=False, access=rules))
    client = TestClient(app, base_url="http://localhost:8000")
    assert client.get("/search").status_code == 200
    client.headers["X-CSRF-Token"] = client.cookies["drafter_csrf"]
    return client


def upload(client: TestClient, name: str, data: bytes, **headers: str) -> object:
    return client.post("/api/upload", files=[("files", (name, data, "text/plain"))], headers=headers)


def test_a_local_server_takes_an_upload_from_its_own_page(core: Drafter) -> None:
    response = upload(browser(core), "a.txt", report(2021))
    assert response.status_code == 200, response.text
    assert core.corpus.count() == 1
    (change,) = core.change_log()
    assert (change.action, change.actor, change.address) == ("add", "本机用户", "testclient")


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"Origin": "http://evil.example"}, "跨站"),
        ({"Referer": "http://evil.example/page"}, "跨站"),
        ({"Host": "evil.example"}, "不是本服务的地址"),
        ({"X-CSRF-Token": "forged"}, "页面令牌"),
    ],
)
def test_a_cross_site_or_rebound_upload_is_refused_unread(
    core: Drafter, headers: dict[str, str], message: str
) -> None:
    response = upload(browser(core), "a.txt", report(2021), **headers)
    assert response.status_code == 403
    assert message in response.json()["detail"][0]["msg"]
    assert core.corpus.count() == 0


def test_an_upload_without_the_page_token_is_refused(core: Drafter) -> None:
    client = TestClient(create_app(core, settings=WebSettings(warm_up=False)), base_url="http://localhost")
    response = upload(client, "a.txt", report(2021))
    assert response.status_code == 403
    assert core.corpus.count() == 0


def test_a_held_batch_is_accepted_at_the_command_line_and_logged(core: Drafter, tmp_path: Path) -> None:
    folder = tmp_path / "corpus.sqlite3.uploads" / "batch"
    folder.mkdir(parents=True)
    (folder / "待审.txt").write_bytes(report(2021))
    batch, failures = core.hold_upload([folder / "待审.txt"], Actor("上传者", "10.0.0.9"), ParseLimits())
    assert batch is not None
    assert failures == []
    assert core.corpus.count() == 0  # nothing reaches the drafts before review
    runner = CliRunner()
    corpus = str(core.corpus.path)
    pending = runner.invoke(cli, ["corpus", "pending", "--json", "--corpus", corpus])
    assert [row["files"] for row in json.loads(pending.stdout)] == [["待审.txt"]]
    accepted = runner.invoke(cli, ["corpus", "accept", batch.id, "--corpus", corpus])
    assert accepted.exit_code == 0, accepted.output
    assert core.corpus.count() == 1
    again = runner.invoke(cli, ["corpus", "accept", batch.id, "--corpus", corpus])
    assert again.exit_code == 1
    assert "已经审核过" in again.output
    log = json.loads(runner.invoke(cli, ["corpus", "log", "--json", "--corpus", corpus]).stdout)
    assert [row["action"] for row in log] == ["accept", "add", "hold"]
    assert log[-1]["actor"] == "上传者"


def test_a_rejected_batch_is_deleted_and_logged(core: Drafter, tmp_path: Path) -> None:
    folder = tmp_path / "corpus.sqlite3.uploads" / "batch"
    folder.mkdir(parents=True)
    (folder / "垃圾.txt").write_bytes(report(2022))
    batch, _ = core.hold_upload([folder / "垃圾.txt"], Actor("上传者", "10.0.0.9"), ParseLimits())
    assert batch is not None
    result = CliRunner().invoke(cli, ["corpus", "reject", batch.id, "--corpus", str(core.corpus.path)])
    assert result.exit_code == 0, result.output
    assert not list(folder.parent.rglob("*.txt"))
    assert core.corpus.count() == 0
    assert core.change_log(1)[0].action == "reject"


def test_on_a_single_pc_the_person_at_it_removes_a_document_on_the_web(core: Drafter) -> None:
    client = browser(core)
    assert upload(client, "a.txt", report(2021)).status_code == 200  # type: ignore[attr-defined]
    (doc,) = core.corpus_summaries()
    assert client.get("/admin").status_code == 200
    no_token = client.delete(f"/api/admin/documents/{doc.id}", headers={"X-CSRF-Token": ""})
    assert no_token.status_code == 403
    removed = client.delete(f"/api/admin/documents/{doc.id[:8]}")
    assert removed.status_code == 200, removed.text
    assert removed.json() == {"removed": doc.id}
    assert core.corpus.count() == 0
    log = client.get("/api/admin/log").json()
    assert (log[0]["action"], log[0]["actor"], log[0]["target"]) == ("remove", "本机用户", doc.id)


def test_remove_at_the_command_line_is_logged_with_the_user(core: Drafter, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(report(2020))
    corpus = str(core.corpus.path)
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(source), "--quiet", "--corpus", corpus]).exit_code == 0
    (doc,) = core.corpus_summaries()
    result = runner.invoke(cli, ["corpus", "remove", doc.id[:8], "--corpus", corpus])
    assert result.exit_code == 0, result.output
    assert core.corpus.count() == 0
    actions = [(c.action, c.address) for c in core.change_log()]
    assert actions == [("remove", "命令行"), ("add", "命令行")]


def test_the_change_log_is_append_only(core: Drafter) -> None:
    core.review().record(Actor("甲", "命令行"), "add", "x")
    with sqlite3.connect(core.corpus.path) as conn:
        for statement in ("UPDATE changes SET actor = '乙'", "DELETE FROM changes"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(statement)
    assert core.change_log()[0].actor == "甲"


@pytest.mark.parametrize(
    ("header", "name"),
    [("localhost:8000", "localhost"), ("[::1]:8000", "::1"), ("Example.ORG", "example.org"), ("::1", "::1")],
)
def test_host_names_are_read_without_port(header: str, name: str) -> None:
    assert host_name(header) == name


@pytest.mark.parametrize("option", ["--upload-key", "--admin-key", "--trust-uploads"])
def test_the_retired_keys_point_to_accounts(option: str) -> None:
    result = CliRunner().invoke(cli, ["serve", option])
    assert result.exit_code == 2
    assert "drafter admin user add" in result.output
