"""Clause frames (以{X}为抓手, 围绕{X}，{Y}) and the opening, closing and problem formulas."""

from __future__ import annotations

import pytest

from drafter.models import Document
from drafter.phrases.frames import (
    FrameMiner,
    clause_keys,
    frame_category,
    frame_key,
    frame_pattern,
    key_parts,
)
from drafter.phrases.tally import Initiality
from drafter.phrases.units import document_units
from tests.mining_builders import summary_plan, tokenizer


def test_clause_keys_cover_leads_and_infix_frames() -> None:
    keys = {key for key, _ in clause_keys(("以", "政策", "落实", "年", "活动", "为", "抓手"))}
    assert frame_key("l", ("以", "政策"), ()) in keys
    assert frame_key("i", ("以",), ("为", "抓手")) in keys
    assert frame_key("l", ("以",), ()) not in keys  # 以 alone is a stopword


def test_a_number_before_a_unit_makes_a_figure_not_a_clause_frame() -> None:
    keys = {key for key, _ in clause_keys(("新增", "市级", "众创空间", "4", "家"))}
    assert frame_key("i", ("新增",), ("家",)) not in keys


@pytest.mark.parametrize(
    ("key", "handover", "pattern"),
    [
        (frame_key("l", ("围绕",), ()), True, "围绕{X}，{Y}"),
        (frame_key("l", ("着力",), ()), False, "着力{X}"),
        (frame_key("i", ("以",), ("为", "抓手")), False, "以{X}为抓手"),
        (frame_key("i", ("在",), ("的", "坚强", "领导", "下")), False, "在{X}的坚强领导下"),
    ],
)
def test_frame_patterns(key: str, handover: bool, pattern: str) -> None:
    assert frame_pattern(key, handover) == pattern
    assert key_parts(key)[0] == key[0]


@pytest.mark.parametrize(
    ("key", "opening", "closing", "problems", "category"),
    [
        (frame_key("i", ("存在",), ("问题",)), 0.0, 0.0, 0.0, "problem"),
        (frame_key("i", ("有待",), ("提升",)), 0.0, 0.0, 1.0, "problem"),
        (frame_key("l", ("企业",), ()), 0.0, 0.0, 1.0, None),  # a subject of the problems part
        (frame_key("i", ("现", "将"), ("如下",)), 1.0, 0.0, 0.0, "opening"),
        (frame_key("i", ("为",), ("贡献",)), 0.0, 1.0, 0.0, "closing"),
        (frame_key("i", ("以",), ("为", "抓手")), 0.5, 0.0, 0.0, "clause_frame"),
    ],
)
def test_categories_come_from_words_and_positions(
    key: str, opening: float, closing: float, problems: float, category: str | None
) -> None:
    assert frame_category(key, opening, closing, problems) == category


def reports() -> list[Document]:
    bodies = [
        (
            "以“政策落实年”活动为抓手，制定出台科技新政。围绕主导产业布局，加快平台建设。",
            "现将工作汇报如下：",
        ),
        ("以科技特派员制度为抓手，服务乡村振兴。围绕企业技术需求，组织对接活动。", "现将全年工作总结如下："),
        ("以创新联合体建设为抓手，攻克关键技术。围绕重点产业链，部署创新链。", "现将有关情况报告如下："),
    ]
    return [
        summary_plan(
            f"区科技局{2021 + i}年工作总结",
            [("聚焦企业培育，优化产业生态", body)],
            [("实施平台提升工程", "完善机制。")],
            preamble=f"{2021 + i}年，区科技局在{leaders}的坚强领导下，{opening}",
        )
        for i, ((body, opening), leaders) in enumerate(
            zip(bodies, ("区委、区政府", "县委", "市委市政府"), strict=True)
        )
    ]


def mined_patterns(docs: list[Document]) -> dict[str, str]:
    miner = FrameMiner()
    initiality = Initiality()
    for i, doc in enumerate(docs):
        units = document_units(doc, tokenizer())
        initiality.feed(c.words for c in units.clauses)
        miner.feed(units, i)
    return {c.pattern: c.category for c in miner.candidates(2, initiality)}


def test_frames_recurring_across_reports_are_mined_with_their_category() -> None:
    found = mined_patterns(reports())
    assert found["以{X}为抓手"] == "clause_frame"
    assert found["围绕{X}，{Y}"] == "clause_frame"
    assert found["现将{X}如下"] == "opening"
    assert found["在{X}的坚强领导下"] == "opening"


def test_a_frame_in_one_report_only_is_not_a_formula() -> None:
    found = mined_patterns([reports()[0], summary_plan("总结", [("加强管理", "完善制度。")], [])])
    assert "以{X}为抓手" not in found


def test_a_fixed_collocation_is_not_a_frame() -> None:
    # 以人民为中心 recurs, but always with the same filler: no open slot.
    docs = [
        summary_plan(f"总结{i}", [("聚焦民生", f"坚持以人民为中心，办好实事{i}件。")], []) for i in range(3)
    ]
    assert "以{X}为中心" not in mined_patterns(docs)
