"""Chinese numerals as the reports number their parts, sections and items."""

from __future__ import annotations

import pytest

from drafter.text.numerals import chinese_to_int, int_to_chinese

NUMERALS = [
    (1, "一"),
    (2, "二"),
    (9, "九"),
    (10, "十"),
    (11, "十一"),
    (19, "十九"),
    (20, "二十"),
    (37, "三十七"),
    (99, "九十九"),
    (100, "一百"),
    (101, "一百零一"),
    (110, "一百一十"),
    (123, "一百二十三"),
    (999, "九百九十九"),
]


@pytest.mark.parametrize(("n", "text"), NUMERALS)
def test_numbers_are_written_as_headings_number_them(n: int, text: str) -> None:
    assert int_to_chinese(n) == text


@pytest.mark.parametrize(("n", "text"), NUMERALS)
def test_numerals_read_back(n: int, text: str) -> None:
    assert chinese_to_int(text) == n


@pytest.mark.parametrize("n", [0, 1000, -1])
def test_numbering_out_of_range_is_a_bug(n: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        int_to_chinese(n)


@pytest.mark.parametrize("text", ["", "十x", "abc"])
def test_non_numerals_are_none(text: str) -> None:
    assert chinese_to_int(text) is None
