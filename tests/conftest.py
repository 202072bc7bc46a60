"""Shared fixtures: the sample corpus, the external corpora, a fresh corpus path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "corpus"
EXTERNAL = REPO.parent / "shared" / "corpus-external"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The bundled sample corpus (the five seed reports, as scraped)."""
    return SEEDS


@pytest.fixture(scope="session")
def external_dir() -> Path:
    """../shared/corpus-external; in CI its absence is a failure, elsewhere the test is skipped."""
    if not EXTERNAL.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{EXTERNAL} is missing: CI must run beside ../shared")
        pytest.skip("../shared/corpus-external is not beside this checkout")
    return EXTERNAL


@pytest.fixture
def corpus_path(tmp_path: Path) -> Path:
    """A path for a fresh corpus file inside the test's temp dir."""
    return tmp_path / "corpus.sqlite3"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the real per-user data directory and DRAFTER_CORPUS."""
    home = tmp_path_factory.getbasetemp() / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("DRAFTER_CORPUS", raising=False)
    monkeypatch.delenv("DRAFTER_DATABASE", raising=False)


@pytest.fixture(scope="session")
def seeded_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus file holding the ingested sample corpus (built once per test session; treat as read-only)."""
    from drafter.app import Drafter

    path = tmp_path_factory.mktemp("seeded") / "corpus.sqlite3"
    drafter = Drafter(path)
    report = drafter.ingest([SEEDS])
    assert not report.failures, report.failures
    drafter.close()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty store of each backend, as a ``--database`` value: an SQLite file, a PostgreSQL URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "corpus.sqlite3")
        return
    from tests.pg import fresh_database

    with fresh_database() as url:
        yield url
