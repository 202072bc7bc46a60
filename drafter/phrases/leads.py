"""How real sections open: the first sentence under each section heading, specifics removed.

A section of a report usually opens with one sentence saying what the bureau set out to do on its subject
(``坚持把研发投入作为核心指标来抓，健全增长机制。``). ``LeadMiner`` keeps, per section, the clauses of that
first sentence that hold nothing specific to one place or year: no digits, no Latin, no quoted names or
titles, no enumeration marker, and no word that fewer than ``MIN_DOCS`` documents use (a place or project
name — 上海, 敦煌, 城北 — is a word few reports share; 文化自信 one many do; the counts live in a fixed
table of hashed words, so memory does not grow with the corpus). The region word (全区/全县/全市 …) becomes ``{region}``. What is left is a sentence frame any
bureau of that subject could write; the heading is kept to tell the subject.
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Literal

from drafter.models import Lead
from drafter.phrases.units import Units, is_noisy

RE_CLAUSE = re.compile(r"[，；,;]")
RE_SPECIFIC = re.compile(
    r"[0-9０-９A-Za-z“”\"《》「」『』（）()%％【】]|[一二三四五六七八九十]是|^[其此该这]"
)
RE_REGION = re.compile(r"全(?:区|县|市|旗|省)|我(?:区|县|市|旗|省)")
RE_PLACE = re.compile(r"[\u4e00-\u9fff]{2,}(?:区|县|市|镇|乡|街道|村)(?![级委域内外])")
RE_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
MIN_LEAD = 10
MAX_LEAD = 70
MIN_DOCS = 3
"""Documents that must use a character pair for a clause holding it to count as generic."""
TABLE_BITS = 20
SMALL_CORPUS = 50
"""Below this many documents, two documents sharing a pair is evidence enough."""
MIN_LAST = 5
KEEP = 1500
PER_DOC = 30
MAX_CANDIDATES = 20_000


@dataclass(frozen=True)
class _Candidate:
    part: str
    heading: str
    clauses: tuple[tuple[str, tuple[str, ...]], ...]
    """Each clause with its words."""
    doc_id: str


def content_words(words: Iterable[str]) -> set[str]:
    """The words that can make a clause specific: CJK words of two characters or more."""
    return {w for w in words if len(w) >= 2 and RE_CJK_RUN.fullmatch(w)}


class LeadMiner:
    """Collects section-opening sentence frames over a stream of documents."""

    def __init__(self) -> None:
        self.candidates: list[_Candidate] = []
        self.word_docs = array("H", bytes(2 << TABLE_BITS))
        self.docs = 0

    def feed(self, units: Units, doc_index: int) -> None:
        """Count the openings' character pairs and keep the generic candidates of one document."""
        words_of = {clause.text: clause.words for clause in units.clauses}
        seen = content_words(set(chain.from_iterable(words_of.values())))  # each word asked once
        taken = 0
        for heading, sentence, part in units.openings:
            if part not in ("summary", "plan") or taken >= PER_DOC or len(self.candidates) >= MAX_CANDIDATES:
                continue
            clauses = tuple((c, words_of.get(c, ())) for c in generic_clauses(sentence))
            if clauses and all(words for _, words in clauses):
                self.candidates.append(_Candidate(part, heading, clauses, units.doc_id))
                taken += 1
        table = self.word_docs
        for slot in {_slot(word) for word in seen}:
            if table[slot] < 0xFFFF:
                table[slot] += 1
        self.docs += 1

    def found(self) -> list[Lead]:
        """The leads whose every clause is shared vocabulary, in corpus order (at most ``KEEP``)."""
        out: dict[tuple[str, str], Lead] = {}
        min_docs = MIN_DOCS if self.docs >= SMALL_CORPUS else 2
        for cand in self.candidates:
            kept: list[str] = []
            for clause, words in cand.clauses:
                if all(self.word_docs[_slot(w)] >= min_docs for w in content_words(words)):
                    kept.append(clause)
                elif kept:
                    break
            text = join_lead([RE_REGION.sub("{region}", clause) for clause in kept])
            if text and (cand.part, text) not in out:
                part: Literal["summary", "plan"] = "summary" if cand.part == "summary" else "plan"
                out[(cand.part, text)] = Lead(part, cand.heading, text, cand.doc_id)
            if len(out) >= KEEP:
                break
        return list(out.values())


def _slot(word: str) -> int:
    # crc32, not hash(): the same corpus must mine the same bank in every process.
    return zlib.crc32(word.encode("utf-8")) & ((1 << TABLE_BITS) - 1)


def generic_clauses(sentence: str) -> tuple[str, ...]:
    """The run of clauses of ``sentence`` with no figure, quote, name or marker."""
    if is_noisy(sentence):
        return ()
    kept: list[str] = []
    for clause in (c.strip() for c in RE_CLAUSE.split(sentence)):
        if not clause:
            continue
        if RE_SPECIFIC.search(clause) or RE_PLACE.search(RE_REGION.sub("", clause)):
            if kept:
                break  # a later clause may lean on the one dropped; stop at the first gap
            continue
        kept.append(clause)
    return tuple(kept)


def join_lead(clauses: list[str] | tuple[str, ...]) -> str:
    """The clauses as one lead sentence, or '' when fewer than two or too short or long.

    A short last clause (一年来, 为此) leads into what was cut off: it goes.
    """
    clauses = list(clauses)
    while clauses and len(clauses[-1]) < MIN_LAST:
        clauses.pop()
    text = "，".join(clauses)
    if not MIN_LEAD <= len(text) <= MAX_LEAD or len(clauses) < 2:
        return ""
    return text + "。"


def generic_lead(sentence: str) -> str:
    """The generic part of one sentence as a lead (the shared-vocabulary test needs the corpus: ``LeadMiner``)."""
    return join_lead([RE_REGION.sub("{region}", c) for c in generic_clauses(sentence)])
