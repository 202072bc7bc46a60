"""Ingest: input files → documents → corpus, on every core, one transaction per document.

Worker processes only parse (``documents_from_file``); the main process alone writes, in input order, each
document as soon as its file is parsed, so a killed run loses at most the document being written and the
next run of the same inputs adds exactly the missing ones. A bad file is reported by name; the rest go on.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections import deque
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from drafter.changes import FileOutcome, IngestReport, ParseLimits
from drafter.ingest.read import SUPPORTED_SUFFIXES, iter_input_files
from drafter.ingest.sandbox import CHILD_FAILED, Parsed, context, parse_file, parse_isolated
from drafter.models import Document
from drafter.processes import die_with_parent, limit_resources

if TYPE_CHECKING:
    from rich.progress import Progress

PARALLEL_MIN_BYTES = 3 * 1024 * 1024
"""Below this, starting workers (~0.7 s) costs more than a second core saves (one core parses ~2 MB/s)."""
IN_FLIGHT_PER_WORKER = 4
"""Files parsed ahead of the writer per worker: keeps cores busy while bounding memory held in results."""


class DocumentSink(Protocol):
    """Where ingest puts documents (the corpus store): ``add`` is True when the document is new."""

    def add(self, doc: Document, source: str | None = None) -> bool: ...


def available_cores() -> int:
    """The CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def ingest(
    corpus: DocumentSink,
    paths: Sequence[Path],
    *,
    workers: int | None = None,
    progress: bool = False,
    limits: ParseLimits | None = None,
) -> IngestReport:
    """What reading every file under ``paths`` into ``corpus`` gave; a bad file is reported, not raised.

    With ``limits`` every file is parsed in a child process held to them (uploads from the web).
    """
    started = time.perf_counter()
    files, failures = _expand(paths)
    sizes = [_size(f) for f in files]
    n_workers = _worker_count(workers, len(files), sum(sizes))
    outcomes: list[FileOutcome] = [FileOutcome(path, failure=reason) for path, reason in failures]
    with _progress_bar(progress, sum(sizes)) as bar:
        task = bar.add_task("读入", total=sum(sizes)) if bar is not None else None
        parsed_files = _parse_isolated(files, limits) if limits else _parse_all(files, n_workers)
        # Closed here, in this thread, when storing fails (disk full, read-only): left to the garbage
        # collector, the pool's shutdown could run in the pool's own thread and fail to join it.
        with contextlib.closing(parsed_files):
            for (path, parsed), size in zip(parsed_files, sizes, strict=True):
                outcomes.append(_store(corpus, path, size, parsed))
                if bar is not None and task is not None:
                    bar.update(task, advance=size, description=_short(path))
    return _report(outcomes, len(files), sum(sizes), n_workers, time.perf_counter() - started)


def _expand(paths: Sequence[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The input files in order (each once), and the inputs that named nothing readable."""

    files: dict[Path, Path] = {}  # resolved → as given: a file named twice, or twice over, is read once
    failures: list[tuple[str, str]] = []
    for given in paths:
        if not given.exists():
            failures.append((str(given), "文件或文件夹不存在：请检查路径是否写对。"))
            continue
        found = list(iter_input_files([given]))
        if given.is_dir() and not found:
            kinds = " ".join(SUPPORTED_SUFFIXES)
            failures.append((str(given), f"文件夹中没有可读入的文件（支持 {kinds}）。"))
        for path in found:
            files.setdefault(path.resolve(), path)
    return list(files.values()), failures


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the parser reports the unreadable file by name


def _worker_count(workers: int | None, n_files: int, n_bytes: int) -> int:
    """``workers`` when given (at most one per file); else every core when there is enough work, else 1."""
    if workers is None:
        workers = available_cores() if n_bytes >= PARALLEL_MIN_BYTES else 1
    return max(1, min(workers, n_files))


def _parse_isolated(files: list[Path], limits: ParseLimits) -> Generator[tuple[Path, Parsed], None, None]:
    """``(file, parsed)`` in input order, each file parsed in a child process of its own."""
    for path in files:
        yield path, parse_isolated(path, limits)


def _parse_all(files: list[Path], workers: int) -> Generator[tuple[Path, Parsed], None, None]:
    """``(file, parsed)`` in input order; with workers, parsing runs ahead of the consumer in a window."""
    if workers <= 1:
        for path in files:
            yield path, parse_file(path)
        return
    pool = ProcessPoolExecutor(
        workers, mp_context=context(), initializer=start_worker, initargs=(os.getpid(), ParseLimits())
    )
    window = workers * IN_FLIGHT_PER_WORKER
    futures: deque[Future[Parsed]] = deque()
    submitted = done = 0
    try:
        while done < len(files):
            while submitted < len(files) and len(futures) < window:
                futures.append(pool.submit(parse_file, files[submitted]))
                submitted += 1
            parsed = futures.popleft().result()
            yield files[done], parsed
            done += 1
    except BrokenProcessPool:
        # A worker died (killed, or an embedding Python whose __main__ cannot be re-imported), at submit or at
        # result: finish the run with each file in a limited child of its own, so the file that killed the
        # worker cannot kill this process; where no child can start at all, parse here.
        limits = ParseLimits()
        for path in files[done:]:
            parsed = parse_isolated(path, limits)
            if parsed.failure is not None and parsed.failure.startswith(CHILD_FAILED):
                parsed = parse_file(path)
            yield path, parsed
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def start_worker(parent: int, limits: ParseLimits) -> None:
    """Pool worker initializer: end with the ingesting process, and parse within the memory limit."""
    die_with_parent(parent)
    # Address space only: a CPU-time limit would count every file the worker parses, not one.
    limit_resources(limits.memory_bytes, None)


def _store(corpus: DocumentSink, path: Path, size: int, parsed: Parsed) -> FileOutcome:
    if parsed.failure is not None:
        return FileOutcome(str(path), size, failure=parsed.failure)
    if not parsed.documents:
        return FileOutcome(str(path), size, failure="没有读出任何正文：请确认文件里有报告的文字。")
    seen = passages = 0
    added: list[str] = []
    for doc in parsed.documents:
        if corpus.add(doc, doc.source):
            added.append(doc.id)
            passages += len(doc.passages)
        else:
            seen += 1
    return FileOutcome(str(path), size, len(added), seen, passages, added_ids=tuple(added))


def _report(
    outcomes: list[FileOutcome], files: int, n_bytes: int, workers: int, seconds: float
) -> IngestReport:
    return IngestReport(
        files=files,
        documents_added=sum(o.documents_added for o in outcomes),
        documents_seen=sum(o.documents_seen for o in outcomes),
        passages_added=sum(o.passages_added for o in outcomes),
        failures=tuple((o.path, o.failure) for o in outcomes if o.failure is not None),
        seconds=seconds,
        bytes=n_bytes,
        outcomes=tuple(outcomes),
        workers=workers,
    )


def _short(path: Path, width: int = 40) -> str:
    name = path.name
    return name if len(name) <= width else "…" + name[-(width - 1) :]


class _NoBar:
    """Stands in for a progress bar when none is shown."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _progress_bar(wanted: bool, total: int) -> Progress | _NoBar:
    """A rich progress bar on stderr when asked for and stderr is a terminal, else nothing."""
    if not wanted or not sys.stderr.isatty() or total == 0:
        return _NoBar()
    from rich.console import Console  # lazy: start-up
    from rich.progress import (  # lazy: start-up
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
