"""The one object the command line and the web app share: a corpus and every stage wired on it.

``Drafter`` opens the corpus lazily (the default one filled from the bundled sample corpus on first use),
keeps the phrase bank and the search index loaded once per process, and exposes each capability as a
method returning models, Word bytes, or the JSON rows of ``drafter.rows``. It is the only module that
imports the stages together: ingest feeds the corpus, the corpus feeds mining and the index, and
drafting receives the search as a callable. The stages are imported inside the methods that use them,
so ``drafter --help`` and the web app's start-up do not pay for jieba, scikit-learn or python-docx.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from drafter import rows
from drafter.app_continuity import Continuity
from drafter.app_drafts import Drafting, DraftMemo
from drafter.app_search import corpus_searcher, database_searcher
from drafter.app_updates import Updates
from drafter.changes import Actor, IngestReport, ParseLimits
from drafter.errors import CorpusError
from drafter.models import DocSummary, Document, Hit, PhraseBank, SearchFilters
from drafter.resources import CORPUS_ENV, DATABASE_ENV, bundled_dir, default_corpus_path, sample_corpus_dir
from drafter.scopes import COMMON, EVERYTHING, Owner, Scope, Visibility

if TYPE_CHECKING:
    from drafter.accounts.store import AccountStore
    from drafter.app_exports import ExportWorkers
    from drafter.corpus.postgres import PgCorpus
    from drafter.corpus.protocol import CorpusStore
    from drafter.corpus.review import Change, HeldBatch, Review
    from drafter.corpus.store import Corpus
    from drafter.search.pg_search import PgSearcher
    from drafter.search.searcher import Searcher

CLOSE_WAIT = 30.0
"""Seconds closing waits for a background update of the search tables in PostgreSQL to commit."""


def open_default_corpus(*, seed: bool = True) -> Corpus:
    """The default corpus (``$DRAFTER_CORPUS`` or the per-user one); the per-user one is filled from the
    bundled sample corpus and the shipped phrase bank when it is first created (unless ``seed`` is off)."""
    from drafter.corpus.opening import open_corpus  # lazy: start-up

    fill = fill_with_samples if seed and not os.environ.get(CORPUS_ENV) else None
    return open_corpus(default_corpus_path(), fill=fill)


def fill_with_samples(corpus: Corpus) -> None:
    """Ingest the bundled sample corpus into ``corpus`` and store the shipped phrase bank with it."""
    from drafter.ingest.run import ingest  # lazy: start-up
    from drafter.phrases.codec import bank_from_json  # lazy: start-up

    ingest(corpus, [sample_corpus_dir()], workers=1)
    shipped = bundled_dir("phrasebank") / "mined.json"
    if shipped.is_file():
        text = shipped.read_text(encoding="utf-8")
        bank_from_json(text)  # refuse a bank the miner cannot read
        corpus.save_phrases(text)


class Drafter(Drafting, Continuity, Updates):
    """A corpus with its phrase bank and search index; safe to share between threads."""

    def __init__(
        self,
        corpus_path: Path | None = None,
        *,
        seed: bool = True,
        database: str | None = None,
        export_workers: int = 0,
        draft_cache: bool = True,
    ) -> None:
        """``export_workers`` > 0: Word files are made in that many worker processes (a server's choice);
        ``draft_cache``: composed drafts and reference searches are kept per corpus state (``app_drafts``)."""
        self._corpus_path = corpus_path
        self._database = database if database is not None else os.environ.get(DATABASE_ENV) or None
        self._seed = seed
        self._corpus: CorpusStore | None = None
        self._searcher: Searcher | PgSearcher | None = None
        self._bank: tuple[str | None, PhraseBank] | None = None
        self._visible: tuple[tuple[int, str, str | None], PhraseBank] | None = None
        self._lock = threading.RLock()
        self._update_lock = threading.Lock()
        self._updater: threading.Thread | None = None
        self._update_pending = False
        self._exports: ExportWorkers | None = None
        self._memo = DraftMemo() if draft_cache else None
        if export_workers > 0:
            from drafter.app_exports import ExportWorkers  # lazy: start-up (a server's choice)

            self._exports = ExportWorkers(export_workers)

    # --- the corpus -----------------------------------------------------------------------------------
    @property
    def corpus(self) -> CorpusStore:
        """The open corpus (opened, and for the default corpus seeded, on first use): the PostgreSQL
        database of ``database`` / ``$DRAFTER_DATABASE``, or an SQLite file."""
        with self._lock:
            if self._corpus is None:
                from drafter.corpus.locate import is_database_url, open_store  # lazy: start-up

                if self._database and (is_database_url(self._database) or self._corpus_path is None):
                    self._corpus = open_store(self._database)
                elif self._corpus_path is None:
                    self._corpus = open_default_corpus(seed=self._seed)
                else:
                    from drafter.corpus.opening import open_corpus  # lazy: start-up

                    self._corpus = open_corpus(self._corpus_path)
            return self._corpus

    def close(self) -> None:
        """Close the corpus file (and end the export workers)."""
        if self._exports is not None:
            self._exports.close()
        searcher = self._searcher
        if searcher is not None and not hasattr(searcher, "grow"):  # PostgreSQL: a background update ends
            searcher.wait(CLOSE_WAIT)
        with self._lock:
            if self._corpus is not None:
                self._corpus.close()
                self._corpus = None
                self._searcher = None  # it searched through the closed store

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        progress: bool = False,
        workers: int | None = None,
        limits: ParseLimits | None = None,
        actor: Actor | None = None,
        owner: Owner = COMMON,
    ) -> IngestReport:
        """Read, clean and store the reports in ``paths`` (files or folders); per-file failures in the report.

        With ``limits`` each file is parsed in a child process held to them; with ``actor`` every added
        document is written to the change log under that name; ``owner`` is the unit scope (and visibility)
        new documents go into (the common corpus by default).
        """
        from drafter.corpus.owned import OwnedSink  # lazy: start-up
        from drafter.ingest.run import ingest  # lazy: start-up

        sink = self.corpus if owner == COMMON else OwnedSink(self.corpus, owner)
        report = ingest(sink, list(paths), progress=progress, workers=workers, limits=limits)
        if actor is not None:
            for outcome in report.outcomes:
                for doc_id in outcome.added_ids:
                    self.review().record(actor, "add", doc_id, Path(outcome.path).name)
        return report

    # --- authorised changes ---------------------------------------------------------------------------
    def account_store(self) -> AccountStore:
        """Where this corpus keeps its units, accounts and sessions."""
        from drafter.accounts.store import SqliteAccounts  # lazy: start-up

        if self._database:  # named by --database: a PostgreSQL corpus keeps them in its database
            from drafter.accounts.pg_store import PgAccounts  # lazy: start-up
            from drafter.corpus.postgres import PgCorpus  # lazy: start-up

            corpus = self.corpus
            if isinstance(corpus, PgCorpus):
                return PgAccounts(corpus.pool, corpus.location)
        with self._lock:
            opened = self._corpus
        # Read without opening (a web page answers before the corpus loads); a missing file has no account.
        return SqliteAccounts(opened.path if opened else self._corpus_path or default_corpus_path())

    def review(self) -> Review:
        """The corpus's change log and held uploads (in its database for a PostgreSQL corpus)."""
        return self.corpus.review()

    def remove(self, doc_id: str, actor: Actor) -> str:
        """Remove a document (id or unique prefix) and log who did; the full id comes back."""
        title = self.corpus.get(doc_id).title
        full = self.corpus.remove(doc_id)
        self.review().record(actor, "remove", full, title)
        return full

    def set_visibility(self, doc_id: str, visibility: Visibility, actor: Actor) -> str:
        """Make a document private to its unit or shared city-wide, and log who did; the full id comes back."""
        full = self.corpus.set_visibility(doc_id, visibility)
        self.review().record(actor, "visibility", full, visibility)
        return full

    def hold_upload(
        self, paths: Sequence[Path], actor: Actor, limits: ParseLimits
    ) -> tuple[HeldBatch | None, list[tuple[str, str]]]:
        """Check uploaded files (parsed in limited child processes) and hold the readable ones for review.

        Returns the held batch (None when no file was readable) and ``(path, reason)`` for each refused file.
        """
        from drafter.ingest.sandbox import parse_isolated  # lazy: start-up

        held: list[Path] = []
        failures: list[tuple[str, str]] = []
        for path in paths:
            parsed = parse_isolated(path, limits)
            if parsed.failure is not None or not parsed.documents:
                failures.append((str(path), parsed.failure or "没有读出任何正文：请确认文件里有报告的文字。"))
            else:
                held.append(path)
        if not held:
            return None, failures
        return self.review().hold(held[0].parent, [p.name for p in held], actor), failures

    def held_batches(self) -> list[HeldBatch]:
        """Upload batches waiting for review, oldest first."""
        return self.review().batches("pending")

    def accept(self, batch_id: str, actor: Actor, limits: ParseLimits | None = None) -> IngestReport:
        """Ingest a held upload batch into the corpus and mark it accepted."""

        review = self.review()
        batch = review.batch(batch_id)
        if batch.state != "pending":
            review.decide(batch.id, "accepted", actor)  # raises: already decided
        report = self.ingest(batch.paths(), limits=limits or ParseLimits(), actor=actor)
        detail = f"新增 {report.documents_added} 篇，已存在 {report.documents_seen} 篇，失败 {len(report.failures)} 个"
        review.decide(batch.id, "accepted", actor, detail)
        return report

    def reject(self, batch_id: str, actor: Actor) -> HeldBatch:
        """Mark a held upload batch rejected and delete its files."""
        batch = self.review().decide(batch_id, "rejected", actor)
        for path in batch.paths():
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            batch.folder.rmdir()
        return batch

    def change_log(self, limit: int | None = None) -> list[Change]:
        """The corpus's change log, newest first."""
        return self.review().log(limit)

    def corpus_summaries(self, scope: Scope = EVERYTHING) -> list[DocSummary]:
        """One summary per stored document ``scope`` may see."""
        return self.corpus.summaries(scope)

    def document(self, doc_id: str, scope: Scope = EVERYTHING) -> Document:
        """The stored document with this id (or unique id prefix), when ``scope`` may see it."""
        return self.corpus.get(doc_id, scope)

    def document_row(self, doc_id: str, scope: Scope = EVERYTHING) -> dict[str, Any]:
        """One stored document as its JSON row, with every file it was seen in (``corpus show --json``)."""
        doc = self.corpus.get(doc_id, scope)
        return rows.document_row(doc, self.corpus.sources_of(doc.id))

    def export_documents(self, scope: Scope = EVERYTHING) -> Iterator[dict[str, Any]]:
        """Every document ``scope`` may see as a JSON-ready dict (the ``corpus export`` contract)."""
        pairs = self.corpus.documents_with_sources(scope)
        return (rows.document_row(doc, sources) for doc, sources in pairs)

    def export_passages(self, scope: Scope = EVERYTHING) -> Iterator[dict[str, Any]]:
        """Every passage ``scope`` may see as a JSON-ready dict (the ``corpus export --passages`` contract)."""
        pairs = self.corpus.passages_with_titles(scope)
        return (rows.passage_row(passage, title) for passage, title in pairs)

    # --- the phrase bank ------------------------------------------------------------------------------
    def mine(self) -> PhraseBank:
        """Mine the corpus's phrase bank and store it with the corpus."""
        return self._mine(must_store=True)

    def _mine(self, *, must_store: bool) -> PhraseBank:
        """The mined bank, stored with the corpus; kept in memory only when the corpus is read-only and
        ``must_store`` is off (drafting from a read-only corpus still works)."""
        from drafter.app_mining import mine_corpus  # lazy: start-up
        from drafter.phrases.curated import apply_curated, load_curated  # lazy: start-up
        from drafter.search.searcher import RELATED_BLOB  # lazy: start-up

        curated = load_curated()
        passages = [passage.text for passage, _doc in self.corpus.passages()]
        mined = mine_corpus(self.corpus.documents(), curated, passages=passages)
        with self._lock:
            try:
                self.corpus.save_phrases(mined.bank_json)
            except CorpusError:
                if must_store:
                    raise
            applied = apply_curated(mined.bank, curated)
            self._bank = (self.corpus.phrases_version(), applied)
        self.corpus.save_blob(RELATED_BLOB, mined.related_json)
        return applied

    def mine_related(self) -> int:
        """Learn and store the corpus's related terms alone (other wordings, and the query-term damping);
        how many words got some."""
        from drafter.search.damping import mine_damping  # lazy: start-up
        from drafter.search.related import mine_related, related_to_json  # lazy: start-up
        from drafter.search.searcher import RELATED_BLOB  # lazy: start-up
        from drafter.text.tokens import default_tokenizer  # lazy: start-up

        texts = [passage.text for passage, _doc in self.corpus.passages()]
        related = mine_related(texts, default_tokenizer())
        damping = mine_damping(texts, default_tokenizer())
        self.corpus.save_blob(RELATED_BLOB, related_to_json(related, damping))
        return len(related)

    def phrase_bank(self) -> PhraseBank:
        """The corpus's phrase bank with the curated file applied; mined now if the corpus has none yet.

        The bank is read and parsed once per saved version, not on every draft.
        """
        from drafter.phrases.codec import bank_from_json  # lazy: start-up
        from drafter.phrases.curated import apply_curated, load_curated  # lazy: start-up

        with self._lock:
            version = self.corpus.phrases_version()
            if self._bank is not None and self._bank[0] == version:
                return self._bank[1]
            stored = self.corpus.load_phrases()
            if stored is not None:
                bank = apply_curated(bank_from_json(stored), load_curated())
                self._bank = (version, bank)
                return bank
        # Mined outside the lock: a first mining takes minutes on a large corpus, and the corpus stays usable.
        return self._mine(must_store=False)

    def visible_bank(self, scope: Scope) -> PhraseBank:
        """The bank with only the examples and leads of documents ``scope`` may see (kept per corpus state)."""
        from drafter.phrases.visible import within  # lazy: start-up

        bank = self.phrase_bank()
        if scope.sees_all:
            return bank
        key = (id(bank), self.corpus.fingerprint(), scope.unit)
        with self._lock:
            if self._visible is None or self._visible[0] != key:
                ids = {s.id for s in self.corpus.summaries(scope)}
                self._visible = (key, within(bank, ids.__contains__))
            return self._visible[1]

    def phrase_rows(self, category: str | None = None, scope: Scope = EVERYTHING) -> list[dict[str, Any]]:
        """The bank as JSON-ready rows, best first (the ``phrases --json`` contract)."""
        return rows.phrase_rows(self.visible_bank(scope), category)

    def figure_suggestions(self) -> list[dict[str, Any]]:
        """Indicator suggestions for the form: ``{label, unit, pattern}`` from the bank's figure frames."""
        return rows.figure_suggestions(self.phrase_bank())

    # --- search ---------------------------------------------------------------------------------------
    def searcher(self) -> Searcher | PgSearcher:
        """The search engine over this corpus (index loaded or rebuilt on first use; in the database for
        a PostgreSQL corpus)."""
        from drafter.corpus.store import Corpus  # lazy: start-up

        with self._lock:
            if self._searcher is None:
                corpus = self.corpus
                if isinstance(corpus, Corpus):
                    self._searcher = corpus_searcher(corpus)
                else:
                    self._searcher = database_searcher(cast("PgCorpus", corpus))
            return self._searcher

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        """The ``k`` best passages for ``query`` (an empty list for an empty or meaningless query)."""
        return self.searcher().search(query, k, filters or SearchFilters())

    def prepare_for_searches(self) -> None:
        """Ready to cut and score many queries quickly (a server; costs a second or two and ~80 MB, so a
        command that searches once never does it): jieba's dictionary as a plain dict, and the scores summed
        by scipy's compiled kernel (``drafter.search.scatter``)."""
        from drafter.search.scatter import use_kernel  # lazy: start-up
        from drafter.text.tokens import default_tokenizer  # lazy: start-up

        default_tokenizer().for_many()
        use_kernel()

    def search_rows(
        self, query: str, k: int = 5, filters: SearchFilters | None = None
    ) -> list[dict[str, Any]]:
        """Search results as JSON-ready rows (the ``search --json`` contract)."""
        return [rows.hit_row(hit) for hit in self.search(query, k, filters)]
