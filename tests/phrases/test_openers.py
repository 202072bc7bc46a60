"""Heading openers: slots after the fixed start, 实施…工程 frames, and parallel families per part."""

from __future__ import annotations

import pytest

from drafter.models import Document
from drafter.phrases.openers import (
    OpenerMiner,
    choose_family_keys,
    family_name,
    opener_keys,
    opener_pattern,
    states_result,
)
from drafter.phrases.tally import Initiality
from drafter.phrases.units import Heading, document_units
from tests.mining_builders import summary_plan, tokenizer


def heading(text: str, part: str = "plan") -> Heading:
    words = tuple(tokenizer().words(text.split("，", maxsplit=1)[0]))
    return Heading(text, words, words, "，" in text, part, 2)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first_clause", "keys"),
    [
        (("聚焦", "企业", "培育"), {("p", "聚焦"), ("p", "聚焦", "企业"), ("f", "聚焦", "培育")}),
        (
            ("实施", "人才", "建设工程"),
            {("p", "实施"), ("p", "实施", "人才"), ("f", "实施", "建设工程"), ("f", "实施", "工程")},
        ),
        (("做", "实", "研发"), {("p", "做", "实")}),  # a one-character word opens nothing alone
        (("聚焦",), set()),  # no slot: nothing follows
    ],
)
def test_opener_candidates_of_a_heading(first_clause: tuple[str, ...], keys: set[tuple[str, ...]]) -> None:
    assert {key for key, _ in opener_keys(first_clause)} == keys


@pytest.mark.parametrize(
    ("key", "tail", "name", "pattern"),
    [
        (("p", "聚焦"), True, "聚焦", "聚焦{X}，{Y}"),
        (("p", "全力以赴", "抓好"), False, "全力以赴抓好", "全力以赴抓好{X}"),
        (("f", "实施", "工程"), False, "实施…工程", "实施{X}工程"),
    ],
)
def test_family_names_and_patterns(key: tuple[str, ...], tail: bool, name: str, pattern: str) -> None:
    assert family_name(key) == name
    assert opener_pattern(key, tail) == pattern


def test_a_family_needs_two_siblings_in_a_row() -> None:
    apart = [heading("加强平台建设"), heading("优化服务环境"), heading("加强人才引育")]
    in_a_row = [heading("优化服务环境"), heading("加强平台建设"), heading("加强人才引育")]
    assert choose_family_keys(apart) == []
    assert choose_family_keys(in_a_row) == [("p", "加强")]


def test_the_most_specific_shared_opener_names_the_family() -> None:
    headings = [
        heading("全力以赴做好科技统计年报工作"),
        *(
            heading(f"全力以赴抓好{t}")
            for t in ("科技型企业培育", "科创平台建设", "科技成果转化", "人才项目")
        ),
    ]
    assert choose_family_keys(headings) == [("p", "全力以赴", "抓好")]
    frames = [heading(f"实施{t}工程") for t in ("创新研发能级提升", "科技成果转移转化", "科普提质创新")]
    assert choose_family_keys(frames) == [("f", "实施", "工程")]


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


def mined(docs: list[Document]) -> OpenerMiner:
    miner = OpenerMiner()
    for i, doc in enumerate(docs):
        miner.feed(document_units(doc, tokenizer()), i)
    return miner


def test_summary_and_plan_openers_are_mined_apart() -> None:
    miner = mined(two_reports())
    found = {(c.category, c.pattern): c for c in miner.candidates(2, Initiality())}
    assert ("summary_opener", "聚焦{X}，{Y}") in found
    assert ("plan_opener", "实施{X}工程") in found
    assert ("plan_opener", "聚焦{X}，{Y}") not in found
    assert found[("summary_opener", "聚焦{X}，{Y}")].docs == 2
    assert found[("summary_opener", "聚焦{X}，{Y}")].examples[0].text.startswith("聚焦")


def test_families_record_the_part_they_serve() -> None:
    families = mined(two_reports()).families(Initiality())
    by_part = {(f.part, f.family): f for f in families}
    assert by_part[("summary", "聚焦")].pattern == "聚焦{X}，{Y}"
    assert by_part[("summary", "聚焦")].parallel_parts == 2
    assert by_part[("plan", "实施…工程")].pattern == "实施{X}工程"
    assert by_part[("plan", "实施…工程")].docs == 2
    assert ("plan", "聚焦") not in by_part


def test_a_family_seen_in_one_report_is_still_offered() -> None:
    doc = summary_plan(
        "区科技局年度工作计划",
        [],
        [(f"全力以赴抓好{t}", "落实。") for t in ("科技型企业培育", "科创平台建设", "科技成果转化")],
    )
    other = summary_plan("区科技局工作总结", [("完善政策体系", "出台政策。")], [])
    miner = mined([doc, other])
    patterns = {c.pattern for c in miner.candidates(2, Initiality()) if c.category == "plan_opener"}
    assert patterns == {"全力以赴抓好{X}"}


def test_nouns_that_happen_to_start_headings_are_not_openers() -> None:
    docs = [
        summary_plan(f"总结{i}", [("科技生态进一步优化", "…。"), ("科技人才加快集聚", "…。")], [])
        for i in range(2)
    ]
    miner = mined(docs)
    initiality = Initiality()
    for doc in docs:
        units = document_units(doc, tokenizer())
        initiality.feed(c.words for c in units.clauses)
        initiality.feed(h.first_clause for h in units.headings)
        initiality.feed([("支持", "科技", "企业"), ("服务", "科技", "人才"), ("推动", "科技", "创新")] * 5)
    assert [c.pattern for c in miner.candidates(2, initiality)] == []
    assert miner.families(initiality) == []


@pytest.mark.parametrize(
    ("heading_text", "result"),
    [
        ("科技生态进一步优化", True),
        ("民生福祉持续增进", True),
        ("实施科技企业培育加速工程", False),  # 加速 here names a project, not a result
        ("聚焦企业主体培育", False),
    ],
)
def test_headings_that_report_results_are_not_openers(heading_text: str, result: bool) -> None:
    assert states_result(tuple(tokenizer().words(heading_text))) is result
