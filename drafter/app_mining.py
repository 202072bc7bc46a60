"""``drafter mine``: the phrase bank and the related terms, each document cut once per process.

The phrase miners (``drafter.phrases.bank.mine``) cut every clause of a document; the related terms
(``drafter.search.related``) need the content words of the same document's passages, whose text is those
clauses joined by punctuation jieba never cuts across. Two ways, the same results:

- with a second core and a corpus worth a fork (``FORK_MIN_CHARS``), a forked child cuts the passages and
  learns the related terms while this process mines the bank: each core cuts what its step needs;
- otherwise the documents stream once: each goes to the miners through a ``SharedCuts`` that remembers its
  pieces' words, then its passages are read back from them (``words_by_piece``: the same words as cutting
  each passage whole) and the memory is dropped before the next document.

Either way only one document's words are held at a time besides the counts.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drafter.models import Document, PhraseBank
    from drafter.phrases.curated import Curated
    from drafter.text.tokens import JiebaTokenizer


FORK_MIN_CHARS = 300_000
"""Passages shorter than this in all are learned from in this process: a fork would cost more than it saves."""


@dataclass(frozen=True)
class Mined:
    """What ``drafter mine`` stores: the bank (uncurated), its JSON with the tally later updates count into,
    and the related terms with their JSON (which holds the query-term damping mined beside them too)."""

    bank: PhraseBank
    bank_json: str
    related: dict[str, list[tuple[str, float]]]
    related_json: str
    damping: dict[str, float]


def mine_corpus(
    documents: Iterable[Document],
    curated: Curated,
    tokenizer: JiebaTokenizer | None = None,
    *,
    passages: Sequence[str] | None = None,
) -> Mined:
    """The phrase bank (with ``curated``'s bans) and the related terms of ``documents`` (``tokenizer``: the
    process's shared one when not given).

    With ``passages`` (the documents' passage texts, in any order) of at least ``FORK_MIN_CHARS`` and a
    second core, the related terms are learned from them in a forked child while this process mines the
    bank: each process cuts what it needs, on its own core. Otherwise one pass serves both (``SharedCuts``).
    """
    from drafter.phrases.bank import PhraseKeys, mine  # lazy: start-up
    from drafter.phrases.codec import bank_to_json  # lazy: start-up
    from drafter.phrases.increment import BankTally, with_tally  # lazy: start-up
    from drafter.search.counts import ForkedWork  # lazy: start-up
    from drafter.search.damping import DampingCounts  # lazy: start-up
    from drafter.search.related import RelatedCounts, content_of, related_to_json  # lazy: start-up
    from drafter.text.segment import SharedCuts  # lazy: start-up
    from drafter.text.tokens import default_tokenizer  # lazy: start-up

    tokenizer = tokenizer if tokenizer is not None else default_tokenizer()
    tokenizer.for_many()  # a corpus is many cuts: the one-pass cutter from the first document on
    related = RelatedCounts()
    damping = DampingCounts()
    forked: ForkedWork[tuple[dict[str, list[tuple[str, float]]], dict[str, float]]] | None = None
    if passages is not None and _fork_pays(passages):
        texts = passages

        def learn() -> tuple[dict[str, list[tuple[str, float]]], dict[str, float]]:
            for text in texts:
                words = tokenizer.words(text)
                related.add(content_of(words))
                damping.add(text, words)
            return related.related(), damping.factors(tokenizer.general_idf)

        forked = ForkedWork(learn)
    cuts = SharedCuts(tokenizer)
    counted: list[str] = []  # the documents mined, so that later ones are counted in

    def stream() -> Iterator[Document]:
        for doc in documents:
            counted.append(doc.id)
            yield doc  # the miners cut its clauses through ``cuts`` …
            if forked is None:  # … and its passages are read back from them
                for passage in doc.passages:
                    words = cuts.words_by_piece(passage.text)
                    related.add(content_of(words))
                    damping.add(passage.text, words)
            cuts.forget()

    keys: PhraseKeys = {}
    with _collection_paused():
        bank = mine(stream(), cuts, curated, keys=keys)
        if forked is not None:
            terms, factors = forked.result()
        else:
            terms, factors = related.related(), damping.factors(tokenizer.general_idf)
    bank_json = with_tally(bank_to_json(bank), BankTally(tuple(counted), keys))
    return Mined(bank, bank_json, terms, related_to_json(terms, factors), factors)


def _fork_pays(passages: Sequence[str]) -> bool:
    """Whether learning the related terms in a child, beside the bank, is worth a fork."""
    return (
        (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and sum(len(t) for t in passages) >= FORK_MIN_CHARS
    )


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
