"""Figures worded the way bureau writers word them (METHODS.md §4).

Counts and amounts change by a growth rate (``同比增长29.6%``, ``同比下降15%``: one decimal, no trailing
``.0``); a growth of 100% or more is said in 倍 as the ratio to last year (``是上年的4倍``, never
``同比增长300%``); rates (unit ``%``) change by percentage points (``提高0.25个百分点``); equal values are
``与上年持平``; a previous value of 0 gives ``实现零的突破``, a fall to 0 is said plainly (``上年为2家``); a
missing previous value gives no comparison; a missing value becomes a visible ``【待补充：…】`` slot.
A growth rate the writer stated (``growth: 20.32%``) is printed exactly as stated and wins over any
computed one. Half-year reports compare with ``上年同期``. A target gives ``完成年度目标的102.8%``, a rank
``位居全市第二``; hedges (``预计``, ``约``, ``据初步统计``) and the time basis (``1–5月``) are kept.
Arithmetic is decimal on the numbers as written, so 3.12 − 2.87 is 0.25, not 0.25000000000000044.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Literal

from drafter.draft.form import Figure, Target
from drafter.draft.typed_numbers import stated_growth
from drafter.models import placeholder
from drafter.text.quantities import format_number, is_rate

Change = Literal["up", "down", "equal", "from_zero", "none", "missing"]
"""``none``: no previous value to compare with; ``missing``: the value itself is missing."""

_ONE_DECIMAL = Decimal("0.1")
TIMES_FROM = Decimal(100)
"""A growth from this many percent up is said as a multiple of last year (是上年的2倍)."""
LABEL_VERBS = ("实现", "完成", "接待", "新增", "新建", "引进", "培育", "开展", "举办", "累计", "达到")
"""A label opening with one of these carries its verb: 预计 goes before it (预计实现旅游总收入…)."""
UNIT_AFTER_TAILS = ("以上", "左右", "以内")
"""Qualifiers that follow the unit (295万吨以上); 余 and 多 stand before it (100余家)."""
RANK_VERBS = ("位居", "居", "排名", "排", "位列", "列", "名列")
RANK_SCOPES = ("全国", "全省", "全市", "全区", "全县", "全州", "全盟", "全旗", "省内", "市内", "同类")
_GROWTH_DIGITS = 1000
_FLOAT_EXACT = Decimal(10**15)
"""Integers below this go through float exactly."""


@dataclass(frozen=True)
class FigureText:
    """The wording of one figure.

    ``amount`` is the value with its unit (``162家``, ``约3000人``) or the placeholder; ``change`` the
    comparison with last year (``同比增长29.6%``, ``提高0.25个百分点``, ``与上年持平``, '' when there is
    none); ``extras`` the completion and rank clauses; ``phrase`` the whole clause (``新认定国家高新技术企业
    162家，同比增长29.6%``); ``placeholders`` the ``【待补充：…】`` slots the phrase holds.
    """

    label: str
    amount: str
    change: str
    phrase: str
    kind: Change
    placeholders: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()


def _decimal(value: float) -> Decimal:
    # repr() is the shortest text that round-trips: the number as the writer typed it.
    return Decimal(repr(value))


def _wide() -> AbstractContextManager[Context]:
    """A decimal context wide enough for any two finite floats: a tiny previous value gives a ratio of
    hundreds of digits, which must still quantize (the default 28 digits raise InvalidOperation there)."""
    return localcontext(prec=_GROWTH_DIGITS, Emax=_GROWTH_DIGITS * 4, Emin=-_GROWTH_DIGITS * 4)


def _text(value: Decimal) -> str:
    if value != value.to_integral_value():
        return format(value.normalize(), "f")
    if abs(value) < _FLOAT_EXACT:
        return format_number(float(value))
    with _wide():
        return format(value.quantize(Decimal(1)), "f")  # no float: it would overflow or round


def one_decimal(value: Decimal) -> str:
    """A computed rate as writers print it: one decimal, half-up, without a trailing ``.0`` (15, 29.6)."""
    with _wide():
        return _text(value.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))


def growth_percent(value: float, previous: float) -> Decimal:
    """(value − previous) / previous in percent, rounded half-up to one decimal; previous must not be 0."""
    with _wide():
        ratio = (_decimal(value) - _decimal(previous)) / _decimal(previous) * 100
        return ratio.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def last_year(half: bool) -> str:
    """``上年同期`` in a half-year report, else ``上年``."""
    return "上年同期" if half else "上年"


def stated_change(growth: str, unit: str, *, half: bool = False) -> tuple[str, Change]:
    """The comparison a writer stated (``-2.1%`` → ``同比下降2.1%``), digits verbatim."""
    found = stated_growth(growth)
    if found is None:
        return "", "none"
    digits, growth_unit, qualifier = found
    magnitude = digits.lstrip("-")
    if Decimal(magnitude) == 0:
        return f"与{last_year(half)}持平", "equal"
    down = digits.startswith("-")
    kind: Change = "down" if down else "up"
    if growth_unit == "个百分点" or (is_rate(unit) and not growth_unit):
        return f"{'下降' if down else '提高'}{magnitude}个百分点{qualifier}", kind
    if growth_unit in {"%", ""}:
        return f"同比{'下降' if down else '增长'}{magnitude}%{qualifier}", kind
    # An absolute change in the figure's own terms (同比增加39天).
    return f"同比{'减少' if down else '增加'}{magnitude}{growth_unit}{qualifier}", kind


def describe_change(
    value: float, previous: float | None, unit: str, *, half: bool = False
) -> tuple[str, Change]:
    """The comparison with last year and its kind; ``('', 'none')`` when there is nothing to compare."""
    if previous is None:
        return "", "none"
    now, before = _decimal(value), _decimal(previous)
    then = last_year(half)
    if now == before:
        return f"与{then}持平", "equal"
    if is_rate(unit):
        points = _text(abs(now - before))
        return (f"提高{points}个百分点", "up") if now > before else (f"下降{points}个百分点", "down")
    if before == 0:
        # A percentage of nothing is meaningless; writers say the figure broke through zero.
        return ("实现零的突破", "from_zero") if now > 0 else ("", "none")
    if now == 0 and before > 0:
        return f"{then}为{format_number(previous)}{unit}", "down"
    if before < 0 or now < 0:
        # Growth rates across a sign change mislead; the absolute difference does not.
        diff = _text(abs(now - before))
        verb = "增加" if now > before else "减少"
        return f"比{then}{verb}{diff}{unit}", "up" if now > before else "down"
    growth = growth_percent(value, previous)
    if growth == 0:
        return f"与{then}基本持平", "equal"
    if growth >= TIMES_FROM:
        with _wide():
            times = now / before
        return f"是{then}的{one_decimal(times)}倍", "up"
    if growth > 0:
        return f"同比增长{one_decimal(growth)}%", "up"
    return f"同比下降{one_decimal(-growth)}%", "down"


def completion(value: float, target: float) -> str:
    """``完成年度目标的102.8%`` (one decimal, no trailing ``.0``); '' for a target of 0."""
    if target == 0:
        return ""
    with _wide():
        share = _decimal(value) / _decimal(target) * 100
    return f"完成年度目标的{one_decimal(share)}%"


def rank_clause(rank: str) -> str:
    """``全市第二`` → ``位居全市第二``; any other rank (全省领先, 增幅全省第一, 排名第三) stays as written."""
    if rank.startswith(RANK_VERBS) or not rank.startswith(RANK_SCOPES) or "第" not in rank:
        return rank
    return f"位居{rank}"


def _amount(value: float, unit: str) -> str:
    return f"{format_number(value)}{unit}"


def written_amount(written: str, unit: str) -> str:
    """The writer's own wording with its unit where writers put it: ``100余家``, ``295万吨以上``, ``约3000人``."""
    for tail in UNIT_AFTER_TAILS:
        if written.endswith(tail) and written != tail:
            return f"{written[: -len(tail)]}{unit}{tail}"
    return f"{written}{unit}"


def is_share(fig: Figure) -> bool:
    """True for a share said in tenths (六成): its changes, like a rate's, are in 百分点."""
    return bool(fig.written and fig.written.endswith("成") and not fig.unit)


def describe_figure(
    fig: Figure, *, half: bool = False, verb: str = "", label: str | None = None, basis: bool = True
) -> FigureText:
    """The wording of ``fig``: its amount, its change against last year, and the clause joining them.

    ``verb`` goes before the label (实现技术合同成交额23.5亿元), ``label`` replaces the
    figure's own (a shortened one inside a sentence), ``basis`` says whether the clause opens with its time
    basis (``1–5月，``) — off when the sentence already did.
    """
    name = fig.label if label is None else label
    if fig.value is None and (fig.written or fig.growth is not None):
        # Only a wording (六成) or only a rate (只报增速): said as stated, no slot.
        return _stated_only(fig, name, half=half, basis=basis)
    if fig.value is None:
        hint = f"（{fig.unit}）" if fig.unit else ""
        if fig.previous is not None:
            hint += f"，{last_year(half)}为{_amount(fig.previous, fig.unit)}"
        slot = placeholder(f"{fig.label}{hint}")
        return FigureText(fig.label, slot, "", slot, "missing", (slot,))
    amount = written_amount(fig.written, fig.unit) if fig.written else _amount(fig.value, fig.unit)
    if fig.hedge == "约" and not amount.startswith("约"):
        amount = "约" + amount
    if fig.growth is not None:
        change, kind = stated_change(fig.growth, fig.unit, half=half)
    else:
        change, kind = describe_change(fig.value, fig.previous, fig.unit, half=half)
    extras = tuple(
        e
        for e in (
            completion(fig.value, fig.target) if fig.target is not None else "",
            rank_clause(fig.rank) if fig.rank else "",
        )
        if e
    )
    head = "据初步统计，" if fig.hedge == "初步统计" else ""
    if basis and fig.basis:
        head = f"{fig.basis}，{head}"
    if fig.hedge == "预计":
        # 预计实现农业总产值75亿元 / 农业总产值预计达75亿元: the hedge stands before the verb.
        led = verb or name.startswith(LABEL_VERBS)
        phrase = f"{head}预计{verb}{name}{amount}" if led else f"{head}{name}预计达{amount}"
    else:
        phrase = f"{head}{verb}{name}{amount}"
    if change:
        # 百分点 alone does not say against what; writers add 较上年 to a rate's change.
        points = change.endswith("个百分点") and kind in {"up", "down"}
        phrase += f"，较{last_year(half)}{change}" if points else f"，{change}"
    for extra in extras:
        phrase += f"，{extra}"
    return FigureText(fig.label, amount, change, phrase, kind, (), extras)


def _stated_only(fig: Figure, name: str, *, half: bool, basis: bool) -> FigureText:
    amount = written_amount(fig.written, fig.unit) if fig.written else ""
    if fig.growth is not None:
        change, kind = stated_change(fig.growth, "%" if is_share(fig) else fig.unit, half=half)
    else:
        change, kind = "", "none"
    extras = (rank_clause(fig.rank),) if fig.rank else ()
    head = f"{fig.basis}，" if basis and fig.basis else ""
    if amount:
        phrase = f"{head}{name}{amount}" + (f"，{change}" if change else "")
    else:
        # 农村居民人均可支配收入增长6.5%: only a rate, said right after the label.
        phrase = f"{head}{name}{change.removeprefix('同比')}"
    phrase += "".join(f"，{extra}" for extra in extras)
    return FigureText(fig.label, amount, change, phrase, kind, (), extras)


def describe_target(target: Target) -> FigureText:
    """The wording of a plan target: ``新认定国家高新技术企业180家`` or its placeholder."""
    if target.value is None and target.written:
        amount = written_amount(target.written, target.unit)
        return FigureText(target.label, amount, "", f"{target.label}{amount}", "none")
    if target.value is None:
        hint = f"（{target.unit}）" if target.unit else ""
        slot = placeholder(f"{target.label}目标值{hint}")
        return FigureText(target.label, slot, "", f"{target.label}{slot}", "missing", (slot,))
    amount = (
        written_amount(target.written, target.unit) if target.written else _amount(target.value, target.unit)
    )
    return FigureText(target.label, amount, "", f"{target.label}{amount}", "none")
