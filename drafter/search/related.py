"""Related terms learned from the corpus itself: how its writers say the same thing in other words.

Mined at ``drafter mine`` time, nothing downloaded. Each passage's jieba words give word–context counts in a
window of ``WINDOW`` words; positive PMI with smoothed context counts (Levy, Goldberg & Dagan 2015) weighs
them, and a truncated SVD of that matrix gives every word a dense vector whose neighbours are words used in
the same contexts (复工复产 ~ 复产, 河长制 ~ 河湖长制). That is the factorisation word2vec performs implicitly
(Levy & Goldberg 2014), computed with scikit-learn in seconds and without another dependency;
``benchmarks/eval_search.py`` compares the two. The result is a plain JSON-ready mapping
``{word: [[neighbour, similarity], …]}``, stored with the corpus as an opaque text.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from drafter.search.counts import PARALLEL_MIN_CHARS, distinct, in_forked_chunks
from drafter.text.chars import lazy_pattern
from drafter.text.tokens import Tokenizer

if TYPE_CHECKING:
    from numpy.typing import NDArray

RelatedTerms = Mapping[str, list[tuple[str, float]]]
"""word → its neighbours with a similarity in (0, 1], best first."""

FORMAT = 1
WINDOW = 4
"""Words on each side that count as a word's context."""
MIN_DOCS = 3
"""A word in fewer passages has too few contexts to learn from."""
MAX_VOCABULARY = 30000
DIMENSIONS = 128
NEIGHBOURS = 6
MIN_SIMILARITY = 0.55
"""Neighbours below this cosine are associations (河长制 ~ 考核), not other words for the same thing."""
CONTEXT_SMOOTHING = 0.75
RE_CONTENT = lazy_pattern(r"^[\u4e00-\u9fff]{2,8}$")
STOP_WORDS = frozenset(
    [
        "我们",
        "进一步",
        "以及",
        "通过",
        "开展",
        "推进",
        "加强",
        "全面",
        "积极",
        "持续",
        "不断",
        "有效",
        "进行",
        "实现",
        "完成",
        "工作",
        "主要",
        "重点",
        "一是",
        "二是",
        "三是",
        "四是",
        "五是",
        "六是",
        "七是",
        "八是",
        "九是",
        "同时",
        "其中",
        "目前",
        "今年",
        "去年",
        "明年",
        "全年",
        "上半年",
        "下半年",
        "我局",
        "我区",
        "我市",
        "全区",
        "全市",
        "全县",
        "全省",
        "各级",
        "有关",
        "相关",
        "方面",
        "情况",
        "问题",
        "共计",
        "累计",
        "已经",
        "正在",
        "一批",
        "一个",
    ]
)


def content_words(tokenizer: Tokenizer, text: str) -> list[str]:
    """The words of ``text`` that can carry a subject: 2–8 CJK characters, no function words."""
    return content_of(tokenizer.words(text))


def content_of(words: Iterable[str]) -> list[str]:
    """The ``words`` that can carry a subject (``content_words`` of words cut already)."""
    content = RE_CONTENT().match
    return [w for w in words if content(w) and w not in STOP_WORDS]


def mine_related(texts: Iterable[str], tokenizer: Tokenizer) -> dict[str, list[tuple[str, float]]]:
    """For each frequent word of ``texts``, the words the corpus uses in the same contexts."""
    counts = RelatedCounts()
    for words in _cut_all(list(texts), tokenizer):
        counts.add(words)
    return counts.related()


class RelatedCounts:
    """The passages' ``content_words``, added one passage at a time (``drafter mine`` adds them as it mines
    the phrase bank, from the words it cut already), kept as word numbers until ``related``."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._passages: list[NDArray[np.int32]] = []

    def add(self, words: list[str]) -> None:
        """Count one passage's content words (in order)."""
        ids = self._ids
        self._passages.append(
            np.fromiter((ids.setdefault(w, len(ids)) for w in words), dtype=np.int32, count=len(words))
        )

    def related(self) -> dict[str, list[tuple[str, float]]]:
        """Each frequent word's related terms (``mine_related``)."""
        passages = [p for p in self._passages if len(p)]
        if not passages:
            return {}
        words = np.concatenate(passages)
        owner = np.repeat(np.arange(len(passages), dtype=np.int64), [len(p) for p in passages])
        # Passages a word occurs in: each (passage, word) pair once.
        df = np.bincount(distinct(owner * len(self._ids) + words) % len(self._ids), minlength=len(self._ids))
        # The MAX_VOCABULARY words in most passages (of equal counts the first seen), in at least MIN_DOCS.
        order = np.argsort(-df, kind="stable")[:MAX_VOCABULARY]
        order = order[df[order] >= MIN_DOCS]
        if len(order) < 3:
            return {}
        names = list(self._ids)
        vocabulary = [names[i] for i in order]
        number = np.full(len(self._ids), -1, dtype=np.int64)
        number[order] = np.arange(len(order))
        # Words outside the vocabulary leave their passage: the window spans over them.
        seq = number[words]
        kept = seq >= 0
        seq, owner = seq[kept], owner[kept]
        n = len(vocabulary)
        import scipy.sparse as sp  # lazy: start-up (mining only)

        counts = sp.csr_matrix((n, n), dtype=np.float32)
        for d in range(1, WINDOW + 1):
            same = owner[:-d] == owner[d:]
            left, right = seq[:-d][same], seq[d:][same]
            if len(left):
                pairs = sp.coo_matrix(
                    (np.ones(2 * len(left), dtype=np.float32), (np.r_[left, right], np.r_[right, left])),
                    shape=(n, n),
                )
                counts = counts + pairs.tocsr()
        if not counts.nnz:
            return {}
        from threadpoolctl import threadpool_limits  # lazy: mining only

        # One BLAS thread for the SVD and the similarities: mining runs beside them (the bank, or other work
        # on a shared machine), and OpenBLAS's second thread then spins more than it computes (twice the
        # CPU for the same vectors).
        with threadpool_limits(limits=1):
            return _neighbours(vocabulary, _ppmi_vectors(counts))


def _cut_all(texts: list[str], tokenizer: Tokenizer) -> list[list[str]]:
    """``content_words`` of every text, in forked worker processes when the corpus is large (jieba is the cost).

    Only the word lists travel back from the children (``in_forked_chunks``).
    """
    workers = min(os.cpu_count() or 1, 4)
    total = sum(len(t) for t in texts)
    if workers <= 1 or total < PARALLEL_MIN_CHARS or "fork" not in multiprocessing.get_all_start_methods():
        return [content_words(tokenizer, t) for t in texts]
    tokenizer.words("科技")  # load the dictionary before forking: the children inherit it, and the texts
    parts = in_forked_chunks(
        [len(t) for t in texts],
        lambda lo, hi: [content_words(tokenizer, t) for t in texts[lo:hi]],
        workers,
    )
    return [words for part in parts for words in part]


def _ppmi_vectors(counts: object) -> NDArray[np.float32]:
    """Unit-length SVD vectors of the positive-PMI matrix of ``counts`` (a CSR word × context matrix)."""

    import scipy.sparse as sp  # lazy: start-up (mining only)

    m = sp.csr_matrix(counts, dtype=np.float64)
    total = m.sum()
    word = np.asarray(m.sum(axis=1)).ravel()
    context = np.asarray(m.sum(axis=0)).ravel() ** CONTEXT_SMOOTHING
    context /= context.sum()
    coo = m.tocoo()
    pmi = np.log(coo.data * 1.0 / total) - np.log(word[coo.row] / total) - np.log(context[coo.col])
    keep = pmi > 0
    ppmi = sp.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=m.shape)
    dims = max(2, min(DIMENSIONS, m.shape[0] - 1))
    from sklearn.decomposition import TruncatedSVD  # lazy: mining only

    svd = TruncatedSVD(n_components=dims, algorithm="randomized", n_iter=5, random_state=0)
    u = svd.fit_transform(ppmi)  # U·Σ
    u = u / np.sqrt(np.maximum(svd.singular_values_, 1e-9))  # U·Σ^½ (Levy et al.: better than U·Σ)
    norms = np.linalg.norm(u, axis=1, keepdims=True)
    return np.asarray(u / np.maximum(norms, 1e-9), dtype=np.float32)


def _neighbours(vocabulary: list[str], vectors: NDArray[np.float32]) -> dict[str, list[tuple[str, float]]]:
    """Each word's nearest words by cosine (its ``NEIGHBOURS`` most similar, of those at least
    ``MIN_SIMILARITY``), computed block by block.

    The words that similar are found by one comparison over the block, and each word's best among them; only
    when the last place is tied (equal similarities) does ``argpartition`` over the whole row choose, as it
    always did.
    """

    out: dict[str, list[tuple[str, float]]] = {}
    block = 2048
    for start in range(0, len(vocabulary), block):
        sims = vectors[start : start + block] @ vectors.T
        rows = np.arange(len(sims))
        sims[rows, start + rows] = -1.0  # a word is not its own neighbour
        for offset, similar in _similar(sims):
            row, columns = sims[offset], similar
            if len(columns) > NEIGHBOURS:
                # Its NEIGHBOURS + 1 best: unless the last two tie, the first NEIGHBOURS are the row's best.
                columns = columns[np.argpartition(-row[columns], NEIGHBOURS)[: NEIGHBOURS + 1]]
                after, last = np.sort(row[columns])[:2].tolist()
                if after == last:  # a tie for the last place: the whole row's selection decides, as before
                    columns = np.argpartition(-row, NEIGHBOURS)[:NEIGHBOURS]
            best = sorted(
                ((float(row[j]), j) for j in columns.tolist() if row[j] >= MIN_SIMILARITY), reverse=True
            )
            out[vocabulary[start + offset]] = [(vocabulary[j], round(s, 3)) for s, j in best[:NEIGHBOURS]]
    return out


def _similar(sims: NDArray[np.float32], rows: int = 256) -> Iterator[tuple[int, NDArray[np.intp]]]:
    """Each row of ``sims`` with a similarity of at least ``MIN_SIMILARITY``, with the columns holding one
    (found ``rows`` rows at a time: the positions of a whole block would take as much memory as its values)."""
    for lo in range(0, len(sims), rows):
        near_row, near_col = np.nonzero(sims[lo : lo + rows] >= MIN_SIMILARITY)
        bounds = np.searchsorted(near_row, np.arange(rows + 1))
        for offset in np.flatnonzero(np.diff(bounds)).tolist():  # the rows with one, in order
            yield lo + offset, near_col[bounds[offset] : bounds[offset + 1]]


def related_to_json(related: RelatedTerms, damping: Mapping[str, float] | None = None) -> str:
    """``related`` as the text stored with the corpus, with the query-term ``damping`` mined beside them
    (``drafter.search.damping``)."""
    data: dict[str, object] = {"format": FORMAT, "terms": related}
    if damping:
        data["damping"] = dict(
            sorted(damping.items())
        )  # the same text from the same corpus, whatever the hash seed
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def related_from_json(text: str | None) -> dict[str, list[tuple[str, float]]]:
    """The mapping stored by ``related_to_json`` (empty for none, or for a format this version cannot read)."""
    data = _stored(text)
    terms = data.get("terms", {})
    return {
        str(word): [(str(n), float(s)) for n, s in pairs if isinstance(s, int | float) and math.isfinite(s)]
        for word, pairs in terms.items()
    }


def damping_from_json(text: str | None) -> dict[str, float]:
    """The query-term damping stored by ``related_to_json`` (empty when none was mined)."""
    damping = _stored(text).get("damping", {})
    if not isinstance(damping, dict):
        return {}
    return {str(term): float(f) for term, f in damping.items() if isinstance(f, int | float) and 0 < f <= 1}


def _stored(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    return data
