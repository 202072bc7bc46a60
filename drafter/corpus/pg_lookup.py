"""A PostgreSQL corpus's sources and scope filter, and its URL as messages show it (the PostgreSQL side of
``drafter.corpus.lookup``; finding a document by id prefix is shared from there)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from drafter.scopes import Scope


def safe_url(url: str) -> str:
    """``url`` without its password (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


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
