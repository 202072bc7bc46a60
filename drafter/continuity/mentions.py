"""The quantities a report sentence states: ``新认定国高企162家，同比增长29.6%`` → one ``Mention``.

A mention is a number with its unit (``162家``, ``4.22亿元``, ``2.5%``) or a stated change
(``地区生产总值增长6.5%``), with the indicator it counts (the words before it in its clause, or after it
when the clause opens with a bare verb: ``新增2家省级重点实验室``), the writer's hedge (``约``, ``余``,
``以上``), a change stated right after it (``同比增长29.6%``), and the earlier value of ``从A增加到B``.
What is not a figure is left out: years and dates (no unit), ordinals (``第3``), thresholds
(``2000万元以上项目``), capacities (``年产20万吨``), durations (``6个月``), numbers glued to Latin
letters (``PM2.5``, ``5G``) and numbers inside names (``5020项目``). OCR slips in numbers are read
(``IOO`` = 100, ``L75`` = 1.75) and keep their literal form as ``written``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from drafter.continuity.labels import (
    RE_CJK,
    each_item,
    item_labels,
    label_of,
    last_boundary,
    shared_verb,
)
from drafter.continuity.numbers import NUMBER, OCR_NUMBER, UNIT, read_number

HEDGES_BEFORE = ("可突破", "接近", "超过", "突破", "约", "近", "超", "逾")
HEDGES_AFTER = ("以上", "左右", "以内")
RE_QUANTITY = re.compile(
    r"(?P<hedge>" + "|".join(HEDGES_BEFORE) + r")?"
    r"(?P<number>" + NUMBER + "|" + OCR_NUMBER + r")(?:[-—–~至](?P<upper>" + NUMBER + r"))?"
    r"(?P<mid>余|多)?(?P<unit>" + UNIT + r")"
    r"(?P<post>" + "|".join(HEDGES_AFTER) + r")?"
)
GROWTH_VERBS = (
    "增长|增加|提高|上涨|增(?=\\d)|提升|上升|下降|减少|降低|压减|回落|下滑|增速为?|增幅为?|增速达|增幅达"
)
DOWN_VERBS = ("下降", "减少", "降低", "压减", "回落", "下滑")
RE_GROWTH = re.compile(
    r"(?P<verb>" + GROWTH_VERBS + r")了?(?P<hedge>" + "|".join(HEDGES_BEFORE) + r")?"
    r"(?P<number>" + NUMBER + r"(?:%|％)?(?:[-—~至到]" + NUMBER + r")?)"
    r"(?P<unit>%|％|个百分点|百分点|倍)(?P<post>以上|左右)?"
)
RE_FROM_TO = re.compile(
    r"^的?(?:增加|增长|提高|提升|上升|扩大|下降|减少|降低|增|减|升|降)(?:到|至)(?:\d{4}年(?:底|末)?的?)?$"
)
LATIN_BEFORE = re.compile(r"[A-Za-z0-9.·×+＋/]$")
RE_LATIN_AFTER = re.compile(r"^[A-Za-z0-9+＋]")
ORDINAL_BEFORE = ("第", "年产", "日产", "月产", "时速", "排名", "前", "号", "第一批", "等级")
WORD_AFTER_UNIT: dict[str, str] = {
    "项": "目",
    "个": "月人体性案",
    "家": "庭长属乡",
    "人": "员民才口群均大",
    "名": "单称录牌额",
    "场": "所景地馆景",
    "件": "事",
    "条": "件例款",
    "位": "于置",
    "所": "有在属得",
    "处": "理置罚于",
    "台": "账阶",
    "期": "间限",
    "批": "复准示",
    "户": "籍外",
    "元": "素",
    "套": "餐",
    "支": "持撑部付出",
    "次": "级数",
    "单": "位元",
    "起": "来步草点",
    "部": "门署分",
    "本": "地级",
    "门": "类",
    "块": "",
    "笔": "",
}
"""A unit character followed by one of these is a word of its own (项目, 个月, 人员), not a unit."""


@dataclass(frozen=True)
class Mention:
    """One stated quantity of a sentence and the indicator it counts.

    ``value`` is ``None`` for a change stated alone (``增长6.5%``), then ``growth`` holds it and ``unit``
    is its unit (``%``, ``个百分点``, ``倍``). ``growth`` is the change as written without its verb, a
    decrease keeping its verb (``29.6%``, ``下降27.4%``). ``hedge`` is the qualifying words as written,
    space-separated (``约``, ``余``, ``预计 以上``); ``written`` the literal number when it is not plain
    digits (``IOO``). ``start``/``end`` are offsets in the sentence; ``breakdown`` says the clause
    opened with 其中 (the mention breaks down the one before).
    """

    label: str
    value: float | None
    unit: str
    growth: str | None = None
    previous: float | None = None
    hedge: str | None = None
    written: str | None = None
    start: int = 0
    end: int = 0
    breakdown: bool = False


def find_mentions(sentence: str) -> list[Mention]:
    """The quantities stated in one sentence, in reading order, with their labels."""
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for match in RE_GROWTH.finditer(sentence):
        taken.append((match.start(), match.end()))
        if not _quoted(sentence, match.start()):
            found.append(_growth_mention(sentence, match))
    for match in RE_QUANTITY.finditer(sentence):
        if any(a <= match.start("number") < b for a, b in taken):
            continue
        mention = _quantity_mention(sentence, match)
        if mention is not None:
            found.append(mention)
    found.sort(key=lambda m: m.start)
    return _attach(sentence, found)


def _growth_mention(sentence: str, match: re.Match[str]) -> Mention:
    verb = match["verb"]
    number = match["number"]
    unit = "个百分点" if match["unit"] == "百分点" else match["unit"].replace("％", "%")
    growth = f"{number}{unit}" if unit != "%" or number.endswith(("%", "％")) else f"{number}%"
    if verb.startswith(DOWN_VERBS):
        growth = f"{verb}{growth}"
    hedges = [h for h in (match["hedge"], match["post"]) if h]
    return Mention(
        label="",
        value=None,
        unit=unit,
        growth=growth,
        hedge=" ".join(hedges) or None,
        start=match.start(),
        end=match.end(),
    )


def _quantity_mention(sentence: str, match: re.Match[str]) -> Mention | None:
    start, end = match.start("number"), match.end()
    unit = match["unit"].replace("％", "%")
    before = sentence[max(0, start - 4) : start] if not match["hedge"] else ""
    after = sentence[end : end + 2]
    if before and LATIN_BEFORE.search(before):
        return None
    if before.endswith(ORDINAL_BEFORE) or RE_LATIN_AFTER.match(after):
        return None
    if match["post"] in {"以上", "以下"} and after[:1] and RE_CJK.match(after[:1]):
        return None  # a threshold qualifying what is counted (2000万元以上项目)
    if sentence[end : end + 2] in {"以下", "以外"}:
        return None
    last = unit[-1]
    if after[:1] and after[:1] in WORD_AFTER_UNIT.get(last, "") and not match["post"]:
        return None
    number = match["number"]
    value = read_number(number)
    if value is None:
        return None
    written = number if re.search(r"[A-Za-z]", number) else None
    if match["upper"]:  # a range (组建1—2家): the lower bound, the range as written
        written = sentence[match.start("number") : match.end("upper")]
    hedges = [h for h in (match["hedge"], match["mid"], match["post"]) if h]
    return Mention(
        label="",
        value=value,
        unit=unit,
        hedge=" ".join(hedges) or None,
        written=written,
        start=match.start(),
        end=end,
    )


def _attach(sentence: str, found: list[Mention]) -> list[Mention]:
    """Labels for each mention; a change right after a quantity joins it; ``从A增加到B`` keeps A as previous."""
    out: list[Mention] = []
    boundary = 0
    runs: list[list[int]] = []
    for mention in found:
        gap = sentence[out[-1].end if out else 0 : mention.start]
        if out and RE_LIST_GAP.match(gap) and _respectively(sentence, runs, out):
            item = mention
            if out[-1].value is None and mention.unit == "%":
                item = replace(mention, value=None, growth=f"{format_plain(mention.value)}%")
            runs[-1].append(len(out))
            out.append(item)
            boundary = item.end
            continue
        change = RE_COUNT_CHANGE.search(gap)
        if (  # 576项市重点项目、较上年增加129项: a change in the count, stated as a count
            out
            and change
            and mention.value is not None
            and out[-1].value is not None
            and out[-1].growth is None
            and mention.unit == out[-1].unit
            and not re.search(r"[，；。：,;:]", gap[: change.start()])
        ):
            stated = f"{change.group('verb')}{format_plain(mention.value)}{mention.unit}"
            out[-1] = replace(out[-1], growth=stated, end=mention.end)
            boundary = mention.end
            continue
        if out and mention.value is None and _bare_link(gap) and out[-1].growth is None:
            out[-1] = replace(out[-1], growth=mention.growth, end=mention.end)
            boundary = mention.end
            continue
        if out and mention.value is not None and out[-1].value is not None and RE_FROM_TO.match(gap):
            previous = out.pop()
            out.append(replace(mention, previous=previous.value, label=previous.label, start=previous.start))
            boundary = mention.end
            continue
        clause_start = max(boundary, last_boundary(sentence, mention.start))
        left = sentence[clause_start : mention.start]
        breakdown = "其中" in left
        label = label_of(left, sentence, mention.end, has_value=mention.value is not None)
        if (
            not label
            and out
            and out[-1].value is None
            and mention.value is not None
            and out[-1].end >= clause_start - 12
        ):
            # GDP增长8.7%，首次突破千亿大关，达到1102.3亿元: the level of the indicator whose change came first
            out[-1] = replace(out[-1], value=mention.value, unit=mention.unit, end=mention.end)
            boundary = mention.end
            continue
        if not label and out and out[-1].unit == mention.unit:
            label = out[-1].label  # 完成科技保险16单，预计年底将完成30单以上
        elif label and out and mention.value is not None and not breakdown:
            label = shared_verb(out[-1].label, label)
        runs.append([len(out)] if "分别" in left else [])
        out.append(replace(mention, label=label, breakdown=breakdown))
        boundary = mention.end
    for run in runs:
        if len(run) > 1:
            _share_label(out, run)
    return [replace(m, label=item) for m in out if m.label for item in each_item(m.label)]


RE_COUNT_CHANGE = re.compile(r"(?:同比|较上年|比上年|较去年|比去年)(?P<verb>增加|减少|新增|多|少)$")
RE_LIST_GAP = re.compile(r"^\s*(?:、|和|及|与|，)\s*$")


def _respectively(sentence: str, runs: list[list[int]], out: list[Mention]) -> bool:
    """True when the last mention opened (or continues) a ``分别…A、B`` list."""
    return bool(runs) and bool(runs[-1]) and runs[-1][-1] == len(out) - 1


def format_plain(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def _share_label(out: list[Mention], run: list[int]) -> None:
    """``城镇和农村居民人均可支配收入分别增长7.6%、8.8%``: one label per item, the trailing hedge for all."""
    head = out[run[0]].label
    for index, label in zip(run, item_labels(head, len(run)) or [head] * len(run), strict=True):
        hedge = out[index].hedge or out[run[-1]].hedge
        out[index] = replace(out[index], label=label, hedge=hedge)


def _quoted(sentence: str, pos: int) -> bool:
    """True inside “…”: a quoted goal or slogan (“R&D经费支出年均增长25%以上”) is not a result."""
    return sentence.count("“", 0, pos) > sentence.count("”", 0, pos)


def _bare_link(gap: str) -> bool:
    """True when only connecting words stand between a quantity and the change that follows it."""
    rest = re.sub(
        r"[，,、（(）)\s]|同比|比上年|较上年|比去年|较去年|比上年同期|较上年同期|年均|平均|分别", "", gap
    )
    return rest == ""
