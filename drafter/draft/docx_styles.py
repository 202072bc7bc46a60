"""The GB/T 9704 page and styles of a Word file: A4, margins, 22 lines × 28 characters, named styles, page numbers.

Every style is a real named paragraph style (公文标题, 正文, 一级标题 … 四级标题, 落款) so the writer can
restyle the whole file in Word, and the heading styles carry outline levels so Word's navigation pane shows
the outline. Chinese fonts need ``w:eastAsia`` on ``w:rFonts`` and no theme-font attributes (theme fonts beat
explicit names); ``set_fonts`` is the one place that writes them. A bureau's reference file keeps its own
styles and page: only the styles it lacks are added.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.styles.style import StyleFactory

# Sizes in twentieths of a point (twips) unless named otherwise.
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474  # 37/35/28/26 mm
LINE_PITCH = 579  # 28.95 pt: 22 lines in the 225 mm text block
CHARS_PER_LINE = 28
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14  # 三号, 二号, 四号
FOOTER_DISTANCE = 1247  # 22 mm: the page number sits about 7 mm below the text block
LATIN_FONT = "Times New Roman"
BODY_FONT, TITLE_FONT, HEI_FONT, KAI_FONT, SONG_FONT = (
    "仿宋_GB2312",
    "方正小标宋简体",
    "黑体",
    "楷体_GB2312",
    "宋体",
)
LANGUAGE_EAST_ASIA = "zh-CN"

TITLE_STYLE, BODY_STYLE, SIGNATURE_STYLE = "公文标题", "正文", "落款"
FOOTER_STYLE_ID = "Footer"
HEADING_STYLES = ("一级标题", "二级标题", "三级标题", "四级标题")
_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


@dataclass(frozen=True)
class StyleSpec:
    """A paragraph style: font, alignment, indents in characters, outline level, spacing after in twips."""

    name: str
    east_asia: str
    size_pt: int = BODY_PT
    align: str = "both"
    first_line_chars: int = 2
    right_chars: int = 0
    outline_level: int | None = None
    space_after: int = 0
    keep_with_next: bool = False
    snap_to_grid: bool = True


STYLE_SPECS: tuple[StyleSpec, ...] = (
    StyleSpec(
        TITLE_STYLE,
        TITLE_FONT,
        TITLE_PT,
        "center",
        0,
        space_after=LINE_PITCH,
        keep_with_next=True,
        snap_to_grid=False,
    ),
    StyleSpec(BODY_STYLE, BODY_FONT),
    StyleSpec(HEADING_STYLES[0], HEI_FONT, outline_level=0, keep_with_next=True),
    StyleSpec(HEADING_STYLES[1], KAI_FONT, outline_level=1, keep_with_next=True),
    StyleSpec(HEADING_STYLES[2], BODY_FONT, outline_level=2, keep_with_next=True),
    StyleSpec(HEADING_STYLES[3], BODY_FONT, outline_level=3, keep_with_next=True),
    StyleSpec(SIGNATURE_STYLE, BODY_FONT, align="right", first_line_chars=0, right_chars=4),
)


def _element(tag: str, **attrs: str) -> Any:

    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _child(parent: Any, tag: str, *, before: tuple[str, ...] = ()) -> Any:
    """The ``tag`` child of ``parent``, added (ahead of any of ``before``, for schema order) when missing."""

    found = parent.find(qn(tag))
    if found is None:
        found = _element(tag)
        anchor = next((parent.find(qn(t)) for t in before if parent.find(qn(t)) is not None), None)
        if anchor is not None:
            anchor.addprevious(found)
        else:
            parent.append(found)
    return found


def _set(element: Any, **attrs: str) -> None:

    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)


def set_fonts(rpr: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts of a ``w:rPr``: ``latin`` for ascii/hAnsi/cs, ``east_asia`` for Chinese; no theme fonts."""

    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = _element("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    _set(rfonts, ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin)


def _set_size(rpr: Any, size_pt: int) -> None:
    half_points = str(size_pt * 2)
    _set(_child(rpr, "w:sz", before=("w:szCs", "w:highlight", "w:u", "w:lang")), val=half_points)
    _set(_child(rpr, "w:szCs", before=("w:highlight", "w:u", "w:lang")), val=half_points)


def character_spacing(size_pt: int) -> int:
    """Twentieths of a point to add between characters so 28 of them fill the 156 mm line (``-5`` at 16 pt).

    Word's character grid would do this, but LibreOffice gives each glyph wider than a grid cell two
    cells; tightening the run itself reads the same in both.
    """
    pitch = (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / CHARS_PER_LINE  # twips
    return min(0, math.floor(pitch - size_pt * 20))


def _set_spacing(rpr: Any, size_pt: int) -> None:
    spacing = character_spacing(size_pt)
    if spacing:
        after = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:lang")
        _set(_child(rpr, "w:spacing", before=after), val=str(spacing))


def _plain_run(rpr: Any) -> None:
    """No bold, italic or colour inherited from Word's default heading styles: 公文 text is black."""

    for tag in ("w:b", "w:bCs", "w:i", "w:iCs", "w:color"):
        for found in rpr.findall(qn(tag)):
            rpr.remove(found)


def _paragraph_layout(ppr: Any, spec: StyleSpec) -> None:

    for tag in ("w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:keepNext", "w:snapToGrid"):
        for found in ppr.findall(qn(tag)):
            ppr.remove(found)
    ordered: list[Any] = []
    if spec.keep_with_next:
        ordered.append(_element("w:keepNext"))
    if not spec.snap_to_grid:
        # A 二号 line is taller than the grid pitch; snapped, it would take two grid lines.
        ordered.append(_element("w:snapToGrid", val="0"))
    ordered.append(
        _element("w:spacing", before="0", after=str(spec.space_after), line=str(LINE_PITCH), lineRule="exact")
    )
    char = spec.size_pt * 20
    ordered.append(
        _element(
            "w:ind",
            left="0",
            right=str(spec.right_chars * char),
            firstLine=str(spec.first_line_chars * char),
        )
    )
    ordered.append(_element("w:jc", val=spec.align))
    if spec.outline_level is not None:
        ordered.append(_element("w:outlineLvl", val=str(spec.outline_level)))
    # Schema order inside w:pPr: keepNext … spacing, ind … jc … outlineLvl; existing children come first.
    for element in ordered:
        ppr.append(element)
    _sort_ppr(ppr)


_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def _sort_ppr(ppr: Any) -> None:
    rank = {name: i for i, name in enumerate(_PPR_ORDER)}
    children = list(ppr)
    children.sort(key=lambda el: rank.get(el.tag.rsplit("}", 1)[-1], len(rank)))
    for child in children:
        ppr.append(child)


def _apply_spec(style: Any, spec: StyleSpec) -> None:
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, spec.east_asia)
    _plain_run(rpr)
    _set_size(rpr, spec.size_pt)
    if spec.size_pt == BODY_PT:
        _set_spacing(rpr, spec.size_pt)
    _paragraph_layout(style.element.get_or_add_pPr(), spec)


def _doc_defaults(document: Any) -> None:
    """Body font, size and zh-CN language for everything, including what python-docx adds itself."""
    styles = document.styles.element
    defaults = _child(styles, "w:docDefaults", before=("w:latentStyles", "w:style"))
    rpr_default = _child(defaults, "w:rPrDefault", before=("w:pPrDefault",))
    rpr = _child(rpr_default, "w:rPr")
    set_fonts(rpr, BODY_FONT)
    _set_size(rpr, BODY_PT)
    _set(_child(rpr, "w:lang"), val="en-US", eastAsia=LANGUAGE_EAST_ASIA, bidi="ar-SA")


def setup_styles(document: Any, *, keep_existing: bool) -> None:
    """Add the named 公文 styles (and, unless ``keep_existing``, set docDefaults, Normal and Footer).

    Styles are found by walking the styles part once: python-docx's lookups by name scan it every time.
    """

    styles = document.styles.element
    by_name = {element.name_val: element for element in styles.style_lst}
    normal = styles.default_for(WD_STYLE_TYPE.PARAGRAPH)
    if not keep_existing:
        _doc_defaults(document)
        if normal is not None:
            _apply_spec(StyleFactory(normal), StyleSpec("Normal", BODY_FONT))
    for spec in STYLE_SPECS:
        element = by_name.get(spec.name)
        if element is not None and keep_existing:
            continue
        if element is None:
            element = styles.add_style_of_type(spec.name, WD_STYLE_TYPE.PARAGRAPH, False)
        style: Any = StyleFactory(element)
        style.base_style = StyleFactory(normal) if normal is not None else None
        style.quick_style = True
        _apply_spec(style, spec)
    footer = styles.get_by_id(FOOTER_STYLE_ID)
    if footer is not None and not keep_existing:
        rpr = footer.get_or_add_rPr()
        set_fonts(rpr, SONG_FONT)
        _set_size(rpr, PAGE_NUMBER_PT)
        # The Footer style inherits Normal's two-character first-line indent and exact line height.
        ppr = footer.get_or_add_pPr()
        for tag in ("w:spacing", "w:ind"):
            for found in ppr.findall(qn(tag)):
                ppr.remove(found)
        ppr.append(_element("w:spacing", before="0", after="0", line="240", lineRule="auto"))
        ppr.append(_element("w:ind", left="0", right="0", firstLine="0", firstLineChars="0"))
        _sort_ppr(ppr)


def setup_page(section: Any) -> None:
    """A4, the 37/35/28/26 mm margins, and a 22-line grid (the 28 characters a line come from the styles)."""

    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.footer_distance = Twips(FOOTER_DISTANCE)
    section.header_distance = Twips(851)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = _element("w:docGrid")
        sect_pr.append(grid)
    grid.attrib.clear()
    _set(grid, type="lines", linePitch=str(LINE_PITCH))


def _page_field_runs(paragraph: Any) -> None:
    """``— PAGE —`` as runs: the em dashes as text, the number as a PAGE field Word updates."""
    paragraph.add_run("— ")
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        if kind == "instr":
            instr = _element("w:instrText")
            instr.text = text
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            paragraph.add_run()._r.append(instr)
        elif kind == "text":
            paragraph.add_run(text)
        else:
            paragraph.add_run()._r.append(_element("w:fldChar", fldCharType=kind))
    paragraph.add_run(" —")


def setup_page_numbers(document: Any) -> None:
    """Page numbers ``— 1 —`` in 四号 宋体: odd pages right, even pages left, one character in from the edge."""

    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        if document.styles.element.get_by_id(FOOTER_STYLE_ID) is not None:
            paragraph._p.style = FOOTER_STYLE_ID
        paragraph.alignment = align
        if side == "right":
            paragraph.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            paragraph.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
        _page_field_runs(paragraph)
        for run in paragraph.runs:
            set_fonts(run._r.get_or_add_rPr(), SONG_FONT, SONG_FONT)
            run.font.size = Pt(PAGE_NUMBER_PT)


def add_break(run: Any) -> None:
    """A line break inside a paragraph (the title's second line)."""
    run._r.append(_element("w:br"))
