"""TF-IDF retrieval of similar passages, persisted beside the corpus and rebuilt when the corpus changes.

The Python API the drafter, the web app and the command line share: a ``Searcher`` over the current corpus
(``corpus_searcher``), its ``search(query, k, filters) -> list[Hit]``, and ``hit_row`` for the JSON rows.
The index itself (terms, weighting, de-duplication, files) is ``drafter.search.index``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.models import Hit, Passage, SearchFilters
from drafter.search.index import DocMeta, SearchIndex, indexed_text, search_terms
from drafter.text.tokens import Tokenizer

if TYPE_CHECKING:
    from drafter.corpus.store import Corpus

__all__ = ["DocMeta", "SearchIndex", "Searcher", "corpus_searcher", "hit_row", "indexed_text", "search_terms"]

log = logging.getLogger(__name__)


class Searcher:
    """Searches the current corpus: loads the saved index, rebuilds it when the corpus fingerprint changed."""

    def __init__(
        self,
        build_items: Callable[[], Iterable[tuple[Passage, DocMeta]]],
        fingerprint: Callable[[], str],
        index_dir: Path,
        tokenizer: Tokenizer,
    ) -> None:
        self._build_items = build_items
        self._fingerprint = fingerprint
        self._index_dir = index_dir
        self._tokenizer = tokenizer
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()

    def index(self) -> SearchIndex:
        """The index for the corpus as it is now (loaded from disk or rebuilt and saved when stale)."""
        current = self._index
        fingerprint = self._fingerprint()
        if current is not None and current.fingerprint == fingerprint:
            return current
        with self._lock:
            if self._index is not current and self._index is not None:
                return self._index  # refreshed by another thread after our check: at least as new
            index = SearchIndex.load(self._index_dir, self._tokenizer)
            if index is None or index.fingerprint != fingerprint:
                index = SearchIndex.build(self._build_items(), self._tokenizer, fingerprint=fingerprint)
                try:
                    index.save(self._index_dir)
                except OSError as exc:  # a read-only place still gets answers, from memory
                    log.warning(
                        "搜索索引无法保存到 %s（%s）：本次仍可检索，下次启动将重建。", self._index_dir, exc
                    )
            self._index = index
            return index

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        """The ``k`` best passages for ``query`` in the current corpus (``[]`` for an empty or unknown query)."""
        if not query.strip():
            return []
        return self.index().search(query, k, filters)


def corpus_searcher(corpus: Corpus, tokenizer: Tokenizer | None = None) -> Searcher:
    """The searcher over ``corpus``, its index kept in ``corpus.index_dir``.

    The index is also rebuilt when the tokenizer's user dictionary changes (it decides the terms).
    """
    import hashlib

    from drafter.text.tokens import default_tokenizer, user_dictionary_path

    if tokenizer is None:
        tokenizer = default_tokenizer()
        userdict = user_dictionary_path()
        dictionary = hashlib.sha256(userdict.read_bytes()).hexdigest()[:12] if userdict.is_file() else "-"
    else:
        dictionary = type(tokenizer).__name__

    def items() -> Iterator[tuple[Passage, DocMeta]]:
        metas: dict[str, DocMeta] = {}
        for passage, doc in corpus.passages():
            meta = metas.get(doc.id)
            if meta is None:
                meta = metas[doc.id] = DocMeta(
                    doc.title, doc.source, doc.kind, doc.year, doc.unit, doc.sources
                )
            yield passage, meta

    return Searcher(items, lambda: f"{corpus.fingerprint()}:{dictionary}", corpus.index_dir, tokenizer)


def hit_row(hit: Hit) -> dict[str, Any]:
    """A hit as the JSON row of ``drafter search --json`` and ``GET /api/search``."""
    return {
        "doc_id": hit.doc_id,
        "passage_id": hit.passage_id,
        "title": hit.title,
        "heading": hit.heading,
        "text": hit.text,
        "score": round(hit.score, 4),
        "frame": hit.frame,
        "terms": list(hit.terms),
        "source": hit.source,
        "other_sources": list(hit.other_sources),
        "part": hit.part,
        "kind": hit.kind,
        "year": hit.year,
        "unit": hit.unit,
    }
