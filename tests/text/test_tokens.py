"""The tokenizer's fast-loading dictionary cuts exactly as jieba's own loading does."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.resources import cache_dir
from drafter.text import dictionary
from drafter.text.tokens import BULK_CHARS, JiebaTokenizer, user_dictionary_path

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "corpus"


def test_the_saved_dictionary_cuts_the_sample_corpus_exactly_as_jieba_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    lines = [line for line in text.splitlines() if line.strip()]
    with monkeypatch.context() as patch:
        patch.setattr(dictionary, "load", lambda *_args: None)  # nothing saved yet: jieba's own loading
        first = JiebaTokenizer(user_dictionary_path())
        plain = [first.words(line) for line in lines]  # and the mapped form is saved
    assert isinstance(first._tokenizer().FREQ, dict)
    assert sum(map(len, plain)) > 10_000
    second = JiebaTokenizer(user_dictionary_path())  # a new process would load the mapped form
    assert isinstance(second._tokenizer().FREQ, dictionary.SortedFrequencies)
    assert second.words(lines[0]) == plain[0]  # looked up in the mapped arrays
    assert [second.words(line) for line in lines] == plain  # past BULK_CHARS: the plain dict
    assert isinstance(second._tokenizer().FREQ, dict)
    assert len(text) > BULK_CHARS
    assert second.known("高新技术企业")  # the user dictionary is part of the saved form
    assert list(cache_dir().glob("jieba-*.keys.npy"))


def test_a_damaged_saved_dictionary_is_loaded_the_slow_way_again(tmp_path: Path) -> None:
    frequencies = {"科技": 10, "科": 0, "科技创新驱动发展战略": 3}
    dictionary.save(tmp_path, "k", frequencies, 13)
    saved = dictionary.load(tmp_path, "k")
    assert saved is not None
    mapped, total = saved
    assert total == 13
    assert mapped.get("科技") == 10
    assert "科" in mapped
    assert mapped["科技创新驱动发展战略"] == 3
    assert mapped.get("技") is None
    assert mapped.as_dict() == frequencies
    (tmp_path / "jieba-k.freqs.npy").write_bytes(b"not numpy")
    assert dictionary.load(tmp_path, "k") is None
