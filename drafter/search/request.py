"""What a query asks about, without the words that only say how it asks.

Writers search the way they would ask a colleague: 其他地方怎么写安全生产事故的, 公车改革的写法,
规上企业这块材料里一般怎么表述. The request words (怎么写, 写法, 别的县, 这块, 材料里) name no subject; as
query terms they are rare in the reports, so they weigh most and pull passages that happen to hold them
(写法, 表述) above the ones on the subject. ``subject_of`` takes them out before the query is cut, in both
searchers. Only whole request phrases go: 怎么 before a verb of writing or saying, never 怎么 in a subject
(指导家长怎么教育孩子 keeps every word).
"""

from __future__ import annotations

import re

from drafter.text.chars import RE_CJK

_WHERE = r"(?:其他|其它|别的|外)(?:地方|地区|县区|区县|县市|市县|县|区|市|省|单位|部门|同行)"
"""Where else the writer wants to look (别的县, 其他地方): only as part of a request (别的县怎么写), since 外省 and
别的地方 also name a subject (去外省看病, 在别的地方合作建的园区)."""
_POINTING = r"(?:这一块|这块|这方面|这一方面|这个方面|这个|这种)"
"""Pointing words that stand for the subject just named (这块怎么写)."""
_WHERE_IN = r"(?:在)?(?:材料|报告|总结|文稿|稿子)(?:里|中|上)(?:面)?"
"""Where it is written (材料里一般怎么表述)."""
_HOW = (
    r"(?:(?:一般|通常|都|是|该|要|应该)?(?:怎么|怎样|如何|咋)(?:来)?"
    r"(?:写(?![好作字])|表述|描述|简称|称呼|概括|归纳|(?:说|提|讲|表达)(?=[的呢啊吧]?(?:$|[，,。？?！!\s])))"
    r"(?:的|呢|啊|吧)?)"
)
"""How to write or say it (一般怎么写的, 如何表述, 怎么简称). 说, 提, 讲 and 表达 only where the question ends:
before other characters they begin a subject (如何提高农民收入, 如何讲好中国故事, 怎么表达诉求)."""
_ASKED = r"(?:的)?(?:写法|提法|表述方式|表述|规范说法|标准说法)"
"""A request named as a noun at the end of the query (公车改革的写法)."""

RE_REQUEST = re.compile(f"(?:{_WHERE})?(?:的)?{_POINTING}?(?:{_WHERE_IN})?{_HOW}")
RE_ASKED_AT_END = re.compile(f"(?:{_WHERE})?{_ASKED}[？?。！!\\s]*$")
RE_EDGES = re.compile(r"^[\s，,、；;：:？?。！!]+|[\s，,、；;：:？?。！!的]+$")
RE_SEPARATORS = re.compile(r"[，\s]*，[，\s]*")
MIN_SUBJECT = 2
"""Chinese characters a query keeps at least; a query that is all request (怎么写) is searched as typed."""


def subject_of(query: str) -> str:
    """``query`` without its request words (see the module docstring), or ``query`` itself when nothing of
    it would be left."""
    if not RE_CJK.search(query):
        return query
    subject = RE_ASKED_AT_END.sub("", RE_REQUEST.sub("，", query))
    if subject == query:
        return query
    subject = RE_EDGES.sub("", subject)
    subject = RE_SEPARATORS.sub("，", subject)
    if len(RE_CJK.findall(subject)) < MIN_SUBJECT:
        return query
    return subject
