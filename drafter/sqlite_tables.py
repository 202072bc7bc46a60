"""Side tables kept in the corpus's SQLite file (the change log, held uploads, accounts): one connection per
operation, and a write runs in one ``BEGIN IMMEDIATE`` transaction that first creates the tables it needs (so
an older corpus gains them on its first write and a read-only one can still be read)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager


@contextmanager
def side_tables(
    connect: Callable[[], sqlite3.Connection],
    schema: Sequence[str],
    error: Callable[[sqlite3.DatabaseError], Exception],
    *,
    write: bool,
) -> Iterator[sqlite3.Connection]:
    """A connection from ``connect`` (in autocommit mode); with ``write``, inside a transaction that creates
    ``schema`` first, committed on leaving and rolled back on a database error. Every database error, the
    connection's too, is raised as ``error(exc)``."""
    try:
        conn = connect()
    except sqlite3.DatabaseError as exc:
        raise error(exc) from exc
    try:
        if write:
            conn.execute("BEGIN IMMEDIATE")
            for statement in schema:
                conn.execute(statement)
        yield conn
        if write:
            conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise error(exc) from exc
    finally:
        conn.close()
