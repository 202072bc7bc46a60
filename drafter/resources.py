"""Where Drafter's shipped data folders and the user's data directory are.

The folders ``templates/``, ``phrasebank/`` and ``examples/`` sit at the top of the repository so an IT
person can edit them; a built wheel carries them as ``drafter/_bundled/<name>``. Both layouts are real
(a source checkout and an installed copy); nothing else is searched.
"""

from __future__ import annotations

import os
from pathlib import Path

from drafter.errors import NotFoundError

_PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_NAMES = ("templates", "phrasebank", "examples")

CORPUS_ENV = "DRAFTER_CORPUS"
"""Environment variable naming the default corpus file."""
DATABASE_ENV = "DRAFTER_DATABASE"
"""Environment variable naming the store: a ``postgresql://`` URL, or an SQLite file (path or ``sqlite:///``)."""


def bundled_dir(name: str) -> Path:
    """The shipped folder ``name`` (one of ``BUNDLED_NAMES``), from an installed wheel or a checkout."""
    if name not in BUNDLED_NAMES:
        raise ValueError(f"unknown bundled folder {name!r}")
    for candidate in (_PACKAGE_DIR / "_bundled" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise NotFoundError(f"找不到随程序提供的 {name}/ 目录：安装可能不完整，请重新安装 drafter。")


def sample_corpus_dir() -> Path:
    """The bundled sample corpus (the seed reports)."""
    return bundled_dir("examples") / "corpus"


def user_data_dir() -> Path:
    """The per-user data directory (created on demand)."""
    from platformdirs import user_data_path  # lazy: start-up

    path = user_data_path("drafter", appauthor=False, ensure_exists=True)
    return Path(path)


def default_corpus_path() -> Path:
    """The corpus used when no ``--corpus`` is given: ``$DRAFTER_CORPUS`` or the user data directory's."""
    env = os.environ.get(CORPUS_ENV)
    if env:
        return Path(env).expanduser()
    return user_data_dir() / "corpus.sqlite3"


def cache_dir() -> Path:
    """A per-user cache directory (jieba's dictionary cache lives here, not in the system temp dir)."""
    from platformdirs import user_cache_path  # lazy: start-up

    return Path(user_cache_path("drafter", appauthor=False, ensure_exists=True))
