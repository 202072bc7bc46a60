"""Query expansion (口径表 and mined related terms) and the confidence of a hit."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.errors import DrafterError
from drafter.search.expansion import Expander, coverage, label, load_synonyms
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
    expander = Expander([("复工复产", "恢复生产")], {"河长制": [("河湖长制", 0.9)]})
    expansions = expander.expand("恢复生产 河长制", ["恢复", "生产", "河长制"])
    assert expansions
    assert all(0 < e.weight < 1 for e in expansions)


@pytest.mark.parametrize("text", ["groups: [[只有一个]]\n", "groups: 复工复产\n", "- a\n"])
def test_a_broken_table_names_the_file_and_the_fix(tmp_path: Path, text: str) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DrafterError, match=r"synonyms\.yaml"):
        load_synonyms(path)


def test_a_passage_on_another_subject_is_weak() -> None:
    idf = {"粮食": 9.0, "安全": 2.0}.get
    share = coverage(["粮食", "安全"], [], "建筑物抗震普查，确保结构安全。", lambda w: idf(w) or 10.0)
    assert label(share) == "weak"
    share = coverage(["粮食", "安全"], [], "确保粮食安全，粮食产量稳定。", lambda w: idf(w) or 10.0)
    assert label(share) == "strong"


def test_related_terms_are_learned_from_shared_contexts_and_round_trip() -> None:
    texts = [f"今年{a}工作扎实推进，{a}成效明显，企业{a}全面完成" for a in ("复工复产", "复产复工")] * 20
    texts += [f"全区{b}稳步提升，{b}任务全面完成" for b in ("研发投入", "科技创新")] * 20
    related = mine_related(texts, default_tokenizer())
    assert related
    assert related_from_json(related_to_json(related)) == related
    assert related_from_json("not json") == {}
