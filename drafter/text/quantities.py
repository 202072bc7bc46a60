"""Measure units and numbers as report writers write them, shared by the miners and the drafting.

``UNITS`` lists the units that follow a figure in the reports (longest first, so ``个百分点`` wins over
``个`` and ``万元`` over ``元``); a figure in a ``PERCENT_UNITS`` unit is a rate whose changes are counted
in 百分点; ``RELATIVE_UNITS`` are the units of a relative quantity (a rate, a change in points, a
multiple), complete with a short label (``同比增长{N}%``).
"""

from __future__ import annotations

from decimal import Decimal

UNITS: tuple[str, ...] = tuple(
    sorted(
        set(
            [
                "个百分点",
                "百分点",
                "万人次",
                "人次",
                "家次",
                "万亿元",
                "亿元",
                "万元",
                "亿美元",
                "万美元",
                "元",
                "万亩",
                "亩",
                "万吨",
                "吨",
                "万平方米",
                "平方米",
                "公里",
                "家",
                "个",
                "项",
                "人",
                "名",
                "场",
                "次",
                "件",
                "支",
                "篇",
                "批",
                "期",
                "条",
                "户",
                "位",
                "所",
                "座",
                "处",
                "套",
                "台",
                "倍",
                "%",
                "％",
            ]
        ),
        key=lambda u: (-len(u), u),
    )
)
PERCENT_UNITS = frozenset({"%", "％"})
RELATIVE_UNITS = frozenset({"%", "％", "个百分点", "百分点", "倍"})


def is_rate(unit: str) -> bool:
    """True when the unit is a percentage, whose changes are counted in 百分点."""
    return unit.strip() in PERCENT_UNITS


def normal_unit(unit: str) -> str:
    """The unit as the phrase bank writes it (full-width ％ → %, 百分点 → 个百分点)."""
    return {"％": "%", "百分点": "个百分点"}.get(unit, unit)


def format_number(value: float) -> str:
    """The number as a writer writes it: ``162``, ``2.5``, ``0.25`` (no exponent, no trailing zeros)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return format(Decimal(repr(value)).normalize(), "f")
