"""Whose report it is: the issuing unit from the title, the first lines or the signature line, and
whether two names are the same unit (``区科技局`` and ``青溪区科学技术局``)."""

from __future__ import annotations

import re

from drafter.models import Document
from drafter.text.chars import lazy_pattern

RE_SIGNATURE_UNIT = lazy_pattern(
    r"^[\u4e00-\u9fff（）()]{2,30}?(?:人民政府|政府|委员会|管委会|办公室|局|委|中心|科协|办)(?:[（(][\u4e00-\u9fff]{1,8}[)）])?$"
)
RE_PLACED = re.compile(r"^[\u4e00-\u9fff]{2,}?(?:省|自治区|市|区|县|旗|州|镇|乡)")
"""A unit name that starts with its place (青溪区…), so that it names one unit only."""
SIGNATURE_LINES = 6
"""How many lines from the end of a report the signature (落款) is looked for."""
SHORT_NAMES = (
    ("科学技术局", "科技局"),
    ("科学技术委员会", "科委"),
    ("人力资源和社会保障局", "人社局"),
    ("文化广电旅游局", "文旅局"),
    ("文化和旅游局", "文旅局"),
    ("农业农村局", "农业农村局"),
    ("发展和改革委员会", "发改委"),
    ("人民政府", "政府"),
)


def unit_of(doc: Document) -> str | None:
    """The unit that issued ``doc``: its signature line (落款) when that names it in full, else as ingest
    read it from the title or the first lines."""
    lines = [line.strip() for line in doc.text.strip().split("\n")[-SIGNATURE_LINES:]]
    signature = next((line for line in reversed(lines) if RE_SIGNATURE_UNIT().match(line)), None)
    if signature and (not doc.unit or short_unit(signature).endswith(short_unit(doc.unit))):
        return signature
    return doc.unit


def short_unit(name: str) -> str:
    """The name with its usual abbreviations and without spaces or brackets: 青溪区科学技术局 → 青溪区科技局."""
    out = re.sub(r"\s|[（(][^）)]*[）)]", "", name)
    for long, short in SHORT_NAMES:
        out = out.replace(long, short)
    return out


def same_unit(a: str | None, b: str | None) -> bool:
    """True when two names are the same unit: equal once shortened, or the shorter one, naming its place,
    ending the longer (``青溪区科技局`` and ``杭州市青溪区科学技术局``). A name without its place (``区科技局``,
    ``科学技术局``) matches only itself."""
    if not a or not b:
        return False
    x, y = sorted((short_unit(a), short_unit(b)), key=len)
    return x == y or (RE_PLACED.match(x) is not None and y.endswith(x))
