"""Last year's ``Reading`` → this year's form data, with a note for each row saying what last year stated.

Last year's summary sections become this year's themes and ``sections`` (headings kept, leads with their
numbers left for this year); each figure a row with last year's value as ``previous`` (``value`` empty, to
fill); each target of last year's plan the ``target`` of its row (a new row when the summary had no such
figure); each planned action a highlight to confirm or drop; last year's problems offered for review.
``predecessor`` records the report's id so the draft keeps its structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drafter.continuity.figures import Stated, same_indicator
from drafter.continuity.predecessor import lead_with_slots
from drafter.continuity.reading import Reading
from drafter.continuity.themes import SectionReading
from drafter.text.quantities import format_number, scale_of

MAX_ROWS = 200
MAX_ITEMS = 100
"""The form's own limits on figures and on every other list."""


@dataclass(frozen=True)
class Prefill:
    """This year's form data, what last year stated for each row, and what could not be read.

    ``notes`` maps a path of the form (``figures[3]``, ``highlights``) to the Chinese note a writer sees
    beside it (``去年：162家（截至目前，同比增长29.6%）``).
    """

    form: dict[str, Any]
    unread: tuple[str, ...]
    source_title: str
    notes: dict[str, str] = field(default_factory=dict)


def this_year(reading: Reading) -> int | None:
    """The year the new form summarises: the year after last year's report (a plan's own year)."""
    if reading.year is None:
        return None
    return reading.year if reading.kind == "plan" else reading.year + 1


def prefill(reading: Reading, year: int | None = None) -> Prefill:
    """The form for the period after ``reading``'s (or for ``year``), pre-filled from it."""
    year = year or this_year(reading)
    unread = list(reading.unread)
    themes = _section_themes(reading)
    figures: list[dict[str, Any]] = []
    notes: dict[str, str] = {}
    for row in reading.figures:
        entry: dict[str, Any] = {"label": row.label, "value": None, "unit": _unit(row)}
        if row.value is not None:
            entry["previous"] = row.value
        if row.basis:
            entry["basis"] = row.basis
        if row.parent:
            entry["parent"] = row.parent
        theme = themes.get(row.section)
        if theme:
            entry["theme"] = theme
        notes[f"figures[{len(figures)}]"] = f"去年：{stated_text(row)}"
        figures.append(entry)
    for target in reading.targets:
        index = _row_for(target, reading.figures)
        note = f"去年计划：{stated_text(target)}"
        if index is not None and target.value is not None:
            figures[index]["target"] = _in_unit(target, figures[index]["unit"])
            notes[f"figures[{index}]"] += f"；{note}"
            continue
        entry = {"label": target.label, "value": None, "unit": _unit(target)}
        if target.value is not None:
            entry["target"] = target.value
        notes[f"figures[{len(figures)}]"] = note
        figures.append(entry)
    if len(figures) > MAX_ROWS:
        unread.append(f"指标超过 {MAX_ROWS} 条，只保留了前 {MAX_ROWS} 条")
        figures = figures[:MAX_ROWS]
    form: dict[str, Any] = {"unit": reading.unit or "", "year": year, "period": _period(reading)}
    if not reading.unit:
        unread.append("没有读出单位名称：请在 unit 中填写，例如 青溪区科学技术局")
    form["predecessor"] = reading.doc_id
    sections = [_section_entry(section, reading.year, year) for section in reading.sections]
    if sections:
        form["sections"] = sections[:MAX_ITEMS]
    form["figures"] = figures
    actions = [
        {"theme": theme, "text": text} if theme else {"text": text}
        for theme, text in reading.actions[:MAX_ITEMS]
    ]
    if len(reading.actions) > MAX_ITEMS:
        unread.append(f"去年计划的工作超过 {MAX_ITEMS} 条，只列出了前 {MAX_ITEMS} 条")
    form["highlights"] = actions
    if actions:
        notes["highlights"] = "去年计划的工作：已做的保留（可改写成今年的成效），没做的删去"
    form["problems"] = list(reading.problems[:MAX_ITEMS])
    if reading.problems:
        notes["problems"] = "去年的问题：仍存在的保留，已解决的删去"
    form["plans"] = []
    return Prefill(form=form, unread=tuple(unread), source_title=reading.title, notes=notes)


def stated_text(row: Stated) -> str:
    """How last year's report stated a row, for the writer: ``162家（截至目前，同比增长29.6%）``."""
    amount = ""
    if row.value is not None:
        amount = f"{format_number(row.value)}{row.unit}"
        if row.hedge:
            amount = _hedged(amount, row.hedge)
    written = f"原文作“{row.written}”" if row.written else ""
    extras = [w for w in (row.basis, _growth_words(row.growth), written) if w]
    if row.value is None:
        return "，".join(extras) or row.label
    return amount + (f"（{'，'.join(extras)}）" if extras else "")


def _hedged(amount: str, hedge: str) -> str:
    before = [w for w in hedge.split() if w not in {"余", "多", "以上", "左右", "以内"}]
    after = [w for w in hedge.split() if w in {"以上", "左右", "以内"}]
    return "".join(before) + amount + "".join(after)


def _growth_words(growth: str | None) -> str:
    if not growth:
        return ""
    stated_verb = ("下降", "减少", "降低", "压减", "回落", "下滑", "增加", "新增", "多", "少")
    return growth if growth.startswith(stated_verb) else f"增长{growth}"


def _unit(row: Stated) -> str:
    """The row's unit for this year's value; a change stated alone has no level, hence no unit."""
    return row.unit if row.value is not None else ""


def _in_unit(target: Stated, unit: str) -> float | None:
    """The target's value in the row's unit (``1.2万家`` against a row in 家 → 12000)."""
    if target.value is None:
        return None
    have, base = scale_of(target.unit)
    want, want_base = scale_of(unit)
    if base != want_base:
        return target.value
    return target.value * have / want


def _row_for(target: Stated, figures: tuple[Stated, ...]) -> int | None:
    """The index of last year's figure the target is set for (same indicator, same kind of unit)."""
    for index, row in enumerate(figures):
        if row.value is None or target.value is None:
            continue
        if scale_of(row.unit)[1] == scale_of(target.unit)[1] and same_indicator(row.label, target.label):
            return index
    return None


def _period(reading: Reading) -> str:
    return "half" if reading.kind == "half" else "annual"


def _section_themes(reading: Reading) -> dict[int, str]:
    """The theme of every outline section index: the summary section it lies in (or is)."""
    out: dict[int, str] = {}
    ordered = sorted(reading.sections, key=lambda s: s.index)
    for position, section in enumerate(ordered):
        stop = ordered[position + 1].index if position + 1 < len(ordered) else section.index + 10_000
        for index in range(section.index, stop):
            out[index] = section.theme
    return out


def _section_entry(section: SectionReading, last_year: int | None, year: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"theme": section.theme, "heading": section.heading}
    if section.lead:
        entry["lead"] = lead_with_slots(section.lead, last_year, year)
    return entry
