"""Document furniture: lines that belong to the page, not to what the report says.

A signature (``青溪区科学技术局``), a date (``2025年12月20日``, ``二〇二五年十二月二十日``), both on one line, a
page number (``— 1 —``, ``第1页``, ``2/10``) or a table-of-contents entry (``一、工作总结……3``) must never
become a passage: a writer would get it back as a reference.
"""

from __future__ import annotations

import re

_CN_DIGITS = "〇零一二三四五六七八九十"
_DATE = (
    rf"(?:(?:19|20)\d\d|[{_CN_DIGITS}]{{4}})\s*年\s*(?:\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})\s*月"
    rf"(?:\s*(?:\d{{1,2}}|[{_CN_DIGITS}]{{1,3}})\s*日)?"
)
RE_DATE_LINE = re.compile(rf"^[\s（(]*{_DATE}[\s）)]*$")
_UNIT_SUFFIX = r"(?:局|委员会|委|办公室|办|中心|人民政府|政府|厅|站|所|院|队|处|科|部)"
RE_SIGNATURE = re.compile(
    rf"^(?:[（(]?(?:盖章|签章|签字)?[）)]?\s*)?[\u4e00-\u9fff（）()]{{2,30}}{_UNIT_SUFFIX}"
    rf"(?:[\s，,]*(?:{_DATE}))?[\s（(盖章）)]*$"
)
RE_PAGE_NUMBER = re.compile(
    r"^[\s—–\-－·]*(?:第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4}|[-—–－]\s*\d{1,4}\s*[-—–－])[\s—–\-－·]*$"
)
RE_TOC_ENTRY = re.compile(r"^.{1,60}?(?:[.．·…\s]{3,}|…+|\.{2,})\s*\d{1,4}\s*$")
RE_TOC_TITLE = re.compile(r"^\s*目\s*录\s*$")
SIGNATURE_MAX_CHARS = 40
"""A unit name alone on a line longer than this is prose, not a signature."""


def is_furniture(line: str) -> bool:
    """Whether ``line`` is a signature, date, page-number or table-of-contents line (no passage)."""
    text = line.strip()
    if not text:
        return True
    if RE_DATE_LINE.match(text) or RE_PAGE_NUMBER.match(text) or RE_TOC_TITLE.match(text):
        return True
    if RE_TOC_ENTRY.match(text):
        return True
    return len(text) <= SIGNATURE_MAX_CHARS and "。" not in text and bool(RE_SIGNATURE.match(text))
