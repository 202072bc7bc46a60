"""The store contract on both backends (SQLite file, PostgreSQL): what the app, CLI, web and search rely on."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from drafter.changes import Actor
from drafter.corpus.locate import open_store
from drafter.corpus.protocol import CorpusStore
from drafter.errors import CorpusError, NotFoundError
from tests.corpus.test_store import annual, plan


@pytest.fixture
def store(database: str) -> Iterator[CorpusStore]:
    opened = open_store(database)
    try:
        yield opened
    finally:
        opened.close()


def test_a_document_round_trips_whole_and_is_stored_once(store: CorpusStore) -> None:
    doc = annual()
    assert store.add(doc) is True
    assert store.add(doc, "copy/a.txt") is False
    assert store.get(doc.id) == doc
    assert list(store.documents()) == [doc]
    assert store.count() == 1
    assert store.sources_of(doc.id) == ("a.txt", "copy/a.txt")
    assert [s.sources for s in store.summaries()] == [("a.txt", "copy/a.txt")]


def test_order_kinds_passages_and_exports(store: CorpusStore) -> None:
    first, second = annual(), plan()
    store.add(first)
    store.add(second)
    assert [d.id for d in store.documents()] == [first.id, second.id]
    assert [d.id for d in store.documents(kinds=["plan"])] == [second.id]
    passages = list(store.passages())
    assert [p.id for p, _ in passages] == [p.id for p in (*first.passages, *second.passages)]
    assert passages[0][1].title == first.title
    assert [(p.id, t) for p, t in store.passages_with_titles()][-1] == (second.passages[-1].id, second.title)
    assert [(d.id, s) for d, s in store.documents_with_sources()] == [
        (first.id, ("a.txt",)),
        (second.id, (second.source,)),
    ]


def test_fingerprint_changes_with_the_set_of_documents_only(store: CorpusStore) -> None:
    empty = store.fingerprint()
    doc = annual()
    store.add(doc)
    one = store.fingerprint()
    assert one != empty
    store.add(doc, "again.txt")  # a known document seen once more: same corpus
    assert store.fingerprint() == one
    assert store.remove(doc.id[:8]) == doc.id
    assert store.fingerprint() not in (one,)
    assert store.count() == 0
    assert list(store.passages()) == []


def test_ids_by_prefix_and_clear_refusals(store: CorpusStore) -> None:
    doc = annual()
    store.add(doc)
    assert store.get(doc.id[:6]).id == doc.id
    with pytest.raises(NotFoundError, match="太短"):
        store.get(doc.id[:3])
    with pytest.raises(NotFoundError, match="没有编号"):
        store.get("ffffffffffff")


def test_phrase_bank_and_blobs_with_versions(store: CorpusStore) -> None:
    assert store.load_phrases() is None
    assert store.phrases_version() is None
    store.save_phrases('{"a": 1}')
    first = store.phrases_version()
    store.save_phrases('{"a": 2}')
    assert store.load_phrases() == '{"a": 2}'
    assert store.phrases_version() not in (None, first)
    assert store.load_blob("related_terms") is None
    store.save_blob("related_terms", "词表")
    assert store.load_blob("related_terms") == "词表"
    assert store.blob_version("related_terms") is not None


def test_two_writers_adding_the_same_documents_store_one_copy_each(database: str) -> None:
    docs = [annual(), plan(), annual("区科技局2023年工作总结", "b.txt")]
    stores = [open_store(database) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[list[bool]] = [[], []]

    def run(n: int) -> None:
        barrier.wait()
        results[n] = [stores[n].add(d, f"w{n}/{i}.txt") for i, d in enumerate(docs)]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert stores[0].count() == 3
        assert [a or b for a, b in zip(*results, strict=True)] == [True, True, True]
        assert sum(results[0]) + sum(results[1]) == 3  # each document new to exactly one writer
        assert len(list(stores[0].passages())) == sum(len(d.passages) for d in docs)
    finally:
        for s in stores:
            s.close()


def test_every_host_reads_one_change_log_and_one_list_of_held_uploads(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two web hosts (their own data folders) on one store: a change or a held upload recorded on one is
    seen on the other, and the log stays append-only."""
    folder = tmp_path / "uploads" / "batch"
    folder.mkdir(parents=True)
    hosts = []
    for name in ("host1", "host2"):
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / name))
        hosts.append(open_store(database))
    first, second = hosts
    try:
        first.review().record(Actor("管理员", "10.0.0.1"), "remove", "abc123", "旧报告")
        held = first.review().hold(folder, ["待审.txt"], Actor("上传者", "10.0.0.2"))
        log = second.review().log()
        assert [(c.actor, c.action, c.target) for c in log] == [
            ("上传者", "hold", held.id),
            ("管理员", "remove", "abc123"),
        ]
        assert [b.id for b in second.review().batches()] == [held.id]
        second.review().decide(held.id, "rejected", Actor("管理员", "10.0.0.3"))
        assert first.review().batches() == []
        assert [c.action for c in first.review().log(limit=1)] == ["reject"]
        refused = (CorpusError, sqlite3.DatabaseError, psycopg.Error)
        with pytest.raises(refused), first.review()._connection(write=True) as conn:
            conn.execute("DELETE FROM changes")
        assert len(second.review().log()) == 3
    finally:
        for store in hosts:
            store.close()
