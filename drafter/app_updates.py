"""The application object's updates: after documents are added or removed, the search index and the phrase
bank follow the corpus in time proportional to what changed, or are rebuilt from scratch when asked.

``Updates`` is mixed into ``drafter.app.Drafter``. ``update`` brings both up to the corpus now (the command
line, after ``drafter ingest``); ``update_in_background`` does it in a daemon thread (the web, after an
upload), so no request waits: searches answer from the previous index until the new one is swapped in, and
drafts use the previous bank until the new counts are saved. The index adds only the new passages
(``drafter.search.increment``); the bank adds only the new documents' counts (``drafter.phrases.increment``);
``rebuild`` builds the index anew and mines the whole corpus again (``--rebuild``). A PostgreSQL corpus's
index is updated the same way inside the database (``PgSearcher.update``: the added documents' postings, or a
rebuild aside once too much changed), so every web worker sees the update at once.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drafter.errors import CorpusError

if TYPE_CHECKING:
    from drafter.corpus.protocol import CorpusStore
    from drafter.models import PhraseBank
    from drafter.search.pg_search import PgSearcher
    from drafter.search.searcher import Searcher

log = logging.getLogger(__name__)

REMINE_SHARE = 0.2
"""Documents added since the bank was mined, as a share of those it counted, past which it is mined again."""
SMALL_CORPUS = 50
"""A bank stored without its tally (the shipped one) is mined again at once on a corpus this small."""


@dataclass(frozen=True)
class UpdateReport:
    """What an update did: ``index`` and ``bank`` are ``added`` (only what changed), ``rebuilt``, ``current``
    (nothing to do), ``none`` (never built or mined: done on first use) or ``stale`` (left for ``drafter mine``);
    with the documents each counted in and the seconds each took."""

    index: str
    index_seconds: float
    bank: str
    bank_documents: int
    bank_seconds: float


class Updates:
    """Update methods of ``Drafter``; the members below the marker are ``Drafter``'s own."""

    if TYPE_CHECKING:
        _lock: threading.RLock
        _update_lock: threading.Lock
        _updater: threading.Thread | None
        _update_pending: bool
        _bank: tuple[str | None, PhraseBank] | None

        @property
        def corpus(self) -> CorpusStore: ...
        def searcher(self) -> Searcher | PgSearcher: ...
        def mine(self) -> PhraseBank: ...
        def mine_related(self) -> int: ...

    # --- now --------------------------------------------------------------------------------------------
    def update(self, *, rebuild: bool = False, mine_untallied: bool = False) -> UpdateReport:
        """Bring the search index and the phrase bank up to the corpus (from scratch with ``rebuild``).

        A bank stored without a tally is mined again when ``mine_untallied`` or the corpus is small; else it
        stays as it is until ``drafter mine``.
        """
        with self._update_lock:
            began = time.perf_counter()
            index = self._update_index(rebuild)
            index_seconds = time.perf_counter() - began
            began = time.perf_counter()
            bank, documents = self._update_bank(rebuild, mine_untallied)
            return UpdateReport(index, index_seconds, bank, documents, time.perf_counter() - began)

    def _update_index(self, rebuild: bool) -> str:
        from drafter.search.searcher import Searcher  # lazy: start-up

        searcher = self.searcher()
        if not isinstance(searcher, Searcher):  # PostgreSQL: the added postings, or a rebuild aside
            return searcher.update(rebuild=rebuild)
        if rebuild:
            searcher.rebuild()
            return "rebuilt"
        before = searcher.loaded()
        if before is None:
            return "none"
        after = searcher.index()
        searcher.flush()  # what an upload's request added in memory
        return "current" if after is before else searcher.last_change

    def _update_bank(self, rebuild: bool, mine_untallied: bool) -> tuple[str, int]:
        from drafter.phrases.codec import bank_from_json, bank_to_json  # lazy: start-up
        from drafter.phrases.curated import apply_curated, load_curated  # lazy: start-up
        from drafter.phrases.increment import add_documents, drop_documents, tally_of, with_tally  # lazy
        from drafter.text.tokens import default_tokenizer  # lazy: start-up

        corpus = self.corpus
        if rebuild:
            self.mine()
            return "rebuilt", corpus.count()
        stored = corpus.load_phrases()
        if stored is None:
            return "none", 0
        tally = tally_of(stored)
        current = [s.id for s in corpus.summaries()]
        if tally is None:
            if mine_untallied or len(current) <= SMALL_CORPUS:
                self.mine()
                return "rebuilt", len(current)
            return "stale", 0
        counted = set(tally.counted)
        known = set(current)
        added = [doc_id for doc_id in current if doc_id not in counted]
        gone = counted - known
        if not added and not gone:
            return "current", 0
        if len(added) > REMINE_SHARE * max(len(counted), 1):
            self.mine()
            return "rebuilt", len(current)
        bank = bank_from_json(stored)
        bank, tally = drop_documents(bank, tally, gone)
        try:
            documents = [corpus.get(doc_id) for doc_id in added]
        except CorpusError:  # removed meanwhile: the next update counts the corpus as it is then
            return "stale", 0
        bank, tally = add_documents(bank, tally, documents, default_tokenizer())
        try:
            corpus.save_phrases(with_tally(bank_to_json(bank, indent=None), tally))
        except CorpusError as exc:  # read-only: the counts hold in memory for this process
            log.warning("短语库无法保存（%s）：本次仍按新计数起草。", exc)
        applied = apply_curated(bank, load_curated())
        with self._lock:
            self._bank = (corpus.phrases_version(), applied)
        return "added", len(documents)

    def update_index_now(self) -> bool:
        """Add what changed to the search index now if it is loaded and that needs no rebuild (an upload's
        own request: the writer searches for the report next); whether it did. Everything else (saving the
        index, the bank, a rebuild) is left to ``update_in_background``."""
        from drafter.search.searcher import Searcher  # lazy: start-up

        searcher = self.searcher()
        if not isinstance(searcher, Searcher):  # PostgreSQL: added now even past the share; never a rebuild
            return searcher.update(over=True, build_due=False) in ("added", "current")
        return searcher.grow()

    # --- in the background ------------------------------------------------------------------------------
    def update_in_background(self) -> None:
        """Start ``update`` in a daemon thread (once more after the running one when asked again meanwhile)."""
        with self._lock:
            self._update_pending = True
            if self._updater is not None and self._updater.is_alive():
                return
            self._updater = threading.Thread(target=self._update_loop, name="drafter-update", daemon=True)
            self._updater.start()

    def wait_for_updates(self, timeout: float | None = None) -> bool:
        """Block until no background update runs (or ``timeout``); whether none does."""
        with self._lock:
            updater = self._updater
        if updater is not None:
            updater.join(timeout)
            return not updater.is_alive()
        return True

    def _update_loop(self) -> None:
        while True:
            with self._lock:
                if not self._update_pending:
                    self._updater = None
                    return
                self._update_pending = False
            try:
                self.update(mine_untallied=True)
            except Exception:  # a background failure must not go unseen; the next request meets it
                log.exception("更新检索索引和短语库失败")
