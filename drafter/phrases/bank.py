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

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any, Protocol

from drafter.models import (
    PHRASE_CATEGORIES,
    Document,
    Phrase,
    PhraseBank,
)
from drafter.phrases.collocations import CollocationMiner
from drafter.phrases.curated import Curated, apply_curated
from drafter.phrases.enumerations import EnumerationMiner
from drafter.phrases.figures import FigureMiner
from drafter.phrases.frames import FrameMiner
from drafter.phrases.leads import LeadMiner
from drafter.phrases.openers import OpenerMiner
from drafter.phrases.patterns import Candidate, specificity
from drafter.phrases.results import ResultMiner
from drafter.phrases.tally import Initiality, TallyTable
from drafter.phrases.units import Units, document_units, is_noisy
from drafter.text.tokens import Tokenizer

MAX_PER_CATEGORY = 150
SUBSUMED_SHARE = 0.8  # a pattern goes when a more specific one covers this share of its occurrences
RE_SLOT = re.compile(r"\{[XYN]\}")


class PatternMiner(Protocol):
    """What ``mine`` and ``drafter.phrases.increment`` ask of every phrase miner."""

    @property
    def table(self) -> TallyTable[Any]: ...
    def feed(self, units: Units, doc_index: int) -> None: ...
    def candidates(self, min_docs: int, initiality: Initiality) -> list[Candidate]: ...


def pattern_miners(
    tokenizer: Tokenizer,
) -> tuple[OpenerMiner, FrameMiner, ResultMiner, FigureMiner, EnumerationMiner]:
    """The miners of the bank's phrases, in the order their keys are numbered (``PhraseKeys``)."""
    return OpenerMiner(), FrameMiner(), ResultMiner(), FigureMiner(tokenizer), EnumerationMiner()


PhraseKeys = dict[tuple[str, str], tuple[int, str]]
"""(category, pattern) → (number of its miner in ``pattern_miners``, its table key): what
``drafter.phrases.increment`` counts in documents added later."""


def mine(
    documents: Iterable[Document],
    tokenizer: Tokenizer,
    curated: Curated | None = None,
    *,
    keys: PhraseKeys | None = None,
) -> PhraseBank:
    """The phrase bank of ``documents`` (one streaming pass), with ``curated`` applied when given; ``keys``,
    when given, receives the key of every mined phrase."""
    openers, frames, results, figures, enumerations = pattern_miners(tokenizer)
    miners: tuple[PatternMiner, ...] = (openers, frames, results, figures, enumerations)
    collocations = CollocationMiner()
    leads = LeadMiner()
    initiality = Initiality()
    n_docs = 0
    for doc in documents:
        units = document_units(doc, tokenizer)
        initiality.feed(clause.words for clause in units.clauses)
        initiality.feed(heading.first_clause for heading in units.headings)
        for miner in miners:
            miner.feed(units, n_docs)
        collocations.feed(units, n_docs)
        leads.feed(units, n_docs)
        n_docs += 1
    min_docs = 2 if n_docs >= 2 else 1
    numbered = [(m, c) for m, miner in enumerate(miners) for c in miner.candidates(min_docs, initiality)]
    candidates = [c for _, c in numbered]
    if curated is not None:
        candidates = [c for c in candidates if not curated.banned(c.category, c.pattern)]
    phrases = rank(candidates)
    if keys is not None:
        keys.update(_keys_of(phrases, numbered))
    bank = PhraseBank(
        phrases=phrases,
        families=tuple(openers.families(initiality)),
        collocations=tuple(collocations.collocations(initiality)),
        leads=tuple(leads.found()),
    )
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


def _keys_of(phrases: Iterable[Phrase], numbered: Iterable[tuple[int, Candidate]]) -> PhraseKeys:
    """The key of each ranked phrase: its candidate's, the one ``rank`` kept of a pattern found twice."""
    best: dict[tuple[str, str], tuple[int, Candidate]] = {}
    for m, candidate in numbered:
        at = (candidate.category, candidate.pattern)
        seen = best.get(at)
        if seen is None or (candidate.score, candidate.docs) > (seen[1].score, seen[1].docs):
            best[at] = (m, candidate)
    wanted = {(p.category, p.pattern) for p in phrases}
    return {at: (m, c.key) for at, (m, c) in best.items() if at in wanted}


def _segments(pattern: str) -> list[str]:
    return RE_SLOT.split(pattern.replace("，{Y}", ""))


def _most_specific(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates without those a more specific one of (almost) the same count makes redundant.

    Each candidate looks up the patterns it could subsume (its first fixed segment cut short, its last
    one cut at the front, the middle kept) in a table of the candidates by family and segments, so the
    cost grows with the candidates times their edge lengths, not with the square of the candidates.
    """
    segments = [tuple(_segments(c.pattern)) for c in candidates]
    by_shape: dict[tuple[str | None, tuple[str, ...]], list[int]] = defaultdict(list)
    for i, (candidate, shape) in enumerate(zip(candidates, segments, strict=True)):
        by_shape[(candidate.family, shape)].append(i)
    redundant: set[int] = set()
    for j, (longer, shape) in enumerate(zip(candidates, segments, strict=True)):
        for shorter in _subsumed_shapes(shape):
            for i in by_shape.get((longer.family, shorter), ()):
                if i != j and longer.count >= SUBSUMED_SHARE * candidates[i].count:
                    redundant.add(i)
    return [c for i, c in enumerate(candidates) if i not in redundant]


def _subsumed_shapes(longer: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Every segment tuple that ``longer`` subsumes, ``longer`` itself excluded: the same middle segments,
    a first segment that ``longer``'s starts with and a last one that ``longer``'s ends with
    (现将{X}如下 subsumes 现将{X})."""
    first, last = longer[0], longer[-1]
    if len(longer) == 1:
        for n in range(len(first)):
            if first.endswith(first[:n]):
                yield (first[:n],)
        return
    middle = longer[1:-1]
    for a in range(len(first) + 1):
        for b in range(len(last) + 1):
            shape = (first[:a], *middle, last[b:])
            if shape != longer:
                yield shape
