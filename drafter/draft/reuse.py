"""What composing a draft may take from earlier drafts: the steps that depend only on their own inputs.

Forms posted to a busy server differ in a figure or two. Most of composing one is the same work as for the
last form: where each figure and highlight goes (``themes.place``), what a section's figures say
(``results.section_results``), the headings of a part (``heading_styles.choose_headings``), which listed
theme a section borrows from (``Bureau.theme``) and which references a section gets
(``references.select_references``). Each is a pure function of its arguments, given the phrase bank, the
theme catalog and the search. ``compose`` asks its ``Steps`` for them under keys that name every other
argument (the references' key holds the passages earlier sections took, since a passage serves one section
only) and prefixes every key with the bank and the catalog (``Scoped``); the caller gives one ``Steps`` per
corpus state and viewer, which fixes the search (``drafter.app_drafts``). A form differing in one figure
then recomputes the section that figure is in and reuses every other.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Protocol, TypeVar

from drafter.draft.form import Figure
from drafter.draft.heading_styles import HeadingChoice, choose_headings
from drafter.draft.results import SectionResults, section_results
from drafter.draft.themes import Bureau, Candidate, Theme, place
from drafter.models import OpenerFamily, Phrase, PhraseBank

V = TypeVar("V")


class Steps(Protocol):
    """A store of step results by key."""

    def value(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept under ``key``, else ``make()`` (then kept)."""
        ...


class Fresh:
    """Steps computed every time (nothing kept)."""

    def value(self, key: Hashable, make: Callable[[], V]) -> V:
        """``make()``."""
        return make()


FRESH = Fresh()


class Pinned:
    """``obj`` as part of a key: equal only to itself (not hashed by content), and kept alive by the key, so
    its identity is never another object's while the key is kept."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pinned) and other.obj is self.obj


class Scoped:
    """``steps`` with every key prefixed by ``prefix`` (what else fixes the steps: the bank, the catalog)."""

    def __init__(self, steps: Steps, *prefix: Hashable) -> None:
        self.steps = steps
        self.prefix = prefix

    def value(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept under ``prefix`` + ``key``, else ``make()``."""
        return self.steps.value((self.prefix, key), make)


def scoped(steps: Steps | None, *fixed: object) -> Steps:
    """``steps`` for one set of ``fixed`` objects (``FRESH`` when ``steps`` is ``None`` or ``FRESH``)."""
    if steps is None or isinstance(steps, Fresh):
        return FRESH
    return Scoped(steps, *(Pinned(obj) for obj in fixed))


# --- the steps, kept -----------------------------------------------------------------------------------
# Each key names every argument but the bank and the catalog, which ``steps`` fixes (a bureau is the
# catalog's and an opener family the bank's: their identity names them).


def kept_place(
    steps: Steps,
    options_key: Hashable,
    text: str,
    options: Sequence[Candidate],
    fallback: str,
    frames: Sequence[Phrase],
) -> str:
    """``themes.place`` (``options_key`` names what ``options`` and ``fallback`` are made of; ``frames`` are
    the bank's)."""
    return steps.value(("place", options_key, text), lambda: place(text, options, fallback, frames))


def kept_theme(steps: Steps, bureau: Bureau, theme: str) -> Theme | None:
    """``bureau.theme(theme)``."""
    return steps.value(("theme", id(bureau), theme), lambda: bureau.theme(theme))


def kept_headings(
    steps: Steps,
    themes: list[str],
    bank: PhraseBank,
    *,
    style: str,
    family: OpenerFamily | None,
    results: list[str | None],
    overrides: list[str | None],
) -> tuple[HeadingChoice, ...]:
    """``heading_styles.choose_headings``."""
    key = ("headings", tuple(themes), style, id(family), tuple(results), tuple(overrides))
    return steps.value(
        key,
        lambda: tuple(
            choose_headings(themes, bank, style=style, family=family, results=results, overrides=overrides)
        ),
    )


def kept_results(
    steps: Steps,
    figures: list[Figure],
    *,
    half: bool,
    frames: Sequence[Phrase],
    period_word: str,
    verbs: tuple[str, ...],
) -> SectionResults:
    """``results.section_results`` (``frames`` and ``verbs`` are the bank's; the figures named by their JSON,
    which tells -0.0 from 0.0 where equality does not)."""
    return steps.value(
        ("results", tuple(f.model_dump_json() for f in figures), half, period_word),
        lambda: section_results(figures, half=half, frames=frames, period_word=period_word, verbs=verbs),
    )
