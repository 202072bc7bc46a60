"""``drafter mine`` in one pass: the bank as the phrase miners alone mine it, the related terms as learned
from the passages alone, whether they share the cut words or are learned in a forked child."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drafter.app_mining import mine_corpus
from drafter.ingest.documents import documents_from_file
from drafter.models import Document
from drafter.phrases.bank import mine
from drafter.phrases.codec import bank_to_json
from drafter.phrases.curated import load_curated
from drafter.search.counts import ForkedWork
from drafter.search.related import mine_related
from drafter.text.tokens import default_tokenizer

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "corpus"


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    docs = [doc for path in sorted(SEEDS.glob("*.txt")) for doc in documents_from_file(path)]
    assert len(docs) >= 10
    assert all(doc.passages for doc in docs)
    return docs


@pytest.mark.slow
def test_one_pass_mines_the_same_bank_and_related_terms_as_two(
    documents: list[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    curated = load_curated()
    passages = [p.text for doc in documents for p in doc.passages]
    alone = mine(iter(documents), default_tokenizer(), curated)
    related = mine_related(passages, default_tokenizer())
    assert len(related) > 50

    shared = mine_corpus(iter(documents), curated)  # no passages given: one pass, words shared
    assert bank_to_json(shared.bank) == bank_to_json(alone)
    assert shared.related == related

    monkeypatch.setattr("drafter.app_mining.FORK_MIN_CHARS", 1)
    if (os.cpu_count() or 1) < 2:
        monkeypatch.setattr("drafter.app_mining.os.cpu_count", lambda: 2)
    parent = os.getpid()
    children: list[int] = []
    real_fork = ForkedWork.__init__

    def noting_fork(self: ForkedWork[object], work: object) -> None:
        real_fork(self, work)  # type: ignore[arg-type]
        children.append(self._child.pid or parent)

    monkeypatch.setattr(ForkedWork, "__init__", noting_fork)
    forked = mine_corpus(iter(documents), curated, passages=passages)
    assert children  # the related terms were learned in a child
    assert parent not in children
    assert bank_to_json(forked.bank) == bank_to_json(alone)
    assert forked.related == related
    assert '"tally"' in forked.bank_json
    assert documents[0].id in forked.bank_json


def test_work_whose_child_dies_is_done_here() -> None:
    parent = os.getpid()

    def work() -> list[int]:
        if os.getpid() != parent:
            os._exit(1)  # killed mid-way: out of memory, kill -9
        return [1, 2, 3]

    assert ForkedWork(work).result() == [1, 2, 3]
    assert ForkedWork(os.getpid).result() != parent
