"""Where units, accounts and sessions are kept: the ``AccountStore`` protocol and its SQLite implementation.

The tables live in the corpus database (created on first write, so a read-only corpus can still be read and
an older corpus gains them); this module never creates the database file itself. The SQL is plain (no SQLite-only syntax but the placeholders) so a PostgreSQL
store can follow the same statements. A session's token is never stored: only its SHA-256.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, cast

from drafter.accounts.model import Account, Role, SessionRow, Unit
from drafter.errors import CorpusError
from drafter.scopes import Visibility
from drafter.sqlite_tables import side_tables

LOCK_TIMEOUT = 60.0

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS units (
        name TEXT PRIMARY KEY, default_visibility TEXT NOT NULL DEFAULT 'private', created TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS accounts (
        name TEXT PRIMARY KEY, unit TEXT NOT NULL, role TEXT NOT NULL, password TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0, locked_until BIGINT NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY, account TEXT NOT NULL, created BIGINT NOT NULL, last_seen BIGINT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS sessions_by_account ON sessions (account)""",
)


class AccountStore(Protocol):
    """What the account service needs from a database (SQLite here; PostgreSQL alike)."""

    def has_accounts(self) -> bool: ...
    def units(self) -> list[Unit]: ...
    def add_unit(self, unit: Unit) -> bool: ...
    def remove_unit(self, name: str) -> bool: ...
    def accounts(self) -> list[Account]: ...
    def account(self, name: str) -> tuple[Account, str] | None: ...
    def add_account(self, account: Account, password_hash: str) -> bool: ...
    def set_password(self, name: str, password_hash: str) -> bool: ...
    def set_disabled(self, name: str, disabled: bool) -> bool: ...
    def lock_state(self, name: str) -> tuple[int, int]: ...
    def set_lock_state(self, name: str, failures: int, locked_until: int) -> None: ...
    def add_session(self, session: SessionRow) -> None: ...
    def session(self, token_hash: str) -> tuple[SessionRow, Account] | None: ...
    def touch_session(self, token_hash: str, now: int) -> None: ...
    def end_sessions(self, *, token_hash: str | None = None, account: str | None = None) -> int: ...
    def end_stale_sessions(self, idle_before: int, created_before: int) -> int: ...


class SqlAccounts:
    """The statements every account store runs, in plain SQL with ``?`` placeholders; a store supplies
    ``_rows`` (a read) and ``_change`` (a write, returning the rows changed)."""

    def _rows(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _change(self, query: str, params: tuple[object, ...]) -> int:
        raise NotImplementedError

    # --- units and accounts ----------------------------------------------------------------------------
    def has_accounts(self) -> bool:
        return bool(self._rows("SELECT 1 FROM accounts LIMIT 1"))

    def units(self) -> list[Unit]:
        rows = self._rows("SELECT name, default_visibility, created FROM units ORDER BY name")
        return [Unit(str(n), cast(Visibility, v), str(c)) for n, v, c in rows]

    def add_unit(self, unit: Unit) -> bool:
        query = (
            "INSERT INTO units (name, default_visibility, created) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
        )
        return self._change(query, (unit.name, unit.default_visibility, unit.created)) == 1

    def remove_unit(self, name: str) -> bool:
        return self._change("DELETE FROM units WHERE name = ?", (name,)) == 1

    def accounts(self) -> list[Account]:
        rows = self._rows("SELECT name, unit, role, disabled, created FROM accounts ORDER BY name")
        return [_account(r) for r in rows]

    def account(self, name: str) -> tuple[Account, str] | None:
        rows = self._rows(
            "SELECT name, unit, role, disabled, created, password FROM accounts WHERE name = ?", (name,)
        )
        return (_account(rows[0][:5]), str(rows[0][5])) if rows else None

    def add_account(self, account: Account, password_hash: str) -> bool:
        query = (
            "INSERT INTO accounts (name, unit, role, password, disabled, created) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING"
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
        query = "UPDATE accounts SET password = ?, failures = 0, locked_until = 0 WHERE name = ?"
        return self._change(query, (password_hash, name)) == 1

    def set_disabled(self, name: str, disabled: bool) -> bool:
        return self._change("UPDATE accounts SET disabled = ? WHERE name = ?", (int(disabled), name)) == 1

    def lock_state(self, name: str) -> tuple[int, int]:
        rows = self._rows("SELECT failures, locked_until FROM accounts WHERE name = ?", (name,))
        return (int(rows[0][0]), int(rows[0][1])) if rows else (0, 0)

    def set_lock_state(self, name: str, failures: int, locked_until: int) -> None:
        query = "UPDATE accounts SET failures = ?, locked_until = ? WHERE name = ?"
        self._change(query, (failures, locked_until, name))

    # --- sessions --------------------------------------------------------------------------------------
    def add_session(self, session: SessionRow) -> None:
        self._change(
            "INSERT INTO sessions (token_hash, account, created, last_seen) VALUES (?, ?, ?, ?)",
            (session.token_hash, session.account, session.created, session.last_seen),
        )

    def session(self, token_hash: str) -> tuple[SessionRow, Account] | None:
        rows = self._rows(
            "SELECT s.token_hash, s.account, s.created, s.last_seen, a.name, a.unit, a.role, a.disabled, a.created "
            "FROM sessions s JOIN accounts a ON a.name = s.account WHERE s.token_hash = ?",
            (token_hash,),
        )
        if not rows:
            return None
        row = rows[0]
        return SessionRow(str(row[0]), str(row[1]), int(row[2]), int(row[3])), _account(row[4:])

    def touch_session(self, token_hash: str, now: int) -> None:
        self._change("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (now, token_hash))

    def end_sessions(self, *, token_hash: str | None = None, account: str | None = None) -> int:
        if token_hash is not None:
            return self._change("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))
        return self._change("DELETE FROM sessions WHERE account = ?", (account,))

    def end_stale_sessions(self, idle_before: int, created_before: int) -> int:
        query = "DELETE FROM sessions WHERE last_seen < ? OR created < ?"
        return self._change(query, (idle_before, created_before))


class SqliteAccounts(SqlAccounts):
    """The account tables of the SQLite corpus file at ``path``."""

    def __init__(self, path: Path, *, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self._timeout = timeout

    def _connection(self, *, write: bool) -> AbstractContextManager[sqlite3.Connection]:
        # mode=rw: never creates the file (the corpus is made whole by its own opener, not here)
        uri = f"{self.path.resolve().as_uri()}?mode=rw"
        return side_tables(
            lambda: sqlite3.connect(uri, uri=True, timeout=self._timeout, isolation_level=None),
            SCHEMA,
            self._error,
            write=write,
        )

    def _error(self, exc: sqlite3.DatabaseError) -> Exception:
        return CorpusError(
            f"无法读写语料库 {self.path} 中的账号（{exc}）：请检查该文件的读写权限和磁盘空间。"
        )

    def _rows(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        if not self.path.exists():  # no corpus yet: no account either
            return []
        with self._connection(write=False) as conn:
            try:
                return list(conn.execute(query, params))
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):  # no account was ever set up in this corpus
                    return []
                raise

    def _change(self, query: str, params: tuple[object, ...]) -> int:
        with self._connection(write=True) as conn:
            return int(conn.execute(query, params).rowcount)


def _account(row: tuple[Any, ...]) -> Account:
    name, unit, role, disabled, created = row
    return Account(
        str(name),
        str(unit),
        cast(Role, role if role in ("writer", "admin") else "writer"),
        bool(disabled),
        str(created),
    )
