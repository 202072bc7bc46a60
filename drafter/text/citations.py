"""How a writer names a source: 《title》，unit，year年 — never a file on the server's disk."""

from __future__ import annotations

CONFIDENCE_LABELS = {"strong": "强", "medium": "中", "weak": "弱"}
"""How the search page and the command line name a hit's confidence."""


def citation_of(title: str, unit: str | None, year: int | None) -> str:
    """《title》，unit，year年 (unit and year only when the title does not already say them)."""
    parts = [f"《{title}》"]
    if unit and unit not in title:
        parts.append(unit)
    if year and str(year) not in title:
        parts.append(f"{year}年")
    return "，".join(parts)
