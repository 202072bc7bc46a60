"""Chinese numerals as used in report numbering (一 … 九百九十九) and back."""

from __future__ import annotations

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_DIGIT_CHARS = "零一二三四五六七八九"


def chinese_to_int(numeral: str) -> int | None:
    """The value of a Chinese numeral below 1000 (``十六`` → 16), or ``None`` if it is not one."""
    if not numeral:
        return None
    total = 0
    current = 0
    for char in numeral:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def int_to_chinese(number: int) -> str:
    """The Chinese numeral of ``1 <= number <= 999`` as written in headings and items: 16 → ``十六``,
    20 → ``二十``, 105 → ``一百零五``, 110 → ``一百一十``."""
    if not 1 <= number <= 999:
        raise ValueError(f"numeral out of range: {number}")
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    if hundreds == 0:
        head = "" if tens == 1 else _DIGIT_CHARS[tens] if tens else ""
        return (head + "十" if tens else "") + (_DIGIT_CHARS[units] if units else "")
    out = _DIGIT_CHARS[hundreds] + "百"
    if tens:
        out += _DIGIT_CHARS[tens] + "十"
    elif units:
        out += "零"
    return out + (_DIGIT_CHARS[units] if units else "")
