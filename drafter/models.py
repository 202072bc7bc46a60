"""Frozen data models passed between the pipeline's stages.

files → ``RawDocument`` → (clean, split, outline) → ``Document`` with ``Section``\\ s and ``Passage``\\ s
→ corpus → ``Phrase``/``PhraseBank`` (mining) and ``Hit`` (search) → ``Draft`` (compose) → .docx.
Every passage keeps its provenance: document id, section index and character offsets in the document text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from drafter.scopes import EVERYTHING, Scope, Visibility

PLACEHOLDER_OPEN = "【待补充："
PLACEHOLDER_CLOSE = "】"
RE_PLACEHOLDER = re.compile(re.escape(PLACEHOLDER_OPEN) + r"[^】]*" + re.escape(PLACEHOLDER_CLOSE))
"""A slot left for the writer in a draft's text: ``【待补充：…】`` (listed, and highlighted in Word)."""


GAP_MARKER = "【原文此处有删节】"
"""Stands on its own line where a scraped page cut text out (ingest marks it; what was cut cannot be read)."""


def placeholder(what: str) -> str:
    """The visible slot a writer must fill: ``【待补充：what】``."""
    return f"{PLACEHOLDER_OPEN}{what}{PLACEHOLDER_CLOSE}"


Level = Literal["county", "city", "province", "national", "unknown"]
"""The administrative level of a report's issuer (``drafter.text.levels``: names, reading, distance)."""

DocKind = Literal["annual", "half", "plan", "summary", "gov_report", "other"]
"""annual = 年度总结+下年思路/计划; half = 上半年总结+下半年计划; plan = 计划/思路 only;
summary = 总结 only; gov_report = 政府工作报告; other = anything else."""

DOC_KINDS: tuple[DocKind, ...] = ("annual", "half", "plan", "summary", "gov_report", "other")

Part = Literal["summary", "plan", "problems", "other"]
"""Which half of a report a section or passage belongs to (工作总结 / 工作思路 / 存在问题 / 其他)."""

PARTS: tuple[Part, ...] = ("summary", "plan", "problems", "other")

Confidence = Literal["strong", "medium", "weak"]
"""How surely a search hit is on the query's subject (强/中/弱)."""


@dataclass(frozen=True)
class RawDocument:
    """Text of one report as read from a file (or one row of a collection), before cleaning.

    ``source`` names where it came from (a path, ``path#row`` for collections); ``title`` is the title
    the container gave (front matter, CSV column, HTML <title>, first docx heading) or ``None``.
    """

    source: str
    text: str
    title: str | None = None


@dataclass(frozen=True)
class Section:
    """One numbered heading of the outline and the body text directly under it.

    ``level``: 1 = 一、  2 = （一）  3 = 1.  4 = （1）.  ``number`` is the marker as written in the
    normalised text (``一、``, ``（一）``, ``1.``, ``（1）``); ``heading`` is the heading without its number
    (for inline headings, up to the first 。); ``text`` is the body up to the next heading of any level.
    ``start``/``end`` are offsets of the whole section (number included) in ``Document.text``.
    """

    level: int
    number: str
    heading: str
    text: str
    part: Part = "other"
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Passage:
    """A retrieval unit: a paragraph or an enumerated item (一是…), with its provenance.

    ``section`` is the index into ``Document.sections`` of the innermost enclosing section, or -1 for
    text before the first heading; ``heading`` is that section's heading ('' when none);
    ``start``/``end`` are offsets in ``Document.text``.
    """

    id: str
    doc_id: str
    position: int
    text: str
    heading: str = ""
    section: int = -1
    part: Part = "other"
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Document:
    """One cleaned report with its outline and passages.

    ``id`` is stable: derived from the cleaned text, so the same content ingested twice is one document.
    ``year`` is the year the report summarises (the first year named in the title, else in the text);
    ``years`` all years the title names; ``unit`` the issuing unit when the text says (e.g. 区科技局);
    ``level`` the issuer's administrative level read from unit and title (``drafter.text.levels``).
    """

    id: str
    title: str
    source: str
    kind: DocKind
    text: str
    year: int | None = None
    years: tuple[int, ...] = ()
    unit: str | None = None
    sections: tuple[Section, ...] = ()
    passages: tuple[Passage, ...] = ()
    level: Level = "unknown"
    owner_unit: str = ""
    """The unit whose scope holds it ('' = the common corpus, ``drafter.scopes``)."""
    visibility: Visibility = "shared"


PhraseCategory = Literal[
    "summary_opener",  # 聚焦{X}，{Y} opening a section of the summary part
    "plan_opener",  # 实施{X}工程 / 全力以赴抓好{X} opening a section of the plan part
    "clause_frame",  # 以{X}为抓手 / 围绕{X}，{Y}
    "enumeration",  # 一是{X}。二是{Y}。
    "result",  # 取得新突破 / 创历年新高 / 位居全市第{N}
    "figure_frame",  # 新认定高新技术企业{N}家 / 同比增长{N}%
    "problem",  # 仍然存在 / 有待提高
    "opening",  # 现将…汇报如下
    "closing",  # 为…作出新的更大贡献
]

PHRASE_CATEGORIES: tuple[PhraseCategory, ...] = (
    "summary_opener",
    "plan_opener",
    "clause_frame",
    "enumeration",
    "result",
    "figure_frame",
    "problem",
    "opening",
    "closing",
)


@dataclass(frozen=True)
class Example:
    """A real sentence from the corpus that instantiates a pattern, and where it came from."""

    text: str
    doc_id: str
    title: str = ""


@dataclass(frozen=True)
class Phrase:
    """A formula with slots, e.g. ``聚焦{X}，{Y}`` or ``新认定高新技术企业{N}家``.

    ``count`` = occurrences, ``docs`` = distinct documents; ``source`` is ``mined`` or ``curated``.
    For openers ``family`` is the fixed part (``聚焦``, ``全力以赴抓好``, ``实施…工程``).
    For figure frames ``label`` and ``unit`` are the indicator name and its unit (``新认定高新技术企业``, ``家``).
    """

    category: PhraseCategory
    pattern: str
    count: int
    docs: int
    examples: tuple[Example, ...] = ()
    source: Literal["mined", "curated"] = "mined"
    score: float = 0.0
    family: str | None = None
    label: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class OpenerFamily:
    """A family of parallel section openers (排比) that serves one part of a report.

    ``parallel_parts`` counts the report parts in which this family opened at least two sections in a row.
    """

    part: Literal["summary", "plan"]
    family: str
    pattern: str
    docs: int
    parallel_parts: int
    examples: tuple[Example, ...] = ()
    source: Literal["mined", "curated"] = "mined"


@dataclass(frozen=True)
class Collocation:
    """A verb the corpus puts before an object (加强 + 党的建设), counted in headings and clause openings.

    ``kind`` is ``object`` when ``obj`` is the whole object as written, ``head`` when it is only its last
    word (建设 of 党的建设): weaker evidence. ``headings`` counts the occurrences in headings.
    """

    verb: str
    obj: str
    kind: Literal["object", "head"]
    count: int
    docs: int
    headings: int = 0
    example: str = ""


@dataclass(frozen=True)
class Lead:
    """How a real section opened: the first sentence under a heading, free of figures, names and quotes.

    ``heading`` is the section's heading (what it was about); ``text`` the sentence with the region word
    (全区/全县/全市) replaced by ``{region}``.
    """

    part: Literal["summary", "plan"]
    heading: str
    text: str
    doc_id: str = ""


@dataclass(frozen=True)
class PhraseBank:
    """Everything mining produced, best first within each category."""

    phrases: tuple[Phrase, ...] = ()
    families: tuple[OpenerFamily, ...] = ()
    collocations: tuple[Collocation, ...] = ()
    leads: tuple[Lead, ...] = ()

    def by_category(self, category: PhraseCategory) -> tuple[Phrase, ...]:
        """The phrases of one category, in bank order (best first)."""
        return tuple(p for p in self.phrases if p.category == category)

    def families_for(self, part: Literal["summary", "plan"]) -> tuple[OpenerFamily, ...]:
        """Opener families that serve ``part``, best first."""
        return tuple(f for f in self.families if f.part == part)

    def figure_frames(self) -> tuple[Phrase, ...]:
        """Figure frames with an indicator ``label`` and ``unit`` (the form's suggestions), best first."""
        return tuple(p for p in self.by_category("figure_frame") if p.label and p.unit)


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions a writer can put on a search; ``None`` means no restriction."""

    kinds: tuple[DocKind, ...] | None = None
    part: Part | None = None
    year_from: int | None = None
    year_to: int | None = None
    unit: str | None = None
    levels: tuple[Level, ...] | None = None
    expand: bool = True
    """Whether other wordings of the query (curated 口径 table, mined related terms) are searched too."""
    scope: Scope = EVERYTHING
    """The viewer's scope: passages of documents it cannot see are never candidates."""


@dataclass(frozen=True)
class Hit:
    """One search result: a passage, its document, score, matched terms and its reusable frame."""

    passage_id: str
    doc_id: str
    title: str
    source: str
    heading: str
    text: str
    score: float
    terms: tuple[str, ...] = ()
    frame: str = ""
    part: Part = "other"
    kind: DocKind = "other"
    year: int | None = None
    unit: str | None = None
    other_sources: tuple[str, ...] = ()
    level: Level = "unknown"
    confidence: Confidence = "strong"
    """How surely the passage is on the query's subject (强/中/弱, ``drafter.search.expansion.label``)."""
    coverage: float = 1.0
    related: tuple[str, ...] = ()
    """Other wordings of the query that were searched too (相关说法), strongest first."""


@dataclass(frozen=True)
class Reference:
    """A passage attached to a draft section as a Word comment.

    ``text`` is the part of the passage that matches the section (a few sentences), ``passage`` the whole
    passage (shown one click away in the web preview). ``source`` is the file on the server's disk: for the
    administrator only, never written into the Word file (``drafter.text.citations`` names it for writers).
    """

    title: str
    source: str
    heading: str
    text: str
    frame: str
    score: float
    unit: str | None = None
    year: int | None = None
    passage: str = ""
    passage_id: str = ""
    confidence: Confidence = "strong"


@dataclass(frozen=True)
class DraftNode:
    """A numbered heading of the draft with its paragraphs and sub-headings.

    ``level`` 1 = 一、 part, 2 = （一） section, 3 = 1., 4 = （1）. ``paragraphs`` are body paragraphs in
    order (enumerated items 一是… are paragraphs of their own). ``references`` are attached as comments.
    """

    level: int
    number: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    children: tuple[DraftNode, ...] = ()
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Draft:
    """A composed report, ready for export.

    ``placeholders`` lists every 【待补充：…】 slot left for the writer, in reading order.
    """

    title: str
    preamble: tuple[str, ...] = ()
    nodes: tuple[DraftNode, ...] = ()
    closing: tuple[str, ...] = ()
    signature: str | None = None
    date: str | None = None
    placeholders: tuple[str, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class DocSummary:
    """One stored document without its text: what ``corpus list`` shows and what a search hit needs."""

    id: str
    title: str
    source: str
    kind: DocKind
    year: int | None
    unit: str | None
    n_passages: int
    sources: tuple[str, ...] = ()
    added: str = ""
    level: Level = "unknown"
    owner_unit: str = ""
    visibility: Visibility = "shared"
