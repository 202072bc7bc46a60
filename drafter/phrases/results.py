"""Result and problem phrases: the fixed tail that closes a clause, its subject the slot.

Results and problems are said at the *end* of a clause: ``{X}取得新突破``, ``{X}，创历年新高``,
``{X}位居全市第{N}``, ``科技型企业队伍不断壮大`` → ``{X}不断壮大``; ``{X}有待进一步加强``,
``{X}依然薄弱``. A tail starts at an anchor word — a result verb (取得, 创, 实现, 位居 …), an evaluating
adverb followed by one verb (不断壮大, 稳步推进), or a problem word (有待, 不足, 薄弱 …) — and runs to the
clause end, four words at most; a longer one becomes a frame of anchor and last words (``得到{X}认可``).
The slot is what comes before the anchor (or the previous clause when the tail is the whole clause), so
the left-branching entropy measures it. Ranks and orders are figures: ``第二``/``第x`` → ``第{N}``.
"""

from __future__ import annotations

import re

from drafter.models import Example, PhraseCategory
from drafter.phrases.patterns import Candidate, is_open, render, score
from drafter.phrases.tally import Initiality, TallyTable
from drafter.phrases.units import STOPWORDS, Units, clause_example, clip, is_fixed_part, word_set

MAX_TAIL = 4
RE_ORDINAL = re.compile(r"^第(?:[一二三四五六七八九十百]+|\d+|[xX]+)$")
RE_NUMBER_WORD = re.compile(r"^(?:\d+(?:\.\d+)?|[xX]+)$")
SLOT_N = "{N}"

RESULT_VERBS = word_set(
    "取得 创 创下 再创 实现 位居 位列 列 居 名列 排名 跻身 跃居 稳居 获得 获评 荣获 获批 入选 "
    "走在 迈出 迈上 得到 受到 赢得 创历年新高 创历史新高 零的突破 零突破 交出"
)
RESULT_ADVERBS = word_set(
    "不断 稳步 有序 扎实 持续 逐步 显著 明显 大幅 全面 顺利 有效 日益 快速 稳定 进一步 加快 加速 成功 "
    "圆满 基本 逆势 实质 深入 全力"
)
RECORD_ENDS = word_set("新高 前列 首位 前茅 第{N} 新突破")
PROBLEM_TAILS = word_set(
    "不足 不够 不 偏少 偏小 偏低 偏弱 偏多 薄弱 较弱 较低 较少 短板 滞后 缺乏 欠缺 有待 亟待 亟需 还 仍需 "
    "尚需 尚未 依然 仍然 依旧 难度"
)

TailKey = tuple[str, str, tuple[str, ...], tuple[str, ...]]  # (category, "t"|"f", anchor…, frame end)


def normalise(words: tuple[str, ...]) -> tuple[str, ...]:
    """Words with figures and ordinals turned into slots: 第二 → 第{N}, 29 → {N}."""
    out: list[str] = []
    for word in words:
        if RE_ORDINAL.match(word):
            out.append("第" + SLOT_N)
        elif RE_NUMBER_WORD.match(word):
            if out and out[-1] == "第":
                out[-1] = "第" + SLOT_N
            elif not out or out[-1] != SLOT_N:
                out.append(SLOT_N)
        else:
            out.append(word)
    return tuple(out)


def _fixed_ok(words: tuple[str, ...]) -> bool:
    # A bare figure belongs to figure frames; only ranks (第{N}) stay in result phrases.
    if SLOT_N in words:
        return False
    plain = tuple(w.replace(SLOT_N, "") for w in words)
    return is_fixed_part(tuple(w for w in plain if w))


def tail_keys(words: tuple[str, ...]) -> list[tuple[TailKey, int, int]]:
    """Result and problem tails of one clause: key, index of the anchor word, words in a frame's end."""
    keys: list[tuple[TailKey, int, int]] = []
    n = len(words)
    for i, word in enumerate(words):
        rest = n - i
        if word in RESULT_VERBS:
            if len(word) == 1 and normalise(words[-1:])[0] not in RECORD_ENDS:
                continue  # 创/列/居 alone are often halves of words (科创平台); trust them before 新高, 第{N}
            if rest <= MAX_TAIL:
                keys.append((("result", "t", normalise(words[i:]), ()), i, 0))
            elif len(word) >= 2:
                # 得到{X}认可: a frame of anchor and end, unless the end is a figure's unit (实现…4.22亿元).
                for end in (1, 2):
                    if not RE_NUMBER_WORD.match(words[-1 - end]) and _fixed_ok(words[n - end :]):
                        keys.append((("result", "f", (word,), normalise(words[n - end :])), i, end))
        elif word in RESULT_ADVERBS and i >= 1 and rest == 2:
            keys.append((("result", "t", words[i:], ()), i, 0))
        elif word in PROBLEM_TAILS and i >= 1 and rest <= MAX_TAIL and (word != "不" or rest == 2):
            keys.append((("problem", "t", normalise(words[i:]), ()), i, 0))
    return [k for k in keys if _fixed_ok(k[0][2] + k[0][3])]


def _subject_word(words: tuple[str, ...], anchor: int, previous: tuple[str, ...]) -> tuple[str, bool]:
    """The word that stands for the slot before a tail: the nearest content word to its left, skipping
    adverbs and particles (均创历史新高 → the subject before 均); the previous clause's last word when
    the tail is the whole clause. The flag says the latter."""
    for word in reversed(words[:anchor]):
        if len(word) > 1 and word not in STOPWORDS:
            return word, False
    if anchor > 0:
        return words[anchor - 1], False
    return "，" + (previous[-1] if previous else ""), True


def tail_pattern(key: TailKey, whole_clause: bool) -> str:
    """``{X}取得新突破``, ``{X}，创历年新高`` or ``得到{X}认可``."""
    _, kind, fixed, end = key
    if kind == "f":
        return render(fixed) + "{X}" + render(end)
    return ("{X}，" if whole_clause else "{X}") + render(fixed)


class ResultMiner:
    """Counts result and problem tails of body clauses over a stream of documents."""

    def __init__(self, table_limit: int = 60_000) -> None:
        self.table: TallyTable[TailKey] = TallyTable(table_limit)

    def feed(self, units: Units, doc_index: int) -> None:
        """Count the tails of one document's clauses."""
        previous: tuple[str, ...] = ()
        for clause in units.clauses:
            keys = tail_keys(clause.words)
            if keys:
                example = Example(clause_example(clause), units.doc_id, units.title)
                self._count(clause.words, previous, example, doc_index, keys)
            previous = () if clause.final else clause.words
        # Section headings (not item heads, which are clauses already) state results too.
        for heading in units.headings:
            if heading.item:
                continue
            previous = ()
            for words in heading.clauses:
                example = Example(clip(heading.text, 40), units.doc_id, units.title)
                self._count(words, previous, example, doc_index)
                previous = words

    def _count(
        self,
        words: tuple[str, ...],
        previous: tuple[str, ...],
        example: Example,
        doc_index: int,
        keys: list[tuple[TailKey, int, int]] | None = None,
    ) -> None:
        for key, anchor, end in keys if keys is not None else tail_keys(words):
            flags: tuple[str, ...] = ()
            if key[1] == "f":
                filler = words[anchor + 1] + " " + words[-1 - end]
            else:
                filler, whole = _subject_word(words, anchor, previous)
                flags = ("whole",) if whole else ()
            self.table.add(key, doc_index, filler, example, flags)

    def candidates(self, min_docs: int, initiality: Initiality | None = None) -> list[Candidate]:
        """Tails that passed: recurrence and a slot filled by many different subjects."""
        out: list[Candidate] = []
        for key, tally in self.table.items():
            if tally.docs < min_docs or tally.count < 2:
                continue
            if not is_open(tally, left=key[1] == "f", right=True):
                continue
            category: PhraseCategory = "result" if key[0] == "result" else "problem"
            out.append(
                Candidate(
                    category=category,
                    pattern=tail_pattern(key, tally.share("whole") >= 0.5),
                    count=tally.count,
                    docs=tally.docs,
                    score=score(tally),
                    examples=tuple(tally.examples),
                    family=render(key[2]),
                    key=repr(key),
                )
            )
        return out
