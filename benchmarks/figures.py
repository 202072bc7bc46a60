"""Figures a benchmark prints as it measures them, then again as one table at the end."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table


class Figures:
    """Rows of (what, figure, anchor): each printed when measured (a long run shows progress), all in a
    table by ``show``."""

    def __init__(self) -> None:
        self.console = Console()
        self.rows: list[tuple[str, str, str]] = []

    def row(self, what: str, figure: str, anchor: str = "") -> None:
        """Record one figure and print it at once."""
        self.rows.append((what, figure, anchor))
        self.console.print(f"{what}: {figure} {anchor}")

    def show(self, title: str, anchor: str = "anchor") -> None:
        """Print every recorded figure as one table titled ``title`` (``anchor``: the third column's header)."""
        table = Table("figure", "value", anchor, title=title)
        for what, figure, note in self.rows:
            table.add_row(what, figure, note)
        self.console.print(table)


def held_out(files: Sequence[Path]) -> tuple[Path, list[Path]]:
    """The middle file of ``files`` (a report to add later) and the others (the corpus it joins)."""
    middle = len(files) // 2
    return files[middle], [*files[:middle], *files[middle + 1 :]]
