"""The shared core object: what the web server and the command line see of one corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

from drafter.app import Drafter


def test_the_bank_is_parsed_once_and_a_remined_bank_is_picked_up(seeded_corpus: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "c.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    server = Drafter(corpus, seed=False)
    first = server.phrase_bank()
    assert server.phrase_bank() is first  # no re-read per draft request

    Drafter(corpus, seed=False).mine()  # `drafter mine` run while the server is up
    refreshed = server.phrase_bank()
    assert refreshed is not first
    assert server.phrase_bank() is refreshed
    assert refreshed.phrases
