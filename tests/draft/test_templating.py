"""The strict sandboxed template environment and the outline text templates render."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import UndefinedError
from jinja2.exceptions import SecurityError

from drafter.draft.templating import (
    parse_outline_text,
    render_outline,
    sentence,
    template_environment,
)
from drafter.errors import NotFoundError
from drafter.resources import cache_dir


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("新认定高企162家", "新认定高企162家。"),
        ("已有句号。", "已有句号。"),
        ("问号？", "问号？"),
        ("分号结尾；", "分号结尾；"),
        ("引号“结尾。”", "引号“结尾。”"),
        ("括号（含8家）", "括号（含8家）。"),
        ("", ""),
    ],
)
def test_sentence_adds_a_full_stop_only_when_missing(text: str, expected: str) -> None:
    assert sentence(text) == expected


def write(folder: Path, name: str, source: str) -> Path:
    (folder / name).write_text(source, encoding="utf-8")
    return folder


def test_user_text_is_data_never_template_source(tmp_path: Path) -> None:
    folder = write(tmp_path, "t.j2", "标题\n{{ note }}\n")
    assert render_outline(folder, "t.j2", {"note": "{{ 7*7 }}{% raw %}"}) == "标题\n{{ 7*7 }}{% raw %}"


def test_a_missing_variable_fails_loudly(tmp_path: Path) -> None:
    folder = write(tmp_path, "t.j2", "{{ nothing }}")
    with pytest.raises(UndefinedError):
        render_outline(folder, "t.j2", {})


def test_templates_cannot_reach_python_internals(tmp_path: Path) -> None:
    folder = write(tmp_path, "t.j2", "{{ items.append(1) }}{{ ''.__class__.__mro__ }}")
    with pytest.raises(SecurityError):
        render_outline(folder, "t.j2", {"items": []})


def test_the_environment_is_built_once_per_folder(tmp_path: Path) -> None:
    assert template_environment(tmp_path) is template_environment(tmp_path)


def test_an_edited_template_is_rendered_from_its_new_text(tmp_path: Path) -> None:
    """Compiled templates are kept in the cache between runs; a template edited since renders as edited."""
    write(tmp_path, "t.txt.j2", "旧标题{{ n }}")
    assert render_outline(tmp_path, "t.txt.j2", {"n": 1}) == "旧标题1"
    assert list(cache_dir().glob("templates-*/__jinja2_*.cache"))
    write(tmp_path, "t.txt.j2", "新标题{{ n }}")
    template_environment.cache_clear()  # a new process
    assert render_outline(tmp_path, "t.txt.j2", {"n": 1}) == "新标题1"


def test_a_damaged_template_cache_changes_nothing(tmp_path: Path) -> None:
    context = {"n": 2}
    write(tmp_path, "t.txt.j2", "标题\n一、第{{ n | cn }}项")
    first = render_outline(tmp_path, "t.txt.j2", context)
    kept = list(cache_dir().glob("templates-*/__jinja2_*.cache"))
    assert kept
    for path in kept:
        path.write_bytes(path.read_bytes()[:20])  # cut inside what Jinja unpickles after its header
    template_environment.cache_clear()  # a new process
    assert render_outline(tmp_path, "t.txt.j2", context) == first == "标题\n一、第二项"


def test_a_missing_template_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="找不到模板"):
        render_outline(tmp_path, "annual.txt.j2", {})


def test_outline_text_becomes_a_tree() -> None:
    outline = parse_outline_text(
        "\n".join(
            [
                "某局2025年工作总结",
                "导语。",
                "一、主要工作",
                "（一）聚焦企业培育，优化产业生态",
                "引导句。",
                "一是新认定高企162家。",
                "（二）聚焦人才",
                "1.小标题",
                "（1）更小的标题",
                "正文。",
                "二、工作思路",
                "@结语 结束语。",
                "@署名 某局",
                "@日期 2025年12月20日",
            ]
        )
    )
    assert outline.title == "某局2025年工作总结"
    assert outline.preamble == ("导语。",)
    first, second = outline.nodes
    assert (first.level, first.number, first.heading) == (1, "一、", "主要工作")
    assert [c.heading for c in first.children] == ["聚焦企业培育，优化产业生态", "聚焦人才"]
    assert first.children[0].paragraphs == ("引导句。", "一是新认定高企162家。")
    deep = first.children[1].children[0]
    assert (deep.level, deep.number) == (3, "1.")
    assert (deep.children[0].level, deep.children[0].paragraphs) == (4, ("正文。",))
    assert (second.number, second.heading, second.children) == ("二、", "工作思路", ())
    assert (outline.closing, outline.signature, outline.date) == (("结束语。",), "某局", "2025年12月20日")


def test_empty_signature_and_date_directives_mean_none() -> None:
    outline = parse_outline_text("标题\n@署名 \n@日期\n")
    assert (outline.signature, outline.date) == (None, None)


def test_a_bare_number_is_not_a_heading() -> None:
    outline = parse_outline_text("标题\n一、\n正文")
    assert outline.nodes == ()
    assert outline.preamble == ("一、", "正文")
