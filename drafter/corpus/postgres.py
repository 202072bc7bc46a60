"""The corpus in a PostgreSQL database: the same contract as the SQLite file, shared by many web workers.

A connection pool (psycopg_pool) hands each call a connection, unchecked (a check would cost a round trip
per call); when a call meets a lost connection (a restart), every idle connection is checked at once and
the dead ones replaced, so the next calls find live ones. One transaction per document: the document row is inserted
with ``ON CONFLICT DO NOTHING`` first, so two ingests of the same file store one copy (the second waits for
the first's row and then only adds its source), and a killed ingest leaves every earlier document whole.
The fingerprint lives in ``meta`` like the SQLite file's, updated in each document's transaction.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import psycopg
from psycopg_pool import PoolTimeout

from drafter.corpus.lookup import not_found, resolve
from drafter.corpus.pg_lookup import pg_all_sources, pg_scope_clause, safe_url
from drafter.corpus.pg_pool import STATE_SQL, Pool, fingerprint_of
from drafter.corpus.pg_review import PgReview
from drafter.corpus.pg_schema import SCHEMA_NAME, SCHEMA_VERSION, migrate
from drafter.corpus.review import Review
from drafter.corpus.rows import (
    DOCUMENT_COLUMNS,
    PASSAGE_COLUMNS,
    SUMMARY_COLUMNS,
    document_from_row,
    document_values,
    passage_from_row,
    passage_values,
    summary_from_row,
)
from drafter.corpus.store import _NO_IDS as NO_IDS
from drafter.corpus.store import _now as now
from drafter.corpus.store import _xor_id as xor_id
from drafter.errors import CorpusError, DatabaseUnavailableError
from drafter.models import DocKind, DocSummary, Document, Passage
from drafter.resources import user_data_dir
from drafter.scopes import EVERYTHING, Scope, Visibility

__all__ = ["PgCorpus", "safe_url"]

POOL_MAX = 8
CONNECT_TIMEOUT = 3.0


def _cols(columns: str, alias: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in columns.split(","))


class PgCorpus:
    """An open PostgreSQL corpus (its tables created or migrated forward on opening); thread-safe."""

    def __init__(self, url: str, *, max_size: int = POOL_MAX) -> None:
        self.url = url
        self._closed = False
        self.pool = Pool(
            url,
            min_size=1,
            max_size=max_size,
            # jit off: the searches are short indexed statements; compiling one would cost more than it runs
            kwargs={"autocommit": True, "connect_timeout": int(CONNECT_TIMEOUT), "options": "-c jit=off"},
            timeout=CONNECT_TIMEOUT * 2,
            open=False,
            name="drafter-corpus",
        )
        try:
            with self._errors():
                self.pool.open(wait=True, timeout=CONNECT_TIMEOUT * 2)
                self._prepare()
        except BaseException:
            self.pool.close()
            raise

    @property
    def location(self) -> str:
        """The database URL without its password."""
        return safe_url(self.url)

    @property
    def path(self) -> Path:
        """A per-host side file for this database (held uploads' files sit beside it)."""
        digest = hashlib.sha256(self.url.encode()).hexdigest()[:12]
        folder = user_data_dir() / "databases"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"postgres-{digest}.sqlite3"

    def review(self) -> Review:
        """The change log and held uploads, tables of this database (``drafter.corpus.pg_review``)."""
        return PgReview(self.pool, self.location, self.path)

    # --- opening ---------------------------------------------------------------------------------------
    def _prepare(self) -> None:
        meta = {
            "schema": SCHEMA_NAME,
            "corpus_id": uuid.uuid4().hex,
            "created": now(),
            "generation": "0",
            "ids_xor": NO_IDS,
        }
        with self._tx() as conn:
            before, _after = migrate(conn, meta)
            stored = dict(conn.execute("SELECT key, value FROM meta WHERE key = 'schema'").fetchall())
        if before > SCHEMA_VERSION:
            raise CorpusError(
                f"数据库 {self.location} 由更新版本的 Drafter 建立（格式 {before}，本程序只认识到 {SCHEMA_VERSION}）："
                "请升级 Drafter 后再连接。"
            )
        if stored.get("schema") != SCHEMA_NAME:
            raise CorpusError(
                f"数据库 {self.location} 中已有别的数据（缺少 Drafter 语料库标记），Drafter 未改动它：请为 Drafter 新建一个数据库。"
            )

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Connection failures become ``DatabaseUnavailableError`` naming the database and the fix."""
        try:
            yield
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise DatabaseUnavailableError(
                f"暂时无法连接数据库 {self.location}（{str(exc).strip().splitlines()[0] if str(exc) else '连接中断'}）："
                "请确认数据库服务器在运行、地址和口令正确，稍后重试（已存入的文档不受影响）。"
            ) from exc

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection[Any]]:
        with self._errors(), self.pool.connection() as conn:
            yield conn

    @contextmanager
    def _tx(self) -> Iterator[psycopg.Connection[Any]]:
        """One transaction (committed on success, rolled back on any failure)."""
        with self._conn() as conn, conn.transaction():
            yield conn

    @contextmanager
    def _snapshot(self) -> Iterator[psycopg.Connection[Any]]:
        """A read-only repeatable-read transaction: one consistent snapshot for a streaming read."""
        with self._conn() as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield conn
            finally:
                if not conn.closed:
                    conn.execute("ROLLBACK")

    # --- writing ---------------------------------------------------------------------------------------
    def add(self, doc: Document, source: str | None = None) -> bool:
        """True when ``doc`` was new; a known document only gains ``source`` among its sources."""
        marks = ", ".join(["%s"] * len(DOCUMENT_COLUMNS.split(",")))
        stamp = now()
        with self._tx() as conn:
            inserted = conn.execute(
                f"INSERT INTO documents ({DOCUMENT_COLUMNS}) VALUES ({marks}) "
                "ON CONFLICT (id) DO NOTHING RETURNING id",
                document_values(doc, stamp),
            ).fetchone()
            new = inserted is not None
            with conn.cursor() as cur:
                if new:  # COPY: one round trip for all the passages of a new document
                    with cur.copy(f"COPY passages ({PASSAGE_COLUMNS}) FROM STDIN") as copy:
                        for passage in doc.passages:
                            copy.write_row(passage_values(passage))
                    self._toggle(conn, doc.id)
                seen_in = dict.fromkeys(s for s in (doc.source if new else None, source or doc.source) if s)
                cur.executemany(
                    "INSERT INTO sources (doc_id, source, added) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    [(doc.id, s, stamp) for s in seen_in],
                )
        return new

    def remove(self, doc_id: str) -> str:
        """The full id of the removed document (``doc_id`` may be a unique prefix)."""
        with self._tx() as conn:
            full = self._resolve(conn, doc_id)
            conn.execute("DELETE FROM documents WHERE id = %s", (full,))  # passages, sources cascade
            self._toggle(conn, full)
        return full

    @staticmethod
    def _toggle(conn: psycopg.Connection[Any], doc_id: str) -> None:
        rows = conn.execute(
            "SELECT key, value FROM meta WHERE key IN ('generation', 'ids_xor') FOR UPDATE"
        ).fetchall()
        meta = dict(rows)
        with conn.cursor() as cur:
            cur.executemany(
                "UPDATE meta SET value = %s WHERE key = %s",
                [
                    (str(int(meta["generation"]) + 1), "generation"),
                    (xor_id(str(meta["ids_xor"]), doc_id), "ids_xor"),
                ],
            )

    def _put_meta(self, pairs: list[tuple[str, str]]) -> None:
        with self._tx() as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                pairs,
            )

    def save_phrases(self, bank_json: str) -> None:
        """Store the mined phrase bank (a JSON text), replacing the previous one."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO phrases (id, bank, saved) VALUES (1, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET bank = excluded.bank, saved = excluded.saved",
                (bank_json, now()),
            )
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('phrases_version', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (uuid.uuid4().hex,),
            )

    def save_blob(self, name: str, text: str) -> None:
        """Store ``text`` under ``name`` (opaque here)."""
        self._put_meta([(f"blob:{name}", text), (f"blob_version:{name}", uuid.uuid4().hex)])

    # --- reading ---------------------------------------------------------------------------------------
    def _value(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = %s", (key,))
        return None if row is None else str(row[0])

    def load_blob(self, name: str) -> str | None:
        """The text stored under ``name`` by ``save_blob``, or None."""
        return self._value(f"blob:{name}")

    def blob_version(self, name: str) -> str | None:
        """A token that changes whenever ``name`` is saved again (None before the first)."""
        return self._value(f"blob_version:{name}")

    def load_phrases(self) -> str | None:
        """The stored phrase bank JSON, or None."""
        row = self._one("SELECT bank FROM phrases WHERE id = 1")
        return None if row is None else str(row[0])

    def phrases_version(self) -> str | None:
        """A token that changes whenever a phrase bank is saved (None before the first)."""
        return self._value("phrases_version")

    def count(self) -> int:
        """How many documents the corpus holds."""
        row = self._one("SELECT count(*) FROM documents")
        return int(row[0]) if row else 0

    def fingerprint(self) -> str:
        """A short hash that changes whenever a document is added or removed (and only then)."""
        row = self._one(f"SELECT {STATE_SQL}")
        return fingerprint_of(None if row is None else row[0])

    def get(self, doc_id: str, scope: Scope = EVERYTHING) -> Document:
        """The document with id ``doc_id`` or a unique prefix of it (at least 6 characters); one ``scope``
        may not see reads as missing."""
        with self._snapshot() as conn:
            full = self._resolve(conn, doc_id)
            row = conn.execute(f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = %s", (full,)).fetchone()
            assert row is not None  # resolved in this snapshot
            if not scope.visible(str(row[-2]), str(row[-1])):
                raise not_found(f"数据库 {self.location}", doc_id)
            return document_from_row(row, self._passages_of(conn, full))

    def set_visibility(self, doc_id: str, visibility: Visibility) -> str:
        """Make a document shared or private (to its owner unit); the full id comes back."""
        with self._tx() as conn:
            full = self._resolve(conn, doc_id)
            query = "UPDATE documents SET visibility = %s WHERE id = %s AND visibility <> %s"
            if conn.execute(query, (visibility, full, visibility)).rowcount:
                self._toggle(conn, full)  # who sees it changed: the search index is rebuilt
                self._toggle(conn, full)
        return full

    def sources_of(self, doc_id: str) -> tuple[str, ...]:
        """Every file the document was seen in, first seen first."""
        with self._snapshot() as conn:
            full = self._resolve(conn, doc_id)
            rows = conn.execute("SELECT source FROM sources WHERE doc_id = %s ORDER BY seq", (full,))
            return tuple(str(r[0]) for r in rows)

    def summaries(self, scope: Scope = EVERYTHING) -> list[DocSummary]:
        """One summary per document ``scope`` may see, in the order they were added."""
        where, params = pg_scope_clause(scope)
        with self._snapshot() as conn:
            sources = pg_all_sources(conn)
            query = f"SELECT {SUMMARY_COLUMNS} FROM documents WHERE {where} ORDER BY seq"
            rows = conn.execute(query, params).fetchall()
            return [summary_from_row(r, sources.get(r[0], ())) for r in rows]

    def documents(self, *, kinds: Sequence[DocKind] | None = None) -> Iterator[Document]:
        """Every document (optionally of ``kinds`` only) in the order added, streamed."""
        where = "" if kinds is None else "WHERE kind = ANY(%s)"
        params: tuple[Any, ...] = () if kinds is None else (list(kinds),)
        with self._snapshot() as conn:
            for row in self._stream(
                conn, f"SELECT {DOCUMENT_COLUMNS} FROM documents {where} ORDER BY seq", params
            ):
                yield document_from_row(row, self._passages_of(conn, row[0]))

    def passages(self) -> Iterator[tuple[Passage, DocSummary]]:
        """Every passage with its document's summary (one shared object per document)."""
        with self._snapshot() as conn:
            sources = pg_all_sources(conn)
            summaries = {
                r[0]: summary_from_row(r, sources.get(r[0], ()))
                for r in conn.execute(f"SELECT {SUMMARY_COLUMNS} FROM documents").fetchall()
            }
            query = (
                f"SELECT {_cols(PASSAGE_COLUMNS, 'p')} FROM passages p JOIN documents d ON d.id = p.doc_id "
                "ORDER BY d.seq, p.position"
            )
            for row in self._stream(conn, query):
                yield passage_from_row(row), summaries[row[1]]

    def documents_with_sources(self, scope: Scope = EVERYTHING) -> Iterator[tuple[Document, tuple[str, ...]]]:
        """Every document ``scope`` may see with every file it was seen in, in the order added."""
        where, params = pg_scope_clause(scope)
        query = f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE {where} ORDER BY seq"
        with self._snapshot() as conn:
            sources = pg_all_sources(conn)
            for row in self._stream(conn, query, params):
                doc = document_from_row(row, self._passages_of(conn, row[0]))
                yield doc, sources.get(doc.id, ())

    def passages_with_titles(self, scope: Scope = EVERYTHING) -> Iterator[tuple[Passage, str]]:
        """Every passage of the documents ``scope`` may see with its document's title, in the order added."""
        where, params = pg_scope_clause(scope, "d")
        query = (
            f"SELECT {_cols(PASSAGE_COLUMNS, 'p')}, d.title FROM passages p JOIN documents d ON d.id = p.doc_id "
            f"WHERE {where} ORDER BY d.seq, p.position"
        )
        with self._snapshot() as conn:
            for row in self._stream(conn, query, params):
                yield passage_from_row(row[:-1]), str(row[-1])

    @staticmethod
    def _stream(conn: psycopg.Connection[Any], query: str, params: tuple[Any, ...] = ()) -> Iterator[Any]:
        """Rows of ``query`` fetched in batches by a server-side cursor (memory stays flat)."""
        with conn.cursor(name=f"stream_{uuid.uuid4().hex[:8]}") as cur:
            cur.itersize = 500
            cur.execute(query, params)
            yield from cur

    def _one(self, query: str, params: tuple[Any, ...] = ()) -> Any:
        with self._conn() as conn:
            return conn.execute(query, params).fetchone()

    @staticmethod
    def _passages_of(conn: psycopg.Connection[Any], doc_id: str) -> tuple[Passage, ...]:
        rows = conn.execute(
            f"SELECT {PASSAGE_COLUMNS} FROM passages WHERE doc_id = %s ORDER BY position", (doc_id,)
        ).fetchall()
        return tuple(passage_from_row(r) for r in rows)

    def _resolve(self, conn: psycopg.Connection[Any], doc_id: str) -> str:
        def rows(query: str, params: tuple[str, ...]) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in conn.execute(cast(Any, query.replace("?", "%s")), params).fetchall()]

        return resolve(rows, f"数据库 {self.location}", doc_id)

    # --- lifetime --------------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the pool (safe to call twice)."""
        if not self._closed:
            self._closed = True
            self.pool.close()

    def __enter__(self) -> PgCorpus:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PgCorpus({self.location!r})"
