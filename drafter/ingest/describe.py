"""What a report is: its kind, the year it summarises, the years its title names, its issuing unit."""

from __future__ import annotations

import re

from drafter.models import DocKind
from drafter.text.chars import CJK, RE_YEAR, YEAR

RE_GOV_REPORT = re.compile(r"政府工作报告")
RE_SUMMARY = re.compile(r"总结|回顾|述职")
RE_PLAN = re.compile(r"计划|思路|要点|安排|打算|规划|谋划")
RE_NEXT_YEAR = re.compile(r"来年|明年|下一年|下年度|新一年")
RE_FIRST_HALF = re.compile(r"上半年")
RE_SECOND_HALF = re.compile(r"下半年")

_SUFFIXES = r"(?:人民政府|政府|委员会|办公室|局|委|厅|中心)"
RE_TITLE_UNIT = re.compile(
    rf"^(?:{YEAR}年度?)?(?P<unit>[{CJK}（）()]{{1,16}}?{_SUFFIXES})"
    rf"(?={YEAR}|上半年|下半年|年度|年|工作|关于|$)"
)
RE_TITLE_PLACE_YEAR = re.compile(rf"^(?P<place>[{CJK}]{{2,10}}?(?:省|自治区|市|区|县|州|盟|旗)){YEAR}年")
RE_TEXT_UNIT = re.compile(
    rf"(?P<unit>(?:[{CJK}]{{2,6}}?(?:省|市|县|区))?[区市县旗][{CJK}]{{1,6}}?(?<![格布大全结开胜当])局)"
)
RE_STATE_COUNCIL = re.compile(r"国务院总理|代表国务院")
RE_CONGRESS_PLACE = re.compile(
    rf"在(?P<place>[{CJK}]{{2,12}}?(?:省|自治区|市|自治州|州|盟|区|县))第?[一二三四五六七八九十]{{1,3}}届人民代表大会"
)

TEXT_HEAD = 300
"""How many characters of the body are read for a year or unit the title does not give."""


def describe(title: str, text: str) -> tuple[DocKind, int | None, tuple[int, ...], str | None]:
    """``(kind, year, years, unit)`` of a report from its title and (for what the title omits) its text.

    ``year`` is the year summarised: for a plan-only report the plan year; for a 政府工作报告 (delivered
    early in year Y, reviewing year Y-1) it is Y-1. ``years`` are the years the title names.
    """
    years = tuple(dict.fromkeys(int(y) for y in RE_YEAR.findall(title)))
    kind = document_kind(title)
    head = text[:TEXT_HEAD]
    if years:
        year: int | None = years[0]
        if kind == "gov_report":
            year = years[0] - 1
    else:
        found = RE_YEAR.search(head)
        year = int(found.group(1)) if found else None
        if kind == "gov_report" and year is not None:
            year -= 1
    return kind, year, years, issuing_unit(title, text, kind=kind)


def document_kind(title: str) -> DocKind:
    """The kind a title announces (annual, half, plan, summary, gov_report, other)."""
    if RE_GOV_REPORT.search(title):
        return "gov_report"
    summary = bool(RE_SUMMARY.search(title))
    plan = bool(RE_PLAN.search(title))
    if RE_FIRST_HALF.search(title) and (RE_SECOND_HALF.search(title) or plan):
        return "half"
    if summary and plan:
        return "annual"
    if summary:
        return "summary"
    if plan:
        return "plan"
    if RE_NEXT_YEAR.search(title) or len(RE_YEAR.findall(title)) >= 2:
        return "annual"
    return "other"


def issuing_unit(title: str, text: str, *, kind: DocKind = "other") -> str | None:
    """The unit that issued the report (区科技局, 七台河市人民政府 …), from the title or the first lines."""
    match = RE_TITLE_UNIT.search(title.strip())
    unit = match.group("unit") if match else None
    if unit is None and kind == "gov_report":
        place = RE_TITLE_PLACE_YEAR.search(title) or RE_CONGRESS_PLACE.search(text[:TEXT_HEAD])
        unit = place.group("place") + "政府" if place else None
    if unit == "政府" or (unit is None and kind == "gov_report"):
        return "国务院" if RE_STATE_COUNCIL.search(text[:TEXT_HEAD]) else None
    if unit is not None:
        if unit.endswith("政府") and not unit.endswith("人民政府"):
            unit = unit[: -len("政府")] + "人民政府"
        return unit
    found = RE_TEXT_UNIT.search(text[:TEXT_HEAD])
    return found.group("unit") if found else None
