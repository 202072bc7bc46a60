"""What mining reads: section and item headings by part, clauses by position, and the shared noise checks."""

from __future__ import annotations

import pytest

from drafter.phrases.units import is_fixed_part, is_noisy
from tests.mining_builders import in_bank, mined, report, summary_plan


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


def test_section_headings_open_formulas_of_their_own_part() -> None:
    # Per report: two summary sections opened by 聚焦 (the first with two items 一是强化…二是强化…), then a
    # plan part opened by 聚焦 once and 实施…工程 twice.
    docs = [
        summary_plan(
            "区科技局2023年工作总结及2024年工作思路",
            [
                ("聚焦企业培育，优化产业生态", "一是强化企业服务。二是强化平台建设。"),
                ("聚焦人才引育，打造科创高地", "引进人才。"),
            ],
            [
                ("聚焦成果转化，提升创新效能", "促进转化。"),
                ("实施科技企业培育工程", "完善机制。"),
                ("实施人才筑巢建设工程", "引育人才。"),
            ],
        ),
        summary_plan(
            "区科技局2024年工作总结及2025年工作思路",
            [("聚焦科学普及，提升科协质量", "开展活动。"), ("聚焦核心指标，增强创新动能", "提升投入。")],
            [
                ("聚焦开放合作，拓展创新空间", "深化合作。"),
                ("实施科技成果转移转化工程", "促进转化。"),
                ("实施创新平台提升工程", "建设平台。"),
            ],
        ),
    ]
    bank = mined(docs)
    # The opener is the heading's first clause; a second clause after ， is the {Y} slot.
    assert set(in_bank(bank, "summary_opener")) == {"聚焦{X}，{Y}"}
    assert set(in_bank(bank, "plan_opener")) == {"聚焦{X}，{Y}", "实施{X}工程"}
    assert in_bank(bank, "summary_opener")["聚焦{X}，{Y}"].count == 4
    assert in_bank(bank, "plan_opener")["聚焦{X}，{Y}"].count == 2
    # Sibling sections of one part form a run (排比); the summary's last 聚焦 and the plan's first one
    # are not siblings. Item heads (一是…) are siblings of each other: they form a family, not openers.
    assert {(f.part, f.family) for f in bank.families} == {
        ("summary", "聚焦"),
        ("summary", "强化"),
        ("plan", "实施…工程"),
    }
    (items,) = [f for f in bank.families if f.family == "强化"]
    assert [e.text for e in items.examples] == ["强化企业服务；强化平台建设"]
    focus = next(f for f in bank.families if f.family == "聚焦")
    assert focus.examples[0].text == "聚焦企业培育，优化产业生态；聚焦人才引育，打造科创高地"


def test_sections_without_a_part_heading_get_one_from_their_tense() -> None:
    past = "新认定高新技术企业71家，同比增长12%，创历年新高。累计完成备案41家，已获评省级基地。"
    future = "力争新增高新技术企业20家，确保完成年度任务，年内建成孵化器2家，争取省级支持。"
    summaries = [
        report(f"科学技术局工作总结{i}", [("", "other", [(heading, past) for heading in headings])])
        for i, headings in enumerate(
            [
                ["狠抓企业培育，队伍不断壮大", "狠抓平台建设，载体加快集聚"],
                ["狠抓人才引育，人才加快集聚", "狠抓成果转化，转化成效明显"],
            ]
        )
    ]
    plans = [
        report(f"科学技术局工作要点{i}", [("", "other", [(f"全力以赴抓好{t}", future) for t in themes])])
        for i, themes in enumerate([["企业培育", "平台建设"], ["人才引育", "成果转化"]])
    ]
    bank = mined(summaries + plans)
    assert set(in_bank(bank, "summary_opener")) == {"狠抓{X}，{Y}"}
    assert set(in_bank(bank, "plan_opener")) == {"全力以赴抓好{X}"}
    assert [f.family for f in bank.families_for("summary")] == ["狠抓"]
    assert [f.family for f in bank.families_for("plan")] == ["全力以赴抓好"]


def test_where_a_clause_stands_makes_it_an_opening_a_body_frame_or_a_closing() -> None:
    docs = [
        summary_plan(
            f"区科技局{2023 + i}年工作总结",
            [("聚焦企业培育，优化产业生态", f"围绕{theme}，加快{task}。")],
            [("实施科技企业培育工程", "完善培育机制。")],
            preamble=f"今年以来，区科技局在{leaders}的坚强领导下，现将{what}如下：",
            closing=f"为{goal}作出新的更大贡献。",
        )
        for i, (theme, task, leaders, what, goal) in enumerate(
            [
                ("产业布局", "平台建设", "区委、区政府", "工作汇报", "全区高质量发展"),
                ("企业需求", "成果转化", "县委", "全年工作总结", "县域经济转型"),
            ]
        )
    ]
    bank = mined(docs)
    assert set(in_bank(bank, "opening")) == {"现将{X}如下", "在{X}的坚强领导下"}
    assert set(in_bank(bank, "closing")) == {"为{X}作出新的更大贡献"}
    # 围绕… hands over to the next clause of its sentence; 加快… ends the sentence.
    assert set(in_bank(bank, "clause_frame")) == {"围绕{X}，{Y}", "加快{X}"}


def test_item_markers_are_not_part_of_a_formula() -> None:
    docs = [
        summary_plan(f"总结{i}", [("聚焦企业培育", f"一是加大{a}。二是完善{b}。")], [])
        for i, (a, b) in enumerate([("培育力度", "服务体系"), ("研发投入", "政策体系")])
    ]
    assert set(in_bank(mined(docs), "clause_frame")) == {"加大{X}", "完善{X}"}


def test_examples_start_at_the_formula() -> None:
    docs = [
        summary_plan(f"总结{i}", [("聚焦企业培育", body)], [])
        for i, body in enumerate(
            [
                "坚持需求导向，围绕产业布局加快平台建设，成效明显。",
                "坚持问题导向，围绕企业需求优化服务，效果良好。",
            ]
        )
    ]
    phrase = in_bank(mined(docs), "clause_frame")["围绕{X}，{Y}"]
    assert [e.text for e in phrase.examples] == [
        "围绕产业布局加快平台建设，成效明显",
        "围绕企业需求优化服务，效果良好",
    ]
