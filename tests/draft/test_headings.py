"""Headings filled into the shape of an opener family."""

from __future__ import annotations

import pytest

from drafter.draft.headings import heading_for
from drafter.models import OpenerFamily


@pytest.mark.parametrize(
    ("family", "theme", "result", "heading"),
    [
        (
            ("summary", "聚焦", "聚焦{X}，{Y}"),
            "企业主体培育",
            "优化科技产业生态",
            "聚焦企业主体培育，优化科技产业生态",
        ),
        (("summary", "聚焦", "聚焦{X}，{Y}"), "企业主体培育", None, "聚焦企业主体培育"),
        (("plan", "实施…工程", "实施{X}工程"), "科技企业培育", None, "实施科技企业培育工程"),
        (("plan", "实施…工程", "实施{X}工程"), "科技企业培育工程", None, "实施科技企业培育工程"),
        (("plan", "全力以赴抓好", "全力以赴抓好{X}"), "科技型企业培育", None, "全力以赴抓好科技型企业培育"),
        (
            ("plan", "全力以赴抓好", "全力以赴抓好{X}"),
            "人才引育",
            "打造人才高地",
            "全力以赴抓好人才引育，打造人才高地",
        ),
        (("summary", "聚焦", "聚焦{X}，{Y}"), "聚焦人才引育。", "增强动能。", "聚焦人才引育，增强动能"),
    ],
)
def test_headings_in_a_family_shape(
    family: tuple[str, str, str], theme: str, result: str | None, heading: str
) -> None:
    part, name, pattern = family
    assert heading_for(OpenerFamily(part, name, pattern, 1, 1), theme, result) == heading  # type: ignore[arg-type]
