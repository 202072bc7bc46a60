"""The change log and held uploads of a PostgreSQL corpus, in its database: every web host sees one log.

The same rows and statements as the SQLite file's (``drafter.corpus.review``: its ``?`` placeholders written
as ``%s``), in tables created on first use; the log refuses ``UPDATE`` and ``DELETE`` by a trigger, as there.
A held upload's files stay in the folder of the web host that received it: accepting it on another host is
refused with a message naming the fix (review it where it was uploaded). What an earlier version kept in a
host's side file (``PgCorpus.path``) is copied in once, on that host's first use: nothing logged is lost.
"""

from __future__ import annotations

import json
import socket
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import psycopg
from psycopg_pool import PoolTimeout

from drafter.changes import Actor
from drafter.corpus.review import BatchState, HeldBatch, Review
from drafter.errors import CorpusError, DatabaseUnavailableError

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS changes (
        seq BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, address TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL)""",
    """CREATE OR REPLACE FUNCTION changes_append_only() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'the change log is append-only'; END $$""",
    """CREATE OR REPLACE TRIGGER changes_append_only BEFORE UPDATE OR DELETE ON changes
        FOR EACH ROW EXECUTE FUNCTION changes_append_only()""",
    """CREATE TABLE IF NOT EXISTS held_uploads (
        id TEXT PRIMARY KEY, folder TEXT NOT NULL, files TEXT NOT NULL, actor TEXT NOT NULL,
        address TEXT NOT NULL, added TEXT NOT NULL, state TEXT NOT NULL, decided TEXT)""",
)
REVIEW_LOCK = 0x64726166746572 + 2
"""The advisory lock under which the tables are first created (two workers at once would race)."""

_READY: weakref.WeakSet[Any] = weakref.WeakSet()
"""The pools whose database has the review tables."""


class _Connection:
    """A psycopg connection speaking the SQLite statements' ``?`` placeholders."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, query: str, params: tuple[object, ...] = ()) -> psycopg.Cursor[Any]:
        return self._conn.execute(cast(Any, query.replace("?", "%s")), params)


class PgReview(Review):
    """The change log and held uploads in the PostgreSQL database behind ``pool``."""

    def __init__(self, pool: Any, location: str, side_file: Path | None = None) -> None:
        self._pool = pool
        self._location = location
        self._side_file = side_file

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[Any]:
        try:
            with self._pool.connection() as conn:
                if self._pool not in _READY:
                    with conn.transaction():
                        conn.execute("SELECT pg_advisory_xact_lock(%s)", (REVIEW_LOCK,))
                        for statement in SCHEMA:
                            conn.execute(statement)
                        self._import_side_file(conn)
                    _READY.add(self._pool)
                if write:
                    with conn.transaction():
                        yield _Connection(conn)
                else:
                    yield _Connection(conn)
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise DatabaseUnavailableError(
                f"暂时无法连接数据库 {self._location}，修改日志无法读写：请稍后重试（数据库服务器可能正在重启）。"
            ) from exc

    def _import_side_file(self, conn: psycopg.Connection[Any]) -> None:
        """Copy the log and held uploads an earlier version kept in this host's side file, once per host."""
        side = self._side_file
        if side is None or not side.is_file():
            return
        key = f"review_imported:{socket.gethostname()}:{side}"
        if not conn.execute(
            "INSERT INTO meta (key, value) VALUES (%s, 'yes') ON CONFLICT (key) DO NOTHING RETURNING key",
            (key,),
        ).fetchone():
            return
        old = Review(side)
        for change in reversed(old.log()):
            conn.execute(
                "INSERT INTO changes (at, actor, address, action, target, detail) VALUES (%s, %s, %s, %s, %s, %s)",
                (change.at, change.actor, change.address, change.action, change.target, change.detail),
            )
        for batch in old.batches(None):
            conn.execute(
                "INSERT INTO held_uploads (id, folder, files, actor, address, added, state) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (batch.id, str(batch.folder), json.dumps(list(batch.files), ensure_ascii=False),
                 batch.actor, batch.address, batch.added, batch.state),
            )  # fmt: skip

    def _rows(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._connection(write=False) as conn:
            return [tuple(r) for r in conn.execute(query, params).fetchall()]

    def decide(self, batch_id: str, state: BatchState, actor: Actor, detail: str = "") -> HeldBatch:
        """As ``Review.decide``; accepting needs the batch's files, on the host that received them."""
        batch = self.batch(batch_id)
        if state == "accepted" and batch.state == "pending" and not batch.folder.is_dir():
            raise CorpusError(
                f"上传批次 {batch.id} 的文件保存在接收它的那台 Web 服务器上，不在本机："
                "请在那台服务器的管理页（或那台服务器上用 drafter corpus accept）审核。"
            )
        return super().decide(batch_id, state, actor, detail)
