"""References for a draft: for each section, the passages of past reports that fit it, each used once.

A section's query is its theme, heading and items. What comes back is filtered and ordered the way a writer
at a county bureau would pick: passages the search is unsure of (confidence 弱) and passages that share no
word with the section's theme are left out — no reference is better than one about something else; the
writer's own unit first, then reports of the same administrative level (a 区科技局 before a province's
政府工作报告), then the rest, each group by score. A passage serves one section of a draft at most, and
each reference is trimmed to the sentences that match (``MAX_CHARS``), the whole passage kept beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from drafter.draft.reuse import FRESH, Steps
from drafter.models import Hit, Level, Part, Reference, SearchFilters
from drafter.text.levels import admin_level, level_distance
from drafter.text.tokens import default_tokenizer

SearchFn = Callable[[str, int, SearchFilters], list[Hit]]
"""``Searcher.search(query, k, filters)``: the passages of past reports most similar to ``query``."""

PER_SECTION = 3
POOL = 12
"""Hits read per section before filtering: enough that used and weak ones leave a choice."""
MAX_CHARS = 260
"""A reference longer than this is cut to its best-matching sentences."""
RE_SENTENCE = re.compile(r"[^。！？；]*(?:[。！？；]”?|$)")
RE_THEME_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")
RE_SPACE = re.compile(r"\s+")
GENERIC_THEME_WORDS = frozenset(
    [
        "工作",
        "建设",
        "发展",
        "管理",
        "服务",
        "推进",
        "加强",
        "提升",
        "体系",
        "能力",
        "水平",
        "机制",
        "其他",
        "重点",
    ]
)
"""Theme words too general to show a passage is on the theme (工作, 建设)."""


@dataclass(frozen=True)
class SectionQuery:
    """What a section asks of past reports: its theme, the part it is in, and its full query text."""

    theme: str
    part: Part
    query: str


def select_references(
    sections: Sequence[SectionQuery],
    search: SearchFn,
    *,
    unit: str,
    k: int = PER_SECTION,
    steps: Steps = FRESH,
) -> list[tuple[Reference, ...]]:
    """For each of ``sections`` (in order), up to ``k`` references; a passage is used by one section only.

    What a section makes of its hits is taken from ``steps`` when kept for the same section and unit, with
    the same of its hits already used by the sections before it (``drafter.draft.reuse``; ``steps`` fixes
    the search, whose answers the caller keeps)."""
    writer_level = admin_level(unit)
    used: set[str] = set()
    out: list[tuple[Reference, ...]] = []
    for section in sections:
        hits = search(section.query, POOL, SearchFilters(part=section.part))
        if len([h for h in hits if h.confidence != "weak"]) < k:
            hits += search(section.query, POOL, SearchFilters())
        taken_before = frozenset(used.intersection(_key(h) for h in hits))
        make = partial(_chosen, section, hits, unit, writer_level, k, taken_before)
        chosen, taken = steps.value(("references", section, unit, k, taken_before), make)
        used.update(taken)
        out.append(chosen)
    return out


def _chosen(
    section: SectionQuery, hits: list[Hit], unit: str, writer_level: Level, k: int, used: frozenset[str]
) -> tuple[tuple[Reference, ...], tuple[str, ...]]:
    """Up to ``k`` references for ``section`` among ``hits`` not ``used``, and the keys of the hits taken."""
    theme_words = _theme_words(section.theme)
    fitting = [h for h in _distinct(hits) if _fits(h, theme_words) and _key(h) not in used]
    fitting.sort(key=lambda h: (not _own(h, unit), level_distance(writer_level, h.level), -h.score))
    chosen = fitting[:k]
    words = [*theme_words, *_query_words(section.query), *(r for h in chosen for r in h.related)]
    return tuple(reference_of(h, words) for h in chosen), tuple(_key(h) for h in chosen)


def reference_of(hit: Hit, words: Sequence[str]) -> Reference:
    """The reference for ``hit``: its text trimmed to the sentences richest in ``words``."""
    text, frame = trim(hit.text, hit.frame, words)
    return Reference(
        title=hit.title,
        source=hit.source,
        heading=hit.heading,
        text=text,
        frame=frame,
        score=hit.score,
        unit=hit.unit,
        year=hit.year,
        passage=hit.text,
        passage_id=hit.passage_id,
        confidence=hit.confidence,
    )


def trim(text: str, frame: str, words: Sequence[str], limit: int = MAX_CHARS) -> tuple[str, str]:
    """``text`` (and its ``frame``, cut at the same sentences) kept to the best sentences within ``limit``.

    The best sentence (most ``words``) is kept, then its neighbours while they fit, in reading order.
    """
    if len(text) <= limit:
        return text, frame
    sentences = [s for s in RE_SENTENCE.findall(text) if s]
    framed = [s for s in RE_SENTENCE.findall(frame) if s]
    if len(framed) != len(sentences):
        framed = []
    scores = [sum(1 for w in set(words) if w and w in s) for s in sentences]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    first = last = best
    size = len(sentences[best])
    while True:
        options = [i for i in (first - 1, last + 1) if 0 <= i < len(sentences)]
        options = [i for i in options if size + len(sentences[i]) <= limit]
        if not options:
            break
        pick = max(options, key=lambda i: (scores[i], -abs(i - best)))
        size += len(sentences[pick])
        first, last = min(first, pick), max(last, pick)
    kept = "".join(sentences[first : last + 1]).strip()
    if len(kept) > limit:  # one sentence longer than the limit: cut it, and say so
        kept = kept[: limit - 1] + "…"
    kept_frame = "".join(framed[first : last + 1]).strip() if framed else ""
    return kept, kept_frame[:limit] if kept_frame else ""


@lru_cache(maxsize=1024)
def _theme_words(theme: str) -> tuple[str, ...]:
    """The theme's content words and the dictionary words inside the long ones (科技人才引育 → 人才, 引育 …)."""
    tokenizer = default_tokenizer()
    words = [w for w in tokenizer.words(theme) if RE_THEME_WORD.match(w)]
    parts = [
        w[i : i + n]
        for w in words
        if len(w) >= 4
        for n in (2, 3)
        for i in range(len(w) - n + 1)
        if tokenizer.known(w[i : i + n])
    ]
    found = list(dict.fromkeys([*words, *parts]))
    specific = [w for w in found if w not in GENERIC_THEME_WORDS]
    return tuple(specific or found or ([theme] if theme else []))


@lru_cache(maxsize=2048)
def _query_words(query: str) -> tuple[str, ...]:
    return tuple(w for w in default_tokenizer().words(query) if RE_THEME_WORD.match(w))


def _fits(hit: Hit, theme_words: Sequence[str]) -> bool:
    """Whether ``hit`` is sure enough and its passage holds a word of the section's theme."""
    if hit.confidence == "weak":
        return False
    return any(w in hit.text for w in theme_words)


def _own(hit: Hit, unit: str) -> bool:
    return bool(hit.unit) and (hit.unit == unit or (bool(unit) and (hit.unit or "") in unit))


def _key(hit: Hit) -> str:
    """One key for a passage and its copies (the same text posted twice is one reference)."""
    return _text_key(hit.text)


@lru_cache(maxsize=8192)
def _text_key(text: str) -> str:
    return RE_SPACE.sub("", text)[:120]


def _distinct(hits: Sequence[Hit]) -> list[Hit]:
    seen: set[str] = set()
    out = []
    for hit in hits:
        if _key(hit) not in seen:
            seen.add(_key(hit))
            out.append(hit)
    return out
