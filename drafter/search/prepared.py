"""What a hit shows beyond its text, prepared when the index is built and saved with it.

- Frames (``drafter.search.frames.frame_of``): about a third of a millisecond a passage, most of a search's
  time when computed for each hit shown. They are computed for every passage when the index is built (in
  forked children when the corpus is large) and saved as one UTF-8 blob with byte offsets, so a hit reads
  its frame by slicing.
- Copy prints: the first and last word characters of each passage (``drafter.search.dedup.ends``) and its
  length, so the copy check compares only passages that could be copies.

An index saved before these existed, or passages added after the last save, still work: a missing frame is
computed when its passage is first shown (and kept), and saving fills in every missing one.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from drafter.search.dedup import ends

FRAMES = "frames"
FRAME_OFFSETS = "frame_offsets"
HEADS = "heads"
TAILS = "tails"
KEYS = (FRAMES, FRAME_OFFSETS, HEADS, TAILS)
"""The arrays saved with the index (``SearchIndex.save``), read back by ``Prepared``."""
PARALLEL_MIN_PASSAGES = 4000
"""Below this many passages one process is faster than forking."""
WARM_UP = "张建国副县长在白雀寺镇木匣沟村调研某某科技有限公司，2025年增长12%。"
"""A text that loads every word list ``frame_of`` uses, before children are forked (they inherit them)."""


class Prepared:
    """Per-passage frames and copy prints of one index's passages (texts and units given in passage order).

    ``saved`` holds the arrays of an earlier save (``arrays``); they may cover only the first passages.
    Thread-safe: a frame computed late is stored under a lock.
    """

    def __init__(
        self, texts: Sequence[str], units: Sequence[str | None], saved: Mapping[str, Any] | None = None
    ) -> None:
        self._texts = texts
        self._units = units
        self._lock = threading.Lock()
        n = len(texts)
        self.lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
        """Each passage's length in characters (the copy check's first test)."""
        saved = dict(saved or {})
        self._frames: tuple[memoryview, list[int]] = (memoryview(b""), [0])
        """The UTF-8 blob of the prepared frames and their byte offsets (swapped whole, never edited): a view of
        the saved array (not copied at load) and a list, so a hit's frame is one slice and one decode."""
        blob: Any = saved.get(FRAMES)
        offsets: Any = saved.get(FRAME_OFFSETS)
        if _consistent(blob, offsets, n):
            self._frames = (memoryview(blob), offsets.astype(np.int64).tolist())
        self._late: dict[int, str] = {}
        heads: Any = saved.get(HEADS)
        tails: Any = saved.get(TAILS)
        known = len(heads) if heads is not None and tails is not None and len(heads) == len(tails) else 0
        known = min(known, n)
        prints = [ends(text) for text in texts[known:]]
        self.heads: list[str] = [*(heads[:known].tolist() if known else []), *(p[0] for p in prints)]
        """The first ``dedup.END`` word characters of each passage, lower-cased."""
        self.tails: list[str] = [*(tails[:known].tolist() if known else []), *(p[1] for p in prints)]
        """The last ``dedup.END`` word characters of each passage, lower-cased."""

    @property
    def framed(self) -> int:
        """How many passages (from the first) have their frame prepared."""
        return len(self._frames[1]) - 1

    def frame(self, i: int) -> str:
        """The frame of passage ``i`` (prepared, or computed now and kept)."""
        blob, offsets = self._frames
        if i < len(offsets) - 1:
            return str(blob[offsets[i] : offsets[i + 1]], "utf-8")
        frame = self._late.get(i)
        if frame is None:
            frame = self._frame_now(i)
            with self._lock:
                self._late[i] = frame
        return frame

    def complete(self, workers: int | None = None) -> None:
        """Prepare the frame of every passage that has none yet (in forked children when many)."""
        start = self.framed
        n = len(self._texts)
        if start >= n:
            return
        frames = frames_of(self._texts[start:], self._units[start:], workers=workers)
        encoded = [f.encode("utf-8") for f in frames]
        with self._lock:
            blob, offsets = self._frames
            if len(offsets) - 1 != start:
                return  # another thread completed them meanwhile
            ends = list(itertools.accumulate(map(len, encoded), initial=offsets[-1]))[1:]
            self._frames = (memoryview(b"".join([blob, *encoded])), offsets + ends)
            self._late.clear()

    def arrays(self, workers: int | None = None) -> dict[str, Any]:
        """Everything prepared, as the arrays saved with the index (missing frames computed first)."""
        self.complete(workers)
        blob, offsets = self._frames
        return {
            FRAMES: np.frombuffer(blob, dtype=np.uint8),
            FRAME_OFFSETS: np.array(offsets, dtype=np.int64),
            HEADS: np.array(self.heads, dtype=f"<U{max(map(len, self.heads), default=1) or 1}"),
            TAILS: np.array(self.tails, dtype=f"<U{max(map(len, self.tails), default=1) or 1}"),
        }

    def _frame_now(self, i: int) -> str:
        from drafter.search.frames import frame_of  # lazy: start-up (frames are mostly prepared)

        unit = self._units[i]
        return frame_of(self._texts[i], [unit] if unit else [])


def _consistent(blob: Any, offsets: Any, passages: int) -> bool:
    """Whether saved frames (``blob`` cut at ``offsets``) fit an index of ``passages`` (the first ones at least)."""
    if blob is None or offsets is None or not 1 <= len(offsets) <= passages + 1:
        return False
    return int(offsets[0]) == 0 and int(offsets[-1]) == len(blob) and bool(np.all(np.diff(offsets) >= 0))


def frames_of(texts: Sequence[str], units: Sequence[str | None], *, workers: int | None = None) -> list[str]:
    """The frame of each of ``texts`` (its document's unit masked too), in forked children when many."""
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    if (
        workers <= 1
        or len(texts) < PARALLEL_MIN_PASSAGES
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return _frames_chunk(texts, units)
    from drafter.search.counts import in_forked_chunks  # lazy: start-up (building only)
    from drafter.search.frames import frame_of  # lazy: start-up (building only)

    frame_of(WARM_UP)  # load jieba and the word lists before forking: the children inherit them
    parts = in_forked_chunks(
        [len(t) for t in texts], lambda lo, hi: _frames_chunk(texts[lo:hi], units[lo:hi]), workers
    )
    return [frame for part in parts for frame in part]


def _frames_chunk(texts: Sequence[str], units: Sequence[str | None]) -> list[str]:
    from drafter.search.frames import frame_of  # lazy: start-up (building only)

    return [frame_of(text, [unit] if unit else []) for text, unit in zip(texts, units, strict=True)]
