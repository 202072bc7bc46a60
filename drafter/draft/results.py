"""A section's results said in one or two sentences, the way writers state them before their measures.

``section_results`` turns a section's figures into sentences such as ``全年粮食播种面积52.6万亩，总产量
23.8万吨，同比增长3.9%。``: figures sharing a time basis (``1–5月``) share one sentence that opens with it,
a figure's parts follow it after ``其中``, a label repeating the previous one's opening words is shortened
(粮食播种面积…，总产量…), hedges stay (预计, 约, 据初步统计), and a value entered with its growth rate as a
second figure (``旅游收入`` + ``旅游收入增速``) is one figure. Declines are never mixed into the results:
each is its own plain sentence, and is offered to the writer as a possible entry under 存在的问题.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from drafter.draft.figures import describe_figure
from drafter.draft.form import Figure
from drafter.models import Phrase
from drafter.text.quantities import format_number

RATE_SUFFIXES = ("同比增长率", "同比增速", "同比增长", "增长率", "增速", "增幅")
NEUTRAL_FRAME_VERBS = ("实现", "完成", "达到")
"""Figure-frame openers that add register without changing what a figure means (新增/新认定 would)."""
HAS_VERB = (
    "新",
    "实现",
    "完成",
    "达到",
    "累计",
    "开展",
    "举办",
    "引进",
    "培育",
    "推荐",
    "认定",
    "获",
    "接待",
    "兑现",
    "入库",
    "签约",
)
RE_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
MAX_PER_SENTENCE = 4
MIN_SHARED = 2
MIN_REST = 3


@dataclass(frozen=True)
class SectionResults:
    """What a section's figures say: result sentences, decline sentences and their bare clauses."""

    sentences: tuple[str, ...] = ()
    declines: tuple[str, ...] = ()
    decline_phrases: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Every sentence, results first."""
        return "".join((*self.sentences, *self.declines))


def frame_verb(fig: Figure, frames: Sequence[Phrase], verbs: tuple[str, ...] = ()) -> str:
    """A neutral verb from the bank's figure frames for a bare indicator (实现技术合同成交额23亿元), or ''.

    ``frames`` are the bank's figure frames; the one used has the figure's unit after ``{X}{N}``. A label
    that already opens with a verb (``verbs``: the corpus's, 建成/升级…) gets none.
    """
    label = fig.label
    if (
        not fig.unit.endswith("元")
        or label.startswith((*HAS_VERB, *verbs))
        or any(v in label for v in HAS_VERB[1:])
    ):
        return ""  # 实现 goes before an amount of money (实现旅游总收入), not before a count or an area
    for frame in frames:
        head, slot, tail = frame.pattern.partition("{X}")
        if slot and head in NEUTRAL_FRAME_VERBS and tail == "{N}" + fig.unit:
            return head
    return ""


def merge_rates(figures: Sequence[Figure]) -> list[Figure]:
    """``figures`` with a growth rate entered as its own figure (旅游收入增速 20.32%) folded into its value's."""
    by_label = {f.label: i for i, f in enumerate(figures)}
    out = list(figures)
    dropped: set[int] = set()
    for i, fig in enumerate(figures):
        if fig.value is None or fig.unit not in {"%", "％"}:
            continue
        base = next((fig.label[: -len(s)] for s in RATE_SUFFIXES if fig.label.endswith(s)), None)
        j = by_label.get(base) if base else None
        if j is None or j == i or out[j].growth is not None or out[j].unit in {"%", "％"}:
            continue
        out[j] = out[j].model_copy(update={"growth": format_number(fig.value) + "%"})
        dropped.add(i)
    return [f for i, f in enumerate(out) if i not in dropped]


def _short_label(label: str, previous: str | None) -> str:
    if previous is None:
        return label
    shared = os.path.commonprefix([label, previous])  # noqa: RUF071 - characters are what is shared
    rest = label[len(shared) :]
    # Cut only between Chinese words' characters: 前1‰的学科 / 前1‱的学科 share 前1, not a word.
    if len(shared) >= MIN_SHARED and len(rest) >= MIN_REST and RE_CJK_ONLY.match(shared + rest[0]):
        return rest
    return label


def _join(clauses: list[str]) -> str:
    # A clause that carries its own comparison is closed off with ；, bare amounts run on with ，.
    out = clauses[0]
    for prev, clause in pairwise(clauses):
        out += ("；" if "，" in prev else "，") + clause
    return out


def section_results(
    figures: Sequence[Figure],
    *,
    half: bool,
    frames: Sequence[Phrase] = (),
    period_word: str = "全年",
    verbs: tuple[str, ...] = (),
) -> SectionResults:
    """The result and decline sentences of a section's ``figures`` (see the module docstring).

    ``period_word`` opens a sentence whose figures have no basis of their own (全年, 上半年); ``verbs``
    are verbs a label may open with (then no frame verb is added before it).
    """
    figs = merge_rates(figures)
    texts = {id(f): describe_figure(f, half=half) for f in figs}
    falling = [f for f in figs if texts[id(f)].kind == "down"]
    rising = [f for f in figs if texts[id(f)].kind != "down"]
    labels = {f.label for f in rising}
    children: dict[str, list[Figure]] = {}
    tops: list[Figure] = []
    for fig in rising:
        if fig.parent and fig.parent in labels and fig.parent != fig.label:
            children.setdefault(fig.parent, []).append(fig)
        else:
            tops.append(fig)
    groups: dict[str, list[Figure]] = {}
    for fig in tops:
        # A basis that is the period itself (全年 in a yearly report) is the sentence's default opener.
        basis = "" if fig.basis == period_word else (fig.basis or "")
        groups.setdefault(basis, []).append(fig)
    sentences: list[str] = []
    for basis, members in groups.items():
        for start in range(0, len(members), MAX_PER_SENTENCE):
            chunk = members[start : start + MAX_PER_SENTENCE]
            clauses: list[str] = []
            previous: str | None = None
            for fig in chunk:
                clause = _clause(fig, previous, frames, half, verbs)
                parts = children.get(fig.label, [])
                if parts:
                    inner = [_clause(p, None, frames, half, verbs) for p in parts]
                    clause += "，其中" + "；".join(inner)
                clauses.append(clause)
                previous = fig.label
            body = _join(clauses)
            if start == 0 and basis:
                body = f"{basis}，{body}"
            elif start == 0 and not body.startswith(("据初步统计", "【")):
                body = period_word + body
            sentences.append(body + "。")
    declines = tuple(describe_figure(f, half=half).phrase for f in falling)
    return SectionResults(tuple(sentences), tuple(d + "。" for d in declines), declines)


def _clause(
    fig: Figure, previous: str | None, frames: Sequence[Phrase], half: bool, verbs: tuple[str, ...]
) -> str:
    label = _short_label(fig.label.removeprefix("其中").lstrip("，、："), previous)
    verb = frame_verb(fig, frames, verbs) if len(label) == len(fig.label) else ""
    return describe_figure(fig, half=half, verb=verb, label=label, basis=False).phrase
