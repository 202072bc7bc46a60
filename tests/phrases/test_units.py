"""Units: headings with their part, clauses with their position, and the shared noise checks."""

from __future__ import annotations

import pytest

from drafter.phrases.units import clause_example, document_units, is_fixed_part, is_noisy
from tests.mining_builders import report, summary_plan, tokenizer


@pytest.mark.parametrize(
    ("text", "noisy"),
    [
        ("累计开展科普宣传周活动IOO余场", True),  # OCR: IOO for 100
        ("兑现各类扶持资金L75亿元", True),
        ("打造“科店小二”2.Oo一是积极落实惠企政策", True),
        ("相关工作先后两次得到区领导批不肯定", False),  # a wrong character is not detectable here
        ("在**区创新资源互通共享", True),  # a masked name
        ("全区R&D经费支出增长25%以上", False),  # R&D is a term, not a slip
        ("加快5G基站建设", False),
        ("聚焦企业主体培育，优化科技产业生态", False),
    ],
)
def test_ocr_slips_and_masks_are_noise(text: str, noisy: bool) -> None:
    assert is_noisy(text) is noisy


@pytest.mark.parametrize(
    ("words", "fixed"),
    [
        (("聚焦",), True),
        (("以", "为", "抓手"), True),
        (("在", "的"), False),  # only stopwords
        (("我", "局"), False),  # 我局, glued back, is a stopword
        (("新增", "29"), False),  # numbers are slots, never fixed text
        (("IOO",), False),
        ((), False),
    ],
)
def test_what_can_be_the_fixed_part_of_a_formula(words: tuple[str, ...], fixed: bool) -> None:
    assert is_fixed_part(words) is fixed


def test_headings_carry_their_part_and_siblings_share_a_group() -> None:
    doc = summary_plan(
        "区科技局2024年工作总结及2025年工作思路",
        [
            ("聚焦企业培育，优化产业生态", "一是开展调研。二是健全机制。"),
            ("聚焦人才引育，打造科创高地", "引进人才。"),
        ],
        [("实施科技企业培育工程", "完善机制。")],
    )
    units = document_units(doc, tokenizer())
    sections = [h for h in units.headings if not h.item]
    assert [(h.text, h.part) for h in sections] == [
        ("聚焦企业培育，优化产业生态", "summary"),
        ("聚焦人才引育，打造科创高地", "summary"),
        ("实施科技企业培育工程", "plan"),
    ]
    assert sections[0].group == sections[1].group != sections[2].group
    assert sections[0].has_tail
    assert not sections[2].has_tail
    assert sections[0].first_clause == ("聚焦", "企业", "培育")
    items = [h.text for h in units.headings if h.item]
    assert items == ["开展调研", "健全机制"]


def test_sections_without_a_part_heading_get_one_from_their_tense() -> None:
    past = "新认定高新技术企业71家，同比增长12%，创历年新高。累计完成备案41家，已获评省级基地。"
    future = "力争新增高新技术企业20家，确保完成年度任务，年内建成孵化器2家，争取省级支持。"
    doc = report(
        "科学技术局工作总结",
        [("", "other", [("狠抓企业培育，队伍不断壮大", past), ("狠抓平台建设，载体加快集聚", past)])],
    )
    plan_doc = report("科学技术局工作要点", [("", "other", [("全力以赴抓好企业培育", future)])])
    assert {h.part for h in document_units(doc, tokenizer()).headings if not h.item} == {"summary"}
    assert {h.part for h in document_units(plan_doc, tokenizer()).headings if not h.item} == {"plan"}


def test_clauses_know_whether_they_open_or_close_the_report_and_hand_over() -> None:
    doc = summary_plan(
        "区科技局2024年工作总结",
        [("聚焦企业培育，优化产业生态", "围绕产业布局，加快平台建设。")],
        [("实施科技企业培育工程", "完善培育机制。")],
        preamble="今年以来，区科技局在区委、区政府的坚强领导下，现将工作汇报如下：",
        closing="为全区高质量发展作出新的更大贡献。",
    )
    clauses = document_units(doc, tokenizer()).clauses
    by_text = {c.text: c for c in clauses}
    assert by_text["现将工作汇报如下"].position == "opening"
    assert by_text["围绕产业布局"].position == "body"
    assert by_text["围绕产业布局"].final is False
    assert by_text["加快平台建设"].final is True
    assert by_text["为全区高质量发展作出新的更大贡献"].position == "closing"
    assert by_text["围绕产业布局"].part == "summary"


def test_item_markers_are_not_part_of_the_clause_words() -> None:
    doc = summary_plan("总结", [("聚焦企业培育", "一是加大培育力度。二是完善服务体系。")], [])
    words = [c.words for c in document_units(doc, tokenizer()).clauses]
    assert words[0][0] == "加大"
    assert words[1][0] == "完善"


def test_examples_start_at_the_formula() -> None:
    doc = summary_plan("总结", [("聚焦企业培育", "坚持需求导向，围绕产业布局加快平台建设，成效明显。")], [])
    clause = next(c for c in document_units(doc, tokenizer()).clauses if c.text.startswith("围绕"))
    assert clause_example(clause) == "围绕产业布局加快平台建设，成效明显"
