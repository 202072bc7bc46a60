"""Finding documents in a PostgreSQL corpus by what a user typed, listing their sources, and the scope filter
(the PostgreSQL side of ``drafter.corpus.lookup``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from drafter.corpus.lookup import MIN_PREFIX, RE_HEX
from drafter.errors import NotFoundError
from drafter.scopes import Scope


def safe_url(url: str) -> str:
    """``url`` without its password (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def pg_not_found(location: str, doc_id: str) -> NotFoundError:
    """The error for an id no document has (or none the viewer may see: the two read alike)."""
    return NotFoundError(
        f"数据库 {location} 中没有编号为“{doc_id}”的文档：请用 drafter corpus list 查看已有文档的编号。"
    )


def pg_resolve(conn: psycopg.Connection[Any], location: str, doc_id: str) -> str:
    """The full id ``doc_id`` names, exactly or as a unique prefix; ``NotFoundError`` otherwise."""
    if conn.execute("SELECT 1 FROM documents WHERE id = %s", (doc_id,)).fetchone():
        return doc_id
    key = doc_id.strip().lower()
    if len(key) < MIN_PREFIX:
        raise NotFoundError(
            f"文档编号“{doc_id}”太短：请至少写前 {MIN_PREFIX} 位（用 drafter corpus list 查看编号）。"
        )
    found: list[str] = []
    if RE_HEX.fullmatch(key):
        rows = conn.execute(
            "SELECT id FROM documents WHERE id >= %s AND id < %s ORDER BY id LIMIT 3", (key, key + "g")
        ).fetchall()
        found = [str(r[0]) for r in rows]
    if len(found) == 1:
        return found[0]
    if found:
        raise NotFoundError(
            f"文档编号“{doc_id}”对应不止一篇文档（{'、'.join(found[:2])}…）：请多写几位编号。"
        )
    raise pg_not_found(location, doc_id)


def pg_all_sources(conn: psycopg.Connection[Any]) -> dict[str, tuple[str, ...]]:
    """Every document's source files, first seen first."""
    grouped: dict[str, list[str]] = {}
    for doc_id, source in conn.execute("SELECT doc_id, source FROM sources ORDER BY seq").fetchall():
        grouped.setdefault(doc_id, []).append(source)
    return {k: tuple(v) for k, v in grouped.items()}


def pg_scope_clause(scope: Scope, table: str = "documents") -> tuple[str, tuple[str, ...]]:
    """The SQL condition (and its parameters) keeping the documents ``scope`` may see."""
    if scope.unit is None:
        return "TRUE", ()
    return f"({table}.visibility = 'shared' OR {table}.owner_unit = %s)", (scope.unit,)
