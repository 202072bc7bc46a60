"""From an index's scores to the hits a writer sees: the best distinct passages, each with what it shows.

Only the passages returned are read: their frames and copy prints come prepared with the index
(``drafter.search.prepared``), identical texts are found through their group (sorted once), near-copies are
compared only when they share a beginning or an end, and each hit is rated (强/中/弱) as it is made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from drafter.models import PARTS, Hit
from drafter.search.dedup import shingles, similar
from drafter.search.expansion import Expansion, label
from drafter.search.meta import DocMeta
from drafter.search.prepared import Prepared
from drafter.text.chars import CJK_WITH_COMPAT, lazy_pattern

if TYPE_CHECKING:
    from numpy.typing import NDArray

COPY_SCORE = 0.7
"""A passage scoring below this share of the k-th hit is taken to be no copy of a hit."""
COPY_LENGTH = 0.4
"""A passage shorter than this share of another is no copy of it."""
REMEMBERED_PRINTS = 256
"""Passages whose shingles a ``HitMaker`` keeps (about 2.4 kB each for a passage of 300 characters)."""


@dataclass(frozen=True)
class Ranking:
    """One query's ranking (``SearchIndex.rank``): the passages returned (``rows``, positions in the index),
    best first, their ``scores``, the near-identical passages each stands for (``copies``), and what their
    hits read: the query's ``words``, its other wordings (``expansions``) and the filter's ``mask``."""

    rows: list[int]
    scores: list[float]
    copies: list[list[int]]
    words: tuple[str, ...] = ()
    expansions: tuple[Expansion, ...] = ()
    mask: NDArray[np.bool_] | None = None


class HitMaker:
    """The hits of one index's passages (``passages``: its columns, ``docs``: its documents, in order)."""

    def __init__(self, passages: dict[str, Any], docs: list[tuple[str, DocMeta]], prepared: Prepared) -> None:
        self._p = passages
        self._docs = docs
        self._prepared = prepared
        # Plain lists for what each hit reads one item of (a numpy scalar costs more than the list look-up).
        self._doc_of: list[int] = np.asarray(passages["doc"]).tolist()
        self._part_of: list[int] = np.asarray(passages["part"]).tolist()
        self._sources_of = [(meta.source, *meta.sources) for _, meta in docs]
        self._lengths: list[int] = prepared.lengths.tolist()
        texts = passages["text"]
        self._shingles = lru_cache(maxsize=REMEMBERED_PRINTS)(lambda i: shingles(texts[i]))
        """The shingles of the passages compared lately: the copies of a much-posted report come back query
        after query, and cutting a long passage into shingles costs more than the rest of its comparison."""
        self._own_sources = [
            tuple(s for s in dict.fromkeys(meta.sources) if s and s != meta.source) for _, meta in docs
        ]
        """The sources a hit of each document lists when no copy of its passage is found elsewhere."""
        group = np.asarray(passages["group"])
        # Each group's passages, in passage order: the stable sort of the group column, cut at group bounds.
        self._by_group = np.argsort(group, kind="stable")
        self._group_of: list[int] = group.tolist()
        self._group_start: list[int] | None = (
            np.concatenate([[0], np.cumsum(np.bincount(group))]).tolist() if len(group) else None
        )

    def top(self, scores: NDArray[np.float64], k: int) -> list[tuple[int, list[int]]]:
        """The ``k`` best distinct passages, each with the near-identical ones it stands for."""

        if k <= 0 or not len(scores):
            return []
        best = float(scores.max())
        pool = 2 * k + 8
        while best > 0:
            candidates, every = _best(scores, pool, best)
            chosen = self._distinct(candidates[np.lexsort((candidates, -scores[candidates]))], scores, k)
            if len(chosen) >= k or every:
                return chosen
            pool *= 4  # copies crowded the pool out
        return []

    def _distinct(
        self, order: NDArray[np.intp], scores: NDArray[np.float64], k: int
    ) -> list[tuple[int, list[int]]]:
        """Walk ``order`` (best first) keeping passages that are no copy of one kept before.

        A kept passage is found by its beginning and its end (a copy cut short or with a figure changed
        keeps one of them); the first kept one that is a copy takes the passage among its copies.
        """
        rows = order.tolist()
        group_of = self._group_of
        heads, tails = self._prepared.heads, self._prepared.tails
        n = len(rows)
        if len({group_of[i] for i in rows}) == n and len({heads[i] for i in rows}) == n == len(
            {tails[i] for i in rows}
        ):
            return [(i, []) for i in rows[:k]]  # no two share a text, a beginning or an end: none is a copy
        ranked = scores[order].tolist()
        chosen: list[tuple[int, list[int]]] = []
        by_head: dict[str, list[int]] = {}
        by_tail: dict[str, list[int]] = {}
        seen_groups: set[int] = set()
        floor = 0.0
        for i, score in zip(rows, ranked, strict=True):
            # Copies score alike: past the k-th hit only a near-equal score can still be a copy of a kept one.
            if len(chosen) == k and score < floor:
                break
            group = group_of[i]
            if group in seen_groups:
                continue  # identical text: listed with its group's hit
            seen_groups.add(group)
            head, tail = heads[i], tails[i]
            twin = None
            same_head, same_tail = by_head.get(head), by_tail.get(tail)
            if same_head or same_tail:  # most passages share neither end with a kept one
                for at in sorted({*(same_head or ()), *(same_tail or ())}):
                    if self._copies(i, chosen[at][0]):
                        twin = chosen[at]
                        break
            if twin is not None:
                twin[1].append(i)
            elif len(chosen) < k:
                by_head.setdefault(head, []).append(len(chosen))
                by_tail.setdefault(tail, []).append(len(chosen))
                chosen.append((i, []))
                if len(chosen) == k:
                    floor = COPY_SCORE * score
        return chosen

    def _copies(self, i: int, j: int) -> bool:
        """Whether passages ``i`` and ``j``, which share a beginning or an end, are near-identical."""
        a, b = self._lengths[i], self._lengths[j]
        if min(a, b) < COPY_LENGTH * max(a, b):
            return False
        return similar(self._shingles(i), self._shingles(j))

    def forget(self) -> None:
        """Forget the copy prints computed so far (``SearchIndex.forget_queries``)."""
        self._shingles.cache_clear()

    def _group(self, i: int, mask: NDArray[np.bool_] | None) -> list[int]:
        """Passage ``i`` and the passages of identical text that ``mask`` lets through, in passage order."""
        if self._group_start is None:
            return [i]
        group = self._group_of[i]
        lo, hi = self._group_start[group], self._group_start[group + 1]
        if hi - lo == 1:
            return [i]
        same = self._by_group[lo:hi]
        return (same if mask is None else same[mask[same]]).tolist()  # type: ignore[no-any-return]

    def hits(
        self,
        rows: Sequence[int],
        scores: Sequence[float],
        copies: Sequence[list[int]],
        words: Sequence[str],
        mask: NDArray[np.bool_] | None,
        rate: Callable[[str], float],
        related: tuple[str, ...],
    ) -> list[Hit]:
        """The hits for passages ``rows`` (with their ``scores``); ``copies`` are, for each, the near-identical
        passages whose sources it lists; ``words`` the query's words to mark; ``rate`` the query's coverage of a
        lower-cased text (``expansion.coverage_of``), ``related`` its other wordings."""
        texts, headings, ids = self._p["text"], self._p["heading"], self._p["id"]
        # What is looked for in a hit's text, uncased (Chinese, figures): found in the text as in its lower case,
        # so the text is read as it is (lower-casing a long passage costs more than the look-ups).
        plain = _uncased([*words, *related])
        out = []
        for i, raw, near in zip(rows, scores, copies, strict=True):
            d = self._doc_of[i]
            doc_id, meta = self._docs[d]
            text, heading = texts[i], headings[i]
            lowered = text if plain else text.lower()
            # As ``f"{heading}\n{text}".lower()``: the line break is no cased character, no case mapping reads
            # across it. The coverage's own units are Chinese characters (``expansion.query_units``).
            share = rate(f"{heading}\n{text}" if plain else f"{heading.lower()}\n{lowered}")
            score = round(raw, 6)
            # Every field set directly, as ``Hit(...)`` would set it: a frozen dataclass's ``__init__`` goes
            # through ``object.__setattr__`` once per field, five times the cost of the rest of this line.
            # ``tests/search/test_hits.py`` checks such a hit equals one made by ``Hit(...)``, field for field.
            hit = object.__new__(Hit)
            fields = {
                "passage_id": ids[i],
                "doc_id": doc_id,
                "title": meta.title,
                "source": meta.source,
                "heading": heading,
                "text": text,
                "score": score,
                "terms": tuple([w for w in words if w in lowered]),
                "frame": self._prepared.frame(i),
                "part": PARTS[self._part_of[i]],
                "kind": meta.kind,
                "year": meta.year,
                "unit": meta.unit,
                "other_sources": self._other_sources(i, d, near, mask),
                "level": meta.level,
                "confidence": label(share, score),
                "coverage": round(share, 3),
                "related": related,
            }
            object.__setattr__(hit, "__dict__", fields)  # the dict itself, not a copy into an empty one
            out.append(hit)
        return out

    def _other_sources(
        self, i: int, d: int, near: list[int], mask: NDArray[np.bool_] | None
    ) -> tuple[str, ...]:
        """The sources a hit on passage ``i`` (of document ``d``) lists besides its own: its document's other
        files, then those of the passages of identical text (its group) and of its near-copies ``near``."""
        # Passages of identical text (their group) stand with the hit, and with each near-copy folded into it.
        same = self._group(i, mask)
        if not near and same == [i]:
            return self._own_sources[d]  # the common case: no copy of the passage anywhere
        meta = self._docs[d][1]
        sources = list(meta.sources)
        others = [j for j in same if j != i] + [m for j in near for m in self._group(j, mask)]
        for j in others:
            sources.extend(self._sources_of[self._doc_of[j]])
        return tuple(s for s in dict.fromkeys(sources) if s and s != meta.source)


RE_UNCASED = lazy_pattern(f"[{CJK_WITH_COMPAT}\\s\u3000-\u3029\u3030-\u303f\uff01-\uff20!-@\\[-`{{-~]*")
"""Text of Chinese characters, digits, spaces and punctuation alone: no cased character, no combining mark
(lower-casing 'İ' makes one), each its own lower case."""


def _uncased(texts: Sequence[str]) -> bool:
    """Whether ``texts`` hold only characters of ``RE_UNCASED``: each is then in a text exactly when it is in
    the text's lower case."""
    return RE_UNCASED().fullmatch("".join(texts)) is not None


BEST_SHARES = (0.5, 0.2)
"""Score shares of the best hit tried first when picking the pool: the few passages above one are sorted
instead of every passage that shares a term (most of the corpus for a query with a common word)."""


def _best(scores: NDArray[np.float64], pool: int, best: float) -> tuple[NDArray[np.intp], bool]:
    """The ``pool`` best positive passages (any order), and whether they are every positive one.

    Exact: passages scoring above a share of the best are tried first, and taken when there are ``pool``.
    The corpus is read once, for the lowest share; the higher shares pick from what that found.
    """
    wide = np.flatnonzero(scores > BEST_SHARES[-1] * best)
    for share in BEST_SHARES:
        above = wide if share == BEST_SHARES[-1] else wide[scores[wide] > share * best]
        if len(above) >= pool:
            return above[np.argpartition(-scores[above], pool - 1)[:pool]], False
    positive = np.flatnonzero(scores > 0)
    if len(positive) > pool:
        return positive[np.argpartition(-scores[positive], pool - 1)[:pool]], False
    return positive, True
