"""Opening a corpus file, creating it whole (and optionally filled) when it does not exist yet."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from drafter.corpus.files import check_file
from drafter.corpus.store import Corpus


def open_corpus(path: Path, *, fill: Callable[[Corpus], None] | None = None) -> Corpus:
    """The corpus at ``path``; a file that does not exist yet is created whole first (filled by ``fill``).

    Two processes starting on the same new corpus never race to lay out its schema: each builds a copy
    under a private name and links it into place, and the first link wins.
    """
    if not path.exists():
        _create(path, fill)
    return Corpus(path)


def _create(target: Path, fill: Callable[[Corpus], None] | None) -> None:
    """Create the corpus ``target`` (optionally filled by ``fill``) under a private name, then link it in.

    A killed or concurrent first run never leaves a half-made corpus behind; when another process links
    its copy first, theirs is as good as ours.
    """
    check_file(target)
    scratch = target.with_name(f"{target.name}.creating-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        with Corpus(scratch) as corpus:
            if fill is not None:
                fill(corpus)
            corpus.checkpoint()
        try:
            os.link(scratch, target)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not target.exists():
                os.replace(scratch, target)
    finally:
        for leftover in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
            with contextlib.suppress(OSError):  # a read-only folder: the error being raised matters more
                leftover.unlink(missing_ok=True)
