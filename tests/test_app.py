"""The application object: the default corpus and its seeding, and what the web server and the command line see
of one corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drafter.app import Drafter, open_default_corpus


def test_the_bank_is_parsed_once_and_a_remined_bank_is_picked_up(seeded_corpus: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "c.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    server = Drafter(corpus, seed=False)
    first = server.phrase_bank()
    assert server.phrase_bank() is first  # no re-read per draft request

    Drafter(corpus, seed=False).mine()  # `drafter mine` run while the server is up
    refreshed = server.phrase_bank()
    assert refreshed is not first
    assert server.phrase_bank() is refreshed
    assert refreshed.phrases


def test_default_corpus_is_seeded_from_the_sample_corpus(seeds_dir: Path) -> None:
    from drafter.resources import default_corpus_path

    target = default_corpus_path()
    target.unlink(missing_ok=True)
    with open_default_corpus() as corpus:
        assert corpus.path == target
        seeded = corpus.count()
        assert seeded >= 20  # the five seed pages hold 20 reports once split
        sources = {s for summary in corpus.summaries() for s in summary.sources}
        assert {Path(s.split("#")[0]).name for s in sources} == {p.name for p in seeds_dir.glob("*.txt")}
    assert [p.name for p in target.parent.iterdir() if "seeding" in p.name] == []
    with open_default_corpus() as again:  # the second use opens it, it does not seed twice
        assert again.count() == seeded
    target.unlink()


def test_seeding_stores_the_shipped_phrase_bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafter.models import Phrase, PhraseBank
    from drafter.phrases.codec import bank_from_json, bank_to_json
    from drafter.resources import default_corpus_path

    shipped = tmp_path / "phrasebank"
    shipped.mkdir()
    bank = PhraseBank((Phrase("plan_opener", "实施{X}工程", count=7, docs=3),))
    (shipped / "mined.json").write_text(bank_to_json(bank), encoding="utf-8")
    monkeypatch.setattr("drafter.app.bundled_dir", lambda name: tmp_path / name)
    default_corpus_path().unlink(missing_ok=True)
    with open_default_corpus() as corpus:
        stored = corpus.load_phrases()
    default_corpus_path().unlink()
    assert stored is not None
    assert bank_from_json(stored) == bank


def test_default_corpus_not_seeded_when_asked_not_to() -> None:
    from drafter.resources import default_corpus_path

    default_corpus_path().unlink(missing_ok=True)
    with open_default_corpus(seed=False) as corpus:
        assert corpus.count() == 0
    default_corpus_path().unlink()


def test_drafter_corpus_variable_names_an_unseeded_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "team.sqlite3"
    monkeypatch.setenv("DRAFTER_CORPUS", str(target))
    with open_default_corpus() as corpus:
        assert corpus.path == target
        assert corpus.count() == 0
