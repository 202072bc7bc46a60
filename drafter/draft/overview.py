"""The report's opening overview: the year's headline figures and honours, before 一、.

Writers open with the few figures that sum up the year (``全县农业总产值预计实现75.34亿元，同比增长6%``)
and the honours won (``荣获大豆之乡称号``). The form names them (``overview: {figures, honours}``); when it
names no figures, the drafter picks up to three: totals (a label with 总), amounts first, never a decline, a missing value or a part of another figure. Figures headlined here
are not repeated in the sections.
"""

from __future__ import annotations

from collections.abc import Sequence

from drafter.draft.figures import describe_figure
from drafter.draft.form import Figure, Form
from drafter.draft.results import section_results
from drafter.draft.templating import sentence
from drafter.models import Phrase

MAX_PICKED = 3
PICK_WEIGHT = 2.5
"""Only totals (总) qualify unasked; an amount alone (亿元) is a section's result, not the year's headline."""
AMOUNT_UNITS = ("亿元", "万元", "亿美元", "万美元", "万人次", "亿人次", "万吨", "万亩")


def _weight(fig: Figure) -> float:
    score = 0.0
    if "总" in fig.label:
        score += 2
    if fig.unit in AMOUNT_UNITS:
        score += 1.5
    if fig.growth is not None or fig.previous is not None:
        score += 0.5
    return score


def headline_figures(form: Form) -> list[Figure]:
    """The figures the overview states: the form's choice, else the strongest few (see module docstring)."""
    if form.overview is not None and form.overview.figures:
        by_label = {f.label: f for f in form.figures}
        return [by_label[label] for label in form.overview.figures if label in by_label]
    half = form.period == "half"
    pool = [
        f
        for f in form.figures
        if f.value is not None and not f.parent and describe_figure(f, half=half).kind != "down"
    ]
    ranked = sorted(pool, key=lambda f: -_weight(f))
    picked = [f for f in ranked if _weight(f) >= PICK_WEIGHT][:MAX_PICKED]
    return [f for f in form.figures if f in picked]


def overview_text(
    form: Form, figures: Sequence[Figure], frames: Sequence[Phrase], verbs: tuple[str, ...] = ()
) -> str:
    """The overview sentences (figures, then honours), '' when there is nothing to say."""
    half = form.period == "half"
    period_word = "上半年" if half else "全年"
    said = section_results(figures, half=half, frames=frames, period_word=period_word, verbs=verbs)
    honours = "，".join(h.rstrip("。；，") for h in (form.overview.honours if form.overview else []))
    return said.text + (sentence(honours) if honours else "")
