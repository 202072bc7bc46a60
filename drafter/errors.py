"""Drafter's own error types.

Raised in the core with a message a bureau writer can act on (in Chinese: what input, what is wrong,
how to fix it); translated into an exit status by ``cli.py`` and into an HTTP status by ``web.py``.
A bug is never turned into one of these: only conditions a user can cause and fix.
"""

from __future__ import annotations

from dataclasses import dataclass


class DrafterError(Exception):
    """Base class: a user-facing problem with a one-line Chinese message (exit status 1 at the CLI)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputFileError(DrafterError):
    """A file could not be read as a report (empty, binary, corrupt, unknown encoding, too large)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}：{reason}")
        self.path = path
        self.reason = reason


class CorpusError(DrafterError):
    """The corpus file cannot be opened or written (wrong path, not a Drafter corpus, read-only)."""


class DatabaseUnavailableError(CorpusError):
    """The database server cannot be reached right now (restarting, network): retry later (web: 503)."""


class NotFoundError(DrafterError):
    """A document, template or resource the user named does not exist."""


@dataclass(frozen=True)
class FieldProblem:
    """One invalid form field: ``path`` like ``figures[2].value`` and a Chinese explanation."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}：{self.message}" if self.path else self.message


def field_path(loc: tuple[int | str, ...]) -> str:
    """A field's path as messages name it: ``('figures', 2, 'value')`` → ``figures[2].value``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def field_loc(path: str) -> tuple[int | str, ...]:
    """The inverse of ``field_path``: ``figures[2].value`` → ``('figures', 2, 'value')``."""
    loc: list[int | str] = []
    for dotted in path.split(".") if path else []:
        name, _, rest = dotted.partition("[")
        if name:
            loc.append(name)
        for index in rest.replace("]", "").split("[") if rest else []:
            loc.append(int(index) if index.isdigit() else index)
    return tuple(loc)


class FormError(DrafterError):
    """The form (YAML/JSON/web) is invalid; carries every problem with its field path."""

    def __init__(self, problems: list[FieldProblem], source: str = "表单") -> None:
        self.problems = tuple(problems)
        self.source = source
        detail = "；".join(str(p) for p in self.problems)
        super().__init__(f"{source}有误：{detail}")
