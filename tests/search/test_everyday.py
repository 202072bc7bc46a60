"""The everyday-words table (``phrasebank/everyday.yaml``): a resident's or a new clerk's words find the
passage written in the reports' words, one way only, and a short everyday word is not found inside a longer
word of another sense."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from drafter.app import Drafter
from drafter.errors import DrafterError
from drafter.search.curated import load_everyday, load_synonyms
from drafter.search.expansion import Expander
from drafter.text.tokens import JiebaTokenizer, default_tokenizer
from tests.builders import searchable

PASSAGES = [
    ("卫生健康", "全县新招聘卫生技术人员126名，乡镇卫生院医务人员短缺问题得到缓解。"),
    ("交通运输", "新建改建农村公路85公里，完成道路硬化入户路120条，群众出行条件明显改善。"),
    ("民政", "全县儿童福利院提质改造完成，未成年人保护工作站实现乡镇全覆盖。"),
    ("就业", "开发公益性岗位860个，帮助就业困难人员再就业1200人。"),
    ("科技", "开展科学技术普及活动42场，组织专家下乡服务企业。"),
    ("看病", "县医院就医环境改善，群众看病排队时间缩短。"),
    ("村务", "村里召开党员大会，研究村里的道路修建和村医待遇问题。"),
]


@pytest.fixture(scope="module")
def tokenizer() -> JiebaTokenizer:
    return default_tokenizer()


@pytest.fixture
def bureau(database: str) -> Iterator[Drafter]:
    drafter = searchable(database, "某县2024年工作总结", PASSAGES, unit="某县人民政府")
    yield drafter
    drafter.close()


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("乡下大夫太少", "卫生技术人员"),  # 大夫 → 医务人员 / 卫生技术人员
        ("小孩子该怎么关爱", "未成年人保护"),  # 小孩子 → 儿童 / 未成年人
        ("下岗职工有多少", "就业困难人员"),  # 下岗职工 → 失业人员 / 就业困难人员
        ("给村里修路", "农村公路"),  # 修路 → 农村公路, ahead of the passage that says 村里
    ],
)
def test_an_everyday_query_finds_the_passage_written_in_report_words(
    bureau: Drafter, query: str, answer: str
) -> None:
    # None of these is found (or found first) without the everyday words: the query shares no word with it.
    assert answer in bureau.search(query, 3)[0].text


def _texts(expander: Expander, tokenizer: JiebaTokenizer, query: str) -> list[str]:
    return [e.text for e in expander.expand(query, tokenizer.words(query))]


@pytest.mark.parametrize(
    ("query", "report_term"),
    [
        ("村里的大夫太少", "医务人员"),  # 卫健
        ("小孩上学难", "儿童"),  # 教育 / 民政
        ("给村里修路", "农村公路"),  # 交通
        ("河水发臭怎么管", "水污染防治"),  # 生态环境
        ("着火了怎么办", "消防安全"),  # 应急 / 消防
        ("骗子打诈骗电话", "电信网络诈骗"),  # 公安
        ("请不起律师的人", "法律援助"),  # 司法
        ("办事来回跑", "政务服务"),  # 政务服务
        ("菜市场改造", "农贸市场"),  # 商务 / 市场监管
        ("讨工钱难", "根治欠薪"),  # 人社
        ("破房子漏雨", "农村危房改造"),  # 住建
        ("摆地摊的管理", "占道经营"),  # 城管
        ("脱贫户吃穿不愁了吗", "两不愁三保障"),  # 乡村振兴: a label the reports use, said as a description
        ("办事盖章太多", "一枚印章管审批"),  # 营商环境 / 数字政府
        ("上级拨款怎么管", "转移支付"),  # 财政
        ("林子里种药材", "林下经济"),  # 林业
        ("搞面子工程", "形象工程"),  # 机关作风
        ("春节慰问部队", "双拥"),  # 退役军人
    ],
)
def test_the_shipped_everyday_words_reach_the_report_term_in_every_bureau(
    tokenizer: JiebaTokenizer, query: str, report_term: str
) -> None:
    expander = Expander(load_synonyms(), everyday=load_everyday())
    texts = _texts(expander, tokenizer, query)
    assert report_term in texts
    assert len(texts) <= 12


@pytest.mark.parametrize(
    ("query", "everyday"),
    [
        ("科学技术普及", "学技术"),  # a piece of 科学技术, not 学技术 (→ 技能培训)
        ("中小企业融资", "小企业"),  # a piece of 中小企业
        ("农民工工资", "民工"),  # a piece of 农民工
        ("大水库除险加固", "大水"),
    ],
)
def test_an_everyday_word_inside_a_longer_word_brings_nothing_in(
    tokenizer: JiebaTokenizer, query: str, everyday: str
) -> None:
    pairs = {"学技术": "职业技能培训", "小企业": "小微企业", "民工": "农民工", "大水": "洪涝灾害"}
    expander = Expander(everyday=[((report,), (said,)) for said, report in pairs.items()])
    assert expander.expand(query, tokenizer.words(query)) == []
    shipped = Expander(load_synonyms(), everyday=load_everyday())
    assert everyday not in [e.of for e in shipped.expand(query, tokenizer.words(query))]
    # The same word said on its own is expanded.
    assert [e.of for e in expander.expand(f"{everyday}的问题", tokenizer.words(f"{everyday}的问题"))]


def test_the_everyday_words_go_one_way_and_weigh_below_the_writers_words(tokenizer: JiebaTokenizer) -> None:
    expander = Expander(everyday=[(("医务人员", "卫生技术人员"), ("大夫", "郎中"))])
    said = {e.text: e.weight for e in expander.expand("大夫太少", tokenizer.words("大夫太少"))}
    assert said == {"医务人员": 0.7, "卫生技术人员": 0.4}  # never the other everyday word 郎中
    assert expander.expand("医务人员太少", tokenizer.words("医务人员太少")) == []


def test_the_shipped_table_follows_its_own_rules() -> None:
    entries = load_everyday()
    assert len(entries) >= 200
    curated = {w for group in load_synonyms() for w in group}
    said = [w for _, everyday in entries for w in everyday]
    assert all(reports and everyday for reports, everyday in entries)
    assert all(len(w) >= 2 for reports, everyday in entries for w in (*reports, *everyday))
    assert not set(said) & curated  # a wording of the 口径 table is not repeated here
    assert len(said) == len(set(said))  # each everyday wording in one entry only


def test_every_report_wording_of_the_shipped_table_occurs_in_the_corpus(
    seeds_dir: Path, external_dir: Path
) -> None:
    # A report wording the reports never write finds nothing: the search reads it for no hit at all.
    text = "".join(
        path.read_text(encoding="utf-8", errors="ignore")
        for folder in (seeds_dir, external_dir)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    )
    missing = [report for reports, _ in load_everyday() for report in reports if report not in text]
    assert missing == []


@pytest.mark.parametrize(
    "text",
    [
        "entries: [[大夫, 医生]]\n",
        "entries:\n  - {reports: [医务人员]}\n",
        "entries:\n  - {reports: [医务人员], everyday: [夫]}\n",
        "groups: []\n",
    ],
)
def test_a_broken_everyday_table_names_the_file_the_entry_and_the_fix(tmp_path: Path, text: str) -> None:
    path = tmp_path / "everyday.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DrafterError, match=r"everyday\.yaml.*(第 1 条|entries)"):
        load_everyday(path)


def test_an_edit_to_the_everyday_table_is_read_by_the_next_load(tmp_path: Path) -> None:
    path = tmp_path / "everyday.yaml"
    path.write_text("entries:\n  - {reports: [医务人员], everyday: [大夫]}\n", encoding="utf-8")
    assert load_everyday(path) == ((("医务人员",), ("大夫",)),)
    assert load_everyday(path) == ((("医务人员",), ("大夫",)),)  # the second read comes from the cache
    path.write_text(
        "entries:\n  - {reports: [医务人员, 医生], everyday: [大夫, 郎中]}\n  - {reports: [农村], everyday: [乡下]}\n",
        encoding="utf-8",
    )
    assert load_everyday(path) == ((("医务人员", "医生"), ("大夫", "郎中")), (("农村",), ("乡下",)))
    assert load_everyday(tmp_path / "absent.yaml") == ()
