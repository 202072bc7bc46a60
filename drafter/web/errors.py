"""How the web app answers what went wrong: one JSON shape for every error, and the request-size limit.

Every error body is ``{"detail": [{"loc": [...], "path": "figures[2].value", "msg": "中文…"}]}`` so the page
can put each message beside its field. Domain errors (``DrafterError``) raised anywhere in a request, pydantic
errors on query parameters, oversize bodies and unknown routes all end up in that shape; nothing a user can
send becomes a 500.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from drafter.errors import (
    CorpusError,
    DatabaseUnavailableError,
    DrafterError,
    FieldProblem,
    FormError,
    InputFileError,
    NotFoundError,
    field_loc,
)

Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class Problem:
    """One error entry: where (``loc`` as in FastAPI, ``path`` as the form writes it) and what, in Chinese."""

    loc: Loc
    path: str
    msg: str

    def as_json(self) -> dict[str, Any]:
        """The entry as it appears in ``detail``."""
        return {"loc": list(self.loc), "path": self.path, "msg": self.msg}


class ApiError(Exception):
    """An error response with its status and problems, raised by route code and turned into JSON here."""

    def __init__(self, status: int, problems: Sequence[Problem], extra: dict[str, Any] | None = None) -> None:
        super().__init__("; ".join(p.msg for p in problems))
        self.status = status
        self.problems = tuple(problems)
        self.extra = dict(extra or {})


class RequestTooLarge(StarletteHTTPException):
    """The request body grew past the limit while it was being read.

    An ``HTTPException`` so that FastAPI's body parsing (multipart) lets it through instead of turning it
    into a generic 400.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")
        self.limit = limit


def body_problem(msg: str) -> Problem:
    """A problem with the request body as a whole."""
    return Problem(("body",), "", msg)


def form_problems(problems: Sequence[FieldProblem]) -> list[Problem]:
    """The form module's field problems as error entries located in the request body."""
    return [Problem(("body", *field_loc(p.path)), p.path, p.message) for p in problems]


def too_large_message(limit: int) -> str:
    """The Chinese message for a body or file over ``limit`` bytes."""
    size = f"{limit / 1000000:g} MB" if limit >= 1000000 else f"{limit / 1000:g} KB"
    return f"请求内容太大（超过 {size}）；表单请删减内容，上传文件请拆分后分批上传"


def error_response(
    status: int, problems: Sequence[Problem], extra: dict[str, Any] | None = None
) -> JSONResponse:
    """The JSON error response every handler returns."""
    body: dict[str, Any] = {"detail": [p.as_json() for p in problems]}
    body.update(extra or {})
    return JSONResponse(body, status_code=status)


# --- translating pydantic errors on query parameters and multipart fields ------------------------------------

_QUERY_NAMES = {
    "q": "检索词",
    "k": "结果条数",
    "kind": "文档类型",
    "part": "所属部分",
    "year_from": "起始年份",
    "year_to": "截止年份",
    "unit": "单位",
    "category": "类别",
    "files": "上传文件",
}


def _validation_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    name = next((str(p) for p in reversed(error.get("loc", ())) if isinstance(p, str)), "")
    label = _QUERY_NAMES.get(name, name)
    if kind == "missing":
        return f"{label}：必填，请补上"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"{label}：应为整数，例如 5"
    if kind == "greater_than_equal":
        return f"{label}：应不小于 {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"{label}：应不大于 {ctx.get('le')}"
    if kind in {"literal_error", "enum"}:
        return f"{label}：只能是 {ctx.get('expected')}"
    if kind == "string_too_long":
        return f"{label}：太长，最多 {ctx.get('max_length')} 个字符"
    if kind in {"upload_file_type", "value_error"} and name == "files":
        return f"{label}：应为文件（multipart/form-data 中的 files 字段）"
    return f"{label}：不符合要求（{error.get('msg', '')}）"


def validation_problems(errors: Sequence[Any]) -> list[Problem]:
    """FastAPI's validation errors as Chinese error entries (``loc`` kept, ``path`` without its source)."""
    problems: list[Problem] = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        path_parts = loc[1:] if loc and loc[0] in {"query", "body", "path", "header"} else loc
        path = ""
        for part in path_parts:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        problems.append(Problem(loc, path, _validation_message(error)))
    return problems


# --- handlers ---------------------------------------------------------------------------------------------

_HTTP_MESSAGES = {
    400: "请求内容无法解析，请检查格式；上传文件请用页面上的“上传到语料库”按钮（multipart/form-data，字段名 files）",
    404: "没有这个页面或接口；表单在 /，检索在 /search，接口说明在 /openapi.json",
    405: "这个地址不支持该请求方法；接口说明见 /openapi.json",
}


def _status_of(exc: DrafterError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, CorpusError):
        return 503
    return 422


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.problems, exc.extra)


async def _too_large(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestTooLarge)
    return error_response(413, [body_problem(too_large_message(exc.limit))])


async def _drafter_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DrafterError)
    if isinstance(exc, FormError):
        return error_response(422, form_problems(exc.problems))
    path = exc.path if isinstance(exc, InputFileError) else ""
    response = error_response(_status_of(exc), [Problem(("body",) if path else (), "", exc.message)])
    if isinstance(exc, DatabaseUnavailableError):
        response.headers["Retry-After"] = "5"  # a database restart takes seconds
    return response


async def _request_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, validation_problems(exc.errors()))


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = _HTTP_MESSAGES.get(exc.status_code, f"请求未能完成（{exc.detail}）")
    response = error_response(exc.status_code, [Problem((), "", message)])
    # Starlette puts ``Allow`` on a 405 (and other protocol headers on other errors): keep them.
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Route every error a user can cause to its JSON answer."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestTooLarge, _too_large)
    app.add_exception_handler(DrafterError, _drafter_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)


# --- the body-size limit ----------------------------------------------------------------------------------


class BodyLimitMiddleware:
    """Refuses request bodies over a per-path limit: early from Content-Length, else while reading."""

    def __init__(self, app: ASGIApp, *, default_limit: int, limits: dict[str, int]) -> None:
        self.app = app
        self.default_limit = default_limit
        self.limits = dict(limits)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default_limit)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            status = 413 if declared.isdigit() else 400
            message = too_large_message(limit) if status == 413 else "Content-Length 请求头无效"
            await error_response(status, [body_problem(message)])(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge(limit)
            return message

        await self.app(scope, limited_receive, send)
