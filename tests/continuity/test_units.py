"""Whose report it is, and whether two names are the same unit."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from drafter.continuity.units import same_unit, unit_of
from drafter.models import Document


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("青溪区科学技术局", "青溪区科技局", True),
        ("杭州市青溪区科学技术局", "青溪区科技局", True),
        ("区科技局", "青溪区科学技术局", False),  # a name without its place could be any district's
        ("科学技术局", "青溪区科技局", False),
        ("青溪区科技局", "青溪区文化广电旅游局", False),
        ("青溪区科技局", None, False),
    ],
)
def test_same_unit(a: str, b: str | None, same: bool) -> None:
    assert same_unit(a, b) is same


def test_the_signature_line_names_the_unit_when_the_title_does_not(
    report_doc: Callable[[str], Document],
) -> None:
    doc = report_doc(
        "2024年工作总结\n一、主要工作\n新认定高新技术企业12家。\n青溪区科学技术局\n2024年12月20日\n"
    )
    assert unit_of(doc) == "青溪区科学技术局"
