"""This year's form from last year's report: previous values, targets, themes, highlights, problems."""

from __future__ import annotations

from collections.abc import Callable

from drafter.app import Drafter
from drafter.continuity.prefill import prefill
from drafter.models import Document
from tests.continuity.test_reading import ANNUAL


def form_of(report_doc: Callable[[str], Document], text: str = ANNUAL, year: int | None = None) -> dict:
    return prefill(Drafter(None).read_last_report(report_doc(text)), year).form


def row(form: dict, label_part: str) -> dict:
    return next(r for r in form["figures"] if label_part in r["label"])


def test_the_form_is_for_the_next_year_of_the_same_unit(report_doc: Callable[[str], Document]) -> None:
    form = form_of(report_doc)
    assert (form["unit"], form["year"], form["period"]) == ("青溪区科学技术局", 2025, "annual")
    assert form_of(report_doc, year=2026)["year"] == 2026


def test_last_years_values_become_previous_with_their_unit_and_this_year_is_left_to_fill(
    report_doc: Callable[[str], Document],
) -> None:
    form = form_of(report_doc)
    firms = row(form, "国家高新技术企业")
    assert (firms["value"], firms["previous"], firms["unit"], firms["basis"]) == (None, 162, "家", "截至目前")
    assert (row(form, "扶持资金")["previous"], row(form, "扶持资金")["unit"]) == (3500, "万元")
    assert row(form, "省级科技型中小企业")["parent"].endswith("科技型中小企业")


def test_a_target_of_last_years_plan_is_attached_to_its_figure(report_doc: Callable[[str], Document]) -> None:
    form = form_of(report_doc)
    assert row(form, "国家高新技术企业")["target"] == 180
    assert sum(1 for r in form["figures"] if "国家高新技术企业" in r["label"]) == 1


def test_themes_come_from_last_years_sections_in_order(report_doc: Callable[[str], Document]) -> None:
    form = form_of(report_doc)
    assert [s["theme"] for s in form["sections"]] == ["科技企业培育", "研发投入提升"]
    assert form["sections"][0]["heading"] == "聚焦科技企业培育，壮大创新主体"
    assert row(form, "研发投入强度")["theme"] == "研发投入提升"


def test_planned_actions_are_highlights_and_problems_are_offered(
    report_doc: Callable[[str], Document],
) -> None:
    form = form_of(report_doc)
    assert {"theme": "科技企业培育", "text": "完善科技企业梯次培育机制"} in form["highlights"]
    assert form["problems"] == ["企业研发投入意愿不强", "高层次人才引进难"]


def test_a_lead_never_carries_last_years_numbers(report_doc: Callable[[str], Document]) -> None:
    text = ANNUAL.replace(
        "截至目前，新认定国家高新技术企业162家",
        "2024年，我局围绕创新主体培育，新认定国家高新技术企业162家。截至目前",
    )
    form = form_of(report_doc, text)
    lead = form["sections"][0]["lead"]
    assert "162" not in lead
    assert lead.startswith("2025年，我局围绕创新主体培育")
    assert "【待补充：今年的新认定国家高新技术企业】" in lead


def test_the_prefilled_form_is_a_valid_form(report_doc: Callable[[str], Document]) -> None:
    from drafter.draft.form import parse_form

    form = form_of(report_doc)
    parsed = parse_form(form)
    assert parsed.predecessor == form["predecessor"]
    assert [s.heading for s in parsed.sections] == [s["heading"] for s in form["sections"]]
    firms = next(f for f in parsed.figures if "国家高新技术企业" in f.label)
    assert (firms.value, firms.previous, firms.target, firms.basis) == (None, 162, 180, "截至目前")


HALF = """青溪区文化广电旅游局2024年上半年工作总结及下半年工作计划
一、上半年工作总结
（一）聚焦文旅消费，市场加快回暖
1—5月，全区接待游客320万人次，实现旅游收入28.6亿元。
二、下半年工作计划
力争全年接待游客突破700万人次。
"""


def test_a_half_year_report_is_the_source_of_the_same_period_last_year(
    report_doc: Callable[[str], Document],
) -> None:
    form = form_of(report_doc, HALF)
    assert (form["period"], form["year"]) == ("half", 2025)
    visitors = row(form, "接待游客")
    assert (visitors["previous"], visitors["unit"], visitors["basis"]) == (320, "万人次", "1—5月")
    assert row(form, "旅游收入")["previous"] == 28.6
