"""Last year's report as the writer's source: figures with 其中, rates, 万元/亿元, hedges, targets stated
as growth, a report without a plan, traditional characters, a scanned page with OCR slips."""

from __future__ import annotations

from drafter.continuity.figures import Stated
from tests.continuity.conftest import ReportReader

ANNUAL = """青溪区科学技术局2024年工作总结及2025年工作思路
一、2024年工作总结
（一）聚焦科技企业培育，壮大创新主体
截至目前，新认定国家高新技术企业162家，同比增长29.6%；全年兑现科技扶持资金3500万元，技术合同成交额23.5亿元。
全区共有科技型中小企业461家，其中省级科技型中小企业120家。
（二）聚焦研发投入提升，增强创新动能
全社会研发投入强度达3.12%，比上年提高0.25个百分点。发放政策宣传册约2000份，开展科技下乡活动100余场。
二、存在的问题
一是企业研发投入意愿不强。二是高层次人才引进难。
三、2025年工作思路
（一）实施科技企业培育工程
力争新认定国家高新技术企业180家，全社会研发投入增长12%以上。一是完善科技企业梯次培育机制。二是加强科技金融服务。
"""


def by_label(rows: tuple[Stated, ...], part: str) -> Stated:
    return next(row for row in rows if part in row.label)


def test_every_figure_of_the_summary_is_a_row_with_its_unit(read_last: ReportReader) -> None:
    reading = read_last(ANNUAL)
    got = {(r.value, r.unit) for r in reading.figures}
    assert {(162, "家"), (3500, "万元"), (23.5, "亿元"), (461, "家"), (120, "家"), (3.12, "%")} <= got


def test_growth_basis_and_rate_changes_stay_with_their_figure(read_last: ReportReader) -> None:
    reading = read_last(ANNUAL)
    firms = by_label(reading.figures, "国家高新技术企业")
    assert (firms.value, firms.growth, firms.basis) == (162, "29.6%", "截至目前")
    rate = by_label(reading.figures, "研发投入强度")
    assert (rate.value, rate.unit, rate.growth) == (3.12, "%", "0.25个百分点")


def test_a_breakdown_names_its_parent(read_last: ReportReader) -> None:
    reading = read_last(ANNUAL)
    part = by_label(reading.figures, "省级科技型中小企业")
    assert part.value == 120
    assert part.parent is not None
    assert "科技型中小企业" in part.parent


def test_hedged_values_keep_their_hedge(read_last: ReportReader) -> None:
    reading = read_last(ANNUAL)
    assert by_label(reading.figures, "政策宣传册").hedge == "约"
    assert (by_label(reading.figures, "科技下乡").value, by_label(reading.figures, "科技下乡").hedge) == (
        100,
        "余",
    )


def test_targets_come_from_the_plan_part_including_one_stated_as_growth(read_last: ReportReader) -> None:
    reading = read_last(ANNUAL)
    assert [(t.value, t.unit, t.growth) for t in reading.targets] == [(180, "家", None), (None, "%", "12%")]
    assert by_label(reading.targets, "研发投入").hedge == "以上"
    assert not any(r.value == 180 for r in reading.figures)  # a target is not last year's figure


def test_sections_actions_and_problems_are_read(read_last: ReportReader) -> None:
    reading = read_last(ANNUAL)
    assert [s.heading for s in reading.sections] == [
        "聚焦科技企业培育，壮大创新主体",
        "聚焦研发投入提升，增强创新动能",
    ]
    assert [s.theme for s in reading.sections] == ["科技企业培育", "研发投入提升"]
    assert [text for _theme, text in reading.actions] == ["完善科技企业梯次培育机制", "加强科技金融服务"]
    assert reading.actions[0][0] == "科技企业培育"  # the plan's 科技企业培育工程 is this theme's work
    assert reading.problems == ("企业研发投入意愿不强", "高层次人才引进难")
    assert (reading.unit, reading.year) == ("青溪区科学技术局", 2024)


def test_a_report_without_a_plan_part_says_so_and_has_no_targets(read_last: ReportReader) -> None:
    summary_only = ANNUAL.split("三、2025年工作思路", maxsplit=1)[0].replace(
        "工作总结及2025年工作思路", "工作总结"
    )
    reading = read_last(summary_only)
    assert reading.targets == ()
    assert len(reading.figures) >= 6
    assert any("没有找到工作思路" in item for item in reading.unread)


def test_a_report_in_traditional_characters_is_read_in_simplified(read_last: ReportReader) -> None:
    traditional = """區科技局2020年度工作總結及2021年工作思路
一、2020年工作總結
（一）聚焦人才引培，完善“雙創”生態體系
先後舉辦大型科技人才活動3場，對接海外工程師383名、引進人才項目179項、服務企業457家次。
二、2021年工作思路
力爭新建科普展館2個。
"""
    reading = read_last(traditional)
    got = {(r.label, r.value, r.unit) for r in reading.figures}
    assert ("对接海外工程师", 383, "名") in got
    assert ("引进人才项目", 179, "项") in got
    assert ("服务企业", 457, "家次") in got
    assert [(t.value, t.unit) for t in reading.targets] == [(2, "个")]
    assert reading.sections[0].heading == "聚焦人才引培，完善“双创”生态体系"


def test_a_scanned_page_with_ocr_slips_reads_the_numbers(read_last: ReportReader) -> None:
    scanned = """2022年工作总结与2023年工作思路
一、2022年主要工作
（一）聚焦创新服务优化，营造一流创新环境
实现高新技术企业所得税减免4.22亿元，兑现各类扶持资金L75亿元。推荐“省科小”461家，同比增长43.6%o新认定市雏鹰企业45家。累计开展科普宣传周活动IOO余场。
二、2023年工作思路
开展科普活动300场以上。
"""
    reading = read_last(scanned)
    got = {(r.value, r.unit) for r in reading.figures}
    assert {(4.22, "亿元"), (1.75, "亿元"), (461, "家"), (45, "家"), (100, "场")} <= got
    assert by_label(reading.figures, "雏鹰").label == "新认定市雏鹰企业"  # the slip 'o' is not in the label
    assert by_label(reading.figures, "扶持资金").written == "L75"


def test_what_cannot_be_read_is_listed_not_guessed(read_last: ReportReader) -> None:
    cut = """区科技局2020年度工作总结及2021年工作思路
一、2020年工作总结
（一）聚焦科技争投，实施创新驱动战略
1-9月，我区高新技术产业增加值263
相关工作先后两次得到区领导批示肯定，新认定xx家众创空间。
二、2021年工作思路
新建科普展馆2个。
"""
    reading = read_last(cut)
    assert not any(r.value == 263 for r in reading.figures)
    assert any("263" in item and "截断" in item for item in reading.unread)
    assert any("两次" in item for item in reading.unread)
    assert any("xx家" in item for item in reading.unread)


def test_a_breakdown_in_brackets_ends_with_them(read_last: ReportReader) -> None:
    text = ANNUAL.replace(
        "全区共有科技型中小企业461家，其中省级科技型中小企业120家。",
        "7家院士工作站通过备案（其中1家被认定省级重点站），新认定2家市级专家工作站、8家市级博士创新站。",
    )
    rows = {r.label: r.parent for r in read_last(text).figures}
    assert rows["被认定省级重点站"] == "院士工作站通过备案"
    assert rows["新认定市级专家工作站"] is None
    assert rows["新认定市级博士创新站"] is None  # the list shares its verb, and is no part of the stations
