"""What the index keeps of each document for its hits, and its JSON form in the saved index."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from drafter.models import DOC_KINDS, DocKind, Level
from drafter.scopes import Scope
from drafter.text.levels import LEVELS


@dataclass(frozen=True)
class DocMeta:
    """What a hit shows of its document: title, source file, kind, year, unit and every file it was seen in."""

    title: str
    source: str
    kind: DocKind = "other"
    year: int | None = None
    unit: str | None = None
    sources: tuple[str, ...] = ()
    level: Level = "unknown"
    owner_unit: str = ""
    visibility: str = "shared"
    """Who may see it (``drafter.scopes``); a search's ``filters.scope`` keeps the others out of the ranking."""


def meta_row(meta: DocMeta) -> dict[str, Any]:
    """``meta`` as a JSON object."""
    return {
        "title": meta.title,
        "source": meta.source,
        "kind": meta.kind,
        "year": meta.year,
        "unit": meta.unit,
        "sources": list(meta.sources),
        "level": meta.level,
        "owner_unit": meta.owner_unit,
        "visibility": meta.visibility,
    }


def meta_from_row(row: dict[str, Any]) -> DocMeta:
    """The ``DocMeta`` written by ``meta_row`` (an unknown kind makes the file unusable: ``ValueError``)."""
    kind = row["kind"]
    if kind not in DOC_KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    year = row["year"]
    return DocMeta(
        title=str(row["title"]),
        source=str(row["source"]),
        kind=kind,
        year=int(year) if year is not None else None,
        unit=row["unit"],
        sources=tuple(row["sources"]),
        level=row.get("level", "unknown") if row.get("level") in LEVELS else "unknown",
        owner_unit=str(row.get("owner_unit", "")),
        visibility="shared" if row.get("visibility", "shared") == "shared" else "private",
    )


def visible_docs(docs: Sequence[tuple[str, DocMeta]], scope: Scope) -> NDArray[np.bool_]:
    """Which of ``docs`` the viewer's ``scope`` may see, as a mask in their order."""
    return np.array([scope.visible(m.owner_unit, m.visibility) for _, m in docs], dtype=np.bool_)
