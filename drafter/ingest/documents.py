"""Files → clean, structured ``Document``\\ s: clean → split → outline → passages → describe → ids."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from pathlib import Path

from drafter.ingest.clean import clean
from drafter.ingest.describe import describe
from drafter.ingest.furniture import is_furniture
from drafter.ingest.outline import enumerate_items, normalize_headings, parse_outline
from drafter.ingest.read import read_path
from drafter.ingest.split import clean_title, split_reports
from drafter.models import GAP_MARKER, Document, Part, Passage, RawDocument, Section
from drafter.text.chars import RE_CJK
from drafter.text.levels import admin_level

MIN_PASSAGE_CJK = 8
"""A fragment with fewer CJK characters is merged into the next passage."""
MAX_PASSAGE = 600
"""A paragraph longer than this is split at sentence ends."""
TITLE_SEARCH_LINES = 40
"""How far down a page the report title is looked for (page chrome above it is dropped)."""

TAIL_LINES = 5
"""How far up from the end a repeated title (a teaser of the page itself) is looked for."""

RE_WHITESPACE = re.compile(r"\s+")
RE_SENTENCE_END = re.compile(r"[。！？]”?")

STATEMENT_MIN_CHARS = 15
"""A numbered line this long that ends in 。 with no body is a statement, not a heading."""


def documents_from_file(path: Path) -> list[Document]:
    """The documents held by the file at ``path`` (a top-level function: picklable for worker processes)."""
    return [doc for raw in read_path(path) for doc in build_documents(raw)]


def build_documents(raw: RawDocument) -> list[Document]:
    """The documents of one raw text: cleaned, split into reports, outlined and cut into passages."""
    text = clean(raw.text)
    title = _clean_container_title(raw.title)
    if title:
        text = _drop_page_head(text, title)
    documents = []
    for report_title, body in split_reports(text, title):
        named = report_title or _fallback_title(raw.source)
        documents.append(_build_document(raw.source, named, body))
    return [doc for doc in documents if doc.passages or doc.sections]


def document_id(text: str) -> str:
    """The stable id of a document: the first 16 hex digits of SHA-256 of its text without whitespace."""
    return hashlib.sha256(RE_WHITESPACE.sub("", text).encode("utf-8")).hexdigest()[:16]


def _clean_container_title(title: str | None) -> str | None:
    """The container's title cleaned like the text (simplified, no chrome), or ``None``."""
    if not title:
        return None
    cleaned = clean(title).split("\n", 1)[0]
    return clean_title(cleaned) or None


def _fallback_title(source: str) -> str:
    """A title from the file name when the page names none."""
    return Path(source.split("#", 1)[0]).stem


def _drop_page_head(text: str, title: str) -> str:
    """``text`` from the last line near the top that repeats the title (what is above it is page chrome)."""
    lines = text.split("\n")
    key = _title_key(title)
    hits = [i for i, line in enumerate(lines[:TITLE_SEARCH_LINES]) if _title_key(line) == key]
    if not hits:
        return text
    return "\n".join(lines[hits[-1] :])


def _title_key(line: str) -> str:
    return RE_WHITESPACE.sub("", clean_title(line))


def _repeats_title(line: str, title_key: str) -> bool:
    """True when ``line`` is the title again, or a part of it (a second, shorter page title)."""
    key = _title_key(line)
    return key == title_key or (len(key) >= 4 and key in title_key)


def _build_document(source: str, title: str, body: str) -> Document:
    """One report: the title line, then the body with every heading on its own line."""
    lines = normalize_headings(body).split("\n")
    key = _title_key(title)
    while lines and (not lines[0].strip() or _repeats_title(lines[0], key)):
        lines.pop(0)
    tail = [i for i in range(max(len(lines) - TAIL_LINES, 1), len(lines)) if _title_key(lines[i]) == key]
    if tail:
        # A page that prints the title again at its foot starts a teaser of itself there.
        lines = lines[: tail[0]]
    body = "\n".join(lines).strip("\n")
    text = f"{title}\n{body}" if body else title
    kind, year, years, unit = describe(title, body)
    doc_id = document_id(text)
    sections = parse_outline(text, plan_only=kind == "plan", year=year)
    default_part: Part = "plan" if kind == "plan" else "summary" if kind == "summary" else "other"
    if not any(s.level == 1 for s in sections):
        sections = [_with_part(s, default_part) for s in sections]
    passages = _passages(doc_id, text, len(title) + 1, sections, default_part)
    return Document(
        id=doc_id,
        title=title,
        source=source,
        kind=kind,
        text=text,
        year=year,
        years=years,
        unit=unit,
        sections=tuple(sections),
        passages=tuple(passages),
        level=admin_level(unit, title),
    )


def _with_part(section: Section, part: Part) -> Section:
    return Section(
        section.level, section.number, section.heading, section.text, part, section.start, section.end
    )


def _passages(
    doc_id: str, text: str, body_start: int, sections: list[Section], default: Part
) -> list[Passage]:
    """The retrieval units of ``text``: paragraphs and 一是… items, short bits merged, long ones split."""
    heading_starts = [s.start for s in sections]
    heading_lines = {s.start for s in sections if not _is_statement(s, text)}
    spans: list[tuple[int, int, int]] = []  # (start, end, section index)
    offset = body_start
    for line in text[body_start:].split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if start in heading_lines or line.strip() == GAP_MARKER or is_furniture(line):
            continue  # headings are the passages' topic; signatures, dates, page numbers are no content
        section = bisect_right(heading_starts, start) - 1
        for unit_start, unit_end in _units(line):
            for piece_start, piece_end in _split_long(line, unit_start, unit_end):
                spans.append((start + piece_start, start + piece_end, section))
    merged = _merge_short(text, spans)
    passages = []
    for position, (start, end, section) in enumerate(merged):
        owner = sections[section] if section >= 0 else None
        passages.append(
            Passage(
                id=f"{doc_id}-{position:04d}",
                doc_id=doc_id,
                position=position,
                text=text[start:end],
                heading=owner.heading if owner else "",
                section=section,
                part=owner.part if owner else default,
                start=start,
                end=end,
            )
        )
    return passages


def _is_statement(section: Section, text: str) -> bool:
    """Whether a 1./（1） line is a whole statement with nothing under it, i.e. content rather than a title.

    Such lines (`3.目前完成技术交易合同数20项，技术交易额3424万元。`) must stay searchable.
    """
    return (
        section.level >= 3
        and not section.text.strip()
        and len(section.heading) >= STATEMENT_MIN_CHARS
        and _line_at(text, section.start).endswith("。")
    )


def _line_at(text: str, start: int) -> str:
    """The line of ``text`` that begins at ``start``, without trailing white space."""
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)].rstrip()


def _units(line: str) -> list[tuple[int, int]]:
    """Spans of a paragraph: the lead-in and each 一是… item, or the whole paragraph."""
    items = enumerate_items(line)
    if not items:
        return [(0, len(line))]
    units = []
    if line[: items[0][0]].strip():
        units.append((0, items[0][0]))
    units.extend((start, end) for start, end, _text in items)
    tail = items[-1][1]
    if line[tail:].strip():
        units.append((tail, len(line)))
    return units


def _split_long(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at sentence ends into pieces of at most ``MAX_PASSAGE`` characters (when possible)."""
    if end - start <= MAX_PASSAGE:
        return [(start, end)]
    cuts = [m.end() for m in RE_SENTENCE_END.finditer(line, start, end)]
    pieces = []
    piece_start = start
    last_cut = start
    for cut in [*cuts, end]:
        if cut - piece_start > MAX_PASSAGE and last_cut > piece_start:
            pieces.append((piece_start, last_cut))
            piece_start = last_cut
        last_cut = cut
    if piece_start < end:
        pieces.append((piece_start, end))
    return pieces


def _merge_short(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Spans with fragments of fewer than ``MAX_PASSAGE_CJK`` CJK characters merged into the next one."""
    merged: list[tuple[int, int, int]] = []
    pending: tuple[int, int, int] | None = None
    for span_start, end, section in spans:
        start = span_start
        if pending is not None:
            if pending[2] == section:
                start = pending[0]
            else:
                merged.append(pending)
            pending = None
        if len(RE_CJK.findall(text, start, end)) < MIN_PASSAGE_CJK:
            pending = (start, end, section)
            continue
        merged.append((start, end, section))
    if pending is not None:
        if merged and merged[-1][2] == pending[2]:
            merged[-1] = (merged[-1][0], pending[1], pending[2])
        else:
            merged.append(pending)
    return merged
