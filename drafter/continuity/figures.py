"""The figures last year's report states: one row per indicator, with its unit, time basis, hedge and 其中.

``stated_figures`` reads the sentences of the summary part (and of 存在问题, which often quantifies), turns
each quantity into a ``Stated`` row, gives it the time basis and the hedge its sentence opens with
(``截至目前，…``, ``预计…``), makes a 其中 row a breakdown of the row before, and merges an indicator
stated twice with the same value into one row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from drafter.continuity.labels import shared_verb
from drafter.continuity.mentions import Mention, find_mentions
from drafter.continuity.parts import Sentence
from drafter.text.quantities import scale_of

RE_BASIS = re.compile(
    r"(?:截至|截止)(?:目前|今年|本年|年底|年末|上半年|月底|月末|\d{1,2}月(?:份|底|末)?|(?:\d{4}|20[xX]{2})年\d{1,2}月(?:底|末)?)+"
    r"|今年以来|年初以来|上半年|前三季度|全年"
    r"|\d{1,2}\s*[-—–~至]\s*\d{1,2}\s*月份?|\d{4}年\d{1,2}[-—–~至]\d{1,2}月份?"
    r"|(?<![\d年])年底|(?<![\d年])目前"
)
RE_SENTENCE_HEDGE = re.compile(r"^(?:[^，]{0,12}?)(初步预测|初步统计|预计|据统计)")
RE_LIST_END = re.compile(r"[；。]")
RE_PAREN_END = re.compile(r"[）)；。]")
"""What closes a 其中 list: the end of its sentence or clause, or the bracket it was opened in."""
BASIS_REACH = 16
"""How far into a sentence a time basis may stand and still cover its figures."""


@dataclass(frozen=True)
class Stated:
    """A figure (or target) as last year's report states it.

    ``value`` ``None``: only a change is stated (``growth``). ``section`` is the index of the outline
    section it was read in (-1 before any); ``sentence`` the sentence it was read from (for the writer).
    """

    label: str
    value: float | None
    unit: str
    growth: str | None = None
    previous: float | None = None
    basis: str | None = None
    hedge: str | None = None
    parent: str | None = None
    written: str | None = None
    section: int = -1
    sentence: str = ""


def stated_figures(sentences: Iterable[Sentence]) -> list[Stated]:
    """The figures of the summary and problems sentences, one row per indicator and value."""
    rows: list[Stated] = []
    carried: str | None = None  # a basis opening a sentence holds over its clauses after a semicolon
    continued = False  # the sentence goes on after a semicolon: a 新增… verb may be shared across it
    for sentence in sentences:
        if sentence.part not in {"summary", "problems"}:
            continue
        found = rows_of_sentence(sentence, rows[-1] if rows else None)
        if carried and not RE_BASIS.search(sentence.text[:BASIS_REACH]):
            found = [replace(row, basis=row.basis or carried) for row in found]
        if continued and rows and found and found[0].value is not None and found[0].parent is None:
            found[0] = replace(found[0], label=shared_verb(rows[-1].label, found[0].label))
        basis_match = RE_BASIS.search(sentence.text[:BASIS_REACH])
        continued = sentence.text.endswith("；")
        carried = (basis_match.group(0) if basis_match else carried) if continued else None
        rows.extend(found)
    return merge_repeats(rows)


def rows_of_sentence(sentence: Sentence, before: Stated | None) -> list[Stated]:
    """The rows of one sentence: its mentions with the sentence's basis and hedge, 其中 made a breakdown."""
    mentions = find_mentions(sentence.text)
    basis_match = RE_BASIS.search(sentence.text[:BASIS_REACH])
    basis = basis_match.group(0) if basis_match else None
    hedge_match = RE_SENTENCE_HEDGE.search(sentence.text)
    sentence_hedge = hedge_match.group(1) if hedge_match else None
    out: list[Stated] = []
    parent: str | None = None
    closer = RE_LIST_END
    end = 0
    for mention in mentions:
        if mention.breakdown:
            head = out[-1] if out else before
            parent = parent or (head.label if head else None)
            text = sentence.text[: mention.start]
            closer = (
                RE_PAREN_END
                if text.count("（") + text.count("(") > text.count("）") + text.count(")")
                else RE_LIST_END
            )
        elif closer.search(sentence.text, end, mention.start):
            parent = None  # the 其中 list ended (…（其中1家…），新认定2家…)
        end = mention.end
        hedge = _join_hedges(sentence_hedge if mention.start >= _end(hedge_match) else None, mention)
        out.append(
            Stated(
                label=mention.label,
                value=mention.value,
                unit=mention.unit,
                growth=mention.growth,
                previous=mention.previous,
                basis=basis,
                hedge=hedge,
                parent=parent,
                written=mention.written,
                section=sentence.section,
                sentence=sentence.text,
            )
        )
    return out


def _end(match: re.Match[str] | None) -> int:
    return match.end() if match else 1 << 30


def _join_hedges(sentence_hedge: str | None, mention: Mention) -> str | None:
    words = [w for w in (sentence_hedge, mention.hedge) if w]
    return " ".join(words) or None


def same_amount(a: Stated, b: Stated) -> bool:
    """True when two rows state the same quantity (``1.2万人`` = ``12000人``; a change alone by its rate)."""
    if a.value is None or b.value is None:
        return a.value is None and b.value is None and a.growth == b.growth and a.unit == b.unit
    scale_a, base_a = scale_of(a.unit)
    scale_b, base_b = scale_of(b.unit)
    return base_a == base_b and abs(a.value * scale_a - b.value * scale_b) < 1e-9 * max(1.0, abs(a.value))


def same_indicator(a: str, b: str) -> bool:
    """True when two labels name one indicator: one holds the other, or they share most character pairs."""
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return bigram_dice(a, b) >= 0.5


def bigram_dice(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two labels (0 … 1)."""
    pairs_a = {a[i : i + 2] for i in range(len(a) - 1)}
    pairs_b = {b[i : i + 2] for i in range(len(b) - 1)}
    if not pairs_a or not pairs_b:
        return 0.0
    return 2 * len(pairs_a & pairs_b) / (len(pairs_a) + len(pairs_b))


def merge_repeats(rows: list[Stated]) -> list[Stated]:
    """One row per indicator and value: a repeat keeps the first row and adds what it lacked."""
    out: list[Stated] = []
    for row in rows:
        twin = next(
            (
                i
                for i, kept in enumerate(out)
                if same_amount(kept, row) and same_indicator(kept.label, row.label)
            ),
            None,
        )
        if twin is None:
            out.append(row)
            continue
        kept = out[twin]
        out[twin] = replace(
            kept,
            growth=kept.growth or row.growth,
            previous=kept.previous if kept.previous is not None else row.previous,
            basis=kept.basis or row.basis,
            parent=kept.parent or row.parent,
        )
    return out
