"""The corpus as ingest's sink for one owner: every new document stored in that unit's scope."""

from __future__ import annotations

from dataclasses import replace

from drafter.corpus.protocol import CorpusStore
from drafter.models import Document
from drafter.scopes import Owner


class OwnedSink:
    """Adds documents to ``corpus`` as ``owner``'s (a document already stored keeps its owner and visibility)."""

    def __init__(self, corpus: CorpusStore, owner: Owner) -> None:
        self._corpus = corpus
        self._owner = owner

    def add(self, doc: Document, source: str | None = None) -> bool:
        """True when ``doc`` was new."""
        owned = replace(doc, owner_unit=self._owner.unit, visibility=self._owner.visibility)
        return self._corpus.add(owned, source)
