"""Field paths, as the messages name a field of the form."""

from __future__ import annotations

import pytest

from drafter.errors import field_loc, field_path


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        (("unit",), "unit"),
        (("figures", 2, "value"), "figures[2].value"),
        (("plans", 0, "targets", 1), "plans[0].targets[1]"),
    ],
)
def test_field_paths_read_both_ways(loc: tuple[int | str, ...], path: str) -> None:
    assert field_path(loc) == path
    assert field_loc(path) == loc
