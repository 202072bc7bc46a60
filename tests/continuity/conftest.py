"""Reports written as text files and read the way ``drafter form --from`` reads them (ingest's reader,
cleaner and outline, then the continuity reading)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from drafter.app import Drafter
from drafter.continuity.reading import Reading
from drafter.models import Document

ReportReader = Callable[[str], Reading]


@pytest.fixture
def report_doc(tmp_path: Path) -> Callable[[str], Document]:
    """The first ``Document`` of a report text saved as a .txt file and read by ingest."""

    def read(text: str, name: str = "去年的报告.txt") -> Document:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return Drafter(tmp_path / "unused.sqlite3").read_reports(path)[0]

    return read


@pytest.fixture
def read_last(report_doc: Callable[[str], Document]) -> ReportReader:
    """What last year's report (given as text) states."""

    def read(text: str) -> Reading:
        return Drafter(None).read_last_report(report_doc(text))

    return read
