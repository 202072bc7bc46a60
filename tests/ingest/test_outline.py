"""Outline parsing on the numbering variants of real reports, and 一是… items."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.ingest.clean import GAP_MARKER, clean
from drafter.ingest.outline import (
    canonical_number,
    enumerate_items,
    normalize_headings,
    parse_outline,
    part_of_heading,
)

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "corpus"

OWN_LINE = """区科技局2024年工作总结及2025年工作思路
一、2024年工作总结
（一）聚焦企业培育，壮大创新主体
新认定国家高新技术企业162家。
1.强化梯次培育
（1）完善培育库
建立企业培育库。
(2)做好辅导
2、做好申报辅导
3．开展政策宣讲
二、存在问题
企业研发投入意愿不强。
三、2025年工作思路
(一)实施科技企业培育工程
完善梯次培育机制。"""


def _outline(text: str) -> list[tuple[int, str, str]]:
    return [(s.level, s.number, s.heading) for s in parse_outline(text)]


def test_own_line_headings_of_every_level_with_canonical_numbers() -> None:
    assert _outline(OWN_LINE) == [
        (1, "一、", "2024年工作总结"),
        (2, "（一）", "聚焦企业培育，壮大创新主体"),
        (3, "1.", "强化梯次培育"),
        (4, "（1）", "完善培育库"),
        (4, "（2）", "做好辅导"),
        (3, "2.", "做好申报辅导"),
        (3, "3.", "开展政策宣讲"),
        (1, "二、", "存在问题"),
        (1, "三、", "2025年工作思路"),
        (2, "（一）", "实施科技企业培育工程"),
    ]


def test_sections_carry_parts_bodies_and_nested_offsets() -> None:
    sections = parse_outline(OWN_LINE)
    assert [s.part for s in sections] == ["summary"] * 7 + ["problems", "plan", "plan"]
    first, problems = sections[0], sections[7]
    assert first.text == ""
    assert problems.text == "企业研发投入意愿不强。"
    assert sections[1].text == "新认定国家高新技术企业162家。"
    assert OWN_LINE[first.start : first.end].startswith("一、2024年工作总结")
    assert first.end == problems.start  # a part spans its sub-sections
    assert sections[3].end == sections[4].start  # （1） ends where （2） starts
    assert sections[-1].end == len(OWN_LINE)


def test_inline_heading_ends_at_the_first_full_stop() -> None:
    text = "（一）聚焦核心指标提升，增强科技创新动能。一是开展深入调研。二是健全工作机制。\n（二）聚焦平台建设。正文。"
    sections = parse_outline(text)
    assert [(s.number, s.heading) for s in sections] == [
        ("（一）", "聚焦核心指标提升，增强科技创新动能"),
        ("（二）", "聚焦平台建设"),
    ]
    assert sections[0].text == "一是开展深入调研。二是健全工作机制。"


def test_glossary_entry_heading_ends_at_its_colon() -> None:
    text = "（一）名词解释\n1.“单一窗口”：指参与国际贸易和运输的各方，通过单一的平台提交标准化的信息和单证。"
    assert _outline(text)[1] == (3, "1.", "“单一窗口”")


def test_level_one_heading_ends_at_a_space_a_colon_or_the_first_section() -> None:
    assert _outline(
        "一、2020年工作总结 2020年以来，区科技局成绩显著。\n二、2021年工作思路：重点抓好四项工作。"
    ) == [
        (1, "一、", "2020年工作总结"),
        (1, "二、", "2021年工作思路"),
    ]


GLUED = (
    "2022年工作总结与2023年工作思路一、2022年主要工作（一）聚焦核心指标提升，增强科技创新动能紧紧围绕"
    "第一次党代会提出的目标，把提升研发投入作为全局核心工作，持续探索提升研发投入的增长机制和路径。一是开展深入调研。"
    "（二）聚焦高能级平台建设，全力打造创新引擎围绕“1+4”主导产业布局，加快高能级平台建设。"
    "（三）聚焦企业主体培育，优化科技产业生态深入实施国高企、省科小“双倍增”行动。"
    "二、2023年工作思路2023年，区科技局将深入学习贯彻党的二十大精神。（一）实施党建红引领科技蓝提升工程。夯实党建基础。"
    "（二）实施创新研发能级提升工程。聚焦战略目标。（S）实施科技企业培育加速工程。探索培育模式。"
    "（四）实施人才“筑巢施工队”建设工程。坚决扛起职责。"
)


def test_a_report_glued_into_one_line_is_outlined() -> None:
    assert _outline(GLUED) == [
        (1, "一、", "2022年主要工作"),
        (2, "（一）", "聚焦核心指标提升，增强科技创新动能"),
        (2, "（二）", "聚焦高能级平台建设，全力打造创新引擎"),
        (2, "（三）", "聚焦企业主体培育，优化科技产业生态"),
        (1, "二、", "2023年工作思路"),
        (2, "（一）", "实施党建红引领科技蓝提升工程"),
        (2, "（二）", "实施创新研发能级提升工程"),
        (2, "（三）", "实施科技企业培育加速工程"),
        (2, "（四）", "实施人才“筑巢施工队”建设工程"),
    ]


def test_normalized_text_puts_every_heading_on_its_own_line() -> None:
    normalized = normalize_headings(GLUED)
    lines = normalized.split("\n")
    assert lines[:4] == [
        "2022年工作总结与2023年工作思路",
        "一、2022年主要工作",
        "（一）聚焦核心指标提升，增强科技创新动能",
        "紧紧围绕第一次党代会提出的目标，把提升研发投入作为全局核心工作，持续探索提升研发投入的增长机制和路径。一是开展深入调研。",
    ]
    assert "（三）实施科技企业培育加速工程。" in lines  # the OCR slip （S） is written as （三）
    assert normalized.replace("\n", "") == GLUED.replace("（S）", "（三）")
    assert normalize_headings(normalized) == normalized
    assert _outline(normalized) == _outline(GLUED)


@pytest.mark.parametrize(
    "text",
    [
        "全年增长2.5倍，1-9月完成投资3.5亿元，第1.2条另有规定。",
        "引进央企二、三级子公司超800家，一、二等奖各1项。",
        "组织企业申报（详见附件）并完成（1）号文件的落实。",
        "一、主要工作\n五、存在问题",
    ],
)
def test_numbers_inside_sentences_or_out_of_sequence_are_not_headings(text: str) -> None:
    numbers = [number for _level, number, _heading in _outline(text)]
    assert numbers in ([], ["一、"])


def test_sequence_may_restart_or_skip_one_lost_heading_on_own_lines() -> None:
    text = "（一）甲工作。\n（三）丙工作。\n（一）新一组。\n（二）乙工作。"
    assert [s.number for s in parse_outline(text)] == ["（一）", "（三）", "（一）", "（二）"]


def test_inline_markers_must_follow_in_sequence() -> None:
    text = "（一）甲工作。正文提到（三）项任务。\n（二）乙工作。"
    assert [s.number for s in parse_outline(text)] == ["（一）", "（二）"]


def test_after_a_truncation_gap_numbering_may_jump() -> None:
    text = f"（一）聚焦主线。正文。\n{GAP_MARKER}\n（四）聚焦人才引培。正文。\n（五）聚焦科学普及。"
    assert [s.number for s in parse_outline(text)] == ["（一）", "（四）", "（五）"]


def test_ocr_letter_counts_only_when_the_next_number_confirms_it() -> None:
    assert [s.number for s in parse_outline("（一）甲。\n（二）乙。\n（S）丙。\n（四）丁。")] == [
        "（一）",
        "（二）",
        "（三）",
        "（四）",
    ]
    assert [s.number for s in parse_outline("（一）甲。\n（二）乙。\n（E）丙。")] == ["（一）", "（二）"]


def test_plan_only_document_makes_every_section_plan() -> None:
    sections = parse_outline("一、主要目标\n（一）全力以赴抓好企业培育。", plan_only=True)
    assert {s.part for s in sections} == {"plan"}


@pytest.mark.parametrize(
    ("heading", "year", "part"),
    [
        ("2024年工作总结", None, "summary"),
        ("主要措施及成效", None, "summary"),
        ("过去五年和2021年工作回顾", None, "summary"),
        ("上半年工作总结", None, "summary"),
        ("2025年工作思路", None, "plan"),
        ("下半年工作计划", None, "plan"),
        ("下一步工作打算", None, "plan"),
        ("2026年重点工作", None, "plan"),
        ("存在问题", None, "problems"),
        ("存在的问题和不足", None, "problems"),
        ("典型案例", None, "other"),
        ("2023年主要工作", 2022, "plan"),
        ("2022年主要工作", 2022, "summary"),
    ],
)
def test_part_of_heading(heading: str, year: int | None, part: str) -> None:
    assert part_of_heading(heading, year=year) == part


@pytest.mark.parametrize(
    ("level", "value", "number"),
    [(1, 3, "三、"), (1, 12, "十二、"), (2, 1, "（一）"), (2, 20, "（二十）"), (3, 4, "4."), (4, 2, "（2）")],
)
def test_canonical_number(level: int, value: int, number: str) -> None:
    assert canonical_number(level, value) == number


def test_enumerated_items_with_spans() -> None:
    text = "健全工作机制，一是开展深入调研。二是健全工作机制。三是加强部门联动。"
    items = enumerate_items(text)
    assert [t for _s, _e, t in items] == ["一是开展深入调研。", "二是健全工作机制。", "三是加强部门联动。"]
    assert all(text[s:e] == t for s, e, t in items)


def test_items_end_with_their_line_and_continue_across_lines() -> None:
    text = "一是创新氛围不浓。企业意愿不强。\n二是创新投入不足。\n另起一段。"
    assert [t for _s, _e, t in enumerate_items(text)] == [
        "一是创新氛围不浓。企业意愿不强。",
        "二是创新投入不足。",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "一是开展调研。",  # one item is not an enumeration
        "坚持统一是关键，唯一是目标。",  # 一是 inside words
        "一是开展调研。三是加强联动。",  # not in sequence
    ],
)
def test_no_enumeration(text: str) -> None:
    assert enumerate_items(text) == []


def test_seed_001_outline_has_six_summary_and_seven_plan_sections() -> None:
    text = normalize_headings(clean((SEEDS / "001_96adfd064960bcb0.txt").read_text(encoding="utf-8")))
    sections = parse_outline(text, year=2022)
    parts = [s for s in sections if s.level == 1]
    assert [s.heading for s in parts] == ["2022年主要工作", "2023年工作思路"]
    summary = [s.heading for s in sections if s.level == 2 and s.part == "summary"]
    plan = [s.heading for s in sections if s.level == 2 and s.part == "plan"]
    assert len(summary) == 6
    assert len(plan) == 7
    assert summary[0] == "聚焦核心指标提升，增强科技创新动能"
    assert summary[5] == "聚焦科学素质提升，打造拱墅科普品牌"
    assert plan[0] == "实施党建红引领科技蓝提升工程"
    assert all(h.startswith("聚焦") for h in summary)
    assert all(h.startswith("实施") and h.endswith("工程") for h in plan)
