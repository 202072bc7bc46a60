"""The indicator a stated quantity counts, as a writer names it.

The words before the quantity in its clause, without enumerators (一是), fillers (共, 累计, 实现), hedges of
the sentence (预计, 力争) and the verb that joins it to its number (达到, 为); or, when the clause opens with
a bare verb and the quantity stands before its noun (``新增2家省级重点实验室``), that verb with the noun.
A ``分别`` list gets one label per item (``城镇和农村居民人均可支配收入分别增长…``); items sharing one
change with 均 are split.
"""

from __future__ import annotations

import re

from drafter.continuity.numbers import UNIT

RE_FROM_YEAR = re.compile(r"(?:从|由)(?:\d{4}年(?:底|末)?的?)?$")

BOUNDARY = "，。；：！？,;:!?（）()【】\n"
QUOTES = "“”‘’《》\"'"
RE_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十\d]+[)）、.．]|首先|其次|同时|此外|另外|其中|并且|"
    r"累计|合计|总计|全年共?|今年共?)"
)
SHARED = "共(?!享|建|同|识|青团|产|治|富)"
"""共 as "in all" (共受理案件), not the first character of 共享, 共建, 共同 …"""
RE_LEAD_FILLER = re.compile(
    r"^(?:全[区县市省镇](?=共|累计|合计)|实现了?|已|"
    + SHARED
    + r"|累计|全年|今年|当年|年内|先后|分别|其中[，,]?)+"
)
RE_TRAIL_FILLER = re.compile(
    r"(?:达到了?|达|为|共计?|累计|总计|合计|分别为|分别|实现了?|完成了?|已|有|超过|约|近|逾|突破|"
    r"同比|比上年|较上年|比去年|较去年|全年|年均|平均|有望|预计|可望|将|了|的|及|和|与|等|从|由)+$"
)
RE_JOINER = re.compile(r"^[、和及与，,]*")
PREPOSITION_END = ("和", "及", "与", "对", "为", "向", "给", "帮助", "将", "把", "等", "使", "让", "由")
RE_LABEL_JUNK = re.compile(r"^[oO.．](?=[\u4e00-\u9fff])|[\s·“”‘’《》\"']+")
RE_SENTENCE_HEDGE = re.compile(
    r"^(?:预计|初步预测|初步统计|据统计|可(?=[获实完达突])|将|年底|年末|全年|今年|目前|力争|确保|争取|计划|预期|目标为?)+"
)
RE_NOT_A_NOUN = re.compile(
    r"^(?:以上|以下|左右|以内|同比|比上年|较上年|比|较|增长|增加|提高|提升|上升|扩大|下降|减少|降低|升至|降至|增至|"
    r"减至|达到|达|至|到|占|居|位居|位列|排名|列|的|并|且|均|全部|都|已|将|和|及|与|同时|，|。|；|、|"
    r"(?:奋斗|发展|年度)?目标|任务|大关|关口|台阶)"
)
RE_CJK = re.compile(r"[\u4e00-\u9fff]")
RE_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
MIN_LABEL_CJK = 2
SHORT_VERB = 4
"""A clause head this short before a quantity is its verb (新增, 新认定, 筛选确定), kept before the noun."""
MAX_LABEL = 40


RE_EACH = re.compile(r"^(?P<items>[^、]+(?:、[^、]+)+)均$")


def each_item(label: str) -> list[str]:
    """``年接待游客、旅游总消费均`` → the items sharing one change with 均; ``[label]`` for any other label."""
    match = RE_EACH.match(label)
    return match["items"].split("、") if match else [label]


RE_QUANTITY_HEAD = re.compile(r"^[\d.]+(?:余|多)?(?:" + UNIT + ")")
PAIRED: dict[str, tuple[str, str]] = {
    "城乡": ("城镇", "农村"),
    "存贷款": ("存款", "贷款"),
    "进出口": ("进口", "出口"),
    "中小学": ("中学", "小学"),
    "省市级": ("省级", "市级"),
}
"""Words that name two indicators at once, split for a ``分别A、B`` list of two."""


def item_labels(head: str, count: int) -> list[str]:
    """The label of each item of a ``分别`` list whose shared label is ``head`` ([] when it cannot tell)."""
    parts = [p for p in re.split(r"[、和与及]", head) if p]
    pair = next((p for p in PAIRED if head.startswith(p)), None)
    if len(parts) == 1 and count == 2 and pair:  # 城乡居民人均可支配收入分别增长8%、8.8%
        rest = head[len(pair) :]
        return [PAIRED[pair][0] + rest, PAIRED[pair][1] + rest]
    if len(parts) != count:
        return []
    first, last = parts[0], parts[-1]
    if len(last) > len(first):  # a shared ending: 城镇 | 农村居民人均可支配收入
        return [p if p is last else p + last[len(first) :] for p in parts]
    return [
        p if p is first else first[: len(first) - len(last)] + p for p in parts
    ]  # 规上工业总产值 | 增加值


def last_boundary(sentence: str, pos: int) -> int:
    for i in range(pos - 1, -1, -1):
        if sentence[i] in BOUNDARY:
            return i + 1
    return 0


def label_of(left: str, sentence: str, end: int, *, has_value: bool) -> str:
    """The indicator a mention counts: the clause before it, or the noun after it behind a bare verb."""
    left = RE_JOINER.sub("", left)
    left = RE_LABEL_JUNK.sub("", left)
    left = RE_ENUMERATOR.sub("", left)
    left = RE_SENTENCE_HEDGE.sub("", left)
    left = RE_LEAD_FILLER.sub("", left)
    left = RE_TRAIL_FILLER.sub("", RE_FROM_YEAR.sub("", left))
    right = _right_noun(sentence, end) if has_value else ""
    if right:
        # A quantity before its noun (新增2家省级重点实验室, 组织成客股份等8家企业申报…): the noun is the label.
        stem = left if len(RE_CJK.findall(left)) <= SHORT_VERB and not left.endswith(PREPOSITION_END) else ""
        left = f"{stem}{right}"
    left = left.strip("、，,的 ")
    if len(RE_NAME_CHAR.findall(left)) < MIN_LABEL_CJK:
        return ""
    return left[-MAX_LABEL:]


def _right_noun(sentence: str, end: int) -> str:
    """The words after a quantity up to the clause's end when the quantity stands before its noun
    (``2家省级重点实验室`` → ``省级重点实验室``), else ''."""
    rest = sentence[end:]
    if rest.startswith("的"):  # 总投资629亿元的60个重点项目
        rest = RE_QUANTITY_HEAD.sub("", rest[1:])
    if not rest or (not RE_CJK.match(rest[0]) and rest[0] not in QUOTES) or RE_NOT_A_NOUN.match(rest):
        return ""
    stop = 0
    while stop < len(rest) and rest[stop] not in BOUNDARY and rest[stop] != "、":
        stop += 1
    words = RE_LABEL_JUNK.sub("", rest[:stop])
    if re.search(r"\d", words):
        words = re.split(r"\d", words, maxsplit=1)[0]
    return words[:MAX_LABEL]


HEAD_VERBS = (
    "新认定|新培育|新引进|新建成|新建|新增|引进|培育|认定|入库|完成|开展|举办|组织|推荐|申报|获批|获评|建成|"
    "实施|兑现|发放|接待|达成|签约|上线|征集|走访|对接|新命名|命名|扶持|支持|改造|提升|打造|创建|评选|服务|"
    "解决|凝聚|组建|参加|参与|带动|吸引|覆盖|帮助|举行|召开|培训|建设|落实|争取|获得|荣获|入选|通过|累计"
)
RE_HEAD_VERB = re.compile(f"^(?:{HEAD_VERBS})")
RE_NEW_VERB = re.compile(r"^新(?:增|认定|建成?|培育|引进|命名|获批|入库)")
"""The verbs of new counts, which a list of indicators shares (新增A4家、B1家)."""


def shared_verb(previous: str, label: str) -> str:
    """``label`` with the verb of the label before it when a list shares it (``新增市级众创空间4家、市级孵化器1家``
    → ``新增市级孵化器``); ``label`` itself when it has a verb of its own or the one before is no 新… verb."""
    verb = RE_NEW_VERB.match(previous)
    if verb is None or RE_HEAD_VERB.match(label):
        return label
    return verb.group(0) + label
