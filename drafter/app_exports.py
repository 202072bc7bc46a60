"""Word exports in worker processes, one per core, so that exporting a draft never holds the interpreter lock
that composing the next request's draft needs (a server's exports and compositions then run side by side).

A ``Draft`` is a frozen pydantic model: it travels to a worker pickled and the file comes back as bytes. The
workers start on the first export (forkserver: never a fork of a threaded server) and end with their parent
(``processes.die_with_parent``). A pool that broke (a worker killed) is replaced, and that export runs here.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from drafter.models import Draft
from drafter.processes import die_with_parent


def export_draft(draft: Draft) -> bytes:
    """The Word file of ``draft`` (GB/T 9704 layout; run in a worker)."""
    from drafter.draft.docx import draft_to_bytes  # lazy: start-up

    return draft_to_bytes(draft)


def _warm() -> None:
    from drafter.draft.docx_template import skeleton  # lazy: start-up (python-docx, the styled page)

    skeleton()


class ExportWorkers:
    """A pool of ``workers`` processes exporting drafts (started on first use; ``close`` ends them)."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("forkserver"),
                    initializer=die_with_parent,
                    initargs=(os.getpid(),),
                )
                for _ in range(self.workers):
                    self._pool.submit(_warm)
            return self._pool

    def export(self, draft: Draft) -> bytes:
        """The Word file of ``draft``, made by a worker (here, when the pool broke)."""
        pool = self._started()
        try:
            return pool.submit(export_draft, draft).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            return export_draft(draft)

    def close(self) -> None:
        """End the workers (a later export starts new ones)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
