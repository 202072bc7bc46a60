"""Reading untrusted input with every cost bounded: file size and kind, YAML and JSON structure.

Files are opened without blocking and must be regular files (a FIFO, a device or a socket is refused before
anything is read, so ``/dev/zero`` or a pipe never hangs or floods the reader); at most ``max_bytes + 1``
bytes are read. YAML is composed by a safe loader that refuses anchors and aliases (the "billion laughs"
alias bomb) and caps the number of nodes and their nesting; JSON is checked for nesting depth and number
length before ``json.loads`` sees it. Each refusal carries a Chinese reason the caller puts after the input's
name.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings a form or a report record may have."""
MAX_NODES = 100_000
"""Most YAML nodes (scalars, lists, mappings) one document may have."""
MAX_NUMBER_CHARS = 100
"""Longest number, in characters, a JSON text may hold."""

RE_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
RE_JSON_BRACKETS = re.compile(r"[\[\]{}]")


class StructureError(ValueError):
    """A text whose structure is too large or too deep to be a form or a report; ``reason`` is Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FileKindError(OSError):
    """The path names something other than a regular file, or one larger than allowed (``reason`` in Chinese)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _kind_of(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "这是一个文件夹，不是文件"
    if stat.S_ISFIFO(mode):
        return "这是一个管道（FIFO），不是普通文件；请先把内容保存为文件"
    if stat.S_ISSOCK(mode):
        return "这是一个套接字，不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是一个设备，不是普通文件；请给出保存好的文件"
    return None


def read_regular_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``, read only up to the limit.

    Raises ``FileKindError`` for a folder, FIFO, socket or device (checked on the open descriptor, which is
    opened non-blocking so a FIFO without a writer cannot hang) and for a file over ``max_bytes``; other
    ``OSError`` (missing, no permission) pass through.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError as exc:
        raise FileKindError("这是一个文件夹，不是文件") from exc
    try:
        info = os.fstat(fd)
        reason = _kind_of(info.st_mode)
        if reason is not None:
            raise FileKindError(reason)
        if info.st_size > max_bytes:
            raise FileKindError(too_large(max_bytes))
        chunks: list[bytes] = []
        received = 0
        while received <= max_bytes:
            try:
                chunk = os.read(fd, min(1 << 20, max_bytes + 1 - received))
            except BlockingIOError:  # pragma: no cover - a regular file never blocks
                continue
            if not chunk:
                break
            chunks.append(chunk)
            received += len(chunk)
        if received > max_bytes:  # the file grew while it was read, or lied about its size
            raise FileKindError(too_large(max_bytes))
        return b"".join(chunks)
    finally:
        os.close(fd)


def too_large(max_bytes: int) -> str:
    """The Chinese reason for a file over ``max_bytes``."""
    if max_bytes >= 1024 * 1024:
        return f"文件超过 {max_bytes // (1024 * 1024)} MB，请拆分后再导入"
    return f"文件超过 {max(1, max_bytes // 1000)} KB，请拆分或删减后再导入"


def is_name_too_long(exc: OSError) -> bool:
    """True when ``exc`` says a file name is longer than the file system allows."""
    return exc.errno == errno.ENAMETOOLONG


# --- YAML ---------------------------------------------------------------------------------------------------


class BoundedSafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors or aliases, with at most ``max_nodes`` nodes ``max_depth`` deep."""

    max_nodes = MAX_NODES
    max_depth = MAX_DEPTH

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """One node, refusing aliases and anchors and counting nodes and nesting."""
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases are not allowed", event.start_mark)
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, "anchors are not allowed", event.start_mark)
        self._nodes += 1
        if self._nodes > self.max_nodes:
            raise StructureError(f"内容条目过多（超过 {self.max_nodes} 项），不像一张表单或一篇报告")
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                raise StructureError(f"嵌套过深（超过 {self.max_depth} 层），不像一张表单或一篇报告")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str) -> Any:
    """The data of a YAML text, bounded (``StructureError`` for aliases, too many nodes, too deep).

    Syntax errors stay ``yaml.YAMLError`` so callers can point at the line.
    """
    data = _libyaml_load(text)
    if data is not _REREAD:
        return data
    loader = BoundedSafeLoader(text)
    try:
        return loader.get_single_data()
    except yaml.composer.ComposerError as exc:
        if exc.problem in {"aliases are not allowed", "anchors are not allowed"}:
            raise StructureError("含有 YAML 锚点或别名（& 或 *），请直接写出内容") from exc
        raise
    except RecursionError as exc:
        raise StructureError(f"嵌套过深（超过 {MAX_DEPTH} 层），不像一张表单或一篇报告") from exc
    finally:
        loader.dispose()


_REREAD: Any = object()


def _libyaml_load(text: str) -> Any:
    """The data of ``text`` read by libyaml (when PyYAML has it: a tenth of the pure-Python parser's time) if
    its events show it plainly within bounds: no anchor or alias, fewer nodes and shallower nesting than the
    limits. Else ``_REREAD`` (also for any error): the pure-Python loader reads it, refusing it or pointing at
    its error in the same words as ever."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return _REREAD
    nodes = depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                return _REREAD
            if isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                nodes += 1
                depth += isinstance(event, yaml.CollectionStartEvent)
                if nodes >= BoundedSafeLoader.max_nodes or depth + 1 >= BoundedSafeLoader.max_depth:
                    return _REREAD
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError:
        return _REREAD


# --- JSON ---------------------------------------------------------------------------------------------------


def check_json(text: str, *, max_depth: int = MAX_DEPTH, max_number: int = MAX_NUMBER_CHARS) -> None:
    """Refuse (``StructureError``) a JSON text nested deeper than ``max_depth`` or with an over-long number.

    Strings are blanked first (a bracket inside a string is text), so the scan runs at regex speed and only
    the structural characters are walked in Python.
    """
    skeleton = RE_JSON_STRING.sub('""', text)
    if re.search(rf"[0-9][0-9.eE+\-]{{{max_number},}}", skeleton):
        raise StructureError(f"含有过长的数字（超过 {max_number} 位）")
    depth = 0
    for match in RE_JSON_BRACKETS.finditer(skeleton):
        if match.group() in "[{":
            depth += 1
            if depth > max_depth:
                raise StructureError(f"嵌套过深（超过 {max_depth} 层），不像一张表单或一篇报告")
        else:
            depth -= 1


def load_json(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` after ``check_json`` (``StructureError``); syntax errors stay ``json.JSONDecodeError``."""
    if isinstance(text, bytes):
        text = text.decode(json.detect_encoding(text), "surrogatepass")
    check_json(text, max_depth=max_depth)
    try:
        return json.loads(text)
    except RecursionError as exc:  # pragma: no cover - check_json refuses deep texts first
        raise StructureError("嵌套过深，不像一张表单或一篇报告") from exc
