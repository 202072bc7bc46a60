"""The application object's continuity: last year's report → this year's form, and a draft's predecessor.

``Continuity`` is mixed into ``drafter.app.Drafter`` (it wires ingest's reader, the corpus and search to the
``continuity`` stage, as the application object does for every stage): it reads the writer's own report,
stores it under its unit, pre-fills the form, finds the unit's report of the previous period, gives a form
that report's headings and leads, and puts the unit's own passages first among the references.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter import rows
from drafter.changes import Actor, ParseLimits
from drafter.errors import InputFileError, NotFoundError
from drafter.models import Document, Hit, SearchFilters
from drafter.scopes import COMMON, EVERYTHING, Owner, Scope
from drafter.text.quantities import format_number

if TYPE_CHECKING:
    from drafter.continuity.prefill import Prefill
    from drafter.continuity.reading import Reading
    from drafter.corpus.protocol import CorpusStore
    from drafter.corpus.review import HeldBatch, Review
    from drafter.draft.form import Form


class Continuity:
    """Continuity methods of ``Drafter``; the members below the marker are ``Drafter``'s own."""

    if TYPE_CHECKING:
        _lock: threading.RLock

        @property
        def corpus(self) -> CorpusStore: ...
        def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]: ...
        def review(self) -> Review: ...
        def hold_upload(
            self, paths: Sequence[Path], actor: Actor, limits: ParseLimits
        ) -> tuple[HeldBatch | None, list[tuple[str, str]]]: ...

    def read_reports(self, path: Path, limits: ParseLimits | None = None) -> list[Document]:
        """The reports in the file at ``path``, read, cleaned and outlined as ingest reads them (not stored);
        with ``limits`` parsed in a child process held to them (a file from the web)."""
        from drafter.ingest.documents import documents_from_file  # lazy: start-up
        from drafter.ingest.sandbox import parse_isolated  # lazy: start-up

        if limits is None:
            return documents_from_file(path)
        parsed = parse_isolated(path, limits)
        if parsed.failure is not None:
            raise InputFileError(path.name, parsed.failure)
        return list(parsed.documents)

    def read_last_report(self, doc: Document) -> Reading:
        """What last year's report ``doc`` states: sections, figures, targets, actions, problems, unread."""
        from drafter.continuity.reading import read_report  # lazy: start-up

        return read_report(doc)

    def prefill(self, doc: Document, year: int | None = None) -> Prefill:
        """This year's form pre-filled from last year's report ``doc`` (for ``year``, else the next period)."""
        from drafter.continuity.prefill import prefill  # lazy: start-up

        return prefill(self.read_last_report(doc), year)

    def prefill_from_file(
        self,
        path: Path,
        year: int | None = None,
        *,
        unit: str | None = None,
        limits: ParseLimits | None = None,
        actor: Actor | None = None,
        store: bool = True,
        owner: Owner = COMMON,
    ) -> Prefill:
        """This year's form pre-filled from the writer's own report in the file at ``path`` (stored in the
        corpus at once unless ``store`` is off, under ``unit`` when given; its first report when the file
        holds several, named in the unread list)."""

        docs = self.own_reports(path, unit, limits=limits, actor=actor, store=store, owner=owner)
        if not docs:
            raise InputFileError(str(path), "没有读出任何报告内容，请换一个文件（.docx .txt .md）")
        result = self.prefill(docs[0], year)
        if unit and not result.form["unit"]:
            result.form["unit"] = unit
        if len(docs) > 1:
            note = f"文件中有 {len(docs)} 篇报告，只读取了第一篇《{docs[0].title}》"
            result = replace(result, unread=(note, *result.unread))
        return result

    def prefill_yaml(self, result: Prefill) -> str:
        """The pre-filled form as YAML with a Chinese note beside each row (``# 去年：162家``)."""
        from drafter.continuity.form_yaml import form_yaml  # lazy: start-up

        return form_yaml(result)

    def own_reports(
        self,
        path: Path,
        unit: str | None = None,
        *,
        limits: ParseLimits | None = None,
        actor: Actor | None = None,
        store: bool = True,
        owner: Owner = COMMON,
    ) -> list[Document]:
        """The writer's own report(s) in ``path`` with their unit (as given, else as read from the title, first
        lines or signature), stored at once unless ``store`` is off, so the next draft for that unit follows
        them; with ``actor`` each addition is written to the change log; new ones go into ``owner``'s scope
        (a document another owner already holds is left as it is)."""
        from drafter.continuity.units import unit_of  # lazy: start-up

        stored = []
        for doc in self.read_reports(path, limits):
            named = replace(
                doc, unit=unit or unit_of(doc), owner_unit=owner.unit, visibility=owner.visibility
            )
            if store:
                with self._lock:
                    if not self.corpus.add(named, str(path)) and _restore(self.corpus.get(named.id), named):
                        self.corpus.remove(named.id)  # the writer named the unit: store it under that name
                        self.corpus.add(named, str(path))
                if actor is not None:
                    self.review().record(actor, "add", named.id, path.name)
            stored.append(named)
        return stored

    def prefill_sources(self, unit: str | None = None, scope: Scope = EVERYTHING) -> list[dict[str, Any]]:
        """The stored reports ``scope`` sees that a form can start from (summaries and plans), the unit's
        own first."""
        from drafter.continuity.units import same_unit  # lazy: start-up

        kinds = {"annual", "half", "summary", "plan"}
        found = [s for s in self.corpus.summaries(scope) if s.kind in kinds]
        own = [s for s in found if same_unit(s.unit, unit)]
        rest = [s for s in found if s not in own] if not unit else []
        return [rows.source_row(s, own=s in own) for s in [*own, *rest]]

    def prefill_document(
        self, doc_id: str, year: int | None = None, scope: Scope = EVERYTHING
    ) -> dict[str, Any]:
        """The pre-filled form (JSON row) from a stored report ``scope`` may see."""
        return rows.prefill_row(self.prefill(self.corpus.get(doc_id, scope), year))

    def prefill_upload(
        self,
        path: Path,
        year: int | None = None,
        unit: str | None = None,
        *,
        limits: ParseLimits | None = None,
        actor: Actor | None = None,
        review: bool = False,
        owner: Owner = COMMON,
    ) -> dict[str, Any]:
        """The pre-filled form (JSON row) from an uploaded report of the writer's own unit: stored at once,
        or, when uploads wait for review, held for the administrator (the form is filled all the same)."""

        try:
            result = self.prefill_from_file(
                path, year, unit=unit, limits=limits, actor=actor, store=not review, owner=owner
            )
        except InputFileError as exc:
            raise InputFileError(path.name, exc.reason) from exc  # the server's folders stay private
        if review and actor is not None:
            self.hold_upload([path], actor, limits or ParseLimits())
            note = "报告已交管理员审核：审核通过存入语料库后，起草时才会沿用它的结构和标题"
            result = replace(result, unread=(note, *result.unread))
        return rows.prefill_row(result)

    def own_first(
        self, unit: str, scope: Scope = EVERYTHING
    ) -> Callable[[str, int, SearchFilters], list[Hit]]:
        """The search drafting uses, within ``scope``: the passages of ``unit``'s own reports first, then
        everyone else's."""
        from drafter.continuity.units import same_unit  # lazy: start-up

        summaries = self.corpus.summaries(scope)
        own_units = sorted({s.unit for s in summaries if s.unit and same_unit(s.unit, unit)})

        def scoped(query: str, k: int, filters: SearchFilters) -> list[Hit]:
            return self.search(query, k, replace(filters, scope=scope))

        if not own_units:
            return scoped

        def search(query: str, k: int, filters: SearchFilters) -> list[Hit]:
            filters = replace(filters, scope=scope)
            own = [
                hit
                for name in own_units
                for hit in self.search(query, k, replace(filters, unit=name))
                if hit.unit in own_units
            ]
            own.sort(key=lambda hit: -hit.score)
            seen = {hit.passage_id for hit in own}
            rest = [hit for hit in self.search(query, k, filters) if hit.passage_id not in seen]
            return [*own, *rest][:k]

        return search

    def predecessor_of(self, form: Form, scope: Scope = EVERYTHING) -> Document | None:
        """Last period's report the draft follows: the form's ``predecessor`` when the corpus holds it, else
        the same unit's report of the year before (a half-year report for a half-year form)."""
        from drafter.continuity.units import same_unit  # lazy: start-up

        if form.predecessor:
            try:
                return self.corpus.get(form.predecessor, scope)
            except NotFoundError:
                pass
        kinds = {"half"} if form.period == "half" else {"annual", "summary"}
        found = [
            s
            for s in self.corpus.summaries(scope)
            if s.kind in kinds and s.year == form.year - 1 and same_unit(s.unit, form.unit)
        ]
        return self.corpus.get(found[-1].id, scope) if found else None

    def with_predecessor(self, form: Form, scope: Scope = EVERYTHING) -> Form:
        """``form`` with last period's headings and leads for its matching sections: the form's own
        ``sections`` (from ``drafter form --from``) as they are, else those of the unit's report of the
        previous period for this year's themes; the numbers of their leads are this year's values (or slots)."""
        specs = [s.model_dump() for s in form.sections]
        if not specs:
            doc = self.predecessor_of(form, scope)
            if doc is None:
                return form
            from drafter.continuity.predecessor import kept_sections  # lazy: start-up

            themes = [f.theme for f in form.figures if f.theme] + [
                h.theme for h in form.highlights if h.theme
            ]
            specs = kept_sections(doc, list(dict.fromkeys(themes)), form.year)
        from drafter.continuity.predecessor import fill_slots  # lazy: start-up
        from drafter.draft.form import SectionSpec  # lazy: start-up

        amounts = {f.label: f"{format_number(f.value)}{f.unit}" for f in form.figures if f.value is not None}
        filled = [
            SectionSpec.model_validate(
                {**s, "lead": fill_slots(s["lead"], amounts) if s.get("lead") else None}
            )
            for s in specs
        ]
        return form if filled == list(form.sections) else form.model_copy(update={"sections": filled})


def _restore(stored: Document, named: Document) -> bool:
    """Whether a known document is stored again under the unit the writer named: only by its own owner."""
    return named.unit != stored.unit and named.owner_unit == stored.owner_unit
