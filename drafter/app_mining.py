"""``drafter mine`` in one pass: the phrase bank and the related terms from the same cut words.

The phrase miners (``drafter.phrases.bank.mine``) cut every clause of a document; the related terms
(``drafter.search.related``) need the content words of the same document's passages, whose text is those
clauses joined by punctuation jieba never cuts across. So the documents stream once: each goes to the
miners through a ``SharedCuts`` that remembers its pieces' words, then its passages are read back from
them (``words_by_piece``: the same words as cutting each passage whole), and the memory is dropped before
the next document. Nothing is cut twice, and only one document's words are held at a time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drafter.models import Document, PhraseBank
    from drafter.phrases.curated import Curated
    from drafter.text.tokens import JiebaTokenizer


@dataclass(frozen=True)
class Mined:
    """What ``drafter mine`` stores: the bank (uncurated), its JSON with the tally later updates count into,
    and the related terms with their JSON."""

    bank: PhraseBank
    bank_json: str
    related: dict[str, list[tuple[str, float]]]
    related_json: str


def mine_corpus(
    documents: Iterable[Document], curated: Curated, tokenizer: JiebaTokenizer | None = None
) -> Mined:
    """The phrase bank (with ``curated``'s bans) and the related terms of ``documents``, in one pass
    (``tokenizer``: the process's shared one when not given)."""
    from drafter.phrases.bank import PhraseKeys, mine  # lazy: start-up
    from drafter.phrases.codec import bank_to_json  # lazy: start-up
    from drafter.phrases.increment import BankTally, with_tally  # lazy: start-up
    from drafter.search.related import RelatedCounts, content_of, related_to_json  # lazy: start-up
    from drafter.text.segment import SharedCuts  # lazy: start-up
    from drafter.text.tokens import default_tokenizer  # lazy: start-up

    tokenizer = tokenizer if tokenizer is not None else default_tokenizer()
    tokenizer.for_many()  # a corpus is many cuts: the one-pass cutter from the first document on
    cuts = SharedCuts(tokenizer)
    related = RelatedCounts()
    counted: list[str] = []  # the documents mined, so that later ones are counted in

    def stream() -> Iterator[Document]:
        for doc in documents:
            counted.append(doc.id)
            yield doc  # the miners cut its clauses through ``cuts`` …
            for passage in doc.passages:  # … and its passages are read back from them
                related.add(content_of(cuts.words_by_piece(passage.text)))
            cuts.forget()

    keys: PhraseKeys = {}
    with _collection_paused():
        bank = mine(stream(), cuts, curated, keys=keys)
        terms = related.related()
    bank_json = with_tally(bank_to_json(bank), BankTally(tuple(counted), keys))
    return Mined(bank, bank_json, terms, related_to_json(terms))


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cycle collector off while mining: the tallies are millions of small acyclic objects it
    would otherwise walk again and again as they grow (a tenth of mining time); it runs once after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
