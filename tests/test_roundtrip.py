"""A draft Drafter wrote this year is a past report next year: ingested back, it keeps its structure."""

from __future__ import annotations

import shutil
from pathlib import Path

from drafter.app import Drafter
from drafter.draft.form import load_form

REPO = Path(__file__).resolve().parent.parent


def test_a_drafted_docx_ingests_back_with_its_title_outline_and_figures(
    seeded_corpus: Path, tmp_path: Path
) -> None:
    corpus = tmp_path / "c.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    form = load_form(REPO / "examples" / "forms" / "keji_annual_2025.yaml")
    name, data, draft = Drafter(corpus, seed=False).draft_docx(form)
    docx = tmp_path / name
    docx.write_bytes(data)

    next_year = Drafter(tmp_path / "next.sqlite3", seed=False)
    report = next_year.ingest([docx])
    assert not report.failures
    (summary,) = next_year.corpus_summaries()
    doc = next_year.document(summary.id)

    assert doc.title == draft.title
    assert (doc.kind, doc.year, doc.unit) == ("annual", 2025, form.unit)
    assert [s.number + s.heading for s in doc.sections if s.level == 1] == [
        n.number + n.heading for n in draft.nodes
    ]
    assert [s.heading for s in doc.sections if s.level == 2] == [
        child.heading for n in draft.nodes for child in n.children
    ]
    assert "同比增长29.6%" in doc.text
    # the reference passages travel as Word comments, not as text of the report
    reference = draft.nodes[0].children[0].references[0].text
    assert reference[:30] not in doc.text
