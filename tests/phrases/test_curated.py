"""The curated file: additions first and marked curated, bans applied, errors that name the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.errors import DrafterError
from drafter.models import Example, OpenerFamily, Phrase, PhraseBank
from drafter.phrases.curated import Ban, Curated, CuratedFileError, apply_curated, load_curated, parse_curated


def phrase(category: str, pattern: str, count: int = 5, docs: int = 3) -> Phrase:
    return Phrase(category, pattern, count, docs, (Example(pattern, "d1", "报告"),), "mined", 0.5)  # type: ignore[arg-type]


BANK = PhraseBank(
    phrases=(
        phrase("clause_frame", "加强{X}，{Y}", 40, 10),
        phrase("clause_frame", "新增{X}", 20, 5),
        phrase("result", "{X}取得新突破", 6, 4),
        phrase("figure_frame", "同比增长{N}%", 9, 5),
    ),
    families=(
        OpenerFamily("summary", "聚焦", "聚焦{X}，{Y}", 2, 2),
        OpenerFamily("plan", "加强", "加强{X}，{Y}", 2, 2),
    ),
)


def test_the_shipped_curated_file_loads() -> None:
    curated = load_curated()
    assert curated.add, "the shipped file adds phrases a miner cannot find (three-part frames)"
    assert all(p.source == "curated" for p in curated.add)


def test_added_phrases_come_first_and_borrow_mined_evidence() -> None:
    curated = parse_curated(
        """
add:
  - category: result
    pattern: "{X}取得新突破"
  - category: clause_frame
    pattern: 为{X}提供{Y}支撑
    examples: [为全区高质量发展提供坚实的科技支撑]
"""
    )
    bank = apply_curated(BANK, curated)
    first, second = bank.phrases[:2]
    assert (first.pattern, first.source, first.count, first.docs) == ("{X}取得新突破", "curated", 6, 4)
    assert first.examples == BANK.phrases[2].examples
    assert (second.pattern, second.source, second.count) == ("为{X}提供{Y}支撑", "curated", 0)
    assert second.examples[0].text == "为全区高质量发展提供坚实的科技支撑"
    assert [p.pattern for p in bank.phrases].count("{X}取得新突破") == 1


@pytest.mark.parametrize(
    ("ban", "gone"),
    [
        (Ban(pattern="新增{X}"), {"新增{X}"}),
        (Ban(contains="{X}，{Y}"), {"加强{X}，{Y}"}),
        (Ban(contains="{X}", category="result"), {"{X}取得新突破"}),
        (Ban(pattern="新增{X}", category="result"), set()),  # wrong category: nothing banned
    ],
)
def test_bans_remove_mined_phrases(ban: Ban, gone: set[str]) -> None:
    bank = apply_curated(BANK, Curated(ban=(ban,)))
    assert {p.pattern for p in BANK.phrases} - {p.pattern for p in bank.phrases} == gone


def test_bans_reach_families_and_curated_families_lead() -> None:
    curated = Curated(
        ban=(Ban(pattern="加强{X}，{Y}"),),
        families=(OpenerFamily("plan", "实施…工程", "实施{X}工程", 0, 0, source="curated"),),
    )
    bank = apply_curated(BANK, curated)
    assert [f.family for f in bank.families_for("plan")] == ["实施…工程"]
    assert [f.family for f in bank.families_for("summary")] == ["聚焦"]


def test_applying_twice_changes_nothing_and_a_removed_addition_disappears() -> None:
    curated = parse_curated("add:\n  - category: closing\n    pattern: 为{X}作出新的更大贡献\n")
    once = apply_curated(BANK, curated)
    assert apply_curated(once, curated) == once
    assert apply_curated(once, Curated()) == BANK


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("add: 5", "add（第1行）"),
        ("add:\n  - pattern: 加强{X}\n", "add[0]（第2行）"),
        ("add:\n  - category: opener\n    pattern: 加强{X}\n", "add[0].category（第2行）"),
        ('add:\n  - category: result\n    pattern: "{Z}好"\n', "add[0].pattern（第3行）"),
        ("ban:\n  - category: result\n", "ban[0]（第2行）"),
        ("families:\n  - part: middle\n    family: a\n    pattern: a{X}\n", "families[0].part（第2行）"),
        ("version: 2\n", "version（第1行）"),
        ("adds: []\n", "文件顶层（第1行）"),
        ("add: [\n", "第2行"),
    ],
)
def test_a_malformed_file_names_the_file_the_field_and_the_line(text: str, where: str) -> None:
    with pytest.raises(CuratedFileError) as info:
        parse_curated(text, "phrasebank/curated.yaml")
    message = str(info.value)
    assert message.startswith("phrasebank/curated.yaml：")
    assert where in message
    assert isinstance(info.value, DrafterError)


def test_a_missing_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(CuratedFileError, match="文件不存在"):
        load_curated(tmp_path / "nope.yaml")
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert load_curated(empty) == Curated()
