"""Bringing a corpus written by an older Drafter up to the current format, in the caller's transaction."""

from __future__ import annotations

import sqlite3

from drafter.corpus.rows import SCHEMA_VERSION
from drafter.text.levels import admin_level


def upgrade(conn: sqlite3.Connection, version: int) -> None:
    """Upgrade the corpus on ``conn`` from format ``version`` to ``SCHEMA_VERSION``.

    2: ``documents.level``, each document's level read from its stored unit and title.
    3: ``documents.owner_unit`` ('': the common corpus) and ``documents.visibility`` ('shared'): every
    document of an older corpus stays visible to everyone, as it was.
    """
    columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(documents)")}
    if version < 2 and "level" not in columns:
        conn.execute("ALTER TABLE documents ADD COLUMN level TEXT NOT NULL DEFAULT 'unknown'")
        rows = conn.execute("SELECT id, unit, title FROM documents").fetchall()
        conn.executemany(
            "UPDATE documents SET level = ? WHERE id = ?",
            ((admin_level(unit, title), doc_id) for doc_id, unit, title in rows),
        )
    if version < 3 and "owner_unit" not in columns:
        conn.execute("ALTER TABLE documents ADD COLUMN owner_unit TEXT NOT NULL DEFAULT ''")
    if version < 3 and "visibility" not in columns:
        conn.execute("ALTER TABLE documents ADD COLUMN visibility TEXT NOT NULL DEFAULT 'shared'")
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
