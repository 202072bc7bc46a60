"""The round trip a writer makes in December: draft 2025 from a form, take the Word file as last year's
report, pre-fill 2026 from it, draft 2026."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from drafter.app import Drafter
from drafter.draft.form import load_form, parse_form
from drafter.models import Draft

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FORM_2025 = REPO / "examples" / "forms" / "keji_annual_2025.yaml"


@pytest.fixture(scope="module")
def drafter(seeded_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Drafter:
    corpus = tmp_path_factory.mktemp("roundtrip") / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    return Drafter(corpus, seed=False)


@pytest.fixture(scope="module")
def last_year(drafter: Drafter, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _name, data, _draft = drafter.draft_docx(load_form(FORM_2025))
    path = tmp_path_factory.mktemp("roundtrip-docx") / "2025.docx"
    path.write_bytes(data)
    return path


def test_every_2025_figure_comes_back_as_previous_with_its_unit(drafter: Drafter, last_year: Path) -> None:
    form_2025 = yaml.safe_load(FORM_2025.read_text(encoding="utf-8"))
    prefilled = drafter.prefill_from_file(last_year).form
    assert (prefilled["unit"], prefilled["year"]) == (form_2025["unit"], 2026)
    rows = {(r["label"], r.get("previous"), r["unit"]) for r in prefilled["figures"]}
    for figure in form_2025["figures"]:
        if figure["value"] is not None:
            assert (figure["label"], figure["value"], figure["unit"]) in rows, figure


def test_every_2026_target_comes_back_as_a_target(drafter: Drafter, last_year: Path) -> None:
    form_2025 = yaml.safe_load(FORM_2025.read_text(encoding="utf-8"))
    prefilled = drafter.prefill_from_file(last_year).form
    targets = {(r["label"], r.get("target"), r["unit"]) for r in prefilled["figures"] if "target" in r}
    for plan in form_2025["plans"]:
        for target in plan.get("targets", []):
            if target["value"] is not None:
                assert (target["label"], target["value"], target["unit"]) in targets, target


EDITED_HEADINGS = ("（一）聚焦主体培育，科技企业量质齐升", "（二）紧盯研发投入，创新动能持续增强")
EDITED_LEAD = "2025年，我局新认定国家高新技术企业162家，科技企业梯队不断壮大。"


@pytest.fixture(scope="module")
def edited_last_year(last_year: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Last year's Word file as the writer finished it: the first two headings reworded, a lead rewritten."""
    import docx

    document = docx.Document(str(last_year))
    paragraphs = document.paragraphs
    sections = [i for i, p in enumerate(paragraphs) if p.text.startswith(("（一）", "（二）"))][:2]
    for index, heading in zip(sections, EDITED_HEADINGS, strict=True):
        paragraphs[index].runs[0].text = heading
    paragraphs[sections[0] + 1].runs[0].text = EDITED_LEAD
    for run in paragraphs[sections[0] + 1].runs[1:]:
        run.text = ""
    path = tmp_path_factory.mktemp("roundtrip-edited") / "2025定稿.docx"
    document.save(str(path))
    return path


def _summary_headings(draft: Draft) -> list[str]:
    return [child.heading for child in draft.nodes[0].children]


def test_the_2026_draft_keeps_the_2025_headings_and_leads_of_matching_sections(
    drafter: Drafter, edited_last_year: Path
) -> None:
    prefilled = drafter.prefill_from_file(edited_last_year).form
    figures = [
        {**row, "value": round(row["previous"] * 1.1, 2)} for row in prefilled["figures"] if "previous" in row
    ]
    form = {**prefilled, "figures": figures}  # the pre-filled form with this year's values typed in
    with_predecessor = drafter.compose(parse_form(form), references=False)
    edited = {h.split("）", 1)[1] for h in EDITED_HEADINGS}
    assert edited <= set(_summary_headings(with_predecessor))
    summary = with_predecessor.nodes[0].children
    lead = next(c for c in summary if c.heading == "聚焦主体培育，科技企业量质齐升").paragraphs[0]
    # last year's lead, its year and number brought to this year (162 × 1.1), never last year's number
    assert lead.startswith("2026年，我局新认定国家高新技术企业178.2家，科技企业梯队不断壮大。")

    # a form typed from scratch finds the same unit's 2025 report in the corpus all the same
    bare = {
        "unit": form["unit"],
        "year": 2026,
        "figures": [{k: r[k] for k in ("label", "value", "unit", "theme")} for r in figures],
    }
    assert edited <= set(_summary_headings(drafter.compose(parse_form(bare), references=False)))
    # another unit has no predecessor: the corpus's register, not this unit's headings
    other = drafter.compose(parse_form({**bare, "unit": "白石县文化广电旅游局"}), references=False)
    assert not set(_summary_headings(other)) & edited
