"""Query-term damping: a word everyday Chinese uses as much as the reports do no longer decides a search."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

from drafter.app import Drafter
from drafter.search.damping import OFFSET, DampingCounts
from drafter.search.expansion import Expander
from drafter.search.index import SearchIndex
from drafter.search.related import damping_from_json, related_from_json, related_to_json
from drafter.search.searcher import RELATED_BLOB
from drafter.text.tokens import char_bigrams, default_tokenizer
from tests.builders import make_document
from tests.conftest import SEEDS
from tests.search.test_index import items_of

ANSWER = "针对企业反映审批慢的问题，推行一窗受理、并联审批，企业开办时限压缩至一个工作日。"
FIRE = "饭店老板参加消防培训。"
APPROVALS = (
    "规范行政审批中介服务，清理中介事项12项。",
    "建设项目审批实行告知承诺制。",
    "推进审批服务标准化，编制办事指南300余份。",
)
TEXTS = [
    "区政务服务中心推行一窗受理、并联审批，企业开办审批时限压缩至一个工作日。",
    "开展餐饮场所消防安全培训，饭店老板和从业人员二百余人参加。",
    "Ｗｉ-Fi覆盖全部办事大厅，群众“一次办”事项达到95%。",
    "简",
]


def test_the_counts_are_the_passages_document_frequencies_of_the_index_terms() -> None:
    tokenizer = default_tokenizer()
    counts = DampingCounts()
    df: Counter[str] = Counter()
    for text in TEXTS * 3 + TEXTS[:2]:
        words = tokenizer.words(text)
        counts.add(text, words)
        df.update({w.lower() for w in words} | {"#" + g for g in char_bigrams(text)})
    n = 3 * len(TEXTS) + 2
    general = 5.0  # every term equally common in general language: the cap is 2.0
    factors = counts.factors(lambda _word: general)
    expected = {}
    for term, d in df.items():
        idf = math.log((1 + n) / (1 + d)) + 1
        if general - OFFSET < idf:
            expected[term] = round((general - OFFSET) / idf, 4)
    assert factors == expected
    assert "#老板" in factors
    assert "#简" in factors
    assert counts.factors(lambda _word: None) == {}  # words the dictionary does not know keep their weight


def test_an_everyday_word_no_longer_pulls_in_a_passage_that_merely_uses_it() -> None:
    approval = make_document(
        "区政务服务管理局2024年工作总结",
        [("工作总结", "summary", [("优化营商环境", ANSWER)] + [("政务服务", t) for t in APPROVALS])],
    )
    fire = make_document("区消防救援大队2024年工作总结", [("工作总结", "summary", [("消防宣传", FIRE)])])
    index = SearchIndex.build(items_of(approval, fire), default_tokenizer())
    query = "老板们都说审批太慢"
    plain = index.search(query, 3, None, Expander())
    assert plain[0].text == FIRE  # 老板 is the rarest word of the query in these reports: it decides
    # Mined from a corpus where 老板 is far commoner in everyday Chinese than in reports, it weighs a third.
    damped = index.search(query, 3, None, Expander(damping={"老板": 0.3, "#老板": 0.3}))
    assert damped[0].text == ANSWER
    assert FIRE not in [h.text for h in damped]


def test_mining_stores_the_damping_of_everyday_words_beside_the_related_terms(tmp_path: Path) -> None:
    drafter = Drafter(tmp_path / "corpus.sqlite3")
    try:
        drafter.ingest([SEEDS], workers=1)
        drafter.mine()
        text = drafter.corpus.load_blob(RELATED_BLOB)
    finally:
        drafter.close()
    damping = damping_from_json(text)
    assert related_from_json(text)  # the related terms are still there, in the same text
    assert damping["需要"] < 1
    assert damping["没有"] < 1
    for term in ("高新技术企业", "科技特派员", "#特派"):  # report terms keep their weight
        assert term not in damping
    assert all(0 < f < 1 for f in damping.values())
    assert json.loads(related_to_json({}, {"#老板": 0.5}))["damping"] == {"#老板": 0.5}
    assert damping_from_json('{"format": 1, "terms": {}, "damping": {"a": 2, "b": "x", "c": 0.5}}') == {
        "c": 0.5
    }
