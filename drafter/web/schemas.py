"""The shapes the JSON API documents in /openapi.json (responses, and the form as request body).

These models describe; the routes build their answers from the core's JSON-ready rows. Rows allow extra keys
so the core can add fields (``frame``, ``terms`` …) without breaking the documented contract.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from drafter.draft.form import Form

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCHEMA_REF = "#/components/schemas/{model}"


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorItem(BaseModel):
    """One problem: ``loc`` as FastAPI writes it, ``path`` as the form writes it (``figures[2].value``)."""

    loc: list[int | str]
    path: str
    msg: str = Field(description="说明问题与改法（中文）")


class ErrorBody(_Open):
    """Every error answer of the API."""

    detail: list[ErrorItem]


class SearchRow(_Open):
    """A search result, as ``drafter search --json`` prints it."""

    doc_id: str
    title: str
    heading: str
    text: str
    score: float
    citation: str = Field("", description="来源：《标题》，单位，年份")
    level: str = Field(
        "unknown", description="发文层级：county 区县、city 市州、province 省级、national 国家、unknown"
    )
    confidence: str = Field(
        "strong", description="匹配度：strong 强、medium 中、weak 弱（弱：语料中可能没有这一主题）"
    )
    related: list[str] = Field(
        default_factory=list, description="相关说法：一并检索的其他说法（口径表与语料中学到的）"
    )


class PhraseRow(_Open):
    """A phrase of the bank, as ``drafter phrases --json`` prints it."""

    category: str
    pattern: str
    count: int
    docs: int
    examples: list[Any]
    source: str


class FigureSuggestion(_Open):
    """An indicator name for the form's 指标名称, its usual unit and the frame it comes from."""

    label: str
    unit: str
    pattern: str


class UploadReport(_Open):
    """What an upload added to the corpus, and which files failed and why."""

    files: int
    documents_added: int
    documents_seen: int
    passages_added: int
    failures: list[dict[str, str]]
    visibility: str | None = None
    """Where the new documents went: ``private`` (the writer's unit only) or ``shared`` (city-wide)."""
    held: str | None = None
    """The review batch when uploads wait for the administrator (answered with 202)."""
    held_files: list[str] = []


class Health(BaseModel):
    """The app answers."""

    status: str
    version: str


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for these error statuses, all with ``ErrorBody``."""
    described = {
        400: "请求格式有误",
        401: "未登录或登录已过期",
        403: "未获授权：访问地址、来源页面或页面令牌不符，或须管理员账号",
        404: "找不到",
        413: "请求或文件太大",
        415: "请求类型不对（应为 JSON）",
        422: "输入有误：每条问题带字段路径和中文说明",
        503: "语料库无法打开",
    }
    return {status: {"model": ErrorBody, "description": described[status]} for status in statuses}


def form_components() -> dict[str, Any]:
    """The form's JSON schema and its sub-models, keyed for ``components/schemas``."""
    schema = Form.model_json_schema(ref_template=SCHEMA_REF)
    defs: dict[str, Any] = schema.pop("$defs", {})
    return {"Form": schema, **defs}


FORM_REF = {"$ref": SCHEMA_REF.format(model="Form")}
FORM_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "表单（字段同 YAML/JSON 表单文件）",
        "content": {"application/json": {"schema": FORM_REF}},
    }
}
FORM_TEXT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "表单文件的文字：YAML 或 JSON",
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": FORM_REF},
        },
    }
}
