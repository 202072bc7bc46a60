"""The one object the command line and the web app share: a corpus and everything built on it.

``Drafter`` opens the corpus lazily, keeps the phrase bank and the search index loaded once per process,
and exposes each capability as a method returning models or JSON-ready rows. It holds no presentation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.models import Draft, Hit, PhraseBank, SearchFilters

if TYPE_CHECKING:
    from drafter.corpus.store import Corpus, DocSummary
    from drafter.draft.form import Form
    from drafter.ingest.run import IngestReport
    from drafter.models import Document
    from drafter.search.searcher import Searcher


class Drafter:
    """A corpus with its phrase bank and search index; safe to share between threads."""

    def __init__(self, corpus_path: Path | None = None, *, seed: bool = True) -> None:
        self._corpus_path = corpus_path
        self._seed = seed
        self._corpus: Corpus | None = None
        self._searcher: Searcher | None = None
        self._bank: tuple[str | None, PhraseBank] | None = None
        self._lock = threading.RLock()

    # --- the corpus -----------------------------------------------------------------------------------
    @property
    def corpus(self) -> Corpus:
        """The open corpus (opened, and for the default corpus seeded, on first use)."""
        with self._lock:
            if self._corpus is None:
                from drafter.corpus.store import open_corpus

                self._corpus = open_corpus(self._corpus_path, seed=self._seed)
            return self._corpus

    def close(self) -> None:
        """Close the corpus file."""
        with self._lock:
            if self._corpus is not None:
                self._corpus.close()
                self._corpus = None

    def ingest(
        self, paths: Sequence[Path], *, progress: bool = False, workers: int | None = None
    ) -> IngestReport:
        """Read, clean and store the reports in ``paths`` (files or folders); per-file failures in the report."""
        from drafter.ingest.run import ingest

        return ingest(self.corpus, list(paths), progress=progress, workers=workers)

    def corpus_summaries(self) -> list[DocSummary]:
        """One summary row per stored document."""
        return self.corpus.summaries()

    def document(self, doc_id: str) -> Document:
        """The stored document with this id (or unique id prefix)."""
        return self.corpus.get(doc_id)

    def export_documents(self) -> Iterator[dict[str, Any]]:
        """Every document as a JSON-ready dict (the ``corpus export`` contract)."""
        return self.corpus.export_documents()

    def export_passages(self) -> Iterator[dict[str, Any]]:
        """Every passage as a JSON-ready dict (the ``corpus export --passages`` contract)."""
        return self.corpus.export_passages()

    # --- the phrase bank ------------------------------------------------------------------------------
    def mine(self) -> PhraseBank:
        """Mine the corpus's phrase bank and store it with the corpus."""
        from drafter.phrases.bank import apply_curated, bank_to_json, load_curated, mine
        from drafter.text.tokens import default_tokenizer

        curated = load_curated()
        bank = mine(self.corpus.documents(), default_tokenizer(), curated)
        with self._lock:
            self.corpus.save_phrases(bank_to_json(bank))
            applied = apply_curated(bank, curated)
            self._bank = (self.corpus.phrases_version(), applied)
        return applied

    def phrase_bank(self) -> PhraseBank:
        """The corpus's phrase bank with the curated file applied; mined now if the corpus has none yet.

        The bank is read and parsed once per saved version, not on every draft.
        """
        from drafter.phrases.bank import apply_curated, bank_from_json, load_curated

        with self._lock:
            version = self.corpus.phrases_version()
            if self._bank is not None and self._bank[0] == version:
                return self._bank[1]
            stored = self.corpus.load_phrases()
            if stored is None:
                return self.mine()
            bank = apply_curated(bank_from_json(stored), load_curated())
            self._bank = (version, bank)
            return bank

    def phrase_rows(self, category: str | None = None) -> list[dict[str, Any]]:
        """The bank as JSON-ready rows, best first (the ``phrases --json`` contract)."""
        from drafter.phrases.bank import phrase_rows

        return phrase_rows(self.phrase_bank(), category)

    def figure_suggestions(self) -> list[dict[str, Any]]:
        """Indicator suggestions for the form: ``{label, unit, pattern}`` from the bank's figure frames."""
        from drafter.phrases.bank import figure_frames

        rows: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for phrase in figure_frames(self.phrase_bank()):
            key = (phrase.label or "", phrase.unit or "")
            if phrase.label and key not in seen:
                seen.add(key)
                rows.append({"label": phrase.label, "unit": phrase.unit or "", "pattern": phrase.pattern})
        return rows

    # --- search ---------------------------------------------------------------------------------------
    def searcher(self) -> Searcher:
        """The search engine over this corpus (index loaded or rebuilt on first use)."""
        with self._lock:
            if self._searcher is None:
                from drafter.search.searcher import corpus_searcher

                self._searcher = corpus_searcher(self.corpus)
            return self._searcher

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        """The ``k`` best passages for ``query`` (an empty list for an empty or meaningless query)."""
        return self.searcher().search(query, k, filters or SearchFilters())

    def search_rows(
        self, query: str, k: int = 5, filters: SearchFilters | None = None
    ) -> list[dict[str, Any]]:
        """Search results as JSON-ready rows (the ``search --json`` contract)."""
        from drafter.search.searcher import hit_row

        return [hit_row(hit) for hit in self.search(query, k, filters)]

    # --- drafting -------------------------------------------------------------------------------------
    def compose(self, form: Form, *, references: bool = True) -> Draft:
        """The draft for ``form``: skeleton, register from the bank, figures, and reference passages."""
        from drafter.draft.compose import compose

        return compose(form, self.phrase_bank(), self.search if references else None)

    def preview(self, form: Form) -> dict[str, Any]:
        """What the draft will hold, JSON-ready: outline, figure wording, placeholders, references."""
        from drafter.draft.compose import preview_of

        return preview_of(form, self.compose(form))

    def draft_docx(self, form: Form, *, reference_docx: Path | None = None) -> tuple[str, bytes, Draft]:
        """The draft as a Word file: ``(file name, bytes, draft)``."""
        from drafter.draft.docx import draft_filename, draft_to_bytes

        draft = self.compose(form)
        return draft_filename(draft), draft_to_bytes(draft, reference_docx=reference_docx), draft
