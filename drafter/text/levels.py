"""The administrative level of a report's issuer, read from its unit name (or its title): county, city, ….

A county bureau's writer wants passages written at their own scale first: a 区科技局's summary before a
province's 政府工作报告. The level is read from the lowest administrative place the name holds
(浙江省杭州市西湖区科技局 → county): 区/县/旗 → ``county``, 市/州/盟 → ``city`` (北京/天津/上海/重庆 are
provinces), 省/自治区 → ``province``, 国务院/国家… → ``national``; a name that holds none → ``unknown``.
"""

from __future__ import annotations

from drafter.models import Level
from drafter.text.chars import CJK, lazy_pattern

LEVELS: tuple[Level, ...] = ("county", "city", "province", "national", "unknown")
LEVEL_NAMES: dict[Level, str] = {
    "county": "区县",
    "city": "市州",
    "province": "省级",
    "national": "国家",
    "unknown": "未知",
}
"""How the search page and the command line name each level."""

_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
RE_NATIONAL = lazy_pattern(r"国务院|^国家|^中共中央|^全国|^中华人民共和国")
# A suffix character followed by these letters is part of a common word (区域, 县域, 市场, 市级, 州府 …).
RE_COUNTY = lazy_pattern(rf"[{CJK}](?:自治县|区|县|旗)(?![域级内外属直情划块间别委长容貌场])")
RE_CITY = lazy_pattern(rf"[{CJK}](?:自治州|市|州|盟)(?![域级内外属直民场委长容貌区])|[{CJK}]市(?=[{CJK}]+区)")
RE_PROVINCE = lazy_pattern(rf"[{CJK}](?:省|自治区)(?![级内外属直委长份])")
RE_LEADING_YEAR = lazy_pattern(r"^(?:19|20)\d\d\s*年度?")
RE_TITLE_TAIL = lazy_pattern(
    r"(?:19|20)\d\d|上半年|下半年|政府工作报告|工作报告|工作总结|工作计划|工作思路|关于"
)
GENERIC_BEFORE_COUNTY = frozenset("园景社小片郊校矿灾库湾港范发城新老山保验护贸济态工业校特")
"""Characters before 区 that make a common word (园区, 景区, 社区, 示范区, 开发区), not a county."""
ZONES = ("高新区", "开发区", "经开区", "新区")
"""Development zones govern at a county's scale."""


def admin_level(unit: str | None, title: str = "") -> Level:
    """The issuer's level read from ``unit`` or, when the unit says nothing, from ``title``."""
    for name in (unit or "", _title_head(title)):
        level = _level_of(name)
        if level != "unknown":
            return level
    return "unknown"


def level_distance(writer: Level, other: Level) -> int:
    """How far ``other`` is from the writer's level (0 = the same; unknown counts as one step away)."""
    if writer == "unknown" or other == "unknown":
        return 1
    return abs(LEVELS.index(writer) - LEVELS.index(other))


def _title_head(title: str) -> str:
    """The issuer part of a title: what comes before the year or 政府工作报告 / 工作总结."""
    title = RE_LEADING_YEAR().sub("", title.strip())
    return RE_TITLE_TAIL().split(title, maxsplit=1)[0]


def _level_of(name: str) -> Level:
    name = name.strip()
    if not name:
        return "unknown"
    if RE_NATIONAL().search(name):
        return "national"
    if any(zone in name for zone in ZONES):
        return "county"
    for match in RE_COUNTY().finditer(name):
        generic = match.group(0)[0] in GENERIC_BEFORE_COUNTY
        if not generic and not _is_autonomous_region(name, match.end()):
            return "county"
    if name.startswith(_MUNICIPALITIES) and not RE_COUNTY().search(name[3:]):
        return "province"
    if RE_CITY().search(name):
        return "city"
    if RE_PROVINCE().search(name):
        return "province"
    if name.startswith(("区", "县", "旗")):  # 区科技局: the writer's own short name
        return "county"
    if name.startswith("市") and not name.startswith("市场"):
        return "city"
    return "unknown"


def _is_autonomous_region(name: str, end: int) -> bool:
    """Whether the 区 ending at ``end`` closes 自治区 (a province, not a county)."""
    return name[max(0, end - 3) : end] == "自治区"
