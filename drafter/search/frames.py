"""Frames: a passage with its specifics turned into slots, so a writer can reuse the sentence shape.

Conventions (every other character is kept exactly):
- figures: ``23亿元`` → ``【N】亿元``, ``29.6%`` → ``【N】%``, ``1-9月`` → ``【N】-【N】月``; the scraped
  placeholders ``xx``/``x.x`` are figures too;
- years: ``2022年`` → ``【年】`` (the slot includes 年), ``2019年度`` → ``【年】度``, ``2021-2025年`` →
  ``【年】-【年】``, ``20xx年``/``xxxx年`` → ``【年】``;
- names: the document's unit (``区科技局``) and place names (``颍东区``, ``阜阳市``, ``良渚街道``, ``浙江省``, a
  redacted ``x市``) → ``【单位】``. A place name is taken as the two characters before the suffix (three or
  four for the longer places jieba's dictionary knows: 乌鲁木齐市); words that merely end in 区/市/县 (全区,
  我市, 城市, 上市, 园区, 示范区, 建成区, 贫困县, 市级, 市场) and 市/省 as "municipal/provincial" after a verb
  (推荐市重点实验室, 通过省专家评审) are left alone: common words are recognised by their last character and
  by jieba's dictionary (loaded once, lazily). When unsure, a name is missed rather than a word eaten: the
  frame must read as the original sentence.
Numbers glued to Latin letters (5G, G20, 3D) name things; they stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from drafter.text.chars import CJK

SLOT_N = "【N】"
SLOT_YEAR = "【年】"
SLOT_UNIT = "【单位】"
SLOT_PERSON = "【姓名】"

_DIGITS = "0-9０-９"
_SUFFIXES = "自治州|自治县|街道|市|区|县|镇|乡"
_NAME_STOPS = frozenset("在于对和与及、的了是为把被向从到赴至由将以让给同跟及并且或等省市区县镇乡")
"""Single characters a name never starts with: the word before a name ends at them."""
# 省 also abbreviates "provincial" (通过省专家评审, 入选省万人计划): only the provinces themselves are names.
_PROVINCES = (
    "河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海"
    "|台湾|内蒙古|广西|西藏|宁夏|新疆"
)
# A suffix character that starts a longer common word is no suffix: 区域, 市场, 市级, 乡村, 县域, 省份 …
_NOT_SUFFIX_BEFORE = "域场级民值容貌委政长情况属内外村镇份块别间分划县区市"

RE_FRAME_YEAR = re.compile(
    rf"(?<![{_DIGITS}.])(?:19[5-9]\d|20\d\d)(?:年|(?=\s*[-—–~～至到]\s*(?:19|20)\d\d年))"
)
RE_YEAR_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:20[xX]{2}|[xX]{4})年")
RE_PLACE_PLACEHOLDER = re.compile(rf"(?<![A-Za-z])[xX]+(?:{_SUFFIXES}|省)")
RE_PLACEHOLDER = re.compile(r"(?<![A-Za-z])[xX]+(?:\.[xX]+)?(?![A-Za-z])")
RE_NUMBER = re.compile(rf"(?<![A-Za-z{_DIGITS}.])[{_DIGITS}]+(?:[.,][{_DIGITS}]+)*(?![A-Za-z{_DIGITS}])")
RE_PROVINCE = re.compile(rf"(?:{_PROVINCES})(?:省|(?:回族|壮族|维吾尔)?自治区)")
# Up to two characters before the two-character stem are captured so that a longer known place (石家庄市,
# 乌鲁木齐市) can be slotted whole; the leftmost match always includes them when they are CJK.
RE_PLACE = re.compile(rf"([{CJK}]{{0,2}}?)([{CJK}]{{2}})(?:{_SUFFIXES})(?![{_NOT_SUFFIX_BEFORE}])")
RE_UNIT_RUN = re.compile(f"(?:{SLOT_UNIT}){{2,}}")
RE_UNIT_PLACE = re.compile(rf"([{CJK}]{{2,8}}?)(?:{_SUFFIXES})")

GENERIC_LAST = frozenset(
    "全我本各该辖城园社景山小片街郊老新旧上超都门夜股省市县区镇乡地分灾库校矿军垦湾特港苏专学边厂"
    "范发开保聚验护贸济态务作行心能业级点位间方部内外委府会院局所站处队组体场带圈群网链列家强大型化"
    "性式在下返故节反弟菜集早误盲雷禁展商病村古名重坐其此每某两一二三四五六七八九十百千万亿个些等及与和或"
    # verbs and prepositions before 市/区 used as "municipal/district" (推荐市重点实验室, 位居市第一)
    "过荐报织选取得评为入赴向经获对由至到请送交派托励予被加参联配协帮持支引导告称居排占给让使将把从于以"
    "按据依合立办好抓实施动促进升设跨用惠空创了的之回驻届楼治"
    # 灌区, 农高区, 综试区, 边民互市, 盟市, 旗县, 整县推进, 先行区, 特别是市, 金融活市, 复产复市, 产区
    "灌高试互盟旗整先是活复产慧佳扩屋年指"
)
"""Last characters before 区/市/县… that mark a common word (全区, 城市, 园区, 示范区, 乡镇), not a name."""
GENERIC_FIRST = frozenset("村镇乡区县市省各全我本该每跨地场园")
"""First characters of two that are no name's start (跨村跨镇, 各区县)."""
LONG_NAME_NOT_LAST = frozenset("城市区县镇乡省村街园")
COMMON_TAGS = frozenset(
    {"v", "vn", "vd", "a", "an", "ad", "d", "p", "b", "c", "u", "r", "m", "q", "f", "n", "j", "l", "i", "z"}
)
"""jieba dictionary tags of common words: a two-character common word before 区/县 (建成区, 贫困县) is no name."""
NOT_NAMES = frozenset(
    {
        "文明",
        "美丽",
        "海岛",
        "河滩",
        "和平",
        "大都",
        "都市",
        "深水",
        "卫星",
        "有林",
        "新建",
        "力争",
        "策源",
        "亚太",
    }
    | {f"{c}兴" for c in "业教港化放才农工贸旅文科商"}  # 产业兴市, 科教兴市, 开放兴市 …
)
"""Stems jieba tags as places or people that, before 县/区/市, make common words (全国文明县城, 现代化大都市)."""


def frame_of(text: str, unit_names: Iterable[str] = ()) -> str:
    """The passage with figures → 【N】, years → 【年】, unit/place/company names → 【单位】 and officials'
    names → 【姓名】, wording otherwise kept."""
    out = _replace_units(text, unit_names)
    out = mask_names(out)
    out = RE_PROVINCE.sub(SLOT_UNIT, out)
    out = RE_PLACE.sub(_place_slot, out)
    if "x" in out or "X" in out:  # most passages have no placeholder: skip three passes
        out = RE_PLACE_PLACEHOLDER.sub(SLOT_UNIT, out)
        out = RE_YEAR_PLACEHOLDER.sub(SLOT_YEAR, out)
        out = RE_PLACEHOLDER.sub(SLOT_N, out)
    out = RE_FRAME_YEAR.sub(SLOT_YEAR, out)
    out = RE_NUMBER.sub(SLOT_N, out)
    # 杭州市拱墅区 is one name to the writer, not two.
    return RE_UNIT_RUN.sub(SLOT_UNIT, out) if SLOT_UNIT + SLOT_UNIT in out else out


def unit_place_names(unit: str) -> set[str]:
    """``unit`` and the places it names: 颍东区科技局 → {颍东区科技局, 颍东区, 颍东}; 区科技局 → {区科技局}.

    A province keeps its suffix (浙江省, never 浙江: 浙江大学 is no unit).
    """
    unit = unit.strip()
    names = {unit} if len(unit) >= 2 else set()
    names.update(m.group() for m in RE_PROVINCE.finditer(unit))
    for match in RE_UNIT_PLACE.finditer(unit):
        if match.group(1)[-1] not in GENERIC_LAST:
            names.update((match.group(), match.group(1)))
    return names


def _replace_units(text: str, unit_names: Iterable[str]) -> str:
    """``text`` with each unit name and the place it names slotted, longest name first."""
    names: set[str] = set()
    for unit in unit_names:
        names |= unit_place_names(unit)
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, SLOT_UNIT)
    return text


def _place_slot(match: re.Match[str]) -> str:
    """The match with its place name slotted, or unchanged for a common word ending in 区/市/县…."""
    before, stem = match.group(1), match.group(2)
    common, places = _lexicon()
    for width in (2, 1):
        longer = before[-width:] + stem
        # jieba's place list holds common phrases too (各县市, 花园城): those start or end generically.
        if (
            len(before) >= width
            and longer in places
            and longer[0] not in GENERIC_FIRST
            and longer[-1] not in LONG_NAME_NOT_LAST
        ):
            return before[:-width] + SLOT_UNIT
    # 支持随县, 加快代县: the stem's first character ends a word before it; the name (if any) is one character.
    glued = before[-1:] + stem[0]
    if glued in common or glued in NOT_NAMES or not _may_be_name(stem, common):
        return match.group()
    # The name starts where a word before it ends (白雀寺镇 is one name: never 白【单位】).
    start = name_start(match.string, match.end(2), limit=match.start(), stem_at=match.start(2))
    if start is None:
        return match.group()  # the name may start before the match: missed rather than cut
    return match.string[match.start() : start] + SLOT_UNIT


def _may_be_name(word: str, common: frozenset[str]) -> bool:
    """Whether ``word`` before 区/市/县… can be a place name rather than a common word."""
    return not (word[-1] in GENERIC_LAST or word[0] in GENERIC_FIRST or word in NOT_NAMES or word in common)


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """From jieba's dictionary: two-character common words, and three/four-character place names."""
    from drafter.text.dictionary import derived_lists  # lazy: start-up
    from drafter.text.tokens import jieba_dictionary_file  # lazy: start-up

    source = jieba_dictionary_file()
    common, places = derived_lists("frame-lexicon", source, lambda: _read_lexicon(source))
    return frozenset(common), frozenset(places)


def _read_lexicon(source: Path) -> list[list[str]]:
    """The two word lists of ``_lexicon`` read from jieba's dictionary file (kept in the cache after)."""
    common: set[str] = set()
    places: set[str] = set()
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            fields = line.split()  # word frequency tag
            if len(fields) != 3:
                continue
            word, tag = fields[0], fields[2]
            if len(word) == 2 and tag in COMMON_TAGS:
                common.add(word)
            elif len(word) in (3, 4) and tag == "ns":
                places.add(word)
    return [sorted(common), sorted(places)]


# --- names found by where words end (villages, companies, officials) ---------------------------------------
RE_COMPANY_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|公司)(?![制化])")
LEGAL_SUFFIXES = ("有限公司", "有限责任公司")
"""A name before these is a company's registered name; before a bare 公司/集团 it may be a common word."""
GENERIC_COMPANY_LAST = frozenset(
    [
        "上市",
        "子",
        "分",
        "母",
        "国有",
        "国企",
        "运营",
        "投资",
        "控股",
        "平台",
        "融资",
        "担保",
        "会展",
        "物业",
        "城投",
        "教育",
        "医疗",
        "交通",
        "文旅",
        "专业",
        "现代",
        "新型",
    ]
)
"""Words before a bare 公司/集团 that make a kind of company (上市公司, 教育集团), not a company's name."""
MAX_VILLAGE = 4
"""A village name has at most this many characters before 村; a longer run is unsure, and left alone."""
RE_VILLAGE_SUFFIX = re.compile(r"村(?![委民级镇庄部落居])")
GENERIC_VILLAGE_LAST = frozenset("农乡山渔政然点范困中新全各本每该邻两个一强富美旧城古名特")
"""Last characters before 村 of common words (农村, 乡村, 行政村, 自然村, 示范村, 城中村), not villages."""
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
TITLES = (
    "副局长|局长|副书记|书记|副主任|主任|副区长|区长|副县长|县长|副市长|市长|主席|处长|科长|部长|厅长|同志"
)
_SURNAME_CLASS = "".join(sorted(SURNAMES))
RE_PERSON = re.compile(
    rf"(?P<title>{TITLES})(?P<name>[{_SURNAME_CLASS}][{CJK}]{{1,2}}?)"
    r"(?=[，、。；,\s（(]|同志|带队|率队|一行|等|主持|出席|调研|$)"
    rf"|(?P<alone>[{_SURNAME_CLASS}][{CJK}]{{1,2}}?)(?=同志)"
    # a name before its title (张建国副县长出席), where a clause or a list starts: never inside a word (高新区区长)
    rf"|(?<![^，、。；：,;:\s（(“和与由])(?P<before>[{_SURNAME_CLASS}][{CJK}]{{1,2}}?)(?=副?(?:{TITLES}))"
)
RE_TITLE = re.compile(TITLES)
RE_NAME_CHAR = re.compile(rf"[{CJK}A-Za-z]")
MAX_NAME = 12
"""Characters a name may have before its suffix (深圳朗意医疗科技 + 有限公司)."""


def mask_names(text: str) -> str:
    """``text`` with companies and villages → 【单位】 and officials' names → 【姓名】, each taken whole."""
    if "公司" in text or "集团" in text:
        text = _mask_before(text, RE_COMPANY_SUFFIX, _is_company)
    if "村" in text:
        text = _mask_before(text, RE_VILLAGE_SUFFIX, _is_village, _village_word_before)
    if RE_TITLE.search(text):
        text = RE_PERSON.sub(_person_slot, text)
    return text


def _person_slot(match: re.Match[str]) -> str:
    """An official's name slotted, unless it is a common word (高度, 马上) rather than a name."""
    common, _places = _lexicon()
    name = match.group("name") or match.group("alone") or match.group("before")
    if name in common or name[:2] in common or name in _function_words():
        return match.group()
    return (match.group("title") or "") + SLOT_PERSON


def _mask_before(
    text: str,
    suffixes: re.Pattern[str],
    is_name: Callable[[str, str], bool],
    skip: Callable[[str, int], bool] | None = None,
) -> str:
    """Each name ending in one of ``suffixes`` slotted whole (with its suffix) when ``is_name(stem, suffix)``."""
    out: list[str] = []
    done = 0
    for match in suffixes.finditer(text):
        at = match.start()
        if at - done < 2 or not RE_NAME_CHAR.match(text[at - 1]) or (skip and skip(text, at)):
            continue
        start = name_start(text, at, limit=max(done, at - MAX_NAME))
        if start is None or at - start < 2 or not is_name(text[start:at], match.group()):
            continue
        out.append(text[done:start] + SLOT_UNIT)
        done = match.end()
    out.append(text[done:])
    return "".join(out)


def _village_word_before(text: str, at: int) -> bool:
    """Whether a common word ends at ``at`` before 村 (农村, 乡村): no name to look for (a cheap first test)."""
    common, _places = _lexicon()
    return text[at - 1] in GENERIC_VILLAGE_LAST or text[at - 2 : at] in common


def _is_company(stem: str, suffix: str) -> bool:
    """A registered name (…有限公司), or a stem holding a word jieba does not know (亿超能, not 上市/国有)."""
    if suffix.endswith(LEGAL_SUFFIXES):
        return True
    from drafter.text.tokens import default_tokenizer  # lazy: start-up (jieba's dictionary)

    words = default_tokenizer().words(stem)
    if not words or words[-1] in GENERIC_COMPANY_LAST or stem[-1] in GENERIC_COMPANY_LAST:
        return False
    return _has_name_word(stem)


def _has_name_word(stem: str, singles: int = 2) -> bool:
    """Whether ``stem`` holds a place jieba knows or a word it does not (悦沣, 木匣沟): a name, not a phrase."""
    from drafter.text.tokens import default_tokenizer  # lazy: start-up (jieba's dictionary)

    tokenizer = default_tokenizer()
    _common, places = _lexicon()
    words = tokenizer.words(stem)
    if sum(1 for w in words if len(w) == 1) >= singles:
        return True  # 白/雀/寺, 木匣/沟: characters jieba could not join into any word
    return any(w in places or (len(w) >= 2 and not tokenizer.known(w)) for w in words)


def _is_village(stem: str, _suffix: str) -> bool:
    """A village's name (木匣沟), not a common word before 村 (农村, 行政村, 美丽乡村)."""
    common, _places = _lexicon()
    if len(stem) > MAX_VILLAGE or stem[-1] in GENERIC_VILLAGE_LAST or stem in common or stem[-2:] in common:
        return False
    return _has_name_word(stem, singles=1)


def name_start(text: str, end: int, *, limit: int = 0, stem_at: int | None = None) -> int | None:
    """Where the name ending at ``end`` starts: after the last verb, function word or punctuation before it.

    Words are jieba's (the shared tokenizer); a name is the run of words after the last word a name cannot
    hold. With ``stem_at`` (a place: its stem starts there) only the stem's words and single characters
    jieba could not place (白雀寺) join it: 代表上海市 keeps 代表. ``None`` when the run reaches back past
    ``limit`` (the start is unsure: better missed than cut).
    """
    from drafter.text.tokens import default_tokenizer  # lazy: start-up (jieba's dictionary)

    context_start = max(0, min(limit, end) - 1)
    context = text[context_start:end]
    tokens = default_tokenizer().words(context) if context else []
    position = end
    for token in reversed(tokens):
        at = text.rfind(token, context_start, position)
        if at < 0 or at + len(token) != position or _ends_name(token):
            break
        if stem_at is not None and at + len(token) <= stem_at and len(token) > 1:
            break
        position = at
    if position == end:
        return None
    if position <= context_start and context_start > 0:
        return None
    return position


def _ends_name(token: str) -> bool:
    """Whether ``token`` cannot be part of a name (a verb, preposition, conjunction … or a figure)."""
    if len(token) == 1:
        return token in _NAME_STOPS or not re.match(rf"[{CJK}A-Za-z]", token)
    return token in _function_words()


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    """jieba dictionary words tagged verb, adverb, preposition, conjunction, pronoun … (no name holds them)."""
    from drafter.text.dictionary import derived_lists  # lazy: start-up
    from drafter.text.tokens import jieba_dictionary_file  # lazy: start-up

    source = jieba_dictionary_file()
    (words,) = derived_lists("function-words", source, lambda: [_read_function_words(source)])
    return frozenset(words) - {"科技", "医疗", "生物", "发展", "建设"}


def _read_function_words(source: Path) -> list[str]:
    """The words of ``_function_words`` read from jieba's dictionary file (kept in the cache after)."""
    words: set[str] = set()
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            fields = line.split()
            if len(fields) == 3 and fields[2] in {"v", "vd", "p", "c", "d", "u", "r", "ad", "f", "m", "q"}:
                words.add(fields[0])
    return sorted(words)
