"""Last year's summary sections as this year's themes, and last year's problems.

A summary section (the （一） sections under the summary's 一、, or its 一、 sections when it has no
（一）) gives a theme (its heading without the opener: ``聚焦企业主体培育，优化科技产业生态`` → ``企业主体
培育``), keeps its heading as the suggested heading and its first sentence as the lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.continuity.mentions import find_mentions
from drafter.continuity.parts import Sentence
from drafter.models import Document, Section

RE_OPENER = re.compile(
    r"^(?:全力以赴抓好|全力以赴|聚焦|狠抓|抓好|实施|坚持|突出|强化|深化|推进|加快|着力|持续|不断|扎实|积极|"
    r"大力|全力|全面|深入|切实|紧盯|围绕|立足|注重|做好|做优|做强|聚力|加强|完善|推动|打造)+"
)
RE_THEME_END = re.compile(r"(?:工程|行动|工作)$")
RE_PART_HEADING = re.compile(
    r"^(?:\d{4}年|上半年|下半年|今年|去年|明年|来年)?.{0,8}(?:工作|总结|回顾|思路|计划|安排|打算|问题|不足|困难)$"
)
RE_ITEM_START = re.compile(
    r"^(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])"
)
MAX_THEME = 12
NO_QUOTES = str.maketrans("", "", "“”‘’《》\"'")
MAX_LEAD = 160


@dataclass(frozen=True)
class SectionReading:
    """One summary section of last year: its theme, heading and lead sentence, and its outline index."""

    theme: str
    heading: str
    lead: str | None
    index: int


def theme_of(heading: str) -> str:
    """The short theme a heading is about (its first clause without the opener verbs)."""
    first = re.split(r"[，,：:。；]", heading, maxsplit=1)[0].translate(NO_QUOTES)
    stripped = RE_OPENER.sub("", first) or first
    stripped = RE_THEME_END.sub("", stripped) if len(stripped) > 4 else stripped
    return stripped[:MAX_THEME] or heading[:MAX_THEME]


def summary_sections(doc: Document, found: list[Sentence]) -> list[SectionReading]:
    """The sections of last year's summary, in order, as themes with their heading and lead."""
    parts = {s.section: s.part for s in found}
    candidates = [
        (i, s) for i, s in enumerate(doc.sections) if parts.get(i, s.part) == "summary" and s.level in {1, 2}
    ]
    level = 2 if any(s.level == 2 for _i, s in candidates) else 1
    out = []
    for index, section in candidates:
        if section.level != level or RE_PART_HEADING.match(section.heading):
            continue
        out.append(SectionReading(theme_of(section.heading), section.heading, lead_of(section), index))
    return out


def lead_of(section: Section) -> str | None:
    """The section's lead: its first sentence when it introduces the section (not an 一是… item)."""
    body = section.text.strip()
    if not body or RE_ITEM_START.match(body):
        return None
    lead = re.split(r"(?<=[。！？])", body, maxsplit=1)[0].strip()
    if RE_ITEM_START.match(lead) or len(lead) > MAX_LEAD or not lead.endswith(("。", "！", "？")):
        return None
    if len(find_mentions(lead)) > 1:
        return None  # a sentence of figures is the section's content, not its lead
    return lead


def problems_of(doc: Document, found: list[Sentence]) -> list[str]:
    """Last year's problems: the headings of the problems part, else its sentences."""
    headings = [
        s.heading.rstrip("。")
        for i, s in enumerate(doc.sections)
        if s.part == "problems" and not RE_PART_HEADING.match(s.heading) and s.level > 1
    ]
    if headings:
        return list(dict.fromkeys(headings))
    items = [RE_ITEM_START.sub("", s.text).strip("。；：") for s in found if s.part == "problems"]
    return list(dict.fromkeys(i for i in items if len(i) >= 6 and not RE_PART_HEADING.match(i)))
