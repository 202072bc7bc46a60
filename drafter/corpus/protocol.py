"""The store contract: what the application, the CLI, the web and the search read from and write to a corpus.

Two implementations: ``drafter.corpus.store.Corpus`` (one SQLite file, the embedded default) and
``drafter.corpus.postgres.PgCorpus`` (a PostgreSQL database shared by several web workers). Which one is
opened is decided by ``drafter.corpus.locate.open_store`` from the ``--database`` / ``DRAFTER_DATABASE``
URL. Every method behaves alike on both; tests/test_store_contract.py runs the same tests on each.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from drafter.corpus.review import Review
from drafter.models import DocKind, DocSummary, Document, Passage
from drafter.scopes import EVERYTHING, Scope, Visibility

__all__ = ["CorpusStore"]


class CorpusStore(Protocol):
    """A corpus: documents with their passages and sources, the phrase bank and opaque learned texts."""

    @property
    def path(self) -> Path:
        """A local file naming this store: the SQLite file, or for a database a per-host side file
        (held uploads' files live beside it)."""
        ...

    def review(self) -> Review:
        """The change log and held uploads: tables of the SQLite file, or of the database (every host
        sees one log)."""
        ...

    # --- writing ---------------------------------------------------------------------------------------
    def add(self, doc: Document, source: str | None = None) -> bool:
        """True when ``doc`` was new; a known document only gains ``source`` among its sources.

        One transaction per document; two writers adding the same document store one copy."""
        ...

    def set_visibility(self, doc_id: str, visibility: Visibility) -> str:
        """Make a document shared or private (to its owner unit); the full id comes back."""
        ...

    def remove(self, doc_id: str) -> str:
        """The full id of the removed document (``doc_id`` may be a unique prefix)."""
        ...

    def save_phrases(self, bank_json: str) -> None:
        """Store the mined phrase bank (JSON text), replacing the previous one."""
        ...

    def save_blob(self, name: str, text: str) -> None:
        """Store ``text`` under ``name`` (what later stages learned from the corpus; opaque here)."""
        ...

    # --- reading ---------------------------------------------------------------------------------------
    def load_blob(self, name: str) -> str | None:
        """The text stored under ``name`` by ``save_blob``, or None."""
        ...

    def blob_version(self, name: str) -> str | None:
        """A token that changes whenever ``name`` is saved again (None before the first)."""
        ...

    def load_phrases(self) -> str | None:
        """The stored phrase bank JSON, or None."""
        ...

    def phrases_version(self) -> str | None:
        """A token that changes whenever a phrase bank is saved (None before the first)."""
        ...

    def count(self) -> int:
        """How many documents the corpus holds."""
        ...

    def fingerprint(self) -> str:
        """A short hash that changes whenever a document is added or removed (and only then)."""
        ...

    def get(self, doc_id: str, scope: Scope = EVERYTHING) -> Document:
        """The document with id ``doc_id`` or a unique prefix of it (at least 6 characters); a document
        ``scope`` may not see reads as missing."""
        ...

    def sources_of(self, doc_id: str) -> tuple[str, ...]:
        """Every file the document was seen in, first seen first."""
        ...

    def summaries(self, scope: Scope = EVERYTHING) -> list[DocSummary]:
        """One summary per document ``scope`` may see, in the order they were added."""
        ...

    def documents(self, *, kinds: Sequence[DocKind] | None = None) -> Iterator[Document]:
        """Every document (optionally of ``kinds`` only) in the order added."""
        ...

    def passages(self) -> Iterator[tuple[Passage, DocSummary]]:
        """Every passage with its document's summary, for indexing."""
        ...

    def documents_with_sources(self, scope: Scope = EVERYTHING) -> Iterator[tuple[Document, tuple[str, ...]]]:
        """Every document ``scope`` may see with every file it was seen in, in the order added."""
        ...

    def passages_with_titles(self, scope: Scope = EVERYTHING) -> Iterator[tuple[Passage, str]]:
        """Every passage of the documents ``scope`` may see with its document's title, in the order added."""
        ...

    def close(self) -> None:
        """Release the file or the connections (safe to call twice)."""
        ...
