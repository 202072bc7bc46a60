"""The positioned text units mining looks at: headings, item heads and clauses, each with its part.

One pass over a ``Document`` turns it into ``Units``: the level-2/3 section headings and the heads of
enumerated items (一是…) with the report part they serve, and every clause of the body (text between
，；： — not 、, which joins list items inside a clause) tokenised once, with its position: the report's
opening (text before the first section and part introductions), its closing (its last two sentences,
if it has four paragraphs or more), or the body. Sections the outline left without a part get one from
their siblings' tense (``section_parts``). Noise checks that every miner shares live here too: OCR slips such as ``IOO``, ``L75`` and
``2.Oo`` (Latin letters glued to CJK or digits), masked names (``**区``), and stopword-only fixed parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from drafter.models import Document, Part, Section
from drafter.text.chars import RE_CJK
from drafter.text.tokens import Tokenizer

Position = Literal["opening", "body", "closing"]

RE_SENTENCE_END = re.compile(r"[。！？!?\n]+")
RE_CLAUSE_SEP = re.compile(r"[，；：,;:]+")
RE_ITEM_HEAD = re.compile(r"(?:^|(?<=[。；;：:\s]))[一二三四五六七八九十]是([^。；;！？!?\n]{2,60})")
# Item markers a clause may start with (一是, 1, （2）): the formula starts after them.
RE_MARKER_WORD = re.compile(r"^(?:[一二三四五六七八九十]+是|[0-9０-９]+|第[一二三四五六七八九十]+|[a-zA-Z])$")
RE_HEAD_CLAUSE_SEP = re.compile(r"[，,；;。：:]")
RE_LATIN = re.compile(r"[A-Za-z]")
RE_DIGIT = re.compile(r"[0-9０-９]")
RE_MASK = re.compile(r"[*_＊]")
# Latin runs that are real terms, not OCR slips (R&D经费, 5G).
RE_LATIN_TERM = re.compile(r"R&D|5G", re.IGNORECASE)
# A Latin letter glued to CJK or to a digit: IOO余场, L75亿元, 2.Oo, 批不 → the text is unreliable.
RE_OCR_SLIP = re.compile(r"(?:[\u4e00-\u9fff0-9.][A-Za-z]|[A-Za-z][\u4e00-\u9fff0-9])")


def word_set(text: str) -> frozenset[str]:
    """The white-space separated words of ``text`` (keeps long word lists readable in the source)."""
    return frozenset(text.split())


# Words that carry no formula on their own: a fixed part made only of these is not a pattern.
STOPWORDS = word_set(
    "的 地 得 了 着 过 和 与 及 以及 并 并且 或 等 等等 在 对 为 以 将 把 被 由 从 向 于 是 有 也 都 就 还 又 "
    "其 之 这 那 该 各 每 此 其中 同时 目前 今年 全年 以来 已 已经 共 共计 累计 进行 相关 有关 一些 一批 "
    "我 我们 我局 我区 我市 我县 全区 全市 全县 全省 区 市 县 省 年 月 日 个 后 前 中 上 下 内 外 "
    "但 而 且 要 会 能 可 所 则 即 如 因 因此 所以 如下 以下 一 二 三 四 五 六 七 八 九 十 第 "
    "年度 上半年 下半年 明年 去年 本年 当年 截至 截止 一年 以上 左右 约"
)

CLOSING_SENTENCES = 2  # the report's last sentences, where closing formulas stand
MIN_CLOSING_PARAGRAPHS = 4

SECTION_PARTS: tuple[Part, ...] = ("summary", "plan", "problems")

# Cue words that tell a section's part when the outline could not (no 一、工作总结 heading above it).
RE_PLAN_CUE = re.compile(r"力争|争取|确保|将|年内|下一步|明年|全年力争|计划于")
RE_SUMMARY_CUE = re.compile(r"完成了|累计|同比|已|实现了|取得了|获得|获评|荣获|创历|截至目前|今年以来")


@dataclass(frozen=True)
class Heading:
    """A section heading or enumerated-item head: its text, words, the part it serves and its group.

    ``group`` identifies the run of sibling headings it belongs to (same parent, same level), so
    parallel openers (排比) are looked for among siblings; ``first_clause`` is the words up to the first
    ，；。 and ``has_tail`` says whether another clause follows (``聚焦{X}，{Y}`` rather than ``聚焦{X}``);
    ``item`` marks the head of an enumerated item rather than a numbered section heading;
    ``clauses`` holds the words of every clause of the heading (results are often said in headings:
    ``抓示范，提质效，基地建设稳步推进``).
    """

    text: str
    words: tuple[str, ...]
    first_clause: tuple[str, ...]
    has_tail: bool
    part: Part
    group: int
    item: bool = False
    clauses: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Clause:
    """One clause of body text: its words, sentence, part, position and whether the sentence goes on."""

    text: str
    words: tuple[str, ...]
    sentence: str
    part: Part
    position: Position
    final: bool


@dataclass(frozen=True)
class Units:
    """Everything mining reads from one document."""

    doc_id: str
    title: str
    headings: tuple[Heading, ...]
    clauses: tuple[Clause, ...]
    paragraphs: tuple[tuple[str, Part], ...]
    openings: tuple[tuple[str, str, Part], ...] = ()
    """(heading, first sentence of its body, part) of every level-2/3 section."""


def is_noisy(text: str) -> bool:
    """True when ``text`` holds an OCR slip (Latin glued to CJK/digits) or a masked name (``**``)."""
    if RE_MASK.search(text):
        return True
    return bool(RE_OCR_SLIP.search(RE_LATIN_TERM.sub("", text)))


def is_fixed_part(words: tuple[str, ...] | list[str]) -> bool:
    """True when ``words`` can be the fixed part of a formula: CJK, no digits or Latin, not only stopwords."""
    if not words:
        return False
    if len(words) == 1:
        return word_kind(words[0]) == 2
    joined = "".join(words)
    if joined in STOPWORDS or not RE_CJK.search(joined) or RE_DIGIT.search(joined) or RE_LATIN.search(joined):
        return False
    return any(w not in STOPWORDS for w in words)


def word_kinds(words: tuple[str, ...]) -> tuple[int, ...]:
    """Per word: 0 = cannot be in a fixed part (digits, Latin, no CJK), 1 = stopword, 2 = content word."""
    return tuple(word_kind(w) for w in words)


@lru_cache(maxsize=1 << 17)
def word_kind(word: str) -> int:
    """``word_kinds`` of one word (kept for the most recent words: mining asks for each many times)."""
    if RE_DIGIT.search(word) or RE_LATIN.search(word) or not RE_CJK.search(word):
        return 0
    return 1 if word in STOPWORDS else 2


def fixed_from_kinds(kinds: tuple[int, ...]) -> bool:
    """``is_fixed_part`` from precomputed ``word_kinds`` of the same words (joined-stopword check aside)."""
    return bool(kinds) and 0 not in kinds and 2 in kinds


def clause_example(clause: Clause, limit: int = 90) -> str:
    """The clause's sentence from the clause on (the formula first), clipped to ``limit`` characters."""
    start = clause.sentence.find(clause.text)
    return clip(clause.sentence[start:] if start > 0 else clause.sentence, limit)


def clip(text: str, limit: int = 90) -> str:
    """``text`` stripped, cut to ``limit`` characters with an ellipsis when longer."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section_parents(sections: tuple[Section, ...]) -> list[int]:
    """For each section the index of its parent (the nearest earlier section of a lower level), or -1."""
    parents: list[int] = []
    open_at: dict[int, int] = {}
    for index, section in enumerate(sections):
        parents.append(max((i for lv, i in open_at.items() if lv < section.level), default=-1))
        open_at = {lv: i for lv, i in open_at.items() if lv < section.level}
        open_at[section.level] = index
    return parents


def _vote(text: str) -> Part:
    plan = len(RE_PLAN_CUE.findall(text))
    summary = len(RE_SUMMARY_CUE.findall(text))
    if plan >= 2 * max(summary, 1):
        return "plan"
    if summary >= 2 * max(plan, 1):
        return "summary"
    return "other"


def section_parts(doc: Document, parents: list[int]) -> list[Part]:
    """The part each section serves: its own, or for sections the outline left as ``other``, a guess.

    Plan-only and summary-only documents decide for all their sections. Otherwise a run of sibling
    sections (same parent, same level) votes as one, with future-tense cues (力争, 确保, 以上 …) against
    past-tense ones (完成了, 同比, 新增 …); an undecided run takes its parent's part.
    """
    parts: list[Part] = [s.part for s in doc.sections]
    if doc.kind in ("plan", "summary"):
        fallback: Part = "plan" if doc.kind == "plan" else "summary"
        return [p if p in SECTION_PARTS else fallback for p in parts]
    runs: dict[tuple[int, int], list[int]] = {}
    for index, section in enumerate(doc.sections):
        runs.setdefault((parents[index], section.level), []).append(index)
    for (parent, _level), members in sorted(runs.items(), key=lambda kv: kv[1][0]):
        unknown = [i for i in members if parts[i] not in SECTION_PARTS]
        if not unknown:
            continue
        guess = _vote("".join(doc.sections[i].heading + doc.sections[i].text for i in unknown))
        if guess == "other" and parent >= 0:
            guess = parts[parent]
        for i in unknown:
            parts[i] = guess
    return parts


def _heading(
    text: str, part: Part, group: int, tokenizer: Tokenizer, *, item: bool = False
) -> Heading | None:
    pieces = [tuple(tokenizer.words(p)) for p in RE_HEAD_CLAUSE_SEP.split(text) if p.strip()]
    pieces = [p for p in pieces if p]
    if not pieces:
        return None
    words = pieces[0] + (pieces[1] if len(pieces) > 1 else ())
    return Heading(text.strip(), words, pieces[0], len(pieces) > 1, part, group, item, tuple(pieces))


def _headings(doc: Document, parts: list[Part], parents: list[int], tokenizer: Tokenizer) -> list[Heading]:
    out: list[Heading] = []
    for index, section in enumerate(doc.sections):
        part = parts[index]
        if section.level in (2, 3) and section.heading.strip():
            group = parents[index] * 10 + section.level  # item groups are -10·i-11: never equal to these
            heading = _heading(section.heading, part, group, tokenizer)
            if heading is not None:
                out.append(heading)
        # Item heads (一是…。二是…。) inside this section's body are siblings of each other.
        for match in RE_ITEM_HEAD.finditer(section.text):
            heading = _heading(match.group(1), part, -10 * index - 11, tokenizer, item=True)
            if heading is not None:
                out.append(heading)
    return out


def _paragraphs(doc: Document, parts: list[Part]) -> list[tuple[str, Part, bool]]:
    """The body paragraphs in reading order with their part and whether they introduce the report or a part."""
    if not doc.passages:
        lines = [line for line in doc.text.split("\n") if line.strip()]
        return [(line, "other", i == 0) for i, line in enumerate(lines)]
    items: list[tuple[str, Part, bool]] = []
    for passage in doc.passages:
        section = doc.sections[passage.section] if 0 <= passage.section < len(doc.sections) else None
        part = parts[passage.section] if section is not None else passage.part
        # The preamble and a 一、 part's own text before its first （一） introduce what follows; a text
        # without headings has no telling preamble (a page of loose paragraphs).
        if section is None:
            intro = bool(doc.sections) and passage.end <= doc.sections[0].start
        else:
            intro = section.level == 1
        items.append((passage.text, part, intro))
    return items


def _clauses(paragraphs: list[tuple[str, Part, bool]], tokenizer: Tokenizer) -> list[Clause]:
    sentences: list[tuple[str, Part, Position]] = []
    for text, part, intro in paragraphs:
        for sentence in (s.strip() for s in RE_SENTENCE_END.split(text)):
            if sentence:
                sentences.append((sentence, part, "opening" if intro else "body"))
    # A report's last sentences close it, if it is long enough to have a closing at all.
    last = len(sentences) - CLOSING_SENTENCES if len(paragraphs) >= MIN_CLOSING_PARAGRAPHS else len(sentences)
    out: list[Clause] = []
    for index, (sentence, part, where) in enumerate(sentences):
        position: Position = "closing" if index >= last and index > 0 else where
        pieces = [p.strip() for p in RE_CLAUSE_SEP.split(sentence)]
        pieces = [p for p in pieces if p]
        for i, piece in enumerate(pieces):
            if not RE_CJK.search(piece):
                continue
            words = tuple(tokenizer.words(piece))
            while words and RE_MARKER_WORD.match(words[0]):
                words = words[1:]
            if words:
                out.append(Clause(piece, words, sentence, part, position, i == len(pieces) - 1))
    return out


def document_units(doc: Document, tokenizer: Tokenizer) -> Units:
    """The headings, item heads and clauses of ``doc``, tokenised once for all miners."""
    parents = section_parents(doc.sections)
    parts = section_parts(doc, parents)
    paragraphs = _paragraphs(doc, parts)
    return Units(
        doc_id=doc.id,
        title=doc.title,
        headings=tuple(_headings(doc, parts, parents, tokenizer)),
        clauses=tuple(_clauses(paragraphs, tokenizer)),
        paragraphs=tuple((text, part) for text, part, _ in paragraphs),
        openings=tuple(_openings(doc, parts)),
    )


def _openings(doc: Document, parts: list[Part]) -> list[tuple[str, str, Part]]:
    out: list[tuple[str, str, Part]] = []
    for index, section in enumerate(doc.sections):
        if section.level not in (2, 3) or not section.heading.strip():
            continue
        first = next((s.strip() for s in RE_SENTENCE_END.split(section.text) if s.strip()), "")
        if first:
            out.append((section.heading.strip(), first, parts[index]))
    return out
