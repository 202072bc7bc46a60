"""A ``Draft`` as a Word file laid out as a Chinese official document (GB/T 9704; page and styles in
``docx_styles``): title, numbered headings in their named styles, body paragraphs, highlighted
``【待补充：…】`` slots, reference passages as comments on their section's heading, signature and date.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.coreprops import CoreProperties
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from drafter.draft import docx_kept as kept
from drafter.draft.docx_styles import (
    BODY_STYLE,
    HEADING_STYLES,
    LINE_PITCH,
    SIGNATURE_STYLE,
    TITLE_STYLE,
    add_break,
    setup_page_numbers,
    setup_styles,
)
from drafter.draft.docx_template import kept_template, skeleton, template_bytes
from drafter.draft.docx_zip import Member, archive, member
from drafter.errors import InputFileError
from drafter.models import RE_PLACEHOLDER, Draft, DraftNode, Reference
from drafter.text.chars import MAX_FILENAME_BYTES, safe_filename, strip_illegal
from drafter.text.citations import citation_of

COMMENT_AUTHOR, COMMENT_INITIALS = "Drafter", "DR"
TITLE_LINE_WIDTH = 20.0
"""Characters of 二号 type on one line of the 156 mm text block (Latin letters and digits count half)."""
RE_RUN_BREAK = re.compile(r"[\t\r\n]")
RE_TITLE_BREAK = re.compile(r"(?=(?:19|20)\d\d年)|(?<=[局委办院厅处室所站心会])(?=\S)")


def text_width(text: str) -> float:
    """The width of ``text`` in full-width characters (ASCII counts half)."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def title_lines(title: str, width: float = TITLE_LINE_WIDTH) -> list[str]:
    """The title broken for a symmetric layout: one line if it fits, else two lines split where words end.

    Breaks are tried after the unit's name and before a year; the most balanced pair that fits wins,
    the shorter line on top (a trapezoid), so 《单位 / 2025年工作总结及2026年工作思路》 keeps its words whole.
    """
    if text_width(title) <= width:
        return [title]
    best: tuple[float, list[str]] | None = None
    for match in RE_TITLE_BREAK.finditer(title):
        cut = match.start()
        top, bottom = title[:cut], title[cut:]
        if not top or not bottom or text_width(top) > width or text_width(bottom) > width:
            continue
        imbalance = abs(text_width(top) - text_width(bottom)) + (
            0.5 if text_width(top) > text_width(bottom) else 0
        )
        if best is None or imbalance < best[0]:
            best = (imbalance, [top, bottom])
    return best[1] if best else [title]


def _segments(text: str) -> Iterator[tuple[str, bool]]:
    """``(piece, is_placeholder)`` in order."""
    pos = 0
    for match in RE_PLACEHOLDER.finditer(text):
        if match.start() > pos:
            yield text[pos : match.start()], False
        yield match.group(0), True
        pos = match.end()
    if pos < len(text):
        yield text[pos:], False


class _Writer:
    """Appends paragraphs to a document by style name (ids resolved once: python-docx looks names up slowly)."""

    def __init__(self, document: Any, *, root: Any = None, comments: Any = None) -> None:
        """Writes into ``document``, or into ``root`` (its ``w:document``) and ``comments`` (its
        ``w:comments``) when given: copies of a template's that are saved without the document."""
        self.document = document
        self.style_ids = kept.style_ids(document)
        self.highlight = WD_COLOR_INDEX.YELLOW
        self.body = document._body  # what python-docx's own paragraphs hang from
        self._comments = comments
        body = (document.element if root is None else root).body
        self.section = body.find(qn("w:sectPr"))
        self.append = self.section.addprevious if self.section is not None else body.append
        self.next_comment: int | None = None
        """The id of the next comment ``comment`` writes (read from the document at the first one)."""
        self.date = ""
        """The comments' date: when the first one was written."""

    def paragraph(self, text: str, style: str) -> Any:
        """A new paragraph of ``style`` holding ``text``, its 【待补充：…】 slots highlighted.

        The XML is written directly, as python-docx writes it (``w:pPr/w:pStyle``, a ``w:r`` per piece with
        ``w:rPr/w:highlight`` on a slot): its own calls look up where each child goes and cost most of an
        export. A piece with a tab or a line break is left to python-docx (``w:tab``, ``w:br``). A paragraph
        written before is a copy of the element made then (``docx_kept``).
        """
        key = (text, self.style_ids[style])
        p = kept.paragraphs.get(key)
        if p is not None:
            self.append(p)
            return Paragraph(p, self.body)
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        style_element = OxmlElement("w:pStyle")
        style_element.set(qn("w:val"), key[1])
        ppr.append(style_element)
        p.append(ppr)
        self.append(p)
        paragraph = Paragraph(p, self.body)
        for piece, is_slot in _segments(strip_illegal(text)):
            if RE_RUN_BREAK.search(piece):
                run = paragraph.add_run(piece)
                if is_slot:
                    run.font.highlight_color = self.highlight
                continue
            r = OxmlElement("w:r")
            if is_slot:
                rpr = OxmlElement("w:rPr")
                mark = OxmlElement("w:highlight")
                mark.set(qn("w:val"), "yellow")
                rpr.append(mark)
                r.append(rpr)
            t = OxmlElement("w:t")
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(qn("xml:space"), "preserve")
            r.append(t)
            p.append(r)
        kept.paragraphs.put(key, p)
        return paragraph

    def draft(self, draft: Draft) -> None:
        """The whole draft: title, preamble, sections, closing, signature and date."""
        title = self.paragraph("", TITLE_STYLE)
        for i, line in enumerate(title_lines(strip_illegal(draft.title))):
            if i:
                add_break(title.runs[-1])
            title.add_run(line)
        for text in draft.preamble:
            self.paragraph(text, BODY_STYLE)
        for node in draft.nodes:
            self.node(node)
        for text in draft.closing:
            self.paragraph(text, BODY_STYLE)
        endorsement = [text for text in (draft.signature, draft.date) if text]
        for i, text in enumerate(endorsement):
            paragraph = self.paragraph(text, SIGNATURE_STYLE)
            if i == 0:
                # Two blank lines between the body and the signature, as offices lay it out.
                paragraph.paragraph_format.space_before = Twips(2 * LINE_PITCH)

    def node(self, node: DraftNode) -> None:
        """A numbered heading with its reference comments, its paragraphs and its sub-headings."""
        style = HEADING_STYLES[min(max(node.level, 1), len(HEADING_STYLES)) - 1]
        heading = self.paragraph(f"{node.number}{node.heading}", style)
        for ref in node.references:
            lines = _lines(ref)
            if any(RE_RUN_BREAK.search(line) for line in lines):
                self.comment_by_docx(heading, lines)
            else:
                self.comment(heading, lines)
        for text in node.paragraphs:
            self.paragraph(text, BODY_STYLE)
        for child in node.children:
            self.node(child)

    def comment(self, heading: Paragraph, lines: Sequence[str]) -> None:
        """A comment on ``heading`` holding ``lines``, its XML written directly: the same XML as
        ``comment_by_docx``, without python-docx's look-ups (most of an export's time went there). A comment
        with the same lines written before is a copy of the element made then, with its own id and date."""
        if self._comments is None:
            self._comments = self.document.comments._comments_elm
        comments = self._comments
        if self.next_comment is None:
            self.next_comment = max((int(c.get(qn("w:id"))) for c in comments.comment_lst), default=-1) + 1
            self.date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        number, self.next_comment = self.next_comment, self.next_comment + 1
        key = tuple(lines)
        comment = kept.comments.get(key)
        if comment is None:
            runs = "".join(
                ("<w:r>" if i == 0 else "<w:r><w:br/>") + _t(line) + "</w:r>" for i, line in enumerate(lines)
            )
            comment = parse_xml(
                f'<w:comment {nsdecls("w")} w:id="{number}" w:author="{COMMENT_AUTHOR}"'
                f' w:initials="{COMMENT_INITIALS}" w:date="{self.date}"><w:p><w:pPr><w:pStyle w:val="CommentText"/>'
                '</w:pPr><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
                f"{runs}</w:p></w:comment>"
            )
            kept.comments.put(key, comment)
        else:
            comment.set(qn("w:id"), str(number))
            comment.set(qn("w:date"), self.date)
        comments.append(comment)
        # As python-docx marks a range: a start before the heading's first run, after its last run (the
        # previous comment's reference run, when there is one) the end and a run referring to the comment.
        elements = heading._p.r_lst
        marks = kept.marks.get(number)
        if marks is None:
            marks = parse_xml(
                f'<w:p {nsdecls("w")}><w:commentRangeStart w:id="{number}"/><w:commentRangeEnd w:id="{number}"/>'
                '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
                f'<w:commentReference w:id="{number}"/></w:r></w:p>'
            )
            kept.marks.put(number, marks)
        start, end, reference = list(marks)
        elements[0].addprevious(start)
        elements[-1].addnext(reference)
        elements[-1].addnext(end)

    def comment_by_docx(self, heading: Paragraph, lines: Sequence[str]) -> None:
        """A comment on ``heading`` holding ``lines`` (one paragraph, a line break between lines), made by
        python-docx: for lines holding a tab or a carriage return, which it writes as ``w:tab``/``w:cr``."""
        first, *rest = lines
        comment = self.document.add_comment(
            heading.runs, text=first, author=COMMENT_AUTHOR, initials=COMMENT_INITIALS
        )
        paragraph = comment.paragraphs[0]
        for line in rest:
            run = paragraph.add_run()
            run.add_break()
            run.add_text(line)
        if self.next_comment is not None:
            self.next_comment += 1


def _escape(text: str) -> str:
    """``text`` with ``&``, ``<`` and ``>`` escaped for XML character data (``xml.sax.saxutils.escape``, whose
    module imports urllib's HTTP client and SSL: a tenth of the export's time at start-up)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _t(text: str) -> str:
    """``text`` as a ``w:t`` element (space kept when it begins or ends with some, as python-docx does)."""
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{_escape(text)}</w:t>"


@lru_cache(maxsize=4096)
def _lines(ref: Reference) -> tuple[str, ...]:
    """``comment_lines`` (kept: an export asks twice, and the next drafts share most references)."""
    return tuple(comment_lines(ref))


def comment_lines(ref: Reference) -> list[str]:
    """The comment text for a reference: title and heading, passage, its reusable frame, 《title》，unit，year."""
    lines = [f"参考：《{ref.title}》" + (f"（{ref.heading}）" if ref.heading else "")]
    lines.append(ref.text)
    if ref.frame and ref.frame != ref.text:
        lines.append(f"句式：{ref.frame}")
    lines.append(
        f"来源：{citation_of(ref.title, ref.unit, ref.year)}"
    )  # never ref.source: a path on the server's disk
    return [strip_illegal(line).replace("\n", " ") for line in lines]


def _open_reference(path: Path) -> Any:
    """The bureau's reference file with its body emptied (its styles, page and footers kept)."""

    if not path.is_file():
        raise InputFileError(str(path), "参考 Word 文件不存在，请检查 --reference-docx 的路径。")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise InputFileError(
            str(path), "不是有效的 Word（.docx）文件，请在 Word 中“另存为 .docx”后再作为参考文件。"
        ) from exc
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return document


def _has_footer_text(document: Any) -> bool:
    return any(p.text.strip() or "PAGE" in p._p.xml for p in document.sections[0].footer.paragraphs)


def build_document(draft: Draft, *, reference_docx: Path | None = None) -> Any:
    """The python-docx ``Document`` of ``draft``."""

    if reference_docx is not None:
        document = _open_reference(reference_docx)
        setup_styles(document, keep_existing=True)
        if not _has_footer_text(document):
            setup_page_numbers(document)
    else:
        document = docx.Document(io.BytesIO(skeleton()))
    document.core_properties.title = strip_illegal(draft.title)
    document.core_properties.author = COMMENT_AUTHOR
    _Writer(document).draft(draft)
    return document


def write_docx(draft: Draft, out: Path | IO[bytes], *, reference_docx: Path | None = None) -> None:
    """Write ``draft`` as a .docx to a path or a binary stream."""
    if reference_docx is None and _fits_template(draft):
        data = _from_template(draft)
        if isinstance(out, Path):
            out.write_bytes(data)
        else:
            out.write(data)
        return
    document = build_document(draft, reference_docx=reference_docx)
    document.save(str(out) if isinstance(out, Path) else out)


def draft_to_bytes(draft: Draft, *, reference_docx: Path | None = None) -> bytes:
    """The .docx file of ``draft`` as bytes."""
    buffer = io.BytesIO()
    write_docx(draft, buffer, reference_docx=reference_docx)
    return buffer.getvalue()


def _fits_template(draft: Draft) -> bool:
    """Whether the file of ``draft`` can be made from the saved template (``_from_template``): it has a
    comment (the template holds the comments part) and no comment python-docx must write."""
    refs = [ref for node in _walk(draft.nodes) for ref in node.references]
    return bool(refs) and not any(RE_RUN_BREAK.search(line) for ref in refs for line in _lines(ref))


def _walk(nodes: tuple[DraftNode, ...]) -> Iterator[DraftNode]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


@lru_cache(maxsize=1)
def _template() -> tuple[Any, dict[str, Member]]:
    """The template (with its comments part; kept between runs by ``docx_template``) opened once, and its
    files by name, in order, compressed."""
    data = kept_template(template_bytes)
    document = docx.Document(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return document, {name: member(name, archive.read(name)) for name in archive.namelist()}


def _from_template(draft: Draft) -> bytes:
    """The .docx of ``draft``: the files ``build_document`` changes (the body, the comments, the core
    properties) made on copies of the template's, every other file as the template saved it. Opening the
    skeleton and saving every part again cost half of an export; the files are the ones a save writes, the
    unchanged ones compressed once (``docx_zip``)."""
    template, files = _template()
    body = copy.deepcopy(template.element)
    comments = copy.deepcopy(template.comments._comments_elm)
    core = copy.deepcopy(template.core_properties._element)
    _Writer(template, root=body, comments=comments).draft(draft)
    properties = CoreProperties(core)
    properties.title = strip_illegal(draft.title)
    properties.author = COMMENT_AUTHOR
    made = {
        "word/document.xml": serialize_part_xml(body),
        "word/comments.xml": serialize_part_xml(comments),
        "docProps/core.xml": serialize_part_xml(core),
    }
    return archive([member(name, made[name]) if name in made else kept for name, kept in files.items()])


def draft_filename(draft: Draft) -> str:
    """A file name for the draft: its title with characters file systems refuse removed, plus .docx."""
    name = safe_filename(draft.title[:120], max_bytes=MAX_FILENAME_BYTES - len(".docx")) or "草稿"
    return f"{name}.docx"
