"""A throwaway PostgreSQL server for a benchmark run: Debian's postgresql-15 on a private unix socket.

``DRAFTER_TEST_PG`` (or ``DRAFTER_BENCH_PG``) names a server to use instead. As root the server runs as
the ``postgres`` user (it refuses root). Stopped and removed when the ``with`` block ends.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@contextmanager
def postgres_server() -> Iterator[str]:
    """The URL of a PostgreSQL server (an admin connection to its ``postgres`` database)."""
    given = os.environ.get("DRAFTER_BENCH_PG") or os.environ.get("DRAFTER_TEST_PG")
    if given:
        yield given
        return
    if not (PG_BIN / "initdb").is_file():
        raise SystemExit(
            "PostgreSQL 15 is not installed: apt-get install postgresql-15 (or set DRAFTER_BENCH_PG)"
        )
    folder = Path(tempfile.mkdtemp(prefix="drafter-bench-pg."))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    run = _as_postgres()
    subprocess.run(
        [
            *run,
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses='' -c unix_socket_directories={folder} -c max_connections=200 -c shared_buffers=512MB"
    subprocess.run(
        [
            *run,
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(folder / "server.log"),
            "-w",
            "-o",
            options,
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@/postgres?host={folder}"
    finally:
        subprocess.run(
            [*run, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def new_database(server: str, prefix: str = "bench") -> str:
    """A new empty database on ``server``; its URL."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def drop_database(server: str, url: str) -> None:
    """Drop the database ``url`` names on ``server`` (closing its connections)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
