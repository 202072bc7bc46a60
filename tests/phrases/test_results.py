"""Result and problem tails: 取得新突破, 创历年新高, 位居全市第{N}, 不断壮大; 有待提升, 不强."""

from __future__ import annotations

import pytest

from drafter.models import Document, Part
from drafter.phrases.results import ResultMiner, normalise, tail_keys, tail_pattern
from drafter.phrases.units import document_units
from tests.mining_builders import report, tokenizer


@pytest.mark.parametrize(
    ("words", "normal"),
    [
        (("位居", "全市", "第二"), ("位居", "全市", "第{N}")),
        (("列", "全省", "第", "x"), ("列", "全省", "第{N}")),
        (("增长", "29", "6"), ("增长", "{N}")),
        (("取得", "新", "突破"), ("取得", "新", "突破")),
    ],
)
def test_ranks_and_figures_become_slots(words: tuple[str, ...], normal: tuple[str, ...]) -> None:
    assert normalise(words) == normal


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("校地合作取得新突破", {("result", "{X}取得新突破")}),
        ("科技型企业队伍不断壮大", {("result", "{X}不断壮大")}),
        ("发布数位居全市第一", {("result", "{X}位居全市第{N}")}),
        ("相关工作得到省委组织部高度认可", {("result", "得到{X}认可"), ("result", "得到{X}高度认可")}),
        ("成果登记数量和质量都有待提升", {("problem", "{X}有待提升")}),
        ("企业的创新意愿不强", {("problem", "{X}不强")}),
        ("兑现扶持资金4.22亿元", set()),  # a figure, not a result
        ("加强平台建设", set()),
    ],
)
def test_tails_start_at_an_anchor_word(clause: str, expected: set[tuple[str, str]]) -> None:
    words = tuple(tokenizer().words(clause))
    assert {(key[0], tail_pattern(key, whole_clause=False)) for key, _, _ in tail_keys(words)} == expected


def reports(part: Part, bodies: list[str]) -> list[Document]:
    return [
        report(f"科学技术局工作总结{i}", [("一年来的工作", part, [("推进重点工作", body)])])
        for i, body in enumerate(bodies)
    ]


def mined(docs: list[Document]) -> dict[str, str]:
    miner = ResultMiner()
    for i, doc in enumerate(docs):
        miner.feed(document_units(doc, tokenizer()), i)
    return {c.pattern: c.category for c in miner.candidates(2)}


def test_result_phrases_recurring_with_different_subjects_are_mined() -> None:
    found = mined(
        reports(
            "summary",
            [
                "科技型企业队伍不断壮大。校地合作取得新突破。认定高新技术企业71家，创历年新高。",
                "创新平台体系不断壮大。人才引育取得新突破。技术合同成交额8亿元，创历年新高。",
            ],
        )
    )
    assert found["{X}不断壮大"] == "result"
    assert found["{X}取得新突破"] == "result"
    assert found["{X}，创历年新高"] == "result"


def test_problem_phrases_are_mined_as_problems() -> None:
    found = mined(
        reports(
            "problems",
            ["企业创新意愿不强，成果转化率有待提升。", "企业自主创新能力不强，人才队伍建设有待提升。"],
        )
    )
    assert found == {"{X}不强": "problem", "{X}有待提升": "problem"}


def test_the_same_subject_every_time_is_not_a_slot() -> None:
    found = mined(reports("summary", ["科技型企业队伍不断壮大。", "科技型企业队伍不断壮大。"]))
    assert "{X}不断壮大" not in found
