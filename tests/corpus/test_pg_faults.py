"""Faults of a shared deployment: the database restarted under load, an ingest killed half-way, two ingests
of overlapping files at once. Each runs against a real PostgreSQL (the SQLite file where it applies too)."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from drafter.app import Drafter
from drafter.changes import Actor
from drafter.corpus.locate import open_store
from drafter.corpus.review import Review
from drafter.errors import CorpusError
from drafter.web.api import WebSettings
from drafter.web.app import create_app
from tests.conftest import SEEDS
from tests.pg import check_search_tables, fresh_database, server_url

pytestmark = pytest.mark.slow


def many_reports(folder: Path, n: int) -> list[Path]:
    """``n`` distinct report files (each seed report under a numbered title), written into ``folder``."""
    seeds = sorted(SEEDS.glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        path = folder / f"report_{i:03d}.txt"
        path.write_text(f"第{i}号 {text.lstrip()}", encoding="utf-8")
        paths.append(path)
    return paths


def ingest_command(database: str, *paths: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "drafter",
        "ingest",
        "--database",
        database,
        "--workers",
        "1",
        *map(str, paths),
    ]


def distinct_documents(paths: list[Path]) -> int:
    """How many distinct documents ``paths`` hold (a file may hold several reports)."""
    from drafter.ingest.documents import documents_from_file

    return len({doc.id for path in paths for doc in documents_from_file(path)})


def consistent(database: str) -> int:
    """The number of documents, after checking every one is whole (all its passages, a source)."""
    store = open_store(database)
    try:
        docs = list(store.documents_with_sources())
        for doc, sources in docs:
            assert len(doc.passages) > 0
            assert sources
        assert len(list(store.passages())) == sum(len(d.passages) for d, _ in docs)
        assert store.count() == len(docs)
        return len(docs)
    finally:
        store.close()


def test_a_killed_ingest_leaves_every_stored_document_whole(tmp_path: Path) -> None:
    files = many_reports(tmp_path / "in", 40)
    with fresh_database() as url:
        process = subprocess.Popen(
            ingest_command(url, tmp_path / "in"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        store = open_store(url)
        try:
            while store.count() < 3 and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.05)
        finally:
            store.close()
        process.send_signal(signal.SIGKILL)
        process.wait()
        stored = consistent(url)
        assert 0 < stored < distinct_documents(files)
        assert (
            subprocess.run(ingest_command(url, tmp_path / "in"), capture_output=True, check=False).returncode
            == 0
        )
        assert consistent(url) == distinct_documents(files)


def test_two_ingests_of_overlapping_files_store_one_copy_each(database: str, tmp_path: Path) -> None:
    files = many_reports(tmp_path / "in", 16)
    first, second = files[:11], files[5:]
    runs = [
        subprocess.Popen(ingest_command(database, *part), stdout=subprocess.DEVNULL)
        for part in (first, second)
    ]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    assert consistent(database) == distinct_documents(files)


def test_a_killed_ingest_leaves_the_search_tables_consistent_and_the_next_one_completes_them(
    tmp_path: Path,
) -> None:
    files = many_reports(tmp_path / "in", 30)
    with fresh_database() as url:
        assert (
            subprocess.run(ingest_command(url, *files[:3]), capture_output=True, check=False).returncode == 0
        )
        assert check_search_tables(url) == 3  # built by that ingest, not by a search
        process = subprocess.Popen(
            [*ingest_command(url, *files[3:]), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        store = open_store(url)
        try:
            deadline = time.monotonic() + 120
            while store.count() < 8 and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.05)
        finally:
            store.close()
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert check_search_tables(url, complete=False) >= 3  # whole documents only, searchable as before
        drafter = Drafter(database=url)
        try:
            assert drafter.search("科技创新", 3)
        finally:
            drafter.close()
        assert subprocess.run(ingest_command(url, *files), capture_output=True, check=False).returncode == 0
        assert check_search_tables(url) == distinct_documents(files)


def test_two_ingests_at_once_leave_the_search_tables_holding_each_document_once(tmp_path: Path) -> None:
    files = many_reports(tmp_path / "in", 16)
    with fresh_database() as url:
        assert (
            subprocess.run(ingest_command(url, *files[:2]), capture_output=True, check=False).returncode == 0
        )
        runs = [
            subprocess.Popen(ingest_command(url, *part), stdout=subprocess.DEVNULL)
            for part in (files[:11], files[5:])
        ]
        assert [run.wait(timeout=300) for run in runs] == [0, 0]
        assert check_search_tables(url) == distinct_documents(files)  # every document once, whole
        drafter = Drafter(database=url)
        try:
            assert drafter.update().index == "current"
            searcher = drafter.searcher()
            assert getattr(searcher, "builds", None) == 0
        finally:
            drafter.close()


def _pg_ctl(action: str) -> None:
    command = os.environ.get("DRAFTER_TEST_PG_CTL")
    if not command:
        if os.environ.get("CI"):
            pytest.fail(
                "DRAFTER_TEST_PG_CTL is not set: in CI scripts/test.sh starts PostgreSQL and names it"
            )
        pytest.skip("DRAFTER_TEST_PG_CTL is not set (bash scripts/test.sh sets it for the server it starts)")
    extra = ["-w", "-m", "fast"] if action == "stop" else ["-w"]
    subprocess.run([*shlex.split(command), *extra, action], check=True, capture_output=True)


def test_searches_fail_cleanly_while_the_database_restarts_and_succeed_after() -> None:
    server_url()
    with fresh_database() as url:
        drafter = Drafter(database=url)
        drafter.ingest([SEEDS], workers=1)
        client = TestClient(
            create_app(drafter, settings=WebSettings(warm_up=False)), base_url="http://localhost"
        )
        assert client.get("/api/search", params={"q": "人才引进"}).status_code == 200
        statuses: list[int] = []
        stop = threading.Event()

        def load() -> None:
            while not stop.is_set():
                statuses.append(client.get("/api/search", params={"q": "科技创新"}).status_code)

        threads = [threading.Thread(target=load) for _ in range(4)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(0.5)
            _pg_ctl("stop")
            down = client.get("/api/search", params={"q": "人才引进"})
            time.sleep(1.0)
        finally:
            _pg_ctl("start")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if client.get("/api/search", params={"q": "人才引进"}).status_code == 200:
                break
            time.sleep(0.5)
        time.sleep(1.0)
        stop.set()
        for thread in threads:
            thread.join()
        drafter.close()
    assert down.status_code == 503
    assert down.headers["Retry-After"] == "5"
    assert "数据库" in down.json()["detail"][0]["msg"]
    assert set(statuses) <= {200, 503}
    assert 503 in statuses
    assert statuses[-1] == 200


def test_a_held_upload_is_accepted_only_on_the_host_holding_its_files(tmp_path: Path) -> None:
    """The list of held uploads is shared by every web host; the files stay on the one that received them."""
    with fresh_database() as url:
        store = open_store(url)
        try:
            gone = store.review().hold(
                tmp_path / "on-another-host", ["待审.txt"], Actor("上传者", "10.0.0.2")
            )
            with pytest.raises(CorpusError, match="接收它的那台"):
                store.review().decide(gone.id, "accepted", Actor("管理员", "10.0.0.3"))
            assert [b.id for b in store.review().batches()] == [gone.id]  # still pending, nothing lost
        finally:
            store.close()


def test_the_log_an_earlier_version_kept_beside_the_host_moves_into_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A host that kept the change log in its side file: its rows reach the shared log once, none twice."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "host"))
    with fresh_database() as url:
        store = open_store(url)
        try:
            side = Review(store.path)
            side.record(Actor("管理员", "10.0.0.1"), "remove", "abc123", "旧报告")
            side.hold(tmp_path, ["待审.txt"], Actor("上传者", "10.0.0.2"))
            assert [c.action for c in store.review().log()] == ["hold", "remove"]
            assert [b.files for b in store.review().batches()] == [("待审.txt",)]
        finally:
            store.close()
        again = open_store(url)  # a new process on the same host: nothing is copied twice
        try:
            assert len(again.review().log()) == 2
        finally:
            again.close()
