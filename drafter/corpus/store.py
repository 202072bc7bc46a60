"""The corpus: one SQLite file holding documents, passages, their sources and the mined phrase bank.

WAL journal so searches read while an ingest writes; ``busy_timeout`` so a second writer waits its turn;
one ``BEGIN IMMEDIATE`` transaction per document, so a killed ingest leaves every earlier document whole.
Streaming reads (``documents``, ``passages``, exports) use their own connection and a snapshot, so they
hold no lock of this object while the caller consumes them.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from drafter.corpus.files import check_file, corpus_error
from drafter.corpus.lookup import all_sources, not_found, resolve
from drafter.corpus.review import Review
from drafter.corpus.rows import (
    DOCUMENT_COLUMNS,
    PASSAGE_COLUMNS,
    SCHEMA,
    SCHEMA_NAME,
    SCHEMA_VERSION,
    SUMMARY_COLUMNS,
    document_from_row,
    document_values,
    passage_from_row,
    passage_values,
    scope_clause,
    summary_from_row,
)
from drafter.corpus.upgrade import upgrade
from drafter.errors import CorpusError
from drafter.models import DocKind, DocSummary, Document, Passage
from drafter.scopes import EVERYTHING, Scope, Visibility

__all__ = ["Corpus"]

LOCK_TIMEOUT = 60.0
"""Seconds a writer waits for another writer before giving up (an ingest commits every document)."""
_NO_IDS = "0" * 64


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _xor_id(ids_xor: str, doc_id: str) -> str:
    """``ids_xor`` with ``doc_id``'s hash toggled: the set of ids as one hash, updated in O(1)."""
    digest = int(hashlib.sha256(doc_id.encode()).hexdigest(), 16)
    return f"{int(ids_xor, 16) ^ digest:064x}"


class Corpus:
    """An open corpus file (created empty when it does not exist yet); safe to share between threads."""

    def __init__(self, path: Path, *, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self._timeout = timeout
        self._lock = threading.RLock()
        check_file(self.path)
        self._conn = self._connect()
        try:
            with self._errors():
                self._prepare()
        except BaseException:
            self._conn.close()
            raise

    # --- opening ---------------------------------------------------------------------------------------
    def review(self) -> Review:
        """The change log and held uploads, tables of this file."""
        return Review(self.path)

    def _connect(self) -> sqlite3.Connection:
        with self._errors():
            conn = sqlite3.connect(
                self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn

    def _prepare(self) -> None:
        tables = self._tables()
        if not tables:
            # WAL must be switched on outside a transaction; it is a property of the file from then on.
            self._conn.execute("PRAGMA journal_mode=WAL")
            with self._write():
                if not self._tables():
                    self._create()
        elif "meta" not in tables or "documents" not in tables:
            raise CorpusError(
                f"{self.path} 是 SQLite 数据库，但不是 Drafter 语料库（没有 Drafter 的数据表），Drafter 未改动它："
                "请用 --corpus 指定另一个文件名（不存在的文件会新建为空语料库）。"
            )
        meta = self._meta()
        if meta.get("schema") != SCHEMA_NAME:
            raise CorpusError(
                f"{self.path} 不是 Drafter 语料库（缺少语料库标记），Drafter 未改动它：请用 --corpus 指定另一个文件名。"
            )
        version = int(meta.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            raise CorpusError(
                f"{self.path} 由更新版本的 Drafter 创建（语料库格式 {version}，本程序只认识到 {SCHEMA_VERSION}）："
                "请升级 Drafter 后再打开。"
            )
        if version < SCHEMA_VERSION:
            with self._write() as conn:
                upgrade(conn, version)
        self._conn.execute("PRAGMA journal_mode=WAL")

    def _tables(self) -> set[str]:
        rows = self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return {str(r[0]) for r in rows}

    def _create(self) -> None:
        for statement in SCHEMA:
            self._conn.execute(statement)
        meta = {
            "schema": SCHEMA_NAME,
            "schema_version": str(SCHEMA_VERSION),
            "corpus_id": uuid.uuid4().hex,
            "created": _now(),
            "generation": "0",
            "ids_xor": _NO_IDS,
        }
        self._conn.executemany("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", meta.items())

    def _meta(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self._conn.execute("SELECT key, value FROM meta")}

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn SQLite's operational failures into a ``CorpusError`` naming this file and the fix."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            error = corpus_error(self.path, exc, self._timeout)
            if error is None:
                raise
            raise error from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the shared connection; waits up to the timeout for other writers."""
        with self._lock, self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A private read-only connection holding one consistent snapshot for a streaming read."""
        with self._errors():
            conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
            try:
                conn.execute("PRAGMA query_only=ON")
                conn.execute("BEGIN")
                yield conn
            finally:
                conn.close()

    # --- writing ---------------------------------------------------------------------------------------
    def add(self, doc: Document, source: str | None = None) -> bool:
        """True when ``doc`` was new; a known document only gains ``source`` among its sources."""
        with self._write() as conn:
            now = _now()
            new = conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc.id,)).fetchone() is None
            if new:
                marks = ", ".join("?" * len(DOCUMENT_COLUMNS.split(",")))
                conn.execute(
                    f"INSERT INTO documents ({DOCUMENT_COLUMNS}) VALUES ({marks})", document_values(doc, now)
                )
                conn.executemany(
                    f"INSERT INTO passages ({PASSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (passage_values(p) for p in doc.passages),
                )
                self._toggle(conn, doc.id)
            seen_in = dict.fromkeys(s for s in (doc.source if new else None, source or doc.source) if s)
            conn.executemany(
                "INSERT OR IGNORE INTO sources (doc_id, source, added) VALUES (?, ?, ?)",
                ((doc.id, s, now) for s in seen_in),
            )
        return new

    def remove(self, doc_id: str) -> str:
        """The full id of the removed document (``doc_id`` may be a unique prefix)."""
        with self._write() as conn:
            full = self._resolve(conn, doc_id)
            for table, column in (("passages", "doc_id"), ("sources", "doc_id"), ("documents", "id")):
                conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (full,))
            self._toggle(conn, full)
        return full

    def _toggle(self, conn: sqlite3.Connection, doc_id: str) -> None:
        meta = dict(
            conn.execute("SELECT key, value FROM meta WHERE key IN ('generation', 'ids_xor')").fetchall()
        )
        conn.executemany(
            "UPDATE meta SET value = ? WHERE key = ?",
            (
                (str(int(meta["generation"]) + 1), "generation"),
                (_xor_id(str(meta["ids_xor"]), doc_id), "ids_xor"),
            ),
        )

    def save_phrases(self, bank_json: str) -> None:
        """Store the mined phrase bank (a JSON text) with the corpus, replacing the previous one."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO phrases (id, bank, saved) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET bank = excluded.bank, saved = excluded.saved",
                (bank_json, _now()),
            )
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('phrases_version', ?)", (uuid.uuid4().hex,)
            )

    def save_blob(self, name: str, text: str) -> None:
        """Store ``text`` under ``name`` with the corpus (what later stages learned from it; opaque here)."""
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                ((f"blob:{name}", text), (f"blob_version:{name}", uuid.uuid4().hex)),
            )

    # --- reading ---------------------------------------------------------------------------------------
    def load_blob(self, name: str) -> str | None:
        """The text stored under ``name`` by ``save_blob``, or None."""
        row = self._one("SELECT value FROM meta WHERE key = ?", (f"blob:{name}",))
        return None if row is None else str(row[0])

    def blob_version(self, name: str) -> str | None:
        """A token that changes whenever ``name`` is saved again (None before the first): cheap to poll."""
        row = self._one("SELECT value FROM meta WHERE key = ?", (f"blob_version:{name}",))
        return None if row is None else str(row[0])

    def load_phrases(self) -> str | None:
        """The stored phrase bank JSON, or None when nothing has been mined into this corpus."""
        row = self._one("SELECT bank FROM phrases WHERE id = 1")
        return None if row is None else str(row[0])

    def phrases_version(self) -> str | None:
        """A token that changes whenever a phrase bank is saved (None before the first): cheap to poll."""
        row = self._one("SELECT value FROM meta WHERE key = 'phrases_version'")
        return None if row is None else str(row[0])

    def count(self) -> int:
        """How many documents the corpus holds."""
        row = self._one("SELECT count(*) FROM documents")
        return int(row[0]) if row else 0

    def fingerprint(self) -> str:
        """A short hash that changes whenever a document is added or removed (and only then)."""
        with self._lock, self._errors():  # its three keys only: the table also holds megabytes of blobs
            rows = self._conn.execute(
                "SELECT key, value FROM meta WHERE key IN ('corpus_id', 'generation', 'ids_xor')"
            )
            meta = {str(k): str(v) for k, v in rows}
        key = f"{meta.get('corpus_id')}:{meta.get('generation')}:{meta.get('ids_xor')}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    @property
    def index_dir(self) -> Path:
        """Where the search index of this corpus is persisted: ``<corpus path>.index/``."""
        return self.path.with_name(self.path.name + ".index")

    def get(self, doc_id: str, scope: Scope = EVERYTHING) -> Document:
        """The stored document with id ``doc_id`` or a unique prefix of it (at least 6 characters); one
        ``scope`` may not see reads as missing."""
        with self._lock, self._errors():
            full = self._resolve(self._conn, doc_id)
            row = self._conn.execute(
                f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ?", (full,)
            ).fetchone()
            if not scope.visible(str(row[-2]), str(row[-1])):
                raise not_found(f"语料库 {self.path}", doc_id)
            return document_from_row(row, self._passages_of(self._conn, full))

    def set_visibility(self, doc_id: str, visibility: Visibility) -> str:
        """Make a document shared or private (to its owner unit); the full id comes back."""
        with self._write() as conn:
            full = self._resolve(conn, doc_id)
            query = "UPDATE documents SET visibility = ? WHERE id = ? AND visibility <> ?"
            if conn.execute(query, (visibility, full, visibility)).rowcount:
                self._toggle(conn, full)  # who sees it changed: the search index is rebuilt
                self._toggle(conn, full)
        return full

    def sources_of(self, doc_id: str) -> tuple[str, ...]:
        """Every file the document was seen in, first seen first."""
        with self._lock, self._errors():
            full = self._resolve(self._conn, doc_id)
            rows = self._conn.execute("SELECT source FROM sources WHERE doc_id = ? ORDER BY rowid", (full,))
            return tuple(str(r[0]) for r in rows)

    def summaries(self, scope: Scope = EVERYTHING) -> list[DocSummary]:
        """One summary per document ``scope`` may see, in the order they were added."""
        where, params = scope_clause(scope)
        with self._snapshot() as conn:
            sources = all_sources(conn)
            rows = conn.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM documents WHERE {where} ORDER BY rowid", params
            )
            return [summary_from_row(r, sources.get(r[0], ())) for r in rows]

    def documents(self, *, kinds: Sequence[DocKind] | None = None) -> Iterator[Document]:
        """Every document (optionally of ``kinds`` only) in the order added, streamed one at a time."""
        query = f"SELECT {DOCUMENT_COLUMNS} FROM documents"
        params: tuple[str, ...] = ()
        if kinds is not None:
            params = tuple(kinds)
            query += f" WHERE kind IN ({', '.join('?' * len(params))})"
        with self._snapshot() as conn:
            for row in conn.execute(query + " ORDER BY rowid", params):
                yield document_from_row(row, self._passages_of(conn, row[0]))

    def passages(self) -> Iterator[tuple[Passage, DocSummary]]:
        """Every passage with its document's summary (one shared object per document), for indexing."""
        with self._snapshot() as conn:
            sources = all_sources(conn)
            summaries = {
                r[0]: summary_from_row(r, sources.get(r[0], ()))
                for r in conn.execute(f"SELECT {SUMMARY_COLUMNS} FROM documents")
            }
            for row in conn.execute(f"SELECT {PASSAGE_COLUMNS} FROM passages ORDER BY rowid"):
                yield passage_from_row(row), summaries[row[1]]

    def documents_with_sources(self, scope: Scope = EVERYTHING) -> Iterator[tuple[Document, tuple[str, ...]]]:
        """Every document ``scope`` may see with every file it was seen in, in the order they were added."""
        where, params = scope_clause(scope)
        query = f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE {where} ORDER BY rowid"
        with self._snapshot() as conn:
            sources = all_sources(conn)
            for row in conn.execute(query, params):
                doc = document_from_row(row, self._passages_of(conn, row[0]))
                yield doc, sources.get(doc.id, ())

    def passages_with_titles(self, scope: Scope = EVERYTHING) -> Iterator[tuple[Passage, str]]:
        """Every passage of the documents ``scope`` may see with its document's title, in the order added."""
        columns = ", ".join(f"p.{c.strip()}" for c in PASSAGE_COLUMNS.split(","))
        where, params = scope_clause(scope, "d")
        query = (
            f"SELECT {columns}, d.title FROM passages p JOIN documents d ON d.id = p.doc_id "
            f"WHERE {where} ORDER BY p.rowid"
        )
        with self._snapshot() as conn:
            for row in conn.execute(query, params):
                yield passage_from_row(row[:-1]), str(row[-1])

    def _one(self, query: str, params: tuple[str, ...] = ()) -> Any:
        with self._lock, self._errors():
            return self._conn.execute(query, params).fetchone()

    @staticmethod
    def _passages_of(conn: sqlite3.Connection, doc_id: str) -> tuple[Passage, ...]:
        rows = conn.execute(
            f"SELECT {PASSAGE_COLUMNS} FROM passages WHERE doc_id = ? ORDER BY position", (doc_id,)
        )
        return tuple(passage_from_row(r) for r in rows)

    def _resolve(self, conn: sqlite3.Connection, doc_id: str) -> str:
        return resolve(
            lambda query, params: conn.execute(query, params).fetchall(), f"语料库 {self.path}", doc_id
        )

    # --- lifetime --------------------------------------------------------------------------------------
    def checkpoint(self) -> None:
        """Move everything from the WAL into the main file (so the file alone is the whole corpus)."""
        with self._lock, self._errors():
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close the file (safe to call twice)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Corpus({str(self.path)!r})"
