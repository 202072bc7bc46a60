"""The writer's form: who, which period, this period's figures, highlights, problems and plans.

The same fields arrive as YAML, JSON, the web form and the JSON API. ``parse_form`` validates them with
pydantic and turns every error into a ``FieldProblem`` with the field path (``figures[2].value``) and a
Chinese explanation of what is expected. Text is kept as the writer typed it, except that characters Word
cannot hold (XML-illegal control characters) are removed and line breaks inside a one-line field are joined.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from drafter.draft.typed_numbers import clean_growth, clean_number, split_typed_fields
from drafter.errors import FieldProblem, FormError, field_path
from drafter.text.bounded import FileKindError, StructureError, load_json, load_yaml, read_regular_file
from drafter.text.chars import one_line, strip_illegal

Period = Literal["annual", "half", "plan"]
Hedge = Literal["预计", "约", "初步统计"]
HeadingStyle = Literal["fitting", "parallel", "result"]
HEADING_STYLES = "fitting（每节选用语料中搭配该主题的动词）、parallel（排比开头语）或 result（成效句标题）"
PERIODS: tuple[Period, ...] = ("annual", "half", "plan")
PERIOD_NAMES: dict[Period, str] = {
    "annual": "年度总结及思路",
    "half": "上半年总结及下半年计划",
    "plan": "工作计划",
}

MAX_TEXT = 2000
"""Longest highlight, problem or action (characters)."""
MAX_NAME = 200
"""Longest unit, label, theme, title, signature (characters)."""
MAX_UNIT = 20
"""Longest unit of measure (家, 亿元, 万人次 …)."""
MAX_FIGURES = 200
MAX_ITEMS = 100
"""Most highlights, problems, plans, targets or actions in one list."""
MAX_FORM_BYTES = 1_000_000
"""Largest form file ``load_form`` reads."""
MAX_ABS_VALUE = 1e15
"""Figures must be smaller than this in absolute value (a report states no number of 16 digits)."""

RE_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def _clean_text(value: object) -> object:
    return one_line(value) if isinstance(value, str) else value


def _clean_date(value: object) -> object:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, str):
        text = one_line(value)
        match = RE_DATE_TEXT.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return f"{year}年{month}月{day}日"
        return text or None
    return value


def _clean_optional_text(value: object) -> object:
    if isinstance(value, str):
        text = one_line(value)
        return text or None
    return value


Text = Annotated[str, BeforeValidator(_clean_text), Field(min_length=1, max_length=MAX_TEXT)]
Name = Annotated[str, BeforeValidator(_clean_text), Field(min_length=1, max_length=MAX_NAME)]
# The length limit sits on the str branch: pydantic applies a union-level max_length to None too.
OptionalName = Annotated[
    Annotated[str, Field(max_length=MAX_NAME)] | None, BeforeValidator(_clean_optional_text)
]
OptionalText = Annotated[
    Annotated[str, Field(max_length=MAX_TEXT)] | None, BeforeValidator(_clean_optional_text)
]
MeasureUnit = Annotated[str, BeforeValidator(_clean_text), Field(default="", max_length=MAX_UNIT)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False, gt=-MAX_ABS_VALUE, lt=MAX_ABS_VALUE)]
Number = Annotated[FiniteFloat | None, BeforeValidator(clean_number)]
Growth = Annotated[Annotated[str, Field(max_length=MAX_UNIT)] | None, BeforeValidator(clean_growth)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Figure(_Strict):
    """One indicator of this period: ``新认定国家高新技术企业 162 家``, last year's value and its theme.

    Optional, as writers state them: ``growth`` (verbatim: ``20.32%``; 百分点 for a ``%`` figure), ``basis``
    (``1–5月``), ``hedge``, ``parent`` (其中), ``target`` (completion), ``rank`` (``全市第二``); numbers as
    typed (``6.6%``, ``约3000``, ``100余``, ``六成``) are read by ``typed_numbers`` (``written`` keeps 100余).
    """

    label: Name
    value: Number = None
    unit: MeasureUnit = ""
    previous: Number = None
    theme: OptionalName = None
    growth: Growth = None
    basis: OptionalName = None
    hedge: Hedge | None = None
    parent: OptionalName = None
    target: Number = None
    rank: OptionalName = None
    written: OptionalName = None

    @model_validator(mode="before")
    @classmethod
    def _typed_numbers(cls, data: object) -> object:
        return split_typed_fields(data)


class Highlight(_Strict):
    """A note the writer wants in the draft (verbatim); ``title``: its item's verb-object phrase (开展…)."""

    theme: OptionalName = None
    title: OptionalName = None
    text: Text


class Overview(_Strict):
    """The report's opening: the labels of the figures to headline and the honours won (verbatim)."""

    figures: list[Name] = Field(default_factory=list, max_length=MAX_ITEMS)
    honours: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)


class SectionSpec(_Strict):
    """A summary section as the writer wants it: its place in the order, and optionally its heading and lead."""

    theme: Name
    heading: OptionalName = None
    lead: OptionalText = None


class Target(_Strict):
    """A target for the next period: ``新认定国家高新技术企业 180 家`` (``突破110`` kept as ``written``)."""

    label: Name
    value: Number = None
    unit: MeasureUnit = ""
    written: OptionalName = None

    @model_validator(mode="before")
    @classmethod
    def _typed_numbers(cls, data: object) -> object:
        return split_typed_fields(data, hedge=False)


class PlanItem(_Strict):
    """One theme of the plan with its targets and actions."""

    theme: Name
    targets: list[Target] = Field(default_factory=list, max_length=MAX_ITEMS)
    actions: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)


class Form(_Strict):
    """The whole form; ``period`` picks the report kind and its template."""

    unit: Name
    year: int = Field(ge=2000, le=2100)
    period: Period = "annual"
    figures: list[Figure] = Field(default_factory=list, max_length=MAX_FIGURES)
    highlights: list[Highlight] = Field(default_factory=list, max_length=MAX_ITEMS)
    problems: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    plans: list[PlanItem] = Field(default_factory=list, max_length=MAX_ITEMS)
    overview: Overview | None = None
    sections: list[SectionSpec] = Field(default_factory=list, max_length=MAX_ITEMS)
    heading_style: HeadingStyle = "fitting"
    bureau_type: OptionalName = None
    title: OptionalName = None
    signature: OptionalName = None
    date: Annotated[Annotated[str, Field(max_length=MAX_NAME)] | None, BeforeValidator(_clean_date)] = None
    predecessor: OptionalName = None
    """Id of last year's report this form was pre-filled from (``drafter form --from``): the draft keeps its
    structure, headings and leads."""

    @field_validator("year", mode="before")
    @classmethod
    def _year_is_a_number(cls, value: object) -> object:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise PydanticCustomError("year_type", "应为四位数的年份，例如 2025")
        if isinstance(value, str):
            text = strip_illegal(value).strip()
            if not text.isdigit():
                raise PydanticCustomError("year_type", "应为四位数的年份，例如 2025（只写数字，不写“年”）")
            return int(text)
        return value


# --- errors in Chinese -----------------------------------------------------------------------------------

_EXAMPLES: dict[str, str] = {
    "unit": "例如 青溪区科学技术局",
    "label": "例如 新认定国家高新技术企业",
    "theme": "例如 科技企业培育",
    "text": "例如 新认定市级博士创新站8家",
}


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    loc = error["loc"]
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    example = _EXAMPLES.get(name, "")
    if kind in {"number_bool", "year_type", "growth_type"}:
        return error["msg"]
    if kind == "missing":
        return f"必填，请补上（{example}）" if example else "必填，请补上"
    if kind == "extra_forbidden":
        return "未知字段，可能是拼写错误；可用的字段见示例表单"
    if kind in {"float_parsing", "float_type", "decimal_parsing"}:
        return "应为数字，例如 162 或 3.12（不写单位，单位写在 unit 中）"
    if kind == "finite_number":
        return "应为有限的数字，例如 162"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "应为整数，例如 2025"
    if kind == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}" + ("（年份写四位数，例如 2025）" if name == "year" else "")
    if kind in {"less_than", "greater_than"}:
        return "数字太大：绝对值应小于 1000 万亿（10^15），请检查单位（如改用 亿元）"
    if kind == "less_than_equal":
        return f"应不大于 {ctx.get('le')}"
    if kind == "literal_error":
        if name == "period":
            allowed = "，".join(f"{p}（{PERIOD_NAMES[p]}）" for p in PERIODS)
            return f"只能是 {allowed}"
        if name == "heading_style":
            return f"只能是 {HEADING_STYLES}"
        if name == "hedge":
            return "只能是 预计、约 或 初步统计（不需要时不填）"
        return f"只能是 {ctx.get('expected')}"
    if kind == "string_type":
        return f"应为文字{('，' + example) if example else ''}"
    is_text = isinstance(error.get("input"), str)
    if kind == "string_too_short" or (kind == "too_short" and is_text):
        return f"不能为空{('，' + example) if example else ''}"
    if kind == "string_too_long" or (kind == "too_long" and is_text):
        return f"太长：最多 {ctx.get('max_length')} 个字符，请删减或拆成几条"
    if kind == "too_long":
        return f"条目太多：最多 {ctx.get('max_length')} 条"
    if kind == "list_type":
        return "应为列表（YAML 中每条以 - 开头，JSON 中用 [ ]）"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "应为键值对（YAML 映射或 JSON 对象），例如 {label: …, value: …}"
    return f"不符合要求（{error['msg']}）"


def problems_from(exc: ValidationError) -> list[FieldProblem]:
    """The Chinese ``FieldProblem`` of each pydantic error (the web app uses this for 422 responses)."""
    problems: list[FieldProblem] = []
    seen: set[tuple[str, str]] = set()
    for error in exc.errors(include_url=False):
        problem = FieldProblem(field_path(error["loc"]), _message(error))
        key = (problem.path, problem.message)
        if key not in seen:
            seen.add(key)
            problems.append(problem)
    return problems


def parse_form(data: object, source: str = "表单") -> Form:
    """The validated ``Form`` for ``data`` (a mapping from YAML/JSON); raises ``FormError`` with every problem."""
    if not isinstance(data, dict):
        problem = FieldProblem("", "应为键值对（YAML 映射或 JSON 对象），第一行例如 unit: 青溪区科学技术局")
        raise FormError([problem], source)
    try:
        form = Form.model_validate(data)
    except ValidationError as exc:
        raise FormError(problems_from(exc), source) from exc
    labels = {fig.label for fig in form.figures}
    unknown = [
        FieldProblem(f"overview.figures[{i}]", f"没有名为“{label}”的指标：请写 figures 中某个指标的 label")
        for i, label in enumerate(form.overview.figures if form.overview else [])
        if label not in labels
    ]
    if unknown:
        raise FormError(unknown, source)
    return form


def _problem(source: str, message: str) -> FormError:
    return FormError([FieldProblem("", message)], source)


def decode_form_bytes(raw: bytes, source: str) -> str:
    """The text of a form file's bytes (UTF-8, with or without BOM, or GB18030), XML-illegal characters dropped."""
    if len(raw) > MAX_FORM_BYTES:
        raise _problem(source, f"文件太大（超过 {MAX_FORM_BYTES // 1000} KB），不像一张表单")
    if b"\x00" in raw:
        raise _problem(source, "不是文本文件；表单应为 YAML（.yaml）或 JSON（.json）文本")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # Control characters are data slips, not structure: drop them before the parsers reject the file.
            return strip_illegal(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise _problem(source, "无法识别文字编码，请另存为 UTF-8 编码的 YAML 或 JSON")


def decode_json(text: str | bytes, source: str) -> object:
    """The value of a JSON text; a malformed one raises ``FormError`` naming line and column."""
    try:
        return load_json(text)
    except StructureError as exc:
        raise _problem(source, f"JSON {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        reason = f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}），请检查引号、逗号和括号"
        raise _problem(source, reason) from exc
    except UnicodeDecodeError as exc:
        raise _problem(source, "不是 UTF-8 编码的文字，请以 UTF-8 保存或发送 JSON") from exc
    except (ValueError, RecursionError) as exc:
        # Python refuses integers of thousands of digits and nesting deeper than its recursion limit.
        raise _problem(source, "JSON 中有过长的数字或过深的嵌套，不像一张表单") from exc


def decode_yaml(text: str, source: str) -> object:
    """The value of a YAML text; a malformed one raises ``FormError`` naming line and column."""
    import yaml  # lazy: start-up (only form files need the YAML parser)

    try:
        return load_yaml(text)
    except StructureError as exc:
        raise _problem(source, f"YAML {exc.reason}") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else "某处"
        raise _problem(source, f"不是有效的 YAML（{where}：{exc.problem}），请检查缩进和冒号") from exc
    except (yaml.YAMLError, RecursionError) as exc:
        raise _problem(source, "不是有效的 YAML，请检查文件内容") from exc


def parse_form_bytes(raw: bytes, source: str, *, json_only: bool = False) -> Form:
    """The validated form in the bytes of a YAML or JSON form (a file, an upload or a request body).

    JSON only when ``json_only``; otherwise YAML, a superset, with JSON's messages for a text that starts
    like JSON.
    Every problem raises ``FormError`` naming ``source``.
    """
    text = decode_form_bytes(raw, source)
    if not text.strip():
        raise _problem(source, "文件是空的，请参照 examples/forms/ 中的示例填写")
    if json_only:
        data = decode_json(text, source)
    elif text.lstrip().startswith(("{", "[")):
        # JSON, or a YAML flow mapping ({unit: …}): a JSON error is the more useful message.
        try:
            data = decode_json(text, source)
        except FormError as json_error:
            try:
                data = decode_yaml(text, source)
            except FormError:
                raise json_error from None
    else:
        data = decode_yaml(text, source)
    if data is None:
        raise _problem(source, "文件是空的，请参照 examples/forms/ 中的示例填写")
    return parse_form(data, source)


def load_form(path: Path) -> Form:
    """The ``Form`` in a YAML or JSON file; a missing, unreadable or invalid file raises ``FormError``."""
    name = str(path)
    try:
        # Regular files only, read no further than the limit: /dev/zero or a FIFO never floods or hangs it.
        raw = read_regular_file(path, MAX_FORM_BYTES)
    except FileKindError as exc:
        reason = exc.reason
        if reason.startswith("文件超过"):
            reason = f"文件太大（超过 {MAX_FORM_BYTES // 1000} KB），不像一张表单"
        elif "文件夹" in reason:
            reason = "这是一个文件夹，请给出表单文件（.yaml 或 .json）"
        raise _problem(name, reason) from exc
    except FileNotFoundError as exc:
        raise _problem(name, "文件不存在，请检查路径和文件名") from exc
    except OSError as exc:
        raise _problem(name, f"无法读取（{exc.strerror}），请检查权限") from exc
    return parse_form_bytes(raw, name, json_only=path.suffix.lower() == ".json")
