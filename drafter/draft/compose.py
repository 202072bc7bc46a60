"""Form + phrase bank + search → ``Draft``: the report's skeleton, register, figures and references.

``compose`` builds a template context from the form — an opening overview of the headline figures and
honours (``overview``), one section per theme with a heading chosen from the corpus's evidence
(``heading_styles``), a lead from how real sections on the subject open (``leads``), the section's results
in a sentence or two (``results``), then its measures as 一是…二是… items (a plain paragraph when there is
only one), the plan's targets and actions — renders the report kind's Jinja template to outline text,
parses that text into the ``Draft`` tree, attaches the best passages of past reports to each section, and
lists the ``【待补充：…】`` slots left for the writer. ``metadata`` records the heading choices with their
evidence and the declines worth a line under 存在的问题 (``rows.preview_row`` shows both).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from drafter.draft.figures import describe_target
from drafter.draft.form import Figure, Form, Highlight
from drafter.draft.heading_styles import Collocations, HeadingChoice, collocations_of
from drafter.draft.leads import LeadPicker
from drafter.draft.overview import headline_figures, overview_text
from drafter.draft.references import SearchFn, SectionQuery, select_references
from drafter.draft.reuse import FRESH, Steps, kept_headings, kept_place, kept_results, kept_theme, scoped
from drafter.draft.templating import default_templates_dir, parse_outline_text, render_outline
from drafter.draft.themes import Bureau, Theme, ThemeCatalog, candidates, load_theme_catalog
from drafter.models import (
    RE_PLACEHOLDER,
    Draft,
    DraftNode,
    OpenerFamily,
    Phrase,
    PhraseBank,
    Reference,
    placeholder,
)

TEMPLATE_NAMES: dict[str, str] = {"annual": "annual.txt.j2", "half": "half.txt.j2", "plan": "plan.txt.j2"}
TITLE_MIN = 4
TITLE_MAX = 12
"""Length (characters) of a note's first clause that can stand as its item title (开展党纪学习教育)."""
RE_DIGIT = re.compile(r"[0-9０-９]")
RE_REGION = re.compile(r"(?:自治区|自治县|自治州|[区县市旗])(?![场级民政域内外属直辖])")
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
    """A （一） section of the summary as the template sees it.

    ``opening`` is the paragraph under the heading: the lead, the results sentences, the declines (each
    its own plain sentence); ``items`` the measures, enumerated 一是… when there are two or more.
    """

    theme: str
    heading: str
    lead: str
    items: tuple[str, ...]
    results: str = ""
    declines: str = ""

    @property
    def opening(self) -> str:
        """Lead, results and declines as one paragraph ('' when there are none)."""
        return "".join(t for t in (self.lead, self.results, self.declines) if t)


@dataclass(frozen=True)
class PlanSection:
    """A section of the plan as the template sees it: heading, lead, target phrases, actions."""

    theme: str
    heading: str
    lead: str
    targets: tuple[str, ...]
    actions: tuple[str, ...]

    @property
    def opening(self) -> str:
        """The lead and the targets (力争…) as one paragraph."""
        targets = f"力争{'，'.join(self.targets)}。" if self.targets else ""
        return self.lead + targets


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


def highlight_item(note: Highlight, verbs: Collocations) -> str:
    """A measure as writers enumerate it: a short verb-object phrase, then its narrative.

    The form's ``title`` when given; else the note's first clause when it reads as such a phrase (starts
    with a verb the corpus uses, holds no figure, is short); else the note as written.
    """
    text = note.text
    if note.title:
        title = note.title.rstrip("。；，")
        if text.startswith(title):
            text = text[len(title) :].lstrip("，。；：")
        return f"{title}。{text}" if text else title
    first, comma, rest = text.partition("，")
    if (
        comma
        and TITLE_MIN <= len(first) <= TITLE_MAX
        and len(rest) >= TITLE_MIN
        and not RE_DIGIT.search(first)
        and verbs.opens_with_verb(first)
    ):
        return f"{first}。{rest}"
    return text


def own_lead(catalog: ThemeCatalog, listed: Theme | None, theme: str, *, plan: bool) -> str:
    """The catalog's lead written for this theme, or '' — never the stock default (围绕…，突出重点…).

    A section without a lead of its own opens with its results or its targets, as real sections often do.
    """
    own = (listed.plan_lead if plan else listed.lead) if listed else None
    return catalog.lead(listed, theme, plan=plan) if own else ""


def _summary_sections(
    form: Form, bureau: Bureau, frames: Sequence[Phrase], steps: Steps = FRESH
) -> list[_Section]:
    own = list(
        dict.fromkeys(
            [s.theme for s in form.sections]
            + [f.theme for f in form.figures if f.theme]
            + [h.theme for h in form.highlights if h.theme]
        )
    )
    hints = [p.theme for p in form.plans if p.theme not in own]
    options = candidates([*own, *hints], bureau)
    named = (id(bureau), *own, "", *hints)  # what the options are made of

    def placed(text: str) -> str:
        return kept_place(steps, named, text, options, bureau.fallback, frames)

    sections: dict[str, _Section] = {name: _Section(name, "summary") for name in own}
    for fig in form.figures:
        theme = fig.theme or placed(fig.label)
        sections.setdefault(theme, _Section(theme, "summary")).figures.append(fig)
    for note in form.highlights:
        theme = note.theme or placed(note.text)
        sections.setdefault(theme, _Section(theme, "summary")).highlights.append(note)
    # The writer's themes keep their order; themes the drafter added follow in the bureau's list order.
    listed = [t.name for t in bureau.themes]
    added = sorted(
        (s for s in sections.values() if s.theme not in own),
        key=lambda s: listed.index(s.theme) if s.theme in listed else len(listed),
    )
    return [sections[name] for name in own] + added


def _choice_row(part: str, choice: HeadingChoice) -> dict[str, Any]:
    return {
        "part": part,
        "theme": choice.theme,
        "heading": choice.heading,
        "style": choice.style,
        "verb": choice.verb,
        "evidence": choice.evidence,
        "examples": list(choice.examples),
    }


def build_context(
    form: Form, bank: PhraseBank, catalog: ThemeCatalog, steps: Steps = FRESH
) -> tuple[dict[str, Any], list[_Section], dict[str, str]]:
    """The template context, the planned sections (for references) and metadata about the choices made
    (``steps``: for ``bank`` and ``catalog``, ``drafter.draft.reuse``)."""
    bureau = catalog.bureau_for(form.unit, form.bureau_type)
    frames = steps.value(("figure frames",), bank.figure_frames)  # the bank's, which ``steps`` fixes
    verbs = steps.value(("frames",), lambda: bank.by_category("figure_frame"))
    summary_family, plan_family = choose_families(bank)
    region, leaders, self_name = _region(form.unit)
    half = form.period == "half"
    colloc = collocations_of(bank)
    picker = LeadPicker(bank.leads, colloc.theme_verbs, region)
    specs = {s.theme: s for s in form.sections}

    headline = headline_figures(form)
    overview = overview_text(form, headline, verbs, colloc.theme_verbs)
    planned: list[_Section] = []
    for section in _summary_sections(form, bureau, frames, steps):
        section.figures = [f for f in section.figures if f not in headline]
        if section.figures or section.highlights:
            planned.append(section)
    listed_of = [kept_theme(steps, bureau, s.theme) for s in planned]
    choices = kept_headings(
        steps,
        [s.theme for s in planned],
        bank,
        style=form.heading_style,
        family=summary_family,
        results=[t.result if t else None for t in listed_of],
        overrides=[specs[s.theme].heading if s.theme in specs else None for s in planned],
    )
    summary_rows: list[SummarySection] = []
    suggested: list[str] = []
    for section, listed, choice in zip(planned, listed_of, choices, strict=True):
        section.heading = choice.heading
        said = kept_results(
            steps,
            section.figures,
            half=half,
            frames=verbs,
            period_word="上半年" if half else "全年",
            verbs=colloc.theme_verbs,
        )
        suggested.extend(said.decline_phrases)
        # A lone measure stays a paragraph as written; enumerated ones open with their verb-object phrase.
        enumerated = len(section.highlights) > 1
        items = tuple(
            highlight_item(h, colloc) if enumerated or h.title else h.text for h in section.highlights
        )
        spec = specs.get(section.theme)
        if spec is not None and spec.lead:
            lead = spec.lead
        elif said.declines and not said.sentences and not items:
            lead = ""  # nothing achieved to lead into: the declines are said plainly, alone
        else:
            about = " ".join([*(f.label for f in section.figures), *(h.text for h in section.highlights)])
            lead = picker.pick(
                "summary", section.theme, about, own_lead(catalog, listed, section.theme, plan=False)
            ).text
        # References are queried with the theme, the heading and what the section says.
        section.query = " ".join([section.theme, section.heading, *said.sentences, *items])
        summary_rows.append(
            SummarySection(
                section.theme, section.heading, lead, items, "".join(said.sentences), "".join(said.declines)
            )
        )

    plan_listed = [kept_theme(steps, bureau, item.theme) for item in form.plans]
    # A plan's headings say what will be done: result headings serve the summary only.
    plan_choices = kept_headings(
        steps,
        [item.theme for item in form.plans],
        bank,
        style="fitting" if form.heading_style == "result" else form.heading_style,
        family=plan_family,
        results=[(t.plan_result or t.result) if t else None for t in plan_listed],
        overrides=[None] * len(form.plans),
    )
    plan_rows: list[PlanSection] = []
    for item, listed, choice in zip(form.plans, plan_listed, plan_choices, strict=True):
        targets = [describe_target(t).phrase for t in item.targets]
        actions = list(item.actions)
        if not targets and not actions:
            actions = [placeholder(f"{item.theme}的主要举措")]
        about = " ".join([*(t.label for t in item.targets), *item.actions])
        lead = picker.pick("plan", item.theme, about, own_lead(catalog, listed, item.theme, plan=True)).text
        plan_rows.append(PlanSection(item.theme, choice.heading, lead, tuple(targets), tuple(actions)))
        query = " ".join([item.theme, choice.heading, *(t.label for t in item.targets), *item.actions])
        planned.append(_Section(item.theme, "plan", heading=choice.heading, query=query))

    context: dict[str, Any] = {
        "unit": form.unit,
        "year": form.year,
        "next_year": form.year + 1,
        "prev_year": form.year - 1,
        "custom_title": form.title,
        "region": region,
        "leaders": leaders,
        "self_name": self_name,
        "overview": overview,
        "summary": summary_rows,
        "problems": list(form.problems),
        "plan": plan_rows,
        "signature": form.signature,
        "date": form.date,
        "slot": placeholder,
    }
    heading_rows = [_choice_row("summary", c) for c in choices] + [
        _choice_row("plan", c) for c in plan_choices
    ]
    metadata = {
        "kind": form.period,
        "bureau": bureau.name,
        "summary_family": summary_family.family if summary_family else "",
        "plan_family": plan_family.family if plan_family else "",
        "template": TEMPLATE_NAMES[form.period],
        "headings": json.dumps(heading_rows, ensure_ascii=False),
        "suggested_problems": json.dumps(suggested, ensure_ascii=False),
    }
    return context, planned, metadata


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
    steps: Steps | None = None,
) -> Draft:
    """The draft of ``form``: the kind's template filled from the form and the bank, references attached.

    ``steps`` keeps what one section's inputs decide for the next forms (``drafter.draft.reuse``): the
    caller gives one per corpus state and viewer, i.e. per ``bank`` and ``search``."""
    folder = templates_dir or default_templates_dir()
    catalog = load_theme_catalog(folder)
    kept = scoped(steps, bank, catalog)
    context, planned, metadata = build_context(form, bank, catalog, kept)
    outline = parse_outline_text(render_outline(folder, TEMPLATE_NAMES[form.period], context))
    nodes = outline.nodes
    if search is not None:
        refs: dict[str, list[tuple[Reference, ...]]] = {}
        queries = [SectionQuery(s.theme, s.part, s.query) for s in planned]
        for section, found in zip(
            planned, select_references(queries, search, unit=form.unit, steps=kept), strict=True
        ):
            refs.setdefault(section.heading, []).append(found)
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
