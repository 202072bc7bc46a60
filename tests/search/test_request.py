"""A writer asks as they would ask a colleague (其他地方怎么写…, …的写法): the search answers the subject, not the
words of the request, in both searchers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from drafter.app import Drafter
from drafter.search.request import subject_of
from tests.builders import searchable

PASSAGES = [
    ("公务用车", "深化公务用车制度改革，公车统一纳入平台管理，运行费用同比下降12%。"),
    ("安全生产", "全年发生生产安全事故3起、死亡2人，同比分别下降25%和33%。"),
    ("文稿写作", "办公室加强文稿把关，总结材料的写法和表述要规范，多学习其他地方、别的县的好做法。"),
    ("信息报送", "全年报送政务信息120条，材料里怎么写、怎么表述都逐条审核。"),
]


@pytest.mark.parametrize(
    ("query", "subject"),
    [
        ("其他地方怎么写安全生产事故的", "安全生产事故"),
        ("机关公务车辆改革和管理的写法", "机关公务车辆改革和管理"),
        ("突发事件处置方案的编制修订，别的县怎么写的", "突发事件处置方案的编制修订"),
        ("企业持证排污这块材料里一般怎么表述", "企业持证排污"),
        ("规上企业怎么简称？", "规上企业"),
        ("这个口径一般怎么提", "这个口径"),
        ("河长制别的地方怎么说的？", "河长制"),
    ],
)
def test_request_words_are_not_the_subject(query: str, subject: str) -> None:
    assert subject_of(query) == subject


@pytest.mark.parametrize(
    "query",
    [
        "指导家长怎么教育孩子",  # 怎么 in the subject itself
        "如何提高农民收入",  # 提, 讲, 表达 begin a subject here, not a question about wording
        "如何讲好中国故事",
        "群众怎么表达诉求",
        "怎样写好调研报告",
        "外地游客接待量",  # 外地 is no "where else"
        "在外省住院直接报销",  # 外省 is the subject here, not where else to look
        "与别的县合作共建的园区",
        "街道两旁绿油油的",  # nothing taken, not even the trailing 的
        "怎么写",  # nothing but the request: searched as typed
        "科技创新",
        "rural roads",
    ],
)
def test_a_query_without_request_words_is_searched_as_typed(query: str) -> None:
    assert subject_of(query) == query


@pytest.fixture
def bureau(database: str) -> Iterator[Drafter]:
    drafter = searchable(database, "某县机关事务中心2024年工作总结", PASSAGES, unit="某县机关事务中心")
    yield drafter
    drafter.close()


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("其他地方公务用车改革的写法", "公务用车制度改革"),
        ("别的县安全生产事故怎么表述", "生产安全事故"),
    ],
)
def test_a_question_finds_its_subject_not_a_passage_holding_the_request_words(
    bureau: Drafter, query: str, answer: str
) -> None:
    hits = bureau.search(query, 2)
    assert answer in hits[0].text
    assert not any("文稿" in h.heading or "信息报送" in h.heading for h in hits[:1])
    # The same hits as the subject asked plainly.
    assert [h.passage_id for h in hits] == [h.passage_id for h in bureau.search(subject_of(query), 2)]
