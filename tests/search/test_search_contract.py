"""The search contract on both backends: the embedded index over SQLite and the search inside PostgreSQL
give the same hits, honour the same filters, never go stale across workers, and keep a unit's private
documents to that unit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drafter.app import Drafter
from drafter.models import SearchFilters
from tests.builders import make_document
from tests.conftest import SEEDS

QUERIES = ("安全生产 隐患排查", "科技创新 企业培育", "项目建设", "下一步工作打算", "人才引进")
FILTERS = (
    SearchFilters(),
    SearchFilters(part="plan"),
    SearchFilters(unit="科技局"),
    SearchFilters(kinds=("half",)),
    SearchFilters(year_from=2021),
)


@pytest.fixture
def seeded(database: str) -> Iterator[Drafter]:
    drafter = Drafter(database=database)
    assert not drafter.ingest([SEEDS], workers=1).failures
    yield drafter
    drafter.close()


def test_hits_answer_the_query_and_honour_filters(seeded: Drafter) -> None:
    hits = seeded.search("人才引进", 5)
    assert hits
    assert "人才" in hits[0].text
    assert all(h.part == "plan" for h in seeded.search("工作", 8, SearchFilters(part="plan")))
    assert all("科技局" in (h.unit or "") for h in seeded.search("工作", 8, SearchFilters(unit="科技局")))
    assert seeded.search("   ", 5) == []
    assert seeded.search("人才", 0) == []
    assert seeded.search("qqqzzz", 5) == []


def test_a_document_added_by_another_worker_is_found_by_this_one(database: str) -> None:
    reader, writer = Drafter(database=database), Drafter(database=database)
    try:
        writer.ingest([SEEDS], workers=1)
        assert not any("蓝莓种植" in h.text for h in reader.search("蓝莓种植基地", 5))
        doc = make_document(
            "区农业局2024年工作总结", [("工作总结", "summary", [("特色农业", "新建蓝莓种植基地三处。")])]
        )
        writer.corpus.add(doc)
        writer.update()  # what drafter ingest and an upload do once the documents are stored
        assert "蓝莓种植" in reader.search("蓝莓种植基地", 5)[0].text
    finally:
        reader.close()
        writer.close()


@pytest.mark.parametrize("narrow", [200, 0], ids=["range-scans", "pruned-postings"])
def test_postgresql_answers_as_the_embedded_index(
    tmp_path: Path, narrow: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways the database ranks under a filter (every posting of few documents, or each term's pruned
    postings) give the embedded index's hits while no term has more postings than are kept."""
    from drafter.search import pg_sql
    from tests.pg import fresh_database

    monkeypatch.setattr(pg_sql, "NARROW_DOCS", narrow)
    embedded = Drafter(tmp_path / "corpus.sqlite3")
    embedded.ingest([SEEDS], workers=1)
    with fresh_database() as url:
        database = Drafter(database=url)
        database.ingest([SEEDS], workers=1)
        try:
            for query in QUERIES:
                for filters in FILTERS:
                    a = embedded.search(query, 5, filters)
                    b = database.search(query, 5, filters)
                    assert b == a, (query, filters)
        finally:
            database.close()
            embedded.close()


PLAIN_QUERIES = ("老百姓觉得看病难怎么办", "帮老人学会用手机", "企业老板最需要什么支持", "让孩子们喜欢上科学")


def test_postgresql_weighs_a_mined_corpus_query_as_the_embedded_index(tmp_path: Path) -> None:
    """After ``drafter mine`` both stores damp the same everyday words of a writer's plain query by the same
    factors (mined with the related terms, passed as query weights): the same hits, scores included."""
    from tests.pg import fresh_database

    embedded = Drafter(tmp_path / "corpus.sqlite3")
    embedded.ingest([SEEDS], workers=1)
    embedded.mine()
    with fresh_database() as url:
        database = Drafter(database=url)
        database.ingest([SEEDS], workers=1)
        database.mine()
        try:
            damping = embedded.searcher().expander().damping
            assert damping
            assert damping == database.searcher().expander().damping
            for query in (*PLAIN_QUERIES, *QUERIES):
                for filters in FILTERS[:3]:
                    a = embedded.search(query, 5, filters)
                    assert database.search(query, 5, filters) == a, (query, filters)
        finally:
            database.close()
            embedded.close()


def test_a_private_document_is_seen_only_by_its_unit() -> None:
    from drafter.search.pg_sql import Viewer
    from tests.pg import fresh_database

    with fresh_database() as url:
        drafter = Drafter(database=url)
        try:
            drafter.ingest([SEEDS], workers=1)
            secret = make_document(
                "甲局2024年工作总结",
                [("工作总结", "summary", [("内部事项", "甲局蓝莓种植基地内部评估情况。")])],
                unit="甲局",
            )
            drafter.corpus.add(secret)
            pool = drafter.corpus.pool  # type: ignore[attr-defined]
            with pool.connection() as conn:
                conn.execute(
                    "UPDATE documents SET owner_unit = '甲局', visibility = 'private' WHERE id = %s",
                    (secret.id,),
                )
            searcher = drafter.searcher()
            assert any(
                h.doc_id == secret.id for h in searcher.search("蓝莓种植基地", 5, viewer=Viewer("甲局"))
            )  # type: ignore[call-arg]
            assert not any(
                h.doc_id == secret.id for h in searcher.search("蓝莓种植基地", 5, viewer=Viewer("乙局"))
            )  # type: ignore[call-arg]
            assert any(h.doc_id == secret.id for h in searcher.search("蓝莓种植基地", 5))
        finally:
            drafter.close()
