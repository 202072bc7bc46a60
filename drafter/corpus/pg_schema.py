"""The PostgreSQL corpus's tables and their forward migrations.

``MIGRATIONS[n]`` brings a database from version ``n`` to ``n + 1``; ``schema_version`` records each step
applied (with when). ``migrate`` runs the missing steps in one transaction under an advisory lock, so web
workers starting together on a new or older database apply each step once. The search stage keeps its own
tables (``drafter.search.pg_schema``); these are the corpus's: the same rows as the SQLite file, plus each
document's ``owner_unit`` ('' = the common corpus) and ``visibility`` ('shared' or 'private').
"""

from __future__ import annotations

from typing import Any

SCHEMA_NAME = "drafter-corpus"
MIGRATE_LOCK = 0x64726166746572  # the advisory lock key migrations hold ("drafter")

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY, applied TIMESTAMPTZ NOT NULL DEFAULT now())""",
        """CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS documents (
            seq BIGSERIAL UNIQUE, id TEXT COLLATE "C" PRIMARY KEY, title TEXT NOT NULL,
            source TEXT NOT NULL, kind TEXT NOT NULL, year INTEGER, years TEXT NOT NULL, unit TEXT,
            text TEXT NOT NULL, sections TEXT NOT NULL, n_passages INTEGER NOT NULL, added TEXT NOT NULL,
            level TEXT NOT NULL DEFAULT 'unknown', owner_unit TEXT NOT NULL DEFAULT '',
            visibility TEXT NOT NULL DEFAULT 'shared' CHECK (visibility IN ('shared', 'private')))""",
        """CREATE TABLE IF NOT EXISTS passages (
            id TEXT PRIMARY KEY, doc_id TEXT COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            position INTEGER NOT NULL, section INTEGER NOT NULL, heading TEXT NOT NULL, part TEXT NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, UNIQUE (doc_id, position))""",
        """CREATE TABLE IF NOT EXISTS sources (
            seq BIGSERIAL, doc_id TEXT COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            source TEXT NOT NULL, added TEXT NOT NULL, PRIMARY KEY (doc_id, source))""",
        """CREATE TABLE IF NOT EXISTS phrases (
            id INTEGER PRIMARY KEY CHECK (id = 1), bank TEXT NOT NULL, saved TEXT NOT NULL)""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: Any) -> int:
    """The version of the database on ``conn`` (0 for an empty one)."""
    exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: Any, initial_meta: dict[str, str]) -> tuple[int, int]:
    """Bring the database on ``conn`` (in a transaction) up to ``SCHEMA_VERSION``; ``(before, after)``.

    A database of a newer version is left alone (the caller refuses it)."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
    before = current_version(conn)
    for version in range(before, SCHEMA_VERSION):
        for statement in MIGRATIONS[version]:
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version + 1,))
    if before == 0:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                list(initial_meta.items()),
            )
    return before, max(before, SCHEMA_VERSION)
