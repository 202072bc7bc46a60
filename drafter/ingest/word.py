"""Word ``.docx`` reports: the container checked against what it really holds, then paragraphs and tables.

A ``.docx`` is a zip: every part is decompressed in chunks with a running count of the bytes it really yields
(the sizes its headers declare can lie), against a cap per XML part and for the whole file, before python-docx
parses it. python-docx's XML parser resolves no entities, loads nothing from the network and keeps libxml2's
depth limit (no ``huge_tree``).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from drafter.errors import InputFileError
from drafter.models import RawDocument

DOCX_MAX_UNPACKED = 100 * 1024 * 1024
"""A .docx whose parts really unpack to more than this is refused (zip bomb); declared sizes are not trusted."""
DOCX_MAX_XML = 16 * 1024 * 1024
"""Largest unpacked XML part of a .docx (a long report's body is a few MB)."""
DOCX_MAX_MEMBERS = 5000
"""Most parts a .docx may hold."""
DOCX_MAX_RATIO = 100
"""…or whose unpacked/packed ratio exceeds this once it unpacks to more than ``DOCX_RATIO_FLOOR``."""
DOCX_RATIO_FLOOR = 10 * 1024 * 1024
TITLE_SEARCH_LINES = 30
"""A Word title is looked for among the first paragraphs only."""


def read_docx(data: bytes, name: str) -> RawDocument:
    """A Word report: paragraphs and table rows in order; title from a Title/Heading paragraph or properties."""
    _check_docx_container(data, name)
    import docx  # lazy: start-up (only files of this format need it)

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        title: str | None = None
        for block in document.iter_inner_content():
            if isinstance(block, docx.table.Table):
                lines.extend(_table_rows(block))
                continue
            text = block.text.strip()
            if not text:
                continue
            if title is None and len(lines) < TITLE_SEARCH_LINES:
                # A style lookup costs python-docx an XPath search of styles.xml: only near the top.
                style = block.style.name if block.style is not None else ""
                if style == "Title" or style.startswith("Heading"):
                    title = text
            lines.append(text)
        if title is None and document.core_properties.title:
            title = document.core_properties.title.strip() or None
    except Exception as exc:
        # python-docx fails on a malformed package in many ways (KeyError, AttributeError on a root that is
        # not Word's, lxml errors …); the sizes were bounded above, so any failure here is the file's.
        raise InputFileError(name, "不是有效的 .docx（内容已损坏），请用 Word 打开后重新保存") from exc
    if not lines:
        raise InputFileError(name, "文件为空（.docx 中没有文字）")
    return RawDocument(source=name, text="\n".join(lines), title=title)


def _table_rows(table: Any) -> list[str]:
    """One line per table row, cells separated by two spaces (merged cells once)."""
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            rows.append("  ".join(cells))
    return rows


def _check_docx_container(data: bytes, name: str) -> None:
    """Refuse a .docx that is not a zip, is truncated, lacks the Word body, or really unpacks too large.

    Every part is decompressed in chunks with a running count of the bytes it really yields: the sizes a
    zip declares in its headers can lie.
    """
    if not data.startswith(b"PK"):
        raise InputFileError(name, "不是有效的 .docx（不是 zip 文件），请用 Word 重新保存")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > DOCX_MAX_MEMBERS:
                raise InputFileError(name, f".docx 中的部件过多（超过 {DOCX_MAX_MEMBERS} 个），已拒绝")
            if "word/document.xml" not in {info.filename for info in infos}:
                raise InputFileError(name, "不是有效的 .docx（缺少 Word 正文），请用 Word 重新保存")
            unpacked = 0
            for info in infos:
                unpacked += _unpacked_size(archive, info, name, DOCX_MAX_UNPACKED - unpacked)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        if data.startswith(b"PK\x03\x04"):
            raise InputFileError(
                name, ".docx 文件不完整或已损坏（可能下载或复制时中断），请重新获取或用 Word 重新保存"
            ) from exc
        raise InputFileError(name, "不是有效的 .docx（压缩包无法打开），请用 Word 重新保存") from exc
    if unpacked > DOCX_RATIO_FLOOR and unpacked / max(len(data), 1) > DOCX_MAX_RATIO:
        raise InputFileError(name, ".docx 解压后过大，疑似压缩炸弹，已拒绝")


def _unpacked_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: int) -> int:
    """The real unpacked size of one part, read in chunks and refused past the part's limit or ``budget``."""
    limit = min(budget, DOCX_MAX_XML if info.filename.endswith((".xml", ".rels")) else budget)
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise InputFileError(
                    name, f".docx 中的「{info.filename[:60]}」解压后过大，疑似压缩炸弹，已拒绝"
                )
    return size
