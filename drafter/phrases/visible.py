"""The phrase bank as a viewer may see it: examples and leads only from the documents in their scope.

The bank is mined from the whole corpus; its patterns are phrasings with slots, but its examples and leads are
real sentences of real documents. For a writer of one unit every example and lead of a document they may not
see is dropped (a collocation's example, which names no document, is dropped too), so no sentence of another
unit's private report reaches their page or their draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from drafter.models import Example, PhraseBank


def within(bank: PhraseBank, visible: Callable[[str], bool]) -> PhraseBank:
    """``bank`` with only the examples and leads of documents ``visible`` accepts (by id)."""

    def kept(examples: tuple[Example, ...]) -> tuple[Example, ...]:
        return tuple(e for e in examples if e.doc_id == "curated" or visible(e.doc_id))

    return replace(
        bank,
        phrases=tuple(replace(p, examples=kept(p.examples)) for p in bank.phrases),
        families=tuple(replace(f, examples=kept(f.examples)) for f in bank.families),
        collocations=tuple(replace(c, example="") for c in bank.collocations),
        leads=tuple(lead for lead in bank.leads if not lead.doc_id or visible(lead.doc_id)),
    )
