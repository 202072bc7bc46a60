"""The outline of a report: 一、/（一）/1./（1） headings in all their scraped variants, and 一是… items.

Headings count only when their numbers run in sequence (一 then 二 …), so ``2.5``, ``1-9月`` or
``二、三级子公司`` inside a sentence never become headings. A heading may stand on its own line or run
into its body (``（一）聚焦…，增强科技创新动能。一是…``); scraped pages even glue a whole report into one
line, where the heading ends where the next clause visibly starts. ``normalize_headings`` puts every
heading on its own line (with a canonical number) so offsets and export stay sane; ``parse_outline``
reads the sections of a text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from drafter.models import GAP_MARKER, Part, Section
from drafter.text.chars import RE_YEAR
from drafter.text.numerals import chinese_to_int, int_to_chinese

RE_MARKER = re.compile(
    r"(?=[（(一二三四五六七八九十\d])"
    r"(?:(?P<l1>(?P<n1>[一二三四五六七八九十]{1,3})、)"
    r"|(?P<l2>[（(](?P<n2>[一二三四五六七八九十]{1,3}|[A-Z])[)）])"
    r"|(?P<l3>(?<![\d.．])(?P<n3>\d{1,2})(?:[.．](?!\d)|、))"
    r"|(?P<l4>[（(](?P<n4>\d{1,2})[)）]))"
)
RE_FIRST_SECTION = re.compile(r"[（(]一[)）]")
RE_SENTENCE_STOP = re.compile(r"[。！？]")
RE_CLAUSE_START = re.compile(
    r"紧紧围绕|围绕|坚持|深入|结合|按照|根据|通过|立足|以|今年|全年|截至|目前|一是|\d{4}年[，、]|我[局区市县委]"
)
RE_GLUE_CHAR = re.compile(r"[\u3400-\u9fff”》」A-Za-z0-9]")
RE_ITEM = re.compile(r"(?<![^\n。；！？：，\s])([一二三四五六七八九十]{1,3})是(?=[^\n，。])")

_AFTER_PUNCT = "。！？；：!?;: \n"
SHORT_HEADING = 30
"""Length within which a heading is expected to end (the clue search range)."""
MAX_HEADING = 200
_GLUE_WINDOW = 40

RE_PART_PROBLEMS = re.compile(r"问题|不足|困难|短板|差距")
RE_PART_PLAN = re.compile(
    r"思路|计划|安排|下一步|下步|下半年|明年|来年|今年工作|任务|打算|目标|重点工作|展望|谋划|举措"
)
RE_PART_SUMMARY = re.compile(
    r"总结|主要工作|回顾|成效|成绩|成就|上半年|进展|亮点|完成情况|工作情况|开展情况|做法"
)


@dataclass(frozen=True)
class _Heading:
    level: int
    value: int
    start: int  # the marker
    text_start: int  # the heading text, after the marker
    text_end: int  # the heading text's end (exclusive)
    end: int  # what belongs to the heading line (a closing 。 or ：, a separating space)

    @property
    def number(self) -> str:
        return canonical_number(self.level, self.value)


def canonical_number(level: int, value: int) -> str:
    """The normalised marker of a heading: ``一、``, ``（一）``, ``1.``, ``（1）``."""
    if level == 1:
        return f"{int_to_chinese(value)}、"
    if level == 2:
        return f"（{int_to_chinese(value)}）"
    if level == 3:
        return f"{value}."
    return f"（{value}）"


def _level_value(match: re.Match[str]) -> tuple[int, int | None]:
    """Level and number of a marker match (``None`` for an OCR-garbled numeral such as ``（S）``)."""
    if match.group("l1"):
        return 1, chinese_to_int(match.group("n1"))
    if match.group("l2"):
        n2 = match.group("n2")
        return 2, (None if n2.isascii() else chinese_to_int(n2))
    if match.group("l3"):
        return 3, int(match.group("n3"))
    return 4, int(match.group("n4"))


def _find_headings(text: str) -> list[_Heading]:
    """Every heading of ``text`` in order, with the extent of its heading text."""
    candidates = [(m, *_level_value(m)) for m in RE_MARKER.finditer(text)]
    last = {1: 0, 2: 0, 3: 0, 4: 0}
    headings: list[_Heading] = []
    previous_end = -1
    gaps = [m.start() for m in re.finditer(GAP_MARKER, text)]
    for index, (match, level, raw_value) in enumerate(candidates):
        start = match.start()
        if headings and start < previous_end:
            continue
        line_start = start == 0 or text[start - 1] == "\n"
        after_punct = line_start or text[start - 1] in _AFTER_PUNCT or start == previous_end
        value = raw_value
        if value is None:
            value = _ocr_numeral(candidates, index, last[2])
            if value is None:
                continue
        if level == 1 and not after_punct and not _glued_to_section(text, match.end()):
            continue
        if level > 1 and not after_punct:
            continue
        lost_text = bool(gaps) and bisect_left(gaps, start) > bisect_left(gaps, previous_end)
        if not _in_sequence(value, last[level], own_line=line_start, after_gap=lost_text):
            continue
        line_end = text.find("\n", match.end())
        if line_end < 0:
            line_end = len(text)
        begin = match.end()
        while begin < line_end and text[begin] == " ":
            begin += 1
        text_end, end = _heading_extent(text, level, begin, line_end)
        if text_end <= begin:
            continue
        headings.append(_Heading(level, value, start, begin, text_end, end))
        previous_end = end
        last[level] = value
        for deeper in range(level + 1, 5):
            last[deeper] = 0
    return headings


def _ocr_numeral(
    candidates: list[tuple[re.Match[str], int, int | None]], index: int, last: int
) -> int | None:
    """The number an OCR-garbled （S） stands for: the expected one, if the next （…） confirms it."""
    if candidates[index][1] != 2:
        return None
    for _match, level, value in candidates[index + 1 :]:
        if level == 2 and value is not None:
            return last + 1 if value == last + 2 else None
        if level == 1:
            return None
    return None


def _in_sequence(value: int, last: int, *, own_line: bool, after_gap: bool = False) -> bool:
    """True when ``value`` continues the numbering.

    Own-line headings may restart at 1 or skip one lost heading; after a truncation gap any later
    number is accepted (the headings in between were cut out).
    """
    if value == last + 1:
        return True
    if after_gap and value > last:
        return True
    return own_line and (value == 1 or value == last + 2)


def _glued_to_section(text: str, pos: int) -> bool:
    """True when a （一） marker follows soon after a mid-line 一、 (a heading glued into running text)."""
    window = text[pos : pos + _GLUE_WINDOW]
    match = RE_FIRST_SECTION.search(window)
    return match is not None and not RE_SENTENCE_STOP.search(window[: match.start()])


def _heading_extent(text: str, level: int, begin: int, line_end: int) -> tuple[int, int]:
    """End of the heading text and end of the heading line part, for a heading starting at ``begin``."""
    segment = text[begin:line_end]
    stops: list[tuple[int, int]] = []  # (end of heading text, end of heading line part)
    sentence = RE_SENTENCE_STOP.search(segment)
    space = segment.find(" ")
    if space > 0:
        stops.append((space, space + 1))
    colon = segment.find("：")
    if colon > 0:
        stops.append((colon, colon + 1))
    if level == 1:
        marker = RE_FIRST_SECTION.search(segment)
        if marker and marker.start() > 0:
            stops.append((marker.start(), marker.start()))
    if sentence and sentence.start() > 0:
        stops.append((sentence.start(), sentence.end()))
    short = [s for s in stops if s[0] <= SHORT_HEADING]
    if short:
        text_end, end = min(short)
    elif (clue := _clause_start(segment)) is not None:
        text_end, end = clue, clue
    elif sentence and sentence.start() <= MAX_HEADING:
        text_end, end = sentence.start(), sentence.end()
    elif len(segment) <= MAX_HEADING:
        text_end, end = len(segment), len(segment)
    else:
        text_end, end = MAX_HEADING, MAX_HEADING
    return begin + text_end, begin + end


def _clause_start(segment: str) -> int | None:
    """Where a glued body starts: the first clause opener (紧紧围绕, 坚持, 2023年，…) right after a character.

    A heading of the form ``X，Y`` must have its ``Y`` (at least four characters) before the body starts.
    """
    comma = segment.find("，")
    for match in RE_CLAUSE_START.finditer(segment, 4, SHORT_HEADING + 1):
        start = match.start()
        if 0 < comma < start < comma + 5:
            continue
        if RE_GLUE_CHAR.match(segment[start - 1]):
            return start
    return None


def normalize_headings(text: str) -> str:
    """``text`` with every heading on its own line, written with its canonical number (（一）, 1., …)."""
    pieces: list[str] = []
    cursor = 0
    for heading in _find_headings(text):
        before = text[cursor : heading.start].rstrip(" ")
        pieces.append(before)
        if before and not before.endswith("\n"):
            pieces.append("\n")
        pieces.append(heading.number)
        pieces.append(text[heading.text_start : heading.end].rstrip(" "))
        cursor = heading.end
        rest = text[cursor : cursor + 1]
        while cursor < len(text) and text[cursor] == " ":
            cursor += 1
            rest = text[cursor : cursor + 1]
        if rest and rest != "\n":
            pieces.append("\n")
    pieces.append(text[cursor:])
    return "".join(pieces)


def parse_outline(text: str, *, plan_only: bool = False, year: int | None = None) -> list[Section]:
    """The sections of ``text`` in reading order (offsets into ``text``).

    ``part`` comes from the level-1 heading above a section (see ``part_of_heading``); with ``plan_only``
    every section is ``plan``. ``year`` (the year the report summarises) lets a level-1 heading that
    names a later year count as plan.
    """
    headings = _find_headings(text)
    sections: list[Section] = []
    part: Part = "plan" if plan_only else "other"
    for i, heading in enumerate(headings):
        following = headings[i + 1 :]
        body_end = following[0].start if following else len(text)
        end = next((h.start for h in following if h.level <= heading.level), len(text))
        title = text[heading.text_start : heading.text_end].strip(" ，,；;：:。")
        if heading.level == 1 and not plan_only:
            part = part_of_heading(title, year=year)
        sections.append(
            Section(
                level=heading.level,
                number=heading.number,
                heading=title,
                text=text[heading.end : body_end].strip(),
                part=part,
                start=heading.start,
                end=end,
            )
        )
    return sections


def part_of_heading(heading: str, *, year: int | None = None) -> Part:
    """Which part of a report a level-1 heading opens: summary, plan, problems or other."""
    if RE_PART_PROBLEMS.search(heading):
        return "problems"
    years = [int(y) for y in RE_YEAR.findall(heading)]
    if year is not None and years:
        if max(years) > year:
            return "plan"
        if RE_PART_PLAN.search(heading) is None:
            return "summary"
    if RE_PART_PLAN.search(heading):
        return "plan"
    if RE_PART_SUMMARY.search(heading):
        return "summary"
    return "other"


def enumerate_items(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, text)`` of each 一是…二是… item; a sequence needs 一是 and 二是, an item ends its line."""
    items: list[tuple[int, int, str]] = []
    run: list[re.Match[str]] = []

    def flush() -> None:
        if len(run) >= 2:
            for k, match in enumerate(run):
                line_end = text.find("\n", match.start())
                stop = len(text) if line_end < 0 else line_end
                if k + 1 < len(run):
                    stop = min(stop, run[k + 1].start())
                items.append((match.start(), stop, text[match.start() : stop].strip()))
        run.clear()

    for match in RE_ITEM.finditer(text):
        value = chinese_to_int(match.group(1))
        if run and value == chinese_to_int(run[-1].group(1)) + 1:  # type: ignore[operator]
            run.append(match)
        elif value == 1:
            flush()
            run.append(match)
    flush()
    return items
