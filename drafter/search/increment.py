"""Documents added to or removed from a built index without rebuilding it.

Only the added passages are tokenised and counted. They are weighed with the statistics the index was built
with (``Stats``: its idf and its pivot, the mean norm), so their scores compare with the built passages'
without re-weighing those: a rebuild would shift every idf by the added passages' share of the collection
(one report in the 37k-passage corpus: about 0.3 %), which reorders almost nothing, while re-weighing the
built passages costs as much as a rebuild. A term the index has never seen gets the idf a rebuild would
give it (the added passages are the only ones holding it). Once the passages added since the build pass
``FOLD_SHARE`` of those the statistics came from, ``extend`` declines and the caller rebuilds, so drift stays
bounded (removed passages count too). Removed documents' passages are cut out of the term rows; changed metadata (visibility, the files
a document was seen in) is taken from the corpus as it is now.

The result is one index again (the built and the added passages side by side in the same arrays), saved
and searched as a built one; its ``stats.added`` says how many passages were weighed this way.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from drafter.models import Passage
from drafter.search.index import SearchIndex, passage_columns, search_terms
from drafter.search.meta import DocMeta
from drafter.search.store import SavedMatrix
from drafter.search.weighting import PIVOT_SLOPE

FOLD_SHARE = 0.1
"""Passages added with the build's statistics or removed since, as a share of those the statistics came
from, past which the index is rebuilt instead."""


@dataclass(frozen=True)
class Changes:
    """How the corpus differs from an index: passages of documents it lacks (in the corpus's order), the ids
    of documents it holds that are gone, and every current document's metadata."""

    added: Sequence[tuple[Passage, DocMeta]]
    removed: frozenset[str]
    metas: dict[str, DocMeta]


def indexed_ids(index: SearchIndex) -> set[str]:
    """The ids of the documents ``index`` holds."""
    return {doc_id for doc_id, _ in index._docs}


def extend(index: SearchIndex, changes: Changes, fingerprint: str) -> SearchIndex | None:
    """``index`` with ``changes`` applied and stamped ``fingerprint``; ``None`` when it must be rebuilt
    instead (statistics unknown, or too many passages already added with them)."""
    stats, p, docs = index.stats, dict(index._p), list(index._docs)
    dead = np.array([doc_id in changes.removed for doc_id, _ in docs], dtype=np.bool_)
    keep = ~dead[p["doc"]]
    changed = stats.added + len(changes.added) + int(len(keep) - keep.sum())
    if stats.pivot <= 0 or changed > FOLD_SHARE * max(stats.passages, 1):
        return None
    indptr, indices, data = index._indptr, index._indices, index._data
    if changes.removed:
        indptr, indices, data = _drop_columns(indptr, indices, data, keep)
        p = {key: _take(column, keep) for key, column in p.items()}
        p["doc"] = (np.cumsum(~dead) - 1)[p["doc"]].astype(np.int32)
        p["group"] = np.unique(p["group"], return_inverse=True)[1].astype(np.int32).ravel()
        docs = [d for d, gone in zip(docs, dead.tolist(), strict=True) if not gone]
    docs = [(doc_id, changes.metas.get(doc_id, meta)) for doc_id, meta in docs]
    vocabulary, idf, term_ids = list(index._vocabulary), index._idf, index._term_ids
    if changes.added:
        groups = dict(zip(p["key"].tolist(), p["group"].tolist(), strict=True))
        doc_index = {doc_id: i for i, (doc_id, _) in enumerate(docs)}
        new, texts = passage_columns(changes.added, docs, doc_index, groups)
        if set(new) != set(p):
            return None  # the index keeps columns this module does not know how to fill: rebuild
        counts = [Counter(search_terms(index._tokenizer, text)) for text in texts]
        base = len(vocabulary)
        idf = _extend_terms(index._term_ids, vocabulary, idf, counts, len(p["id"]) + len(texts))
        term_ids = {**term_ids, **{term: base + i for i, term in enumerate(vocabulary[base:])}}
        delta = _weighed(counts, term_ids, idf, stats.pivot)
        indptr, indices, data = _append_columns(indptr, indices, data, len(p["id"]), delta)
        p = {key: _concat(p[key], new[key]) for key in p}
    matrix = SavedMatrix(indptr, indices, data, (len(vocabulary), len(p["id"])))
    return SearchIndex(
        vocabulary=vocabulary,
        idf=idf,
        matrix=matrix,
        passages=p,
        docs=docs,
        tokenizer=index._tokenizer,
        fingerprint=fingerprint,
        stats=replace(stats, added=changed),
        term_ids=term_ids,
        # What hits show, prepared for the kept passages (in order, when none was removed); the added
        # passages' are made when first shown and all saved with the index.
        prepared=index._prepared.arrays() if not changes.removed else None,
    )


def _extend_terms(
    known: dict[str, int], vocabulary: list[str], idf: Any, counts: Sequence[Counter[str]], passages: int
) -> Any:
    """``idf`` extended for the terms of ``counts`` the index lacks (appended to ``vocabulary``): smoothed
    as at a build, ``ln((1 + n) / (1 + df)) + 1``, the added passages being the only ones holding them."""
    df: Counter[str] = Counter(term for count in counts for term in count if term not in known)
    extra = [math.log((1 + passages) / (1 + n)) + 1.0 for n in df.values()]
    vocabulary.extend(df)
    return np.concatenate([idf, np.array(extra, dtype=np.float32)]).astype(np.float32)


def _weighed(counts: Sequence[Counter[str]], ids: Mapping[str, int], idf: Any, pivot: float) -> _Rows:
    """The added passages' term rows (terms × passages): sublinear tf × idf over the pivoted l2 norm."""
    terms: list[int] = []
    columns: list[int] = []
    weights: list[float] = []
    for column, count in enumerate(counts):
        tids = [ids[term] for term in count]
        row = (1.0 + np.log(np.array(list(count.values()), dtype=np.float64))) * idf[tids]
        norm = float(np.sqrt(np.dot(row, row)))
        terms.extend(tids)
        columns.extend([column] * len(tids))
        weights.extend((row / ((1.0 - PIVOT_SLOPE) * pivot + PIVOT_SLOPE * norm)).tolist())
    order = np.lexsort((np.array(columns, dtype=np.int64), np.array(terms, dtype=np.int64)))
    indptr = np.zeros(len(idf) + 1, dtype=np.int64)
    np.cumsum(np.bincount(np.array(terms, dtype=np.int64), minlength=len(idf)), out=indptr[1:])
    return _Rows(
        indptr,
        np.array(columns, dtype=np.int32)[order],
        np.array(weights, dtype=np.float32)[order],
        len(idf),
    )


@dataclass(frozen=True)
class _Rows:
    """Term rows as CSR arrays (``rows`` terms)."""

    indptr: Any
    indices: Any
    data: Any
    rows: int


def _append_columns(indptr: Any, indices: Any, data: Any, columns: int, delta: _Rows) -> tuple[Any, Any, Any]:
    """The term rows of ``(indptr, indices, data)`` (``columns`` passages) followed, row by row, by those of
    ``delta`` (its passages numbered after them); ``delta`` may have more rows (new terms)."""
    ends = np.full(delta.rows, len(indices), dtype=np.int64)
    ends[: len(indptr) - 1] = indptr[1:]
    at = np.repeat(ends, np.diff(delta.indptr))  # each added entry goes at the end of its term's row
    out_ptr = np.zeros(delta.rows + 1, dtype=np.int64)
    out_ptr[: len(indptr)] = indptr
    out_ptr[len(indptr) :] = indptr[-1]
    out_ptr += delta.indptr
    out_idx = np.insert(np.asarray(indices, dtype=np.int32), at, delta.indices + columns)
    return out_ptr, out_idx, np.insert(np.asarray(data, dtype=np.float32), at, delta.data)


def _drop_columns(indptr: Any, indices: Any, data: Any, keep: Any) -> tuple[Any, Any, Any]:
    """The term rows without the passages ``keep`` is false for (the others renumbered in order)."""
    kept = keep[indices]
    dropped = np.zeros(len(indices) + 1, dtype=np.int64)
    np.cumsum(~kept, out=dropped[1:])
    renumber = (np.cumsum(keep) - 1).astype(np.int32)
    return np.asarray(indptr, dtype=np.int64) - dropped[indptr], renumber[indices[kept]], data[kept]


def _take(column: Any, keep: Any) -> Any:
    """``column`` (a list or an array, one entry per passage) where ``keep`` is true."""
    if isinstance(column, np.ndarray):
        return column[keep]
    return [value for value, kept in zip(column, keep.tolist(), strict=True) if kept]


def _concat(column: Any, more: Any) -> Any:
    """``column`` followed by ``more`` (lists or arrays alike)."""
    if isinstance(column, np.ndarray):
        return np.concatenate([column, np.asarray(more, dtype=column.dtype)])
    return [*column, *more]
