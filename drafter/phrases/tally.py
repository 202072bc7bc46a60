"""Streaming counts of formula candidates in bounded memory.

A ``Tally`` holds what ranking needs for one candidate: occurrences, distinct documents (documents
arrive one at a time, so remembering the last one suffices), the continuations that filled its slot
(for branching entropy; at most ``MAX_BRANCHES`` kept, the rest counted as new ones), a few shape and
position counters, and up to ``MAX_EXAMPLES`` example sentences from distinct documents.
A ``TallyTable`` keeps candidates seen once as small records and at most ``limit`` of each kind, in
the spirit of lossy counting: formulas recur across documents, so they survive; one-off strings, which
are most candidates of a large corpus, are forgotten.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence
from itertools import chain
from typing import Generic, TypeVar

from drafter.models import Example

MAX_BRANCHES = 16

K = TypeVar("K", bound=Hashable)
MAX_EXAMPLES = 3


class Tally:
    """Counts for one candidate pattern."""

    __slots__ = ("branches", "count", "docs", "examples", "flags", "last_doc", "spill")

    def __init__(self) -> None:
        self.count = 0
        self.docs = 0
        self.last_doc = -1
        self.branches: dict[str, int] = {}
        self.spill = 0
        self.flags: dict[str, int] = {}
        self.examples: list[Example] = []

    def entropy(self) -> float:
        """Branching entropy (bits) of the slot's fillers; overflowed fillers count as distinct."""
        total = sum(self.branches.values()) + self.spill
        if total == 0:
            return 0.0
        h = -sum(n / total * math.log2(n / total) for n in self.branches.values())
        if self.spill:
            h += self.spill / total * math.log2(total)
        return h

    def distinct(self) -> int:
        """How many different fillers were seen (overflow counted as distinct)."""
        return len(self.branches) + self.spill

    def share(self, flag: str) -> float:
        """The share of occurrences that carried ``flag``."""
        return self.flags.get(flag, 0) / self.count if self.count else 0.0


class TallyTable(Generic[K]):
    """Candidates keyed by their fixed parts, in bounded memory.

    A key seen once is only a small record (most keys of a large corpus are seen once); its second
    sighting makes it a ``Tally``. At most ``limit`` once-seen records are kept: when full they are all
    forgotten, so a candidate must recur within a window of documents to be counted at all. At most
    ``limit`` tallies are kept: when full the weaker half (fewest documents, then occurrences) goes.
    """

    def __init__(self, limit: int = 60_000) -> None:
        self.limit = limit
        self._tallies: dict[K, Tally] = {}
        self._once: dict[K, tuple[int, str, Example | None, tuple[str, ...]]] = {}
        self.forgotten = 0

    def __len__(self) -> int:
        return len(self._tallies)

    def add(
        self,
        key: K,
        doc_index: int,
        branch: str,
        example: Example | None = None,
        flags: tuple[str, ...] = (),
    ) -> None:
        """Count one occurrence of ``key`` in document ``doc_index`` with slot filler ``branch``."""
        self.add_all(((key, branch),), doc_index, example, flags)

    def add_all(
        self,
        keyed: Iterable[tuple[K, str]],
        doc_index: int,
        example: Example | None = None,
        flags: tuple[str, ...] = (),
    ) -> None:
        """``add`` of every (key, slot filler) of ``keyed`` in turn, all with ``example`` and ``flags``."""
        tallies, once = self._tallies, self._once
        for key, branch in keyed:
            tally = tallies.get(key)
            if tally is None:
                first = once.pop(key, None)
                if first is None:
                    if len(once) >= self.limit:
                        self.forgotten += len(once)
                        once.clear()
                    once[key] = (doc_index, branch, example, flags)
                    continue
                if len(tallies) >= self.limit:
                    self._prune()
                    tallies = self._tallies
                tally = tallies[key] = Tally()
                _count(tally, *first)
            _count(tally, doc_index, branch, example, flags)

    def seen(self) -> Iterator[tuple[K, int, int, list[Example]]]:
        """Every key still held, seen once or more: (key, occurrences, documents, examples)."""
        for key, (_, _, example, _) in self._once.items():
            yield key, 1, 1, [example] if example is not None else []
        for key, tally in self._tallies.items():
            yield key, tally.count, tally.docs, tally.examples

    def get(self, key: K) -> Tally | None:
        """The tally of ``key`` if it was seen at least twice (and not forgotten), else ``None``."""
        return self._tallies.get(key)

    def items(self) -> Iterator[tuple[K, Tally]]:
        """Every (key, tally) of a candidate seen at least twice and still held."""
        return iter(self._tallies.items())

    def _prune(self) -> None:
        ranked = sorted(self._tallies.items(), key=lambda kv: (kv[1].docs, kv[1].count), reverse=True)
        keep = ranked[: self.limit // 2]
        self.forgotten += len(ranked) - len(keep)
        self._tallies = dict(keep)


def _count(
    tally: Tally, doc_index: int, branch: str, example: Example | None, flags: tuple[str, ...]
) -> None:
    tally.count += 1
    new_doc = tally.last_doc != doc_index
    if new_doc:
        tally.docs += 1
        tally.last_doc = doc_index
    branches = tally.branches
    if branch in branches or len(branches) < MAX_BRANCHES:
        branches[branch] = branches.get(branch, 0) + 1
    else:
        tally.spill += 1
    for flag in flags:
        tally.flags[flag] = tally.flags.get(flag, 0) + 1
    if example is not None and new_doc and len(tally.examples) < MAX_EXAMPLES:
        tally.examples.append(example)


class Initiality:
    """How often each word opens a clause or heading, against how often it occurs at all.

    Formula openers (围绕, 着力, 切实, 全力以赴) mostly open clauses; nouns (企业, 科技, 市级) mostly do
    not. The counts grow with the vocabulary, not the corpus.
    """

    def __init__(self) -> None:
        self._initial: Counter[str] = Counter()
        self._total: Counter[str] = Counter()

    def feed(self, clauses: Iterable[Sequence[str]]) -> None:
        """Count the words of ``clauses`` (each a sequence of words)."""
        said = [words for words in clauses if words]
        self._initial.update(words[0] for words in said)
        self._total.update(chain.from_iterable(said))  # counted in C, not word by word

    def of(self, word: str) -> float:
        """The share of ``word``'s occurrences that open a clause (1.0 for a word never seen)."""
        total = self._total.get(word, 0)
        return self._initial.get(word, 0) / total if total else 1.0
