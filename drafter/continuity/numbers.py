"""Numbers and units as report text writes them: the patterns of a number (``1,200``, ``4.22``, an OCR
slip ``IOO``) and of a unit (``家``, ``万人次``, ``亿元``, ``%``), and the value of a number as written."""

from __future__ import annotations

import re

from drafter.text.quantities import MEASURE_WORDS, SCALES

NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
"""A number as written: digits with an optional decimal part and thousands separators."""
OCR_NUMBER = r"(?:L(?=\d)|[IO](?=[\dIOo.]))[\dIOo]*(?:\.[\dIOo]+)?|\d+[IOo][\dIOo]*(?:\.[\dIOo]+)?"
"""A number as a scan misreads it: ``IOO`` (100), ``L75`` (1.75), ``2O`` (20)."""
UNIT = (
    r"(?:(?:"
    + "|".join(SCALES)
    + r")?(?:"
    + "|".join(re.escape(u) for u in MEASURE_WORDS if u != "%")
    + r"))"
    r"|%|％"
)
"""A unit a figure is stated in: a measure word with its scale (``万人次``, ``亿元``), or ``%``."""
OCR_DIGITS = str.maketrans({"I": "1", "O": "0", "o": "0", "l": "1"})


def read_number(text: str) -> float | None:
    """The value of a number as written (``1,200``, ``4.22``, OCR ``IOO``, ``L75``), or ``None``."""
    text = text.replace(",", "")
    if text.startswith("L"):
        text = "1." + text[1:]
    text = text.translate(OCR_DIGITS)
    try:
        return float(text)
    except ValueError:
        return None
