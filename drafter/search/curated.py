"""The two curated tables of other wordings an IT person edits in ``phrasebank/``, read and checked.

- ``synonyms.yaml``, the 口径 table: groups of wordings of one thing, the report's 口径 term first; a query
  saying any wording of a group also searches the others.
- ``everyday.yaml``, the everyday words: what a resident or a new clerk says (大夫, 乡下, 娃娃) → what the
  reports write (医务人员, 农村, 儿童). One way only: a query in the report's words is not widened to
  everyday words, which the reports do not use.

Both are parsed once into Drafter's cache as JSON and read from there until the file changes (parsing the
YAML costs a cold command 0.1-0.2 s). ``drafter.search.expansion`` applies them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from drafter.errors import DrafterError
from drafter.resources import bundled_dir
from drafter.text.dictionary import derived_lists

EverydayEntry = tuple[tuple[str, ...], tuple[str, ...]]
"""An everyday entry: (the reports' wordings, the everyday wordings that bring them in)."""


class SynonymFileError(DrafterError):
    """A curated table (the 口径 table or the everyday words) cannot be read or has an invalid entry."""


def synonyms_path() -> Path:
    """The shipped 口径 table."""
    return bundled_dir("phrasebank") / "synonyms.yaml"


def everyday_path() -> Path:
    """The shipped everyday-words table."""
    return bundled_dir("phrasebank") / "everyday.yaml"


def load_synonyms(path: Path | None = None) -> tuple[tuple[str, ...], ...]:
    """The groups of the curated table at ``path`` (default the shipped one; none when the file is absent)."""
    path = path or synonyms_path()
    if not path.is_file():
        return ()
    groups = derived_lists("synonyms", path, lambda: [list(g) for g in _read_synonyms(path)])
    return tuple(tuple(g) for g in groups)


def load_everyday(path: Path | None = None) -> tuple[EverydayEntry, ...]:
    """The entries of the everyday-words table at ``path`` (default the shipped one; none when absent)."""
    path = path or everyday_path()
    if not path.is_file():
        return ()
    # Kept in the cache as one list per entry: the number of report wordings, then every wording.
    rows = derived_lists("everyday", path, lambda: [[str(len(r)), *r, *s] for r, s in _read_everyday(path)])
    return tuple((tuple(row[1 : int(row[0]) + 1]), tuple(row[int(row[0]) + 1 :])) for row in rows)


def _parse(path: Path, what: str) -> Any:
    try:
        # libyaml's safe loader when PyYAML has it: the same data, a tenth of the pure-Python parser's time.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SynonymFileError(
            f"{path}：无法读取{what}（{exc}）。请检查文件是否为 UTF-8 编码的 YAML。"
        ) from exc


def _wordings(value: object) -> tuple[str, ...] | None:
    """``value`` as a list of wordings of two or more characters, or None when it is not one."""
    if not isinstance(value, list) or not value:
        return None
    if not all(isinstance(w, str) and len(w.strip()) >= 2 for w in value):
        return None
    return tuple(dict.fromkeys(w.strip() for w in value))


def _read_synonyms(path: Path) -> tuple[tuple[str, ...], ...]:
    """The groups of the table at ``path``, parsed and checked (a clear Chinese message when one is invalid)."""
    data = _parse(path, "口径表")
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise SynonymFileError(f"{path}：缺少 groups 列表。请按文件开头的说明，每组写成 [说法一, 说法二]。")
    out: list[tuple[str, ...]] = []
    for number, group in enumerate(groups, 1):
        wordings = _wordings(group)
        if wordings is None or len(group) < 2:
            raise SynonymFileError(
                f"{path}：第 {number} 组 {group!r} 无效。每组须是两个以上说法的列表，每个说法至少两个字，"
                "如 [复工复产, 恢复生产]。"
            )
        out.append(wordings)
    return tuple(out)


def _read_everyday(path: Path) -> tuple[EverydayEntry, ...]:
    """The entries of the everyday table at ``path``, parsed and checked."""
    data = _parse(path, "日常说法表")
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SynonymFileError(
            f"{path}：缺少 entries 列表。请按文件开头的说明，每条写成 "
            "{reports: [报告写法], everyday: [日常说法]}。"
        )
    out: list[EverydayEntry] = []
    for number, entry in enumerate(entries, 1):
        reports = _wordings(entry.get("reports")) if isinstance(entry, dict) else None
        said = _wordings(entry.get("everyday")) if isinstance(entry, dict) else None
        if reports is None or said is None:
            raise SynonymFileError(
                f"{path}：第 {number} 条 {entry!r} 无效。每条须写 reports（报告写法）和 everyday（日常说法）"
                "两个列表，每个说法至少两个字，如 {reports: [医务人员], everyday: [大夫]}。"
            )
        out.append((reports, tuple(w for w in said if w not in reports)))
    return tuple(out)
