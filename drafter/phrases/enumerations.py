"""Enumerations: 一是{X}；二是{Y}；… and their kin, found by regex on the raw text.

jieba keeps ``一是`` whole only with its HMM on, so the markers are matched before any tokenising. A run
is a sequence of markers of one kind numbered 一, 二, 三 … in order (a new 一 starts a new run); the
character before the second marker tells how items are separated (。 for sentences, ； for clauses).
Kinds: ``一是`` (the commonest), ``一要`` (plans), and ``第一，``.
"""

from __future__ import annotations

import re

from drafter.models import Example
from drafter.phrases.patterns import Candidate, score
from drafter.phrases.tally import Initiality, TallyTable
from drafter.phrases.units import Units, clip

NUMERALS = "一二三四五六七八九十"
RE_MARK = re.compile(
    r"(?:^|(?<=[。；;：:！？\s]))(?:([一二三四五六七八九十])(是|要)|第([一二三四五六七八九十])[，,、])"
)
RE_ITEM_END = re.compile(r"[。；;\n]")


def runs(text: str) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """The enumerations in ``text``: (kind, separator, [(start, end) of each item]), in order."""
    found: list[tuple[str, str, list[tuple[int, int]]]] = []
    kind, expected = "", 0
    items: list[tuple[int, int]] = []
    for match in RE_MARK.finditer(text):
        numeral = match.group(1) or match.group(3)
        this_kind = match.group(2) or "第"
        ordinal = NUMERALS.index(numeral) + 1
        if ordinal == 1:
            if len(items) >= 2:
                found.append((kind, _separator(text, items[1][0]), items))
            kind, expected, items = this_kind, 2, [(match.start(), match.end())]
        elif this_kind == kind and ordinal == expected:
            items.append((match.start(), match.end()))
            expected += 1
        else:
            if len(items) >= 2:
                found.append((kind, _separator(text, items[1][0]), items))
            kind, expected, items = "", 0, []
    if len(items) >= 2:
        found.append((kind, _separator(text, items[1][0]), items))
    return found


def _separator(text: str, second_start: int) -> str:
    before = text[:second_start].rstrip()
    return "；" if before.endswith(("；", ";")) else "。"


def enumeration_pattern(kind: str, separator: str) -> str:
    """``一是{X}；二是{Y}；……`` or ``第一，{X}。第二，{Y}。……``."""
    if kind == "第":
        return f"第一，{{X}}{separator}第二，{{Y}}{separator}……"
    return f"一{kind}{{X}}{separator}二{kind}{{Y}}{separator}……"


class EnumerationMiner:
    """Counts enumeration runs over a stream of documents."""

    def __init__(self) -> None:
        self.table: TallyTable[tuple[str, str]] = TallyTable(1_000)

    def feed(self, units: Units, doc_index: int) -> None:
        """Count the enumeration runs of one document."""
        text = "\n".join(paragraph for paragraph, _ in units.paragraphs)
        for kind, separator, items in runs(text):
            first = items[0][0]
            second_end = RE_ITEM_END.search(text, items[1][1])
            example_end = second_end.end() if second_end else len(text)
            example = Example(clip(text[first:example_end].replace("\n", ""), 120), units.doc_id, units.title)
            self.table.add((kind, separator), doc_index, str(len(items)), example)

    def candidates(self, min_docs: int, initiality: Initiality | None = None) -> list[Candidate]:
        """Enumeration kinds seen in at least ``min_docs`` documents."""
        return [
            Candidate(
                category="enumeration",
                pattern=enumeration_pattern(*key),
                count=tally.count,
                docs=tally.docs,
                score=score(tally, use_entropy=False),
                examples=tuple(tally.examples),
                family=key[0],
                key=repr(key),
            )
            for key, tally in self.table.items()
            if tally.docs >= min_docs
        ]
