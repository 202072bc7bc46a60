"""The issuer's administrative level, read from its unit or title."""

from __future__ import annotations

import pytest

from drafter.text.levels import admin_level, level_distance


@pytest.mark.parametrize(
    ("unit", "title", "level"),
    [
        ("青溪区科学技术局", "", "county"),
        ("区科技局", "", "county"),
        ("浙江省杭州市西湖区科技局", "", "county"),
        ("某某县农业农村局", "", "county"),
        ("杭州高新区科技局", "", "county"),
        ("杭州市人民政府", "", "city"),
        ("湘西土家族苗族自治州人民政府", "", "city"),
        (None, "2022年杭州市政府工作报告", "city"),
        (None, "2023年北京市政府工作报告", "province"),
        (None, "2025年广西壮族自治区政府工作报告", "province"),
        ("浙江省人民政府", "", "province"),
        ("国务院", "", "national"),
        ("市场监督管理局", "", "unknown"),
        (None, "2024年政府工作报告", "unknown"),
    ],
)
def test_admin_level(unit: str | None, title: str, level: str) -> None:
    assert admin_level(unit, title) == level


def test_a_county_writer_is_closer_to_a_city_than_to_a_province() -> None:
    assert (
        level_distance("county", "county")
        < level_distance("county", "city")
        < level_distance("county", "province")
    )
