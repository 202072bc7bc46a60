"""What a new draft keeps from its predecessor (the unit's report of the previous period): for each section
of this year that matches one of last year's, last year's heading and lead sentence — the lead's numbers
never carried over as this year's: each becomes this year's value of the same indicator when the form
has it, else a ``【待补充：今年的…】`` slot naming the indicator; last year's years move on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from drafter.continuity.figures import bigram_dice
from drafter.continuity.mentions import find_mentions
from drafter.continuity.reading import read_report
from drafter.models import PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN, Document, placeholder

SLOT_PREFIX = "今年的"
"""A lead's number slot names the indicator: ``【待补充：今年的新认定国高企】``."""
RE_SLOT = re.compile(re.escape(PLACEHOLDER_OPEN + SLOT_PREFIX) + r"([^】]+)" + re.escape(PLACEHOLDER_CLOSE))
RE_YEAR_WORD = re.compile(r"(?<!\d)(\d{4})(?=\s*年)")
THEME_OVERLAP = 0.4
"""Character-pair overlap (Dice) from which last year's theme and this year's name the same work."""


def lead_with_slots(lead: str, last_year: int | None, year: int | None) -> str:
    """Last year's lead with each stated quantity replaced by a slot naming its indicator, years moved on."""
    out = lead
    for mention in reversed(find_mentions(lead)):
        what = f"{SLOT_PREFIX}{mention.label}" if mention.label else f"{SLOT_PREFIX}数字"
        out = out[: mention.start] + placeholder(what) + out[mention.end :]
    if last_year is not None and year is not None and year != last_year:
        shift = year - last_year
        out = RE_YEAR_WORD.sub(lambda m: str(int(m.group(1)) + shift), out)
    return out


def fill_slots(text: str, amounts: Mapping[str, str]) -> str:
    """``text`` with each indicator slot filled by this year's amount of that indicator (``178家``)."""
    return RE_SLOT.sub(lambda m: amounts.get(m.group(1), m.group(0)), text)


def same_theme(a: str, b: str) -> bool:
    """True when two themes name the same work (one holds the other, or they share most character pairs)."""
    return bool(a and b) and (a in b or b in a or bigram_dice(a, b) >= THEME_OVERLAP)


def kept_sections(doc: Document, themes: Sequence[str], year: int | None) -> list[dict[str, Any]]:
    """``{theme, heading, lead}`` for each of this year's themes that matches a section of ``doc``'s summary,
    in this year's order; the theme keeps this year's name, heading and lead are last year's."""
    reading = read_report(doc)
    out: list[dict[str, Any]] = []
    used: set[int] = set()
    for theme in themes:
        match = next(
            (s for s in reading.sections if s.index not in used and same_theme(s.theme, theme)),
            None,
        )
        if match is None:
            continue
        used.add(match.index)
        entry: dict[str, Any] = {"theme": theme, "heading": match.heading}
        if match.lead:
            entry["lead"] = lead_with_slots(match.lead, reading.year, year)
        out.append(entry)
    return out
