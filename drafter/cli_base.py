"""What every ``drafter`` command shares: the one-line Chinese errors, the group that turns domain errors into
them, the ``--corpus`` option, the application object's factory and the JSON printers."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from drafter.errors import DrafterError
from drafter.resources import CORPUS_ENV, DATABASE_ENV

if TYPE_CHECKING:
    from drafter.app import Drafter

F = TypeVar("F", bound=Callable[..., Any])


class UserError(click.ClickException):
    """A ``DrafterError`` on its way to the terminal: one line, no traceback, exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.message}", err=True)


class UserUsageError(UserError):
    """A wrong option value caught by Drafter itself: one line, exit status 2 like click's usage errors."""

    exit_code = 2


class DrafterGroup(click.Group):
    """A group that turns domain errors raised by any command into ``UserError``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DrafterError as exc:
            raise UserError(exc.message) from exc


def _use_database(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """``--database``: every Drafter this process (and its workers) opens uses that store."""
    if value:
        os.environ[DATABASE_ENV] = value


def corpus_option(func: F) -> F:
    """The ``--corpus`` and ``--database`` options every command that touches a corpus takes."""
    func = click.option(
        "--database",
        envvar=DATABASE_ENV,
        default=None,
        expose_value=False,
        callback=_use_database,
        help=f"共享数据库：postgresql://用户@主机/数据库（多台网页服务器共用一个 PostgreSQL），或 SQLite 文件路径。默认取环境变量 {DATABASE_ENV}。",
    )(func)
    return click.option(
        "--corpus",
        "corpus",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar=CORPUS_ENV,
        default=None,
        help=f"语料库文件（SQLite）。默认取环境变量 {CORPUS_ENV}，否则使用用户数据目录中的语料库（首次使用时自动载入示例语料）。",
    )(func)


def make_drafter(corpus: Path | None) -> Drafter:
    """The application object on ``corpus`` (the default corpus when ``None``)."""
    from drafter.app import Drafter  # lazy: start-up (the stages load on first use, not for --help)

    return Drafter(corpus)


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON (Chinese as is)."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def echo_jsonl(rows: Iterable[dict[str, Any]]) -> None:
    """Print one JSON object per line (JSON Lines), flushed at the end."""
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False))
        out.write("\n")
    out.flush()
