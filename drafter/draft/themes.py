"""Themes of a report's sections: the default lists by bureau type, and where an untagged figure belongs.

The lists live in ``templates/themes.yaml`` (an IT person edits them there): for each bureau type the words
that recognise it in a unit's name, its default themes in order, each theme's vocabulary, the result clause
its heading may carry (聚焦科技企业培育，**优化科技产业生态**) and the lead sentence of its section.
A figure or highlight without a theme goes to the theme whose name and vocabulary share most with it —
whole vocabulary words count most, then character bigrams, then the context of the phrase bank's figure
frames that carry the same indicator; a writer's own themes win ties.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from drafter.errors import DrafterError, FieldProblem, FormError
from drafter.models import Phrase
from drafter.text.tokens import char_bigrams

THEMES_FILE = "themes.yaml"
WORD_WEIGHT = 3.0
FRAME_WEIGHT = 0.25
OWN_THEME_BONUS = 0.5
SIMILAR_THEME = 0.4
"""Bigram overlap (of the shorter name) from which a writer's theme borrows a listed theme's settings."""


class ThemeFileError(DrafterError):
    """``templates/themes.yaml`` is malformed."""


@dataclass(frozen=True)
class Theme:
    """A section theme with its vocabulary and heading/lead phrasing (None: use the defaults)."""

    name: str
    words: tuple[str, ...] = ()
    result: str | None = None
    plan_result: str | None = None
    lead: str | None = None
    plan_lead: str | None = None


@dataclass(frozen=True)
class Bureau:
    """A bureau type: how its unit names read, its default themes and the theme for what fits nowhere."""

    name: str
    match: tuple[str, ...]
    fallback: str
    themes: tuple[Theme, ...]

    def theme(self, name: str) -> Theme | None:
        """The listed theme called ``name``, or the most similar one (``None`` when none is close)."""
        best: tuple[float, Theme | None] = (0.0, None)
        for theme in self.themes:
            if theme.name == name:
                return theme
            score = _name_similarity(name, theme)
            if score > best[0]:
                best = (score, theme)
        return best[1] if best[0] >= SIMILAR_THEME else None


@dataclass(frozen=True)
class ThemeCatalog:
    """Every bureau type of ``themes.yaml`` and the default lead sentences."""

    bureaus: tuple[Bureau, ...]
    default_bureau: str
    default_lead: str
    default_plan_lead: str

    def bureau_for(self, unit: str, bureau_type: str | None = None) -> Bureau:
        """The bureau type named by ``bureau_type``, else recognised in ``unit``, else the default one."""
        by_name = {b.name: b for b in self.bureaus}
        if bureau_type is not None:
            if bureau_type not in by_name:
                allowed = "、".join(by_name)
                problem = FieldProblem("bureau_type", f"未知的单位类型“{bureau_type}”，可选：{allowed}")
                raise FormError([problem])
            return by_name[bureau_type]
        best: tuple[int, Bureau | None] = (0, None)
        for bureau in self.bureaus:
            length = max((len(word) for word in bureau.match if word in unit), default=0)
            if length > best[0]:
                best = (length, bureau)
        return best[1] or by_name[self.default_bureau]

    def lead(self, theme: Theme | None, name: str, *, plan: bool) -> str:
        """The lead sentence of a section on ``name`` (the theme's own, else the default with the name)."""
        own = (theme.plan_lead if plan else theme.lead) if theme else None
        pattern = own or (self.default_plan_lead if plan else self.default_lead)
        return pattern.replace("{theme}", name)


def _name_similarity(name: str, theme: Theme) -> float:
    if any(word in name for word in (theme.name, *theme.words) if len(word) >= 2):
        return 1.0
    mine, theirs = set(char_bigrams(name)), set(char_bigrams(theme.name))
    if not mine or not theirs:
        return 0.0
    return len(mine & theirs) / min(len(mine), len(theirs))


def _strings(value: object, where: str, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ThemeFileError(f"{path}：{where} 应为文字列表，例如 [高新技术企业, 科技型中小企业]。")
    return tuple(v.strip() for v in value if v.strip())


def _optional(value: object, where: str, path: Path) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ThemeFileError(f"{path}：{where} 应为一句文字。")
    return value.strip() or None


def _theme(raw: object, where: str, path: Path) -> Theme:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        raise ThemeFileError(
            f"{path}：{where} 应为带 name 的映射，例如 {{name: 科技企业培育, words: [高企]}}。"
        )
    unknown = set(raw) - {"name", "words", "result", "plan_result", "lead", "plan_lead"}
    if unknown:
        raise ThemeFileError(f"{path}：{where} 有未知字段 {'、'.join(sorted(unknown))}，可能是拼写错误。")
    return Theme(
        name=raw["name"].strip(),
        words=_strings(raw.get("words"), f"{where}.words", path),
        result=_optional(raw.get("result"), f"{where}.result", path),
        plan_result=_optional(raw.get("plan_result"), f"{where}.plan_result", path),
        lead=_optional(raw.get("lead"), f"{where}.lead", path),
        plan_lead=_optional(raw.get("plan_lead"), f"{where}.plan_lead", path),
    )


def _bureau(name: str, raw: object, path: Path) -> Bureau:
    where = f"bureaus.{name}"
    if not isinstance(raw, dict) or not isinstance(raw.get("themes"), list) or not raw["themes"]:
        raise ThemeFileError(f"{path}：{where} 应含 themes 列表（至少一个主题）。")
    themes = tuple(_theme(t, f"{where}.themes[{i}]", path) for i, t in enumerate(raw["themes"]))
    fallback = _optional(raw.get("fallback"), f"{where}.fallback", path) or themes[-1].name
    return Bureau(name, _strings(raw.get("match"), f"{where}.match", path), fallback, themes)


def parse_theme_catalog(data: Any, path: Path) -> ThemeCatalog:
    """The ``ThemeCatalog`` of a parsed ``themes.yaml``; raises ``ThemeFileError`` naming the field."""
    if not isinstance(data, dict) or not isinstance(data.get("bureaus"), dict) or not data["bureaus"]:
        raise ThemeFileError(f"{path}：应含 bureaus 映射（单位类型 → 主题设置）。")
    bureaus = tuple(_bureau(str(name), raw, path) for name, raw in data["bureaus"].items())
    default = data.get("default_bureau", bureaus[-1].name)
    if default not in {b.name for b in bureaus}:
        raise ThemeFileError(f"{path}：default_bureau “{default}” 不在 bureaus 中。")
    lead = _optional(data.get("default_lead"), "default_lead", path) or "围绕{theme}，扎实推进各项工作。"
    plan_lead = _optional(data.get("default_plan_lead"), "default_plan_lead", path) or lead
    return ThemeCatalog(bureaus, str(default), lead, plan_lead)


@lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int) -> ThemeCatalog:

    try:
        # libyaml's safe loader when PyYAML has it: the same data in a fraction of the pure-Python time.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeFileError(f"{path}：无法读取主题文件（{exc}），请检查 templates/ 目录。") from exc
    except yaml.YAMLError as exc:
        raise ThemeFileError(f"{path}：不是有效的 YAML，请检查缩进和冒号。") from exc
    return parse_theme_catalog(data, path)


def load_theme_catalog(templates_dir: Path) -> ThemeCatalog:
    """The catalog in ``templates_dir/themes.yaml`` (re-read only when the file changes)."""
    path = (templates_dir / THEMES_FILE).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise ThemeFileError(f"{path}：找不到主题文件，请确认 templates/ 目录完整。") from exc
    return _load(path, mtime)


# --- placement ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A theme an untagged item may go to: its name, vocabulary, and whether the writer named it."""

    name: str
    words: tuple[str, ...]
    own: bool

    def bag(self) -> frozenset[str]:
        """Character bigrams of the name and the vocabulary."""
        return _bag((self.name, *self.words))


@lru_cache(maxsize=4096)
def bigram_set(text: str) -> frozenset[str]:
    """The character bigrams of ``text`` as a set (kept: the same labels and themes come back every draft)."""
    return frozenset(char_bigrams(text))


@lru_cache(maxsize=1024)
def _bag(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(g for text in texts for g in bigram_set(text))


def candidates(own_themes: Sequence[str], bureau: Bureau) -> list[Candidate]:
    """The writer's themes (borrowing a similar listed theme's vocabulary) followed by the bureau's."""
    out: list[Candidate] = []
    for name in own_themes:
        listed = bureau.theme(name)
        out.append(Candidate(name, listed.words if listed else (), own=True))
    taken = {c.name for c in out}
    out.extend(Candidate(t.name, t.words, own=False) for t in bureau.themes if t.name not in taken)
    return out


def frame_context(text: str, frames: Iterable[Phrase], *, limit: int = 3) -> frozenset[str]:
    """Bigrams of the example sentences of the figure frames whose indicator resembles ``text``."""
    mine = bigram_set(text)
    if not mine:
        return frozenset()
    scored: list[tuple[float, Phrase]] = []
    for frame in frames:
        theirs = bigram_set(frame.label or "")
        if theirs:
            overlap = len(mine & theirs) / min(len(mine), len(theirs))
            if overlap >= 0.6:
                scored.append((overlap, frame))
    scored.sort(key=lambda pair: -pair[0])
    return frozenset(g for _, frame in scored[:limit] for ex in frame.examples for g in char_bigrams(ex.text))


def theme_score(text: str, candidate: Candidate, context: frozenset[str] = frozenset()) -> float:
    """How well ``text`` fits ``candidate``: vocabulary words, shared bigrams, frame context, own bonus."""
    words = sum(WORD_WEIGHT for w in (candidate.name, *candidate.words) if len(w) >= 2 and w in text)
    bag = candidate.bag()
    score = words + len(bigram_set(text) & bag) + FRAME_WEIGHT * len(context & bag)
    return score + OWN_THEME_BONUS if score > 0 and candidate.own else score


def place(text: str, options: Sequence[Candidate], fallback: str, frames: Iterable[Phrase] = ()) -> str:
    """The theme ``text`` (an indicator or a highlight) belongs to; ``fallback`` when nothing fits."""
    context = frame_context(text, frames)
    best: tuple[float, str] = (0.0, fallback)
    for candidate in options:
        score = theme_score(text, candidate, context)
        if score > best[0]:
            best = (score, candidate.name)
    return best[1]
