"""Result and problem tails as mined: 取得新突破, 创历年新高, 位居全市第{N}, 不断壮大; 有待提升, 不强."""

from __future__ import annotations

import pytest

from drafter.models import Document, Part
from drafter.phrases.results import normalise
from tests.mining_builders import mined, one_section


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


def reports(part: Part, bodies: list[str]) -> list[Document]:
    return [one_section(f"科学技术局工作总结{i}", part, body) for i, body in enumerate(bodies)]


def results_and_problems(docs: list[Document]) -> dict[str, str]:
    return {p.pattern: p.category for p in mined(docs).phrases if p.category in ("result", "problem")}


@pytest.mark.parametrize(
    ("part", "clauses", "expected"),
    [
        ("summary", ["校地合作取得新突破", "人才引育取得新突破"], {"{X}取得新突破": "result"}),
        ("summary", ["科技型企业队伍不断壮大", "创新平台体系不断壮大"], {"{X}不断壮大": "result"}),
        ("summary", ["发布数位居全市第一", "申报数位居全市第二"], {"{X}位居全市第{N}": "result"}),
        (
            # a tail longer than four words is a frame of its anchor and its last word(s)
            "summary",
            [
                "相关工作得到省委组织部高度认可",
                "科普工作得到市科技局高度认可",
                "创新服务得到市领导充分认可",
                "人才工作得到上级部门一致认可",
            ],
            {"得到{X}认可": "result", "得到{X}高度认可": "result"},
        ),
        ("problems", ["成果登记数量和质量都有待提升", "人才队伍建设有待提升"], {"{X}有待提升": "problem"}),
        ("problems", ["企业的创新意愿不强", "平台的服务能力不强"], {"{X}不强": "problem"}),
        (
            # figures, not results: 兑现 is no anchor, and 实现产值{N}亿元 has a bare number in its fixed part
            "summary",
            ["兑现扶持资金4.22亿元", "兑现奖补资金3亿元", "园区全年实现产值5亿元", "基地实现产值8亿元"],
            {},
        ),
        ("summary", ["加强平台建设", "加强队伍建设"], {}),
    ],
)
def test_tails_start_at_an_anchor_word(part: Part, clauses: list[str], expected: dict[str, str]) -> None:
    # The clauses alternate between two reports, each a sentence of its own.
    docs = reports(part, ["".join(f"{c}。" for c in clauses[i::2]) for i in range(2)])
    assert results_and_problems(docs) == expected


def test_result_phrases_recurring_with_different_subjects_are_mined() -> None:
    found = results_and_problems(
        reports(
            "summary",
            [
                "科技型企业队伍不断壮大。校地合作取得新突破。认定高新技术企业71家，创历年新高。",
                "创新平台体系不断壮大。人才引育取得新突破。技术合同成交额8亿元，创历年新高。",
            ],
        )
    )
    # 创历年新高 is a clause of its own: its subject is the clause before.
    assert found == {"{X}不断壮大": "result", "{X}取得新突破": "result", "{X}，创历年新高": "result"}


def test_problem_phrases_are_mined_as_problems() -> None:
    found = results_and_problems(
        reports(
            "problems",
            ["企业创新意愿不强，成果转化率有待提升。", "企业自主创新能力不强，人才队伍建设有待提升。"],
        )
    )
    assert found == {"{X}不强": "problem", "{X}有待提升": "problem"}


def test_the_same_subject_every_time_is_not_a_slot() -> None:
    found = results_and_problems(reports("summary", ["科技型企业队伍不断壮大。", "科技型企业队伍不断壮大。"]))
    assert "{X}不断壮大" not in found
