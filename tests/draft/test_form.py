"""The form: validation with field paths and Chinese messages, cleaning, and reading YAML/JSON files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drafter.draft.form import (
    MAX_FIGURES,
    MAX_TEXT,
    Form,
    load_form,
    parse_form,
)
from drafter.errors import FormError
from drafter.text.chars import one_line, strip_illegal
from drafter.text.quantities import format_number
from tests.draft_builders import EXAMPLE_FORMS, KEJI, PLAN, WENLV

MINIMAL: dict[str, Any] = {"unit": "青溪区科学技术局", "year": 2025}


def problems(data: object) -> dict[str, str]:
    """``{path: message}`` of the problems ``parse_form`` reports for ``data``."""
    with pytest.raises(FormError) as caught:
        parse_form(data)
    assert "\n" not in str(caught.value), "a form error must print as one line"
    return {p.path: p.message for p in caught.value.problems}


def test_minimal_form_gets_the_defaults() -> None:
    form = parse_form(MINIMAL)
    assert (form.unit, form.year, form.period) == ("青溪区科学技术局", 2025, "annual")
    assert form.figures == []
    assert form.plans == []
    assert form.signature is None


@pytest.mark.parametrize(
    ("data", "path", "expected"),
    [
        ({"year": 2025}, "unit", "必填"),
        ({"unit": "   ", "year": 2025}, "unit", "不能为空"),
        ({"unit": "科技局"}, "year", "必填"),
        ({"unit": "科技局", "year": "二〇二五"}, "year", "四位数的年份"),
        ({"unit": "科技局", "year": "2025年"}, "year", "不写“年”"),
        ({"unit": "科技局", "year": 25}, "year", "2025"),
        ({"unit": "科技局", "year": 2025.5}, "year", "四位数的年份"),
        ({"unit": "科技局", "year": True}, "year", "四位数的年份"),
        ({**MINIMAL, "period": "weekly"}, "period", "annual（年度总结及思路），half"),
        ({**MINIMAL, "figures": [{"label": "高企", "value": "很多"}]}, "figures[0].value", "应为数字"),
        ({**MINIMAL, "figures": [{"label": "高企", "value": True}]}, "figures[0].value", "true/false"),
        (
            {**MINIMAL, "figures": [{"label": "高企", "value": float("nan")}]},
            "figures[0].value",
            "有限的数字",
        ),
        ({**MINIMAL, "figures": [{"label": "高企", "previous": "去年"}]}, "figures[0].previous", "应为数字"),
        ({**MINIMAL, "figures": [{"value": 3}]}, "figures[0].label", "例如 新认定国家高新技术企业"),
        ({**MINIMAL, "figures": [{"label": "高企", "valeu": 3}]}, "figures[0].valeu", "未知字段"),
        ({**MINIMAL, "figures": "高企 162家"}, "figures", "应为列表"),
        ({**MINIMAL, "figures": ["高企 162家"]}, "figures[0]", "应为键值对"),
        ({**MINIMAL, "highlights": [{"theme": "人才"}]}, "highlights[0].text", "必填"),
        ({**MINIMAL, "problems": ["x" * (MAX_TEXT + 1)]}, "problems[0]", f"最多 {MAX_TEXT} 个字符"),
        ({**MINIMAL, "problems": [""]}, "problems[0]", "不能为空"),
        ({**MINIMAL, "figures": [{"label": "a"}] * (MAX_FIGURES + 1)}, "figures", f"最多 {MAX_FIGURES} 条"),
        ({**MINIMAL, "plans": [{"targets": []}]}, "plans[0].theme", "必填"),
        (
            {**MINIMAL, "plans": [{"theme": "x", "targets": [{"label": "t", "value": "多"}]}]},
            "plans[0].targets[0].value",
            "应为数字",
        ),
        ({**MINIMAL, "colour": "red"}, "colour", "可能是拼写错误"),
    ],
)
def test_every_problem_names_its_field_and_what_is_expected(
    data: dict[str, Any], path: str, expected: str
) -> None:
    found = problems(data)
    assert path in found, found
    assert expected in found[path]


def test_all_problems_are_reported_at_once() -> None:
    found = problems({"year": "明年", "period": "quarterly", "figures": [{"label": "x", "value": "y"}]})
    assert set(found) == {"unit", "year", "period", "figures[0].value"}


@pytest.mark.parametrize("data", [["unit", "year"], "unit: x", 42, None])
def test_a_form_that_is_not_a_mapping_is_refused(data: object) -> None:
    with pytest.raises(FormError, match="键值对"):
        parse_form(data)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("162", 162.0), ("1,234", 1234.0), ("１２.５", 12.5), (" 3.12 ", 3.12), ("", None), (7, 7.0)],
)
def test_numbers_typed_as_text_are_read(raw: object, value: float | None) -> None:
    form = parse_form({**MINIMAL, "figures": [{"label": "x", "value": raw}]})
    assert form.figures[0].value == value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (162.0, "162"),
        (2.5, "2.5"),
        (0.25, "0.25"),
        (1e-5, "0.00001"),
        (-3.0, "-3"),
        (12345678.9, "12345678.9"),
    ],
)
def test_numbers_print_as_writers_write_them(value: float, text: str) -> None:
    assert format_number(value) == text


def test_control_characters_are_stripped_not_fatal() -> None:
    form = parse_form(
        {
            "unit": "青溪区\x00科学技术局",
            "year": 2025,
            "highlights": [{"text": "新认定\x07市级博士\x1b创新站8家\ufffe"}],
            "problems": ["研发\x0c投入不足"],
        }
    )
    assert form.unit == "青溪区科学技术局"
    assert form.highlights[0].text == "新认定市级博士创新站8家"
    assert form.problems == ["研发投入不足"]


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("新认定市级\n博士创新站", "新认定市级博士创新站"),
        ("R&D\r\nintensity", "R&D intensity"),
        ("  前后空白  ", "前后空白"),
        ("制表\t符", "制表 符"),
        ("保留“引号”和｛{ 7*7 }}｝", "保留“引号”和｛{ 7*7 }}｝"),
    ],
)
def test_one_line_joins_breaks_and_keeps_everything_else(raw: str, cleaned: str) -> None:
    assert one_line(raw) == cleaned


def test_strip_illegal_keeps_tabs_newlines_and_chinese() -> None:
    assert strip_illegal("一\t二\n三\x01四\ud800") == "一\t二\n三四"


def test_template_syntax_in_user_text_is_kept_as_data() -> None:
    form = parse_form({**MINIMAL, "highlights": [{"text": "{{ 7*7 }}{% for x in y %}"}]})
    assert form.highlights[0].text == "{{ 7*7 }}{% for x in y %}"


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("2025-12-20", "2025年12月20日"),
        ("2025/1/5", "2025年1月5日"),
        ("二〇二五年十二月", "二〇二五年十二月"),
    ],
)
def test_dates_are_written_the_official_way(raw: str, date: str) -> None:
    assert parse_form({**MINIMAL, "date": raw}).date == date


@pytest.mark.parametrize("path", EXAMPLE_FORMS, ids=[p.name for p in EXAMPLE_FORMS])
def test_every_example_form_loads(path: Path) -> None:
    assert isinstance(load_form(path), Form)


def test_example_forms_cover_the_three_kinds_and_the_figure_cases() -> None:
    keji, wenlv, plan = load_form(KEJI), load_form(WENLV), load_form(PLAN)
    assert (keji.period, wenlv.period, plan.period) == ("annual", "half", "plan")
    assert keji.date == "2025年12月20日"  # YAML reads 2025-12-20 as a date
    figures = keji.figures
    assert len(figures) >= 10
    assert any(f.unit == "%" for f in figures)
    assert any(f.value is not None and f.value == f.previous for f in figures)
    assert any(f.value is not None and f.previous is not None and f.value < f.previous for f in figures)
    assert any(f.previous == 0 for f in figures)
    assert any(f.value is None for f in figures)
    assert any(f.value is not None and f.previous is None for f in figures)
    assert any(f.theme is None for f in figures)
    assert keji.highlights
    assert keji.problems
    assert all(p.targets or p.actions for p in keji.plans)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.yaml", None, "文件不存在"),
        ("bad.yaml", "unit: [unclosed\n", "不是有效的 YAML"),
        ("bad.json", '{"unit": "科技局",}', "不是有效的 JSON"),
        ("list.yaml", "- unit\n- year\n", "键值对"),
        ("empty.yaml", "", "文件是空的"),
        ("words.txt", "这是一段普通的文字，不是表单。", "键值对"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(
    tmp_path: Path, name: str, content: str | None, expected: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_form(path)
    message = str(caught.value)
    assert name in message
    assert expected in message
    assert "\n" not in message


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "form.docx"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(FormError, match="不是文本文件"):
        load_form(path)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FormError, match="文件夹"):
        load_form(tmp_path)


def test_raw_control_characters_in_a_yaml_file_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(
        "unit: 青溪区\x07科学技术局\nyear: 2025\nproblems: [研发\x01投入不足]\n", encoding="utf-8"
    )
    form = load_form(path)
    assert form.unit == "青溪区科学技术局"
    assert form.problems == ["研发投入不足"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_files_in_bom_utf8_and_gb18030_are_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "form.yaml"
    path.write_bytes("unit: 青溪区科学技术局\nyear: 2025\n".encode(encoding))
    assert load_form(path).unit == "青溪区科学技术局"


def test_a_json_form_reports_field_paths_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "form.json"
    path.write_text(
        json.dumps({"unit": "科技局", "year": 2025, "figures": [{"label": "x", "value": "多"}]}),
        encoding="utf-8",
    )
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert caught.value.source == str(path)
    assert [p.path for p in caught.value.problems] == ["figures[0].value"]


def test_json_schema_describes_the_fields_for_the_web_form() -> None:
    from drafter.web.schemas import form_components

    schema = form_components()["Form"]
    assert set(schema["required"]) == {"unit", "year"}
    assert {"figures", "highlights", "problems", "plans", "period"} <= set(schema["properties"])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("form.docx", b"PK\x03\x04\x00\x00not text"),
        ("form.json", b'{"unit": "\xe7\xa7\x91\xe6\x8a\x80\xe5\xb1\x80", "year": "2025\xe5\xb9\xb4"}'),
        ("form.yaml", b"unit: x\nyear: 2025\nfigures:\n  - {label: a, value: 1, colour: red}\n"),
        ("notes.txt", "只是一段文字".encode()),
    ],
)
def test_the_command_line_reports_a_bad_form_in_one_line_and_writes_nothing(
    tmp_path: Path, name: str, content: bytes
) -> None:
    from click.testing import CliRunner

    from drafter.cli import cli

    form = tmp_path / name
    form.write_bytes(content)
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(cli, ["draft", str(form), "-o", str(out), "--corpus", str(tmp_path / "c.db")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert name in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()
