"""The lead sentence of each section: how real sections on the same subject open, never twice the same.

A mined lead (``Lead``: the first sentence under a heading of a past report, specifics removed) serves a
section when its heading and text share enough with the section's subject (its theme, and the labels and
notes it holds) and it opens with a verb the corpus uses. Each lead serves one section only; when none
fits, the catalog's lead written for that theme (``templates/themes.yaml``) is the fallback, and without
one the section has no lead: it opens with its results, as real sections often do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from drafter.models import Lead
from drafter.text.tokens import char_bigrams

MIN_SHARED = 2
"""Bigrams a mined lead's heading must share with the section's theme: the same subject."""
MAX_LEAD = 45


@dataclass(frozen=True)
class LeadChoice:
    """A section's lead and where it came from (``mined`` with the source heading, or ``catalog``)."""

    text: str
    source: str
    heading: str = ""


@dataclass(frozen=True)
class _Indexed:
    lead: Lead
    heading: frozenset[str]
    text: frozenset[str]


class _Index:
    """A bank's usable leads by part with their bigrams, and the ranking of them per section subject (kept:
    a draft that differs only in a figure asks the same subjects again)."""

    MAX_RANKINGS = 4096

    def __init__(self, by_part: dict[str, list[_Indexed]]) -> None:
        self.by_part = by_part
        self.rankings: dict[tuple[str, str, str], tuple[Lead, ...]] = {}

    def ranked(self, part: str, theme: str, context: str) -> tuple[Lead, ...]:
        """The leads fitting ``theme`` in ``part``, best first (ties in bank order)."""
        key = (part, theme, context)
        found = self.rankings.get(key)
        if found is not None:
            return found
        mine = set(char_bigrams(theme))
        extra = set(char_bigrams(context))
        scored: list[tuple[float, Lead]] = []
        for entry in self.by_part.get(part, []):
            subject = len(mine & entry.heading)
            if subject < MIN_SHARED:
                continue
            said = len(mine & entry.text)
            if said == 0:
                continue  # the sentence itself must speak of the subject, not only its old heading
            score = subject + said + 0.25 * (len(extra & entry.heading) + len(extra & entry.text))
            scored.append((score, entry.lead))
        scored.sort(key=lambda pair: -pair[0])  # stable: the first of equals in bank order wins
        found = tuple(lead for _, lead in scored)
        if len(self.rankings) >= self.MAX_RANKINGS:
            self.rankings.clear()
        self.rankings[key] = found
        return found


_INDEXES: dict[int, tuple[Sequence[Lead], tuple[str, ...], _Index]] = {}
MAX_INDEXES = 4


def _indexed(leads: Sequence[Lead], verbs: tuple[str, ...]) -> _Index:
    """The usable leads by part with their bigrams, computed once per bank's leads."""
    found = _INDEXES.get(id(leads))
    if found is not None and found[0] is leads and found[1] == verbs:
        return found[2]
    by_part: dict[str, list[_Indexed]] = {"summary": [], "plan": []}
    for lead in leads:
        if len(lead.text) <= MAX_LEAD and lead.text.startswith(verbs):
            entry = _Indexed(lead, frozenset(char_bigrams(lead.heading)), frozenset(char_bigrams(lead.text)))
            by_part.setdefault(lead.part, []).append(entry)
    if len(_INDEXES) >= MAX_INDEXES:
        _INDEXES.clear()
    index = _Index(by_part)
    _INDEXES[id(leads)] = (leads, verbs, index)
    return index


class LeadPicker:
    """Hands out leads for one draft, each at most once."""

    def __init__(self, leads: Sequence[Lead], verbs: Iterable[str], region: str) -> None:
        self.verbs = tuple(sorted(v for v in verbs if len(v) >= 2))
        self.index = _indexed(leads, self.verbs)
        self.region = region
        self.used: set[str] = set()

    def _fill(self, lead: Lead) -> str:
        return lead.text.replace("{region}", self.region)

    def pick(self, part: str, theme: str, context: str, fallback: str) -> LeadChoice:
        """The best unused mined lead for ``theme`` in ``part``, else ``fallback`` (if unused)."""
        for lead in self.index.ranked(part, theme, context):
            text = self._fill(lead)
            if text not in self.used:
                self.used.add(text)
                return LeadChoice(text, "mined", lead.heading)
        if not fallback or fallback in self.used:
            return LeadChoice("", "none")
        self.used.add(fallback)
        return LeadChoice(fallback, "catalog")
