"""The corpus as ingest's sink for one owner: every new document stored in that unit's scope.

A text another unit already holds privately is stored again as the uploading unit's own copy (its id derived
from the text's id and the unit): telling the uploader "already stored" would reveal that the other unit
holds it, and storing nothing would leave the uploader without the report it just gave. Whoever sees both
copies (the administrator) meets them folded into one hit, as near-identical passages are.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from drafter.corpus.protocol import CorpusStore
from drafter.errors import NotFoundError
from drafter.models import Document
from drafter.scopes import EVERYTHING, Owner, Scope


def unit_copy(doc: Document, unit: str) -> Document:
    """``doc`` as ``unit``'s own copy: a new id (16 hex digits, from the text's id and the unit) and passages."""
    doc_id = hashlib.sha256(f"{doc.id}\0{unit}".encode()).hexdigest()[:16]
    passages = tuple(replace(p, id=f"{doc_id}-{p.position:04d}", doc_id=doc_id) for p in doc.passages)
    return replace(doc, id=doc_id, passages=passages)


class OwnedSink:
    """Adds documents to ``corpus`` as ``owner``'s (a document already stored keeps its owner and visibility,
    unless the owner's unit may not see it: then the unit gets its own copy)."""

    def __init__(self, corpus: CorpusStore, owner: Owner) -> None:
        self._corpus = corpus
        self._owner = owner

    def _hidden(self, doc_id: str) -> bool:
        """Whether ``doc_id`` is stored but out of the owner's unit's sight (another unit's private text)."""
        try:
            self._corpus.get(doc_id, EVERYTHING)
        except NotFoundError:
            return False
        try:
            self._corpus.get(doc_id, Scope(self._owner.unit))
        except NotFoundError:
            return True
        return False

    def add(self, doc: Document, source: str | None = None) -> bool:
        """True when ``doc`` was new (to the owner's unit)."""
        owned = replace(doc, owner_unit=self._owner.unit, visibility=self._owner.visibility)
        if self._owner.unit and self._hidden(doc.id):
            owned = unit_copy(owned, self._owner.unit)
        return self._corpus.add(owned, source)
