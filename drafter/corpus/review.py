"""Who changed the corpus: the append-only change log, and uploads waiting for an administrator's review.

Both are tables of the corpus file itself (created on first write, so an older corpus gains them and a
read-only one can still be read). The log refuses ``UPDATE`` and ``DELETE`` by triggers: a row once written
stays. A held upload batch names its folder beside the corpus and its files; accepting it is the app's work
(it ingests the files), this module only records the decision.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from drafter.changes import ACTION_NAMES, Actor
from drafter.corpus.files import corpus_error
from drafter.errors import CorpusError, NotFoundError
from drafter.sqlite_tables import side_tables

LOCK_TIMEOUT = 60.0
BatchState = Literal["pending", "accepted", "rejected"]

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, address TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL)""",
    """CREATE TRIGGER IF NOT EXISTS changes_no_update BEFORE UPDATE ON changes
        BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS changes_no_delete BEFORE DELETE ON changes
        BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END""",
    """CREATE TABLE IF NOT EXISTS held_uploads (
        id TEXT PRIMARY KEY, folder TEXT NOT NULL, files TEXT NOT NULL, actor TEXT NOT NULL,
        address TEXT NOT NULL, added TEXT NOT NULL, state TEXT NOT NULL, decided TEXT)""",
)
"""The review tables; ``IF NOT EXISTS`` so every opener may lay them out."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Change:
    """One row of the change log."""

    seq: int
    at: str
    actor: str
    address: str
    action: str
    target: str
    detail: str

    def line(self) -> str:
        """The row as one line of ``drafter corpus log``."""
        action = ACTION_NAMES.get(self.action, self.action)
        return f"{self.at}  {self.actor}@{self.address}  {action}  {self.target}  {self.detail}"

    def as_dict(self) -> dict[str, Any]:
        """The row as a JSON-ready dict (``corpus log --json``)."""
        return {
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "address": self.address,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class HeldBatch:
    """An upload batch and its review state."""

    id: str
    folder: Path
    files: tuple[str, ...]
    actor: str
    address: str
    added: str
    state: BatchState

    def paths(self) -> list[Path]:
        """The batch's files on disk."""
        return [self.folder / name for name in self.files]

    def line(self) -> str:
        """The batch as one line of ``drafter corpus pending``."""
        return f"{self.id}  {self.added}  {self.actor}@{self.address}  {'、'.join(self.files)}"

    def as_dict(self) -> dict[str, Any]:
        """The batch as a JSON-ready dict (``corpus pending --json``); the server folder stays private."""
        return {
            "id": self.id,
            "files": list(self.files),
            "actor": self.actor,
            "address": self.address,
            "added": self.added,
            "state": self.state,
        }


class Review:
    """The change log and the held uploads of the corpus file at ``path``."""

    def __init__(self, path: Path, *, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self._timeout = timeout

    def _connection(self, *, write: bool) -> AbstractContextManager[sqlite3.Connection]:
        return side_tables(
            lambda: sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None),
            SCHEMA,
            self._error,
            write=write,
        )

    def _error(self, exc: sqlite3.DatabaseError) -> Exception:
        error = corpus_error(self.path, exc, self._timeout)
        return error if error is not None else exc

    def _rows(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._connection(write=False) as conn:
            try:
                return list(conn.execute(query, params))
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):  # a corpus no change was ever recorded in
                    return []
                raise

    # --- the log ---------------------------------------------------------------------------------------
    @staticmethod
    def _record(conn: sqlite3.Connection, actor: Actor, action: str, target: str, detail: str) -> None:
        conn.execute(
            "INSERT INTO changes (at, actor, address, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (_now(), actor.name, actor.address, action, target, detail),
        )

    def record(self, actor: Actor, action: str, target: str, detail: str = "") -> None:
        """Append one change to the log."""
        with self._connection(write=True) as conn:
            self._record(conn, actor, action, target, detail)

    def log(self, limit: int | None = None) -> list[Change]:
        """The logged changes, newest first (at most ``limit``)."""
        query = "SELECT seq, at, actor, address, action, target, detail FROM changes ORDER BY seq DESC"
        rows = self._rows(query + (" LIMIT ?" if limit else ""), (limit,) if limit else ())
        return [Change(int(r[0]), *(str(v) for v in r[1:])) for r in rows]

    # --- held uploads ----------------------------------------------------------------------------------
    def hold(self, folder: Path, files: list[str], actor: Actor) -> HeldBatch:
        """Record an upload batch awaiting review (and log it)."""
        batch = HeldBatch(
            secrets.token_hex(4), folder, tuple(files), actor.name, actor.address, _now(), "pending"
        )
        with self._connection(write=True) as conn:
            conn.execute(
                "INSERT INTO held_uploads (id, folder, files, actor, address, added, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    batch.id,
                    str(folder),
                    json.dumps(files, ensure_ascii=False),
                    *(actor.name, actor.address),
                    batch.added,
                    batch.state,
                ),
            )
            self._record(conn, actor, "hold", batch.id, "、".join(files))
        return batch

    def batches(self, state: BatchState | None = "pending") -> list[HeldBatch]:
        """The held batches in ``state`` (every batch for None), oldest first."""
        query = "SELECT id, folder, files, actor, address, added, state FROM held_uploads"
        params: tuple[object, ...] = ()
        if state is not None:
            query += " WHERE state = ?"
            params = (state,)
        return [_batch(r) for r in self._rows(query + " ORDER BY added, id", params)]

    def batch(self, batch_id: str) -> HeldBatch:
        """The held batch ``batch_id`` (``NotFoundError`` when there is none)."""
        rows = self._rows(
            "SELECT id, folder, files, actor, address, added, state FROM held_uploads WHERE id = ?",
            (batch_id.strip().lower(),),
        )
        if not rows:
            raise NotFoundError(
                f"没有编号为“{batch_id}”的待审上传：请用 drafter corpus pending 查看待审列表。"
            )
        return _batch(rows[0])

    def decide(self, batch_id: str, state: BatchState, actor: Actor, detail: str = "") -> HeldBatch:
        """Mark a pending batch accepted or rejected (and log it); a decided batch cannot change again."""
        batch = self.batch(batch_id)
        with self._connection(write=True) as conn:
            updated = conn.execute(
                "UPDATE held_uploads SET state = ?, decided = ? WHERE id = ? AND state = 'pending'",
                (state, _now(), batch.id),
            ).rowcount
            if not updated:
                raise CorpusError(f"上传批次 {batch.id} 已经审核过（{batch.state}），不能再改。")
            self._record(conn, actor, "accept" if state == "accepted" else "reject", batch.id, detail)
        return HeldBatch(batch.id, batch.folder, batch.files, batch.actor, batch.address, batch.added, state)


def _batch(row: tuple[Any, ...]) -> HeldBatch:
    files = tuple(str(f) for f in json.loads(row[2]))
    return HeldBatch(str(row[0]), Path(row[1]), files, str(row[3]), str(row[4]), str(row[5]), row[6])
