"""Parsing one input file without letting it take anything else down.

``parse_file`` turns every failure of one file into a Chinese reason (a bug in a parser included: the run
goes on with the other files). ``parse_isolated`` runs it in a child process with an address-space cap, a
CPU-time cap and a wall-clock timeout, so a hostile upload (a decompression bomb, a pathological page)
costs that child, never the server; the child dies with its parent.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.changes import ParseLimits
from drafter.errors import InputFileError
from drafter.ingest.documents import documents_from_file
from drafter.models import Document
from drafter.processes import die_with_parent, limit_resources


@dataclass(frozen=True)
class Parsed:
    """A parser's answer for one file: its documents, or the reason it could not be read."""

    documents: tuple[Document, ...] = ()
    failure: str | None = None


CHILD_FAILED = "解析进程意外退出"
TOO_COSTLY = "文件过大或结构过于复杂，解析时超出了内存或时间限制：请检查文件内容，或拆分后再导入。"


def parse_file(path: Path) -> Parsed:
    """The documents of ``path``, or the user-facing reason it failed (never raises for one file's fault)."""
    try:
        return Parsed(tuple(documents_from_file(path)))
    except InputFileError as exc:
        return Parsed(failure=exc.reason)
    except OSError as exc:
        return Parsed(failure=f"无法读取（{exc.strerror or exc}）：请检查文件是否存在、有无读取权限。")
    except (RecursionError, MemoryError):
        return Parsed(failure=TOO_COSTLY)
    except Exception as exc:
        # A parser's failure on one file must not stop the others; its type is named for the bug report.
        name = type(exc).__name__
        return Parsed(failure=f"无法解析（{name}）：文件内容可能已损坏，请用原软件重新保存后再导入。")


def context() -> Any:
    """A start method that is safe in a threaded process (the web server): never plain fork."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["drafter.ingest.documents"])
        return ctx
    return multiprocessing.get_context("spawn")


def _child(path: Path, limits: ParseLimits, sender: Any, parent: int) -> None:
    die_with_parent(parent)
    limit_resources(limits.memory_bytes, limits.cpu_seconds)
    parsed = parse_file(path)
    try:
        sender.send(parsed)
    except MemoryError:
        sender.send(Parsed(failure=TOO_COSTLY))
    sender.close()


def parse_isolated(path: Path, limits: ParseLimits) -> Parsed:
    """``parse_file(path)`` in a child process held to ``limits``; a child that dies or overruns is a failure."""
    ctx = context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(path, limits, sender, os.getpid()), daemon=True)
    child.start()
    sender.close()
    parsed: Parsed | None = None
    try:
        if receiver.poll(limits.wall_seconds):
            parsed = receiver.recv()
    except (EOFError, OSError):
        parsed = None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if isinstance(parsed, Parsed):
        return parsed
    if child.exitcode in (-signal.SIGKILL, -signal.SIGXCPU) or child.exitcode is None:
        return Parsed(failure=TOO_COSTLY)
    return Parsed(failure=f"{CHILD_FAILED}（代码 {child.exitcode}）：请检查文件内容后重新导入。")
