"""Cleaning: scraped report text → simplified Chinese text without site noise, one paragraph per line.

``CLEANING_STEPS`` is a tuple of pure ``str → str`` steps, each testable alone; ``clean`` applies them in
order. The order matters: encoding garbage and glued pinyin go before the traditional→simplified
conversion (pinyin brackets would otherwise be taken for real brackets), the conversion goes before the
site-chrome patterns (they are written in simplified characters), chrome goes before page chunks are
joined (chunk counters must be on neighbouring lines), and half-width punctuation is converted last.
Site chrome patterns live in ``drafter.ingest.chrome``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from drafter.ingest.chrome import drop_breadcrumbs, drop_chrome_fragments, drop_chrome_lines
from drafter.models import GAP_MARKER
from drafter.text.chars import CJK, strip_illegal

_CJK_OR_PUNCT = CJK + r"\u3000-\u303f\uff01-\uff5e“”‘’…—·"

RE_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:20)?[xX]{1,4}(?:\.[xX]{1,3})?%?(?![A-Za-z])")
"""Figure slots left by template sites (``xx``, ``x.x%``, ``20xx年``, ``xxxx年``, ``x家``): not numbers."""

_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = rf"[a-zü]{{0,6}}[{_TONE}][a-zü{_TONE}]{{0,5}}"

RE_INVISIBLE = re.compile("[\x7f\ufeff\u200b-\u200d\u2060]")
"""Characters scraped pages carry that no reader sees (DEL, BOM, zero-width): dropped with the XML-illegal ones."""
RE_LINE_SEPARATORS = re.compile("\r\n?|[\u2028\u2029\x85]")
RE_SPACES = re.compile(
    r"[ \t\u00a0\u2002-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2002-\u200a\u202f\u205f\u3000]"
)
RE_LINE_EDGE_SPACES = re.compile(r" +\n *|\n +")

RE_MD_HEADING = re.compile(r"^#{1,6} +", re.M)
RE_MD_BOLD_LINE = re.compile(r"^\*\*([^*\n]+)\*\*$", re.M)
RE_MD_BOLD_HEADING = re.compile(
    r"^\*\*((?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])[^*\n]*)\*\*", re.M
)

# A mojibake fragment: a '?' left by a failed GBK round trip, a few garbage characters and the pinyin
# that the site glued to the lost character.
RE_MOJIBAKE_PINYIN = re.compile(rf"\?{{1,2}}[^\s?()（）]{{0,4}}?\({_PINYIN}\)")
RE_MOJIBAKE_HALF_PINYIN = re.compile(rf"\?{_PINYIN}\)")
RE_MOJIBAKE_LATIN = re.compile(rf"\?{{1,2}}[^\s?()（）。，、；：！？]{{0,3}}?[A-Za-z](?=[{CJK}])")
RE_MOJIBAKE_REST = re.compile(r"\?{2,}|\?[;；]|\ufffd+")
RE_GARBAGE_LETTER_PINYIN = re.compile(rf"[A-Za-z|Α-ω](?<![A-Za-z][A-Za-z])\({_PINYIN}\)")
RE_GLUED_PINYIN = re.compile(rf"[(（]{_PINYIN}[)）]")

RE_TRUNCATION = re.compile(
    r"(?:…|⋯|\.{3,})*[ ]*[（(][^（()）\n]{0,120}?(?:省略\s*\d+\s*字|未完[，,]?\s*全文共\s*\d+\s*字)"
    r"[^（()）\n]{0,200}[)）](?:…|⋯|\.{3,})*"
)
RE_RUN_SPACES = re.compile(r" +")
RE_NEW_PARAGRAPH = re.compile(r"[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、")

RE_CHUNK_COUNTER = re.compile(r"^(\d{1,3})、")
RE_SENTENCE_END = re.compile(r"[。！？；：…”」』）)!?;:]$")

RE_HALF_PUNCT = re.compile(r"[,;:!?]")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
RE_HALF_PARENS = re.compile(r"\(([^()\n]{0,80})\)")
RE_HAS_CJK = re.compile(rf"[{_CJK_OR_PUNCT}]")

RE_BLANK_LINES = re.compile(r"\n{2,}")

# OpenCC keeps 著 where both readings exist; these are the verb-sense 着 words (never 显著, 著名, 著作…).
ZHE_PHRASES: dict[str, str] = {
    "著力": "着力",
    "著重": "着重",
    "著手": "着手",
    "著眼": "着眼",
    "著想": "着想",
    "著落": "着落",
    "著陆": "着陆",
    "著实": "着实",
    "随著": "随着",
    "沿著": "沿着",
    "本著": "本着",
    "朝著": "朝着",
    "向著": "向着",
    "意味著": "意味着",
    "紧接著": "紧接着",
    "接著": "接着",
    "围绕著": "围绕着",
    "面临著": "面临着",
    "肩负著": "肩负着",
    "发挥著": "发挥着",
    "起著": "起着",
    "保持著": "保持着",
    "存在著": "存在着",
    "带著": "带着",
    "怀著": "怀着",
    "秉著": "秉着",
    "顺著": "顺着",
    "有著": "有着",
    "沉著": "沉着",
    "标志著": "标志着",
    "代表著": "代表着",
    "推动著": "推动着",
    "影响著": "影响着",
    "关系著": "关系着",
    "决定著": "决定着",
    "承载著": "承载着",
    "经历著": "经历着",
    "引领著": "引领着",
}
_ZHE_BEFORE = tuple(k[:-1] for k in ZHE_PHRASES if k.endswith("著"))
_ZHE_AFTER = frozenset(k[1:] for k in ZHE_PHRASES if k.startswith("著"))
_ZHE_NOUN_BEFORE = frozenset("显卓昭编名土巨论原专遗译拙合")
_ZHE_NOUN_AFTER = frozenset("名作称述录")


def normalize_newlines(text: str) -> str:
    """``text`` with LF line ends and no XML-illegal control, BOM or zero-width characters."""
    return RE_INVISIBLE.sub("", strip_illegal(RE_LINE_SEPARATORS.sub("\n", text)))


def normalize_spaces(text: str) -> str:
    """``text`` with every run of spaces (ideographic, no-break, tabs) one space and lines unindented."""
    return RE_LINE_EDGE_SPACES.sub("\n", RE_SPACES.sub(" ", text)).strip(" ")


def strip_markdown(text: str) -> str:
    """``text`` without Markdown heading marks and bold around whole lines or numbered headings."""
    if "#" in text:
        text = RE_MD_HEADING.sub("", text)
    if "**" in text:
        text = RE_MD_BOLD_HEADING.sub(r"\1", text)
        text = RE_MD_BOLD_LINE.sub(r"\1", text)
    return text


def remove_mojibake(text: str) -> str:
    """``text`` without encoding garbage (``?苿(chuàng)``, ``??偨Y(jié)``, stray U+FFFD, ``??``)."""
    if "?" in text:
        text = RE_MOJIBAKE_PINYIN.sub("", text)
        text = RE_MOJIBAKE_HALF_PINYIN.sub("", text)
        text = RE_MOJIBAKE_LATIN.sub("", text)
    if "(" in text:
        text = RE_GARBAGE_LETTER_PINYIN.sub("", text)
    if "?" in text or "\ufffd" in text:
        text = RE_MOJIBAKE_REST.sub("", text)
    return text


def strip_glued_pinyin(text: str) -> str:
    """``text`` without pinyin glued after characters: ``區(qū)`` → ``區``; real brackets stay."""
    return RE_GLUED_PINYIN.sub("", text)


@lru_cache(maxsize=1)
def _t2s_converter() -> Any:
    """The OpenCC traditional→simplified converter, built on first use (it loads dictionaries)."""
    import opencc  # lazy: start-up (OpenCC loads its dictionaries on first use)

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` in simplified characters (OpenCC t2s)."""
    return str(_t2s_converter().convert(text))


def fix_zhe(text: str) -> str:
    """``text`` with the verb-sense 著 that OpenCC keeps turned into 着 (著力 → 着力, 随著 → 随着)."""
    if "著" not in text:
        return text
    verbs: list[int] = []
    index = text.find("著")
    while index >= 0:
        before = text[index - 1] if index else ""
        after = text[index + 1 : index + 2]
        verb_before = any(text.endswith(prefix, 0, index) for prefix in _ZHE_BEFORE)
        if after not in _ZHE_NOUN_AFTER and (
            verb_before or (after in _ZHE_AFTER and before not in _ZHE_NOUN_BEFORE)
        ):
            verbs.append(index)
        index = text.find("著", index + 1)
    if not verbs:
        return text
    chars = list(text)
    for index in verbs:
        chars[index] = "着"
    return "".join(chars)


def mark_truncation_gaps(text: str) -> str:
    """``text`` with site truncation notices (``……(…省略657字…)……``) replaced by a gap marker line."""
    if "省略" not in text and "未完" not in text:
        return text
    return RE_TRUNCATION.sub(f"\n{GAP_MARKER}\n", text)


def break_run_on_paragraphs(text: str) -> str:
    """``text`` with a line break where a space stands for a lost paragraph break (after 。 or before 一、)."""
    return RE_RUN_SPACES.sub(_space_or_break, text)


def _space_or_break(match: re.Match[str]) -> str:
    source, start, end = match.string, match.start(), match.end()
    if end < len(source) and source[end] != "\n":
        if start > 0 and source[start - 1] in "。！？!?":
            return "\n"
        if RE_NEW_PARAGRAPH.match(source, end):
            return "\n"
    return match.group()


def join_page_chunks(text: str) -> str:
    """``text`` with document-sharing page chunks (``1、…实现亿`` ``2、元以上…``) joined back into one text.

    A run of neighbouring paragraphs numbered 1、2、3、… is a chunk counter, not a list, when the chunks
    are long and at least one of them stops in the middle of a sentence.
    """
    if "1、" not in text:
        return text
    lines = text.split("\n")
    content = [i for i, line in enumerate(lines) if line.strip()]
    out = list(lines)
    k = 0
    while k < len(content):
        first = RE_CHUNK_COUNTER.match(lines[content[k]])
        if not first or first.group(1) != "1":
            k += 1
            continue
        run = [content[k]]
        expected = 2
        while k + len(run) < len(content):
            nxt = RE_CHUNK_COUNTER.match(lines[content[k + len(run)]])
            if not nxt or int(nxt.group(1)) != expected:
                break
            run.append(content[k + len(run)])
            expected += 1
        if len(run) >= 2 and _is_page_chunk_run([lines[i] for i in run]):
            joined = "".join(RE_CHUNK_COUNTER.sub("", lines[i], count=1) for i in run)
            out[run[0]] = joined
            for i in run[1:]:
                out[i] = ""
            # Blank lines between the chunks go too: they were page breaks, not paragraph breaks.
            for i in range(run[0] + 1, run[-1]):
                out[i] = ""
        k += len(run)
    return "\n".join(out)


def _is_page_chunk_run(chunks: list[str]) -> bool:
    """True when numbered paragraphs are page chunks: long, and some end mid-sentence."""
    mean = sum(len(c) for c in chunks) / len(chunks)
    mid_sentence = sum(1 for c in chunks[:-1] if not RE_SENTENCE_END.search(c.rstrip()))
    return mean >= 150 and mid_sentence >= 1


def fullwidth_punctuation(text: str) -> str:
    """``text`` with half-width ``,;:!?()`` beside Chinese made full-width; numbers, URLs, Latin untouched."""
    text = RE_HALF_PUNCT.sub(_widen_punct, text)
    if "(" in text:
        text = RE_HALF_PARENS.sub(_widen_parens, text)
    return text


def _widen_punct(match: re.Match[str]) -> str:
    source, start = match.string, match.start()
    if RE_HAS_CJK.match(source[start - 1 : start] or " ") or RE_HAS_CJK.match(
        source[start + 1 : start + 2] or " "
    ):
        return _FULL_WIDTH[match.group()]
    return match.group()


def _widen_parens(match: re.Match[str]) -> str:
    source, start, end = match.string, match.start(), match.end()
    around = source[start - 1 : start] + match.group(1) + source[end : end + 1]
    if RE_HAS_CJK.search(around):
        return f"（{match.group(1)}）"
    return match.group()


def drop_repeated_lines(text: str) -> str:
    """``text`` without a line that repeats the line before it (page title printed twice)."""
    out: list[str] = []
    previous = None
    for line in text.split("\n"):
        key = line.strip()
        if key and key == previous:
            continue
        out.append(line)
        if key:
            previous = key
    return "\n".join(out)


def collapse_blank_lines(text: str) -> str:
    """``text`` with one paragraph per line: blank lines removed, no leading or trailing newline."""
    return RE_BLANK_LINES.sub("\n", text).strip("\n")


CLEANING_STEPS: tuple[Callable[[str], str], ...] = (
    normalize_newlines,
    normalize_spaces,
    strip_markdown,
    remove_mojibake,
    strip_glued_pinyin,
    to_simplified,
    fix_zhe,
    mark_truncation_gaps,
    drop_chrome_fragments,
    drop_chrome_lines,
    break_run_on_paragraphs,
    normalize_spaces,
    drop_chrome_lines,
    drop_breadcrumbs,
    join_page_chunks,
    fullwidth_punctuation,
    drop_repeated_lines,
    collapse_blank_lines,
)


def clean(text: str) -> str:
    """``text`` cleaned by every step of ``CLEANING_STEPS`` in order."""
    for step in CLEANING_STEPS:
        text = step(text)
    return text
