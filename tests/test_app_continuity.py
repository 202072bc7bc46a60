"""The application object with a unit's own report: found as the predecessor, first among references."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drafter.app import Drafter
from drafter.draft.form import parse_form
from drafter.models import SearchFilters
from tests.continuity.test_reading import ANNUAL

pytestmark = pytest.mark.slow


@pytest.fixture
def drafter(seeded_corpus: Path, tmp_path: Path) -> Drafter:
    corpus = tmp_path / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    return Drafter(corpus, seed=False)


def test_the_units_own_passages_come_first_in_references(drafter: Drafter, tmp_path: Path) -> None:
    own = tmp_path / "去年.txt"
    own.write_text(ANNUAL, encoding="utf-8")
    drafter.own_reports(own)
    search = drafter.own_first("青溪区科技局")
    hits = search("高新技术企业 培育", 3, SearchFilters(part="summary"))
    assert hits[0].unit == "青溪区科学技术局"
    others = drafter.search("高新技术企业 培育", 3, SearchFilters(part="summary"))
    assert any(hit.unit != "青溪区科学技术局" for hit in others)  # without it, others' passages lead


def test_the_same_units_report_of_last_year_is_the_predecessor(drafter: Drafter, tmp_path: Path) -> None:
    own = tmp_path / "去年.txt"
    own.write_text(ANNUAL, encoding="utf-8")
    (stored,) = drafter.own_reports(own)
    assert drafter.predecessor_of(parse_form({"unit": "青溪区科技局", "year": 2025})).id == stored.id
    assert drafter.predecessor_of(parse_form({"unit": "青溪区科技局", "year": 2027})) is None
    assert drafter.predecessor_of(parse_form({"unit": "白石县科技局", "year": 2025})) is None
