"""Documents added to (or removed from) a mined phrase bank's counts without mining the corpus again.

``mine`` keeps, with the bank's JSON, the ids of the documents it counted and each mined phrase's key in its
miner's table (``BankTally``). ``add_documents`` runs the same miners over the added documents alone and
adds what they count under a phrase's key to that phrase: its occurrences, its documents, and its examples
up to ``MAX_EXAMPLES`` (a full mining streams the corpus in the order documents were added and keeps the
first examples, so an added document's sentence joins exactly where a new mining would put it). The
ranking (scores, order, which candidates become phrases) is global and stays as mined until ``drafter mine``:
a phrase that only the added documents lift over the threshold appears then. ``drop_documents`` takes a
removed document's examples and leads out at once; its occurrences stay counted until the next mining.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from drafter.models import Document, Example, Phrase, PhraseBank
from drafter.phrases.bank import PatternMiner, PhraseKeys, pattern_miners
from drafter.phrases.tally import MAX_EXAMPLES
from drafter.phrases.units import document_units
from drafter.text.tokens import Tokenizer

TALLY_FIELD = "tally"
"""The bank JSON's field holding its ``BankTally`` (readers of the bank ignore it)."""


@dataclass(frozen=True)
class BankTally:
    """What a mined bank counted: the documents (by id, in order) and each mined phrase's miner key."""

    counted: tuple[str, ...]
    keys: PhraseKeys


def with_tally(bank_json: str, tally: BankTally) -> str:
    """``bank_json`` (from ``bank_to_json``) with ``tally`` stored in it."""
    data = {
        "counted": list(tally.counted),
        "keys": [[category, pattern, m, key] for (category, pattern), (m, key) in tally.keys.items()],
    }
    body = bank_json.rstrip()
    if not body.endswith("}"):
        raise ValueError("not a JSON object")
    # Spliced in as the object's last field: the bank's own text is not parsed and written again.
    return f'{body[:-1].rstrip()},\n "{TALLY_FIELD}": {json.dumps(data, ensure_ascii=False)}\n}}'


def tally_of(bank_json: str) -> BankTally | None:
    """The tally stored in ``bank_json``; ``None`` for a bank stored without one (e.g. the shipped bank)."""
    try:
        data = json.loads(bank_json).get(TALLY_FIELD)
        if not isinstance(data, dict):
            return None
        keys = {(str(c), str(p)): (int(m), str(k)) for c, p, m, k in data["keys"]}
        return BankTally(tuple(str(i) for i in data["counted"]), keys)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def count_documents(documents: Iterable[Document], tokenizer: Tokenizer) -> dict[tuple[int, str], Any]:
    """What the bank's miners count in ``documents`` alone: (miner number, key) → (occurrences, documents,
    examples), every key seen at least once."""
    miners: tuple[PatternMiner, ...] = pattern_miners(tokenizer)
    for n, doc in enumerate(documents):
        units = document_units(doc, tokenizer)
        for miner in miners:
            miner.feed(units, n)
    return {
        (m, repr(key)): (count, docs, examples)
        for m, miner in enumerate(miners)
        for key, count, docs, examples in miner.table.seen()
    }


def add_documents(
    bank: PhraseBank, tally: BankTally, documents: Sequence[Document], tokenizer: Tokenizer
) -> tuple[PhraseBank, BankTally]:
    """``bank`` with ``documents`` (not yet counted in it) counted in, and the tally that says so."""
    fresh = [doc for doc in documents if doc.id not in set(tally.counted)]
    counts = count_documents(fresh, tokenizer)

    def grown(phrase: Phrase) -> Phrase:
        key = tally.keys.get((phrase.category, phrase.pattern)) if phrase.source == "mined" else None
        found = counts.get(key) if key is not None else None
        if found is None:
            return phrase
        count, docs, examples = found
        shown = (*phrase.examples, *examples)[: max(MAX_EXAMPLES, len(phrase.examples))]
        return replace(phrase, count=phrase.count + count, docs=phrase.docs + docs, examples=shown)

    bank = replace(bank, phrases=tuple(grown(p) for p in bank.phrases))
    return bank, BankTally((*tally.counted, *(doc.id for doc in fresh)), tally.keys)


def drop_documents(bank: PhraseBank, tally: BankTally, gone: set[str]) -> tuple[PhraseBank, BankTally]:
    """``bank`` without the examples and leads of the documents ``gone`` (removed from the corpus)."""

    def kept(examples: tuple[Example, ...]) -> tuple[Example, ...]:
        return tuple(e for e in examples if e.doc_id not in gone)

    bank = replace(
        bank,
        phrases=tuple(replace(p, examples=kept(p.examples)) for p in bank.phrases),
        families=tuple(replace(f, examples=kept(f.examples)) for f in bank.families),
        leads=tuple(lead for lead in bank.leads if lead.doc_id not in gone),
    )
    return bank, BankTally(tuple(i for i in tally.counted if i not in gone), tally.keys)
