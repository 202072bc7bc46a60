"""Form + phrase bank + search → ``Draft``: the report's skeleton, register, figures and references.

``compose`` builds a template context from the form (sections per theme, headings in one opener family per
part, lead sentences, 一是…二是… items from figures and highlights, targets and actions), renders the report
kind's Jinja template to outline text, parses that text into the ``Draft`` tree, attaches the best passages
of past reports to each section, and lists the ``【待补充：…】`` slots left for the writer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from drafter.draft.figures import describe_figure, describe_target
from drafter.draft.form import Figure, Form, Highlight
from drafter.draft.headings import heading_for
from drafter.draft.templating import default_templates_dir, parse_outline_text, render_outline
from drafter.draft.themes import Bureau, ThemeCatalog, candidates, load_theme_catalog, place
from drafter.models import (
    RE_PLACEHOLDER,
    Draft,
    DraftNode,
    Hit,
    OpenerFamily,
    Phrase,
    PhraseBank,
    Reference,
    SearchFilters,
    placeholder,
)

SearchFn = Callable[[str, int, SearchFilters], list[Hit]]
"""``Searcher.search(query, k, filters)``: the passages of past reports most similar to ``query``."""

TEMPLATE_NAMES: dict[str, str] = {"annual": "annual.txt.j2", "half": "half.txt.j2", "plan": "plan.txt.j2"}
REFERENCES_PER_SECTION = 3
NEUTRAL_FRAME_VERBS = ("实现", "完成", "达到")
"""Figure-frame openers that add register without changing what a figure means (新增/新认定 would)."""
RE_REGION = re.compile(r"(?:自治区|自治县|自治州|[区县市旗])(?![场级民政域内外属直辖])")
RE_HAS_VERB = re.compile(
    r"^新|实现|完成|达到|新增|新认定|新建|累计|开展|举办|引进|培育|推荐|认定|获|接待|兑现|入库|签约"
)
LEADERS = {"区": "区委、区政府", "县": "县委、县政府", "市": "市委、市政府", "旗": "旗委、旗政府"}
SELF_NAMES = (
    ("委员会", "我委"),
    ("局", "我局"),
    ("委", "我委"),
    ("办公室", "我办"),
    ("办", "我办"),
    ("中心", "我中心"),
)

PartName = Literal["summary", "plan"]


@dataclass
class _Section:
    """A section being planned: its theme, what goes in it, and the query for its references."""

    theme: str
    part: PartName
    figures: list[Figure] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    heading: str = ""
    query: str = ""


@dataclass(frozen=True)
class SummarySection:
    """A （一） section of the summary as the template sees it: heading, lead sentence, 一是… items."""

    theme: str
    heading: str
    lead: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class PlanSection:
    """A section of the plan as the template sees it: heading, lead, target phrases, actions."""

    theme: str
    heading: str
    lead: str
    targets: tuple[str, ...]
    actions: tuple[str, ...]


def _region(unit: str) -> tuple[str, str, str]:
    """``(全区, 区委、区政府, 我局)`` for 青溪区科学技术局; empty strings for what the name does not say."""
    matches = list(RE_REGION.finditer(unit))
    level = matches[-1].group(0)[-1] if matches and matches[-1].start() > 0 else ""
    self_name = next((name for suffix, name in SELF_NAMES if unit.endswith(suffix)), "我们")
    return (f"全{level}" if level else "", LEADERS.get(level, ""), self_name)


def choose_families(bank: PhraseBank) -> tuple[OpenerFamily | None, OpenerFamily | None]:
    """The best opener family for the summary and a different one for the plan (parallel style, 排比)."""
    summary = next(iter(bank.families_for("summary")), None)
    taken = summary.family if summary else None
    plan = next((f for f in bank.families_for("plan") if f.family != taken), None)
    return summary, plan


def section_heading(family: OpenerFamily | None, theme: str, result: str | None) -> str:
    """The section heading: the family's pattern with the theme (and a result where the pattern has a slot)."""
    if family is None:
        return f"{theme}，{result}" if result else theme
    return heading_for(family, theme, result if "{Y}" in family.pattern else None)


def frame_verb(fig: Figure, frames: Sequence[Phrase]) -> str:
    """A neutral verb from the bank's figure frames for a bare indicator (实现技术合同成交额23亿元), or ''.

    ``frames`` are the bank's figure frames; the one used has the figure's unit after ``{X}{N}``.
    """
    if not fig.unit or RE_HAS_VERB.search(fig.label):
        return ""
    for frame in frames:
        head, slot, tail = frame.pattern.partition("{X}")
        if slot and head in NEUTRAL_FRAME_VERBS and tail == "{N}" + fig.unit:
            return head
    return ""


def figure_item(fig: Figure, frames: Sequence[Phrase]) -> str:
    """The 一是… item text of a figure."""
    text = describe_figure(fig)
    return frame_verb(fig, frames) + text.phrase if text.kind != "missing" else text.phrase


def _summary_sections(form: Form, bureau: Bureau, frames: Sequence[Phrase]) -> list[_Section]:
    own = list(
        dict.fromkeys(
            [f.theme for f in form.figures if f.theme] + [h.theme for h in form.highlights if h.theme]
        )
    )
    hints = [p.theme for p in form.plans if p.theme not in own]
    options = candidates([*own, *hints], bureau)
    sections: dict[str, _Section] = {name: _Section(name, "summary") for name in own}
    for fig in form.figures:
        theme = fig.theme or place(fig.label, options, bureau.fallback, frames)
        sections.setdefault(theme, _Section(theme, "summary")).figures.append(fig)
    for note in form.highlights:
        theme = note.theme or place(note.text, options, bureau.fallback, frames)
        sections.setdefault(theme, _Section(theme, "summary")).highlights.append(note)
    # The writer's themes keep their order; themes the drafter added follow in the bureau's list order.
    listed = [t.name for t in bureau.themes]
    added = sorted(
        (s for s in sections.values() if s.theme not in own),
        key=lambda s: listed.index(s.theme) if s.theme in listed else len(listed),
    )
    return [sections[name] for name in own] + added


def build_context(
    form: Form, bank: PhraseBank, catalog: ThemeCatalog
) -> tuple[dict[str, Any], list[_Section], dict[str, str]]:
    """The template context, the planned sections (for references) and metadata about the choices made."""
    bureau = catalog.bureau_for(form.unit, form.bureau_type)
    frames = bank.figure_frames()
    verbs = bank.by_category("figure_frame")
    summary_family, plan_family = choose_families(bank)
    region, leaders, self_name = _region(form.unit)

    summary_rows: list[SummarySection] = []
    planned: list[_Section] = []
    for section in _summary_sections(form, bureau, frames):
        listed = bureau.theme(section.theme)
        section.heading = section_heading(summary_family, section.theme, listed.result if listed else None)
        section.query = " ".join([section.theme, *(f.label for f in section.figures)])
        items = [figure_item(f, verbs) for f in section.figures] + [h.text for h in section.highlights]
        lead = catalog.lead(listed, section.theme, plan=False)
        summary_rows.append(SummarySection(section.theme, section.heading, lead, tuple(items)))
        planned.append(section)

    plan_rows: list[PlanSection] = []
    for item in form.plans:
        listed = bureau.theme(item.theme)
        result = (listed.plan_result or listed.result) if listed else None
        heading = section_heading(plan_family, item.theme, result)
        targets = [describe_target(t).phrase for t in item.targets]
        actions = list(item.actions)
        if not targets and not actions:
            actions = [placeholder(f"{item.theme}的主要举措")]
        lead = catalog.lead(listed, item.theme, plan=True)
        plan_rows.append(PlanSection(item.theme, heading, lead, tuple(targets), tuple(actions)))
        query = " ".join([item.theme, *(t.label for t in item.targets)])
        planned.append(_Section(item.theme, "plan", heading=heading, query=query))

    context: dict[str, Any] = {
        "unit": form.unit,
        "year": form.year,
        "next_year": form.year + 1,
        "prev_year": form.year - 1,
        "custom_title": form.title,
        "region": region,
        "leaders": leaders,
        "self_name": self_name,
        "summary": summary_rows,
        "problems": list(form.problems),
        "plan": plan_rows,
        "signature": form.signature,
        "date": form.date,
        "slot": placeholder,
    }
    metadata = {
        "kind": form.period,
        "bureau": bureau.name,
        "summary_family": summary_family.family if summary_family else "",
        "plan_family": plan_family.family if plan_family else "",
        "template": TEMPLATE_NAMES[form.period],
    }
    return context, planned, metadata


def references_for(
    section: _Section, search: SearchFn, k: int = REFERENCES_PER_SECTION
) -> tuple[Reference, ...]:
    """The ``k`` best passages of past reports for a section, from the same part of those reports."""
    hits = search(section.query, k, SearchFilters(part=section.part))
    seen: set[str] = set()
    refs: list[Reference] = []
    for hit in hits:
        if hit.passage_id in seen:
            continue
        seen.add(hit.passage_id)
        refs.append(Reference(hit.title, hit.source, hit.heading, hit.text, hit.frame, hit.score))
    return tuple(refs[:k])


def _attach(
    nodes: tuple[DraftNode, ...], refs: dict[str, list[tuple[Reference, ...]]]
) -> tuple[DraftNode, ...]:
    out: list[DraftNode] = []
    for node in nodes:
        children = _attach(node.children, refs)
        queue = refs.get(node.heading)
        found = queue.pop(0) if queue else ()
        out.append(replace(node, children=children, references=found or node.references))
    return tuple(out)


def _texts(draft: Draft) -> Iterator[str]:
    def walk(nodes: tuple[DraftNode, ...]) -> Iterator[str]:
        for node in nodes:
            yield node.heading
            yield from node.paragraphs
            yield from walk(node.children)

    yield draft.title
    yield from draft.preamble
    yield from walk(draft.nodes)
    yield from draft.closing
    yield from (t for t in (draft.signature, draft.date) if t)


def placeholders_of(draft: Draft) -> tuple[str, ...]:
    """Every ``【待补充：…】`` slot of the draft, in reading order."""
    return tuple(slot for text in _texts(draft) for slot in RE_PLACEHOLDER.findall(text))


def compose(
    form: Form,
    bank: PhraseBank,
    search: SearchFn | None,
    *,
    templates_dir: Path | None = None,
) -> Draft:
    """The draft of ``form``: the kind's template filled from the form and the bank, references attached."""
    folder = templates_dir or default_templates_dir()
    catalog = load_theme_catalog(folder)
    context, planned, metadata = build_context(form, bank, catalog)
    outline = parse_outline_text(render_outline(folder, TEMPLATE_NAMES[form.period], context))
    nodes = outline.nodes
    if search is not None:
        refs: dict[str, list[tuple[Reference, ...]]] = {}
        for section in planned:
            refs.setdefault(section.heading, []).append(references_for(section, search))
        nodes = _attach(nodes, refs)
    draft = Draft(
        title=outline.title,
        preamble=outline.preamble,
        nodes=nodes,
        closing=outline.closing,
        signature=outline.signature,
        date=outline.date,
        metadata=metadata,
    )
    return replace(draft, placeholders=placeholders_of(draft))
