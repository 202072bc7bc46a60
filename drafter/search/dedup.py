"""Near-identical passages: the same report posted on several sites, re-punctuated or cut short."""

from __future__ import annotations

import hashlib
import re

RE_NOT_WORD = re.compile(r"[\W_]+")
SHINGLE = 3
"""Characters per shingle: short enough that one changed figure spoils only three of them."""
END = 8


def dedup_key(text: str) -> str:
    """A key equal for passages that differ only in white space, punctuation or letter case."""
    return hashlib.sha1(RE_NOT_WORD.sub("", text).lower().encode()).hexdigest()


def shingles(text: str) -> set[str]:
    """The overlapping character shingles of ``text`` without punctuation or spaces."""
    s = RE_NOT_WORD.sub("", text).lower()
    if len(s) <= SHINGLE:
        return {s} if s else set()
    return {s[i : i + SHINGLE] for i in range(len(s) - SHINGLE + 1)}


def similar(a: set[str], b: set[str]) -> bool:
    """Whether two shingle sets overlap almost wholly, or the smaller (at least half as big) lies in the other."""
    small, large = sorted((len(a), len(b)))
    if small == 0 or small < 0.5 * large:
        return False
    common = len(a & b)
    return common >= 0.8 * (small + large - common) or common >= 0.9 * small


def ends(text: str) -> tuple[str, str]:
    """The first and last ``END`` word characters of ``text`` (cheap: only its two ends are normalised)."""
    return RE_NOT_WORD.sub("", text[: 3 * END]).lower()[:END], RE_NOT_WORD.sub("", text[-3 * END :]).lower()[
        -END:
    ]


def may_be_copies(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether passages with these ``ends`` can be copies: a copy cut short or with a figure changed keeps
    its beginning or its end; identical texts never reach here (``dedup_key`` groups them)."""
    return a[0] == b[0] or a[1] == b[1]
