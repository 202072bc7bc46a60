"""A section's results as a writer states them: one sentence, 其中, stated rates, hedges, declines apart."""

from __future__ import annotations

from typing import Any

import pytest

from drafter.draft.form import Figure
from drafter.draft.results import merge_rates, section_results


def fig(**fields: Any) -> Figure:
    return Figure.model_validate(fields)


def test_a_sections_figures_make_one_results_sentence() -> None:
    said = section_results(
        [
            fig(label="粮食播种面积", value=52.6, unit="万亩", previous=52.6),
            fig(label="粮食总产量", value=23.8, unit="万吨", growth="3.9%"),
        ],
        half=False,
    )
    assert said.sentences == ("全年粮食播种面积52.6万亩，与上年持平；总产量23.8万吨，同比增长3.9%。",)
    assert said.declines == ()


def test_a_part_follows_its_whole_after_qi_zhong() -> None:
    said = section_results(
        [
            fig(label="农业总产值", value=75.34, unit="亿元", growth="6%"),
            fig(label="种植业产值", value=40.2, unit="亿元", parent="农业总产值", growth="5.1%"),
        ],
        half=False,
    )
    assert said.text == "全年农业总产值75.34亿元，同比增长6%，其中种植业产值40.2亿元，同比增长5.1%。"


def test_a_stated_rate_is_printed_verbatim_not_recomputed() -> None:
    # 12.03 / 10 would give 20.3%; the published rate is 20.32%.
    said = section_results(
        [fig(label="旅游收入", value=12.03, unit="亿元", previous=10, growth="20.32%")], half=False
    )
    assert "同比增长20.32%" in said.text
    assert "20.3%" not in said.text.replace("20.32%", "")


def test_a_rate_entered_as_its_own_figure_joins_its_value() -> None:
    figures = [
        fig(label="旅游收入", value=12.03, unit="亿元"),
        fig(label="旅游收入增速", value=20.32, unit="%"),
    ]
    assert len(merge_rates(figures)) == 1
    assert section_results(figures, half=False).text == "全年旅游收入12.03亿元，同比增长20.32%。"


@pytest.mark.parametrize(
    ("fields", "wording"),
    [
        (
            {"label": "农业总产值", "value": 75.34, "unit": "亿元", "hedge": "预计", "growth": "6%"},
            "农业总产值预计达75.34亿元",
        ),
        ({"label": "接待游客", "value": "约3000", "unit": "万人次"}, "接待游客约3000万人次"),
        (
            {"label": "接待游客", "value": 3000, "unit": "万人次", "basis": "1–5月"},
            "1–5月，接待游客3000万人次",
        ),
        (
            {"label": "粮食产量", "value": 23.8, "unit": "万吨", "hedge": "初步统计"},
            "据初步统计，粮食产量23.8万吨",
        ),
        ({"label": "新增企业", "value": "100余", "unit": "家"}, "新增企业100余家"),
        ({"label": "粮食产量", "value": "295以上", "unit": "万吨"}, "粮食产量295万吨以上"),
    ],
)
def test_hedges_and_bases_are_kept(fields: dict[str, Any], wording: str) -> None:
    assert wording in section_results([fig(**fields)], half=False).text


def test_figures_of_one_basis_share_a_sentence_that_opens_with_it() -> None:
    said = section_results(
        [
            fig(label="接待游客", value=3000, unit="万人次", basis="1–5月"),
            fig(label="旅游收入", value=30, unit="亿元", basis="1–5月"),
            fig(label="A级景区", value=12, unit="家"),
        ],
        half=False,
    )
    assert said.sentences == ("1–5月，接待游客3000万人次，旅游收入30亿元。", "全年A级景区12家。")


def test_only_a_rate_is_said_without_a_slot() -> None:
    said = section_results([fig(label="农村居民人均可支配收入", unit="元", growth="6.5%左右")], half=False)
    assert said.text == "全年农村居民人均可支配收入增长6.5%左右。"
    assert "待补充" not in said.text


def test_a_decline_is_its_own_plain_sentence_and_a_possible_problem() -> None:
    said = section_results(
        [
            fig(label="新认定国家高新技术企业", value=162, unit="家", previous=125),
            fig(label="引进海外高层次人才", value=11, unit="人", previous=13),
        ],
        half=False,
    )
    assert said.sentences == ("全年新认定国家高新技术企业162家，同比增长29.6%。",)
    assert said.declines == ("引进海外高层次人才11人，同比下降15.4%。",)
    assert said.decline_phrases == ("引进海外高层次人才11人，同比下降15.4%",)


def test_half_year_results_compare_with_the_same_period() -> None:
    said = section_results(
        [fig(label="接待游客", value=30, unit="万人次", previous=30)], half=True, period_word="上半年"
    )
    assert said.text == "上半年接待游客30万人次，与上年同期持平。"


def test_a_shared_opening_is_dropped_only_when_it_is_a_word_not_a_number() -> None:
    said = section_results(
        [
            fig(label="进入ESI排名前1‰的学科", value=7, unit="个"),
            fig(label="进入ESI排名前1‱的学科", value=1, unit="个"),
        ],
        half=False,
    )
    assert "前1‱的学科1个" in said.text
