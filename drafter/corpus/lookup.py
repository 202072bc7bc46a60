"""Finding stored documents by what a user typed (an id or its prefix) and listing their sources."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import Any

from drafter.errors import NotFoundError

RE_HEX = re.compile(r"[0-9a-f]+")
MIN_PREFIX = 6


Rows = Callable[[str, tuple[str, ...]], list[tuple[Any, ...]]]
"""Runs one query (``?`` placeholders) on a store's connection and returns its rows."""


def resolve(rows: Rows, where: str, doc_id: str) -> str:
    """The full id ``doc_id`` names, exactly or as a unique prefix; ``NotFoundError`` otherwise. ``where``
    names the store in messages (``语料库 /path``, ``数据库 URL``)."""
    if rows("SELECT 1 FROM documents WHERE id = ?", (doc_id,)):
        return doc_id
    key = doc_id.strip().lower()
    if len(key) < MIN_PREFIX:
        raise NotFoundError(
            f"文档编号“{doc_id}”太短：请至少写前 {MIN_PREFIX} 位（用 drafter corpus list 查看编号）。"
        )
    found: list[str] = []
    if RE_HEX.fullmatch(key):
        # ids are lowercase hex, so every id starting with key sorts below key + "g"
        query = "SELECT id FROM documents WHERE id >= ? AND id < ? ORDER BY id LIMIT 3"
        found = [str(r[0]) for r in rows(query, (key, key + "g"))]
    if len(found) == 1:
        return found[0]
    if found:
        raise NotFoundError(
            f"文档编号“{doc_id}”对应不止一篇文档（{'、'.join(found[:2])}…）：请多写几位编号。"
        )
    raise not_found(where, doc_id)


def not_found(where: str, doc_id: str) -> NotFoundError:
    """The error for an id no document has (or none the viewer may see: the two read alike)."""
    return NotFoundError(
        f"{where} 中没有编号为“{doc_id}”的文档：请用 drafter corpus list 查看已有文档的编号。"
    )


def all_sources(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Every document's source files, first seen first."""
    grouped: dict[str, list[str]] = {}
    for doc_id, source in conn.execute("SELECT doc_id, source FROM sources ORDER BY rowid"):
        grouped.setdefault(doc_id, []).append(source)
    return {k: tuple(v) for k, v in grouped.items()}
