"""Enumerations: 一是…二是… runs found by regex, with the separator the writer used."""

from __future__ import annotations

import pytest

from drafter.phrases.enumerations import enumeration_pattern, runs
from tests.mining_builders import mined, report


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("一是开展调研。二是健全机制。三是加强联动。", [("是", "。", 3)]),
        ("一是优化服务；二是加强应用；三是强化监管。", [("是", "；", 3)]),
        ("一要抓好统筹。二要压实责任。", [("要", "。", 2)]),
        ("第一，提高认识。第二，落实责任。", [("第", "。", 2)]),
        ("一是开展调研。三是加强联动。", []),  # not in order: no run
        ("一是开展调研。", []),  # one item is no enumeration
        ("一是甲。二是乙。一是丙。二是丁。三是戊。", [("是", "。", 2), ("是", "。", 3)]),
        ("这一是重点。", []),  # 一是 inside a word run, not at a clause start
    ],
)
def test_runs(text: str, found: list[tuple[str, str, int]]) -> None:
    assert [(kind, sep, len(items)) for kind, sep, items in runs(text)] == found


def test_patterns_show_the_separator() -> None:
    assert enumeration_pattern("是", "；") == "一是{X}；二是{Y}；……"
    assert enumeration_pattern("第", "。") == "第一，{X}。第二，{Y}。……"


def test_items_in_separate_paragraphs_are_one_run_across_reports() -> None:
    docs = [
        report(f"总结{i}", [("工作总结", "summary", [("推进企业培育", "一是开展调研。\n二是健全机制。")])])
        for i in range(2)
    ]
    (phrase,) = mined(docs).by_category("enumeration")
    assert phrase.pattern == "一是{X}。二是{Y}。……"
    assert (phrase.count, phrase.docs) == (2, 2)
    assert [(e.text, e.doc_id) for e in phrase.examples] == [
        ("一是开展调研。二是健全机制。", doc.id) for doc in docs
    ]
