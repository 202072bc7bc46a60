"""What every miner shares: a mined candidate, its score, and the open-slot test.

A candidate becomes a formula when (METHODS.md §2) it recurs across documents, recurs often, and its
slot is open: many different continuations fill it. The score is

    docs × log2(1 + count) × min(H, H_CAP)

with ``H`` the branching entropy (bits) of the slot fillers. Document frequency comes first because a
formula is what *many writers* use, not what one report repeats; the log damps sheer repetition; the
entropy rewards an open slot and sinks fixed collocations that only look like prefixes. ``H`` is capped
so that a very common word with thousands of continuations does not outrank a real frame.
A candidate is *closed* (its slot really starts where the pattern says) unless one word dominates the
slot's edge: ``全力以赴{X}`` is followed by 抓好 five times in six, so ``全力以赴抓好{X}`` is the formula.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from drafter.models import Example, Phrase, PhraseCategory
from drafter.phrases.tally import Tally
from drafter.text.chars import RE_CJK

H_CAP = 3.0
SPECIFICITY_STEP = 0.1
SPECIFICITY_CAP = 1.5
RE_SLOT = re.compile(r"\{[XYN]\}")
EDGE_DOMINANCE = 0.75
MIN_DISTINCT = 2


@dataclass(frozen=True)
class Candidate:
    """A pattern ready to become a ``Phrase`` once ranked."""

    category: PhraseCategory
    pattern: str
    count: int
    docs: int
    score: float
    examples: tuple[Example, ...]
    family: str | None = None
    label: str | None = None
    unit: str | None = None
    key: str = ""
    """Its miner's table key (``repr``): how ``drafter.phrases.increment`` finds it in added documents."""

    def phrase(self) -> Phrase:
        """The ``Phrase`` of this candidate (source ``mined``)."""
        return Phrase(
            category=self.category,
            pattern=self.pattern,
            count=self.count,
            docs=self.docs,
            examples=self.examples,
            source="mined",
            score=self.score,
            family=self.family,
            label=self.label,
            unit=self.unit,
        )


def score(tally: Tally, *, use_entropy: bool = True) -> float:
    """docs × log2(1 + count) × min(entropy, H_CAP) (entropy left out for fixed phrases)."""
    base = tally.docs * math.log2(1 + tally.count)
    return base * min(tally.entropy(), H_CAP) if use_entropy else base * H_CAP


def edge_share(branches: Iterable[tuple[str, int]], *, last: bool) -> float:
    """The share of the commonest first (or last) word among slot fillers written as ``w1 w2 …``."""
    edges: Counter[str] = Counter()
    total = 0
    for filler, n in branches:
        words = filler.split(" ")
        edges[words[-1] if last else words[0]] += n
        total += n
    return max(edges.values()) / total if total else 0.0


def is_open(tally: Tally, *, left: bool = False, right: bool = False) -> bool:
    """True when the slot takes ≥ 2 distinct fillers and no word dominates the requested edge(s).

    ``left`` checks the filler's first word (the slot follows a fixed prefix), ``right`` its last word
    (the slot precedes a fixed suffix). Overflowed fillers are distinct, so they dilute dominance.
    """
    if tally.distinct() < MIN_DISTINCT:
        return False
    spill = tally.spill
    items = list(tally.branches.items())
    total = sum(n for _, n in items) + spill
    for check, last in ((left, False), (right, True)):
        if not check:
            continue
        share = edge_share(items, last=last) * (total - spill) / total
        if share >= EDGE_DOMINANCE:
            return False
    return True


def specificity(pattern: str) -> float:
    """1.0 for a two-character fixed part, up to 1.5 for longer ones: more of the phrasing is given."""
    fixed = len(RE_CJK.findall(RE_SLOT.sub("", pattern)))
    return min(SPECIFICITY_CAP, max(1.0, 1.0 + SPECIFICITY_STEP * (fixed - 2)))


def render(fixed: Iterable[str]) -> str:
    """Words of a fixed part joined as written (Chinese has no spaces)."""
    return "".join(fixed)
