"""Whether a path can be or become a corpus, and what an SQLite failure means for the user.

Both speak to the writer in Chinese, naming the file and the fix; neither ever writes to the file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from drafter.errors import CorpusError

SQLITE_HEADER = b"SQLite format 3\x00"


def check_file(path: Path) -> None:
    """Refuse, without touching it, a path that cannot be or become a corpus."""
    if path.is_dir():
        raise CorpusError(
            f"{path} 是文件夹，不是语料库文件：请指定文件，例如 --corpus {path / 'corpus.sqlite3'}。"
        )
    if not path.exists():
        if not path.parent.is_dir():
            raise CorpusError(
                f"无法新建语料库 {path}：文件夹 {path.parent} 不存在。请先创建该文件夹，或用 --corpus 指定已有文件夹中的文件。"
            )
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise CorpusError(f"无法读取语料库 {path}（{exc.strerror}）：请检查文件权限。") from exc
    # an empty file is what a crashed first open (or `touch`) leaves: nothing to lose, it becomes a corpus
    if header and header != SQLITE_HEADER:
        raise CorpusError(
            f"{path} 不是 Drafter 语料库（不是 SQLite 数据库文件），Drafter 未改动它："
            "请用 --corpus 指定另一个文件名（不存在的文件会新建为空语料库）。"
        )


def corpus_error(path: Path, exc: sqlite3.DatabaseError, timeout: float) -> CorpusError | None:
    """The user-facing error for an SQLite failure a user can cause, or None for a bug."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return CorpusError(
            f"语料库 {path} 正被另一个程序写入，等待 {timeout:.0f} 秒后仍未轮到：请等另一个 drafter ingest 结束后重试。"
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN", "SQLITE_AUTH")):
        return CorpusError(
            f"无法写入语料库 {path}（文件或所在文件夹只读，或无权限）：请检查权限，或用 --corpus 指定可写的位置。"
        )
    if name.startswith("SQLITE_FULL"):
        return CorpusError(f"磁盘已满，无法写入语料库 {path}：请清理磁盘空间后重试（已存入的文档不受影响）。")
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return CorpusError(
            f"语料库 {path} 已损坏或不是 Drafter 语料库（{exc}），Drafter 未改动它：请从备份恢复，或用 --corpus 指定新文件重新读入。"
        )
    if name.startswith("SQLITE_IOERR"):
        return CorpusError(f"读写语料库 {path} 时出错（{exc}）：请检查磁盘或网络盘后重试。")
    return None
