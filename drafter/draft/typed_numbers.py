"""Numbers as writers type them into a form: ``1,200``, ``６.６``, ``6.6%``, ``约3000``, ``100余``, ``六成``.

``read_typed`` splits such text into the number, a hedge word (``约``/``预计``), whether a percent sign
was typed, and the writer's qualifiers (``超过1000``, ``100余``, ``295以上``, ``突破110``), so ``value: 约3000``
means 3000 with the hedge 约, ``value: "6.6%"`` 6.6 in ``%``, and ``value: 100余`` the number 100 written
``100余``. Text with no digits at all (``六成``) is kept as the figure's wording, with no number behind it.
Stated growth rates (``growth: "20.32%"``, ``6.5%左右``, ``39天``) are kept as text, verbatim:
``stated_growth`` only checks their shape and normalises the sign and the unit word.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic_core import PydanticCustomError

from drafter.text.chars import lazy_pattern, strip_illegal

FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋％", "0123456789.-+%")
HEDGES = ("预计", "约", "初步统计")
QUALIFIERS_BEFORE = "超过|超|突破|逾|近|接近|不少于|不低于|达到|达"
QUALIFIERS_AFTER = "余|多|以上|左右|以内"
RE_TYPED = lazy_pattern(
    r"^(?P<hedge>预计|约)?(?P<before>" + QUALIFIERS_BEFORE + r")?(?P<number>[-+]?\d+(?:\.\d+)?)"
    r"(?P<after>" + QUALIFIERS_AFTER + r")?(?P<percent>%)?(?P<after2>" + QUALIFIERS_AFTER + r")?$"
)
RE_WORDS = lazy_pattern(r"^(?:近|约|超过|超|逾)?[一二两三四五六七八九十]成(?:多|以上)?$")
"""A share in tenths (六成, 近两成): kept as written, no number behind it (a bare 十 is still not a number)."""
RE_GROWTH = lazy_pattern(
    r"^(?P<sign>[-+]?)(?P<number>\d+(?:\.\d+)?)(?P<unit>%|个百分点|百分点|[\u4e00-\u9fff]{1,3}?)?"
    r"(?P<after>左右|以上)?$"
)


@dataclass(frozen=True)
class Typed:
    """A typed number: its digits, the hedge before it, whether ``%`` followed, and its written form.

    ``written`` is the value as the writer worded it (``100余``, ``超过1000``, ``六成``) when that says more
    than the bare number; ``number`` is '' when the text holds no number at all (``六成``).
    """

    number: str
    hedge: str | None = None
    percent: bool = False
    written: str | None = None


def plain(text: str) -> str:
    """``text`` with full-width digits folded and thousands separators and spaces removed."""
    text = strip_illegal(text)
    return text.translate(FULL_WIDTH).replace(",", "").replace("，", "").replace(" ", "").strip()


def read_typed(text: str) -> Typed | None:
    """The number a writer typed (``约3,000`` → 3000 with 约), or ``None`` when ``text`` is no number."""
    text = plain(text)
    match = RE_TYPED().match(text)
    if match is None:
        return Typed("", written=text) if RE_WORDS().match(text) else None
    qualified = match["before"] or match["after"] or match["after2"]
    written = None
    if qualified:
        written = (match["before"] or "") + match["number"] + (match["after"] or "")
        written += ("%" if match["percent"] else "") + (match["after2"] or "")
    return Typed(match["number"], match["hedge"], bool(match["percent"]), written)


def stated_growth(text: str) -> tuple[str, str, str] | None:
    """``(signed digits, unit, qualifier)`` of a stated growth (``-2.1%`` → ``('-2.1', '%', '')``), or ``None``.

    The digits are kept exactly as typed (``20.32`` stays ``20.32``); the unit is ``%``, ``个百分点``, '' or
    the unit of an absolute change (``39天``); the qualifier ``左右``/``以上`` or ''.
    """
    match = RE_GROWTH().match(plain(text))
    if match is None:
        return None
    unit = {"百分点": "个百分点"}.get(match["unit"] or "", match["unit"] or "")
    sign = "-" if match["sign"] == "-" else ""
    return sign + match["number"], unit, match["after"] or ""


def clean_growth(value: object) -> object:
    """A form's ``growth`` as stored: signed digits verbatim and the unit (``20.32%``, ``-0.5个百分点``)."""
    if isinstance(value, bool):
        raise PydanticCustomError("growth_type", "应为增长率，例如 3.9% 或 -2.1%（下降写负数）")
    if isinstance(value, int | float):
        value = repr(value).removesuffix(".0")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        found = stated_growth(text)
        if found is None:
            raise PydanticCustomError(
                "growth_type", "应为增长率，例如 3.9% 或 -2.1%（下降写负数；百分比指标写 0.25个百分点）"
            )
        return "".join(found)
    return value


def clean_number(value: object) -> object:
    """A number field as pydantic should parse it: separators and full-width digits folded, '' → ``None``."""
    if isinstance(value, bool):
        raise PydanticCustomError("number_bool", "应为数字，例如 162，而不是 true/false")
    if isinstance(value, str):
        return plain(value) or None
    return value


def split_typed_fields(data: object, *, hedge: bool = True) -> object:
    """A figure's raw fields with typed numbers split: ``value: 约3000`` → 3000 + ``hedge: 约``, ``6.6%`` → unit %.

    Without a ``hedge`` field (plan targets) the hedge stays in the written form (``约3000``).
    """
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for key in ("value", "previous", "target"):
        if key not in out:
            continue
        raw = out.get(key)
        typed = read_typed(raw) if isinstance(raw, str) else None
        if typed is None:
            continue
        out[key] = typed.number or None
        written = typed.written
        if typed.hedge and key == "value" and not hedge:
            written = typed.hedge + (written or typed.number + ("%" if typed.percent else ""))
        if key == "value" and written and not out.get("written"):
            out["written"] = written
        if typed.hedge and key == "value" and hedge and not out.get("hedge"):
            out["hedge"] = typed.hedge
        if typed.percent and not out.get("unit"):
            out["unit"] = "%"
    return out
