"""Clause frames and the formulas that open, close or diagnose a report.

Every body clause offers two kinds of candidate: a *lead* (its first one or two words, the slot after
them: ``围绕{X}，{Y}``) and an *infix* frame (first one or two words and last one to four words, the
slot between: ``以{X}为抓手``, ``现将{X}总结如下``); an infix frame may also start at a preposition
after a short subject (我局``在{X}的坚强领导下``). Where the clauses stood decides the category: two
thirds in a report's preamble or part introductions → ``opening``; in its last sentences →
``closing``; a fixed part with a problem word (存在, 有待, 不足 …) → ``problem`` (said in the 存在问题 part
without one, it is a subject, not a formula); otherwise ``clause_frame``, unless its clauses mostly
state a figure (新增{X} … 4家), which figure frames cover. A lead needs a word that mostly *opens*
clauses (围绕, 着力, 切实 open most of theirs; nouns such as 企业 or 固定资产投资 seldom do); when its
clause almost always hands over to another clause the pattern says so (``围绕{X}，{Y}``), otherwise it is
``着力{X}``.
"""

from __future__ import annotations

import re

from drafter.models import Example, PhraseCategory
from drafter.phrases.patterns import Candidate, is_open, render, score
from drafter.phrases.tally import Initiality, TallyTable
from drafter.phrases.units import (
    STOPWORDS,
    Clause,
    Units,
    clause_example,
    fixed_from_kinds,
    word_kinds,
    word_set,
)

MAX_INFIX_WORDS = 9
HANDOVER_SHARE = 0.85  # share of a lead's clauses followed by another clause for ``{P}{X}，{Y}``
LEAD_INITIAL = 0.65  # a lead's first word opens at least this share of the clauses it occurs in
POSITION_SHARE = 0.67  # share of a frame's clauses in opening (closing) position to make it one
FIGURE_SHARE = 0.5  # share of a frame's clauses holding a number that hands it to figure frames

# Words whose presence in a fixed part makes it a problem formula.
PROBLEM_WORDS = word_set(
    "存在 不足 不够 不强 不高 不浓 不多 不深 不快 不优 不明显 不平衡 不充分 不完善 不健全 不到位 偏少 偏小 "
    "偏低 偏弱 薄弱 较弱 短板 滞后 缺乏 欠缺 有待 亟待 亟需 还需 仍需 尚需 尚未 依然 仍然 依旧 制约 瓶颈 "
    "难度 不相适应 不适应"
)

# Prepositions that open a frame after a short subject: 我局在{X}的坚强领导下, 区科技局以{X}为抓手.
PREPOSITIONS = word_set("在 以 为 把 对 从 向 由 按照 围绕 通过 依托")
MAX_SUBJECT = 3
MAX_PREPOSITION_FRAME = 20

RE_NUMBER = re.compile(r"^[0-9０-９xX.]+$")
LONGEST_STOPWORD = max(map(len, STOPWORDS))

# A frame's key is one string, ``l以`` or ``i以|为 抓手``: kind, head words, tail words (space-separated).
# Strings hash once and are cached; nested tuples would be rehashed at every lookup of a hot loop.
FrameKey = str


def frame_key(kind: str, head: tuple[str, ...], tail: tuple[str, ...]) -> FrameKey:
    """The key of a lead (``l``) or infix (``i``) frame."""
    return kind + " ".join(head) + "|" + " ".join(tail)


def key_parts(key: FrameKey) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The kind, head words and tail words of a frame key."""
    head, _, tail = key[1:].partition("|")
    return key[0], tuple(head.split(" ")), tuple(tail.split(" ")) if tail else ()


def clause_keys(words: tuple[str, ...], kinds: tuple[int, ...] | None = None) -> list[tuple[FrameKey, str]]:
    """Lead and infix candidates of one clause, each with its slot filler (edge words, spaced).

    ``kinds`` are the words' ``word_kinds`` when the caller has them already.
    """
    kinds = kinds if kinds is not None else word_kinds(words)
    return _clause_keys(words, kinds, _numbers(words, kinds))


def _numbers(words: tuple[str, ...], kinds: tuple[int, ...]) -> list[bool] | None:
    """Which words are numbers (``None``: none is). A number is never a CJK word (kind 0), so only kind-0
    words need the number pattern, and a clause without one needs no list."""
    if 0 not in kinds:
        return None
    return [k == 0 and RE_NUMBER.match(w) is not None for w, k in zip(words, kinds, strict=True)]


def _clause_keys(
    words: tuple[str, ...], kinds: tuple[int, ...], number: list[bool] | None
) -> list[tuple[FrameKey, str]]:
    """``clause_keys`` with the words' kinds and numbers (``_numbers``) at hand."""
    keys: list[tuple[FrameKey, str]] = []
    n = len(words)
    for a in (1, 2):
        # 同比增长{X} with a number in the slot is a figure frame (mine_figures), not a clause frame.
        if (
            n > a
            and fixed_from_kinds(kinds[:a])
            and "".join(words[:a]) not in STOPWORDS
            and not (number is not None and number[a])
        ):
            keys.append(("l" + " ".join(words[:a]) + "|", words[a]))
    # A frame starts the clause, or starts at a preposition after a short subject (我局在{X}的坚强领导下).
    starts = [0] + [i for i in range(1, min(n, MAX_SUBJECT + 1)) if words[i] in PREPOSITIONS]
    # The tails (last one to four words) are the same for every start: the clean ones that no number
    # precedes (新增{X}家 with a number before 家 is a figure frame, mine_figures), with whether they hold a
    # content word, their key part, their text and the word before them (the slot's last word).
    tails = [
        (b, 2 in kinds[n - b :], "|" + " ".join(words[n - b :]), "".join(words[n - b :]), words[n - b - 1])
        for b in range(1, min(4, n - 1) + 1)
        if 0 not in kinds[n - b :] and not (number is not None and number[n - b - 1])
    ]
    if not tails:
        return keys
    for start in starts:
        # 以…为契机 may hold a long list in its slot; other frames are short clauses.
        longest = MAX_PREPOSITION_FRAME if words[start] in PREPOSITIONS else MAX_INFIX_WORDS
        if not 3 <= n - start <= longest:
            continue
        for a in (1, 2):
            head_kinds = kinds[start : start + a]
            if 0 in head_kinds:
                continue  # no frame starts with a number or a Latin word
            head_content = 2 in head_kinds
            head = words[start : start + a]
            key_head, head_text = "i" + " ".join(head), "".join(head)
            filler = words[start + a] + " "
            room = n - start - a  # a tail leaves at least one word to the slot
            for b, tail_content, key_tail, tail_text, before in tails:
                if b >= room:
                    break
                if not (head_content or tail_content):
                    continue
                if (
                    len(head_text) + len(tail_text) > LONGEST_STOPWORD
                    or head_text + tail_text not in STOPWORDS
                ):
                    keys.append((key_head + key_tail, filler + before))
    return keys


def frame_pattern(key: FrameKey, handover: bool) -> str:
    """``围绕{X}，{Y}``, ``以{X}为抓手`` or ``现将{X}总结如下``."""
    _, head, tail = key_parts(key)
    body = render(head) + "{X}" + render(tail)
    return body + ("，{Y}" if handover else "")


def frame_category(key: FrameKey, opening: float, closing: float, problems: float) -> PhraseCategory | None:
    """Where a frame belongs, from its words and where its clauses stood (``None``: nowhere)."""
    _, head, tail = key_parts(key)
    if any(w in PROBLEM_WORDS for w in head + tail):
        return "problem"
    if problems >= POSITION_SHARE:
        return None  # said in the problems part without a problem word: a subject, not a formula
    if opening >= POSITION_SHARE:
        return "opening"
    if closing >= POSITION_SHARE:
        return "closing"
    return "clause_frame"


class FrameMiner:
    """Counts lead and infix frames of body clauses over a stream of documents."""

    def __init__(self, table_limit: int = 80_000) -> None:
        self.table: TallyTable[FrameKey] = TallyTable(table_limit)
        self._kinds = _Kinds()  # word → word_kinds value, bounded by the vocabulary

    def feed(self, units: Units, doc_index: int) -> None:
        """Count the frames of one document's clauses."""
        kinds_of = self._kinds.__getitem__
        for clause in units.clauses:
            words = clause.words
            kinds = tuple(map(kinds_of, words))
            number = _numbers(words, kinds)
            keys = _clause_keys(words, kinds, number)
            if keys:
                example = Example(clause_example(clause), units.doc_id, units.title)
                self.table.add_all(keys, doc_index, example, _flags(clause, number))

    def candidates(self, min_docs: int, initiality: Initiality) -> list[Candidate]:
        """Frames that passed: recurrence, an open slot on both edges, and a clear category."""
        out: list[Candidate] = []
        for key, tally in self.table.items():
            if tally.docs < min_docs or tally.count < 2:
                continue
            kind, head, _ = key_parts(key)
            is_lead = kind == "l"
            if is_lead and initiality.of(head[0]) < LEAD_INITIAL:
                continue
            if not is_open(tally, left=True, right=not is_lead):
                continue
            handover = tally.share("handover") >= HANDOVER_SHARE
            category = frame_category(
                key, tally.share("opening"), tally.share("closing"), tally.share("problems")
            )
            # 新增{X}, 举办{X}: clauses that mostly state a figure (新增众创空间4家) are figure frames' business.
            if category is None or (category == "clause_frame" and tally.share("figure") >= FIGURE_SHARE):
                continue
            out.append(
                Candidate(
                    category=category,
                    pattern=frame_pattern(key, handover and is_lead),
                    count=tally.count,
                    docs=tally.docs,
                    score=score(tally),
                    examples=tuple(tally.examples),
                    family=render(head),
                    key=repr(key),
                )
            )
        return out


class _Kinds(dict[str, int]):
    """Each word's ``word_kinds`` value, computed when first asked."""

    def __missing__(self, word: str) -> int:
        kind = self[word] = word_kinds((word,))[0]
        return kind


def _flags(clause: Clause, number: list[bool] | None) -> tuple[str, ...]:
    flags: list[str] = []
    if not clause.final:
        flags.append("handover")
    if clause.position != "body":
        flags.append(clause.position)
    if clause.part == "problems":
        flags.append("problems")
    if number is not None and any(number):
        flags.append("figure")
    return tuple(flags)
