"""Chinese tokenisation: a private jieba tokenizer with the domain user dictionary.

jieba's module-level functions mutate one process-wide tokenizer, log at import and cache in the system
temp directory; here each ``JiebaTokenizer`` owns a ``jieba.Tokenizer``, caches in Drafter's cache
directory, and loads its dictionary lazily on first use, once: from the memory-mapped form of
``drafter.text.dictionary`` (instant; the user dictionary already merged) when it was saved before, else
jieba's own way (about a second), saving that form for the next process.
"""

from __future__ import annotations

import logging
import math
import re
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from drafter.resources import bundled_dir, cache_dir
from drafter.text.chars import CJK, CJK_WITH_COMPAT
from drafter.text.segment import DagCutter

RE_CJK_RUN = re.compile(f"[{CJK_WITH_COMPAT}]+")
RE_WORDLIKE = re.compile(rf"[\w{CJK}]")
BULK_CHARS = 20_000
"""After this many characters cut, the mapped dictionary becomes a plain dict (faster per look-up)."""
CUTTER_CHARS = 400_000
"""After this many characters cut (a corpus, not a query or a draft), words are cut by
``drafter.text.segment.DagCutter``: the same words, about twice as fast, for a second spent building it."""


class Tokenizer(Protocol):
    """Anything that splits Chinese text into words (mining and indexing take one)."""

    def words(self, text: str) -> list[str]:
        """The words of ``text`` in order, punctuation and white space dropped."""
        ...


def jieba_module() -> Any:
    """jieba, imported without ``pkg_resources``: jieba 0.42 imports it only to open its own data files and
    falls back to plain ``open`` without it, and the import costs more than half a second."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes ``import pkg_resources`` fail
        try:
            import jieba  # lazy: start-up (jieba loads its dictionary on first use)
        finally:
            if sys.modules.get("pkg_resources", False) is None:
                del sys.modules["pkg_resources"]
    import jieba  # lazy: start-up (jieba loads its dictionary on first use)

    return jieba


def jieba_dictionary_file() -> Path:
    """jieba's own dictionary file (word, frequency, part-of-speech tag per line)."""
    return Path(jieba_module().__file__).with_name("dict.txt")


def user_dictionary_path() -> Path:
    """The shipped jieba user dictionary of domain terms (高新技术企业, 科技型中小企业, …)."""
    return bundled_dir("phrasebank") / "userdict.txt"


class JiebaTokenizer:
    """A private ``jieba.Tokenizer`` with a user dictionary, initialised on first use (thread-safe)."""

    def __init__(self, user_dict: Path | None = None, *, hmm: bool = False) -> None:
        self._user_dict = user_dict
        self._hmm = hmm
        self._jieba: Any = None
        self._chars = 0
        self._cutter: DagCutter | None = None
        self._lock = threading.Lock()

    def _tokenizer(self) -> Any:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    self._jieba = self._load()
        return self._jieba

    def _load(self) -> Any:
        from drafter.text import dictionary  # lazy: start-up (numpy)

        for name in ("jieba", "jieba._compat"):  # jieba announces its loading at DEBUG on its own logger
            logging.getLogger(name).setLevel(logging.WARNING)
        jieba = jieba_module()
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = str(cache_dir())
        key = self._dictionary_key(jieba)
        saved = dictionary.load(cache_dir(), key)
        if saved is not None:
            tokenizer.FREQ, tokenizer.total = saved
            tokenizer.initialized = True
            return tokenizer
        tokenizer.initialize()
        if self._user_dict is not None and self._user_dict.is_file():
            # jieba opens a path itself and never closes it; hand it a file we close.
            with self._user_dict.open("rb") as handle:
                tokenizer.load_userdict(handle)
        dictionary.save(cache_dir(), key, tokenizer.FREQ, tokenizer.total)
        return tokenizer

    def _dictionary_key(self, jieba: Any) -> str:
        """What names this tokenizer's dictionary: jieba's version and dictionary file, the user dictionary."""
        from drafter.text.dictionary import dictionary_key  # lazy: start-up

        main = Path(jieba.__file__).with_name("dict.txt").stat()
        user = (
            self._user_dict.read_bytes() if self._user_dict is not None and self._user_dict.is_file() else b""
        )
        return dictionary_key(str(jieba.__version__), f"{main.st_size}:{main.st_mtime_ns}", user)

    def _bulk(self, tokenizer: Any, chars: int) -> None:
        """Count ``chars`` cut; past ``BULK_CHARS`` swap the mapped dictionary for a plain dict, once."""
        self._chars += chars
        if self._chars > BULK_CHARS and not isinstance(tokenizer.FREQ, dict):
            with self._lock:
                if not isinstance(tokenizer.FREQ, dict):
                    tokenizer.FREQ = tokenizer.FREQ.as_dict()
        if self._chars > CUTTER_CHARS and self._cutter is None and not self._hmm:
            with self._lock:
                if self._cutter is None:
                    self._cutter = DagCutter(tokenizer.FREQ, tokenizer.total, RE_WORDLIKE)

    def for_many(self) -> None:
        """Prepare for many cuts (a server's queries) now rather than after ``BULK_CHARS`` and ``CUTTER_CHARS``:
        the mapped dictionary swapped for a plain dict, and the one-pass cutter built (same words, faster)."""
        self._bulk(self._tokenizer(), CUTTER_CHARS + 1)

    def words(self, text: str) -> list[str]:
        """The words of ``text`` (jieba, user dictionary loaded), punctuation and spaces dropped."""
        cutter = self._cutter
        if cutter is not None:
            return cutter.words(text)
        tokenizer = self._tokenizer()
        self._bulk(tokenizer, len(text))
        cut = tokenizer.cut(text, HMM=self._hmm)
        return [w for w in cut if RE_WORDLIKE.search(w)]

    def general_idf(self, word: str) -> float | None:
        """``word``'s idf in general language, ``ln(total / (frequency + 1))`` by the dictionary's frequencies
        (jieba's, the user dictionary merged); None for a word it does not hold."""
        tokenizer = self._tokenizer()
        frequency = tokenizer.FREQ.get(word) or 0
        return math.log(tokenizer.total / (frequency + 1)) if frequency > 0 else None

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
