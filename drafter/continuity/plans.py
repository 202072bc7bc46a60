"""Last year's plan part: the targets it set (``力争新认定高新技术企业180家``) and the actions it planned.

A quantity of the plan part is a target unless its clause only describes the present (``对全区92家规上
工业企业逐一指导``: a context number, told by the preposition before it and no plan verb). Targets stated
as a change (``地区生产总值增长7%以上``) keep it as ``growth``. Each planned action (the 一是… items and
the sentences under a plan heading) becomes a highlight for the writer to confirm or drop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from drafter.continuity.figures import Stated, merge_repeats, rows_of_sentence
from drafter.continuity.parts import Sentence
from drafter.text.quantities import format_number

RE_CONTEXT = re.compile(r"^(?:对|在|为|向|给|依托|围绕|面向|针对|帮助|覆盖|组织|通过)")
"""A clause opening with a preposition names a present number as context (对全区92家规上工业企业逐一指导)."""
RE_TARGET_WORDS = re.compile(
    r"力争|确保|争取|目标|预期|达到|新增|新建|建成|完成|实现|突破|培育|引进|新认定|认定|改造|开展|举办|"
    r"控制在|增长|提高|提升|以上|左右|以内|不低于|不少于|超过|新改建|打造|创建"
)
RE_CLAUSE_END = re.compile(r"[，；：、]")
RE_ITEM_HEAD = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(]\d+[)）]|\d+[.．、](?!\d))")
MIN_ACTION = 6
MAX_ACTION = 80


def stated_targets(sentences: Iterable[Sentence]) -> list[Stated]:
    """The quantified targets of the plan sentences, one row per indicator and value."""
    rows: list[Stated] = []
    for sentence in sentences:
        if sentence.part != "plan":
            continue
        for row in rows_of_sentence(sentence, rows[-1] if rows else None):
            if _is_target(row, sentence.text):
                rows.append(row)
    return merge_repeats(rows)


def _is_target(row: Stated, sentence: str) -> bool:
    """True when the plan commits to this quantity rather than naming a present number as context."""
    amount = f"{format_number(row.value)}" if row.value is not None else None
    at = sentence.find(amount) if amount else -1
    if at < 0:
        return True
    clause_start = max((m.end() for m in RE_CLAUSE_END.finditer(sentence, 0, at)), default=0)
    clause_end = RE_CLAUSE_END.search(sentence, at)
    clause = sentence[clause_start : clause_end.start() if clause_end else len(sentence)]
    return not (RE_CONTEXT.match(clause) and not RE_TARGET_WORDS.search(clause))


def planned_actions(sentences: Iterable[Sentence], headings: dict[int, str]) -> list[tuple[int, str]]:
    """The actions the plan part names, in order, each with its outline section index: the 一是… items
    (their first sentence), else the sentences under a plan heading (not the part's opening paragraph)."""
    plan = [s for s in sentences if s.part == "plan"]
    items = [s for s in plan if RE_ITEM_HEAD.match(s.text)]
    chosen = items if items else [s for s in plan if headings.get(s.section)]
    actions: list[tuple[int, str]] = []
    seen: set[str] = set()
    for sentence in chosen:
        text = RE_ITEM_HEAD.sub("", sentence.text).strip("。；; ")
        if MIN_ACTION <= len(text) <= MAX_ACTION and text not in seen and text not in headings.values():
            seen.add(text)
            actions.append((sentence.section, text))
    return actions
