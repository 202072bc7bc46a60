"""The PostgreSQL corpus's connection pool and the corpus state as SQL values another statement can read.

The pool hands out connections unchecked (a check would cost a round trip per call); when a call meets a
dead connection (the server restarted), every idle connection is checked at once and the dead ones are
replaced, so the next calls find live ones. ``STATE_SQL`` and ``blob_version_sql`` let the search's ranking
statement read the corpus's fingerprint and the related terms' version in its own round trip.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

__all__ = ["STATE_SQL", "Pool", "blob_version_sql", "fingerprint_of"]

STATE_SQL = "(SELECT string_agg(value, ':' ORDER BY key) FROM meta WHERE key IN ('corpus_id', 'generation', 'ids_xor'))"
"""The corpus state as one SQL value (``fingerprint_of`` hashes it): another statement (the search's ranking)
can read it in its own round trip."""


def fingerprint_of(state: str | None) -> str:
    """The fingerprint of a corpus whose ``STATE_SQL`` value is ``state``."""
    return hashlib.sha256((state or "").encode()).hexdigest()[:16]


def blob_version_sql(name: str) -> str:
    """``blob_version(name)`` as an SQL value (for a statement that reads it in its own round trip)."""
    if not name.replace("_", "").isalnum():
        raise ValueError(name)
    return f"(SELECT value FROM meta WHERE key = 'blob_version:{name}')"


class Pool(ConnectionPool):
    """A pool that checks its idle connections when one turned out dead (instead of one by one, each time
    one is handed out)."""

    @contextmanager
    def connection(self, timeout: float | None = None) -> Iterator[psycopg.Connection[Any]]:
        try:
            with super().connection(timeout) as conn:
                yield conn
        except psycopg.OperationalError:
            with suppress(Exception):  # the server may still be down: the pool keeps reconnecting by itself
                self.check()
            raise
