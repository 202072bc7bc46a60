"""The TF-IDF index over passages: built once, searched from several threads, saved and reloaded.

Terms are jieba words plus character bigrams (``drafter.text.tokens.index_terms``), counted by scikit-learn's
``CountVectorizer`` over that analyzer and weighted by its ``TfidfTransformer`` (sublinear tf, smoothed idf);
passage rows get a pivoted l2 norm (``pivoted_l2``), the query an l2 norm, so a score is a length-corrected
cosine. The matrix is term-major (``M.T.tocsr()``): a query reads only its own terms' rows. Near-identical
passages (one report posted on several sites) come back once, with the other copies' sources listed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from drafter.models import DOC_KINDS, PARTS, Hit, Passage, SearchFilters
from drafter.search.damping import Damping, damped
from drafter.search.dedup import dedup_key
from drafter.search.expansion import Expander, Expansion, coverage_of
from drafter.search.hits import HitMaker, Ranking
from drafter.search.meta import DocMeta, meta_from_row, meta_row, visible_docs
from drafter.search.prepared import KEYS as PREPARED_KEYS
from drafter.search.prepared import Prepared
from drafter.search.request import subject_of
from drafter.search.scatter import term_scores
from drafter.search.store import SavedMatrix, read_index, write_index
from drafter.search.weighting import Stats, norm_pivot, pivoted_l2
from drafter.text.levels import LEVELS
from drafter.text.tokens import Tokenizer, default_tokenizer, index_terms

if TYPE_CHECKING:
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 3000
"""A query longer than this (several pages) is cut: its first pages say what it is about."""
MAX_QUERY_TERMS = 96
"""The query's strongest terms kept (by tf-idf): a page-long query costs no more than a paragraph."""
NO_FILTERS = SearchFilters()
REMEMBERED_QUERIES = 2048
"""Queries whose terms an index keeps cut."""
REMEMBERED_WORDINGS = 4096
"""Other wordings (a 口径 group's, a mined term) whose terms an index keeps cut: they come from a table of a few
thousand and recur across queries, so a query the index never saw still finds most of them cut."""


def search_terms(tokenizer: Tokenizer, text: str) -> list[str]:
    """The retrieval terms of ``text``: words plus ``#``-marked character bigrams (passages and queries alike)."""
    return index_terms(tokenizer, text)


def indexed_text(passage: Passage) -> str:
    """The text a passage is indexed by: its section heading (the topic a writer names) and its body."""
    return f"{passage.heading}\n{passage.text}" if passage.heading else passage.text


class SearchIndex:
    """An immutable TF-IDF index over passages; ``search`` is safe from several threads."""

    def __init__(
        self,
        *,
        vocabulary: list[str],
        idf: NDArray[np.float32],
        matrix: Any,
        passages: dict[str, Any],
        docs: list[tuple[str, DocMeta]],
        tokenizer: Tokenizer,
        fingerprint: str = "",
        prepared: dict[str, Any] | None = None,
        stats: Stats | None = None,
        term_ids: dict[str, int] | None = None,
    ) -> None:
        self.fingerprint = fingerprint
        self.stats = stats or Stats()
        """What the passages were weighed with (``drafter.search.increment`` weighs added ones alike)."""
        self._vocabulary = vocabulary
        self._term_ids = term_ids if term_ids is not None else {t: i for i, t in enumerate(vocabulary)}
        self._idf, self._unknown_idf = idf, float(idf.max(initial=1.0)) + 1.0  # unknown: above any known
        # terms × passages, CSR, as its three arrays: a query reads only its own terms' rows, with numpy alone.
        self._indptr, self._indices, self._data = matrix.indptr, matrix.indices, matrix.data
        self._shape = tuple(matrix.shape)
        self._p = passages
        self._docs = docs
        self._tokenizer = tokenizer
        self._doc_kind = np.array([DOC_KINDS.index(m.kind) for _, m in docs], dtype=np.int8)
        self._doc_year = np.array([m.year or 0 for _, m in docs], dtype=np.int32)
        self._doc_level = np.array([LEVELS.index(m.level) for _, m in docs], dtype=np.int8)
        units = [docs[d][1].unit for d in passages["doc"].tolist()]
        self._prepared = Prepared(passages["text"], units, prepared)
        self._hits = HitMaker(passages, docs, self._prepared)
        self._terms = lru_cache(maxsize=REMEMBERED_QUERIES)(partial(_cut, tokenizer))
        known = self._term_ids  # not ``self``: the cache must not keep the index alive in a cycle
        self._wording_terms = lru_cache(maxsize=REMEMBERED_WORDINGS)(
            lambda text: tuple((t, known[t]) for t in frozenset(search_terms(tokenizer, text)) if t in known)
        )
        """Another wording's distinct terms the index knows, each with its id."""

    def __len__(self) -> int:
        return len(self._p["id"])

    @property
    def nbytes(self) -> int:
        """Memory held by the matrix and the per-passage arrays (text and vocabulary strings not counted)."""
        arrays = [
            self._data,
            self._indices,
            self._indptr,
            self._idf,
            *(a for a in self._p.values() if hasattr(a, "nbytes")),
        ]
        return int(sum(a.nbytes for a in arrays))

    # --- building -----------------------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        items: Iterable[tuple[Passage, DocMeta]],
        tokenizer: Tokenizer,
        *,
        fingerprint: str = "",
        workers: int | None = None,
    ) -> SearchIndex:
        """An index over ``items`` (passage, its document's metadata); tokenised in parallel when large."""
        from drafter.search.counts import count_terms  # lazy: start-up (scikit-learn)

        docs: list[tuple[str, DocMeta]] = []
        passages, indexed = passage_columns(items, docs, {}, {})
        vocabulary, counts = count_terms(indexed, partial(search_terms, tokenizer), workers=workers)
        index = cls.weighed(passages, docs, vocabulary, counts, tokenizer, fingerprint=fingerprint)
        index._prepared.complete(workers)  # what hits show, prepared now rather than per search
        return index

    @classmethod
    def weighed(
        cls,
        passages: dict[str, Any],
        docs: list[tuple[str, DocMeta]],
        vocabulary: list[str],
        counts: Any,
        tokenizer: Tokenizer,
        *,
        fingerprint: str = "",
    ) -> SearchIndex:
        """The index of passage columns (``passage_columns``) whose terms are counted already (``counts``:
        passages × ``vocabulary``, CSR): weighed as ``build`` weighs them, frames left to be prepared."""
        import scipy.sparse as sp  # lazy: start-up (building only; a saved index is searched without it)

        stats = Stats(pivot=1.0, passages=counts.shape[0])
        if vocabulary:
            from sklearn.feature_extraction.text import TfidfTransformer  # lazy: building only

            transformer = TfidfTransformer(sublinear_tf=True, norm=None, smooth_idf=True)
            weights = transformer.fit_transform(counts)
            idf = transformer.idf_.astype(np.float32)
            stats = Stats(pivot=norm_pivot(weights), passages=counts.shape[0])
            matrix = sp.csr_matrix(pivoted_l2(weights, pivot=stats.pivot).T, dtype=np.float32)
        else:
            idf = np.zeros(0, dtype=np.float32)
            matrix = sp.csr_matrix((0, counts.shape[0]), dtype=np.float32)
        return cls(
            vocabulary=vocabulary,
            idf=idf,
            matrix=matrix,
            passages=passages,
            docs=docs,
            tokenizer=tokenizer,
            fingerprint=fingerprint,
            stats=stats,
        )

    # --- searching ----------------------------------------------------------------------------------------
    def search(
        self, query: str, k: int = 5, filters: SearchFilters | None = None, expander: Expander | None = None
    ) -> list[Hit]:
        """The ``k`` best passages for ``query``, best first; ``[]`` when no query term is in the index.

        With an ``expander`` (and ``filters.expand``), other wordings of the query are searched too, each
        weighted below the query's own terms; every hit says how surely it is on the subject.
        """
        return self.hits(self.rank(query, k, filters, expander))

    def rank(
        self, query: str, k: int = 5, filters: SearchFilters | None = None, expander: Expander | None = None
    ) -> Ranking:
        """Which passages ``search`` returns for ``query``, best first, with their scores: everything that
        decides the hits and their order (expansion, damping, filters, near-copy folding), none of what a
        hit shows."""
        filters = filters or NO_FILTERS
        query = subject_of(query[:MAX_QUERY_CHARS])  # 其他地方怎么写… asks about …
        terms, words = self._terms(query)
        expansions = expander.expansions(query, words) if expander and filters.expand else ()
        damping = expander.damping if expander is not None else None
        term_ids, weights = self._query_vector(terms, [e for e in expansions if e.weight > 0], damping)
        if k <= 0 or len(term_ids) == 0:
            return Ranking([], [], [], words, expansions, None)
        scores = term_scores(self._indptr, self._indices, self._data, self._shape[1], term_ids, weights)
        mask = self._mask(filters)
        if mask is not None:
            scores[~mask] = 0.0
        chosen = self._hits.top(scores, k)
        rows = [i for i, _ in chosen]
        return Ranking(rows, scores[rows].tolist(), [c for _, c in chosen], words, expansions, mask)

    def hits(self, ranking: Ranking) -> list[Hit]:
        """The hits of ``ranking`` (``rank``), as a writer sees them: frame, matched terms, coverage and
        confidence, the copies' sources."""
        if not ranking.rows:
            return []
        words, expansions = ranking.words, ranking.expansions
        shown = [*(w for w in words if _highlightable(w)), *(e.text for e in expansions)]
        highlights = list(dict.fromkeys(shown))
        rate = coverage_of(words, expansions, self.idf)
        related = tuple(e.text for e in expansions)
        return self._hits.hits(
            ranking.rows, ranking.scores, ranking.copies, highlights, ranking.mask, rate, related
        )

    def forget_queries(self) -> None:
        """Forget the terms of the queries searched so far and the copy prints compared (a benchmark times a
        query the index never saw; the other wordings of the table stay cut, as in a server that has answered
        a while)."""
        self._terms.cache_clear()
        self._hits.forget()

    def idf(self, term: str) -> float:
        """The idf of ``term``; a term the corpus never uses gets more than any term it does."""
        i = self._term_ids.get(term.lower())
        return float(self._idf[i]) if i is not None else self._unknown_idf

    def _query_vector(
        self, terms: Sequence[str], expansions: Sequence[Expansion] = (), damping: Damping | None = None
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """The ids of the query's known terms and their tf-idf weights (l2-normalised), strongest kept.

        Expansion terms (and their bigrams) join with their expansion's weight, never above a query term;
        then every term's weight is multiplied by its ``damping`` factor (``drafter.search.damping``).
        """

        known = self._term_ids
        # Each known term's id, in the order the query (then its other wordings) names it.
        ids_of: dict[str, int] = {}
        counts: dict[str, int] = {}
        for t in terms:
            if t in counts:
                counts[t] += 1
            elif (i := known.get(t)) is not None:
                ids_of[t], counts[t] = i, 1
        weight_of = {t: 1.0 + math.log(c) if c > 1 else 1.0 for t, c in counts.items()}
        for expansion in expansions:
            for term, i in self._wording_terms(expansion.text):
                if term not in counts:
                    ids_of[term] = i
                    weight_of[term] = max(weight_of.get(term, 0.0), expansion.weight)
        weight_of = damped(weight_of, damping)
        n = len(weight_of)
        ids = np.fromiter((ids_of[t] for t in weight_of), dtype=np.intp, count=n)
        tf = np.fromiter(weight_of.values(), dtype=np.float64, count=n)
        weights = tf * self._idf[ids] if n else tf
        if len(ids) > MAX_QUERY_TERMS:
            keep = np.argsort(-weights, kind="stable")[:MAX_QUERY_TERMS]
            ids, weights = ids[keep], weights[keep]
        norm = float(np.sqrt(np.dot(weights, weights)))
        return ids, (weights / norm if norm else weights)

    def _mask(self, filters: SearchFilters) -> NDArray[np.bool_] | None:
        """Which passages pass ``filters``, or ``None`` when nothing is restricted."""

        if filters is NO_FILTERS or filters == NO_FILTERS:
            return None
        docs = np.ones(len(self._docs), dtype=np.bool_)
        if filters.kinds is not None:
            docs &= np.isin(self._doc_kind, [DOC_KINDS.index(k) for k in filters.kinds])
        if filters.year_from is not None:
            docs &= self._doc_year >= filters.year_from
        if filters.year_to is not None:
            docs &= (self._doc_year <= filters.year_to) & (self._doc_year > 0)
        if filters.unit:
            docs &= np.array([filters.unit in (m.unit or "") for _, m in self._docs], dtype=np.bool_)
        if filters.levels is not None:
            docs &= np.isin(self._doc_level, [LEVELS.index(v) for v in filters.levels])
        if not filters.scope.sees_all:
            docs &= visible_docs(self._docs, filters.scope)
        mask: NDArray[np.bool_] = docs[self._p["doc"]]
        if filters.part is not None:
            mask &= self._p["part"] == PARTS.index(filters.part)
        return mask

    # --- persistence --------------------------------------------------------------------------------------
    def save(self, directory: Path, fingerprint: str | None = None) -> None:
        """Write the index into ``directory`` (atomically), stamped with ``fingerprint`` when given."""
        if fingerprint is not None:
            self.fingerprint = fingerprint
        arrays = {"indptr": self._indptr, "indices": self._indices, "data": self._data, "idf": self._idf}
        arrays.update({key: self._p[key] for key in ("doc", "part", "group", "key")})
        arrays.update(self._prepared.arrays())
        meta = {
            "fingerprint": self.fingerprint,
            "shape": list(self._shape),
            "stats": [self.stats.pivot, self.stats.passages, self.stats.added],
            "vocabulary": self._vocabulary,
            "docs": [{"id": doc_id, **meta_row(meta)} for doc_id, meta in self._docs],
            "passages": {key: self._p[key] for key in ("id", "heading", "text")},
        }
        write_index(directory, arrays, meta)

    @classmethod
    def load(cls, directory: Path, tokenizer: Tokenizer | None = None) -> SearchIndex | None:
        """The index saved in ``directory`` (queries cut by ``tokenizer``, default the shared one), or ``None``
        when it is missing, unreadable or of another format: the caller rebuilds."""
        saved = read_index(directory)
        if saved is None:
            return None
        arrays, meta = saved
        try:
            shape = (len(meta["vocabulary"]), len(meta["passages"]["id"]))
            matrix = SavedMatrix(arrays["indptr"], arrays["indices"], arrays["data"], shape)
            passages = {**meta["passages"], **{key: arrays[key] for key in ("doc", "part", "group", "key")}}
            docs = [(str(row["id"]), meta_from_row(row)) for row in meta["docs"]]
            consistent = (
                len(arrays["idf"]) == shape[0]
                and all(len(v) == shape[1] for v in passages.values())
                and int(passages["doc"].max(initial=-1)) < len(docs)
                and int(passages["part"].max(initial=-1)) < len(PARTS)
            )
        except (KeyError, ValueError, TypeError) as exc:
            log.info("search index in %s unusable (%s); it will be rebuilt", directory, exc)
            return None
        if not consistent:
            return None
        if tokenizer is None:
            tokenizer = default_tokenizer()
        return cls(
            vocabulary=meta["vocabulary"],
            idf=arrays["idf"],
            matrix=matrix,
            passages=passages,
            docs=docs,
            tokenizer=tokenizer,
            fingerprint=str(meta["fingerprint"]),
            prepared={key: arrays[key] for key in PREPARED_KEYS if key in arrays},
            stats=Stats(*meta["stats"]) if "stats" in meta else None,
        )


def passage_columns(
    items: Iterable[tuple[Passage, DocMeta]],
    docs: list[tuple[str, DocMeta]],
    doc_index: dict[str, int],
    groups: dict[int, int],
) -> tuple[dict[str, Any], list[str]]:
    """The per-passage columns of ``items`` and the texts to count their terms in.

    A passage of a document not yet in ``docs`` (indexed by id in ``doc_index``) appends it; passages of
    identical text (``groups``: 60 bits of the dedup key, kept as ``key`` → group) share a group. All three
    grow as passages come.
    """
    rows: list[tuple[Any, ...]] = []
    for passage, meta in items:
        d = doc_index.setdefault(passage.doc_id, len(docs))
        if d == len(docs):
            docs.append((passage.doc_id, meta))
        key = int(dedup_key(passage.text)[:15], 16)
        group, part = groups.setdefault(key, len(groups)), PARTS.index(passage.part)
        rows.append((passage.id, passage.heading, passage.text, d, part, group, key, indexed_text(passage)))
    columns = list(zip(*rows, strict=True)) or [()] * 8
    ids, headings, texts, doc_of, part_of, group_of, keys, indexed = (list(c) for c in columns)
    passages = {
        "id": ids,
        "heading": headings,
        "text": texts,
        "doc": np.array(doc_of, dtype=np.int32),
        "part": np.array(part_of, dtype=np.int8),
        "group": np.array(group_of, dtype=np.int32),
        "key": np.array(keys, dtype=np.int64),
    }
    return passages, indexed


def _cut(tokenizer: Tokenizer, query: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The retrieval terms of ``query`` and, of them, its words (the bigrams left out)."""
    terms = tuple(search_terms(tokenizer, query))
    return terms, tuple(t for t in terms if not t.startswith("#"))


def _highlightable(word: str) -> bool:
    """Whether a query word is worth highlighting (not a lone character such as 的 or 和)."""
    return len(word) >= 2
