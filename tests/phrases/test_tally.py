"""Streaming tallies: documents counted once each, slot fillers for entropy, memory bounded."""

from __future__ import annotations

import pytest

from drafter.models import Example
from drafter.phrases.tally import MAX_BRANCHES, MAX_EXAMPLES, Initiality, Tally, TallyTable


def test_a_key_seen_once_is_not_yet_a_candidate() -> None:
    table: TallyTable[str] = TallyTable()
    table.add("聚焦", 0, "人才")
    assert table.get("聚焦") is None
    table.add("聚焦", 1, "平台")
    tally = table.get("聚焦")
    assert tally is not None
    assert (tally.count, tally.docs) == (2, 2)


def test_documents_are_counted_once_however_often_the_key_recurs_in_them() -> None:
    table: TallyTable[str] = TallyTable()
    for doc, filler in [(0, "人才"), (0, "平台"), (0, "服务"), (1, "人才")]:
        table.add("聚焦", doc, filler)
    tally = table.get("聚焦")
    assert tally is not None
    assert (tally.count, tally.docs) == (4, 2)


def test_examples_come_from_distinct_documents_and_are_few() -> None:
    table: TallyTable[str] = TallyTable()
    for doc in range(6):
        for _ in range(2):
            table.add("聚焦", doc, f"主题{doc}", Example(f"例句{doc}", f"d{doc}"))
    tally = table.get("聚焦")
    assert tally is not None
    assert [e.doc_id for e in tally.examples] == [f"d{i}" for i in range(MAX_EXAMPLES)]


@pytest.mark.parametrize(
    ("fillers", "low", "high"),
    [
        (["人才"] * 8, 0.0, 0.0),  # one continuation: no slot at all
        (["人才", "平台"] * 4, 0.99, 1.01),  # two, evenly: one bit
        ([f"主题{i}" for i in range(8)], 2.99, 3.01),  # eight different: three bits
    ],
)
def test_branching_entropy_measures_how_open_the_slot_is(fillers: list[str], low: float, high: float) -> None:
    tally = Tally()
    tally.branches = {}
    for filler in fillers:
        tally.branches[filler] = tally.branches.get(filler, 0) + 1
    assert low <= tally.entropy() <= high


def test_fillers_beyond_the_kept_ones_still_count_as_distinct() -> None:
    table: TallyTable[str] = TallyTable()
    n = MAX_BRANCHES * 3
    for i in range(n):
        table.add("加强", i, f"主题{i}")
    tally = table.get("加强")
    assert tally is not None
    assert len(tally.branches) == MAX_BRANCHES
    assert tally.distinct() == n
    assert tally.entropy() > 5.0


def test_memory_is_bounded_and_recurring_keys_survive() -> None:
    limit = 100
    table: TallyTable[str] = TallyTable(limit)
    for doc in range(200):
        table.add("聚焦", doc, f"主题{doc}")  # a formula: in every document
        for j in range(20):
            table.add(f"一次性{doc}-{j}", doc, "x")  # noise: never seen again
            table.add(f"两次{doc}-{j}", doc, "x")
            table.add(f"两次{doc}-{j}", doc, "y")
        assert len(table) <= limit
    tally = table.get("聚焦")
    assert tally is not None
    assert tally.docs >= 190  # counted from its second sighting on, never pruned
    assert table.forgotten > 0


def test_initiality_separates_openers_from_nouns() -> None:
    initiality = Initiality()
    initiality.feed(
        [("围绕", "企业", "需求"), ("围绕", "产业", "布局"), ("服务", "企业"), ("支持", "企业", "创新")]
    )
    assert initiality.of("围绕") == 1.0
    assert initiality.of("企业") == 0.0
    assert initiality.of("从未见过") == 1.0
