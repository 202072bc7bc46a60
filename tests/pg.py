"""A fresh PostgreSQL database per test, on the server scripts/test.sh starts (``DRAFTER_TEST_PG``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

from drafter.search.dedup import ends

PG_ENV = "DRAFTER_TEST_PG"


def server_url() -> str:
    """The test server's URL; in CI its absence fails the test (the test command must start one)."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: in CI scripts/test.sh must start PostgreSQL")
        pytest.skip(f"{PG_ENV} is not set (bash scripts/test.sh starts a PostgreSQL itself)")
    return url


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` (the query, e.g. the socket folder, kept)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def fresh_database() -> Iterator[str]:
    """The URL of a new empty database, dropped afterwards."""
    import psycopg

    server = server_url()
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield with_database(server, name)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def check_search_tables(url: str, *, complete: bool = True) -> int:
    """Check the search tables in the database at ``url`` hold whole documents and nothing else: every
    document row has all its passages and term list, who may see it and the files it was seen in as the
    corpus says, every passage has postings, no posting or passage is
    left of a removed document, no posting twice, no posting lighter than its term's floor left out of
    ``search_impact``, every passage's copy prints its own, the state counts the passages; with ``complete``, the
    documents are exactly the corpus's. The number of documents the tables hold."""
    import psycopg

    with psycopg.connect(url) as conn:

        def one(query: str) -> int:
            row = conn.execute(query).fetchone()
            assert row is not None
            return int(row[0])

        held = {str(r[0]) for r in conn.execute("SELECT doc_id FROM search_docs")}
        stored = {str(r[0]) for r in conn.execute("SELECT id FROM documents")}
        assert held <= stored, "a removed document is still in the search tables"
        if complete:
            assert held == stored, "a stored document is missing from the search tables"
        assert not conn.execute(
            "SELECT 1 FROM search_docs s JOIN documents d ON d.id = s.doc_id WHERE s.hi - s.lo <> d.n_passages "
            "OR (SELECT count(*) FROM search_passages p WHERE p.pidx >= s.lo AND p.pidx < s.hi) <> s.hi - s.lo "
            "OR s.visibility <> d.visibility OR s.owner_unit <> d.owner_unit "
            "OR s.sources <> ARRAY(SELECT source FROM sources f WHERE f.doc_id = d.id ORDER BY f.seq)"
        ).fetchall()
        assert one("SELECT count(*) FROM search_doc_terms") == len(held)
        assert one("SELECT passages FROM search_state") == one("SELECT count(*) FROM search_passages")
        for table in ("search_impact", "search_rest"):
            orphans = f"SELECT count(*) FROM {table} i LEFT JOIN search_passages p USING (pidx) WHERE p.pidx IS NULL"
            assert one(orphans) == 0, f"{table} keeps postings of a removed passage"
        both = "SELECT tid, pidx FROM search_impact UNION ALL SELECT tid, pidx FROM search_rest"
        assert one(f"SELECT count(*) FROM ({both}) a") == one(
            f"SELECT count(*) FROM (SELECT DISTINCT * FROM ({both}) b) c"
        )
        bare = "SELECT count(*) FROM search_passages p WHERE NOT EXISTS (SELECT 1 FROM search_impact i WHERE i.pidx = p.pidx)"
        assert one(bare + " AND NOT EXISTS (SELECT 1 FROM search_rest r WHERE r.pidx = p.pidx)") == 0
        heavy = "SELECT count(*) FROM search_rest r JOIN search_terms t USING (tid) WHERE r.w > t.floor"
        assert one(heavy) == 0, "a posting an unfiltered search must read was left in search_rest"
        for text, head, tail in conn.execute("SELECT text, head, tail FROM search_passages"):
            assert (head, tail) == ends(text), "a passage's stored copy prints are not its text's"
        return len(held)
