"""Word files kept by the draft they were exported from, so the same draft is exported once.

Exporting is a pure function of the composed ``Draft`` (a frozen, hashable model); composing runs for every
request (the draft itself kept per corpus state, ``drafter.app_drafts``), so a changed corpus, phrase bank
or template gives a new ``Draft`` and therefore a new file. Writers preview, download, download again, and share one form file
among colleagues: the same draft comes back often. Concurrent requests for one draft wait for a single export,
and only a few exports run at once: they hold the interpreter lock anyway, and each holds a whole Word
document in memory (sixteen at once took the server from 300 MB to 1 GB).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future

from drafter.models import Draft


class WordCache:
    """A bounded, thread-safe LRU of exported files keyed by ``Draft``, with one export per draft at a time."""

    def __init__(
        self,
        export: Callable[[Draft], bytes],
        *,
        max_entries: int = 128,
        max_bytes: int = 64_000_000,
        max_exports: int = 2,
    ) -> None:
        self._export = export
        self._slots = threading.BoundedSemaphore(max(1, max_exports))
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._files: OrderedDict[_Key, bytes] = OrderedDict()
        self._pending: dict[_Key, Future[bytes]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._files)

    def get(self, draft: Draft) -> bytes:
        """The file of ``draft``: kept from before, being exported by another request, or exported now."""
        key = _Key(draft)
        with self._lock:
            data = self._files.get(key)
            if data is not None:
                self._files.move_to_end(key)
                return data
            pending = self._pending.get(key)
            owner = pending is None
            if pending is None:
                pending = self._pending[key] = Future()
        if not owner:
            return pending.result()
        try:
            with self._slots:
                data = self._export(draft)
        except BaseException as exc:
            with self._lock:
                del self._pending[key]
            pending.set_exception(exc)
            raise
        with self._lock:
            del self._pending[key]
            self._keep(key, data)
        pending.set_result(data)
        return data

    def _keep(self, key: _Key, data: bytes) -> None:
        if self._max_entries <= 0 or len(data) > self._max_bytes:
            return
        self._files[key] = data
        self._bytes += len(data)
        while len(self._files) > self._max_entries or self._bytes > self._max_bytes:
            _, dropped = self._files.popitem(last=False)
            self._bytes -= len(dropped)


class _Key:
    """A draft as a key, its hash computed once (a draft's hash walks every node and reference: a request
    asked for it five times)."""

    __slots__ = ("draft", "hash")

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.hash = hash(draft)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and (other.draft is self.draft or other.draft == self.draft)
