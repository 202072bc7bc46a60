"""The quantities of one sentence, as a writer reads them: which indicator, how much, in what unit."""

from __future__ import annotations

import pytest

from drafter.continuity.mentions import find_mentions, read_number


def rows(sentence: str) -> list[tuple[str, float | None, str, str | None]]:
    return [(m.label, m.value, m.unit, m.growth) for m in find_mentions(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("新认定国高企162家，同比增长29.6%。", [("新认定国高企", 162, "家", "29.6%")]),
        ("实现技术合同成交额4.22亿元。", [("技术合同成交额", 4.22, "亿元", None)]),
        ("兑现扶持资金3500万元。", [("兑现扶持资金", 3500, "万元", None)]),
        ("R&D经费投入强度达2.87%。", [("R&D经费投入强度", 2.87, "%", None)]),
        ("地区生产总值增长6.5%。", [("地区生产总值", None, "%", "6.5%")]),
        ("城镇登记失业率下降0.3个百分点。", [("城镇登记失业率", None, "个百分点", "下降0.3个百分点")]),
        ("新增2家省级重点实验室。", [("新增省级重点实验室", 2, "家", None)]),
        ("企业数量从0.94万家增加到1.55万家。", [("企业数量", 1.55, "万家", None)]),
    ],
)
def test_a_stated_figure_is_read_with_its_indicator_value_unit_and_change(
    sentence: str, expected: list[tuple[str, float | None, str, str | None]]
) -> None:
    assert rows(sentence) == expected


def test_the_earlier_value_of_from_to_is_kept_as_previous() -> None:
    (mention,) = find_mentions("企业数量从0.94万家增加到1.55万家。")
    assert mention.previous == 0.94


@pytest.mark.parametrize(
    ("sentence", "hedge"),
    [
        ("发放政策宣传册约2000份。", "约"),
        ("开展科普活动100余场。", "余"),
        ("新增博士创新工作站5家以上。", "以上"),
    ],
)
def test_hedges_are_kept_as_written(sentence: str, hedge: str) -> None:
    (mention,) = find_mentions(sentence)
    assert mention.hedge == hedge


def test_a_breakdown_after_qizhong_is_marked() -> None:
    mentions = find_mentions("全县共完成专利申请272件，其中发明专利58件、企业专利151件。")
    assert [(m.label, m.breakdown) for m in mentions][:2] == [("完成专利申请", False), ("发明专利", True)]


def test_respectively_lists_give_one_row_per_item() -> None:
    assert rows("城镇和农村居民人均可支配收入分别增长7.6%、8.8%。") == [
        ("城镇居民人均可支配收入", None, "%", "7.6%"),
        ("农村居民人均可支配收入", None, "%", "8.8%"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "2022年全国科普日活动成功举办。",  # a year
        "荣获全省第3名。",  # an ordinal
        "新引进2000万元以上项目。",  # a threshold (the count would be the figure)
        "推进年产20万吨生产线建设。",  # a capacity inside a project name
        "开展为期6个月的普查。",  # a duration
        "PM2.5浓度持续下降。",  # inside a name
        "推进5020项目建设。",  # inside a name
        "紧紧围绕“R&D经费支出年均增长25%以上”的目标。",  # a quoted goal, not a result
    ],
)
def test_numbers_that_are_not_figures_are_left_out(sentence: str) -> None:
    assert find_mentions(sentence) == []


@pytest.mark.parametrize(("written", "value"), [("IOO", 100), ("L75", 1.75), ("1,200", 1200), ("4.22", 4.22)])
def test_ocr_slips_and_separators_in_numbers_are_read(written: str, value: float) -> None:
    assert read_number(written) == value


def test_an_ocr_slip_keeps_its_literal_form() -> None:
    (mention,) = find_mentions("累计开展科普宣传周活动IOO余场。")
    assert (mention.value, mention.unit, mention.written) == (100, "场", "IOO")


def test_a_range_is_read_by_its_lower_bound_and_kept_as_written() -> None:
    (mention,) = find_mentions("推动企业组建1—2家创新联合体。")
    assert (mention.value, mention.unit, mention.written) == (1, "家", "1—2")


def test_items_sharing_one_change_with_jun_are_one_row_each() -> None:
    assert rows("年接待游客、旅游总消费均增长10%。") == [
        ("年接待游客", None, "%", "10%"),
        ("旅游总消费", None, "%", "10%"),
    ]


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("可再生能源占电力装机比重由47.6%提升至73.4%。", "可再生能源占电力装机比重"),
        ("共享单车投放3000辆。", "共享单车投放"),
        ("全省生产总值从2020年的3.68万亿元增长到2025年的4.93万亿元。", "全省生产总值"),
    ],
)
def test_labels_keep_their_own_first_characters(sentence: str, label: str) -> None:
    assert find_mentions(sentence)[0].label == label


def test_a_change_in_a_count_stays_with_its_count() -> None:
    (mention,) = find_mentions("强力推进576项市重点项目、较上年增加129项。")
    assert (mention.value, mention.unit, mention.growth) == (576, "项", "增加129项")
