"""Chinese tokenisation: a private jieba tokenizer with the domain user dictionary.

jieba's module-level functions mutate one process-wide tokenizer, log at import and cache in the system
temp directory; here each ``JiebaTokenizer`` owns a ``jieba.Tokenizer``, caches in Drafter's cache
directory, and loads its dictionary lazily on first use (~0.45 s), once.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from drafter.resources import bundled_dir, cache_dir
from drafter.text.chars import CJK, CJK_WITH_COMPAT

RE_CJK_RUN = re.compile(f"[{CJK_WITH_COMPAT}]+")
RE_WORDLIKE = re.compile(rf"[\w{CJK}]")


class Tokenizer(Protocol):
    """Anything that splits Chinese text into words (mining and indexing take one)."""

    def words(self, text: str) -> list[str]:
        """The words of ``text`` in order, punctuation and white space dropped."""
        ...


def user_dictionary_path() -> Path:
    """The shipped jieba user dictionary of domain terms (高新技术企业, 科技型中小企业, …)."""
    return bundled_dir("phrasebank") / "userdict.txt"


class JiebaTokenizer:
    """A private ``jieba.Tokenizer`` with a user dictionary, initialised on first use (thread-safe)."""

    def __init__(self, user_dict: Path | None = None, *, hmm: bool = False) -> None:
        self._user_dict = user_dict
        self._hmm = hmm
        self._jieba: Any = None
        self._lock = threading.Lock()

    def _tokenizer(self) -> Any:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    self._jieba = self._load()
        return self._jieba

    def _load(self) -> Any:
        import jieba  # lazy: start-up (jieba loads its dictionary on first use)

        logging.getLogger("jieba").setLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = str(cache_dir())
        tokenizer.initialize()
        if self._user_dict is not None and self._user_dict.is_file():
            # jieba opens a path itself and never closes it; hand it a file we close.
            with self._user_dict.open("rb") as handle:
                tokenizer.load_userdict(handle)
        return tokenizer

    def words(self, text: str) -> list[str]:
        """The words of ``text`` (jieba, user dictionary loaded), punctuation and spaces dropped."""
        cut = self._tokenizer().cut(text, HMM=self._hmm)
        return [w for w in cut if RE_WORDLIKE.search(w)]

    def known(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary (jieba's or the user dictionary) as a word of its own."""
        return bool(self._tokenizer().FREQ.get(word))


@lru_cache(maxsize=1)
def default_tokenizer() -> JiebaTokenizer:
    """The process's shared tokenizer with the shipped user dictionary (loaded lazily, once)."""
    return JiebaTokenizer(user_dictionary_path())


def char_bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of each run of CJK characters (a lone character counts as itself)."""
    grams: list[str] = []
    for run in RE_CJK_RUN.findall(text):
        if len(run) == 1:
            grams.append(run)
        else:
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def index_terms(tokenizer: Tokenizer, text: str) -> list[str]:
    """Retrieval terms: jieba words plus character bigrams (bigrams marked with a leading ``#``).

    Words and bigrams together retrieve Chinese best (Kwok 1997; Nie & Ren 1999); the prefix keeps a
    two-character word and the identical bigram apart so each gets its own document frequency.
    """
    terms = [w.lower() for w in tokenizer.words(text)]
    terms.extend("#" + g for g in char_bigrams(text))
    return terms
