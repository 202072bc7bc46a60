"""Which text of last year's report belongs to its summary, its plan and its problems, sentence by sentence.

The outline gives each section a part from its level-1 heading. A report whose headings were lost (a
scraped page) has no part at all: its text is the summary up to the paragraph where the plan begins,
told by the plan's own wording (``力争``, ``确保``, targets ``…以上``) holding from there to the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.models import RE_PLACEHOLDER, Document, Part

RE_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
RE_PLAN_WORDS = re.compile(
    r"力争|确保|争取|计划|拟|将|预期|目标|(?<=[家项个件人元%])以上|继续|进一步|加快|加强|加大|推动|深化|做好|积极|建立"
)
RE_PAST_WORDS = re.compile(r"了|已|累计|截至|截止|今年以来|获得|获批|荣获|成功|同比|共计?(?=\D{0,8}\d)")
RE_APPENDIX = re.compile(r"^\s*(?:注\s*释|名词解释|名词注释|附\s*注|附件\s*\d*)\s*[:：]?\s*$", re.M)
"""A glossary or appendix at the end of a report: its numbers explain, they are not figures of the year."""
RE_SPACE_BY_DIGIT = re.compile(r"(?<=[\d%％])[ \u3000]+(?=\S)|(?<=\S)[ \u3000]+(?=\d)")
PLAN_SHARE = 0.6
PAST_SHARE = 0.1
"""At most this share of past-worded paragraphs may follow the plan's start."""
MIN_BODY = 30
"""Paragraphs shorter than this (headings) do not vote on where the plan begins."""
"""The share of plan-worded paragraphs from a point to the end that makes that point the plan's start."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of the report: its text, its part, and the index of its section (-1 before any)."""

    text: str
    part: Part
    section: int
    start: int


def sentences(doc: Document) -> list[Sentence]:
    """Every sentence of the report's body (headings included), in reading order, with its part."""
    body_start = len(doc.title) + 1
    spans: list[tuple[int, int, Part, int]] = []
    first = doc.sections[0].start if doc.sections else len(doc.text)
    if first > body_start:
        spans.append((body_start, first, _preamble_part(doc), -1))
    for index, section in enumerate(doc.sections):
        end = doc.sections[index + 1].start if index + 1 < len(doc.sections) else len(doc.text)
        spans.append((section.start, end, section.part, index))
    if not any(part in {"summary", "plan"} for _start, _end, part, _index in spans):
        spans = _split_unmarked(doc.text, spans, doc.kind)
    appendix = RE_APPENDIX.search(doc.text, body_start)
    stop = appendix.start() if appendix else len(doc.text)
    out: list[Sentence] = []
    for start, end, part, index in spans:
        for match in RE_SENTENCE.finditer(doc.text, start, min(end, stop)):
            # An unfilled slot of a drafted report (【待补充：…上年为280场】) states nothing of the year.
            text = RE_PLACEHOLDER.sub("", RE_SPACE_BY_DIGIT.sub("", match.group(0).strip()))
            if text:
                out.append(Sentence(text, part, index, match.start()))
    return out


def _preamble_part(doc: Document) -> Part:
    if doc.kind == "plan":
        return "plan"
    first_level_one = next((s for s in doc.sections if s.level == 1), None)
    if first_level_one is None or first_level_one.part == "summary":
        return "summary"
    return "other"


def _split_unmarked(
    text: str, spans: list[tuple[int, int, Part, int]], kind: str
) -> list[tuple[int, int, Part, int]]:
    """Parts for a report without part headings: all summary, or all plan, or summary then plan."""
    if kind == "plan":
        return [(a, b, "plan", i) for a, b, _part, i in spans]
    paragraphs: list[tuple[int, int, int]] = []  # start, end, section
    for start, end, _part, index in spans:
        offset = start
        for line in text[start:end].split("\n"):
            if line.strip():
                paragraphs.append((offset, offset + len(line), index))
            offset += len(line) + 1
    scores = [_plan_score(text[a:b]) for a, b, _i in paragraphs]
    cut = len(paragraphs)
    if kind in {"annual", "half", "other", "gov_report"}:
        for i in range(1, len(paragraphs)):
            tail = [
                score
                for score, (a, b, _s) in zip(scores[i:], paragraphs[i:], strict=True)
                if b - a > MIN_BODY
            ]
            if scores[i] <= 0 or not tail:
                continue
            ahead = sum(1 for s in tail if s > 0) / len(tail)
            against = sum(1 for s in tail if s < 0) / len(tail)
            if ahead >= PLAN_SHARE and against <= PAST_SHARE:
                cut = i
                break
    return [(a, b, "summary" if n < cut else "plan", i) for n, (a, b, i) in enumerate(paragraphs)]


def _plan_score(paragraph: str) -> int:
    """Positive when a paragraph is worded as a plan (future, targets), negative when as a summary."""
    return len(RE_PLAN_WORDS.findall(paragraph)) - 2 * len(RE_PAST_WORDS.findall(paragraph))
