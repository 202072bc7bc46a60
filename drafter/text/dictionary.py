"""jieba's word frequencies in a form that loads at once: sorted arrays memory-mapped from Drafter's cache.

jieba keeps its dictionary (about 500 000 words and word prefixes with their frequencies, the user dictionary
merged in) as one marshalled dict that takes most of a second or more to load. Here the merged dictionary is
saved once as two ``.npy`` files (the keys sorted, fixed width, and their frequencies) plus a small JSON for the
few longer keys and the total; a new process maps them and looks words up by binary search
(``SortedFrequencies``), which costs nothing to open and a few microseconds a look-up. Cutting a query or a
draft's sections needs a few hundred look-ups; cutting a corpus needs millions, so ``as_dict`` turns the arrays
into jieba's plain dict (several times faster than jieba's own cache) when the tokenizer sees bulk work.
The segmentation is jieba's own algorithm on the same frequencies, hence identical.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

WIDTH = 6
"""Keys up to this many characters live in the arrays; the few longer ones (under 1 %) in the JSON."""
FORMAT = 1
SEEN = 1 << 16
"""Look-ups remembered per dictionary (a draft asks about a thousand distinct words, a query a few dozen)."""
_UNSEEN: Any = object()


class SortedFrequencies:
    """A read-only ``word → frequency`` lookup over sorted arrays (what jieba's DAG asks of its ``FREQ``)."""

    def __init__(self, keys: Any, freqs: Any, long: dict[str, int]) -> None:
        self._keys = keys
        self._freqs = freqs
        self._long = long
        self._n = len(keys)
        self._seen: dict[str, int | None] = {}
        """Words already looked up (``None``: unknown): a text's cut asks for the same few words many times."""

    def get(self, word: str, default: int | None = None) -> int | None:
        """The frequency of ``word`` (0 for a prefix of a word), or ``default`` when unknown."""
        if len(word) > WIDTH:
            return self._long.get(word, default)
        found = self._seen.get(word, _UNSEEN)
        if found is _UNSEEN:
            i = int(self._keys.searchsorted(word))
            found = int(self._freqs[i]) if i < self._n and self._keys[i] == word else None
            if len(self._seen) < SEEN:
                self._seen[word] = found
        return default if found is None else found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __len__(self) -> int:
        return self._n + len(self._long)

    def as_dict(self) -> dict[str, int]:
        """The same frequencies as a plain dict (for bulk tokenising)."""
        frequencies = dict(zip(self._keys.tolist(), self._freqs.tolist(), strict=True))
        frequencies.update(self._long)
        return frequencies


def dictionary_key(*parts: bytes | str) -> str:
    """A short hash naming one dictionary (jieba's version and file, the user dictionary's bytes)."""
    digest = hashlib.sha256()
    for part in (str(FORMAT), *parts):
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def load(folder: Path, key: str) -> tuple[SortedFrequencies, int] | None:
    """The frequencies and total saved under ``key`` in ``folder``, or ``None`` (missing or damaged)."""
    import numpy as np  # lazy: start-up (only the tokenizer needs it)

    try:
        meta = json.loads((folder / f"jieba-{key}.json").read_text(encoding="utf-8"))
        keys = np.load(folder / f"jieba-{key}.keys.npy", mmap_mode="r", allow_pickle=False)
        freqs = np.load(folder / f"jieba-{key}.freqs.npy", mmap_mode="r", allow_pickle=False)
        if meta.get("key") != key or len(keys) != len(freqs) or len(keys) != meta["count"]:
            return None
        long = {str(k): int(v) for k, v in meta["long"].items()}
        return SortedFrequencies(keys, freqs, long), int(meta["total"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(folder: Path, key: str, frequencies: Mapping[str, int], total: int) -> None:
    """Save ``frequencies`` (jieba's ``FREQ`` after the user dictionary) under ``key``; the JSON, written last,
    commits. A folder that cannot be written is left alone (the next process loads the slow way again)."""
    import numpy as np  # lazy: start-up (only the tokenizer needs it)

    short = sorted(k for k in frequencies if len(k) <= WIDTH)
    keys = np.array(short, dtype=f"<U{WIDTH}")
    freqs = np.array([frequencies[k] for k in short], dtype=np.int64)
    long = {k: int(v) for k, v in frequencies.items() if len(k) > WIDTH}
    meta = {"key": key, "count": len(short), "total": int(total), "long": long}
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        _atomic(folder / f"jieba-{key}.keys.npy", lambda f: np.save(f, keys, allow_pickle=False))
        _atomic(folder / f"jieba-{key}.freqs.npy", lambda f: np.save(f, freqs, allow_pickle=False))
        _atomic(
            folder / f"jieba-{key}.json", lambda f: f.write(json.dumps(meta, ensure_ascii=False).encode())
        )


def _atomic(path: Path, write: Callable[[Any], object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink(missing_ok=True)
        raise


def derived_lists(name: str, source: Path, build: Callable[[], list[list[str]]]) -> list[list[str]]:
    """Word lists derived from a dictionary file (``build`` reads it), kept in Drafter's cache beside the
    mapped dictionary and rebuilt when the file changes: a new process reads a small JSON instead."""
    from drafter.resources import cache_dir  # lazy: start-up

    stat = source.stat()
    key = dictionary_key(name, str(source), f"{stat.st_size}:{stat.st_mtime_ns}")
    path = cache_dir() / f"{name}-{key}.json"
    with contextlib.suppress(OSError, ValueError):
        saved = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(saved, list) and all(isinstance(words, list) for words in saved):
            return [[str(w) for w in words] for words in saved]
    lists = build()
    with contextlib.suppress(OSError):
        _atomic(path, lambda f: f.write(json.dumps(lists, ensure_ascii=False).encode()))
    return lists
