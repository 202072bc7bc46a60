"""Shared character patterns: file names a file system accepts, years, CJK runs."""

from __future__ import annotations

import pytest

from drafter.text.chars import MAX_FILENAME_BYTES, RE_YEAR, safe_filename


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("青溪区科学技术局2025年工作总结", "青溪区科学技术局2025年工作总结"),
        ('a/b\\c:d*e?f"g<h>i|j', "abcdefghij"),
        ("  .隐藏.  ", "隐藏"),
        ("控制\x00字符\x1f", "控制字符"),
    ],
)
def test_file_names_lose_only_what_file_systems_refuse(raw: str, expected: str) -> None:
    assert safe_filename(raw) == expected


def test_a_long_chinese_name_is_cut_on_a_character_boundary_within_255_bytes() -> None:
    name = safe_filename("科" * 200)
    assert len(name.encode("utf-8")) <= MAX_FILENAME_BYTES
    assert name == "科" * (MAX_FILENAME_BYTES // 3)


def test_years_are_read_with_or_without_a_space() -> None:
    assert RE_YEAR.findall("2024年工作总结及2025 年工作思路") == ["2024", "2025"]
    assert RE_YEAR.findall("12025年") == []
