"""Small builders for model objects, so tests of mining, search and drafting need no parser."""

from __future__ import annotations

import hashlib
import re

from drafter.app import Drafter
from drafter.models import DocKind, Document, Part, Passage, Section

_NUMBERS_1 = "一二三四五六七八九十"


def make_document(
    title: str,
    parts: list[tuple[str, Part, list[tuple[str, str]]]],
    *,
    kind: DocKind = "annual",
    year: int | None = 2024,
    unit: str | None = "区科技局",
    source: str = "test.txt",
) -> Document:
    """A document from ``[(part heading, part, [(section heading, body), …]), …]``.

    Headings are numbered 一、 / （一）; each body becomes one passage per line.
    """
    lines: list[str] = [title]
    for i, (part_heading, _part, sections) in enumerate(parts):
        lines.append(f"{_NUMBERS_1[i]}、{part_heading}")
        for j, (heading, body) in enumerate(sections):
            lines.append(f"（{_NUMBERS_1[j]}）{heading}")
            lines.extend(body.split("\n"))
    text = "\n".join(lines)
    doc_id = hashlib.sha256(text.encode()).hexdigest()[:16]

    out_sections: list[Section] = []
    passages: list[Passage] = []
    offset = len(title) + 1
    for i, (part_heading, part, sections) in enumerate(parts):
        number = f"{_NUMBERS_1[i]}、"
        start = offset
        offset += len(number) + len(part_heading) + 1
        part_index = len(out_sections)
        out_sections.append(Section(1, number, part_heading, "", part, start, start))
        for j, (heading, body) in enumerate(sections):
            number2 = f"（{_NUMBERS_1[j]}）"
            s_start = offset
            offset += len(number2) + len(heading) + 1
            for para in body.split("\n"):
                passages.append(
                    Passage(
                        id=f"{doc_id}-{len(passages):04d}",
                        doc_id=doc_id,
                        position=len(passages),
                        text=para,
                        heading=heading,
                        section=len(out_sections),
                        part=part,
                        start=offset,
                        end=offset + len(para),
                    )
                )
                offset += len(para) + 1
            out_sections.append(Section(2, number2, heading, body, part, s_start, offset))
        out_sections[part_index] = Section(1, number, part_heading, "", part, start, offset)
    years = tuple(int(y) for y in re.findall(r"(20\d\d)年", title))
    return Document(
        id=doc_id,
        title=title,
        source=source,
        kind=kind,
        text=text,
        year=year,
        years=years,
        unit=unit,
        sections=tuple(out_sections),
        passages=tuple(passages),
    )


def searchable(database: str, title: str, sections: list[tuple[str, str]], unit: str) -> Drafter:
    """A ``Drafter`` on ``database`` whose corpus holds one summary of ``sections`` by ``unit``, indexed."""
    drafter = Drafter(database=database)
    drafter.corpus.add(make_document(title, [("工作总结", "summary", sections)], unit=unit))
    drafter.update()
    return drafter
