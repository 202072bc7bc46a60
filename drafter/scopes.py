"""Who sees which documents: the viewer's scope (part of the ground, shared by every store and search).

A document belongs to ``owner_unit`` ('' for the common corpus: the bundled samples and what the administrator
ingests) and is ``shared`` city-wide or ``private`` to its unit. A viewer's ``Scope`` names their unit; the
administrator, and the single-PC mode without accounts, see everything (``Scope(None)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Visibility = Literal["shared", "private"]
VISIBILITIES: tuple[Visibility, ...] = get_args(Visibility)
VISIBILITY_NAMES: dict[str, str] = {"shared": "全市共享", "private": "仅本单位"}
COMMON_UNIT = ""
"""The owner of the common corpus (bundled samples, documents the administrator ingests)."""


@dataclass(frozen=True)
class Scope:
    """The documents a viewer may see: every one when ``unit`` is None (administrator, single-PC mode);
    else the shared ones, the common corpus and ``unit``'s own private ones."""

    unit: str | None = None

    @property
    def sees_all(self) -> bool:
        """Whether nothing is hidden from this viewer."""
        return self.unit is None

    def visible(self, owner_unit: str, visibility: str) -> bool:
        """Whether a document owned by ``owner_unit`` with ``visibility`` is visible to this viewer."""
        return self.unit is None or visibility != "private" or owner_unit == self.unit


EVERYTHING = Scope(None)
"""The administrator's scope (and the single-PC mode's)."""


@dataclass(frozen=True)
class Owner:
    """Where a new document goes: its unit ('' = common corpus) and whether it is shared or private."""

    unit: str = COMMON_UNIT
    visibility: Visibility = "shared"


COMMON = Owner()
