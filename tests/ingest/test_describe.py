"""Kind, years and issuing unit of a report, from its title and first lines."""

from __future__ import annotations

import pytest

from drafter.ingest.describe import describe, document_kind, issuing_unit


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("区科技局2020年度工作总结及2021年工作思路", "annual"),
        ("2022年工作总结与2023年工作思路", "annual"),
        ("科学技术局工作总结与来年工作思路（篇三）", "annual"),
        ("区科技局上半年工作总结及下半年工作计划", "half"),
        ("青溪区科技局2024年上半年工作总结和下半年工作安排", "half"),
        ("区科技局年度工作计划", "plan"),
        ("县科技局2024年工作要点", "plan"),
        ("市科技局2023年工作思路", "plan"),
        ("县文旅局2023年工作总结", "summary"),
        ("2026年河北省政府工作报告", "gov_report"),
        ("七台河市政府工作报告（2022年1月12日 李兵）", "gov_report"),
        ("关于开展科技活动周的通知", "other"),
    ],
)
def test_document_kind(title: str, kind: str) -> None:
    assert document_kind(title) == kind


@pytest.mark.parametrize(
    ("title", "text", "year", "years"),
    [
        ("区科技局2020年度工作总结及2021年工作思路", "", 2020, (2020, 2021)),
        ("区科技局年度工作计划", "2021年，区科技局将在区委的领导下，对企业2020年度研发投入摸排。", 2021, ()),
        ("区科技局上半年工作总结及下半年工作计划", "xxxx年区科技局按照省、市、区部署。", None, ()),
        ("20xx年科技局工作总结", "全年工作成效显著。", None, ()),
        ("2026年河北省政府工作报告", "", 2025, (2026,)),
        ("政府工作报告", "——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理 李强", 2023, ()),
    ],
)
def test_year_is_the_year_summarised(title: str, text: str, year: int | None, years: tuple[int, ...]) -> None:
    _kind, got_year, got_years, _unit = describe(title, text)
    assert (got_year, got_years) == (year, years)


@pytest.mark.parametrize(
    ("title", "text", "unit"),
    [
        ("区科技局2020年度工作总结及2021年工作思路", "", "区科技局"),
        ("科学技术局工作总结与来年工作思路（篇三）", "", "科学技术局"),
        ("青溪区科学技术局2024年工作总结及2025年工作思路", "", "青溪区科学技术局"),
        ("市科技局2023年工作思路", "", "市科技局"),
        ("县文旅局2023年工作总结", "", "县文旅局"),
        ("七台河市政府工作报告（2022年1月12日 李兵）", "", "七台河市人民政府"),
        ("2026年四川省人民政府工作报告", "", "四川省人民政府"),
        ("陕西省2026年政府工作报告", "", "陕西省人民政府"),
        ("政府工作报告", "国务院总理 李强\n各位代表：", "国务院"),
        ("2025年政府工作报告", "各位代表：", None),
        ("2026年政府工作报告", "——2026年1月28日在云南省第十四届人民代表大会第四次会议上", "云南省人民政府"),
        ("2022年工作总结与2023年工作思路", "一、2022年主要工作\n（一）聚焦核心指标提升", None),
        ("年度工作计划", "2021年，区科技局将在区委、区政府的坚强领导下，推进新格局。", "区科技局"),
        ("工作总结", "全区科技工作形成新格局，全局工作稳步推进。", None),
    ],
)
def test_issuing_unit(title: str, text: str, unit: str | None) -> None:
    assert issuing_unit(title, text, kind=document_kind(title)) == unit


def test_describe_returns_the_four_facts_for_a_seed_title() -> None:
    assert describe("区科技局2020年度工作总结及2021年工作思路", "一、2020年工作总结") == (
        "annual",
        2020,
        (2020, 2021),
        "区科技局",
    )
