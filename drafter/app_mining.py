"""``drafter mine``: the phrase bank and the related terms, every text cut once.

The phrase miners (``drafter.phrases.bank.mine``) cut every clause of a document; the related terms
(``drafter.search.related``) need the content words of the same document's passages, whose text is those
clauses joined by punctuation jieba never cuts across. Two ways, the same results:

- with a second core and a corpus worth a fork (``FORK_MIN_CHARS``), a forked child cuts the passages piece
  by piece, sends each passage's words to this process (``text.segment.pack``, ``search.counts.ForkedStream``)
  and learns the related terms from them, while this process mines the bank with those words
  (``SharedCuts.remember``): the cutting on one core, the miners on the other;
- otherwise the documents stream once: each goes to the miners through a ``SharedCuts`` that remembers its
  pieces' words, then its passages are read back from them (``words_by_piece``: the same words as cutting
  each passage whole) and the memory is dropped before the next document.

The query-term damping (``drafter.search.damping``) is counted in this process either way, from the
passages' words read back after the miners (the child, learning the related terms, has more to do).

Either way the miners hold one document's words at a time besides the counts (the child's words wait in
its memory until this process reads them).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drafter.models import Document, PhraseBank
    from drafter.phrases.curated import Curated
    from drafter.search.counts import ForkedStream
    from drafter.text.segment import SharedCuts
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

    With ``passages`` (the documents' passage texts, in the documents' order: another order gives the same
    results, more slowly) of at least ``FORK_MIN_CHARS`` and a second core, a forked child cuts them, sends
    their words here for the miners and learns the related terms from them while this process mines the
    bank. Otherwise one pass serves both (``SharedCuts``).
    """
    from drafter.phrases.bank import PhraseKeys, mine  # lazy: start-up
    from drafter.phrases.codec import bank_to_json  # lazy: start-up
    from drafter.phrases.increment import BankTally, with_tally  # lazy: start-up
    from drafter.search.counts import ForkedStream  # lazy: start-up
    from drafter.search.damping import DampingCounts  # lazy: start-up
    from drafter.search.related import RelatedCounts, content_of, related_to_json  # lazy: start-up
    from drafter.text.segment import SharedCuts, pack, pieces  # lazy: start-up
    from drafter.text.tokens import default_tokenizer  # lazy: start-up

    tokenizer = tokenizer if tokenizer is not None else default_tokenizer()
    tokenizer.for_many()  # a corpus is many cuts: the one-pass cutter from the first document on
    related = RelatedCounts()
    damping = DampingCounts()
    cuts = SharedCuts(tokenizer)
    forked: ForkedStream[str, dict[str, list[tuple[str, float]]]] | None = None
    words_of: Callable[[Document], None] = lambda _doc: None  # noqa: E731
    if passages is not None and _fork_pays(passages):
        texts = passages

        def cut_and_learn(send: Callable[[str], None]) -> dict[str, list[tuple[str, float]]]:
            for text in texts:
                cut = [tokenizer.words(piece) for piece in pieces(text)]
                send(pack(cut))
                related.add(content_of([word for words in cut for word in words]))
            return related.related()

        forked = ForkedStream(cut_and_learn)
        words_of = _receiver(texts, forked, cuts)
    counted: list[str] = []  # the documents mined, so that later ones are counted in

    def stream() -> Iterator[Document]:
        for doc in documents:
            counted.append(doc.id)
            words_of(doc)  # the child's words of its passages, when it cuts them …
            yield doc  # … the miners cut (or look up) its clauses through ``cuts`` …
            for passage in doc.passages:  # … and its passages are read back from them
                words = cuts.words_by_piece(passage.text)
                if forked is None:
                    related.add(content_of(words))
                damping.add(passage.text, words)  # here, not in the child: it has more to do
            cuts.forget()

    keys: PhraseKeys = {}
    with _collection_paused():
        bank = mine(stream(), cuts, curated, keys=keys)
        factors = damping.factors(tokenizer.general_idf)  # while the child may still be learning
        terms = forked.result() if forked is not None else related.related()
        if terms is None:  # the child died: learn them here
            from drafter.search.related import mine_related  # lazy: only when the child died

            assert passages is not None
            terms = mine_related(passages, tokenizer)
    bank_json = with_tally(bank_to_json(bank), BankTally(tuple(counted), keys))
    return Mined(bank, bank_json, terms, related_to_json(terms, factors), factors)


def _receiver(
    texts: Sequence[str], forked: ForkedStream[str, Any], cuts: SharedCuts
) -> Callable[[Document], None]:
    """What hands ``cuts`` a document's passages' words as the child sends them (one message per text of
    ``texts``, in order). The passages come in the documents' order, so only the document's own wait here;
    a passage the child never sends (another order, a dead child) is cut by the miners themselves."""
    arriving = zip(texts, forked.messages(), strict=False)  # the i-th message holds the words of texts[i]
    pending: dict[str, str] = {}

    def words_of(doc: Document) -> None:
        for passage in doc.passages:
            text = passage.text
            while text not in pending:
                sent = next(arriving, None)
                if sent is None:
                    break
                pending[sent[0]] = sent[1]
            packed = pending.pop(text, None)
            if packed is not None:
                cuts.remember(text, packed)

    return words_of


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
