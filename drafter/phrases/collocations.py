"""Verb–object collocations: which verbs the corpus puts before which objects (加强 + 党的建设).

Every heading's first clause and every body clause is read as a verb (its first word) and an object (the
rest). Two keys are counted per pair: the whole object as written (``党的建设``) and its last word, the head
noun (``建设``), weaker evidence used when the exact object never occurs. Only first words that mostly
open clauses count as verbs (``Initiality``, as for heading openers), so nouns (企业, 科技) never do.
Drafting chooses a heading's verb from these counts and never pairs a verb with an object the corpus gives
no evidence for. Memory is bounded: pairs seen once are dropped whenever the table fills up.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Literal

from drafter.models import Collocation
from drafter.phrases.tally import Initiality
from drafter.phrases.units import Units, clip, is_fixed_part

VERB_INITIAL = 0.15
"""A verb opens at least this share of the clauses it occurs in (加强, 推进: most; 企业: almost never)."""
MAX_OBJECT = 12
"""Longest object (characters) counted whole; longer ones count only by their head word."""
MAX_OBJECT_WORDS = 6
TABLE_LIMIT = 200_000
ADVERB_SHARE = 0.4
"""A first word followed by another verb this often is an adverb (积极, 大力, 深入), not a heading's verb."""
MAX_NEXT = 32
GLUED_SHARE = 0.6
"""A first word followed by one same word this often is half of a longer verb (全力以赴 + 抓好)."""
NEXT_VERB = 0.1
"""A following word that opens at least this share of its clauses counts as a verb for the adverb test."""
KEEP = 6000
"""Most collocations kept in the bank (best attested first)."""


@dataclass
class _Pair:
    count: int = 0
    docs: int = 0
    last_doc: int = -1
    headings: int = 0
    example: str = ""


def _kind(kind: str) -> Literal["object", "head"]:
    return "object" if kind == "object" else "head"


class CollocationMiner:
    """Counts (verb, object) and (verb, head word) pairs over a stream of documents."""

    def __init__(self, limit: int = TABLE_LIMIT) -> None:
        self.limit = limit
        self.pairs: dict[tuple[str, str, str], _Pair] = {}
        self.next_words: dict[str, dict[str, int]] = {}

    def feed(self, units: Units, doc_index: int) -> None:
        """Count the pairs of one document's headings and clauses."""
        for heading in units.headings:
            self._add(heading.first_clause, doc_index, heading.text, in_heading=True)
        for clause in units.clauses:
            self._add(clause.words, doc_index, clause.text, in_heading=False)

    def _add(self, words: tuple[str, ...], doc_index: int, text: str, *, in_heading: bool) -> None:
        if len(words) < 2 or len(words) > MAX_OBJECT_WORDS + 1:
            return
        verb, rest = words[0], words[1:]
        if len(verb) < 2 or not is_fixed_part((verb,)) or not is_fixed_part(rest[-1:]):
            return
        following = self.next_words.setdefault(verb, {})
        if rest[0] in following or len(following) < MAX_NEXT:
            following[rest[0]] = following.get(rest[0], 0) + 1
        obj = "".join(rest)
        keys = [(verb, rest[-1], "head")]
        if len(obj) <= MAX_OBJECT and is_fixed_part(rest):
            keys.append((verb, obj, "object"))
        for key in keys:
            pair = self.pairs.get(key)
            if pair is None:
                if len(self.pairs) >= self.limit:
                    self._prune()
                pair = self.pairs[key] = _Pair(example=clip(text, 40))
            pair.count += 1
            pair.headings += in_heading
            if pair.last_doc != doc_index:
                pair.docs += 1
                pair.last_doc = doc_index

    def _prune(self) -> None:
        self.pairs = {k: p for k, p in self.pairs.items() if p.count > 1}
        if len(self.pairs) >= self.limit:
            ranked = sorted(self.pairs.items(), key=lambda kv: (kv[1].docs, kv[1].count), reverse=True)
            self.pairs = dict(ranked[: self.limit // 2])

    def collocations(self, initiality: Initiality) -> list[Collocation]:
        """The pairs whose first word is a verb, best attested first (at most ``KEEP``)."""
        adverbs = {v for v in self.next_words if self._adverb(v, initiality)}
        # Ranked on plain tuples, and only the kept ones made into Collocations (most pairs were seen once).
        ranked = heapq.nsmallest(
            KEEP,
            (
                (-(p.docs + p.headings), -p.count, verb, obj, _kind(kind), p)
                for (verb, obj, kind), p in self.pairs.items()
                if initiality.of(verb) >= VERB_INITIAL
                and verb not in adverbs
                and (kind == "object" or len(obj) >= 2)
            ),
            key=lambda row: row[:5],
        )
        return [
            Collocation(verb, obj, kind, p.count, p.docs, p.headings, p.example)
            for _, _, verb, obj, kind, p in ranked
        ]

    def _adverb(self, verb: str, initiality: Initiality) -> bool:
        following = self.next_words.get(verb, {})
        total = sum(following.values())
        verbs = sum(
            n for word, n in following.items() if len(word) >= 2 and initiality.of(word) >= VERB_INITIAL
        )
        # 全力以赴 is always followed by 抓好: the verb is the two together, not the first word alone.
        top, most = max(following.items(), key=lambda kv: kv[1], default=("", 0))
        glued = (
            most >= 2 and most / total >= GLUED_SHARE and len(top) >= 2 and initiality.of(top) >= NEXT_VERB
        )
        return total > 0 and (verbs / total > ADVERB_SHARE or glued)
