"""Figures worded the way bureau writers word them (METHODS.md §4).

Counts and amounts change by a growth rate with one decimal (``同比增长29.6%``, ``同比下降15.0%``); rates
(unit ``%``) change by percentage points (``提高0.25个百分点``); equal values are ``与上年持平``; a previous
value of 0 gives no percentage (``实现零的突破``); a missing previous value gives no comparison; a missing
value becomes a visible ``【待补充：…】`` slot. Arithmetic is decimal on the numbers as written, so
3.12 − 2.87 is 0.25, not 0.25000000000000044.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from drafter.draft.form import Figure, Target
from drafter.models import placeholder
from drafter.text.quantities import format_number, is_rate

Change = Literal["up", "down", "equal", "from_zero", "none", "missing"]
"""``none``: no previous value to compare with; ``missing``: the value itself is missing."""

_ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class FigureText:
    """The wording of one figure.

    ``amount`` is the value with its unit (``162家``, ``3.12%``) or the placeholder; ``change`` the comparison
    with last year (``同比增长29.6%``, ``提高0.25个百分点``, ``与上年持平``, '' when there is none);
    ``phrase`` the whole clause (``新认定国家高新技术企业162家，同比增长29.6%``); ``placeholders`` the
    ``【待补充：…】`` slots the phrase holds.
    """

    label: str
    amount: str
    change: str
    phrase: str
    kind: Change
    placeholders: tuple[str, ...] = ()


def _decimal(value: float) -> Decimal:
    # repr() is the shortest text that round-trips: the number as the writer typed it.
    return Decimal(repr(value))


def _text(value: Decimal) -> str:
    return (
        format_number(float(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    )


def growth_percent(value: float, previous: float) -> Decimal:
    """(value − previous) / previous in percent, rounded half-up to one decimal; previous must not be 0."""
    ratio = (_decimal(value) - _decimal(previous)) / _decimal(previous) * 100
    return ratio.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def describe_change(value: float, previous: float | None, unit: str) -> tuple[str, Change]:
    """The comparison with last year and its kind; ``('', 'none')`` when there is nothing to compare."""
    if previous is None:
        return "", "none"
    now, before = _decimal(value), _decimal(previous)
    if now == before:
        return "与上年持平", "equal"
    if is_rate(unit):
        points = _text(abs(now - before))
        return (f"提高{points}个百分点", "up") if now > before else (f"下降{points}个百分点", "down")
    if before == 0:
        # A percentage of nothing is meaningless; writers say the figure broke through zero.
        return ("实现零的突破", "from_zero") if now > 0 else ("", "none")
    if before < 0 or now < 0:
        # Growth rates across a sign change mislead; the absolute difference does not.
        diff = _text(abs(now - before))
        verb = "增加" if now > before else "减少"
        return f"比上年{verb}{diff}{unit}", "up" if now > before else "down"
    growth = growth_percent(value, previous)
    if growth == 0:
        return "与上年基本持平", "equal"
    if growth > 0:
        return f"同比增长{growth}%", "up"
    return f"同比下降{-growth}%", "down"


def _amount(value: float, unit: str) -> str:
    return f"{format_number(value)}{unit}"


def describe_figure(fig: Figure) -> FigureText:
    """The wording of ``fig``: its amount, its change against last year, and the clause joining them."""
    if fig.value is None:
        hint = f"（{fig.unit}）" if fig.unit else ""
        if fig.previous is not None:
            hint += f"，上年为{_amount(fig.previous, fig.unit)}"
        slot = placeholder(f"{fig.label}{hint}")
        return FigureText(fig.label, slot, "", slot, "missing", (slot,))
    amount = _amount(fig.value, fig.unit)
    change, kind = describe_change(fig.value, fig.previous, fig.unit)
    phrase = f"{fig.label}{amount}"
    if change:
        # 百分点 alone does not say against what; writers add 较上年 to a rate's change.
        phrase += f"，较上年{change}" if is_rate(fig.unit) and kind in {"up", "down"} else f"，{change}"
    return FigureText(fig.label, amount, change, phrase, kind)


def describe_target(target: Target) -> FigureText:
    """The wording of a plan target: ``新认定国家高新技术企业180家`` or its placeholder."""
    if target.value is None:
        hint = f"（{target.unit}）" if target.unit else ""
        slot = placeholder(f"{target.label}目标值{hint}")
        return FigureText(target.label, slot, "", f"{target.label}{slot}", "missing", (slot,))
    amount = _amount(target.value, target.unit)
    return FigureText(target.label, amount, "", f"{target.label}{amount}", "none")
