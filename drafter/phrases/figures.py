"""Figure frames: an indicator label, a number and its unit (``新认定高新技术企业{N}家``, ``同比增长{N}%``).

Numbers are found by regex on the raw paragraph, before any tokenising (jieba splits ``6.5%``): a run of
CJK characters directly before a number (digits or the placeholders ``xx``/``x.x`` that scraped templates
use) and a unit right after it. A number glued to Latin letters (``L75亿元``, ``2.Oo``) never matches, so
OCR slips stay out. The label is the CJK run with discourse words trimmed at word boundaries (其中, 全年,
累计 … before; 达到, 为, 超过 … after). Two candidates per figure: the whole label (what the web form offers
as an indicator, with ``label`` and ``unit`` set) and a frame of the label's first word
(``新增{X}{N}家``), whose slot is the rest of the label.
"""

from __future__ import annotations

import re

from drafter.models import Example
from drafter.phrases.patterns import Candidate, is_open, render, score
from drafter.phrases.tally import Initiality, TallyTable
from drafter.phrases.units import Units, clip, is_fixed_part, word_set
from drafter.text.chars import CJK
from drafter.text.quantities import RELATIVE_UNITS, UNITS, normal_unit
from drafter.text.tokens import Tokenizer

# The label is possessive ({2,30}+): a number never starts at a CJK character, so a shorter label than the
# longest CJK run before it can never match, and trying each (in every long run without a number) was most
# of the time this pattern took.
RE_FIGURE = re.compile(
    rf"(?P<label>[{CJK}]{{2,30}}+)"
    r"(?P<number>\d+(?:\.\d+)?|[xX]+(?:\.[xX]+)?)(?P<approx>余|多)?"
    r"(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + r")(?![A-Za-z0-9])"
)
MAX_LABEL = 16
MIN_LABEL = 3  # characters: 企业{N}家 or 完成{N}家 say too little to be an indicator
HEAD_INITIAL = 0.45  # a frame's first word must open clauses (新增, 引进), not be a noun (市级)

LEADING = word_set(
    "其中 全年 今年 今年以来 目前 截至目前 累计 共 共计 预计 已 已经 全区 全市 全县 全省 我区 我市 我县 "
    "我局 年内 力争 现有 先后 并 同时 另有 还 均 全部 总计 合计 达 已有 分别 和 及 与 等 的 了 为 其 "
    "有 个 共有 总数 此外 期间 当年 上半年 全年共 月 日 年 年度"
)
TRAILING = word_set(
    "达到 达 为 超过 超 突破 约 近 共 共计 总计 累计 增至 至 了 的 有 均 分别 分别为 已达 已有 达到了 "
    "总数 总数达到 数 以上"
)


def figure_label(raw: str, tokenizer: Tokenizer) -> tuple[str, ...]:
    """The words of an indicator label: ``raw`` with discourse words trimmed from both ends."""
    words = tokenizer.words(raw)
    start, end = 0, len(words)
    while start < end and words[start] in LEADING:
        start += 1
    while end > start and words[end - 1] in TRAILING:
        end -= 1
    label = tuple(words[start:end])
    while label and len("".join(label)) > MAX_LABEL:
        label = label[1:]
    return label


class FigureMiner:
    """Counts figure frames in the raw paragraphs of a stream of documents."""

    def __init__(self, tokenizer: Tokenizer, table_limit: int = 60_000) -> None:
        self.tokenizer = tokenizer
        self.table: TallyTable[tuple[str, tuple[str, ...], str]] = TallyTable(table_limit)

    def feed(self, units: Units, doc_index: int) -> None:
        """Count the figure frames of one document."""
        for text, _part in units.paragraphs:
            for match in RE_FIGURE.finditer(text):
                label = figure_label(match.group("label"), self.tokenizer)
                if not label or not is_fixed_part(label) or len("".join(label)) < 2:
                    continue
                unit = normal_unit(match.group("unit"))
                example = Example(
                    clip(_sentence_around(text, match.start(), match.end())), units.doc_id, units.title
                )
                self.table.add(("label", label, unit), doc_index, match.group("number"), example)
                head = label[:1] if len(label[0]) >= 2 else label[:2]
                rest = label[len(head) :]
                if rest and is_fixed_part(head):
                    self.table.add(("head", head, unit), doc_index, rest[0] + " " + rest[-1], example)

    def candidates(self, min_docs: int, initiality: Initiality) -> list[Candidate]:
        """Figure frames that recur across documents (head frames also need an opener and an open slot)."""
        out: list[Candidate] = []
        for (kind, words, unit), tally in self.table.items():
            if tally.docs < min_docs or tally.count < 2:
                continue
            label = render(words)
            if kind == "head":
                if initiality.of(words[0]) < HEAD_INITIAL or not is_open(tally, left=True, right=True):
                    continue
            elif len(label) < MIN_LABEL and unit not in RELATIVE_UNITS:
                continue
            out.append(
                Candidate(
                    category="figure_frame",
                    pattern=label + ("{X}" if kind == "head" else "") + "{N}" + unit,
                    count=tally.count,
                    docs=tally.docs,
                    score=score(tally, use_entropy=kind == "head"),
                    examples=tuple(tally.examples),
                    family=label if kind == "head" else None,
                    label=label if kind == "label" else None,
                    unit=unit,
                    key=repr((kind, words, unit)),
                )
            )
        return out


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(mark, 0, start) for mark in "。；！？\n") + 1
    rights = [i for i in (text.find(mark, end) for mark in "。；！？\n") if i >= 0]
    return text[left : (min(rights) + 1 if rights else len(text))]
