"""Who sees which stored document: a unit's private reports stay in its scope, in the store and in search."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from drafter.app import Drafter
from drafter.corpus.opening import open_corpus
from drafter.errors import NotFoundError
from drafter.models import Document, SearchFilters
from drafter.scopes import EVERYTHING, Owner, Scope
from tests.builders import make_document

TEP = "选派科技特派员{n}名深入各乡镇，实现涉农行政村“一对一”服务全覆盖，帮助农户增收。"


def report(unit: str, n: int, *, owner: str, visibility: str = "shared", body: str = TEP) -> Document:
    doc = make_document(
        f"{unit}{2000 + n}年工作总结",
        [("工作总结", "summary", [("科技特派员", body.format(n=n))])],
        unit=unit,
        year=2000 + n,
    )
    return dataclasses.replace(doc, owner_unit=owner, visibility=visibility)  # type: ignore[arg-type]


@pytest.fixture
def drafter(tmp_path: Path) -> Iterator[Drafter]:
    core = Drafter(tmp_path / "corpus.sqlite3", seed=False)
    yield core
    core.close()


def test_a_corpus_of_the_second_format_opens_with_everything_shared(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    doc = report("青溪区科技局", 1, owner="")
    with open_corpus(path) as corpus:
        corpus.add(doc)
    with sqlite3.connect(path) as conn:  # what Drafter wrote before scopes: no owner, no visibility
        conn.execute("ALTER TABLE documents DROP COLUMN owner_unit")
        conn.execute("ALTER TABLE documents DROP COLUMN visibility")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with open_corpus(path) as corpus:
        (summary,) = corpus.summaries(Scope("某单位"))
        assert (summary.owner_unit, summary.visibility) == ("", "shared")
        assert corpus.get(doc.id, Scope("某单位")).text == doc.text
        assert corpus.get(doc.id).passages == doc.passages


def test_a_private_document_is_invisible_outside_its_unit_in_the_store(drafter: Drafter) -> None:
    mine = report("甲局", 1, owner="甲局", visibility="private")
    theirs = report("乙局", 2, owner="乙局", visibility="private")
    common = report("丙局", 3, owner="")
    for doc in (mine, theirs, common):
        drafter.corpus.add(doc)
    a = Scope("甲局")
    assert {s.id for s in drafter.corpus.summaries(a)} == {mine.id, common.id}
    assert {s.id for s in drafter.corpus.summaries(EVERYTHING)} == {mine.id, theirs.id, common.id}
    assert {d.id for d, _ in drafter.corpus.documents_with_sources(a)} == {mine.id, common.id}
    assert {p.doc_id for p, _ in drafter.corpus.passages_with_titles(a)} == {mine.id, common.id}
    with pytest.raises(NotFoundError, match="没有编号"):
        drafter.corpus.get(theirs.id, a)
    with pytest.raises(NotFoundError, match="没有编号"):  # a prefix does not reveal it either
        drafter.corpus.get(theirs.id[:8], a)
    assert drafter.corpus.get(theirs.id).id == theirs.id


def test_search_ranks_within_the_scope_instead_of_filtering_a_top_k(drafter: Drafter) -> None:
    # B's private reports match the query better than the one shared report A may see; a search that cut
    # the top k first and filtered after would leave A with nothing.
    for n in range(20):
        drafter.corpus.add(report("乙局", n + 10, owner="乙局", visibility="private"))
    shared = report("丙局", 5, owner="丙局", body="科技特派员下乡开展技术培训{n}场。")
    drafter.corpus.add(shared)
    query = "科技特派员一对一服务涉农行政村"
    everything = drafter.search(query, 1, SearchFilters())
    assert everything[0].unit == "乙局"
    hits = drafter.search(query, 1, SearchFilters(scope=Scope("甲局")))
    assert [h.doc_id for h in hits] == [shared.id]
    own = drafter.search(query, 1, SearchFilters(scope=Scope("乙局")))
    assert own[0].unit == "乙局"


def test_making_a_document_private_hides_it_from_the_next_search(drafter: Drafter) -> None:
    doc = report("乙局", 1, owner="乙局")
    drafter.corpus.add(doc)
    a = SearchFilters(scope=Scope("甲局"))
    assert drafter.search("科技特派员", 5, a)
    drafter.corpus.set_visibility(doc.id, "private")
    assert drafter.search("科技特派员", 5, a) == []
    assert drafter.search("科技特派员", 5, SearchFilters(scope=Scope("乙局")))


def test_uploading_a_text_another_unit_holds_privately_never_reveals_it(
    drafter: Drafter, tmp_path: Path
) -> None:
    secret = "独创“蓝鲸计划”扶持科技型企业"
    path = tmp_path / "乙局2024.txt"
    path.write_text(
        f"青溪区乙局2024年工作总结\n一、主要工作\n（一）科技企业培育\n聚焦科技企业培育，{secret}。\n",
        encoding="utf-8",
    )
    first = drafter.ingest([path], owner=Owner("乙局", "private"))
    assert (first.documents_added, first.documents_seen) == (1, 0)
    mine = drafter.ingest([path], owner=Owner("甲局", "private"))
    assert (mine.documents_added, mine.documents_seen) == (1, 0)  # not "already stored": that would tell
    hits = drafter.search("蓝鲸计划", 5, SearchFilters(scope=Scope("甲局")))
    assert hits
    assert secret in hits[0].text
    (own,) = [s for s in drafter.corpus.summaries(Scope("甲局")) if s.title.startswith("青溪区乙局")]
    assert (own.owner_unit, own.visibility) == ("甲局", "private")
    theirs = [s for s in drafter.corpus.summaries(Scope("乙局")) if s.title.startswith("青溪区乙局")]
    assert [(s.owner_unit, s.visibility) for s in theirs] == [("乙局", "private")]
    again = drafter.ingest([path], owner=Owner("甲局", "private"))
    assert (again.documents_added, again.documents_seen) == (0, 1)  # its own copy is already there
    assert len(drafter.corpus.summaries(EVERYTHING)) == 2
