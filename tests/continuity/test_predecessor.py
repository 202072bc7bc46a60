"""What a new draft keeps from last year's report: the headings and leads of matching sections."""

from __future__ import annotations

from collections.abc import Callable

from drafter.continuity.predecessor import fill_slots, kept_sections, lead_with_slots
from drafter.models import Document
from tests.continuity.test_reading import ANNUAL


def test_matching_sections_keep_last_years_heading_under_this_years_theme(
    report_doc: Callable[[str], Document],
) -> None:
    kept = kept_sections(report_doc(ANNUAL), ["科技企业培育工作", "人才引育"], 2025)
    assert kept == [{"theme": "科技企业培育工作", "heading": "聚焦科技企业培育，壮大创新主体"}]


def test_a_lead_gets_this_years_values_or_a_slot_never_last_years() -> None:
    lead = lead_with_slots("2024年，新认定国家高新技术企业162家，兑现资金3500万元。", 2024, 2025)
    assert "162" not in lead
    assert "3500" not in lead
    filled = fill_slots(lead, {"新认定国家高新技术企业": "178家"})
    assert filled == "2025年，新认定国家高新技术企业178家，兑现资金【待补充：今年的兑现资金】。"
