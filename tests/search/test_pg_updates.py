"""The search tables inside PostgreSQL follow the corpus without a search ever rebuilding them: an added
report is searchable once its upload answers (its postings added, no rebuild), a removed one and one made
private leave every worker's results in the transaction that changed them, a rebuild runs aside while
searches answer from the live tables, and added postings rank as the embedded index ranks its added ones."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from drafter.app import Drafter
from drafter.changes import Actor
from drafter.models import Document
from drafter.search import pg_build
from drafter.search.pg_search import PgSearcher
from drafter.search.pg_sql import Viewer
from drafter.search.pg_tables import TABLES_FORMAT, kept
from tests.builders import make_document
from tests.conftest import SEEDS
from tests.pg import check_search_tables, server_url, with_database

ACTOR = Actor("测试", "127.0.0.1")


def report(title: str, body: str, unit: str = "区农业局") -> Document:
    return make_document(title, [("工作总结", "summary", [("特色农业", body)])], unit=unit)


BLUEBERRY = report("区农业局2024年工作总结", "新建蓝莓种植基地三处，带动农户增收。")


@pytest.fixture(scope="module")
def built_template() -> Iterator[str]:
    """A database holding the sample corpus with its search tables built (copied for each test)."""
    server = server_url()
    name = f"tpl_{int(time.time() * 1000) % 10**9}_{threading.get_ident() % 1000}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = with_database(server, name)
    drafter = Drafter(database=url)
    try:
        drafter.ingest([SEEDS], workers=1)
        assert drafter.update().index == "rebuilt"
    finally:
        drafter.close()
    yield name
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def url(built_template: str) -> Iterator[str]:
    server = server_url()
    name = f"t_{time.monotonic_ns() % 10**12}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {built_template} STRATEGY FILE_COPY")
    yield with_database(server, name)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pair(url: str) -> Iterator[tuple[Drafter, Drafter]]:
    """Two workers on one database: a writer (its searcher made first) and a reader."""
    writer, reader = Drafter(database=url), Drafter(database=url)
    writer.searcher()
    yield writer, reader
    writer.close()
    reader.close()


def builds(drafter: Drafter) -> int:
    searcher = drafter.searcher()
    assert isinstance(searcher, PgSearcher)
    return searcher.builds


def found(drafter: Drafter, doc_id: str, query: str, viewer: Viewer | None = None) -> bool:
    searcher = drafter.searcher()
    assert isinstance(searcher, PgSearcher)
    return any(h.doc_id == doc_id for h in searcher.search(query, 5, viewer=viewer))


def test_an_uploaded_report_is_searchable_when_the_upload_answers_without_a_rebuild(
    pair: tuple[Drafter, Drafter], url: str
) -> None:
    writer, reader = pair
    assert not found(reader, BLUEBERRY.id, "蓝莓种植基地")
    writer.corpus.add(BLUEBERRY)
    assert writer.update_index_now()  # what an upload's request does before it answers
    assert found(reader, BLUEBERRY.id, "蓝莓种植基地")  # another worker, reading the same tables
    assert reader.search("蓝莓种植基地", 1)[0].doc_id == BLUEBERRY.id
    assert builds(writer) == builds(reader) == 0
    assert writer.update().index == "current"  # the background update after it finds nothing left to do
    check_search_tables(url)


def test_a_removed_report_vanishes_at_once_from_every_worker(pair: tuple[Drafter, Drafter], url: str) -> None:
    writer, reader = pair
    top = reader.search("人才引进", 1)[0]
    writer.remove(top.doc_id, ACTOR)  # no update, no search in between
    assert not found(reader, top.doc_id, "人才引进")
    assert not found(writer, top.doc_id, top.text[:30])
    check_search_tables(url)  # its passages and postings went in the removal's own transaction
    assert writer.update().index == "current"
    assert builds(writer) == builds(reader) == 0


def test_a_report_made_private_is_hidden_from_other_units_at_once(
    pair: tuple[Drafter, Drafter], url: str
) -> None:
    writer, reader = pair
    writer.corpus.add(BLUEBERRY)
    writer.update()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE documents SET owner_unit = '乙局' WHERE id = %s", (BLUEBERRY.id,))
    assert found(reader, BLUEBERRY.id, "蓝莓种植基地", Viewer("甲局"))
    writer.set_visibility(BLUEBERRY.id, "private", ACTOR)  # then at once, before any update
    assert not found(reader, BLUEBERRY.id, "蓝莓种植基地", Viewer("甲局"))
    assert found(reader, BLUEBERRY.id, "蓝莓种植基地", Viewer("乙局"))
    assert found(reader, BLUEBERRY.id, "蓝莓种植基地")  # the administrator sees everything
    writer.set_visibility(BLUEBERRY.id, "shared", ACTOR)
    assert found(reader, BLUEBERRY.id, "蓝莓种植基地", Viewer("甲局"))
    check_search_tables(url)
    assert builds(writer) == builds(reader) == 0


def test_a_report_seen_in_one_more_file_lists_it_in_every_workers_hits_at_once(
    pair: tuple[Drafter, Drafter], url: str
) -> None:
    writer, reader = pair
    top = reader.search("人才引进", 1)[0]
    again = "2024年汇编/人才工作总结（印发稿）.docx"
    assert not writer.corpus.add(writer.corpus.get(top.doc_id), again)  # known: only its sources grow
    hit = reader.search("人才引进", 1)[0]  # no update, no search in between
    assert (hit.passage_id, again in hit.other_sources) == (top.passage_id, True)
    check_search_tables(url)
    assert writer.update().index == "current"
    assert builds(writer) == builds(reader) == 0


def test_a_search_finding_the_tables_behind_answers_at_once_and_updates_them_behind(
    pair: tuple[Drafter, Drafter], url: str
) -> None:
    writer, reader = pair
    writer.corpus.add(BLUEBERRY)  # stored, never added to the tables (as an ingest killed before its update)
    assert not found(reader, BLUEBERRY.id, "蓝莓种植基地")  # answered from the tables as they are
    searcher = reader.searcher()
    assert isinstance(searcher, PgSearcher)
    assert searcher.wait(60)
    assert found(reader, BLUEBERRY.id, "蓝莓种植基地")
    assert builds(reader) == 0
    check_search_tables(url)


def test_past_a_tenth_of_the_corpus_an_update_rebuilds_but_an_upload_is_added_first(
    pair: tuple[Drafter, Drafter], url: str
) -> None:
    writer, reader = pair
    many = [report(f"区农业局{i}号工作总结", f"第{i}批蓝莓种植基地建成。\n" * 12) for i in range(4)]
    for doc in many:
        writer.corpus.add(doc)
    assert writer.update_index_now()  # an upload: added even past the share, no rebuild in its request
    assert builds(writer) == 0
    assert found(reader, many[3].id, "第3批蓝莓种植基地")
    assert writer.update().index == "rebuilt"  # the background update then rebuilds aside
    assert builds(writer) == 1
    assert found(reader, many[3].id, "第3批蓝莓种植基地")
    check_search_tables(url)


def test_searches_answer_from_the_live_tables_while_a_rebuild_runs(
    pair: tuple[Drafter, Drafter], url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer, reader = pair
    started, release = threading.Event(), threading.Event()
    real_build = pg_build.SearchIndex.build

    def held_build(*args: Any, **kwargs: Any) -> Any:
        started.set()
        assert release.wait(120)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(pg_build.SearchIndex, "build", held_build)
    searcher = writer.searcher()
    assert isinstance(searcher, PgSearcher)
    outcome: list[str] = []
    rebuild = threading.Thread(target=lambda: outcome.append(searcher.update(rebuild=True)))
    rebuild.start()
    try:
        assert started.wait(60)
        began = time.perf_counter()
        top = reader.search("人才引进", 1)[0]
        assert time.perf_counter() - began < 10  # not queued behind the build
        gone = reader.search("安全生产", 1)[0].doc_id
        reader.remove(gone, ACTOR)
        reader.corpus.add(BLUEBERRY)
        assert reader.update_index_now()
        assert found(reader, BLUEBERRY.id, "蓝莓种植基地")
        assert not found(reader, gone, "安全生产")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("UPDATE documents SET owner_unit = '乙局' WHERE id = %s", (top.doc_id,))
        reader.set_visibility(top.doc_id, "private", ACTOR)
        assert not found(reader, top.doc_id, "人才引进", Viewer("甲局"))
    finally:
        release.set()
        rebuild.join(120)
    assert outcome == ["rebuilt"]
    # the new tables caught up with what changed while they were built
    assert found(writer, BLUEBERRY.id, "蓝莓种植基地")
    assert not found(writer, gone, "安全生产")
    assert not found(writer, top.doc_id, "人才引进", Viewer("甲局"))
    assert found(writer, top.doc_id, "人才引进", Viewer("乙局"))
    check_search_tables(url)


def test_a_word_in_many_added_passages_keeps_the_cut_a_rebuild_gives_it(
    pair: tuple[Drafter, Drafter], url: str
) -> None:
    writer, reader = pair
    body = "\n".join(f"第{i}号蓝莓园{'新建' * (i % 7)}采摘步道{i % 13}条，带动农户增收。" for i in range(320))
    brief = report("区农业局蓝莓产业简报", body)
    writer.corpus.add(brief)

    def impact() -> tuple[int, int, int]:
        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM search_impact i JOIN search_terms t USING (tid) WHERE t.term = "
                "'#蓝莓'), (SELECT count(*) FROM search_rest i JOIN search_terms t USING (tid) WHERE t.term = "
                "'#蓝莓'), (SELECT passages FROM search_state)"
            ).fetchone()
            assert row is not None
            return int(row[0]), int(row[1]), int(row[2])

    assert writer.update_index_now()  # a word the tables never saw, in more passages than a term keeps
    held, rest, passages = impact()
    assert (held, held + rest) == (kept(passages), 320)  # a search reads no more than after a rebuild
    check_search_tables(url)  # and every posting lighter than the cut went to search_rest
    assert found(reader, brief.id, "蓝莓园采摘步道")
    assert writer.update().index == "rebuilt"  # past the share added since the build
    assert impact() == (held, rest, passages)


def test_tables_of_an_earlier_layout_answer_while_rebuilt_behind(
    pair: tuple[Drafter, Drafter], url: str
) -> None:
    _writer, reader = pair
    before = reader.search("人才引进", 5)
    with psycopg.connect(url, autocommit=True) as conn:  # as a version that stored no frames left them
        conn.execute("ALTER TABLE search_passages DROP COLUMN frame, DROP COLUMN head, DROP COLUMN tail")
        conn.execute(
            "UPDATE search_state SET fingerprint = replace(fingerprint, %s, 'pg3')", (TABLES_FORMAT,)
        )
    assert reader.search("人才引进", 5) == before  # answered from them, frames computed per hit
    searcher = reader.searcher()
    assert isinstance(searcher, PgSearcher)
    assert searcher.wait(120)
    assert builds(reader) == 1
    assert reader.search("人才引进", 5) == before
    check_search_tables(url)


def test_added_postings_rank_as_the_embedded_index_ranks_its_added_passages(tmp_path: Path, url: str) -> None:
    embedded = Drafter(tmp_path / "corpus.sqlite3")
    database = Drafter(database=url)
    try:
        embedded.ingest([SEEDS], workers=1)
        embedded.search("人才", 1)  # built
        added = [
            BLUEBERRY,
            report(
                "区科技局2024年人才工作总结",
                "引进高层次人才十二名，新建院士工作站一家。\n人才引进政策兑现资金三百万元。",
            ),
        ]
        for drafter in (embedded, database):
            for doc in added:
                drafter.corpus.add(doc)
            assert drafter.update().index == "added"
        for query in ("蓝莓种植基地", "人才引进", "院士工作站", "农户增收", "科技创新 企业培育"):
            assert database.search(query, 5) == embedded.search(query, 5), query
        assert builds(database) == 0
    finally:
        database.close()
        embedded.close()
