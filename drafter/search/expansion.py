"""Query understanding: other wordings of what the writer asked, and how sure a hit is to be on the subject.

A writer asks 恢复生产 where the reports say 复工复产, 大夫 where they say 医务人员. Two sources of other
wordings, applied the same way: the curated tables (``drafter.search.curated``: the 口径 table
``phrasebank/synonyms.yaml`` and the everyday words ``phrasebank/everyday.yaml``, which an IT person edits)
and the related terms mined from the corpus (``drafter.search.related``). A curated wording enters the query
with a weight below the writer's own words (``OFFICIAL_WEIGHT`` for a group's 口径 term, less for its plain
wordings), so a passage in the writer's words still ranks first; the mined terms are shown only. The writer
sees both as 相关说法.

``confidence`` reads a hit's text against the query: the share of the query's weight (idf²) whose words, or
their other wordings, occur in the passage. A word the corpus never uses weighs most: a subject the corpus
does not cover cannot look covered by a passage that shares only 工作 or 安全.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from drafter.models import Confidence, Hit
from drafter.search.curated import EverydayEntry
from drafter.text.tokens import RE_CJK_RUN

CURATED_WEIGHT = 0.4
"""A curated wording's weight (× its idf) when the query says another plain wording of its group."""
OFFICIAL_WEIGHT = 0.7
"""The weight of a group's first wording, its 口径 term, when the query says it in plainer words: the reports
use the 口径 term, so it is the wording that finds them."""
SAID_OFFICIAL_WEIGHT = 0.3
"""The weight of the plain wordings when the query already says the 口径 term (reports use it: the plain
wordings would only dilute it). The three were chosen on the outsider, dev and search sets, never the held-out
one: (0.7, 0.3, 0.4) against one flat 0.6, hit@5 / MRR@10 outsider 0.543 / 0.406 vs 0.543 / 0.400, search set
0.986 / 0.941 vs 0.973 / 0.914."""
RELATED_WEIGHT = 0.0
"""Mined related terms are shown to the writer (相关说法) but do not enter the ranking: at 0.5 × similarity they
lowered MRR@10 on the outsider set (0.317 → 0.297) and hit@5 on the held-out set; ``eval_paraphrase`` keeps
measuring them in the query."""
MAX_RELATED_PER_WORD = 3
BRIDGE_WEIGHT = 0.0
"""A query word whose mined neighbour is a wording of a curated group can bring that group's 口径 term in, at this
weight × the similarity (老人 → 孤寡老人 → 特困人员供养): the mined terms filtered by what an IT person vouched
for. Off: at 0.3 (set before measuring) it moved hit@5 by −0.009 / 0 / +0.033 / 0 on the outsider, held-out,
bureau and unseen sets, MRR@10 by −0.007 / −0.006 / +0.026 / +0.003, and the search set's MRR@10 by −0.005:
no gain beyond a query or two either way, for more terms to rank. ``eval_paraphrase`` keeps measuring it."""
EVERYDAY_WEIGHT = OFFICIAL_WEIGHT
"""The weight of an everyday entry's first report wording when the query says one of its everyday wordings
(大夫 → 医务人员); its other report wordings weigh ``EVERYDAY_OTHER_WEIGHT``."""
EVERYDAY_OTHER_WEIGHT = CURATED_WEIGHT
MAX_EXPANSIONS = 12
REMEMBERED = 1024
"""Queries whose expansions an ``Expander`` keeps (a writer pages through a query; drafts repeat theirs)."""
SCATTER_SLACK = 4
"""Characters a several-word wording may stretch by in the query (other words between or around its own)."""
STRONG_COVERAGE = 0.75
"""A hit covering this share of the query's weight is 强; below ``MEDIUM_COVERAGE`` it is 弱 unless its score
rescues it (``label``). The coverage thresholds were read on our own sets (search_eval.yaml,
paraphrase_dev.yaml): first hits that answer have a median coverage of 0.68–1.0, subjects absent from the corpus
0.0–0.42."""
MEDIUM_COVERAGE = 0.45
MEDIUM_SCORE = 0.22
"""A hit below ``MEDIUM_COVERAGE`` still reads 中 when it covers at least ``MIN_RESCUE_COVERAGE`` and scores this
much: a writer's paraphrase shares few words with the passage that answers it (the coverage of first hits that
answer the outsider set has a median of 0.41), but the ranking score still tells them apart (area under the
curve 0.70–0.75 against 0.56–0.66 for coverage on the paraphrase sets). Chosen on the outsider, dev and search
sets with every absent subject of ``benchmarks/paraphrase_calibration.py`` kept 弱 (their first hits score
0.09–0.19); ``python -m benchmarks.eval_paraphrase --calibrate`` prints the share of correct first hits per
label."""
MIN_RESCUE_COVERAGE = 0.1
STRONG_SCORE = 0.3
"""A hit covering ``MEDIUM_COVERAGE`` reads 强 when it also scores this much."""
BIGRAM_CREDIT = 0.5
"""A query word not in the passage, but with all of its character bigrams there, counts this much."""


@dataclass(frozen=True)
class Expansion:
    """Another wording ``text`` of the query's ``of``, searched with ``weight`` (below 1)."""

    text: str
    weight: float
    of: str
    source: Literal["curated", "mined"]


class Expander:
    """Other wordings of a query, from the curated groups and the mined related terms."""

    def __init__(
        self,
        groups: Sequence[Sequence[str]] = (),
        related: Mapping[str, Sequence[tuple[str, float]]] | None = None,
        related_weight: float = RELATED_WEIGHT,
        bridge_weight: float = BRIDGE_WEIGHT,
        damping: Mapping[str, float] | None = None,
        everyday: Sequence[EverydayEntry] = (),
        everyday_weights: tuple[float, float] = (EVERYDAY_WEIGHT, EVERYDAY_OTHER_WEIGHT),
    ) -> None:
        self.damping: Mapping[str, float] = damping or {}
        """Query-term factors mined with the related terms (``drafter.search.damping``): the query terms that
        everyday Chinese uses as much as the reports do weigh less, in both searchers alike."""
        self._groups = [tuple(g) for g in groups]
        self._looked_from = [0] * len(self._groups)
        """Where each group's wordings looked up in a query begin: 0 for a 口径 group (every wording), the
        number of report wordings for an everyday entry (only its everyday wordings bring the others in)."""
        for reports, said in everyday:
            self._groups.append((*reports, *said))
            self._looked_from.append(len(reports))
        self._everyday_weights = everyday_weights
        self._by_start: dict[str, list[tuple[str, int]]] = {}
        """Each wording found only as written (``_said``) under its first two characters: a query is scanned
        once, not once per group."""
        self._by_wording: dict[str, list[int]] = {}
        """The groups each wording (lower-cased) belongs to: where a mined neighbour meets the table."""
        for number, group in enumerate(self._groups):
            for wording in group[self._looked_from[number] :]:
                if not _scatters(wording):  # the others are found in pieces, as written too
                    self._by_start.setdefault(wording[:2], []).append((wording, number))
                self._by_wording.setdefault(wording.lower(), []).append(number)
        self._bridge_weight = bridge_weight
        self._scattered: dict[str, list[tuple[str, tuple[str, ...], int]]] | None = None
        """Wordings of four or more characters in pieces (``_pieces``), under their first piece: built on first use."""
        self._related = related or {}
        self._related_weight = related_weight
        self._remembered = lru_cache(maxsize=REMEMBERED)(lambda q, w: tuple(self.expand(q, w)))

    def __bool__(self) -> bool:
        return bool(self._groups or self._related)

    def expand(self, query: str, words: Sequence[str]) -> list[Expansion]:
        """The expansions of ``query`` (cut into ``words``), strongest first, none already in the query."""
        found: dict[str, Expansion] = {}

        def add(expansion: Expansion) -> None:
            if expansion.text in query:
                return
            known = found.get(expansion.text)
            if known is None or known.weight < expansion.weight:
                found[expansion.text] = expansion

        said_groups = self._said(query, words)
        for number, said in said_groups.items():
            group = self._groups[number]
            reports = self._looked_from[number]
            if reports:  # an everyday entry: its report wordings, never the other everyday ones
                for n, report in enumerate(group[:reports]):
                    add(Expansion(report, self._everyday_weights[min(n, 1)], said, "curated"))
                continue
            for other in group:
                if other != said and other not in said:
                    if said == group[0]:
                        weight = SAID_OFFICIAL_WEIGHT
                    else:
                        weight = OFFICIAL_WEIGHT if other == group[0] else CURATED_WEIGHT
                    add(Expansion(other, weight, said, "curated"))
        for word in dict.fromkeys(words):
            neighbours = list(self._related.get(word, ()))
            for neighbour, similarity in neighbours[:MAX_RELATED_PER_WORD]:
                if neighbour not in word and word not in neighbour:
                    add(Expansion(neighbour, round(self._related_weight * similarity, 3), word, "mined"))
            if self._bridge_weight > 0 and len(word) >= 2:
                for neighbour, similarity in neighbours:
                    for number in self._by_wording.get(neighbour.lower(), ()):
                        term = self._groups[number][0]
                        if number not in said_groups and term not in word:
                            add(Expansion(term, round(self._bridge_weight * similarity, 3), word, "mined"))
        return sorted(found.values(), key=lambda e: -e.weight)[:MAX_EXPANSIONS]

    def expansions(self, query: str, words: tuple[str, ...]) -> tuple[Expansion, ...]:
        """``expand``, remembered for the last ``REMEMBERED`` queries."""
        found: tuple[Expansion, ...] = self._remembered(query, words)
        return found

    def _said(self, query: str, words: Sequence[str] = ()) -> dict[int, str]:
        """The groups ``query`` names, each with the first of its wordings (in the table's order) it holds.

        A wording of several words also counts when its words occur close together in another order or with
        a few characters between them (减轻企业负担 in 给企业减轻税收负担): writers rarely say a phrase
        exactly as the table does. An everyday wording counts only as whole words of the query's cut
        ``words`` (学技术 is not in 科学技术, 娃娃 not in 娃娃鱼): everyday words are short and common.
        """
        said: dict[int, str] = {}

        def note(wording: str, number: int) -> None:
            group = self._groups[number]
            if number not in said or group.index(wording) < group.index(said[number]):
                said[number] = wording

        edges = _edges(query, words)
        for i in range(len(query) - 1):
            for wording, number in self._by_start.get(query[i : i + 2], ()):
                if query.startswith(wording, i) and (
                    not self._looked_from[number] or not edges or {i, i + len(wording)} <= edges
                ):
                    note(wording, number)
        scattered = self._scattered_wordings()
        # Every anchor is a two-character piece: looked up by the query's own bigrams, not tried one by one.
        for anchor in dict.fromkeys(query[i : i + 2] for i in range(len(query) - 1)):
            for wording, pieces, number in scattered.get(anchor, ()):
                if _close_together(query, pieces, len(wording) + SCATTER_SLACK):
                    note(wording, number)
        return dict(sorted(said.items()))

    def _scattered_wordings(self) -> dict[str, list[tuple[str, tuple[str, ...], int]]]:
        if self._scattered is None:
            scattered: dict[str, list[tuple[str, tuple[str, ...], int]]] = {}
            wordings = [
                (wording, _pieces(wording), number)
                for number, group in enumerate(self._groups)
                for wording in group[self._looked_from[number] :]
                if _scatters(wording)
            ]
            # Each wording under its two-character piece that the fewest wordings share (农村 and 建设 begin
            # many, 秸秆 few): a query's common bigrams then bring few wordings to place.
            shared = Counter(piece for _, pieces, _ in wordings for piece in pieces)
            for wording, pieces, number in wordings:
                anchor = pieces[0]
                for piece in pieces:
                    if len(piece) == 2 and shared[piece] < shared[anchor]:
                        anchor = piece
                scattered.setdefault(anchor, []).append((wording, pieces, number))
            self._scattered = scattered
        return self._scattered


def _scatters(wording: str) -> bool:
    """Whether ``wording`` is also found in pieces (four or more Chinese characters): such a wording written
    out in the query has its pieces together, so the piece search finds it as written as well."""
    return len(wording) >= 4 and RE_CJK_RUN.fullmatch(wording) is not None


def _pieces(wording: str) -> tuple[str, ...]:
    """``wording`` in pieces of two characters (the last of three when its length is odd): most words of a
    report's phrase are two characters long, and cutting the table with jieba would cost the first search ~0.3 s."""
    cut = len(wording) - 3 if len(wording) % 2 else len(wording)
    pieces = [wording[i : i + 2] for i in range(0, cut, 2)]
    if cut < len(wording):
        pieces.append(wording[cut:])
    return tuple(pieces)


def _edges(query: str, words: Sequence[str]) -> set[int]:
    """The positions in ``query`` where its cut ``words`` begin or end (none when it was not cut)."""
    edges: set[int] = set()
    at = 0
    for word in words:
        i = query.find(word, at)
        if i >= 0:
            edges.update((i, i + len(word)))
            at = i + len(word)
    return edges


def _close_together(query: str, words: Sequence[str], span: int) -> bool:
    """Whether every one of ``words`` occurs in ``query`` within one stretch of at most ``span`` characters."""
    if not all(w in query for w in words):  # most candidates fail here: cheaper than placing each word
        return False
    spots = sorted((i, len(w)) for w in set(words) for i in _find_all(query, w))
    needed = set(words)
    for start, _ in spots:
        seen = {w for w in needed if any(start <= i <= start + span - len(w) for i in _find_all(query, w))}
        if seen == needed:
            return True
    return False


def _find_all(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1)
    return out


def coverage(
    words: Sequence[str], expansions: Sequence[Expansion], text: str, idf: Callable[[str], float]
) -> float:
    """The share of the query's weight that ``text`` covers (its words, their bigrams, or other wordings)."""
    return _Coverage(words, expansions, idf).of(text)


def coverage_of(
    words: Sequence[str], expansions: Sequence[Expansion], idf: Callable[[str], float]
) -> Callable[[str], float]:
    """``coverage`` of one query as a function of the text already lower-cased (a hit lower-cases its text
    once), its weights computed once for every hit read."""
    return _Coverage(words, expansions, idf).of_lowered


class _Coverage:
    """A query's weights and its wordings' credits, computed once and read against each hit."""

    def __init__(self, words: Sequence[str], expansions: Sequence[Expansion], idf: Callable[[str], float]):
        self.weights = {unit: idf(unit) ** 2 for unit in query_units(words)}
        self.total = sum(self.weights.values())
        # Each unit with its weight and character bigrams, cut once for every text read.
        self.units = [(w, weight, _bigrams(w)) for w, weight in self.weights.items()]
        # (other wording, its credit, the positions of the query units it covers): a curated phrase covers
        # every word of the phrase it rewords; a wording of weight 0 (a mined term only shown) covers nothing.
        credits = (
            (
                e.text.lower(),
                min(1.0, e.weight / CURATED_WEIGHT),
                [n for n, w in enumerate(self.weights) if w in e.of],
            )
            for e in expansions
            if e.weight > 0
        )
        self._credit_at = [c for c in credits if c[2]]

    def of(self, text: str) -> float:
        return self.of_lowered(text.lower())

    def of_lowered(self, lowered: str) -> float:
        if not self.total:
            return 0.0
        holds = lowered.__contains__  # ``map`` over it: no generator frame per unit
        credit = [
            1.0 if holds(w) else BIGRAM_CREDIT if grams and all(map(holds, grams)) else 0.0
            for w, _, grams in self.units
        ]  # 1 when the text holds the unit, ``BIGRAM_CREDIT`` when it holds all of its bigrams
        for wording, value, covers in self._credit_at:
            if wording in lowered:
                for n in covers:
                    credit[n] = max(credit[n], value)
        return sum([weight * c for (_, weight, _), c in zip(self.units, credit, strict=True)]) / self.total


PARTICLES = frozenset("的了着地得和与及或在把让对为是有也都被给将从到向就还又并而以于之")
"""Single characters that end a run instead of joining it: 村/的 is no unit of meaning (a writer's plain
sentence has many; as an unknown unit each weighed most and pulled the coverage of a right answer down)."""


def query_units(words: Sequence[str]) -> list[str]:
    """The query's units of meaning: its words of two or more characters, and each run of single characters
    jieba could not join (河/长/制 → 河长制: a term the dictionary lacks is the query's most specific part);
    particles (``PARTICLES``) break a run."""
    units: list[str] = []
    run = ""
    for word in [*words, ""]:
        if len(word) == 1 and RE_CJK_RUN.fullmatch(word) and word not in PARTICLES:
            run += word
            continue
        if len(run) >= 2:
            units.append(run)
        run = ""
        if len(word) >= 2 and RE_CJK_RUN.fullmatch(word):
            units.append(word)
    return list(dict.fromkeys(units))


def rated(
    hits: Sequence[Hit], words: Sequence[str], expansions: Sequence[Expansion], idf: Callable[[str], float]
) -> list[Hit]:
    """``hits`` with their confidence, coverage and the query's other wordings (相关说法)."""
    related = tuple(e.text for e in expansions)
    measure = _Coverage(words, expansions, idf)
    out = []
    for hit in hits:
        share = measure.of(f"{hit.heading}\n{hit.text}")
        out.append(
            replace(hit, confidence=label(share, hit.score), coverage=round(share, 3), related=related)
        )
    return out


def label(share: float, score: float) -> Confidence:
    """强 / 中 / 弱 for a hit covering ``share`` of the query's weight with ranking ``score``."""
    if share >= STRONG_COVERAGE or (share >= MEDIUM_COVERAGE and score >= STRONG_SCORE):
        return "strong"
    if share >= MEDIUM_COVERAGE or (share >= MIN_RESCUE_COVERAGE and score >= MEDIUM_SCORE):
        return "medium"
    return "weak"


def _bigrams(word: str) -> tuple[str, ...]:
    return tuple(word[i : i + 2] for i in range(len(word) - 1))
