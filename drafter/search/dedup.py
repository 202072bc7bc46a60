"""Near-identical passages: the same report posted on several sites, re-punctuated or cut short."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

RE_NOT_WORD = re.compile(r"[\W_]+")
SHINGLE = 3
"""Characters per shingle: short enough that one changed figure spoils only three of them."""
END = 8
CODE_BITS = 21
"""Bits of one code point (Unicode ends at U+10FFFF): a shingle of three fits 64 bits."""


def dedup_key(text: str) -> str:
    """A key equal for passages that differ only in white space, punctuation or letter case."""
    return hashlib.sha1(RE_NOT_WORD.sub("", text).lower().encode()).hexdigest()


def shingles(text: str) -> NDArray[np.uint64]:
    """The distinct overlapping character shingles of ``text`` without punctuation or spaces, each as one
    integer (its three code points of 21 bits side by side), sorted: a set that two passages intersect in
    one sort, where a Python set of strings costs a slice and a hash per character."""
    s = RE_NOT_WORD.sub("", text).lower()
    if not s:
        return np.zeros(0, dtype=np.uint64)
    points = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(points) < SHINGLE:  # one short shingle, padded with code point 0 (no word character is 0)
        points = np.concatenate([points, np.zeros(SHINGLE - len(points), dtype=np.uint64)])
    codes = points[: len(points) - SHINGLE + 1] << np.uint64(2 * CODE_BITS)
    codes |= points[1 : len(points) - SHINGLE + 2] << np.uint64(CODE_BITS)
    codes |= points[SHINGLE - 1 :]
    codes.sort()
    distinct = np.empty(len(codes), dtype=np.bool_)
    distinct[0] = True
    np.not_equal(codes[1:], codes[:-1], out=distinct[1:])
    return codes[distinct]  # np.unique does the same with several times the overhead


def similar(a: NDArray[np.uint64], b: NDArray[np.uint64]) -> bool:
    """Whether two shingle sets overlap almost wholly, or the smaller (at least half as big) lies in the other."""
    small, large = sorted((len(a), len(b)))
    if small == 0 or small < 0.5 * large:
        return False
    both = np.concatenate((a, b))
    both.sort()
    common = int(np.count_nonzero(both[1:] == both[:-1]))  # each set's shingles are distinct
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
