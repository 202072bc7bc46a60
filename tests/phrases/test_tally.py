"""Counting across reports, as the bank shows it: occurrences and documents, examples, open slots, memory."""

from __future__ import annotations

import pytest

from drafter.models import Document
from drafter.phrases.tally import TallyTable
from tests.mining_builders import in_bank, mined, one_section


def summary(title: str, body: str) -> Document:
    return one_section(title, "summary", body)


def test_a_formula_used_once_is_not_in_the_bank_until_it_is_used_again() -> None:
    once = summary("总结甲", "围绕企业需求，开展服务。")
    twice = summary("总结乙", "围绕企业需求，开展服务。围绕产业布局，加快建设。")
    elsewhere = summary("总结丙", "围绕平台建设，完善机制。")
    unrelated = summary("总结丁", "完善制度。")
    assert "围绕{X}，{Y}" not in in_bank(mined([once]), "clause_frame")
    assert "围绕{X}，{Y}" not in in_bank(mined([once, unrelated]), "clause_frame")
    phrase = in_bank(mined([twice]), "clause_frame")["围绕{X}，{Y}"]
    assert (phrase.count, phrase.docs) == (2, 1)
    phrase = in_bank(mined([once, elsewhere]), "clause_frame")["围绕{X}，{Y}"]
    assert (phrase.count, phrase.docs) == (2, 2)


def test_a_report_counts_once_however_often_it_uses_the_formula() -> None:
    docs = [
        summary("总结甲", "围绕人才引育，开展服务。围绕平台建设，加快建设。围绕创新服务，优化环境。"),
        summary("总结乙", "围绕企业需求，完善机制。"),
    ]
    phrase = in_bank(mined(docs), "clause_frame")["围绕{X}，{Y}"]
    assert (phrase.count, phrase.docs) == (4, 2)


def test_examples_come_from_distinct_reports_and_are_few() -> None:
    themes = ["人才引育", "平台建设", "创新服务", "企业需求", "产业布局", "成果转化"]
    docs = [
        summary(f"区科技局总结{i}", f"围绕{theme}，开展服务。围绕{theme}，完善机制。")
        for i, theme in enumerate(themes)
    ]
    phrase = in_bank(mined(docs), "clause_frame")["围绕{X}，{Y}"]
    assert (phrase.count, phrase.docs) == (12, 6)
    assert [(e.text, e.doc_id, e.title) for e in phrase.examples] == [
        (f"围绕{theme}，开展服务", doc.id, doc.title) for theme, doc in zip(themes[:3], docs[:3], strict=True)
    ]


VERBS = ("提升", "优化", "打造", "推进", "构建", "强化", "完善", "培育")
NOUNS = ("人才队伍", "营商环境", "服务水平", "科技成果", "创新能力", "产业链条", "研发投入", "工作机制")


def test_the_more_open_a_slot_the_higher_the_formula_ranks() -> None:
    # Three leads, each eight times in two reports: 着力 before eight different words (3 bits),
    # 切实 before two words evenly (1 bit), 坚决 always before 打赢 (no slot at all).
    def body(doc: int) -> str:
        return "".join(
            f"着力{VERBS[k]}{NOUNS[k]}。切实{('推进', '强化')[k % 2]}{NOUNS[k]}。坚决打赢{NOUNS[k]}。"
            for k in range(doc * 4, doc * 4 + 4)
        )

    found = in_bank(mined([summary(f"总结{i}", body(i)) for i in range(2)]), "clause_frame")
    wide, narrow = found["着力{X}"], found["切实{X}"]
    assert (wide.count, wide.docs) == (narrow.count, narrow.docs) == (8, 2)
    # score ∝ entropy of the slot's fillers, all else equal: 1 bit against 3 bits.
    assert narrow.score / wide.score == pytest.approx(1 / 3, rel=2e-3)
    assert "坚决{X}" not in found
    assert "坚决打赢{X}" in found  # the formula is the longer fixed text


def test_slot_fillers_beyond_those_kept_still_count_as_distinct() -> None:
    # 以{X}为抓手 with 48 different fillers, 以{X}为重点 with 8 fillers six times each: in the same
    # reports, as often, both slots are fully open (at least 3 bits), so both rank the same.
    firsts = ("政策", "项目", "人才", "产业", "企业", "平台", "园区")
    seconds = ("建设", "创新", "服务", "培育", "改革", "集聚", "升级")
    wide = [f"以{a}{b}为抓手，推进工作。" for a in firsts for b in seconds][:48]
    narrow = [
        f"以{a}{b}为重点，推进工作。" for a, b in [*zip(firsts, seconds, strict=True), ("政策", "创新")]
    ] * 6
    docs = [summary(f"总结{i}", "".join(wide[i::2] + narrow[i::2])) for i in range(2)]
    found = in_bank(mined(docs), "clause_frame")
    assert (found["以{X}为抓手"].count, found["以{X}为抓手"].docs) == (48, 2)
    assert (found["以{X}为重点"].count, found["以{X}为重点"].docs) == (48, 2)
    assert found["以{X}为抓手"].score == found["以{X}为重点"].score


def test_memory_is_bounded_and_recurring_keys_survive() -> None:
    # The bound is on the order of 60 000 candidates per miner, far beyond any corpus a test can mine,
    # so it is pinned on the table itself.
    limit = 100
    table: TallyTable[str] = TallyTable(limit)
    for doc in range(200):
        table.add("聚焦", doc, f"主题{doc}")  # a formula: in every document
        for j in range(20):
            table.add(f"一次性{doc}-{j}", doc, "x")  # noise: never seen again
            table.add(f"两次{doc}-{j}", doc, "x")
            table.add(f"两次{doc}-{j}", doc, "y")
        assert len(table) <= limit
    tally = table.get("聚焦")
    assert tally is not None
    assert tally.docs >= 190  # counted from its second sighting on, never pruned
    assert table.forgotten > 0


def test_words_that_open_clauses_lead_frames_and_nouns_do_not() -> None:
    # 围绕 opens every clause it is in; 企业 opens one clause in two reports but mostly stands inside them.
    docs = [
        summary(
            f"总结{i}",
            f"围绕{need}，开展服务。企业{gain}。服务企业发展。支持企业创新。推动企业转型。",
        )
        for i, (need, gain) in enumerate([("企业需求", "创新能力提升"), ("产业布局", "研发投入增加")])
    ]
    found = in_bank(mined(docs), "clause_frame")
    assert "围绕{X}，{Y}" in found
    assert not [p for p in found if p.startswith("企业")]
