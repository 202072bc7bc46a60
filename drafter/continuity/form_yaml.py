"""A pre-filled form as YAML a writer reads and fills: each row with a ``# 去年：…`` comment, the list of
what could not be read at the end.

The text is YAML that ``yaml.safe_load`` reads back into exactly the form data (comments aside).
"""

from __future__ import annotations

import json
import re
from typing import Any

from drafter.continuity.prefill import Prefill
from drafter.text.quantities import format_number

RE_PLAIN = re.compile(r"^[\u3400-\u9fff（《“][^:#'\"{}\[\],&*!|>%@`\n]*$")
FIELD_ORDER = ("label", "value", "unit", "previous", "target", "basis", "parent", "theme")


def scalar(value: Any) -> str:
    """A YAML scalar: ``null`` shown as nothing, numbers as written, text plain when safe, else quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(float(value)) if isinstance(value, float) else str(value)
    text = str(value)
    if RE_PLAIN.match(text) and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str | None) -> str:
    return f"  # {text}" if text else ""


def form_yaml(result: Prefill) -> str:
    """The pre-filled form as commented YAML."""
    form = result.form
    lines = [
        f"# {form.get('year') or '今年'}年的表单，由去年的报告《{result.source_title}》预填（drafter form --from）。",
        "# 每个指标的 previous 是去年报告中的数字；请在 value 中填入今年的数字，用不上的行整行删去。",
        f"unit: {scalar(form['unit'])}" + _comment("" if form["unit"] else "请填写单位名称"),
        f"year: {scalar(form['year'])}" + _comment("" if form["year"] else "请填写今年的年份"),
        f"period: {form['period']}",
        f"predecessor: {scalar(form['predecessor'])}  # 去年的报告：起草时沿用它的结构、标题和导语",
    ]
    if form.get("sections"):
        lines.append("sections:  # 去年总结的各节，按顺序；标题沿用去年的，可改")
        for section in form["sections"]:
            lines.append(f"  - theme: {scalar(section['theme'])}")
            lines.append(f"    heading: {scalar(section['heading'])}")
            if section.get("lead"):
                lines.append(f"    lead: {scalar(section['lead'])}")
    lines.append("figures:" + (" []" if not form["figures"] else ""))
    for index, row in enumerate(form["figures"]):
        note = result.notes.get(f"figures[{index}]")
        keys = [k for k in FIELD_ORDER if k in row]
        lines.append(f"  - {keys[0]}: {scalar(row[keys[0]])}")
        for key in keys[1:]:
            comment = _comment(note) if key == "value" else ""
            lines.append(f"    {key}: {scalar(row[key])}".rstrip() + comment)
    lines.extend(_items("highlights", form["highlights"], result.notes.get("highlights"), "text"))
    lines.extend(_items("problems", form["problems"], result.notes.get("problems"), None))
    lines.append("plans: []  # 明年的计划：请填写（theme、targets、actions）")
    if result.unread:
        lines.append("")
        lines.append("# 没有读出的内容（请对照去年的报告手工填写）：")
        lines.extend(f"#   - {item}" for item in result.unread)
    return "\n".join(lines) + "\n"


def _items(name: str, items: list[Any], note: str | None, key: str | None) -> list[str]:
    if not items:
        return [f"{name}: []"]
    lines = [f"{name}:" + _comment(note)]
    for item in items:
        if key is None:
            lines.append(f"  - {scalar(item)}")
            continue
        first = True
        for field, value in item.items():
            lines.append(f"  {'- ' if first else '  '}{field}: {scalar(value)}")
            first = False
    return lines
