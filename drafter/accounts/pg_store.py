"""Units, accounts and sessions in the PostgreSQL corpus database: ``AccountStore`` over a psycopg pool.

The same tables and statements as ``drafter.accounts.store.SqliteAccounts`` (created on first use), so every
web worker on one database sees the same accounts and sessions; a session's token is never stored, only its
SHA-256. A lost server becomes ``DatabaseUnavailableError`` (the web answers 503).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import psycopg
from psycopg_pool import PoolTimeout

from drafter.accounts.model import Account, SessionRow, Unit
from drafter.accounts.store import SCHEMA
from drafter.accounts.store import _account as account_from_row
from drafter.errors import DatabaseUnavailableError
from drafter.scopes import Visibility


class PgAccounts:
    """The account tables of the PostgreSQL database behind ``pool`` (a ``psycopg_pool.ConnectionPool``)."""

    def __init__(self, pool: Any, location: str) -> None:
        self._pool = pool
        self._location = location
        self._ready = False

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            with self._pool.connection() as conn:
                if not self._ready:
                    with conn.transaction():
                        for statement in SCHEMA:
                            conn.execute(statement)
                    self._ready = True
                yield conn
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise DatabaseUnavailableError(
                f"暂时无法连接数据库 {self._location}，账号无法核对：请稍后重试（数据库服务器可能正在重启）。"
            ) from exc

    def _rows(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._conn() as conn:
            return [tuple(r) for r in conn.execute(cast(Any, query), params).fetchall()]

    def _change(self, query: str, params: tuple[object, ...]) -> int:
        with self._conn() as conn:
            return int(conn.execute(cast(Any, query), params).rowcount)

    def has_accounts(self) -> bool:
        return bool(self._rows("SELECT 1 FROM accounts LIMIT 1"))

    def units(self) -> list[Unit]:
        rows = self._rows("SELECT name, default_visibility, created FROM units ORDER BY name")
        return [Unit(str(n), cast(Visibility, v), str(c)) for n, v, c in rows]

    def add_unit(self, unit: Unit) -> bool:
        query = (
            "INSERT INTO units (name, default_visibility, created) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
        )
        return self._change(query, (unit.name, unit.default_visibility, unit.created)) == 1

    def remove_unit(self, name: str) -> bool:
        return self._change("DELETE FROM units WHERE name = %s", (name,)) == 1

    def accounts(self) -> list[Account]:
        rows = self._rows("SELECT name, unit, role, disabled, created FROM accounts ORDER BY name")
        return [account_from_row(r) for r in rows]

    def account(self, name: str) -> tuple[Account, str] | None:
        rows = self._rows(
            "SELECT name, unit, role, disabled, created, password FROM accounts WHERE name = %s", (name,)
        )
        return (account_from_row(rows[0][:5]), str(rows[0][5])) if rows else None

    def add_account(self, account: Account, password_hash: str) -> bool:
        query = (
            "INSERT INTO accounts (name, unit, role, password, disabled, created) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
        )
        values = (
            account.name,
            account.unit,
            account.role,
            password_hash,
            int(account.disabled),
            account.created,
        )
        return self._change(query, values) == 1

    def set_password(self, name: str, password_hash: str) -> bool:
        query = "UPDATE accounts SET password = %s, failures = 0, locked_until = 0 WHERE name = %s"
        return self._change(query, (password_hash, name)) == 1

    def set_disabled(self, name: str, disabled: bool) -> bool:
        return self._change("UPDATE accounts SET disabled = %s WHERE name = %s", (int(disabled), name)) == 1

    def lock_state(self, name: str) -> tuple[int, int]:
        rows = self._rows("SELECT failures, locked_until FROM accounts WHERE name = %s", (name,))
        return (int(rows[0][0]), int(rows[0][1])) if rows else (0, 0)

    def set_lock_state(self, name: str, failures: int, locked_until: int) -> None:
        query = "UPDATE accounts SET failures = %s, locked_until = %s WHERE name = %s"
        self._change(query, (failures, locked_until, name))

    def add_session(self, session: SessionRow) -> None:
        self._change(
            "INSERT INTO sessions (token_hash, account, created, last_seen) VALUES (%s, %s, %s, %s)",
            (session.token_hash, session.account, session.created, session.last_seen),
        )

    def session(self, token_hash: str) -> tuple[SessionRow, Account] | None:
        rows = self._rows(
            "SELECT s.token_hash, s.account, s.created, s.last_seen, a.name, a.unit, a.role, a.disabled, a.created "
            "FROM sessions s JOIN accounts a ON a.name = s.account WHERE s.token_hash = %s",
            (token_hash,),
        )
        if not rows:
            return None
        row = rows[0]
        return SessionRow(str(row[0]), str(row[1]), int(row[2]), int(row[3])), account_from_row(row[4:])

    def touch_session(self, token_hash: str, now: int) -> None:
        self._change("UPDATE sessions SET last_seen = %s WHERE token_hash = %s", (now, token_hash))

    def end_sessions(self, *, token_hash: str | None = None, account: str | None = None) -> int:
        if token_hash is not None:
            return self._change("DELETE FROM sessions WHERE token_hash = %s", (token_hash,))
        return self._change("DELETE FROM sessions WHERE account = %s", (account,))

    def end_stale_sessions(self, idle_before: int, created_before: int) -> int:
        return self._change(
            "DELETE FROM sessions WHERE last_seen < %s OR created < %s", (idle_before, created_before)
        )
