"""The search index on disk: arrays in an ``.npz`` and the vocabulary and passage metadata in a JSON file.

No pickle (scikit-learn objects are version-fragile and pickles execute code). Each file is written to a
temporary name and renamed into place; the JSON, written last, commits. Both carry the id of the save they
belong to, so a reader never pairs the arrays of one save with the metadata of another.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

FORMAT = 2
"""Bumped whenever the files' layout or the indexed terms change: an index of another format is rebuilt."""
NPZ_NAME = "search-index.npz"
JSON_NAME = "search-index.json"


def write_index(directory: Path, arrays: dict[str, Any], meta: dict[str, Any]) -> None:
    """Save ``arrays`` (numpy) and ``meta`` (JSON-ready) into ``directory``, replacing any earlier index."""

    directory.mkdir(parents=True, exist_ok=True)
    build_id = uuid.uuid4().hex
    stamped = {**arrays, "build_id": np.array(build_id)}
    document = {**meta, "format": FORMAT, "build_id": build_id}
    _write_atomic(directory / NPZ_NAME, lambda f: np.savez(f, **stamped))
    _write_atomic(directory / JSON_NAME, lambda f: f.write(json.dumps(document, ensure_ascii=False).encode()))


def read_index(directory: Path) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The arrays and metadata saved in ``directory``; ``None`` when missing, corrupt, mixed or of another format."""

    try:
        meta = json.loads((directory / JSON_NAME).read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            return None
        # Our own file handle: numpy leaves its own open when the archive turns out corrupt.
        with (directory / NPZ_NAME).open("rb") as f, np.load(f, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        if str(arrays.pop("build_id")) != meta["build_id"]:
            return None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.info("search index in %s unusable (%s); it will be rebuilt", directory, exc)
        return None
    return arrays, meta


def _write_atomic(path: Path, write: Callable[[Any], object]) -> None:
    """Write ``path`` through a temporary file in the same folder, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):  # the clean-up must not hide the failure being raised
            Path(tmp).unlink(missing_ok=True)
        raise


class SavedMatrix:
    """A CSR matrix as loaded from disk: its three arrays and shape (no scipy needed to search it)."""

    def __init__(self, indptr: Any, indices: Any, data: Any, shape: tuple[int, int]) -> None:
        if len(indptr) != shape[0] + 1 or len(indices) != len(data) or int(indptr[-1]) != len(data):
            raise ValueError("inconsistent matrix arrays")
        self.indptr, self.indices, self.data, self.shape = indptr, indices, data, shape
