"""A server's Word files made in worker processes: the same file, and still made when a worker dies."""

from __future__ import annotations

import io
import os
import re
import signal
import zipfile
from pathlib import Path

from drafter.app import Drafter
from drafter.draft.compose import compose
from drafter.draft.docx import draft_to_bytes
from tests.draft_builders import FakeSearch, example_form, make_bank

FORM = Path(__file__).resolve().parent.parent / "examples" / "forms" / "keji_annual_2025.yaml"


def body_and_comments(data: bytes) -> tuple[bytes, bytes]:
    """The document's body and its comments (the comments' time stamps left out)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        comments = re.sub(rb' w:date="[^"]*"', b"", archive.read("word/comments.xml"))
        return archive.read("word/document.xml"), comments


def test_worker_processes_make_the_same_word_file_and_survive_a_killed_worker(tmp_path: Path) -> None:
    draft = compose(example_form(FORM), make_bank(), FakeSearch())
    drafter = Drafter(tmp_path / "corpus.sqlite3", seed=False, export_workers=1)
    try:
        made = drafter.export(draft)
        assert body_and_comments(made) == body_and_comments(draft_to_bytes(draft))
        assert b"<w:comment " in body_and_comments(made)[1]  # the references travelled with the draft
        workers = drafter._exports._pool._processes  # type: ignore[union-attr]
        assert workers
        assert all(pid != os.getpid() for pid in workers)
        for pid in list(workers):
            os.kill(pid, signal.SIGKILL)
        again = drafter.export(draft)  # the broken pool is replaced; this one is made here
        assert body_and_comments(again) == body_and_comments(made)
        assert body_and_comments(drafter.export(draft)) == body_and_comments(made)
    finally:
        drafter.close()
