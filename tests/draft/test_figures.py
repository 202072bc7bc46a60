"""Figures worded the way writers word them (METHODS.md §4), as an in/out table."""

from __future__ import annotations

import pytest

from drafter.draft.figures import describe_figure, describe_target, growth_percent
from drafter.draft.form import Figure, Target
from drafter.models import placeholder
from drafter.text.quantities import is_rate


@pytest.mark.parametrize(
    ("value", "previous", "unit", "amount", "change", "kind"),
    [
        # counts and amounts: growth with one decimal
        (162, 125, "家", "162家", "同比增长29.6%", "up"),
        (461, 321, "家", "461家", "同比增长43.6%", "up"),
        (85, 100, "项", "85项", "同比下降15%", "down"),  # computed: no trailing .0
        (11, 13, "人", "11人", "同比下降15.4%", "down"),
        (23.5, 18.2, "亿元", "23.5亿元", "同比增长29.1%", "up"),
        (1.75, 1.52, "亿元", "1.75亿元", "同比增长15.1%", "up"),
        # growth of 100% or more: a multiple of last year
        (200, 100, "万人次", "200万人次", "是上年的2倍", "up"),
        (4, 1, "项", "4项", "是上年的4倍", "up"),
        (250, 100, "场", "250场", "是上年的2.5倍", "up"),
        (199, 100, "场", "199场", "同比增长99%", "up"),
        # half-up rounding on the decimal value, not the binary float: 1.05 → 5%, 1.0005 → 0.1%
        (105, 100, "家", "105家", "同比增长5%", "up"),
        (10005, 10000, "人", "10005人", "同比增长0.1%", "up"),
        (100004, 100000, "人", "100004人", "与上年基本持平", "equal"),
        # equal
        (30, 30, "场", "30场", "与上年持平", "equal"),
        (3.5, 3.50, "%", "3.5%", "与上年持平", "equal"),
        # previous 0: no percentage
        (2, 0, "家", "2家", "实现零的突破", "from_zero"),
        # a fall to 0 said plainly, never 同比下降100%
        (0, 1, "家", "0家", "上年为1家", "down"),
        (0, 0, "家", "0家", "与上年持平", "equal"),
        # rates: percentage points, never a percent of a percent
        (3.12, 2.87, "%", "3.12%", "提高0.25个百分点", "up"),
        (58.5, 60.1, "%", "58.5%", "下降1.6个百分点", "down"),
        (31.5, 29.8, "％", "31.5％", "提高1.7个百分点", "up"),
        (3, 0, "%", "3%", "提高3个百分点", "up"),
        # signs that make a growth rate meaningless: the difference instead
        (-3, 5, "万元", "-3万元", "比上年减少8万元", "down"),
        (4, -2, "万元", "4万元", "比上年增加6万元", "up"),
        # no previous value: no comparison
        (5, None, "家", "5家", "", "none"),
        (0.8, None, "", "0.8", "", "none"),
    ],
)
def test_figure_wording(
    value: float, previous: float | None, unit: str, amount: str, change: str, kind: str
) -> None:
    text = describe_figure(Figure(label="指标", value=value, unit=unit, previous=previous))
    assert (text.amount, text.change, text.kind) == (amount, change, kind)
    assert text.phrase.startswith(f"指标{amount}")
    assert change in text.phrase
    assert text.placeholders == ()


def test_the_phrase_joins_label_amount_and_change() -> None:
    fig = Figure(label="新认定国家高新技术企业", value=162, unit="家", previous=125)
    assert describe_figure(fig).phrase == "新认定国家高新技术企业162家，同比增长29.6%"


def test_a_rate_says_what_it_is_compared_with() -> None:
    fig = Figure(label="研发经费投入强度", value=3.12, unit="%", previous=2.87)
    assert describe_figure(fig).phrase == "研发经费投入强度3.12%，较上年提高0.25个百分点"


@pytest.mark.parametrize(
    ("fig", "slot"),
    [
        (
            Figure(label="开展科普活动", unit="场", previous=280),
            "【待补充：开展科普活动（场），上年为280场】",
        ),
        (Figure(label="开展文旅市场执法检查", unit="次"), "【待补充：开展文旅市场执法检查（次）】"),
        (Figure(label="研发投入强度"), "【待补充：研发投入强度】"),
    ],
)
def test_a_missing_value_is_a_visible_placeholder_never_a_number(fig: Figure, slot: str) -> None:
    text = describe_figure(fig)
    assert (text.kind, text.phrase, text.placeholders) == ("missing", slot, (slot,))
    assert text.change == ""


@pytest.mark.parametrize(
    ("target", "phrase", "slots"),
    [
        (Target(label="新认定国家高新技术企业", value=180, unit="家"), "新认定国家高新技术企业180家", ()),
        (Target(label="研发投入强度", value=3.3, unit="%"), "研发投入强度3.3%", ()),
        (
            Target(label="技术合同成交额", unit="亿元"),
            "技术合同成交额【待补充：技术合同成交额目标值（亿元）】",
            ("【待补充：技术合同成交额目标值（亿元）】",),
        ),
    ],
)
def test_targets(target: Target, phrase: str, slots: tuple[str, ...]) -> None:
    text = describe_target(target)
    assert (text.phrase, text.placeholders) == (phrase, slots)


def test_growth_is_decimal_arithmetic_on_the_numbers_as_written() -> None:
    assert str(growth_percent(162, 125)) == "29.6"
    assert str(growth_percent(0.3, 0.1)) == "200.0"  # 0.3 / 0.1 in binary floats is 2.9999999999999996


@pytest.mark.parametrize(
    ("unit", "rate"), [("%", True), ("％", True), (" % ", True), ("家", False), ("个百分点", False)]
)
def test_is_rate(unit: str, rate: bool) -> None:
    assert is_rate(unit) is rate


def test_placeholder_shape() -> None:
    assert placeholder("主要工作") == "【待补充：主要工作】"
