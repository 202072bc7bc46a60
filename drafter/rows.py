"""Every JSON row the command line and the web API print, built in one place from the models.

The shapes are contracts (docs/internals.md, the README): ``corpus list/show/export``, ``search --json``
and ``GET /api/search``, ``phrases --json`` and ``GET /api/phrases``, the form's figure suggestions, the
web preview, and the upload report. Server paths never leave through a row meant for a writer's page
(the upload report names files by their base name).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.changes import IngestReport
from drafter.errors import NotFoundError
from drafter.models import PHRASE_CATEGORIES, DocSummary, Document, Draft, DraftNode, Hit, Passage, PhraseBank
from drafter.phrases.codec import phrase_dict
from drafter.text.citations import CONFIDENCE_LABELS, citation_of
from drafter.text.levels import LEVEL_NAMES

if TYPE_CHECKING:
    from drafter.continuity.prefill import Prefill
    from drafter.draft.figures import FigureText
    from drafter.draft.form import Form


def summary_row(summary: DocSummary) -> dict[str, Any]:
    """A stored document without its text (the ``corpus list --json`` rows)."""
    return {
        "id": summary.id,
        "title": summary.title,
        "source": summary.source,
        "sources": list(summary.sources),
        "kind": summary.kind,
        "year": summary.year,
        "unit": summary.unit,
        "n_passages": summary.n_passages,
        "added": summary.added,
        "level": summary.level,
        "owner_unit": summary.owner_unit,
        "visibility": summary.visibility,
    }


def document_row(doc: Document, sources: Sequence[str] = ()) -> dict[str, Any]:
    """A document (``corpus export`` / ``corpus show --json``), its outline in reading order."""
    return {
        "id": doc.id,
        "title": doc.title,
        "source": doc.source,
        "sources": list(sources) or [doc.source],
        "kind": doc.kind,
        "year": doc.year,
        "years": list(doc.years),
        "unit": doc.unit,
        "text": doc.text,
        "sections": [
            {"level": s.level, "number": s.number, "heading": s.heading, "text": s.text, "part": s.part}
            for s in doc.sections
        ],
        "n_passages": len(doc.passages),
        "owner_unit": doc.owner_unit,
        "visibility": doc.visibility,
    }


def passage_row(passage: Passage, title: str) -> dict[str, Any]:
    """A retrieval passage (``corpus export --passages``)."""
    return {
        "id": passage.id,
        "doc_id": passage.doc_id,
        "title": title,
        "heading": passage.heading,
        "text": passage.text,
        "part": passage.part,
        "position": passage.position,
    }


def hit_row(hit: Hit) -> dict[str, Any]:
    """A search hit (``drafter search --json`` and ``GET /api/search``)."""
    return {
        "doc_id": hit.doc_id,
        "passage_id": hit.passage_id,
        "title": hit.title,
        "heading": hit.heading,
        "text": hit.text,
        "score": round(hit.score, 4),
        "frame": hit.frame,
        "terms": list(hit.terms),
        "source": hit.source,
        "other_sources": list(hit.other_sources),
        "part": hit.part,
        "kind": hit.kind,
        "year": hit.year,
        "unit": hit.unit,
        "citation": citation_of(hit.title, hit.unit, hit.year),
        "file": Path(hit.source.split("#", 1)[0]).name,  # the file's name, never its folder on the server
        "level": hit.level,
        "level_name": LEVEL_NAMES[hit.level],
        "confidence": hit.confidence,
        "confidence_name": CONFIDENCE_LABELS[hit.confidence],
        "coverage": hit.coverage,
        "related": list(hit.related),
    }


def phrase_rows(bank: PhraseBank, category: str | None = None) -> list[dict[str, Any]]:
    """The bank as JSON-ready rows, best first: ``{category, pattern, count, docs, examples, source, …}``.

    Phrases the corpus attests keep the bank's order; curated additions the corpus never shows (``docs``
    0) follow them: they are the bureau's taste, not evidence, and the drafter still prefers them.
    """
    if category is not None and category not in PHRASE_CATEGORIES:
        raise NotFoundError(f"没有名为“{category}”的短语类别：可用类别为 {'、'.join(PHRASE_CATEGORIES)}。")
    phrases = bank.phrases if category is None else [p for p in bank.phrases if p.category == category]
    return [phrase_dict(p) for p in sorted(phrases, key=lambda p: p.docs == 0)]


def figure_suggestions(bank: PhraseBank) -> list[dict[str, Any]]:
    """Indicator suggestions for the form: ``{label, unit, pattern}``, one per label and unit, best first."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for phrase in bank.figure_frames():
        key = (phrase.label or "", phrase.unit or "")
        if phrase.label and key not in seen:
            seen.add(key)
            out.append({"label": phrase.label, "unit": phrase.unit or "", "pattern": phrase.pattern})
    return out


def upload_row(report: IngestReport, files: int) -> dict[str, Any]:
    """An upload's ingest report, failed files named by their file name (server paths stay private)."""
    return {
        "files": files,
        "documents_added": report.documents_added,
        "documents_seen": report.documents_seen,
        "passages_added": report.passages_added,
        "failures": [{"file": Path(path).name, "reason": reason} for path, reason in report.failures],
    }


def held_upload_row(batch: Any, failures: Sequence[tuple[str, str]], files: int) -> dict[str, Any]:
    """An upload held for review: the batch id and its files, and the files refused (by file name)."""
    return {
        "files": files,
        "documents_added": 0,
        "documents_seen": 0,
        "passages_added": 0,
        "failures": [{"file": Path(path).name, "reason": reason} for path, reason in failures],
        "held": batch.id if batch is not None else None,
        "held_files": list(batch.files) if batch is not None else [],
    }


def _outline_rows(nodes: tuple[DraftNode, ...]) -> Iterator[dict[str, Any]]:
    for node in nodes:
        yield {
            "level": node.level,
            "number": node.number,
            "heading": node.heading,
            "references": [
                {
                    "title": r.title,
                    "source": citation_of(
                        r.title, r.unit, r.year
                    ),  # 《title》，unit，year: never a path on the server
                    "heading": r.heading,
                    "text": r.text,
                    "passage": r.passage,
                    "frame": r.frame,
                    "score": r.score,
                    "confidence": r.confidence,
                }
                for r in node.references
            ],
        }
        yield from _outline_rows(node.children)


def _section_of(nodes: tuple[DraftNode, ...], text: FigureText) -> str | None:
    # A figure is worded inside a results sentence, often with a shortened label: find its amount.
    for node in nodes:
        if any(text.amount in p and text.change in p for p in node.paragraphs):
            return node.heading
        found = _section_of(node.children, text)
        if found:
            return found
    return None


def preview_row(form: Form, draft: Draft) -> dict[str, Any]:
    """What the draft holds, JSON-ready: title, outline with references, each figure's wording, placeholders.

    Also why each heading was chosen (``headings``: style and corpus evidence) and the declines the writer
    may name under 存在的问题 (``suggested_problems``), from the draft's metadata.
    """
    from drafter.draft.figures import describe_figure  # lazy: start-up (pydantic, only drafting needs it)

    figures = []
    half = form.period == "half"
    for fig in form.figures:
        text = describe_figure(fig, half=half)
        figures.append(
            {
                "label": fig.label,
                "value": fig.value,
                "unit": fig.unit,
                "previous": fig.previous,
                "theme": fig.theme,
                "amount": text.amount,
                "change": text.change,
                "kind": text.kind,
                "text": text.phrase,
                "section": _section_of(draft.nodes, text),
                "growth": fig.growth,
                "basis": fig.basis,
                "hedge": fig.hedge,
                "parent": fig.parent,
                "target": fig.target,
                "rank": fig.rank,
            }
        )
    return {
        "title": draft.title,
        "outline": list(_outline_rows(draft.nodes)),
        "figures": figures,
        "placeholders": list(draft.placeholders),
        "headings": json.loads(draft.metadata.get("headings", "[]")),
        "suggested_problems": json.loads(draft.metadata.get("suggested_problems", "[]")),
    }


def source_row(summary: DocSummary, *, own: bool) -> dict[str, Any]:
    """A stored report a form can start from: id, title, year, unit, kind, and whether it is the unit's own."""
    return {
        "id": summary.id,
        "title": summary.title,
        "year": summary.year,
        "unit": summary.unit,
        "kind": summary.kind,
        "own": own,
    }


def prefill_row(result: Prefill) -> dict[str, Any]:
    """A form pre-filled from last year's report: the form, what could not be read, the notes, the source."""
    return {
        "form": result.form,
        "unread": list(result.unread),
        "notes": dict(result.notes),
        "source": {"id": result.form.get("predecessor"), "title": result.source_title},
    }
