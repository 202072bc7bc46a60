"""Query-term damping learned at ``drafter mine``: a word everyday Chinese uses as much as the reports do weighs less.

A writer's plain query often holds a colloquial word (觉得, 远离, 别的, 多少, 老板): rare in reports, so its idf
is the query's highest, and it pulls in passages that merely happen to use it. Report terms are far rarer in
everyday Chinese than in the reports (平安, 禁毒, 高新技术企业: their corpus idf is 3 or more below their idf in
jieba's dictionary); everyday words are not. So each query term's idf is capped at its general-language idf
(jieba's bundled frequencies, offline) minus ``OFFSET``: the term's query weight is multiplied by
``min(idf, cap) / idf``. A term jieba does not know keeps its weight.

The factors are computed at ``drafter mine`` from the passages' document frequencies (their jieba words and
character bigrams, as the index counts them) and stored with the related terms (``drafter.search.related``),
so the embedded index and the search inside PostgreSQL multiply the same query terms by the same factors: the
application passes the weights, the ranking statement multiplies them by idf as before. A corpus never mined
has no factors and ranks as without damping. ``benchmarks/paraphrase_damping.py`` measures it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from drafter.search.counts import distinct, distinct_counts
from drafter.text.tokens import JiebaTokenizer

if TYPE_CHECKING:
    from numpy.typing import NDArray

Damping = Mapping[str, float]
"""index term (a lower-cased word, or a ``#``-marked bigram) → its query-weight factor in (0, 1)."""

OFFSET = 3.0
"""How far below its general-language idf a term's idf is capped (set before measuring, never tuned)."""
MIN_CAP = 1.0
"""A capped idf never goes below this: every query term keeps some weight."""
_SHIFT = 21
"""Bits of a code point: a bigram is coded as ``first << _SHIFT | second`` (a lone character as ``c << _SHIFT``)."""
_BATCH = 2000
"""Passages whose bigrams are read together (numpy's cost per call, spread)."""
_CJK = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
"""The ranges of ``drafter.text.chars.CJK_WITH_COMPAT``: the characters ``char_bigrams`` pairs."""


class DampingCounts:
    """Document frequencies of the passages' index terms, added one passage at a time (beside the related
    terms' counts, from the words cut already); ``factors`` turns them into the damping."""

    def __init__(self) -> None:
        self._words: Counter[str] = Counter()
        self._grams: list[NDArray[np.int64]] = []
        self._pending: list[str] = []
        self.passages = 0

    def add(self, text: str, words: Iterable[str]) -> None:
        """Count one passage: its jieba ``words`` (cut from ``text``) and the character bigrams of ``text``."""
        self.passages += 1
        self._words.update({w.lower() for w in words})
        self._pending.append(text)
        if len(self._pending) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        """The distinct bigrams of each pending passage, read for the whole batch at once."""
        if self._pending:
            self._grams.append(_bigram_codes(self._pending))
            self._pending = []

    def factors(self, general_idf: Callable[[str], float | None], offset: float = OFFSET) -> dict[str, float]:
        """Each term's factor ``min(idf, general idf − offset) / idf`` where it is below 1 (idf smoothed as the
        index smooths it); ``general_idf`` is None for a word the general dictionary does not know."""
        self._flush()
        n = self.passages
        out: dict[str, float] = {}

        def consider(term: str, plain: str, df: int) -> None:
            general = general_idf(plain)
            if general is None:
                return
            idf = math.log((1 + n) / (1 + df)) + 1.0
            cap = max(general - offset, MIN_CAP)
            if cap < idf:
                out[term] = round(cap / idf, 4)

        for word, df in self._words.items():
            consider(word, word, df)
        if self._grams:
            codes, counts = distinct_counts(np.concatenate(self._grams))
            mask = (1 << _SHIFT) - 1
            for code, df in zip(codes.tolist(), counts.tolist(), strict=True):
                second = code & mask
                gram = chr(code >> _SHIFT) + (chr(second) if second else "")
                consider("#" + gram, gram, df)
        return out


def mine_damping(texts: Iterable[str], tokenizer: JiebaTokenizer) -> dict[str, float]:
    """The damping factors of the passages ``texts`` (cut by ``tokenizer``)."""
    counts = DampingCounts()
    for text in texts:
        counts.add(text, tokenizer.words(text))
    return counts.factors(tokenizer.general_idf)


def damped(weights: dict[str, float], damping: Damping | None) -> dict[str, float]:
    """Query-term ``weights`` (term → weight before idf) with each term's damping factor applied."""
    if not damping:
        return weights
    return {t: w * damping.get(t, 1.0) for t, w in weights.items()}


def _bigram_codes(texts: list[str]) -> NDArray[np.int64]:
    """The codes of ``char_bigrams`` of each of ``texts`` (overlapping bigrams of each CJK run, a lone CJK
    character as itself), each passage's distinct ones once: one code per (passage, bigram)."""
    chars = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), [len(t) + 1 for t in texts])[: len(chars)]
    cjk = np.zeros(len(chars), dtype=np.bool_)
    for lo, hi in _CJK:
        cjk |= (chars >= lo) & (chars <= hi)
    pair = cjk[:-1] & cjk[1:]  # the separator is no CJK character: no bigram spans two passages
    lone = cjk & ~np.r_[False, cjk[:-1]] & ~np.r_[cjk[1:], False]
    codes = np.r_[(chars[:-1][pair] << _SHIFT) | chars[1:][pair], chars[lone] << _SHIFT]
    owners = np.r_[owner[:-1][pair], owner[lone]]
    codes_only: NDArray[np.int64] = distinct((owners << (2 * _SHIFT)) | codes) & ((1 << (2 * _SHIFT)) - 1)
    return codes_only
