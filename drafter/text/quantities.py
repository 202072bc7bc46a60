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
SCALES: dict[str, int] = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3}
"""Scale words a unit may start with (``万人`` = 10 000 人, ``亿元`` = 10 000 万元)."""
MEASURE_WORDS: tuple[str, ...] = tuple(
    sorted(
        {u for u in UNITS if not any(u.startswith(s) and u != s for s in SCALES)}
        | {
            "微克/立方米",
            "平方公里",
            "立方米",
            "公顷",
            "千瓦时",
            "千瓦",
            "兆瓦",
            "场次",
            "户次",
            "美元",
            "斤",
            "头",
        }
        | {
            "只",
            "辆",
            "艘",
            "架",
            "栋",
            "间",
            "张",
            "份",
            "轮",
            "单",
            "起",
            "块",
            "部",
            "本",
            "册",
            "株",
            "棵",
        }
        | {"例", "宗", "笔", "门", "盏", "枚", "课时", "学时"},
        key=lambda u: (-len(u), u),
    )
)
"""The units a figure can be stated in, without their scale word: ``UNITS`` and the rarer counting words
(份, 轮, 单, 起 …) that a last-year report uses once; ``SCALES`` may precede any of them but a rate."""
PERCENT_UNITS = frozenset({"%", "％"})
RELATIVE_UNITS = frozenset({"%", "％", "个百分点", "百分点", "倍"})


def is_rate(unit: str) -> bool:
    """True when the unit is a percentage, whose changes are counted in 百分点."""
    return unit.strip() in PERCENT_UNITS


def normal_unit(unit: str) -> str:
    """The unit as the phrase bank writes it (full-width ％ → %, 百分点 → 个百分点)."""
    return {"％": "%", "百分点": "个百分点"}.get(unit, unit)


def scale_of(unit: str) -> tuple[int, str]:
    """``(10000, "人")`` for ``万人``, ``(1, "家")`` for ``家``: the scale word's factor and the base unit."""
    for word, factor in SCALES.items():
        if unit.startswith(word) and len(unit) > len(word) and unit[len(word) :] in MEASURE_WORDS:
            return factor, unit[len(word) :]
    return 1, unit


def format_number(value: float) -> str:
    """The number as a writer writes it: ``162``, ``2.5``, ``0.25`` (no exponent, no trailing zeros)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return format(Decimal(repr(value)).normalize(), "f")
