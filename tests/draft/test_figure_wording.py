"""Numbers as writers word them: 倍, zero, completion, rank, 同期, stated rates, typed values."""

from __future__ import annotations

from typing import Any

import pytest

from drafter.draft.figures import describe_figure, describe_target
from drafter.draft.form import Figure, Target


def wording(half: bool = False, **fields: Any) -> str:
    return describe_figure(Figure.model_validate({"label": "指标", **fields}), half=half).phrase


@pytest.mark.parametrize(
    ("fields", "phrase"),
    [
        # growth of 100% or more: 是上年的N倍 (the convention the README documents)
        ({"value": 4, "previous": 1, "unit": "项"}, "指标4项，是上年的4倍"),
        ({"value": 3.1, "previous": 1, "unit": "亿元"}, "指标3.1亿元，是上年的3.1倍"),
        # a stated rate stays as stated, even over 100%
        ({"value": 4, "previous": 1, "unit": "项", "growth": "300%"}, "指标4项，同比增长300%"),
        # from 0 and to 0
        ({"value": 3, "previous": 0, "unit": "家"}, "指标3家，实现零的突破"),
        ({"value": 0, "previous": 2, "unit": "家"}, "指标0家，上年为2家"),
        # computed rates: one decimal, no trailing .0; values keep their precision
        ({"value": 113, "previous": 100, "unit": "家"}, "指标113家，同比增长13%"),
        ({"value": 28, "unit": "%"}, "指标28%"),
        # a target gives the completion rate, a rank is placed with 位居
        ({"value": 8.125, "unit": "亿元", "target": 25}, "指标8.125亿元，完成年度目标的32.5%"),
        ({"value": 25.7, "unit": "亿元", "target": 25}, "指标25.7亿元，完成年度目标的102.8%"),
        ({"value": 25.7, "unit": "亿元", "rank": "全市第二"}, "指标25.7亿元，位居全市第二"),
        ({"value": 25.7, "unit": "亿元", "rank": "全省领先"}, "指标25.7亿元，全省领先"),
        # stated declines and percentage points
        ({"value": 11, "unit": "人", "growth": "-3.96%"}, "指标11人，同比下降3.96%"),
        ({"value": 24.5, "unit": "%", "growth": "8.9"}, "指标24.5%，较上年提高8.9个百分点"),
        ({"value": 200, "unit": "天", "growth": "39天"}, "指标200天，同比增加39天"),
        # typed as writers type them
        ({"value": "6.6%"}, "指标6.6%"),
        ({"value": "1,200", "unit": "人"}, "指标1200人"),
        ({"value": "六成"}, "指标六成"),
    ],
)
def test_figure_phrases(fields: dict[str, Any], phrase: str) -> None:
    assert wording(**fields) == phrase


@pytest.mark.parametrize(
    ("fields", "phrase"),
    [
        ({"value": 30, "previous": 30, "unit": "场"}, "指标30场，与上年同期持平"),
        ({"value": 3.5, "previous": 3.0, "unit": "%"}, "指标3.5%，较上年同期提高0.5个百分点"),
        ({"value": 0, "previous": 2, "unit": "家"}, "指标0家，上年同期为2家"),
        ({"value": 4, "previous": 1, "unit": "项"}, "指标4项，是上年同期的4倍"),
    ],
)
def test_half_year_compares_with_the_same_period_last_year(fields: dict[str, Any], phrase: str) -> None:
    assert wording(half=True, **fields) == phrase


def test_a_typed_hedge_goes_to_its_field() -> None:
    figure = Figure.model_validate({"label": "接待游客", "value": "约3,000", "unit": "万人次"})
    assert (figure.value, figure.hedge) == (3000, "约")
    assert describe_figure(figure).phrase == "接待游客约3000万人次"


def test_targets_keep_the_writers_wording() -> None:
    target = Target.model_validate({"label": "种业销售额", "value": "突破110", "unit": "亿元"})
    assert describe_target(target).phrase == "种业销售额突破110亿元"
