"""Split a page that holds several reports (``…工作思路篇一`` … ``篇十六``) into one text per report."""

from __future__ import annotations

import re

from drafter.text.numerals import chinese_to_int

RE_ARTICLE_TITLE = re.compile(
    r"^(?P<base>[^\n。！？]{2,60}?)[ ]*[（(【]?篇(?P<n>[一二三四五六七八九十百零〇两]{1,4})[)）】]?[ ]*$",
    re.M,
)
RE_FILE_SUFFIX = re.compile(r"\.(?:docx?|wps|pdf|txt|html?)$", re.I)
RE_TITLE_WORDS = re.compile(r"总结|计划|思路|报告|要点|安排|打算|汇报|工作|情况")
RE_SENTENCE_PUNCT = re.compile(r"[。！？；]")

TITLE_MAX = 60
"""A line longer than this is body text, not a title."""


def split_reports(text: str, title: str | None) -> list[tuple[str, str]]:
    """``(title, text)`` of each report on the page; a normal page gives one item.

    Articles of a multi-report page keep the page's base title with ``（篇N）`` appended so they stay
    distinguishable; text before ``篇一`` (editor chatter) is dropped. A normal page keeps ``title`` or,
    without one, its first title-like line.
    """
    markers = _article_markers(text)
    if markers:
        items: list[tuple[str, str]] = []
        for i, (_start, end, base, numeral) in enumerate(markers):
            stop = markers[i + 1][0] if i + 1 < len(markers) else len(text)
            body = text[end:stop].strip("\n")
            if body.strip():
                items.append((f"{base}（篇{numeral}）", body))
        if items:
            return items
    return [(_page_title(text, title), text)]


def _article_markers(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, base title, numeral)`` of the 篇N title lines, when they run 篇一, 篇二, … ."""
    if "篇" not in text:
        return []
    found = []
    expected = 1
    for match in RE_ARTICLE_TITLE.finditer(text):
        number = chinese_to_int(match.group("n"))
        if number != expected:
            continue
        found.append((match.start(), match.end(), match.group("base").strip(), match.group("n")))
        expected += 1
    return found if len(found) >= 2 else []


def clean_title(title: str) -> str:
    """``title`` without a file extension and surrounding 《》 or spaces."""
    title = RE_FILE_SUFFIX.sub("", title.strip()).strip(" ")
    if title.count("《") != title.count("》"):
        title = title.replace("《", "").replace("》", "")
    if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
        title = title[1:-1]
    return title.strip(" ")


def _page_title(text: str, title: str | None) -> str:
    """The given title, else the first line that looks like a title, else ''."""
    if title and clean_title(title):
        return clean_title(title)
    lines = [line.strip() for line in text.split("\n", 20)[:20] if line.strip()]
    for line in lines:
        if len(line) <= TITLE_MAX and not RE_SENTENCE_PUNCT.search(line) and RE_TITLE_WORDS.search(line):
            return clean_title(line)
    for line in lines:
        if len(line) <= TITLE_MAX and not RE_SENTENCE_PUNCT.search(line):
            return clean_title(line)
    return ""
