"""Everything a writer takes from last year's report, read once: ``read_report(doc)`` → ``Reading``.

The summary's sections (heading, theme, lead), its figures, the plan's targets and actions, the problems,
and the list of what could not be read (quantities without a unit, masked or Chinese-numeral counts, cut
text, a missing plan part) — listed for the writer, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.continuity.figures import Stated, bigram_dice, same_indicator, stated_figures
from drafter.continuity.parts import Sentence, sentences
from drafter.continuity.plans import planned_actions, stated_targets
from drafter.continuity.themes import SectionReading, problems_of, summary_sections, theme_of
from drafter.models import GAP_MARKER, RE_PLACEHOLDER, Document

RE_CUT_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*(?:…|\.{3}|⋯|$)")
RE_MASKED = re.compile(r"(?<![A-Za-z])[xX]{1,4}(?:\.[xX]{1,3})?(?:%|[家项个人名件场次亿万元户])")
RE_CHINESE_COUNT = re.compile(
    r"(?<![第届一二三四五六七八九十百千万])[两二三四五六七八九十]+(?:余|多)?(?:次|件|家|成|个百分点)"
    r"(?!全会|会议|党代会|产业|方)"
)
MAX_QUOTE = 40
THEME_OVERLAP = 0.4
"""Character-pair overlap from which a plan theme is taken for a summary theme (科技企业培育 ≈ 企业主体培育)."""


@dataclass(frozen=True)
class Reading:
    """What last year's report says, ready to pre-fill this year's form."""

    doc_id: str
    title: str
    unit: str | None
    year: int | None
    kind: str
    sections: tuple[SectionReading, ...]
    figures: tuple[Stated, ...]
    targets: tuple[Stated, ...]
    actions: tuple[tuple[str | None, str], ...]
    problems: tuple[str, ...]
    unread: tuple[str, ...]


def read_report(doc: Document) -> Reading:
    """The sections, figures, targets, actions, problems and unread places of last year's report."""
    found = sentences(doc)
    figures = stated_figures(found)
    targets = stated_targets(found)
    sections = summary_sections(doc, found)
    unread = list(_unread(doc, found))
    has_plan = any(s.part == "plan" for s in found)
    if not has_plan:
        unread.append("没有找到工作思路（工作计划）部分：今年要对照的目标需自行填写")
    if not any(s.part == "summary" for s in found):
        unread.append("没有找到工作总结部分：今年的指标需自行填写")
    if doc.year is None:
        unread.append("没有读出报告的年份：请在表单的 year 中填写今年的年份")
    return Reading(
        doc_id=doc.id,
        title=doc.title,
        unit=doc.unit,
        year=doc.year,
        kind=doc.kind,
        sections=tuple(sections),
        figures=tuple(figures),
        targets=tuple(targets),
        actions=tuple(_actions(doc, found, sections)),
        problems=tuple(problems_of(doc, found)),
        unread=tuple(unread),
    )


def _actions(
    doc: Document, found: list[Sentence], sections: list[SectionReading]
) -> list[tuple[str | None, str]]:
    """Planned actions with the summary theme they belong to (by their plan heading), or ``None``."""
    headings = {i: s.heading for i, s in enumerate(doc.sections) if s.part == "plan" and s.level > 1}
    out: list[tuple[str | None, str]] = []
    for index, text in planned_actions(found, headings):
        owner = _plan_heading(doc, index)
        out.append((_matching_theme(theme_of(owner), sections) if owner else None, text))
    return out


def _plan_heading(doc: Document, index: int) -> str | None:
    """The heading of the plan section (level 2, else level 1) that holds outline section ``index``."""
    for i in range(index, -1, -1):
        if 0 <= i < len(doc.sections) and doc.sections[i].level == 2:
            return doc.sections[i].heading
        if 0 <= i < len(doc.sections) and doc.sections[i].level == 1:
            return None
    return None


def _matching_theme(theme: str, sections: list[SectionReading]) -> str | None:
    """The summary theme that names the same work as a plan theme, or ``None``."""
    for section in sections:
        if same_indicator(section.theme, theme) or bigram_dice(section.theme, theme) >= THEME_OVERLAP:
            return section.theme
    return None


def _unread(doc: Document, found: list[Sentence]) -> list[str]:
    """Places whose number could not be read: cut after a number, masked (xx家), Chinese-numeral counts."""
    out: list[str] = []
    slots = RE_PLACEHOLDER.findall(doc.text)
    if slots:
        out.append(f"去年的报告中有 {len(slots)} 处未填的【待补充】（如“{_quote(slots[0])}”），其数字未读取")
    if GAP_MARKER in doc.text:
        out.append("原文有删节（【原文此处有删节】）：删去部分的数字无法读取，请对照原件补上")
    for sentence in found:
        if sentence.part not in {"summary", "problems", "plan"}:
            continue
        where = "工作思路" if sentence.part == "plan" else "工作总结"
        text = sentence.text
        if RE_CUT_NUMBER.search(text.rstrip("。；")) and not text.rstrip().endswith(("。", "；")):
            out.append(f"{where}：“{_quote(text)}”——数字后的文字被截断，没有单位，未读取")
        for match in RE_MASKED.finditer(text):
            out.append(f"{where}：“{_quote(text, match.start())}”——数字被隐去（{match.group(0)}），未读取")
        for match in RE_CHINESE_COUNT.finditer(text):
            out.append(
                f"{where}：“{_quote(text, match.start())}”——汉字数字（{match.group(0)}），请确认后手工填写"
            )
    return list(dict.fromkeys(out))


def _quote(text: str, at: int = -1) -> str:
    """A short piece of ``text`` around ``at`` (its end when ``at`` is -1)."""
    if len(text) <= MAX_QUOTE:
        return text
    if at < 0:
        return "…" + text[-MAX_QUOTE:]
    start = max(0, min(at - MAX_QUOTE // 2, len(text) - MAX_QUOTE))
    return (
        ("…" if start else "")
        + text[start : start + MAX_QUOTE]
        + ("…" if start + MAX_QUOTE < len(text) else "")
    )
