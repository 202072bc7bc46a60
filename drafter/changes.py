"""What changes the corpus: an ingest run and each file's outcome, who asked for a change and from where, and
what parsing one file may spend. Part of the ground: imports no stage."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class FileOutcome:
    """What one input file gave: documents new and already present, passages added, or why it failed."""

    path: str
    bytes: int = 0
    documents_added: int = 0
    documents_seen: int = 0
    passages_added: int = 0
    failure: str | None = None
    added_ids: tuple[str, ...] = ()
    """The ids of the documents this file added (for the corpus's change log)."""


@dataclass(frozen=True)
class IngestReport:
    """The totals of one ingest run, per-file outcomes in input order, and every failure by name."""

    files: int
    documents_added: int
    documents_seen: int
    passages_added: int
    failures: tuple[tuple[str, str], ...]
    seconds: float
    bytes: int
    outcomes: tuple[FileOutcome, ...] = ()
    workers: int = 1


@dataclass(frozen=True)
class Actor:
    """Who asks for a change to the corpus and from where (kept in the corpus's change log)."""

    name: str
    """``管理员``, ``上传者``, or the login name at the command line."""
    address: str
    """The client's address for the web, ``命令行`` for the command line."""

    @classmethod
    def local_user(cls) -> Actor:
        """The person at this terminal (their login name), for changes made at the command line."""
        try:
            name = getpass.getuser()
        except (OSError, KeyError):
            name = "本机用户"
        return cls(name, "命令行")


ACTION_NAMES = {
    "add": "新增文档",
    "remove": "删除文档",
    "hold": "上传待审",
    "accept": "审核通过",
    "reject": "审核拒绝",
    "visibility": "更改可见范围",
}
"""The Chinese name of each logged action (the log stores the English code)."""


@dataclass(frozen=True)
class ParseLimits:
    """What parsing one file in its own process may spend."""

    memory_bytes: int = 2 * 1024**3
    """Address space of the parsing process (the interpreter and its libraries take about 0.4 GB)."""
    cpu_seconds: int = 60
    wall_seconds: float = 90.0
