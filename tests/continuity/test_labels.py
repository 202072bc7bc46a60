"""Labels as a writer names the indicator: fillers and hedges out, the noun after a bare verb in."""

from __future__ import annotations

import pytest

from drafter.continuity.labels import each_item, item_labels, label_of


@pytest.mark.parametrize(
    ("left", "after", "label"),
    [
        ("一是全县共完成专利申请", "。", "完成专利申请"),
        ("预计可获贷", "。", "获贷"),
        ("力争新认定国家高新技术企业", "。", "新认定国家高新技术企业"),
        ("技术合同成交额达到", "，", "技术合同成交额"),
        ("新增", "省级重点实验室。", "新增省级重点实验室"),
        ("对辖区高校院所和", "辖区重点企业进行全覆盖走访。", "辖区重点企业进行全覆盖走访"),
    ],
)
def test_label_of(left: str, after: str, label: str) -> None:
    sentence = f"{left}9家{after}"
    assert label_of(left, sentence, len(left) + 2, has_value=True) == label


def test_a_list_of_two_names_each_item() -> None:
    assert item_labels("城镇和农村居民人均可支配收入", 2) == [
        "城镇居民人均可支配收入",
        "农村居民人均可支配收入",
    ]
    assert item_labels("规上工业总产值、增加值", 2) == ["规上工业总产值", "规上工业增加值"]
    assert item_labels("城乡居民人均可支配收入", 2) == ["城镇居民人均可支配收入", "农村居民人均可支配收入"]
    assert item_labels("地区生产总值", 3) == []


def test_items_before_jun_are_split() -> None:
    assert each_item("年接待游客、旅游总消费均") == ["年接待游客", "旅游总消费"]
    assert each_item("旅游总消费") == ["旅游总消费"]
