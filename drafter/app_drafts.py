"""The application object's drafting: form → ``Draft`` → Word file, with what a busy server can share.

``Drafting`` is mixed into ``drafter.app.Drafter``. Composing a draft is a pure function of the form, the
viewer's scope and the corpus's state (its documents, the phrase bank, the search index and the related
terms); most of its time goes to the sections' reference searches (two per section). Writers preview then
download the same form, colleagues post the same form file, and forms that differ in one figure still ask
the same reference questions for every section that figure is not in. So ``DraftMemo`` keeps, for the
corpus state it was filled in, the composed drafts (by form and scope) and the reference searches (by
query, filters, unit and scope), in bounded LRUs; a new state — a document added, removed or shared, the
bank mined or updated, the index rebuilt or grown, the related terms mined again — empties both before
anything is read, so nothing stale is ever served. The state is read from the store on every compose
(the fingerprint is three meta keys) and compared by identity with the index, expander and bank objects
in memory. A PostgreSQL corpus is searched through the database by whichever worker is asked, with no
index object to compare: there nothing is cached (``state`` is ``None``).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from drafter import rows
from drafter.app_continuity import Continuity
from drafter.models import Draft, Hit, PhraseBank, SearchFilters
from drafter.scopes import EVERYTHING, Scope

if TYPE_CHECKING:
    from drafter.app_exports import ExportWorkers
    from drafter.corpus.protocol import CorpusStore
    from drafter.draft.form import Form
    from drafter.models import Document
    from drafter.search.pg_search import PgSearcher
    from drafter.search.searcher import Searcher

DRAFTS = 256
"""Composed drafts kept per corpus state (a draft with its references is tens of KB)."""
SEARCHES = 2048
"""Reference searches kept per corpus state (12 hits each, a few KB each)."""

VALUES = 256
"""Other things a draft reads from the corpus kept per corpus state (the unit's own-first search, the
predecessor of a form)."""
STEPS = 4096
"""Composing steps kept per corpus state (``drafter.draft.reuse``: a section's references, where an item
goes, a section's result sentences, a part's headings; about 20 per form, the references a few KB)."""

SearchFn = Callable[[str, int, SearchFilters], list[Hit]]
V = TypeVar("V")


class Lru(Generic[V]):
    """A thread-safe LRU of at most ``size`` values."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def get(self, key: Hashable) -> V | None:
        """The value kept for ``key`` (now the most recent), or ``None``."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Keep ``value`` for ``key``, dropping the least recently used past ``size``."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()


class DraftMemo:
    """Composed drafts and reference searches of one corpus state (``enter`` a state before using them)."""

    def __init__(self, drafts: int = DRAFTS, searches: int = SEARCHES) -> None:
        self.drafts: Lru[Draft] = Lru(drafts)
        self.searches: Lru[tuple[Hit, ...]] = Lru(searches)
        self.values: Lru[tuple[object]] = Lru(VALUES)
        self.steps: Lru[tuple[object]] = Lru(STEPS)
        self._state: tuple[object, ...] | None = None
        self._generation = 0
        self._lock = threading.Lock()
        self.composing = threading.local()
        """``generation``: the state this thread is composing a draft in (else absent or ``None``)."""

    def enter(self, state: tuple[object, ...]) -> int:
        """The generation of ``state`` (objects compared by identity, strings by value), to put in every key:
        the caches are emptied, and a new generation begins, whenever the state is not the last one entered
        (a request that read an older state meanwhile never fills the new generation's entries). The state's
        objects are held weakly: a replaced index is freed at once, not at the next draft."""
        with self._lock:
            if self._state is not None and _same(self._state, state):
                return self._generation
            self.drafts.clear()
            self.searches.clear()
            self.values.clear()
            self.steps.clear()
            self._state = tuple(_held(part) for part in state)
            self._generation += 1
            return self._generation

    def value(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept under ``key``, else ``make()`` (then kept)."""
        return _kept(self.values, key, make)

    def kept_steps(self, generation: int, scope: Scope) -> KeptSteps:
        """The composing steps of ``generation`` for a viewer of ``scope`` (``drafter.draft.reuse``)."""
        return KeptSteps(self.steps, (generation, scope))

    def searching(self, key: Hashable, make: Callable[[], SearchFn]) -> SearchFn:
        """``make()``'s search (made on the first search not kept), its answers kept under ``key`` + the
        query; each caller gets its own list."""
        made: list[SearchFn] = []

        def search(query: str, k: int, filters: SearchFilters) -> list[Hit]:
            full = (key, query, k, filters)
            kept = self.searches.get(full)
            if kept is None:
                if not made:
                    made.append(make())
                kept = tuple(made[0](query, k, filters))
                self.searches.put(full, kept)
            return list(kept)

        return search


class KeptSteps:
    """Composing steps kept in ``lru`` under ``prefix`` + their key (``drafter.draft.reuse.Steps``)."""

    def __init__(self, lru: Lru[tuple[object]], prefix: Hashable) -> None:
        self.lru = lru
        self.prefix = prefix

    def value(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept under ``key``, else ``make()`` (then kept)."""
        return _kept(self.lru, (self.prefix, key), make)


def _kept(lru: Lru[tuple[object]], key: Hashable, make: Callable[[], V]) -> V:
    """The value ``lru`` keeps under ``key``, else ``make()`` (then kept; ``None`` is kept too)."""
    kept = lru.get(key)
    if kept is None:
        kept = (make(),)
        lru.put(key, kept)
    return cast("V", kept[0])


def _held(part: object) -> object:
    """``part`` itself when a string, else a weak reference to it (the object itself when it has none)."""
    if isinstance(part, str):
        return part
    try:
        return weakref.ref(part)
    except TypeError:
        return part


def _same(held: tuple[object, ...], state: tuple[object, ...]) -> bool:
    """Whether ``state`` is the state ``held`` was made of (a freed object is never the same)."""
    if len(held) != len(state):
        return False
    for kept, part in zip(held, state, strict=True):
        if isinstance(part, str):
            if kept != part:
                return False
        elif (kept() if isinstance(kept, weakref.ref) else kept) is not part:
            return False
    return True


class Drafting(Continuity):
    """Drafting methods of ``Drafter`` (over its continuity); the members below the marker are its own."""

    if TYPE_CHECKING:
        _exports: ExportWorkers | None
        _memo: DraftMemo | None

        @property
        def corpus(self) -> CorpusStore: ...
        def searcher(self) -> Searcher | PgSearcher: ...
        def phrase_bank(self) -> PhraseBank: ...
        def visible_bank(self, scope: Scope) -> PhraseBank: ...

    def corpus_state(self) -> tuple[object, ...] | None:
        """What a draft depends on besides its form, as a cache key: the corpus's fingerprint, the phrase
        bank, the search index and the expander in memory; ``None`` when it cannot be told (PostgreSQL)."""
        from drafter.search.searcher import Searcher  # lazy: start-up

        searcher = self.searcher()
        if not isinstance(searcher, Searcher):
            return None
        fingerprint = self.corpus.fingerprint()
        return (fingerprint, self.phrase_bank(), searcher.index(), searcher.expander())

    def compose(self, form: Form, *, references: bool = True, scope: Scope = EVERYTHING) -> Draft:
        """The draft for ``form``: skeleton, register from the bank, figures, and reference passages (from
        the documents ``scope`` may see); the same draft as before when nothing it depends on changed."""
        from drafter.draft.compose import compose  # lazy: start-up

        memo = self._memo
        state = self.corpus_state() if memo is not None and references else None
        if memo is None or state is None:
            search = self.own_first(form.unit, scope) if references else None
            return compose(self.with_predecessor(form, scope), self.visible_bank(scope), search)
        generation = memo.enter(state)
        key = (generation, form.model_dump_json(), scope)
        draft = memo.drafts.get(key)
        if draft is None:
            own = (generation, form.unit, scope)
            search = memo.searching(own, lambda: memo.value(("own", *own), lambda: self.own_first(*own[1:])))
            memo.composing.generation = generation
            steps = memo.kept_steps(generation, scope)
            try:
                draft = compose(
                    self.with_predecessor(form, scope), self.visible_bank(scope), search, steps=steps
                )
            finally:
                memo.composing.generation = None
            memo.drafts.put(key, draft)
        return draft

    def predecessor_of(self, form: Form, scope: Scope = EVERYTHING) -> Document | None:
        """Last period's report the draft follows (``Continuity.predecessor_of``; kept per corpus state
        while composing with the caches on)."""
        memo = self._memo
        generation = getattr(memo.composing, "generation", None) if memo is not None else None
        if memo is None or generation is None:
            return super().predecessor_of(form, scope)
        key = ("predecessor", generation, form.predecessor, form.period, form.year, form.unit, scope)
        return memo.value(key, lambda: super(Drafting, self).predecessor_of(form, scope))

    def preview(self, form: Form, scope: Scope = EVERYTHING) -> dict[str, Any]:
        """What the draft will hold, JSON-ready: outline, figure wording, placeholders, references."""
        return rows.preview_row(form, self.compose(form, scope=scope))

    def export(self, draft: Draft, *, reference_docx: Path | None = None) -> bytes:
        """The Word file of ``draft`` (GB/T 9704 layout), as bytes."""
        if self._exports is not None and reference_docx is None:
            return self._exports.export(draft)
        from drafter.draft.docx import draft_to_bytes  # lazy: start-up

        return draft_to_bytes(draft, reference_docx=reference_docx)

    def word_name(self, draft: Draft) -> str:
        """The download name of ``draft``'s Word file."""
        from drafter.draft.docx import draft_filename  # lazy: start-up

        return draft_filename(draft)

    def draft_docx(self, form: Form, *, reference_docx: Path | None = None) -> tuple[str, bytes, Draft]:
        """The draft as a Word file: ``(file name, bytes, draft)`` — compose, then ``export``."""
        draft = self.compose(form)
        return self.word_name(draft), self.export(draft, reference_docx=reference_docx), draft
