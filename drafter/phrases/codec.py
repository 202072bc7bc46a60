"""The phrase bank as versioned JSON text (what the corpus stores and ``phrasebank/mined.json`` holds)."""

from __future__ import annotations

import json
from typing import Any, Literal

from drafter.errors import CorpusError
from drafter.models import (
    PHRASE_CATEGORIES,
    Collocation,
    Example,
    Lead,
    OpenerFamily,
    Phrase,
    PhraseBank,
    PhraseCategory,
)

BANK_FORMAT = "drafter-phrasebank"
BANK_VERSION = 1


def example_dict(example: Example) -> dict[str, str]:
    return {"text": example.text, "doc_id": example.doc_id, "title": example.title}


def phrase_dict(phrase: Phrase) -> dict[str, Any]:
    row: dict[str, Any] = {
        "category": phrase.category,
        "pattern": phrase.pattern,
        "count": phrase.count,
        "docs": phrase.docs,
        "examples": [example_dict(e) for e in phrase.examples],
        "source": phrase.source,
        "score": phrase.score,
    }
    for key in ("family", "label", "unit"):
        value = getattr(phrase, key)
        if value is not None:
            row[key] = value
    return row


def _family_dict(family: OpenerFamily) -> dict[str, Any]:
    return {
        "part": family.part,
        "family": family.family,
        "pattern": family.pattern,
        "docs": family.docs,
        "parallel_parts": family.parallel_parts,
        "examples": [example_dict(e) for e in family.examples],
        "source": family.source,
    }


def bank_to_json(bank: PhraseBank, *, indent: int | None = 1) -> str:
    """The bank as versioned JSON text (what the corpus stores and ``phrasebank/mined.json`` holds);
    ``indent=None`` writes it on one line, ten times faster (an update in the background)."""
    data = {
        "format": BANK_FORMAT,
        "version": BANK_VERSION,
        "phrases": [phrase_dict(p) for p in bank.phrases],
        "families": [_family_dict(f) for f in bank.families],
        "collocations": [
            [c.verb, c.obj, c.kind, c.count, c.docs, c.headings, c.example] for c in bank.collocations
        ],
        "leads": [[lead.part, lead.heading, lead.text, lead.doc_id] for lead in bank.leads],
    }
    return json.dumps(data, ensure_ascii=False, indent=indent)


def bank_from_json(text: str) -> PhraseBank:
    """The bank stored by ``bank_to_json``; unreadable or foreign data is a ``CorpusError``."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != BANK_FORMAT:
            raise ValueError("不是 Drafter 短语库")
        if data.get("version") != BANK_VERSION:
            raise ValueError(f"版本 {data.get('version')} 不受支持（应为 {BANK_VERSION}）")
        phrases = tuple(_phrase_from(row) for row in data["phrases"])
        families = tuple(_family_from(row) for row in data["families"])
        # Banks mined before collocations and leads existed have neither: drafting falls back.
        collocations = tuple(_collocation_from(row) for row in data.get("collocations", []))
        leads = tuple(_lead_from(row) for row in data.get("leads", []))
    except (ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"短语库数据无法读取（{exc}）：请运行 drafter mine 重新生成短语库。") from exc
    return PhraseBank(phrases=phrases, families=families, collocations=collocations, leads=leads)


def _collocation_from(row: list[Any]) -> Collocation:
    verb, obj, kind, count, docs, headings, example = row
    if kind not in ("object", "head"):
        raise ValueError(f"未知搭配类型 {kind!r}")
    return Collocation(
        str(verb),
        str(obj),
        "object" if kind == "object" else "head",
        int(count),
        int(docs),
        int(headings),
        str(example),
    )


def _lead_from(row: list[Any]) -> Lead:
    part, heading, text, doc_id = row
    if part not in ("summary", "plan"):
        raise ValueError(f"未知部分 {part!r}")
    return Lead("summary" if part == "summary" else "plan", str(heading), str(text), str(doc_id))


def _examples_from(rows: list[dict[str, str]]) -> tuple[Example, ...]:
    return tuple(Example(str(r["text"]), str(r["doc_id"]), str(r.get("title", ""))) for r in rows)


def _source(value: object) -> Literal["mined", "curated"]:
    if value == "mined":
        return "mined"
    if value == "curated":
        return "curated"
    raise ValueError(f"未知来源 {value!r}")


def _phrase_from(row: dict[str, Any]) -> Phrase:
    category = row["category"]
    if category not in PHRASE_CATEGORIES:
        raise ValueError(f"未知类别 {category!r}")
    known: PhraseCategory = PHRASE_CATEGORIES[PHRASE_CATEGORIES.index(category)]
    return Phrase(
        category=known,
        pattern=str(row["pattern"]),
        count=int(row["count"]),
        docs=int(row["docs"]),
        examples=_examples_from(row["examples"]),
        source=_source(row["source"]),
        score=float(row.get("score", 0.0)),
        family=row.get("family"),
        label=row.get("label"),
        unit=row.get("unit"),
    )


def _family_from(row: dict[str, Any]) -> OpenerFamily:
    part = row["part"]
    if part not in ("summary", "plan"):
        raise ValueError(f"未知部分 {part!r}")
    return OpenerFamily(
        part="summary" if part == "summary" else "plan",
        family=str(row["family"]),
        pattern=str(row["pattern"]),
        docs=int(row["docs"]),
        parallel_parts=int(row["parallel_parts"]),
        examples=_examples_from(row["examples"]),
        source=_source(row["source"]),
    )
