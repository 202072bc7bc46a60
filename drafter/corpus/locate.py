"""Which store a ``--database`` / ``DRAFTER_DATABASE`` value names: a PostgreSQL URL or an SQLite file.

``postgresql://…`` (or ``postgres://…``) opens the database (``drafter.corpus.postgres``); ``sqlite:///PATH``
or a plain path is today's corpus file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from drafter.errors import CorpusError

if TYPE_CHECKING:
    from drafter.corpus.protocol import CorpusStore

PG_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(value: str) -> bool:
    """Whether ``value`` names a PostgreSQL database (rather than an SQLite file)."""
    return value.strip().lower().startswith(PG_SCHEMES)


def sqlite_path(value: str) -> Path:
    """The corpus file a plain path or an ``sqlite:///PATH`` URL names."""
    text = value.strip()
    if text.lower().startswith("sqlite:"):
        rest = text[len("sqlite:") :]
        if not rest.startswith("///"):
            raise CorpusError(
                f"无法识别的数据库地址“{value}”：SQLite 文件请写 sqlite:///绝对路径 或直接写文件路径；"
                "PostgreSQL 请写 postgresql://用户@主机/数据库。"
            )
        return Path(rest[2:]).expanduser()
    if "://" in text:
        raise CorpusError(
            f"无法识别的数据库地址“{value}”：只支持 postgresql://用户@主机/数据库 和 SQLite 文件路径。"
        )
    return Path(text).expanduser()


def open_store(value: str) -> CorpusStore:
    """The store ``value`` names: the PostgreSQL database of a URL, or the SQLite file of a path."""
    if is_database_url(value):
        from drafter.corpus.postgres import PgCorpus  # lazy: psycopg only for a database

        return PgCorpus(value)
    from drafter.corpus.opening import open_corpus  # lazy: start-up

    return open_corpus(sqlite_path(value))
