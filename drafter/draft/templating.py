"""The report templates: a strict, sandboxed Jinja environment and the outline text it renders.

A template (``templates/<kind>.txt.j2``) renders plain outline text, one paragraph a line:

- the first line is the title;
- ``一、`` / ``（一）`` / ``1.`` / ``（1）`` at the start of a line open a heading of level 1–4;
- ``@结语 …``, ``@署名 …``, ``@日期 …`` are the closing paragraph(s), the signature and the date;
- any other line is a body paragraph of the heading above it (before the first heading: the preamble);
- blank lines are ignored, so ``{% … %}`` tags can sit on lines of their own;
- a line holding text the ``body`` filter marked is a body paragraph whatever it starts with (a writer's ``一、…`` or
  ``@署名`` stays text).

User text reaches a template only as data (context values), never as template source, and every value is
on one line (``drafter.draft.form.one_line``), so a writer's text can neither run code nor open a heading.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment

from drafter.errors import NotFoundError
from drafter.models import DraftNode
from drafter.resources import bundled_dir, cache_dir
from drafter.text.numerals import int_to_chinese

if TYPE_CHECKING:
    from jinja2.bccache import Bucket
    from jinja2.sandbox import ImmutableSandboxedEnvironment

RE_HEADING = re.compile(
    r"^(?:(?P<l1>[一二三四五六七八九十百零]+、)|(?P<l2>（[一二三四五六七八九十百零]+）)|(?P<l3>\d+[.．])|(?P<l4>（\d+）))"
)
RE_DIRECTIVE = re.compile(r"^@(?P<name>结语|署名|日期)\s*(?P<text>.*)$")
SENTENCE_ENDS = "。！？!?；;…"
BODY_MARK = "\u2063"
"""Invisible separator the ``body`` filter puts before a line: the parser reads it as a body paragraph."""
CLOSING_QUOTES = "”’」』"


def sentence(text: str) -> str:
    """``text`` ending as a sentence: a full stop is added only when it has no closing punctuation."""
    text = text.rstrip()
    if not text:
        return text
    last = text[-1]
    if last in SENTENCE_ENDS or (last in CLOSING_QUOTES and len(text) > 1 and text[-2] in SENTENCE_ENDS):
        return text
    return text + "。"


def body(text: str) -> str:
    """``text`` marked as a body paragraph, so that a writer's text can never open a heading or a directive."""
    return BODY_MARK + text if text else text


def default_templates_dir() -> Path:
    """The shipped ``templates/`` folder."""
    return bundled_dir("templates")


OPTIONS: dict[str, Any] = {
    "undefined": StrictUndefined,
    "autoescape": False,
    "trim_blocks": False,
    "lstrip_blocks": True,
    "keep_trailing_newline": False,
    "auto_reload": False,
}
"""The environment's settings (they shape the compiled code, so they name its cache folder too)."""


@lru_cache(maxsize=8)
def template_environment(templates_dir: Path) -> ImmutableSandboxedEnvironment:
    """The strict, sandboxed Jinja environment over ``templates_dir`` (built once per folder and process)."""

    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir), encoding="utf-8"),
        bytecode_cache=_bytecode_cache(),
        **OPTIONS,
    )
    env.filters.update({"cn": int_to_chinese, "sentence": sentence, "body": body})
    return env


def _bytecode_cache() -> _KeptCode | None:
    """Compiled templates kept in Drafter's cache (Jinja checks each against its template's text and its own
    version when loading it): a new process skips compiling them. ``None`` when the folder cannot be made."""
    settings = repr(
        (ImmutableSandboxedEnvironment.__name__, sorted((k, repr(v)) for k, v in OPTIONS.items()))
    )
    try:
        folder = cache_dir() / f"templates-{hashlib.sha256(settings.encode()).hexdigest()[:12]}"
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return _KeptCode(str(folder))


class _KeptCode(FileSystemBytecodeCache):
    """Jinja's file cache that never fails a render: a file it cannot read (damaged, truncated, unreadable)
    is compiled again, and one it cannot write is not kept."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unpickling a damaged file fails in many ways
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def render_outline(templates_dir: Path, name: str, context: Mapping[str, Any]) -> str:
    """The outline text template ``name`` renders for ``context``."""

    env = template_environment(templates_dir.resolve())
    try:
        template = env.get_template(name)
    except TemplateNotFound as exc:
        raise NotFoundError(
            f"找不到模板 {templates_dir / name}：请确认 templates/ 目录完整（annual/half/plan 三个模板）。"
        ) from exc
    return template.render(dict(context))


@dataclass
class _Node:
    level: int
    number: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def freeze(self) -> DraftNode:
        return DraftNode(
            level=self.level,
            number=self.number,
            heading=self.heading,
            paragraphs=tuple(self.paragraphs),
            children=tuple(child.freeze() for child in self.children),
        )


@dataclass(frozen=True)
class Outline:
    """What a template rendered: title, preamble, numbered nodes, closing, signature and date."""

    title: str
    preamble: tuple[str, ...]
    nodes: tuple[DraftNode, ...]
    closing: tuple[str, ...]
    signature: str | None
    date: str | None


def parse_outline_text(text: str) -> Outline:
    """The ``Outline`` of a template's rendered text (format in this module's docstring)."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError("the template rendered no text")
    title, body = lines[0], lines[1:]
    preamble: list[str] = []
    closing: list[str] = []
    signature: str | None = None
    date: str | None = None
    roots: list[_Node] = []
    stack: list[_Node] = []
    for line in body:
        if BODY_MARK in line:
            text = line.replace(BODY_MARK, "").strip()
            if text:
                (stack[-1].paragraphs if stack else preamble).append(text)
            continue
        directive = RE_DIRECTIVE.match(line)
        if directive:
            value = directive["text"].strip()
            if directive["name"] == "结语" and value:
                closing.append(value)
            elif directive["name"] == "署名":
                signature = value or None
            elif directive["name"] == "日期":
                date = value or None
            continue
        heading = RE_HEADING.match(line)
        if heading and line[heading.end() :].strip():
            level = next(i for i, key in enumerate(("l1", "l2", "l3", "l4"), 1) if heading[key])
            node = _Node(level, heading.group(0), line[heading.end() :].strip())
            while stack and stack[-1].level >= level:
                stack.pop()
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        elif stack:
            stack[-1].paragraphs.append(line)
        else:
            preamble.append(line)
    return Outline(
        title=title,
        preamble=tuple(preamble),
        nodes=tuple(node.freeze() for node in roots),
        closing=tuple(closing),
        signature=signature,
        date=date,
    )
