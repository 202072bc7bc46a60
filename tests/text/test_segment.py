"""The bulk cutter chooses exactly the words jieba's own cut chooses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from drafter.text.segment import DagCutter
from drafter.text.tokens import CUTTER_CHARS, RE_WORDLIKE, JiebaTokenizer, user_dictionary_path

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "corpus"

# Latin and digits glued to Chinese, numbers with points and signs, characters outside jieba's range,
# white space inside a run, a lone unknown character, repeated characters (ties between paths).
AWKWARD = [
    "2025年全市R&D经费投入强度达3.5%，5G基站新增1,200个。",
    "㐀㐁是扩展区汉字，𠀀也是；ＡＢＣ全角字母，１２３全角数字。",
    "高新技术企业 科技型中小企业\t研发\r\n费用加计扣除",
    "的的的的的的，了了了。啊",
    "COVID-19疫情防控常态化下的iPhone15和GPT-4o",
    "",
    "。，、；",
]


def jieba_words(tokenizer: Any, text: str) -> list[str]:
    """What ``JiebaTokenizer.words`` keeps of jieba's own ``cut(text, HMM=False)``."""
    return [w for w in tokenizer.cut(text, HMM=False) if RE_WORDLIKE.search(w)]


@pytest.fixture(scope="module")
def loaded() -> Any:
    jieba = JiebaTokenizer(user_dictionary_path())._tokenizer()
    if not isinstance(jieba.FREQ, dict):  # the memory-mapped form: the same frequencies
        jieba.FREQ = jieba.FREQ.as_dict()
    return jieba


def test_the_cutter_cuts_the_sample_corpus_and_awkward_text_exactly_as_jieba(loaded: Any) -> None:
    cutter = DagCutter(loaded.FREQ, loaded.total, RE_WORDLIKE)
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    lines = [line for line in text.splitlines() if line.strip()] + AWKWARD
    ours = [cutter.words(line) for line in lines]
    assert ours == [jieba_words(loaded, line) for line in lines]
    assert sum(map(len, ours)) > 10_000
    assert cutter.words(AWKWARD[0])[:3] == ["2025", "年", "全市"]


def test_the_tokenizer_switches_to_the_cutter_on_bulk_work_with_the_same_words() -> None:
    tokenizer = JiebaTokenizer(user_dictionary_path())
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    lines = [line for line in text.splitlines() if line.strip()]
    before = [tokenizer.words(line) for line in lines]
    while tokenizer._cutter is None:
        tokenizer.words(text)
    assert tokenizer._chars > CUTTER_CHARS
    assert [tokenizer.words(line) for line in lines] == before


@pytest.mark.slow
def test_the_cutter_cuts_external_reports_exactly_as_jieba(loaded: Any, external_dir: Path) -> None:
    from drafter.ingest.documents import documents_from_file

    files = sorted(p for p in external_dir.rglob("*") if p.suffix in (".md", ".csv"))[::15]
    texts = [doc.text for path in files for doc in documents_from_file(path)]
    assert sum(map(len, texts)) > 200_000
    cutter = DagCutter(loaded.FREQ, loaded.total, RE_WORDLIKE)
    for text in texts:
        assert cutter.words(text) == jieba_words(loaded, text)


def test_shared_cuts_give_a_passage_the_words_of_its_whole_text_and_cut_each_piece_once() -> None:
    from drafter.text.segment import SharedCuts

    tokenizer = JiebaTokenizer(user_dictionary_path())
    cut: list[str] = []

    class Counting:
        def words(self, text: str) -> list[str]:
            cut.append(text)
            return tokenizer.words(text)

    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    paragraphs = [line for line in text.splitlines() if line.strip()] + AWKWARD
    shared = SharedCuts(Counting())
    assert [shared.words_by_piece(p) for p in paragraphs] == [tokenizer.words(p) for p in paragraphs]
    before = len(cut)
    assert before > len(paragraphs)  # cut piece by piece
    assert shared.words("扎实推进科技创新") == tokenizer.words("扎实推进科技创新")
    shared.words_by_piece(paragraphs[0])
    assert len(cut) == before + 1  # the pieces seen already were looked up, not cut
    shared.forget()
    shared.words_by_piece("扎实推进科技创新")
    assert len(cut) == before + 2
