"""A fresh PostgreSQL database per test, on the server scripts/test.sh starts (``DRAFTER_TEST_PG``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

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
