"""``drafter mine`` in one pass: the bank as the phrase miners alone mine it, the related terms as learned
from the passages alone, whether one process cuts every text or a forked child cuts the passages for both."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from drafter.app_mining import Mined, mine_corpus
from drafter.ingest.documents import documents_from_file
from drafter.models import Document
from drafter.phrases.bank import mine
from drafter.phrases.codec import bank_to_json
from drafter.phrases.curated import load_curated
from drafter.search.counts import ForkedStream
from drafter.search.related import mine_related
from drafter.text.tokens import JiebaTokenizer, default_tokenizer, user_dictionary_path

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

    forked = _forked_mining(documents, passages, monkeypatch)
    assert bank_to_json(forked.bank) == bank_to_json(alone)
    assert forked.related == related
    assert '"tally"' in forked.bank_json
    assert documents[0].id in forked.bank_json
    # The child's death mid-way costs time, not results: the rest is cut, and the terms learned, here.
    dying = _forked_mining(documents, passages, monkeypatch, die_after=len(passages) // 2)
    assert bank_to_json(dying.bank) == bank_to_json(alone)
    assert dying.related == related


def _forked_mining(
    documents: list[Document], passages: list[str], monkeypatch: pytest.MonkeyPatch, die_after: int = -1
) -> Mined:
    """``mine_corpus`` with the passages cut in a forked child (which dies after ``die_after`` passages when
    that is not negative), checking that this process then cut only what the child did not send."""
    monkeypatch.setattr("drafter.app_mining.FORK_MIN_CHARS", 1)
    if (os.cpu_count() or 1) < 2:
        monkeypatch.setattr("drafter.app_mining.os.cpu_count", lambda: 2)
    parent = os.getpid()
    cut_here: list[int] = []
    cut_there = 0

    class Watched(JiebaTokenizer):
        def words(self, text: str) -> list[str]:
            nonlocal cut_there
            if os.getpid() == parent:
                cut_here.append(len(text))
            else:
                cut_there += 1
                if cut_there == die_after:
                    os._exit(1)  # killed mid-way: out of memory, kill -9
            return super().words(text)

    children: list[int] = []
    real_fork = ForkedStream.__init__

    def noting_fork(self: ForkedStream[object, object], work: object) -> None:
        real_fork(self, work)  # type: ignore[arg-type]
        children.append(self._child.pid or parent)

    monkeypatch.setattr(ForkedStream, "__init__", noting_fork)
    mined = mine_corpus(iter(documents), load_curated(), Watched(user_dictionary_path()), passages=passages)
    assert children  # the passages were cut in a child
    assert parent not in children
    total = sum(len(t) for t in passages)
    if die_after < 0:  # only what is not a passage's clause was cut here: headings, figure labels
        assert 0 < sum(cut_here) < 0.2 * total
    else:
        assert sum(cut_here) > 0.5 * total
    return mined


def test_a_forked_stream_delivers_its_messages_in_order_then_its_result() -> None:
    parent = os.getpid()

    def work(send: Callable[[int], None]) -> int:
        for n in range(1000):
            send(n)
        return os.getpid()

    stream: ForkedStream[int, int] = ForkedStream(work)
    assert list(stream.messages()) == list(range(1000))
    assert stream.result() not in (None, parent)
    assert ForkedStream(work).result() not in (None, parent)  # unread messages are dropped

    def dying(send: Callable[[int], None]) -> int:
        for n in range(1000):
            send(n)
        os._exit(1)

    died: ForkedStream[int, int] = ForkedStream(dying)
    got = list(died.messages())
    assert got == list(range(len(got)))  # what arrived arrived in order; the rest never comes
    assert died.result() is None
