"""Character classes and character-level patterns every stage shares, each defined once.

``CJK`` is the body of a character class of CJK ideographs (for building patterns), ``RE_CJK`` matches
one; ``RE_XML_ILLEGAL`` the characters an XML (Word) file cannot hold; ``RE_FILENAME_UNSAFE`` the
characters file systems refuse in a name; ``RE_YEAR`` a year written ``2025年``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
"""Character class body of CJK ideographs (extension A and the unified block)."""
CJK_WITH_COMPAT = CJK + r"\uf900-\ufaff"
"""``CJK`` plus the compatibility ideographs (tokenising keeps them as words)."""
CJK_TEXT = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
"""Ideographs with full-width punctuation and forms: where a line break is a wrap, not a space."""


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A getter of ``re.compile(pattern, flags)`` that compiles it on its first call: a pattern a command may
    never use costs nothing when its module is imported (a CJK character class takes milliseconds)."""
    return cache(lambda: re.compile(pattern, flags))


RE_CJK = re.compile(f"[{CJK}]")

# XML 1.0 allows only tab, newline and carriage return below U+0020, no surrogates, no U+FFFE/U+FFFF.
RE_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
RE_FILENAME_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
"""Runs of characters that Windows, macOS or Linux refuse in a file name."""

YEAR = r"(?:19|20)\d\d"
"""A four-digit year of the reports' era, as a pattern body."""
RE_YEAR = re.compile(rf"(?<!\d)({YEAR})\s*年")
"""``2025年`` (group 1: the year)."""

RE_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
RE_CJK_END = lazy_pattern(f"[{CJK_TEXT}]$")
RE_CJK_START = lazy_pattern(f"^[{CJK_TEXT}]")

MAX_FILENAME_BYTES = 255
"""Linux and macOS refuse a file name longer than this many bytes (UTF-8)."""


def strip_illegal(text: str) -> str:
    """``text`` without the control characters an XML (Word) file cannot hold."""
    return RE_XML_ILLEGAL.sub("", text)


def one_line(text: str) -> str:
    """``text`` on one line: legal characters only, line breaks joined (dropped between Chinese characters)."""
    text = strip_illegal(text).strip()
    parts = RE_LINE_BREAK.split(text)
    out = parts[0]
    for part in parts[1:]:
        # A break inside Chinese text is a wrap, not a space; between Latin words it was a space.
        joiner = "" if RE_CJK_END().search(out) or RE_CJK_START().search(part) else " "
        out = f"{out}{joiner}{part}"
    return out.replace("\t", " ")


def safe_filename(name: str, *, replacement: str = "", max_bytes: int = MAX_FILENAME_BYTES) -> str:
    """``name`` with the characters file systems refuse replaced, trimmed of edge dots and spaces, and cut
    on a character boundary to at most ``max_bytes`` bytes of UTF-8 (an empty string when nothing is left)."""
    name = RE_FILENAME_UNSAFE.sub(replacement, strip_illegal(name)).strip(" .")
    encoded = name.encode("utf-8")
    if len(encoded) > max_bytes:
        name = encoded[:max_bytes].decode("utf-8", errors="ignore").rstrip(" .")
    return name
