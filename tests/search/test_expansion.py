"""Query expansion (口径表 and mined related terms) and the confidence of a hit."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.errors import DrafterError
from drafter.search.expansion import Expander, coverage, label, load_synonyms, query_units
from drafter.search.related import mine_related, related_from_json, related_to_json
from drafter.text.tokens import default_tokenizer


def test_the_shipped_table_reads_and_links_writers_words_to_the_reports() -> None:
    groups = load_synonyms()
    assert len(groups) >= 30
    expander = Expander(groups)
    words = default_tokenizer().words("恢复生产")
    assert "复工复产" in [e.text for e in expander.expand("恢复生产", words)]
    assert "知识产权质押" in [e.text for e in expander.expand("专利权贷款", ["专利权", "贷款"])]


def test_expansions_weigh_less_than_the_writers_words() -> None:
    expander = Expander([("复工复产", "恢复生产")], {"河长制": [("河湖长制", 0.9)]}, 0.5)
    expansions = expander.expand("恢复生产 河长制", ["恢复", "生产", "河长制"])
    assert {e.text for e in expansions} == {"复工复产", "河湖长制"}
    assert all(0 < e.weight < 1 for e in expansions)


def test_mined_terms_are_shown_but_do_not_rank_by_default() -> None:
    expander = Expander([("复工复产", "恢复生产")], {"河长制": [("河湖长制", 0.9)]})
    by_text = {e.text: e for e in expander.expand("恢复生产 河长制", ["恢复", "生产", "河长制"])}
    assert by_text["河湖长制"].weight == 0
    assert by_text["复工复产"].weight > 0


def test_the_mined_bridge_reaches_the_report_term_through_a_neighbour_the_table_knows() -> None:
    groups = [("特困人员供养", "孤寡老人", "五保")]
    related = {"老人": [("孤寡老人", 0.9), ("空巢", 0.8)]}
    query, words = "照顾村里的老人", ["照顾", "村里", "老人"]
    bridged = {e.text: e for e in Expander(groups, related, bridge_weight=0.3).expand(query, words)}
    # The neighbour the table vouches for brings its 口径 term in, below a curated wording the writer said.
    assert 0 < bridged["特困人员供养"].weight < 0.4
    assert bridged["空巢"].weight == 0  # a neighbour the table does not know is only shown
    shipped = {e.text: e for e in Expander(groups, related).expand(query, words)}
    assert "特困人员供养" not in shipped  # off as shipped: it did not gain on the unseen sets
    assert shipped["空巢"].weight == 0


def test_any_wording_of_a_group_anywhere_in_the_query_names_the_group() -> None:
    expander = Expander([("蓝天保卫战", "大气污染防治", "治理空气污染"), ("河长制", "河湖治理")])
    weights = {e.text: e.weight for e in expander.expand("今年重点是治理空气污染和河湖治理", [])}
    assert list(weights) == ["蓝天保卫战", "河长制", "大气污染防治"]  # the 口径 terms first
    assert weights["蓝天保卫战"] > weights["大气污染防治"]


def test_a_query_in_the_reports_own_term_is_barely_expanded() -> None:
    expander = Expander([("蓝天保卫战", "大气污染防治", "治理空气污染")])
    said_plainly = {e.text: e.weight for e in expander.expand("治理空气污染", [])}
    said_officially = {e.text: e.weight for e in expander.expand("蓝天保卫战", [])}
    assert max(said_officially.values()) < min(said_plainly.values())


@pytest.mark.parametrize(
    "text", ["groups: [[只有一个]]\n", "groups: 复工复产\n", "- a\n", "groups: [[复工复产, 复]]\n"]
)
def test_a_broken_table_names_the_file_and_the_fix(tmp_path: Path, text: str) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DrafterError, match=r"synonyms\.yaml"):
        load_synonyms(path)


def test_a_passage_on_another_subject_is_weak() -> None:
    idf = {"粮食": 9.0, "安全": 2.0}.get
    share = coverage(["粮食", "安全"], [], "建筑物抗震普查，确保结构安全。", lambda w: idf(w) or 10.0)
    assert label(share, score=0.15) == "weak"
    share = coverage(["粮食", "安全"], [], "确保粮食安全，粮食产量稳定。", lambda w: idf(w) or 10.0)
    assert label(share, score=0.15) == "strong"


def test_a_paraphrase_that_ranks_clearly_first_is_not_called_weak() -> None:
    # The writer's own words (老百姓, 看病) are not in the passage that answers; its score still tells.
    idf = {"老百姓": 6.0, "看病": 7.0, "负担": 5.0}.get
    share = coverage(["老百姓", "看病", "负担"], [], "减轻群众医疗费用负担。", lambda w: idf(w) or 10.0)
    assert label(share, score=0.05) == "weak"
    assert label(share, score=0.3) == "medium"
    # A passage that shares nothing stays weak however it scores.
    assert label(coverage(["粮食"], [], "建筑物抗震普查。", lambda w: 9.0), score=0.5) == "weak"


def test_a_particle_between_single_characters_is_no_unit_of_meaning() -> None:
    # 河/长/制 is a term the dictionary lacks; 村/的 is a word and a particle, not a subject to look for.
    assert query_units(["河", "长", "制", "工作"]) == ["河长制", "工作"]
    assert query_units(["开通", "到", "每个", "村", "的", "公交车"]) == ["开通", "每个", "公交车"]


def test_a_table_phrase_said_in_other_order_still_names_its_group() -> None:
    expander = Expander([("减税降费", "减轻企业负担")])
    said = [e.text for e in expander.expand("给企业减轻税收负担", [])]
    assert said == ["减税降费"]
    assert not expander.expand("企业发展中遇到的各种困难和负担，需要逐步减轻", [])


def test_related_terms_are_learned_from_shared_contexts_and_round_trip() -> None:
    texts = [f"今年{a}工作扎实推进，{a}成效明显，企业{a}全面完成" for a in ("复工复产", "复产复工")] * 20
    texts += [f"全区{b}稳步提升，{b}任务全面完成" for b in ("研发投入", "科技创新")] * 20
    related = mine_related(texts, default_tokenizer())
    assert related
    assert related_from_json(related_to_json(related)) == related
    assert related_from_json("not json") == {}
