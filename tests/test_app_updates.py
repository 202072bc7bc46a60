"""After ``drafter ingest`` of a new report, search finds it and the phrase bank counts it, without a rebuild;
``--rebuild`` gives what a fresh build and mining give; a removed report leaves no sentence behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from drafter.app import Drafter
from drafter.cli import cli
from drafter.models import PhraseBank
from drafter.phrases.codec import bank_from_json
from drafter.phrases.increment import tally_of
from drafter.search.searcher import Searcher
from tests.conftest import SEEDS
from tests.search.test_increment import sentences

FILES = sorted(SEEDS.glob("*.txt"))
pytestmark = pytest.mark.slow  # each test mines the sample corpus (5–15 s on a busy machine)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def stored_bank(drafter: Drafter) -> PhraseBank:
    text = drafter.corpus.load_phrases()
    assert text is not None
    return bank_from_json(text)


def counts(bank: PhraseBank) -> dict[tuple[str, str], tuple[int, int, tuple[str, ...]]]:
    """Each mined phrase's occurrences, documents and the documents of its examples."""
    return {
        (p.category, p.pattern): (p.count, p.docs, tuple(e.doc_id for e in p.examples))
        for p in bank.phrases
        if p.source == "mined"
    }


@pytest.fixture
def prepared(corpus_path: Path) -> Drafter:
    """Four sample reports, searched once (the index built and saved) and mined."""
    drafter = Drafter(corpus_path, seed=False)
    drafter.ingest(FILES[:-1], workers=1)
    drafter.search("科技创新")
    drafter.mine()
    return drafter


def test_an_added_report_is_counted_in_the_bank_as_a_new_mining_would(
    prepared: Drafter, tmp_path: Path
) -> None:
    before = counts(stored_bank(prepared))
    report = prepared.ingest(FILES[-1:], workers=1)
    (doc_id,) = report.outcomes[0].added_ids
    update = prepared.update()
    assert (update.index, update.bank, update.bank_documents) == ("added", "added", 1)
    grown = counts(stored_bank(prepared))
    assert grown.keys() == before.keys()  # the ranking stays as mined until `drafter mine`
    assert sum(n for n, _, _ in grown.values()) > sum(n for n, _, _ in before.values())
    # A fresh mining of the same five reports counts every phrase they share exactly as the update did.
    fresh = Drafter(tmp_path / "fresh.sqlite3", seed=False)
    fresh.ingest(FILES, workers=1)
    mined = counts(fresh.mine())
    shared = grown.keys() & mined.keys()
    assert len(shared) >= 0.9 * len(grown)
    assert {k: grown[k] for k in shared} == {k: mined[k] for k in shared}
    assert any(doc_id in examples for _, _, examples in grown.values())
    in_use = counts(prepared.phrase_bank())  # what drafting uses now, without reloading
    assert all(in_use[k] == v for k, v in grown.items() if k in in_use)
    tally = tally_of(prepared.corpus.load_phrases() or "")
    assert tally is not None
    assert tally.counted[-1] == doc_id
    assert prepared.update().bank == "current"  # counted once, never twice


def test_a_removed_report_leaves_no_example_or_lead(prepared: Drafter) -> None:
    gone = prepared.corpus_summaries()[0].id
    assert any(e.doc_id == gone for p in stored_bank(prepared).phrases for e in p.examples)
    prepared.corpus.remove(gone)
    assert prepared.update().bank == "added"
    bank = prepared.phrase_bank()
    assert all(e.doc_id != gone for p in bank.phrases for e in p.examples)
    assert all(e.doc_id != gone for f in bank.families for e in f.examples)
    assert all(lead.doc_id != gone for lead in bank.leads)


def test_cli_ingest_updates_index_and_bank_and_rebuild_starts_afresh(prepared: Drafter) -> None:
    path = prepared.corpus.path
    known = {doc.id for doc in prepared.corpus_summaries()}
    prepared.close()
    added = run("ingest", FILES[-1], "--corpus", path)
    assert added.exit_code == 0, added.output
    assert "检索索引已增量更新" in added.stderr
    assert "短语库已计入新增的 1 篇" in added.stderr
    reader = Drafter(path, seed=False)
    (new,) = [doc.id for doc in reader.corpus_summaries() if doc.id not in known]
    text = reader.document(new).text
    reader.close()
    sentence = sentences(text)[1]
    hits = json.loads(run("search", sentence, "--json", "-k", "1", "--corpus", path).stdout)
    assert sentence[5:20] in hits[0]["text"]

    rebuilt = run("ingest", "--rebuild", FILES[-1], "--corpus", path)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "检索索引已从头重建" in rebuilt.stderr
    assert "短语库已重新挖掘" in rebuilt.stderr
    again = Drafter(path, seed=False)
    searcher = again.searcher()
    assert isinstance(searcher, Searcher)
    assert searcher.index().stats.added == 0  # every passage weighed with the whole corpus's statistics
    after = json.loads(run("search", sentence, "--json", "-k", "1", "--corpus", path).stdout)
    assert [h["passage_id"] for h in after] == [h["passage_id"] for h in hits]


def test_mine_rebuild_also_rebuilds_the_index(prepared: Drafter) -> None:
    prepared.ingest(FILES[-1:], workers=1)
    prepared.update()
    path = prepared.corpus.path
    prepared.close()
    result = run("mine", "--rebuild", "--corpus", path)
    assert result.exit_code == 0, result.output
    again = Drafter(path, seed=False)
    searcher = again.searcher()
    assert isinstance(searcher, Searcher)
    assert searcher.loaded() is not None
    assert searcher.index().stats.added == 0
    assert searcher.last_change == ""  # the saved index was current: loaded, not grown or rebuilt again


def test_cli_remove_takes_the_report_out_of_search_and_examples(prepared: Drafter) -> None:
    path = prepared.corpus.path
    gone = prepared.corpus_summaries()[0].id
    said = sentences(prepared.document(gone).text)
    prepared.close()
    result = run("corpus", "remove", gone[:8], "--corpus", path)
    assert result.exit_code == 0, result.output
    assert "检索索引已增量更新" in result.stderr
    rows = json.loads(run("phrases", "--json", "--corpus", path).stdout)
    assert rows
    assert all(example["doc_id"] != gone for row in rows for example in row["examples"])
    for sentence in said:
        hits = json.loads(run("search", sentence, "--json", "-k", "10", "--corpus", path).stdout)
        assert all(hit["doc_id"] != gone for hit in hits), sentence
