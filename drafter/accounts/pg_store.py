"""Units, accounts and sessions in the PostgreSQL corpus database: ``AccountStore`` over a psycopg pool.

The same tables and statements as the SQLite store (``SqlAccounts``, its ``?`` placeholders written as
``%s``; the tables created on first use), so every web worker on one database sees the same accounts and
sessions; a session's token is never stored, only its SHA-256. A lost server becomes ``DatabaseUnavailableError`` (the web answers 503).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import psycopg
from psycopg_pool import PoolTimeout

from drafter.accounts.store import SCHEMA, SqlAccounts
from drafter.errors import DatabaseUnavailableError

_READY: weakref.WeakSet[Any] = weakref.WeakSet()
"""The pools whose database has the account tables (a store is made per request: the check is not)."""


class PgAccounts(SqlAccounts):
    """The account tables of the PostgreSQL database behind ``pool`` (a ``psycopg_pool.ConnectionPool``)."""

    def __init__(self, pool: Any, location: str) -> None:
        self._pool = pool
        self._location = location

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            with self._pool.connection() as conn:
                if self._pool not in _READY:
                    with conn.transaction():
                        for statement in SCHEMA:
                            conn.execute(statement)
                    _READY.add(self._pool)
                yield conn
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise DatabaseUnavailableError(
                f"暂时无法连接数据库 {self._location}，账号无法核对：请稍后重试（数据库服务器可能正在重启）。"
            ) from exc

    def _rows(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._conn() as conn:
            return [tuple(r) for r in conn.execute(cast(Any, query.replace("?", "%s")), params).fetchall()]

    def _change(self, query: str, params: tuple[object, ...]) -> int:
        with self._conn() as conn:
            return int(conn.execute(cast(Any, query.replace("?", "%s")), params).rowcount)
