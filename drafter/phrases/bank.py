"""The phrase bank: formulas with slots mined from past reports, ranked, stored as JSON, curated.

Slot convention (patterns are plain strings):

- ``{X}`` — the first free slot: the theme or subject a writer fills in (``聚焦{X}，{Y}``, ``以{X}为抓手``,
  ``{X}取得新突破``, ``新增{X}{N}家``);
- ``{Y}`` — the second free slot, after the fixed part's comma: the result or the next clause
  (``聚焦企业主体培育，优化科技产业生态`` fills ``聚焦{X}，{Y}``);
- ``{N}`` — a number (digits, or a placeholder such as ``xx``): ``同比增长{N}%``, ``位居全市第{N}``.

Everything else in a pattern is the fixed text, written as it appears. A pattern always ends at a
jieba word boundary, holds no digits or Latin letters of its own, and is never only stopwords.

``mine`` streams documents once (each is turned into units, fed to every miner, then dropped) and keeps
only counts and a few examples per candidate, so memory is bounded whatever the corpus size
(see ``drafter.phrases.tally``). The miners, one per concept: ``mine_openers`` (heading openers and
parallel families), ``mine_frames`` (clause frames, openings, closings, problem frames),
``mine_results`` (result and problem tails), ``mine_figures`` (figure frames) and ``mine_enumerations``.
Ranking: each candidate's score is ``docs × log2(1 + count) × min(entropy, 3)`` (see
``drafter.phrases.patterns``) times a small bonus for a longer fixed text (up to 1.5×: ``以{X}为抓手``
gives more phrasing than ``加强{X}``); of nested patterns with almost the same count only the more
specific stays (``现将{X}如下`` over ``现将{X}``). Within a category the best keeps 1.0 and the rest are
scaled to it, and the bank lists all categories by that scaled score, so the best of every category
comes first.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any, Literal

from drafter.errors import CorpusError, NotFoundError
from drafter.models import (
    PHRASE_CATEGORIES,
    Document,
    Example,
    OpenerFamily,
    Phrase,
    PhraseBank,
    PhraseCategory,
)
from drafter.phrases.curated import Ban, Curated, CuratedFileError, apply_curated, load_curated, parse_curated
from drafter.phrases.enumerations import EnumerationMiner
from drafter.phrases.figures import FigureMiner
from drafter.phrases.frames import FrameMiner
from drafter.phrases.openers import OpenerMiner
from drafter.phrases.patterns import Candidate, specificity
from drafter.phrases.results import ResultMiner
from drafter.phrases.tally import Initiality
from drafter.phrases.units import document_units, is_noisy
from drafter.text.tokens import Tokenizer

__all__ = [
    "BANK_FORMAT",
    "BANK_VERSION",
    "Ban",
    "Curated",
    "CuratedFileError",
    "apply_curated",
    "bank_from_json",
    "bank_to_json",
    "figure_frames",
    "heading_for",
    "load_curated",
    "mine",
    "parse_curated",
    "phrase_rows",
    "rank",
]

BANK_FORMAT = "drafter-phrasebank"
BANK_VERSION = 1
MAX_PER_CATEGORY = 150
SUBSUMED_SHARE = 0.8  # a pattern goes when a more specific one covers this share of its occurrences
RE_SLOT = re.compile(r"\{[XYN]\}")


def mine(documents: Iterable[Document], tokenizer: Tokenizer, curated: Curated | None = None) -> PhraseBank:
    """The phrase bank of ``documents`` (one streaming pass), with ``curated`` applied when given."""
    openers = OpenerMiner()
    frames = FrameMiner()
    results = ResultMiner()
    figures = FigureMiner(tokenizer)
    enumerations = EnumerationMiner()
    miners = (openers, frames, results, figures, enumerations)
    initiality = Initiality()
    n_docs = 0
    for doc in documents:
        units = document_units(doc, tokenizer)
        initiality.feed(clause.words for clause in units.clauses)
        initiality.feed(heading.first_clause for heading in units.headings)
        for miner in miners:
            miner.feed(units, n_docs)
        n_docs += 1
    min_docs = 2 if n_docs >= 2 else 1
    candidates = [c for miner in miners for c in miner.candidates(min_docs, initiality)]
    if curated is not None:
        candidates = [c for c in candidates if not curated.banned(c.category, c.pattern)]
    bank = PhraseBank(phrases=rank(candidates), families=tuple(openers.families(initiality)))
    return apply_curated(bank, curated) if curated is not None else bank


def rank(candidates: Iterable[Candidate]) -> tuple[Phrase, ...]:
    """Phrases best first: per category scaled to its best (1.0), then all categories by that score."""
    by_category: dict[str, dict[str, Candidate]] = defaultdict(dict)
    for candidate in candidates:
        if is_noisy(candidate.pattern):
            continue
        seen = by_category[candidate.category].get(candidate.pattern)
        if seen is None or (candidate.score, candidate.docs) > (seen.score, seen.docs):
            by_category[candidate.category][candidate.pattern] = candidate
    phrases: list[Phrase] = []
    for found in by_category.values():
        weighted = [
            replace(c, score=c.score * specificity(c.pattern)) for c in _most_specific(list(found.values()))
        ]
        best = sorted(weighted, key=lambda c: (-c.score, -c.docs, -c.count, c.pattern))
        best = best[:MAX_PER_CATEGORY]
        top = best[0].score or 1.0
        for candidate in best:
            phrases.append(replace(candidate.phrase(), score=round(candidate.score / top, 4)))
    phrases.sort(key=lambda p: (-p.score, -p.docs, -p.count, PHRASE_CATEGORIES.index(p.category), p.pattern))
    return tuple(phrases)


def _segments(pattern: str) -> list[str]:
    return RE_SLOT.split(pattern.replace("，{Y}", ""))


def _subsumes(longer: list[str], shorter: list[str]) -> bool:
    """True when ``longer`` is ``shorter`` with more fixed words at the slot edges (现将{X}如下 ⊃ 现将{X})."""
    if len(longer) != len(shorter) or longer == shorter:
        return False
    if not longer[0].startswith(shorter[0]) or not longer[-1].endswith(shorter[-1]):
        return False
    return longer[1:-1] == shorter[1:-1]


def _most_specific(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates without those a more specific one of (almost) the same count makes redundant."""
    segments = [_segments(c.pattern) for c in candidates]
    out: list[Candidate] = []
    for i, candidate in enumerate(candidates):
        redundant = any(
            other.count >= SUBSUMED_SHARE * candidate.count and _subsumes(segments[j], segments[i])
            for j, other in enumerate(candidates)
            if j != i and other.family == candidate.family
        )
        if not redundant:
            out.append(candidate)
    return out


# --- helpers for drafting and the form ---------------------------------------------------------------


def figure_frames(bank: PhraseBank) -> list[Phrase]:
    """Figure frames with an indicator ``label`` and ``unit`` (the form's suggestions), best first."""
    return [p for p in bank.by_category("figure_frame") if p.label and p.unit]


def heading_for(family: OpenerFamily, theme: str, result: str | None = None) -> str:
    """A heading in ``family``'s shape: 聚焦 + 企业主体培育 + 优化科技产业生态 → 聚焦企业主体培育，优化科技产业生态.

    ``theme`` fills ``{X}``; ``result`` fills ``{Y}`` (appended after a comma when the pattern has no
    ``{Y}``; the ``，{Y}`` part is dropped when there is no result). A theme that already carries the
    family's fixed words (实施…工程 + 科技企业培育工程) is not doubled.
    """
    pattern = family.pattern
    theme = theme.strip().strip("，。；、 ")
    head, _, rest = pattern.partition("{X}")
    end = rest.split("，{Y}")[0].split("{Y}")[0]
    if head and theme.startswith(head):
        theme = theme[len(head) :]
    if end and theme.endswith(end):
        theme = theme[: -len(end)]
    text = pattern.replace("{X}", theme)
    result = (result or "").strip().strip("，。；、 ")
    if "{Y}" in text:
        text = text.replace("{Y}", result) if result else text.replace("，{Y}", "").replace("{Y}", "")
    elif result:
        text += "，" + result
    return text


# --- rows for the CLI and the web API ----------------------------------------------------------------


def phrase_rows(bank: PhraseBank, category: str | None = None) -> list[dict[str, Any]]:
    """The bank as JSON-ready rows, best first: ``{category, pattern, count, docs, examples, source, …}``.

    Phrases the corpus attests keep the bank's order; curated additions the corpus never shows (``docs``
    0) follow them: they are the bureau's taste, not evidence, and the drafter still prefers them.
    """
    if category is not None and category not in PHRASE_CATEGORIES:
        raise NotFoundError(f"没有名为“{category}”的短语类别：可用类别为 {'、'.join(PHRASE_CATEGORIES)}。")
    phrases = bank.phrases if category is None else [p for p in bank.phrases if p.category == category]
    return [_phrase_dict(p) for p in sorted(phrases, key=lambda p: p.docs == 0)]


def _example_dict(example: Example) -> dict[str, str]:
    return {"text": example.text, "doc_id": example.doc_id, "title": example.title}


def _phrase_dict(phrase: Phrase) -> dict[str, Any]:
    row: dict[str, Any] = {
        "category": phrase.category,
        "pattern": phrase.pattern,
        "count": phrase.count,
        "docs": phrase.docs,
        "examples": [_example_dict(e) for e in phrase.examples],
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
        "examples": [_example_dict(e) for e in family.examples],
        "source": family.source,
    }


# --- JSON -------------------------------------------------------------------------------------------------


def bank_to_json(bank: PhraseBank) -> str:
    """The bank as versioned JSON text (what the corpus stores and ``phrasebank/mined.json`` holds)."""
    data = {
        "format": BANK_FORMAT,
        "version": BANK_VERSION,
        "phrases": [_phrase_dict(p) for p in bank.phrases],
        "families": [_family_dict(f) for f in bank.families],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


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
    except (ValueError, KeyError, TypeError) as exc:
        raise CorpusError(f"短语库数据无法读取（{exc}）：请运行 drafter mine 重新生成短语库。") from exc
    return PhraseBank(phrases=phrases, families=families)


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
