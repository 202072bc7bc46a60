"""Heading openers and their parallel families (排比), for the summary part and the plan part.

Candidates come from the first clause of every section heading and item head (一是…), kept apart by
part: the first word (``聚焦{X}``), the first two words (``全力以赴抓好{X}``), and a frame of the first
word and the clause's last word (``实施{X}工程``). Of nested candidates the most specific one that still
covers most headings wins (``全力以赴抓好`` over ``全力以赴``; ``实施…工程`` over ``实施``).
A *family* is an opener shared by at least two headings in a row among siblings (the 一、 part's （一）（二）
sections, or one section's items): 001 opens six summary sections with 聚焦 and seven plan sections with
实施…工程. Families record the part they served, so a draft can use one family per part.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from drafter.models import Example, OpenerFamily, PhraseCategory
from drafter.phrases.patterns import Candidate, is_open, render, score, specificity
from drafter.phrases.results import tail_keys
from drafter.phrases.tally import MAX_EXAMPLES, Initiality, Tally, TallyTable
from drafter.phrases.units import Heading, Units, clip, is_fixed_part

FRAME_MARK = "…"
SPECIFIC_SHARE = 0.6  # a longer opener replaces a shorter one when it covers this share of its uses
FAMILY_SHARE = 0.8  # within one part, a more specific family key must cover this share of the general one
HEAD_LIMIT = 24
TASK_NOUNS = ("工程", "行动", "计划", "体系", "机制", "平台", "中心", "基地", "项目", "战略", "会战")
OPENER_INITIAL = 0.15  # an opener word opens at least this share of the clauses it occurs in

OpenerKey = tuple[str, ...]  # ("p", w1[, w2]) prefix or ("f", w1, last) frame


def opener_keys(words: tuple[str, ...]) -> list[tuple[OpenerKey, str]]:
    """The opener candidates of a heading's first clause, each with its slot filler (words spaced).

    A one-character first word (做/实, 抓/示范) is no opener alone, only with the next word. A frame's
    end may be the last two characters of a longer last word (建设工程 → …工程), as jieba glues them.
    """
    keys: list[tuple[OpenerKey, str]] = []
    n = len(words)
    if n >= 2 and len(words[0]) >= 2 and is_fixed_part(words[:1]):
        keys.append((("p", words[0]), " ".join(words[1:])))
    if n >= 3 and is_fixed_part(words[:2]):
        keys.append((("p", words[0], words[1]), " ".join(words[2:])))
    if n >= 3 and len(words[0]) >= 2 and is_fixed_part(words[:1]):
        last = words[-1]
        if is_fixed_part((last,)):
            keys.append((("f", words[0], last), " ".join(words[1:-1])))
        if len(last) >= 3 and is_fixed_part((last[-2:],)):
            keys.append((("f", words[0], last[-2:]), " ".join((*words[1:-1], last[:-2]))))
    return keys


def family_name(key: OpenerKey) -> str:
    """``聚焦``, ``全力以赴抓好`` or ``实施…工程``."""
    return key[1] + FRAME_MARK + key[2] if key[0] == "f" else render(key[1:])


def opener_pattern(key: OpenerKey, with_tail: bool) -> str:
    """``聚焦{X}，{Y}``, ``全力以赴抓好{X}`` or ``实施{X}工程``."""
    body = key[1] + "{X}" + key[2] if key[0] == "f" else render(key[1:]) + "{X}"
    return body + ("，{Y}" if with_tail else "")


def _category(part: str) -> PhraseCategory:
    return "summary_opener" if part == "summary" else "plan_opener"


def states_result(words: tuple[str, ...]) -> bool:
    """True for a heading that reports a result (科技生态进一步优化, 民生福祉持续增进): a subject, no opener.

    A heading ending in a project noun (实施科技企业培育加速工程) names a task, not a result.
    """
    if not words or words[-1].endswith(TASK_NOUNS):
        return False
    return any(key[0] == "result" and anchor > 0 for key, anchor, _ in tail_keys(words))


def choose_family_keys(headings: list[Heading]) -> list[OpenerKey]:
    """The opener keys shared by ≥ 2 consecutive sibling headings, most specific first."""
    per_heading = [dict.fromkeys(key for key, _ in opener_keys(h.first_clause)) for h in headings]
    counts: dict[OpenerKey, int] = defaultdict(int)
    for keys in per_heading:
        for key in keys:
            counts[key] += 1
    chosen: list[OpenerKey] = []
    for general, n in counts.items():
        if general[0] != "p" or len(general) != 2 or n < 2:
            continue
        specific = [k for k in counts if k != general and k[1] == general[1]]
        best: OpenerKey = general
        # Ties go to a frame, then to the longer fixed text (…大会战 over …会战), then by name.
        ranked = sorted(
            specific, key=lambda k: (-counts[k], k[0] != "f", -len(family_name(k)), family_name(k))
        )
        for key in ranked:
            if counts[key] >= FAMILY_SHARE * n and counts[key] >= 2:
                best = key
                break
        in_a_row = any(best in a and best in b for a, b in pairwise(per_heading))
        if in_a_row:
            chosen.append(best)
    return chosen


@dataclass
class _FamilyTally:
    parallel_parts: int = 0
    docs: int = 0
    last_doc: int = -1
    headings: int = 0
    sections: int = 0
    with_tail: int = 0
    examples: list[Example] = field(default_factory=list)


class OpenerMiner:
    """Counts heading openers and parallel families over a stream of documents."""

    def __init__(self, table_limit: int = 60_000) -> None:
        self.table: TallyTable[tuple[str, OpenerKey]] = TallyTable(table_limit)
        self.family_tallies: dict[tuple[str, OpenerKey], _FamilyTally] = {}

    def feed(self, units: Units, doc_index: int) -> None:
        """Count the openers and families of one document."""
        groups: dict[int, list[Heading]] = defaultdict(list)
        for heading in units.headings:
            if heading.part not in ("summary", "plan") or states_result(heading.first_clause):
                continue
            groups[heading.group].append(heading)
            if heading.item:
                continue  # item heads are clause starts (mine_frames); here they only form families
            example = Example(clip(heading.text, HEAD_LIMIT), units.doc_id, units.title)
            flags = ("tail",) if heading.has_tail else ()
            for key, filler in opener_keys(heading.first_clause):
                self.table.add((heading.part, key), doc_index, filler, example, flags)
        for members in groups.values():
            if len(members) >= 2:
                self._count_family(members, units, doc_index)

    def _count_family(self, members: list[Heading], units: Units, doc_index: int) -> None:
        part = max(("summary", "plan"), key=lambda p: sum(h.part == p for h in members))
        for key in choose_family_keys(members):
            tally = self.family_tallies.setdefault((part, key), _FamilyTally())
            tally.parallel_parts += 1
            if tally.last_doc != doc_index:
                tally.docs += 1
                tally.last_doc = doc_index
            keyed = [h for h in members if key in {k for k, _ in opener_keys(h.first_clause)}]
            tally.headings += len(keyed)
            tally.sections += sum(not h.item for h in keyed)
            tally.with_tail += sum(h.has_tail for h in keyed)
            if len(tally.examples) < MAX_EXAMPLES:
                text = "；".join(clip(h.text, HEAD_LIMIT) for h in keyed[:3])
                tally.examples.append(Example(text, units.doc_id, units.title))

    def part_share(self, part: str, key: OpenerKey) -> float:
        """The share of the headings opened by ``key`` that serve ``part`` (1.0 when unknown)."""
        other = "plan" if part == "summary" else "summary"
        here, there = self.table.get((part, key)), self.table.get((other, key))
        mine, theirs = (here.count if here else 0), (there.count if there else 0)
        return mine / (mine + theirs) if mine + theirs else 1.0

    def families(self, initiality: Initiality) -> list[OpenerFamily]:
        """Parallel families of opener words, best first.

        Section headings come before item heads; then the number of parallel parts weighted by the share
        of the opener's headings that serve this part (a summary and a plan should sound different: 聚焦
        serves summaries only, 加强 both) and by the length of the fixed text (实施…工程 says more than
        加强), then documents and headings.
        """

        def rank(item: tuple[tuple[str, OpenerKey], _FamilyTally]) -> tuple[bool, float, int, int]:
            (part, key), tally = item
            weight = tally.parallel_parts * self.part_share(part, key) * specificity(family_name(key))
            return (tally.sections > 0, weight, tally.docs, tally.headings)

        kept = [kv for kv in self.family_tallies.items() if initiality.of(kv[0][1][1]) >= OPENER_INITIAL]
        ranked = sorted(kept, key=rank, reverse=True)
        return [
            OpenerFamily(
                part="summary" if part == "summary" else "plan",
                family=family_name(key),
                pattern=opener_pattern(key, t.with_tail * 2 >= t.headings),
                docs=t.docs,
                parallel_parts=t.parallel_parts,
                examples=tuple(t.examples),
            )
            for (part, key), t in ranked
        ]

    def candidates(self, min_docs: int, initiality: Initiality) -> list[Candidate]:
        """Opener candidates that passed: an opener word, an open slot, recurrence (or a family)."""
        family_keys = {(part, key) for (part, key) in self.family_tallies}
        by_head: dict[tuple[str, str], dict[OpenerKey, Tally]] = defaultdict(dict)
        for (part, key), tally in self.table.items():
            by_head[(part, key[1])][key] = tally
        out: list[Candidate] = []
        for (part, head), keyed in by_head.items():
            if initiality.of(head) < OPENER_INITIAL:
                continue
            for key in _specific_winners(keyed, head):
                tally = keyed[key]
                in_family = (part, key) in family_keys
                if tally.docs < min_docs and not in_family:
                    continue
                if not is_open(tally, left=key[0] == "p", right=key[0] == "f"):
                    continue
                out.append(
                    Candidate(
                        category=_category(part),
                        pattern=opener_pattern(key, tally.share("tail") >= 0.5),
                        count=tally.count,
                        docs=tally.docs,
                        score=score(tally),
                        examples=tuple(tally.examples),
                        family=family_name(key),
                        key=repr((part, key)),
                    )
                )
        return out


def _specific_winners(keyed: dict[OpenerKey, Tally], head: str) -> list[OpenerKey]:
    """The keys of one first word worth keeping: the general prefix unless a longer one dominates it."""
    general = keyed.get(("p", head))
    if general is None:  # a one-character first word (做, 抓) opens only with the next word: 做实{X}
        return list(keyed)
    winners: list[OpenerKey] = []
    dominant: OpenerKey | None = None
    for key, tally in sorted(keyed.items(), key=lambda kv: kv[1].count, reverse=True):
        if key == ("p", head):
            continue
        if tally.count >= SPECIFIC_SHARE * general.count and tally.count >= 3 and dominant is None:
            dominant = key
            winners.append(key)
        elif key[0] == "f" and tally.docs >= 2:
            winners.append(key)
    if dominant is None:
        winners.append(("p", head))
    return winners
