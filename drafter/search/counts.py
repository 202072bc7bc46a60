"""Counting retrieval terms over many passages: scikit-learn's ``CountVectorizer``, in parallel when large.

jieba is the bottleneck of indexing (about 0.5 M characters a second on one core), so a big corpus is cut into
one contiguous chunk per core; each forked child counts its chunk with its own vocabulary and the parent merges
the vocabularies (work proportional to the vocabulary, not to the number of terms).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np

from drafter.processes import die_with_parent

if TYPE_CHECKING:
    from numpy.typing import NDArray

PARALLEL_MIN_CHARS = 1_500_000
"""Below this many characters a single process is faster than forking."""

Analyzer = Callable[[str], list[str]]
T = TypeVar("T")
M = TypeVar("M")
BATCH = 256
"""Messages a ``ForkedStream`` child sends at once (one pickle, one write)."""


def count_terms(
    texts: Sequence[str], analyzer: Analyzer, *, workers: int | None = None
) -> tuple[list[str], Any]:
    """The vocabulary and the passages × terms count matrix (CSR, float32) of ``texts``."""

    total = sum(len(t) for t in texts)
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if workers <= 1 or total < PARALLEL_MIN_CHARS or "fork" not in multiprocessing.get_all_start_methods():
        return _count_chunk(texts, analyzer)
    analyzer("科技")  # load the dictionary before forking: the children inherit it, and the texts, unpickled
    parts = in_forked_chunks(
        [len(t) for t in texts], lambda lo, hi: _count_chunk(texts[lo:hi], analyzer), workers
    )
    return merge_counts(parts)


def distinct(values: NDArray[np.int64]) -> NDArray[np.int64]:
    """The distinct ``values``, ascending: ``np.unique`` by sorting (numpy 2's ``unique`` hashes integers, some
    thirty times slower on the millions of codes of a corpus's (passage, word) pairs)."""
    return distinct_counts(values)[0]


def distinct_counts(values: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The distinct ``values``, ascending, and how often each occurs (``distinct``'s sort)."""
    ordered = np.sort(values)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(ordered) else ordered[:0]
    counts: NDArray[np.int64] = np.diff(np.r_[starts, len(ordered)]).astype(np.int64)
    kept: NDArray[np.int64] = ordered[starts]
    return kept, counts


def in_forked_chunks(sizes: Sequence[int], work: Callable[[int, int], T], workers: int) -> list[T]:
    """``work(lo, hi)`` over at most ``workers`` contiguous chunks of about equal ``sizes``, in chunk order.

    The first chunk is done here, the others in forked children (fork, not spawn: they inherit whatever
    ``work`` reads, nothing is pickled but the results). A child that dies (out of memory, killed) has its
    share done here; every child ends with this process, ``kill -9`` too.
    """
    context = multiprocessing.get_context("fork")
    bounds = chunk_bounds(sizes, workers)
    if not bounds:
        return []
    children = []
    for lo, hi in bounds[1:]:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_work_into, args=(work, lo, hi, sender, os.getpid()), daemon=True)
        child.start()
        sender.close()
        children.append((child, receiver, lo, hi))
    parts = [work(*bounds[0])]
    for child, receiver, lo, hi in children:
        try:
            parts.append(receiver.recv())
        except EOFError:
            parts.append(work(lo, hi))
        child.join()
    return parts


class ForkedStream(Generic[M, T]):
    """``work(send)`` started now in a forked child, streaming: what it passes to ``send`` arrives here, in
    order, through ``messages``, and then what it returns through ``result``. The child never waits for this
    process to read (a thread of its own writes, the rest queues in its memory), so it can go on to what
    follows its messages meanwhile. A child that dies (out of memory, killed) ends the messages early and
    gives ``None``; it ends with this process."""

    def __init__(self, work: Callable[[Callable[[M], None]], T]) -> None:
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._child = context.Process(target=_stream_into, args=(work, sender, os.getpid()), daemon=True)
        self._child.start()
        sender.close()
        self._open = True
        self._result: T | None = None

    def messages(self) -> Iterator[M]:
        """The messages not read yet, in the order sent, until the child is done (or dead)."""
        while self._open:
            try:
                kind, payload = self._receiver.recv()
            except EOFError:
                kind, payload = "done", None
            if kind == "done":
                self._open = False
                self._result = payload
                self._child.join()
            else:
                yield from payload

    def result(self) -> T | None:
        """What the work returned (the messages not read are dropped), ``None`` if the child died."""
        for _ in self.messages():
            pass
        return self._result


def _stream_into(work: Callable[[Callable[[Any], None]], Any], sender: Any, parent: int) -> None:
    """Child process: run ``work``, its messages sent in batches by a writer thread, then its result."""
    die_with_parent(parent)
    outbox: queue.SimpleQueue[tuple[str, Any] | None] = queue.SimpleQueue()

    def write() -> None:
        while (item := outbox.get()) is not None:
            sender.send(item)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    batch: list[Any] = []

    def send(message: Any) -> None:
        batch.append(message)
        if len(batch) >= BATCH:
            outbox.put(("part", batch[:]))
            batch.clear()

    result = work(send)
    if batch:
        outbox.put(("part", batch))
    outbox.put(("done", result))
    outbox.put(None)
    writer.join()
    sender.close()


def chunk_bounds(sizes: Sequence[int], parts: int) -> list[tuple[int, int]]:
    """At most ``parts`` contiguous, non-empty (start, end) ranges holding about equal sums of ``sizes``."""
    total = sum(sizes)
    bounds: list[tuple[int, int]] = []
    start = acc = 0
    for i, size in enumerate(sizes):
        acc += size
        if len(bounds) < parts - 1 and acc >= total * (len(bounds) + 1) / parts:
            bounds.append((start, i + 1))
            start = i + 1
    bounds.append((start, len(sizes)))
    return [b for b in bounds if b[1] > b[0]]


def merge_counts(parts: Sequence[tuple[list[str], Any]]) -> tuple[list[str], Any]:
    """One vocabulary and one count matrix from per-chunk ones (rows kept in chunk order)."""

    import scipy.sparse as sp  # lazy: start-up (building only)

    vocabulary: dict[str, int] = {}
    remaps = [
        np.fromiter(
            (vocabulary.setdefault(t, len(vocabulary)) for t in terms), dtype=np.int32, count=len(terms)
        )
        for terms, _ in parts
    ]
    size = len(vocabulary)
    blocks = [
        sp.csr_matrix((counts.data, remap[counts.indices], counts.indptr), shape=(counts.shape[0], size))
        for remap, (_, counts) in zip(remaps, parts, strict=True)
    ]
    return list(vocabulary), sp.vstack(blocks, format="csr", dtype=np.float32)


def _work_into(work: Callable[[int, int], Any], lo: int, hi: int, sender: Any, parent: int) -> None:
    """Child process: send ``work(lo, hi)`` to the parent (and end with the parent)."""
    die_with_parent(parent)
    sender.send(work(lo, hi))
    sender.close()


def _count_chunk(texts: Sequence[str], analyzer: Analyzer) -> tuple[list[str], Any]:
    """The vocabulary and count matrix of ``texts`` in this process."""

    import scipy.sparse as sp  # lazy: start-up (building only)
    from sklearn.feature_extraction.text import CountVectorizer  # lazy: start-up (building only)

    vectorizer = CountVectorizer(analyzer=analyzer, dtype=np.float32)
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # scikit-learn refuses an empty vocabulary: no text has a single term
        if any(analyzer(t) for t in texts):
            raise
        return [], sp.csr_matrix((len(texts), 0), dtype=np.float32)
    return [str(t) for t in vectorizer.get_feature_names_out()], counts
