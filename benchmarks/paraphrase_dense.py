"""The dense variant measured by ``eval_paraphrase``: lexical scores plus word-vector similarity.

Word vectors are the PPMI + SVD vectors ``drafter.search.related`` learns at ``drafter mine`` time (the same
words, window and dimensions). A passage's vector is the sum of its indexed words' vectors weighted by the
index's own tf-idf (an idf-weighted average, SIF-like), unit length; a query's likewise. The hybrid score is
``lexical + weight · cosine``. Measured, not shipped: see the README table.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp


def word_vectors(texts: list[str], tokenizer: Any, cache: Path | None) -> tuple[list[str], Any, float]:
    """(vocabulary, unit vectors, seconds to learn them), read from ``cache`` when it exists."""
    from drafter.search import related as rel

    if cache is not None and cache.is_file():
        saved = np.load(cache, allow_pickle=True)
        return [str(w) for w in saved["vocab"]], saved["vectors"], float(saved["seconds"])
    start = time.perf_counter()
    docs = rel._cut_all(texts, tokenizer)
    df = Counter(w for words in docs for w in set(words))
    vocabulary = [w for w, n in df.most_common(rel.MAX_VOCABULARY) if n >= rel.MIN_DOCS]
    ids = {w: i for i, w in enumerate(vocabulary)}
    rows: list[Any] = []
    cols: list[Any] = []
    for words in docs:
        seq = np.array([ids[w] for w in words if w in ids], dtype=np.int32)
        for d in range(1, rel.WINDOW + 1):
            if len(seq) > d:
                rows.extend((seq[:-d], seq[d:]))
                cols.extend((seq[d:], seq[:-d]))
    row, col = np.concatenate(rows), np.concatenate(cols)
    n = len(vocabulary)
    counts = sp.coo_matrix((np.ones(len(row), dtype=np.float32), (row, col)), shape=(n, n)).tocsr()
    vectors = rel._ppmi_vectors(counts)
    seconds = time.perf_counter() - start
    if cache is not None:
        np.savez(cache, vocab=np.array(vocabulary, dtype=object), vectors=vectors, seconds=seconds)
    return vocabulary, vectors, seconds


class DenseHybrid:
    """Ranks passages of a ``SearchIndex`` by lexical score + ``weight`` × word-vector cosine."""

    def __init__(self, index: Any, vocabulary: list[str], vectors: Any) -> None:
        start = time.perf_counter()
        self._index = index
        position = {w: i for i, w in enumerate(vocabulary)}
        matrix = sp.csr_matrix((index._data, index._indices, index._indptr), shape=index._shape)
        self._matrix = matrix  # terms × passages
        self._w = np.zeros((matrix.shape[0], vectors.shape[1]), dtype=np.float32)
        for term, i in index._term_ids.items():
            j = position.get(term)
            if j is not None:
                self._w[i] = vectors[j]
        p = np.asarray(matrix.T.tocsr() @ self._w, dtype=np.float32)
        self._p = p / np.maximum(np.linalg.norm(p, axis=1, keepdims=True), 1e-9)
        self.build_seconds = time.perf_counter() - start

    def top(self, query: str, k: int, weight: float, expander: Any = None) -> list[int]:
        """Indices of the ``k`` best passages (no copy folding: compare with the same path at weight 0)."""
        from drafter.search.index import search_terms

        index = self._index
        terms = search_terms(index._tokenizer, query)
        words = [t for t in terms if not t.startswith("#")]
        expansions = expander.expand(query, words) if expander else []
        ids, w = index._query_vector(terms, expansions)
        if not len(ids):
            return []
        scores = np.asarray(self._matrix[ids].T @ w, dtype=np.float32)
        if weight:
            q = (self._w[ids].T @ w).astype(np.float32)
            norm = float(np.linalg.norm(q))
            if norm:
                scores += weight * (self._p @ (q / norm))
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        return [int(i) for i in top[np.argsort(-scores[top], kind="stable")] if scores[i] > 0]
