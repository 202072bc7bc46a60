"""Read report files of every supported kind into ``RawDocument``\\ s (text before cleaning).

Plain text and Markdown, HTML pages (main text only), Word ``.docx``, and collections with one report
per row (``.csv``, ``.jsonl``). Encodings are detected with charset-normalizer; anything a user can get
wrong (empty, binary, corrupt, too large, unknown encoding) raises ``InputFileError`` with a Chinese reason
and the fix.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from drafter.errors import InputFileError
from drafter.ingest.word import read_docx
from drafter.models import RawDocument
from drafter.text.bounded import FileKindError, StructureError, check_json, load_yaml, read_regular_file

MAX_BYTES = 50 * 1024 * 1024
"""Default size limit of one input file."""

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".docx", ".csv", ".jsonl")

TEXT_COLUMNS: tuple[str, ...] = ("full_text", "text", "content", "正文", "内容")
TITLE_COLUMNS: tuple[str, ...] = ("title", "标题", "name")

FRONT_MATTER_MAX_CHARS = 16 * 1024
"""A longer YAML front matter is not parsed as YAML (only a plain ``title:`` line is looked for)."""
TITLE_MAX_CHARS = 200
"""A title read from a file is cut to this length (front matter, HTML, Word properties)."""

_UNREADABLE_SHARE = 0.05
"""Share of replacement or control characters above which decoded text is judged unreadable."""

RE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")
RE_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
RE_FRONT_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.M)
RE_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M)
RE_MD_BOLD = re.compile(r"\*\*|__")
RE_NAV_LIKE = re.compile(
    r"(?:^|[\s_-])(?:nav\w*|menu\w*|breadcrumbs?|crumbs?|footer\w*|sidebar\w*|side-bar|comments?|share\w*|"
    r"toolbar|pager|pagination|copyright|related\w*)(?:$|[\s_-])",
    re.I,
)
RE_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")

_HTML_DROP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "svg")
_HTML_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "center",
)


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to ingest: files as given, folders walked recursively (sorted, supported, not hidden)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if any(part.startswith(".") for part in relative):
                    continue
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        else:
            yield path


def read_path(path: Path, *, max_bytes: int = MAX_BYTES) -> list[RawDocument]:
    """The reports held by one file (one for a document, one per row for .csv/.jsonl)."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = " ".join(SUPPORTED_SUFFIXES)
        raise InputFileError(
            name, f"不支持的文件类型「{path.suffix or '无扩展名'}」，请另存为 {supported} 之一"
        )
    try:
        data = read_regular_file(path, max_bytes)
    except FileKindError as exc:
        raise InputFileError(name, exc.reason) from exc
    except FileNotFoundError as exc:
        raise InputFileError(name, "文件不存在，请检查路径") from exc
    except OSError as exc:
        raise InputFileError(name, f"无法读取文件（{exc.strerror}），请检查文件权限") from exc
    if not data:
        raise InputFileError(name, "文件为空，请检查是否选错了文件")
    if suffix == ".docx":
        document = read_docx(data, name)
        return [replace(document, title=_short_title(document.title))]
    text = decode_bytes(data, name)
    if suffix == ".md":
        return [_read_markdown(text, name)]
    if suffix in (".html", ".htm"):
        return [_read_html(text, name)]
    if suffix == ".csv":
        return _read_csv(text, name, max_bytes)
    if suffix == ".jsonl":
        return _read_jsonl(text, name)
    return [RawDocument(source=name, text=text)]


def decode_bytes(data: bytes, name: str) -> str:
    """The text of ``data``: BOMs honoured, otherwise UTF-8 or the encoding charset-normalizer detects."""
    if not data.strip():
        raise InputFileError(name, "文件为空，请检查是否选错了文件")
    text: str | None = None
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        head = data[:8192]
        if b"\x00" in head:
            raise InputFileError(name, "不是文本文件（看起来是二进制数据），请另存为 .txt 或 .docx")
        try:
            # Valid UTF-8 is unambiguous in practice; only other byte streams need detection.
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _detect_and_decode(data, name)
    if _looks_unreadable(text):
        raise InputFileError(name, "无法识别文字编码（解码后多为乱码），请另存为 UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _detect_and_decode(data: bytes, name: str) -> str:
    """Decode ``data`` with the encoding charset-normalizer finds (GB18030 for the GBK family)."""
    from charset_normalizer import from_bytes  # lazy: start-up (only files of this format need it)

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        if _binary_share(data[:8192]) > 0.1:
            raise InputFileError(name, "不是文本文件（看起来是二进制数据），请另存为 .txt 或 .docx")
        raise InputFileError(name, "无法识别文字编码，请另存为 UTF-8")
    encoding = best.encoding
    if encoding in ("gbk", "gb2312", "hz", "gb18030"):
        encoding = "gb18030"
    elif encoding == "big5":
        encoding = "big5hkscs"
    return data.decode(encoding, errors="replace")


def _binary_share(data: bytes) -> float:
    """Share of bytes that are control characters no text file contains."""
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 9 or 13 < b < 32)
    return bad / len(data)


def _looks_unreadable(text: str) -> bool:
    """True when the decoded text is mostly replacement or control characters."""
    if not text:
        return False
    sample = text[:20000]
    bad = len(RE_CONTROL.findall(sample))
    return bad > _UNREADABLE_SHARE * len(sample)


def _read_markdown(text: str, name: str) -> RawDocument:
    """A Markdown report: YAML front matter's ``title`` honoured and removed, heading/bold marks dropped."""
    title: str | None = None
    match = RE_FRONT_MATTER.match(text)
    if match:
        title = _front_matter_title(match.group(1))
        text = text[match.end() :]
        title = _short_title(title)
    text = RE_MD_HEADING.sub("", text)
    text = RE_MD_BOLD.sub("", text)
    return RawDocument(source=name, text=text, title=title)


def _front_matter_title(block: str) -> str | None:
    """The ``title:`` of a YAML front matter block (YAML first, a plain line match if YAML is broken)."""
    import yaml  # lazy: start-up (only files of this format need it)

    data: Any = None
    if len(block) <= FRONT_MATTER_MAX_CHARS:
        try:
            data = load_yaml(block)
        except StructureError:
            return None  # aliases, or too big to be a title block: no title rather than a fragment
        except yaml.YAMLError:
            data = None
    if isinstance(data, dict):
        value = data.get("title")
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value).strip()
        return None
    match = RE_FRONT_TITLE.search(block)
    return match.group(1).strip("'\" ") if match else None


def _short_title(title: str | None) -> str | None:
    """``title`` on one line and at most ``TITLE_MAX_CHARS`` long (None stays None)."""
    if title is None:
        return None
    return " ".join(title.split())[:TITLE_MAX_CHARS] or None


def _read_html(text: str, name: str) -> RawDocument:
    """The main text of an HTML page, one line per block, navigation and page furniture left out."""
    import lxml.etree  # lazy: start-up (only files of this format need it)
    import lxml.html  # lazy: start-up (only files of this format need it)

    # lxml refuses str input that still declares an encoding; the text is already decoded.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root: Any = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputFileError(name, "无法解析 HTML 页面，请另存为 .txt 后再导入") from exc
    title = None
    h1 = root.find(".//h1")
    if h1 is not None and h1.text_content().strip():
        title = RE_SPACES.sub(" ", h1.text_content()).strip()
    else:
        title_el = root.find(".//title")
        if title_el is not None and title_el.text_content().strip():
            title = RE_SPACES.sub(" ", title_el.text_content()).strip()
    body: Any = root.find("body")
    if body is None:
        body = root
    doomed = list(body.iter(*_HTML_DROP_TAGS))
    for el in body.iter(lxml.etree.Element):
        marker = f"{el.get('class') or ''} {el.get('id') or ''}".strip()
        if marker and RE_NAV_LIKE.search(marker) and el.tag not in ("body", "html"):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    for el in body.iter(*_HTML_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    for el in body.iter("td", "th"):
        el.tail = " " + (el.tail or "")
    raw = body.text_content()
    lines = (RE_SPACES.sub(" ", line).strip() for line in raw.split("\n"))
    text = "\n".join(line for line in lines if line)
    return RawDocument(source=name, text=text, title=_short_title(title))


def _pick_column(names: Iterable[str], wanted: tuple[str, ...]) -> str | None:
    """The first of ``names`` matching one of ``wanted`` (case-insensitive, in ``wanted`` order)."""
    by_lower = {n.strip().lower(): n for n in names if n}
    for candidate in wanted:
        if candidate.lower() in by_lower:
            return by_lower[candidate.lower()]
    return None


def _missing_text_column(name: str) -> InputFileError:
    return InputFileError(
        name, "CSV 中找不到正文列（full_text/text/content/正文），请把正文所在列命名为其中之一"
    )


def _read_csv(text: str, name: str, max_bytes: int) -> list[RawDocument]:
    """One report per row; the text column is one of ``TEXT_COLUMNS``, the title one of ``TITLE_COLUMNS``."""
    # The limit is process-wide in the csv module; a report cell can be as large as the file itself.
    csv.field_size_limit(max(max_bytes, 1 << 20))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fields = reader.fieldnames or []
        text_col = _pick_column(fields, TEXT_COLUMNS)
        if text_col is None:
            raise _missing_text_column(name)
        title_col = _pick_column(fields, TITLE_COLUMNS)
        docs: list[RawDocument] = []
        for number, row in enumerate(reader, start=1):
            body = (row.get(text_col) or "").strip()
            if not body:
                continue
            title = (row.get(title_col) or "").strip() if title_col else ""
            docs.append(RawDocument(source=f"{name}#{number}", text=body, title=title or None))
    except csv.Error as exc:
        raise InputFileError(
            name, f"CSV 格式有误（第 {reader.line_num} 行：{exc}），请用表格软件另存为 CSV"
        ) from exc
    if not docs:
        raise InputFileError(name, "CSV 中没有任何一行有正文")
    return docs


def _read_jsonl(text: str, name: str) -> list[RawDocument]:
    """One report per JSON line; keys chosen like CSV columns."""
    docs: list[RawDocument] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            check_json(line)
            record = json.loads(line)
        except StructureError as exc:
            raise InputFileError(name, f"第 {number} 行{exc.reason}") from exc
        except (json.JSONDecodeError, ValueError, RecursionError) as exc:
            raise InputFileError(name, f"第 {number} 行不是有效的 JSON，请检查该行") from exc
        if not isinstance(record, dict):
            raise InputFileError(name, f'第 {number} 行不是 JSON 对象（应为 {{"title": …, "text": …}}）')
        text_key = _pick_column(record.keys(), TEXT_COLUMNS)
        if text_key is None:
            raise InputFileError(name, f"第 {number} 行找不到正文字段（full_text/text/content/正文）")
        body = str(record.get(text_key) or "").strip()
        if not body:
            continue
        title_key = _pick_column(record.keys(), TITLE_COLUMNS)
        title = str(record.get(title_key) or "").strip() if title_key else ""
        docs.append(RawDocument(source=f"{name}#{number}", text=body, title=_short_title(title)))
    if not docs:
        raise InputFileError(name, "JSONL 中没有任何一行有正文")
    return docs
