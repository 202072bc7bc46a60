"""Heading openers as mined: slots after the fixed start, 实施…工程 frames, and parallel families per part."""

from __future__ import annotations

import pytest

from drafter.models import Document
from tests.mining_builders import in_bank, mined, summary_plan


def plan(*headings: str) -> Document:
    """A plan with one section per heading."""
    return summary_plan("区科技局年度工作计划", [], [(heading, "落实。") for heading in headings])


def two_reports() -> list[Document]:
    return [
        summary_plan(
            "区科技局2023年工作总结及2024年工作思路",
            [
                ("聚焦企业主体培育，优化科技产业生态", "新增企业。"),
                ("聚焦高端人才引育，奋力打造科创高地", "引进人才。"),
                ("聚焦创新服务优化，营造一流创新环境", "优化服务。"),
            ],
            [
                ("实施科技企业培育加速工程", "完善机制。"),
                ("实施人才筑巢建设工程", "引育人才。"),
                ("实施科普提质创新工程", "开展科普。"),
            ],
        ),
        summary_plan(
            "区科技局2024年工作总结及2025年工作思路",
            [("聚焦科学普及，提升科协质量", "开展活动。"), ("聚焦核心指标，增强创新动能", "提升投入。")],
            [("实施科技成果转移转化工程", "促进转化。"), ("实施创新平台提升工程", "建设平台。")],
        ),
    ]


def test_summary_and_plan_openers_are_mined_apart() -> None:
    bank = mined(two_reports())
    assert set(in_bank(bank, "summary_opener")) == {"聚焦{X}，{Y}"}
    assert set(in_bank(bank, "plan_opener")) == {"实施{X}工程"}
    focus = in_bank(bank, "summary_opener")["聚焦{X}，{Y}"]
    assert (focus.count, focus.docs, focus.family) == (5, 2, "聚焦")
    assert [e.text for e in focus.examples] == [
        "聚焦企业主体培育，优化科技产业生态",
        "聚焦科学普及，提升科协质量",
    ]
    project = in_bank(bank, "plan_opener")["实施{X}工程"]
    assert (project.count, project.docs, project.family) == (5, 2, "实施…工程")


def test_families_record_the_part_they_serve() -> None:
    by_part = {(f.part, f.family): f for f in mined(two_reports()).families}
    assert set(by_part) == {("summary", "聚焦"), ("plan", "实施…工程")}
    assert by_part[("summary", "聚焦")].pattern == "聚焦{X}，{Y}"
    assert by_part[("summary", "聚焦")].parallel_parts == 2
    assert by_part[("plan", "实施…工程")].pattern == "实施{X}工程"
    assert by_part[("plan", "实施…工程")].docs == 2


def test_a_frame_may_end_inside_the_last_word_and_a_bare_opener_opens_nothing() -> None:
    # jieba glues 建设工程 and 系统工程: the frame still ends at 工程. A heading that is only 聚焦 has no slot.
    docs = [
        summary_plan(
            f"区科技局{2023 + i}年工作总结及{2024 + i}年工作计划",
            [(f"聚焦{theme}", "推进工作。"), ("聚焦", "推进工作。")],
            [(f"实施{a}建设工程", "完善机制。"), (f"实施{b}系统工程", "优化服务。")],
        )
        for i, (theme, a, b) in enumerate(
            [("企业培育", "人才筑巢", "创新生态"), ("人才引育", "园区提质", "科技服务")]
        )
    ]
    bank = mined(docs)
    assert in_bank(bank, "plan_opener")["实施{X}工程"].count == 4
    assert in_bank(bank, "summary_opener")["聚焦{X}"].count == 2
    assert {(f.part, f.family) for f in bank.families} == {("plan", "实施…工程")}


def test_a_one_character_first_word_opens_nothing_alone() -> None:
    docs = [
        summary_plan(f"区科技局{2023 + i}年工作总结", [(heading, "推进工作。") for heading in headings], [])
        for i, headings in enumerate(
            [("抓示范，提质效", "抓项目，促发展"), ("抓服务，优环境", "抓改革，激活力")]
        )
    ]
    bank = mined(docs)
    assert in_bank(bank, "summary_opener") == {}
    assert bank.families == ()


def test_a_one_character_first_word_opens_with_the_next() -> None:
    docs = [
        summary_plan(f"区科技局{2024 + i}年工作计划", [], [(f"做实{t}", "落实。") for t in themes])
        for i, themes in enumerate([("研发投入", "企业服务"), ("成果转化", "人才引育")])
    ]
    assert "做实{X}" in in_bank(mined(docs), "plan_opener")


def test_a_family_needs_two_siblings_in_a_row() -> None:
    apart = mined([plan("加强平台建设", "优化服务环境", "加强人才引育")])
    in_a_row = mined([plan("优化服务环境", "加强平台建设", "加强人才引育")])
    assert apart.families == ()
    assert [(f.part, f.family, f.pattern) for f in in_a_row.families] == [("plan", "加强", "加强{X}")]
    assert [e.text for e in in_a_row.families[0].examples] == ["加强平台建设；加强人才引育"]


def test_the_most_specific_shared_opener_names_the_family() -> None:
    bank = mined(
        [
            plan(
                "全力以赴做好科技统计年报工作",
                *(f"全力以赴抓好{t}" for t in ("科技型企业培育", "科创平台建设", "科技成果转化", "人才项目")),
            )
        ]
    )
    assert [(f.family, f.pattern) for f in bank.families] == [("全力以赴抓好", "全力以赴抓好{X}")]
    bank = mined([plan(*(f"实施{t}工程" for t in ("创新研发能级提升", "科技成果转移转化", "科普提质创新")))])
    assert [(f.family, f.pattern) for f in bank.families] == [("实施…工程", "实施{X}工程")]


def test_a_family_seen_in_one_report_is_still_offered() -> None:
    doc = plan(*(f"全力以赴抓好{t}" for t in ("科技型企业培育", "科创平台建设", "科技成果转化")))
    other = summary_plan("区科技局工作总结", [("完善政策体系", "出台政策。")], [])
    bank = mined([doc, other])
    assert set(in_bank(bank, "plan_opener")) == {"全力以赴抓好{X}"}
    assert in_bank(bank, "plan_opener")["全力以赴抓好{X}"].docs == 1
    assert set(in_bank(bank, "summary_opener")) == set()


def test_nouns_that_happen_to_start_headings_are_not_openers() -> None:
    # 科技 opens four headings but stands inside 32 clauses of their bodies.
    body = "加大科技投入，强化科技服务，推进科技平台建设，完善科技政策，深化科技合作，用好科技资金，办好科技活动，开展科技交流。"
    docs = [
        summary_plan(f"总结{i}", [(heading, body) for heading in headings], [])
        for i, headings in enumerate([("科技平台建设", "科技服务优化"), ("科技政策落实", "科技合作深化")])
    ]
    bank = mined(docs)
    assert in_bank(bank, "summary_opener", "plan_opener") == {}
    assert bank.families == ()


@pytest.mark.parametrize(
    ("part", "headings", "family"),
    [
        ("summary", ("科技生态进一步优化", "科技服务持续提升"), None),
        ("summary", ("民生福祉持续增进", "民生保障持续改善"), None),
        ("plan", ("实施科技企业培育加速工程", "实施人才筑巢加速工程"), "实施…工程"),  # 加速 names the project
        ("summary", ("聚焦企业主体培育", "聚焦高端人才引育"), "聚焦"),
    ],
)
def test_headings_that_report_results_are_not_openers(
    part: str, headings: tuple[str, str], family: str | None
) -> None:
    sections = [(heading, "推进工作。") for heading in headings]
    doc = summary_plan(
        "区科技局工作总结", sections if part == "summary" else [], sections if part == "plan" else []
    )
    bank = mined([doc])
    assert [f.family for f in bank.families] == ([family] if family else [])
    if family is None:
        assert in_bank(bank, "summary_opener", "plan_opener") == {}
