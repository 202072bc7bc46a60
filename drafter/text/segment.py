"""jieba's exact segmentation (no HMM), cut faster for bulk work.

jieba 0.42 cuts a run of Chinese in two passes: ``get_DAG`` lists, for every position, where a dictionary
word starting there ends, and ``calc`` picks the most probable path backwards, taking
``log(freq) - log(total)`` of every edge again for every sentence. ``DagCutter`` does the same in one
backward pass over each run, with every word's log-probability taken once when it is built, so it chooses
the same words with the same floating-point sums and the same tie-break (of equally probable words the
longer one), at about twice jieba's speed. What it yields is what ``JiebaTokenizer.words`` keeps of
``jieba.Tokenizer.cut(text, HMM=False)``: words with a letter, digit or CJK character.

``tests/text/test_segment.py`` cuts the sample corpus both ways and compares.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Protocol

# jieba's own: the runs it cuts with the dictionary, and the single Latin letters and digits it glues.
RE_HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
RE_ENG = re.compile("[a-zA-Z0-9]")
PREFIX = 1.0
CJK_START = "\u4e00"


class DagCutter:
    """Cuts text as ``jieba.Tokenizer.cut(text, HMM=False)`` over the frequencies ``freq`` (words with their
    count, word prefixes with 0) and their ``total``, keeping the words for which ``keep`` matches."""

    def __init__(self, freq: Mapping[str, int], total: float, keep: re.Pattern[str]) -> None:
        logtotal = math.log(total)
        # One look-up per step: a word maps to the same float jieba computes per edge, ``log(freq) -
        # logtotal`` (never positive), a mere prefix of words to PREFIX.
        self._table = {word: math.log(count) - logtotal if count else PREFIX for word, count in freq.items()}
        self._unknown = math.log(1) - logtotal  # a character no word starts with: jieba's ``or 1``
        self._keep = keep

    def words(self, text: str) -> list[str]:
        """The kept words of ``text`` in order."""
        out: list[str] = []
        keep = self._keep.search
        # The split alternates text between runs (even places) and runs (odd places), as jieba's match says.
        for place, block in enumerate(RE_HAN.split(text)):
            if not block:
                continue
            if place % 2:
                # A word opening with a CJK character is kept; only Latin, digits and signs are asked.
                out.extend(w for w in self._cut_run(block) if w >= CJK_START or keep(w))
            else:  # jieba yields every other character on its own (white space dropped by ``keep``)
                out.extend(c for c in block if keep(c))
        return out

    def _cut_run(self, run: str) -> list[str]:
        n = len(run)
        table, unknown = self._table, self._unknown
        scores = [0.0] * (n + 1)
        ends = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            best = 0.0
            end = -1
            i = k
            p = table.get(run[k])
            while p is not None:
                if p != PREFIX:
                    score = p + scores[i + 1]
                    # max over (score, end) pairs: of equal scores the later end wins, as in jieba.
                    if end < 0 or score >= best:
                        best, end = score, i
                i += 1
                if i >= n:
                    break
                p = table.get(run[k : i + 1])
            if end < 0:
                best, end = unknown + scores[k + 1], k
            scores[k] = best
            ends[k] = end
        words: list[str] = []
        buf = ""
        x = 0
        while x < n:
            y = ends[x] + 1
            word = run[x:y]
            if y - x == 1 and RE_ENG.match(word):
                buf += word
            else:
                if buf:
                    words.append(buf)
                    buf = ""
                words.append(word)
            x = y
        if buf:
            words.append(buf)
        return words


# What mining splits a text at before cutting it (``drafter.phrases.units``: sentence ends, then clause
# marks): none of it is in ``RE_HAN``, so jieba never cuts a word across it, and the words of a text are
# the words of its pieces in order.
RE_PIECE_BREAK = re.compile(r"[。！？!?\n，；：,;:]+")
# What separates words, and pieces, in a packed text (``pack``): no word ever holds a control character.
WORD_MARK = "\x00"
PIECE_MARK = "\x01"


def pieces(text: str) -> list[str]:
    """The pieces of ``text`` mining cuts (its clauses: split at ``RE_PIECE_BREAK``, stripped, non-empty)."""
    return [piece for piece in (raw.strip() for raw in RE_PIECE_BREAK.split(text)) if piece]


def pack(words_by_piece: list[list[str]]) -> str:
    """The words of a text's ``pieces`` as one string (``SharedCuts.remember`` reads it): one object to send
    from a process that cut the text to one that needs its words, instead of thousands."""
    return PIECE_MARK.join(WORD_MARK.join(words) for words in words_by_piece)


class _Cuts(Protocol):
    def words(self, text: str) -> list[str]: ...


class SharedCuts:
    """A tokenizer that remembers the words of every text it cut since ``forget``, so that two passes over
    one document (the phrase miners' clauses, then the related terms' passages) cut each piece once.

    ``words_by_piece`` cuts a long text piece by piece at ``RE_PIECE_BREAK``: the same words as cutting it
    whole, the pieces mining cut already looked up instead of cut again. ``remember`` takes a text's pieces'
    words cut elsewhere (another process), so that they are looked up too.
    """

    def __init__(self, tokenizer: _Cuts) -> None:
        self._tokenizer = tokenizer
        self._seen: dict[str, tuple[str, ...]] = {}

    def words(self, text: str) -> list[str]:
        """The words of ``text``, cut once until ``forget``."""
        seen = self._seen.get(text)
        if seen is None:
            seen = self._seen[text] = tuple(self._tokenizer.words(text))
        return list(seen)

    def words_by_piece(self, text: str) -> list[str]:
        """The words of ``text``, cut (or remembered) piece by piece."""
        out: list[str] = []
        for piece in pieces(text):
            out.extend(self.words(piece))
        return out

    def remember(self, text: str, packed: str) -> bool:
        """Take the words of ``text``'s pieces from ``packed`` (``pack`` of them); ``False`` (nothing taken)
        when it does not hold as many pieces as ``text`` has."""
        mined = pieces(text)
        cut = packed.split(PIECE_MARK) if mined else []
        if len(cut) != len(mined):
            return False
        seen = self._seen
        for piece, words in zip(mined, cut, strict=True):
            seen[piece] = tuple(words.split(WORD_MARK)) if words else ()
        return True

    def forget(self) -> None:
        """Drop what was remembered (one document's pieces: memory stays bounded)."""
        self._seen.clear()
