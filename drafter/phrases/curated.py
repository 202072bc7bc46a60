"""The curated phrase file: a bureau's own additions and bans, which mining never overwrites.

``phrasebank/curated.yaml`` (see the shipped file for the commented format) holds three lists:
``add`` (phrases with category and pattern, optionally family, label, unit and examples), ``families``
(parallel opener families with part, family and pattern) and ``ban`` (by exact ``pattern`` or by
``contains``, optionally limited to one ``category``). Applying it to a bank removes banned phrases
and families and puts the added ones first, marked ``source: curated``; a mined phrase with the same
category and pattern lends its counts and examples. Applying is idempotent: curated entries already in
a bank are replaced by the file's current ones. The jieba user dictionary beside it
(``phrasebank/userdict.txt``) is curated too and read by ``drafter.text.tokens``.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import yaml

from drafter.errors import DrafterError
from drafter.models import PHRASE_CATEGORIES, Example, OpenerFamily, Phrase, PhraseBank, PhraseCategory
from drafter.resources import bundled_dir

CURATED_VERSION = 1
RE_SLOT = re.compile(r"\{([^{}]*)\}")
SLOTS = frozenset({"X", "Y", "N"})
TOP_KEYS = ("version", "add", "families", "ban")


class CuratedFileError(DrafterError):
    """The curated phrase file cannot be read or has an invalid entry."""

    def __init__(self, path: str, where: str, problem: str, fix: str) -> None:
        super().__init__(f"{path}：{where}{problem}。{fix}")
        self.path = path
        self.where = where


@dataclass(frozen=True)
class Ban:
    """A ban: an exact pattern or a substring, optionally in one category only."""

    pattern: str | None = None
    contains: str | None = None
    category: PhraseCategory | None = None

    def matches(self, category: str, pattern: str) -> bool:
        """True when a phrase of ``category`` with ``pattern`` is banned by this entry."""
        if self.category is not None and self.category != category:
            return False
        if self.pattern is not None and self.pattern != pattern:
            return False
        return self.contains is None or self.contains in pattern


@dataclass(frozen=True)
class Curated:
    """The parsed curated file: phrases to add, families to add, and bans."""

    add: tuple[Phrase, ...] = ()
    families: tuple[OpenerFamily, ...] = ()
    ban: tuple[Ban, ...] = ()

    def banned(self, category: str, pattern: str) -> bool:
        """True when any ban matches a phrase of ``category`` with ``pattern``."""
        return any(b.matches(category, pattern) for b in self.ban)


def default_curated_path() -> Path:
    """The shipped curated file ``phrasebank/curated.yaml``."""

    return bundled_dir("phrasebank") / "curated.yaml"


def load_curated(path: Path | None = None) -> Curated:
    """The curated file at ``path`` (default: the shipped one); an empty file is an empty ``Curated``."""
    path = path or default_curated_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CuratedFileError(
            str(path), "", "文件不存在", "请检查路径，或删除该参数以使用随程序提供的文件"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CuratedFileError(
            str(path), "", f"无法读取（{exc}）", "请确认它是 UTF-8 编码的 YAML 文本文件"
        ) from exc
    return parse_curated(text, str(path))


def parse_curated(text: str, source: str = "curated.yaml") -> Curated:
    """The ``Curated`` of YAML ``text``; ``source`` names the file in error messages."""

    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行：" if mark is not None else ""
        raise CuratedFileError(
            source, where, "不是合法的 YAML", "请检查缩进和冒号，或对照随程序提供的示例"
        ) from exc
    if root is None:
        return Curated()
    reader = _Reader(source)
    top = reader.mapping(root, "文件顶层", TOP_KEYS)
    if "version" in top and reader.scalar(top["version"], "version") != str(CURATED_VERSION):
        reader.fail(top["version"], "version", f"版本应为 {CURATED_VERSION}", "请把 version 改为 1")
    add = tuple(reader.phrase(node, f"add[{i}]") for i, node in enumerate(reader.sequence(top, "add")))
    families = tuple(
        reader.family(node, f"families[{i}]") for i, node in enumerate(reader.sequence(top, "families"))
    )
    ban = tuple(reader.ban(node, f"ban[{i}]") for i, node in enumerate(reader.sequence(top, "ban")))
    return Curated(add=add, families=families, ban=ban)


def _compose(text: str) -> yaml.Node | None:
    """The YAML nodes of ``text``, composed by libyaml when PyYAML has it (the same nodes and lines in a
    fraction of the time); a text libyaml refuses is composed again in Python, for the error's line."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        with contextlib.suppress(yaml.YAMLError):
            return yaml.compose(text, Loader=loader)
    return yaml.compose(text)


class _Reader:
    """Reads YAML nodes into curated entries, failing with the file, field and line."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: object, where: str, problem: str, fix: str) -> None:
        mark = getattr(node, "start_mark", None)
        line = f"（第{mark.line + 1}行）" if mark is not None else ""
        raise CuratedFileError(self.source, f"{where}{line}：", problem, fix)

    def mapping(self, node: object, where: str, allowed: tuple[str, ...]) -> dict[str, object]:

        if not isinstance(node, yaml.MappingNode):
            self.fail(node, where, "应为“键: 值”的映射", "请按示例文件的格式书写")
        assert isinstance(node, yaml.MappingNode)
        out: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key not in allowed:
                self.fail(key_node, where, f"不认识的字段“{key}”", f"可用字段：{'、'.join(allowed)}")
            out[key] = value_node
        return out

    def sequence(self, top: dict[str, object], key: str) -> list[object]:

        node = top.get(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, key, "应为列表（每项以“- ”开头）", "请参照示例文件书写")
        assert isinstance(node, yaml.SequenceNode)
        return list(node.value)

    def scalar(self, node: object, where: str) -> str:

        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.fail(node, where, "应为非空文字", "请填写内容或删除该字段")
        assert isinstance(node, yaml.ScalarNode)
        return str(node.value).strip()

    def optional(self, fields: dict[str, object], key: str, where: str) -> str | None:
        return self.scalar(fields[key], f"{where}.{key}") if key in fields else None

    def category(self, node: object, where: str) -> PhraseCategory:
        value = self.scalar(node, where)
        for category in PHRASE_CATEGORIES:
            if category == value:
                return category
        self.fail(node, where, f"类别“{value}”不存在", f"可用类别：{'、'.join(PHRASE_CATEGORIES)}")
        raise AssertionError  # fail() always raises

    def pattern(self, node: object, where: str) -> str:
        value = self.scalar(node, where)
        bad = [s for s in RE_SLOT.findall(value) if s not in SLOTS]
        if bad:
            self.fail(
                node, where, f"句式中的占位符“{{{bad[0]}}}”无效", "只能使用 {X}、{Y}（文字）和 {N}（数字）"
            )
        return value

    def phrase(self, node: object, where: str) -> Phrase:
        allowed = ("category", "pattern", "family", "label", "unit", "examples")
        fields = self.mapping(node, where, allowed)
        for required in ("category", "pattern"):
            if required not in fields:
                self.fail(node, where, f"缺少 {required}", f"请为这一条写上 {required}")
        examples: tuple[Example, ...] = ()
        if "examples" in fields:
            items = self.sequence(fields, "examples")
            examples = tuple(
                Example(self.scalar(item, f"{where}.examples[{i}]"), "curated", "人工维护")
                for i, item in enumerate(items)
            )
        return Phrase(
            category=self.category(fields["category"], f"{where}.category"),
            pattern=self.pattern(fields["pattern"], f"{where}.pattern"),
            count=0,
            docs=0,
            examples=examples,
            source="curated",
            score=1.0,
            family=self.optional(fields, "family", where),
            label=self.optional(fields, "label", where),
            unit=self.optional(fields, "unit", where),
        )

    def family(self, node: object, where: str) -> OpenerFamily:
        fields = self.mapping(node, where, ("part", "family", "pattern"))
        for required in ("part", "family", "pattern"):
            if required not in fields:
                self.fail(node, where, f"缺少 {required}", f"请为这一条写上 {required}")
        part = self.scalar(fields["part"], f"{where}.part")
        if part not in ("summary", "plan"):
            self.fail(
                fields["part"], f"{where}.part", f"“{part}”无效", "part 只能是 summary（总结）或 plan（计划）"
            )
        served: Literal["summary", "plan"] = "summary" if part == "summary" else "plan"
        return OpenerFamily(
            part=served,
            family=self.scalar(fields["family"], f"{where}.family"),
            pattern=self.pattern(fields["pattern"], f"{where}.pattern"),
            docs=0,
            parallel_parts=0,
            source="curated",
        )

    def ban(self, node: object, where: str) -> Ban:
        fields = self.mapping(node, where, ("pattern", "contains", "category"))
        if "pattern" not in fields and "contains" not in fields:
            self.fail(
                node,
                where,
                "缺少 pattern 或 contains",
                "请写明要屏蔽的完整句式（pattern）或其中的文字（contains）",
            )
        category = self.category(fields["category"], f"{where}.category") if "category" in fields else None
        return Ban(
            pattern=self.optional(fields, "pattern", where),
            contains=self.optional(fields, "contains", where),
            category=category,
        )


def _family_category(family: OpenerFamily) -> PhraseCategory:
    return "summary_opener" if family.part == "summary" else "plan_opener"


def apply_curated(bank: PhraseBank, curated: Curated) -> PhraseBank:
    """``bank`` without banned entries and with the curated ones first (``source: curated``)."""
    mined = [p for p in bank.phrases if p.source == "mined" and not curated.banned(p.category, p.pattern)]
    evidence = {(p.category, p.pattern): p for p in mined}
    added: list[Phrase] = []
    for wanted in curated.add:
        found = evidence.pop((wanted.category, wanted.pattern), None)
        lent = wanted.examples or (found.examples if found else ())
        added.append(
            replace(wanted, count=found.count, docs=found.docs, examples=lent)
            if found is not None
            else wanted
        )
    taken = {(p.category, p.pattern) for p in added}
    kept = [p for p in mined if (p.category, p.pattern) not in taken]
    families = [
        f
        for f in bank.families
        if f.source == "mined"
        and not curated.banned(_family_category(f), f.pattern)
        and not curated.banned(_family_category(f), f.family)
    ]
    curated_families = list(curated.families)
    known = {(f.part, f.family) for f in curated_families}
    return PhraseBank(
        phrases=tuple(added + kept),
        families=tuple(curated_families + [f for f in families if (f.part, f.family) not in known]),
        collocations=bank.collocations,
        leads=bank.leads,
    )
