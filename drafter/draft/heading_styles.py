"""Section headings chosen from the corpus's own evidence, and the reason for each choice.

Three styles (the form's ``heading_style``):

- ``fitting`` (default): each section gets the verb the corpus puts before its object most often
  (``加强`` + 党的建设, ``推进`` + 乡村产业振兴), counted in headings and clause openings at ``drafter mine``
  time (``Collocation``); the whole object as written is the best evidence, its head word (建设) the next.
  Verbs are varied across a part where the evidence allows. A theme that already opens with a verb stays.
- ``parallel``: one opener family for the whole part (聚焦…，… / 实施…工程), as 排比 — only when the
  corpus attests the family's verb before *every* object of the part; otherwise ``fitting``.
- ``result``: the theme followed by a result tail the corpus uses (``{X}取得新突破``), different per section.

Never a verb–object pair the corpus gives no evidence for: without evidence the heading is the theme
itself. Result clauses after a comma never repeat their theme and are never shared by two sections.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from drafter.draft.headings import heading_for
from drafter.models import Collocation, OpenerFamily, PhraseBank

OBJECT_WEIGHT = 3
HEADING_WEIGHT = 2
MIN_EVIDENCE = 2
"""Weighted evidence a head-word-only collocation needs (one exact object or heading use is enough)."""
MIN_VERB_STRENGTH = 3
"""Documents + heading uses, over all its objects, that make a first word a verb a theme may open with."""
MIN_OBJECTS = 3
REPEAT_CHARS = 3
"""A result clause sharing this many consecutive characters with its theme repeats it."""


@dataclass(frozen=True)
class HeadingChoice:
    """A section heading and why: ``style`` (override/fitting/parallel/result/theme), verb, evidence."""

    theme: str
    heading: str
    style: str
    verb: str = ""
    evidence: str = ""
    examples: tuple[str, ...] = ()


class Collocations:
    """The bank's verb–object counts, indexed by object and by head word."""

    def __init__(self, items: Sequence[Collocation]) -> None:
        self.by_object: dict[str, list[Collocation]] = defaultdict(list)
        strength: dict[str, int] = defaultdict(int)
        objects: dict[str, set[str]] = defaultdict(set)
        for item in items:
            self.by_object[item.obj].append(item)
            strength[item.verb] += item.docs + item.headings
            objects[item.verb].add(item.obj)
        self.verbs = {verb for verb, n in strength.items() if n >= MIN_VERB_STRENGTH}
        # A theme opening with a word counts as already verb-led only for two-character verbs seen before
        # many objects (开展, 推进): longer first words are as often nouns (科技人才).
        self.theme_verbs = tuple(v for v in self.verbs if len(v) == 2 and len(objects[v]) >= MIN_OBJECTS)

    def evidence(self, theme: str) -> list[tuple[float, Collocation]]:
        """Every collocation that attests a verb before ``theme``, strongest first."""
        found: dict[str, tuple[float, Collocation]] = {}
        for item in self.by_object.get(theme, []):
            weight = OBJECT_WEIGHT * item.count + HEADING_WEIGHT * item.headings + item.docs
            found[item.verb] = (weight + 100, item)
        for end in range(2, min(len(theme), 6) + 1):
            for item in self.by_object.get(theme[-end:], []):
                if item.kind != "head" or item.verb in found:
                    continue
                weight = item.count + HEADING_WEIGHT * item.headings + item.docs
                if weight >= MIN_EVIDENCE + 1:
                    found[item.verb] = (float(weight), item)
        return sorted(found.values(), key=lambda pair: (-pair[0], pair[1].verb))

    def attests(self, verb: str, theme: str) -> Collocation | None:
        """The collocation attesting ``verb`` before ``theme``, or ``None``."""
        return next((item for _, item in self.evidence(theme) if item.verb == verb), None)

    def opens_with_verb(self, theme: str) -> bool:
        """True when ``theme`` already starts with a verb the corpus uses (开展党纪学习教育)."""
        return len(theme) > 3 and theme.startswith(self.theme_verbs)


_INDEXES: dict[int, tuple[tuple[Collocation, ...], Collocations]] = {}
MAX_INDEXES = 4


def collocations_of(bank: PhraseBank) -> Collocations:
    """The index of ``bank``'s collocations, built once per bank (a web server drafts many times per bank)."""
    items = bank.collocations
    found = _INDEXES.get(id(items))
    if found is not None and found[0] is items:
        return found[1]
    if len(_INDEXES) >= MAX_INDEXES:
        _INDEXES.clear()
    index = Collocations(items)
    _INDEXES[id(items)] = (items, index)
    return index


def repeats(result: str, theme: str) -> bool:
    """True when ``result`` repeats part of ``theme`` (拓宽农民增收渠道 after 农民增收)."""
    return any(theme[i : i + REPEAT_CHARS] in result for i in range(len(theme) - REPEAT_CHARS + 1))


def _why(item: Collocation) -> str:
    kind = "完整宾语" if item.kind == "object" else "中心词"
    where = f"，其中标题{item.headings}次" if item.headings else ""
    return f"语料中“{item.verb}”+{kind}“{item.obj}”出现{item.count}次（{item.docs}篇{where}）"


def family_verb(family: OpenerFamily) -> str:
    """The verb a family puts first: 聚焦 of 聚焦, 实施 of 实施…工程."""
    return family.family.split("…")[0]


def _fitting(theme: str, colloc: Collocations, used: set[str]) -> HeadingChoice:
    if colloc.opens_with_verb(theme):
        return HeadingChoice(theme, theme, "theme", evidence="主题本身以动词开头，原样作标题")
    ranked = colloc.evidence(theme)
    if not ranked:
        return HeadingChoice(theme, theme, "theme", evidence="语料中没有与该主题搭配的动词，以主题作标题")
    best = ranked[0][0]
    # Writers vary the verbs of a part: an unused verb with at least half the evidence wins.
    _, item = next(((w, i) for w, i in ranked if i.verb not in used and w * 2 >= best), ranked[0])
    used.add(item.verb)
    return HeadingChoice(theme, item.verb + theme, "fitting", item.verb, _why(item), (item.example,))


def choose_headings(
    themes: Sequence[str],
    bank: PhraseBank,
    *,
    style: str,
    family: OpenerFamily | None,
    results: Sequence[str | None],
    overrides: Sequence[str | None],
) -> list[HeadingChoice]:
    """The heading of each section of one part, in order, with the evidence for it."""
    colloc = collocations_of(bank)
    taken_results: set[str] = set()

    def result_for(theme: str, result: str | None) -> str | None:
        if not result or repeats(result, theme) or result in taken_results:
            return None
        taken_results.add(result)
        return result

    if style == "parallel" and family is not None:
        verb = family_verb(family)
        end = family.family.split("…")[1] if "…" in family.family else ""
        attested = [colloc.attests(verb, end or theme) for theme in themes]
        if all(attested) and themes:
            out = []
            for theme, result, override, item in zip(themes, results, overrides, attested, strict=True):
                if override:
                    out.append(HeadingChoice(theme, override, "override", evidence="表单中指定的标题"))
                    continue
                tail = result_for(theme, result) if "{Y}" in family.pattern else None
                heading = heading_for(family, theme, tail)
                why = f"排比开头语“{family.family}”（{family.docs}篇报告使用）；" + _why(item) if item else ""
                examples = (family.examples[0].text,) if family.examples else ()
                out.append(HeadingChoice(theme, heading, "parallel", verb, why, examples))
            return out
    used: set[str] = set()
    tails = _result_tails(bank) if style == "result" else []
    out = []
    for theme, override in zip(themes, overrides, strict=True):
        if override:
            out.append(HeadingChoice(theme, override, "override", evidence="表单中指定的标题"))
            continue
        if tails:
            tail = next((t for t, _ in tails if t not in taken_results and not repeats(t, theme)), None)
            if tail is not None:
                taken_results.add(tail)
                example = dict(tails)[tail]
                out.append(
                    HeadingChoice(
                        theme,
                        theme + tail,
                        "result",
                        evidence=f"语料中的成效句式“{{X}}{tail}”",
                        examples=(example,),
                    )
                )
                continue
        out.append(_fitting(theme, colloc, used))
    if style == "parallel":
        note = "；语料未见该组排比开头语能搭配本部分每个主题，改为逐节选用动词"
        out = [HeadingChoice(c.theme, c.heading, c.style, c.verb, c.evidence + note, c.examples) for c in out]
    return out


def _result_tails(bank: PhraseBank) -> list[tuple[str, str]]:
    """Result tails of the bank (``取得新突破`` of ``{X}取得新突破``) with an example, best first."""
    tails: list[tuple[str, str]] = []
    for phrase in bank.by_category("result"):
        head, slot, tail = phrase.pattern.partition("{X}")
        if slot and not head and tail and "{" not in tail and 2 <= len(tail) <= 8:
            example = phrase.examples[0].text if phrase.examples else ""
            tails.append((tail, example))
    return tails
