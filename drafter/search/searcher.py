"""TF-IDF retrieval of similar passages, persisted beside the corpus and updated when the corpus changes.

A ``Searcher`` is handed how to list the corpus's passages, its fingerprint and a folder for the index
(``drafter.app.corpus_searcher`` wires it to the corpus); ``search(query, k, filters) -> list[Hit]``.
The index itself (terms, weighting, de-duplication, files) is ``drafter.search.index``; when documents are
added or removed it is updated with only those (``increment``, ``drafter.search.increment``) and rebuilt from
scratch only when that cannot be done.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from drafter.models import Hit, Passage, SearchFilters
from drafter.search.curated import load_everyday, load_synonyms
from drafter.search.expansion import Expander
from drafter.search.index import SearchIndex
from drafter.search.meta import DocMeta
from drafter.search.related import damping_from_json, related_from_json
from drafter.text.tokens import Tokenizer

log = logging.getLogger(__name__)

GROW_WAIT = 5.0
"""How long ``grow`` (an upload's own request) waits for another thread's index update before leaving it."""
RELATED_BLOB = "related_terms"
"""The name the mined related terms are stored under in the corpus."""


class Searcher:
    """Searches the current corpus: loads the saved index, updates (or rebuilds) it when the corpus changed."""

    def __init__(
        self,
        build_items: Callable[[], Iterable[tuple[Passage, DocMeta]]],
        fingerprint: Callable[[], str],
        index_dir: Path,
        tokenizer: Tokenizer,
        *,
        related: tuple[Callable[[], str | None], Callable[[], str | None]] | None = None,
        synonyms: Path | None = None,
        increment: Callable[[SearchIndex, str], SearchIndex | None] | None = None,
    ) -> None:
        self._increment = increment
        self._related = related
        self._synonyms = synonyms
        self._expander: tuple[str | None, Expander] | None = None
        self._build_items = build_items
        self._fingerprint = fingerprint
        self._index_dir = index_dir
        self._tokenizer = tokenizer
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()
        self._unsaved = False
        self.last_change = ""
        """How the index last followed the corpus: ``added`` (only what changed) or ``rebuilt``."""

    def index(self) -> SearchIndex:
        """The index for the corpus as it is now (loaded from disk; updated or rebuilt, and saved, when stale)."""
        current = self._index
        fingerprint = self._fingerprint()
        if current is not None and current.fingerprint == fingerprint:
            return current
        # While one thread rebuilds, the others answer from the previous index instead of queueing behind
        # it: a stream of uploads (each changes the corpus) must not stall every writer's draft.
        if not self._lock.acquire(blocking=current is None):
            assert current is not None
            return current
        try:
            if self._index is not current and self._index is not None:
                return self._index  # refreshed by another thread after our check: at least as new
            # The index in memory, else the saved one; brought up to date by adding and removing the
            # documents that changed (``increment``), or rebuilt when it cannot be.
            index = current if current is not None else SearchIndex.load(self._index_dir, self._tokenizer)
            if index is None or index.fingerprint != fingerprint:
                grown = self._increment(index, fingerprint) if index is not None and self._increment else None
                self.last_change = "added" if grown is not None else "rebuilt"
                if grown is None:
                    grown = SearchIndex.build(self._build_items(), self._tokenizer, fingerprint=fingerprint)
                index = grown
                self._save(index)
            self._index = index
            return index
        finally:
            self._lock.release()

    def grow(self, wait: float = GROW_WAIT) -> bool:
        """Bring the index up to the corpus now if that needs no rebuild (waiting up to ``wait`` seconds for
        another thread's update first); whether it is up to date. Never builds from scratch: that is left
        to ``index``, and so is an update another thread holds longer (a rebuild)."""
        if not self._lock.acquire(timeout=wait):
            return False
        try:
            index, fingerprint = self._index, self._fingerprint()
            if index is None or index.fingerprint == fingerprint:
                return index is not None
            grown = self._increment(index, fingerprint) if self._increment is not None else None
            if grown is None:
                return False
            self.last_change = "added"
            self._index, self._unsaved = grown, True  # saved by ``flush``, after the request answered
            return True
        finally:
            self._lock.release()

    def flush(self) -> None:
        """Save the index if ``grow`` left it unsaved."""
        with self._lock:
            if self._unsaved and self._index is not None:
                self._save(self._index)

    def loaded(self) -> SearchIndex | None:
        """The index in memory, else the saved one (as saved, maybe stale), else ``None``: never builds."""
        with self._lock:
            if self._index is None:
                self._index = SearchIndex.load(self._index_dir, self._tokenizer)
            return self._index

    def rebuild(self) -> SearchIndex:
        """A new index built from scratch over the whole corpus (every passage weighed anew), saved."""
        with self._lock:
            index = SearchIndex.build(self._build_items(), self._tokenizer, fingerprint=self._fingerprint())
            self.last_change = "rebuilt"
            self._save(index)
            return index

    def _save(self, index: SearchIndex) -> None:
        """Use ``index`` from now on and save it (searches use it while it is being written)."""
        self._index, self._unsaved = index, False
        try:
            index.save(self._index_dir)
        except OSError as exc:  # a read-only place still gets answers, from memory
            log.warning("搜索索引无法保存到 %s（%s）：本次仍可检索，下次启动将重建。", self._index_dir, exc)

    def expander(self) -> Expander:
        """Other wordings of queries: the curated 口径 table and the related terms mined into the corpus.

        ``related`` is ``(version, text)``: a cheap token that changes when the terms are mined again, and
        the stored terms, read only when the token changed.
        """
        version_of, text_of = self._related if self._related is not None else (None, None)
        version = version_of() if version_of is not None else None
        current = self._expander
        if current is not None and current[0] == version:
            return current[1]
        text = text_of() if text_of is not None and version is not None else None
        expander = Expander(
            load_synonyms(self._synonyms),
            related_from_json(text),
            damping=damping_from_json(text),
            everyday=load_everyday(),
        )
        self._expander = (version, expander)
        return expander

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        """The ``k`` best passages for ``query`` in the current corpus (``[]`` for an empty or unknown query)."""
        if not query.strip():
            return []
        return self.index().search(query, k, filters, self.expander())
