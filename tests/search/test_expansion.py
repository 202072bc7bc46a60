"""Query expansion (口径表 and mined related terms) and the confidence of a hit."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.errors import DrafterError
from drafter.search.curated import load_synonyms
from drafter.search.expansion import Expander, coverage, label, query_units
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


def test_an_edit_to_the_table_is_read_by_the_next_load(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text("groups:\n  - [复工复产, 恢复生产]\n", encoding="utf-8")
    assert load_synonyms(path) == (("复工复产", "恢复生产"),)
    assert load_synonyms(path) == (("复工复产", "恢复生产"),)  # the second read comes from the cache
    path.write_text("groups:\n  - [复工复产, 恢复生产, 企业复工]\n  - [河长制, 河湖治理]\n", encoding="utf-8")
    assert load_synonyms(path) == (("复工复产", "恢复生产", "企业复工"), ("河长制", "河湖治理"))
    path.write_text("groups:\n  - [复工复产]\n", encoding="utf-8")
    with pytest.raises(DrafterError, match="第 1 组"):
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


@pytest.mark.parametrize(
    ("query", "report_term"),
    [
        ("老师在几所学校之间轮岗交流", "县管校聘"),  # 教育
        ("给村里的老人办个吃饭的食堂", "老年助餐"),  # 民政
        ("打零工的人去哪里找活干", "零工市场"),  # 人社
        ("老百姓反映的揪心事烦心事", "急难愁盼"),  # 发改 / 政务
        ("帮企业渡过难关纾困", "助企纾困"),  # 工信
        ("工地上的施工安全", "房屋市政工程安全"),  # 住建
        ("禁止放鞭炮", "烟花爆竹禁燃禁放"),  # 生态环境
        ("乡村医生越来越少", "乡村医生"),  # 卫健
        ("一个县的就医都留在县里，大病不出县", "县域就诊率"),  # 卫健
        ("村干部的报酬太低", "村级组织运转"),  # 组织
    ],
)
def test_the_shipped_table_reaches_the_report_term_from_a_writers_words_in_every_bureau(
    query: str, report_term: str
) -> None:
    expander = Expander(load_synonyms())
    texts = [e.text for e in expander.expand(query, [])]
    assert report_term in texts or report_term in query
    assert len(texts) <= 12


@pytest.mark.parametrize(
    ("query", "foreign"),
    [
        ("新引进的三个项目落户园区", "户籍制度改革"),  # 落户 of a project, not of a person
        ("推广新能源汽车和充电桩", "光伏"),  # vehicles, not power
        ("培育工业龙头企业", "农业产业化"),
        ("应急救援队伍建设", "防汛救灾"),
        ("两不愁三保障", "保基本民生保工资保运转"),
        ("拓宽企业融资渠道", "农田水利"),  # 渠道 of money, not of water
    ],
)
def test_a_general_word_of_another_subject_does_not_pull_a_group_in(query: str, foreign: str) -> None:
    texts = [e.text for e in Expander(load_synonyms()).expand(query, [])]
    assert foreign not in texts


def test_a_long_wording_is_found_as_written_and_in_pieces_around_its_rarest_piece() -> None:
    groups = [("秸秆综合利用", "农村秸秆处理"), ("农村生活污水", "村里的污水"), ("农村道路", "村里的路")]
    expander = Expander(groups)
    assert [e.text for e in expander.expand("农村秸秆处理", [])] == ["秸秆综合利用"]
    assert [e.text for e in expander.expand("秸秆在农村怎么处理", [])] == ["秸秆综合利用"]
    assert [e.text for e in expander.expand("村里的污水", [])] == ["农村生活污水"]
    assert not expander.expand("农村的处理办法", [])  # 秸秆, the rare piece, is missing


def test_related_terms_are_learned_from_shared_contexts_and_round_trip() -> None:
    texts = [f"今年{a}工作扎实推进，{a}成效明显，企业{a}全面完成" for a in ("复工复产", "复产复工")] * 20
    texts += [f"全区{b}稳步提升，{b}任务全面完成" for b in ("研发投入", "科技创新")] * 20
    related = mine_related(texts, default_tokenizer())
    assert related
    assert related_from_json(related_to_json(related)) == related
    assert related_from_json("not json") == {}
