"""The corpus's row formats: ``Document`` ⇄ SQLite rows and summaries.

Everything here is pure (no database handle): ``corpus.py`` runs the SQL, these functions shape its rows.
Sections are stored as one JSON array per document; passages one row each (they are the retrieval units).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

from drafter.models import DocKind, DocSummary, Document, Level, Part, Passage, Section
from drafter.scopes import Scope, Visibility
from drafter.text.levels import LEVELS

SCHEMA_NAME = "drafter-corpus"
SCHEMA_VERSION = 3
"""2: documents.level (the issuer's administrative level, ``drafter.text.levels``);
3: documents.owner_unit and documents.visibility (``drafter.scopes``)."""

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS documents (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL,
        year INTEGER, years TEXT NOT NULL, unit TEXT, text TEXT NOT NULL, sections TEXT NOT NULL,
        n_passages INTEGER NOT NULL, added TEXT NOT NULL, level TEXT NOT NULL DEFAULT 'unknown',
        owner_unit TEXT NOT NULL DEFAULT '', visibility TEXT NOT NULL DEFAULT 'shared')""",
    """CREATE TABLE IF NOT EXISTS passages (
        id TEXT NOT NULL, doc_id TEXT NOT NULL, position INTEGER NOT NULL, section INTEGER NOT NULL,
        heading TEXT NOT NULL, part TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        text TEXT NOT NULL)""",
    """CREATE UNIQUE INDEX IF NOT EXISTS passages_by_doc ON passages (doc_id, position)""",
    """CREATE TABLE IF NOT EXISTS sources (
        doc_id TEXT NOT NULL, source TEXT NOT NULL, added TEXT NOT NULL, PRIMARY KEY (doc_id, source))""",
    """CREATE TABLE IF NOT EXISTS phrases (
        id INTEGER PRIMARY KEY CHECK (id = 1), bank TEXT NOT NULL, saved TEXT NOT NULL)""",
)
"""The tables of docs/internals.md; ``IF NOT EXISTS`` so two processes creating one corpus both succeed."""

DOCUMENT_COLUMNS = "id, title, source, kind, year, years, unit, text, sections, n_passages, added, level, owner_unit, visibility"
PASSAGE_COLUMNS = 'id, doc_id, position, section, heading, part, start, "end", text'
SUMMARY_COLUMNS = "id, title, source, kind, year, unit, n_passages, added, level, owner_unit, visibility"


def document_values(doc: Document, added: str) -> tuple[object, ...]:
    """The ``documents`` row of ``doc``, in ``DOCUMENT_COLUMNS`` order."""
    sections = [section_dict(s) for s in doc.sections]
    return (
        doc.id,
        doc.title,
        doc.source,
        doc.kind,
        doc.year,
        json.dumps(list(doc.years)),
        doc.unit,
        doc.text,
        json.dumps(sections, ensure_ascii=False, separators=(",", ":")),
        len(doc.passages),
        added,
        doc.level,
        doc.owner_unit,
        doc.visibility,
    )


def passage_values(passage: Passage) -> tuple[object, ...]:
    """The ``passages`` row of ``passage``, in ``PASSAGE_COLUMNS`` order."""
    return (
        passage.id,
        passage.doc_id,
        passage.position,
        passage.section,
        passage.heading,
        passage.part,
        passage.start,
        passage.end,
        passage.text,
    )


def section_dict(section: Section) -> dict[str, Any]:
    """A section as stored and exported: ``{level, number, heading, text, part, start, end}``."""
    return {
        "level": section.level,
        "number": section.number,
        "heading": section.heading,
        "text": section.text,
        "part": section.part,
        "start": section.start,
        "end": section.end,
    }


def section_from_dict(data: dict[str, Any]) -> Section:
    """The ``Section`` a stored section dict describes."""
    return Section(
        level=int(data["level"]),
        number=str(data["number"]),
        heading=str(data["heading"]),
        text=str(data["text"]),
        part=cast(Part, data["part"]),
        start=int(data["start"]),
        end=int(data["end"]),
    )


def passage_from_row(row: Sequence[Any]) -> Passage:
    """The ``Passage`` of a ``passages`` row selected with ``PASSAGE_COLUMNS``."""
    pid, doc_id, position, section, heading, part, start, end, text = row
    return Passage(
        id=pid,
        doc_id=doc_id,
        position=position,
        text=text,
        heading=heading,
        section=section,
        part=cast(Part, part),
        start=start,
        end=end,
    )


def document_from_row(row: Sequence[Any], passages: tuple[Passage, ...]) -> Document:
    """The ``Document`` of a ``documents`` row selected with ``DOCUMENT_COLUMNS``, with its passages."""
    doc_id, title, source, kind, year, years, unit, text, sections, _n, _added, level, owner, visibility = row
    return Document(
        id=doc_id,
        title=title,
        source=source,
        kind=cast(DocKind, kind),
        text=text,
        year=year,
        years=tuple(int(y) for y in json.loads(years)),
        unit=unit,
        sections=tuple(section_from_dict(s) for s in json.loads(sections)),
        passages=passages,
        level=_level(level),
        owner_unit=str(owner),
        visibility=_visibility(visibility),
    )


def summary_from_row(row: Sequence[Any], sources: tuple[str, ...]) -> DocSummary:
    """The ``DocSummary`` of a ``documents`` row selected with ``SUMMARY_COLUMNS``."""
    doc_id, title, source, kind, year, unit, n_passages, added, level, owner, visibility = row
    return DocSummary(
        id=doc_id,
        title=title,
        source=source,
        kind=cast(DocKind, kind),
        year=year,
        unit=unit,
        n_passages=n_passages,
        sources=sources or (source,),
        added=added,
        level=_level(level),
        owner_unit=str(owner),
        visibility=_visibility(visibility),
    )


def _level(value: object) -> Level:
    """A stored level (an unknown word reads as ``unknown``: rows of a newer writer stay readable)."""
    return value if value in LEVELS else "unknown"


def _visibility(value: object) -> Visibility:
    """A stored visibility; anything but ``shared`` reads as ``private`` (a newer writer's word hides, never shows)."""
    return "shared" if value == "shared" else "private"


def scope_clause(scope: Scope, table: str = "documents") -> tuple[str, tuple[str, ...]]:
    """The SQL condition (and its parameters) keeping the documents ``scope`` may see (portable SQL)."""
    if scope.unit is None:
        return "1 = 1", ()
    return f"({table}.visibility = 'shared' OR {table}.owner_unit = ?)", (scope.unit,)
