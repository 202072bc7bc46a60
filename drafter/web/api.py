"""The JSON API: draft, preview, search, phrases, figure suggestions, upload, form parsing.

Routes only read the request, call the shared core (``DraftingCore``: ``drafter.app.Drafter`` or a test
double) and present its answer. Bodies are parsed here rather than by FastAPI so that every error carries the
form's own field paths and Chinese messages (see ``web_errors``); the form's schema is still declared in
OpenAPI.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Protocol
from urllib.parse import quote

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi import Form as FormField
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from drafter import __version__, rows
from drafter.changes import Actor, IngestReport, ParseLimits
from drafter.draft.form import Form, decode_json, parse_form, parse_form_bytes
from drafter.models import DocKind, Draft, Part, PhraseCategory, SearchFilters
from drafter.scopes import EVERYTHING, Owner, Scope, Visibility
from drafter.text.chars import strip_illegal
from drafter.web.access import Access, actor_of, unit_visibility, viewer_of
from drafter.web.cache import WordCache
from drafter.web.errors import ApiError, Problem, body_problem
from drafter.web.schemas import (
    DOCX_MEDIA_TYPE,
    FORM_BODY,
    FORM_REF,
    FORM_TEXT_BODY,
    FigureSuggestion,
    Health,
    PhraseRow,
    SearchRow,
    UploadReport,
    error_responses,
)
from drafter.web.upload import (
    batch_folder,
    check_uploads,
    discard,
    safe_upload_name,
    save_uploads,
)


def export_processes() -> int:
    """Worker processes for Word exports: one per core this process may use (none on a single core)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores if cores > 1 else 0


@dataclass(frozen=True)
class WebSettings:
    """Limits and switches of the web app (defaults suit an office intranet)."""

    max_body_bytes: int = 1_000_000
    """Largest JSON or form-text request body."""
    max_upload_bytes: int = 10_000_000
    """Largest single uploaded file."""
    max_upload_files: int = 20
    """Most files in one upload."""
    max_upload_request_bytes: int = 40_000_000
    """Largest upload request as a whole."""
    max_query_chars: int = 500
    max_results: int = 50
    word_cache_entries: int = 128
    """Word files kept by draft (see ``web_cache``); 0 exports every request anew."""
    export_processes: int = field(default_factory=export_processes)
    """Worker processes making the Word files of the ``Drafter`` the app makes itself (0: in threads)."""
    max_concurrent_exports: int = field(default_factory=lambda: max(2, export_processes()))
    """Word exports running at once (CPU-bound: one per export process)."""
    warm_up: bool = True
    """Load the phrase bank and the search index at start-up so the first writer does not wait."""
    access: Access = field(default_factory=Access)
    """Who may change the corpus (see ``web.access``)."""
    parse_limits: ParseLimits = field(default_factory=ParseLimits)
    """What parsing one uploaded file may spend (it runs in a child process of its own)."""


class CorpusFile(Protocol):
    """The corpus as far as the web app needs it: where its file is (uploads are kept beside it)."""

    @property
    def path(self) -> Path: ...


class DraftingCore(Protocol):
    """What the web app needs from ``drafter.app.Drafter``."""

    def search_rows(
        self, query: str, k: int = 5, filters: SearchFilters | None = None
    ) -> list[dict[str, Any]]: ...
    def phrase_rows(self, category: str | None = None, scope: Scope = EVERYTHING) -> list[dict[str, Any]]: ...
    def figure_suggestions(self) -> list[dict[str, Any]]: ...
    def prepare_for_searches(self) -> None: ...
    def preview(self, form: Form, scope: Scope = EVERYTHING) -> dict[str, Any]: ...
    def compose(self, form: Form, *, references: bool = True, scope: Scope = EVERYTHING) -> Draft: ...
    def export(self, draft: Draft) -> bytes: ...
    def word_name(self, draft: Draft) -> str: ...
    def ingest(
        self,
        paths: Sequence[Path],
        *,
        limits: ParseLimits | None = None,
        actor: Actor | None = None,
        owner: Owner = ...,
    ) -> IngestReport: ...
    def update_index_now(self) -> bool: ...
    def update_in_background(self) -> None: ...
    def account_store(self) -> Any: ...
    @property
    def corpus(self) -> CorpusFile: ...


class CoreHolder:
    """The app's one core: given, or made on first use and then shared by every request."""

    def __init__(self, make: Callable[[], DraftingCore], core: DraftingCore | None = None) -> None:
        self._make = make
        self._core = core
        self._lock = threading.Lock()

    def get(self) -> DraftingCore:
        """The core (made now if this is the first call)."""
        with self._lock:
            if self._core is None:
                self._core = self._make()
            return self._core


def _core(request: Request) -> DraftingCore:
    holder: CoreHolder = request.app.state.core_holder
    return holder.get()


def word_file(
    core: DraftingCore, cache: WordCache, form: Form, scope: Scope = EVERYTHING
) -> tuple[str, bytes]:
    """The file name and Word file of ``form``'s draft (composed now with the references ``scope`` may see,
    exported once per distinct draft)."""
    draft = core.compose(form, scope=scope)
    return core.word_name(draft), cache.get(draft)


def _settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


# --- reading bodies ----------------------------------------------------------------------------------------


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_form(request: Request) -> Form:
    """The validated form in a JSON request body (``ApiError``/``FormError`` on bad input)."""
    media = _media_type(request)
    if media != "application/json" and not media.endswith("+json"):
        problem = body_problem(f"请求类型应为 application/json（收到的是 {media or '未注明'}）")
        raise ApiError(415, [problem])
    raw = await request.body()
    if not raw.strip():
        problem = body_problem('请求内容为空：应为表单 JSON，例如 {"unit": "青溪区科学技术局", "year": 2025}')
        raise ApiError(422, [problem])
    return parse_form(decode_json(raw, "表单"), "表单")


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987)."""
    return f"attachment; filename=\"draft.docx\"; filename*=UTF-8''{quote(filename, safe='')}"


# --- routes ------------------------------------------------------------------------------------------------

router = APIRouter()


@router.get("/healthz", response_model=Health, tags=["状态"], summary="服务是否在运行")
def healthz() -> Health:
    """Answers while the app runs (does not touch the corpus)."""
    return Health(status="ok", version=__version__)


@router.post(
    "/api/draft",
    tags=["起草"],
    summary="表单 → Word 草稿（.docx）",
    response_class=Response,
    responses={
        200: {"content": {DOCX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}},
        **error_responses(413, 415, 422, 503),
    },
    openapi_extra=FORM_BODY,
)
async def draft(request: Request) -> Response:
    """The draft of the posted form as a Word file, named like 青溪区科学技术局2025年工作总结….docx."""
    form = await read_form(request)
    cache: WordCache = request.app.state.word_cache
    scope = viewer_of(request).scope
    filename, data = await run_in_threadpool(word_file, _core(request), cache, form, scope)
    return Response(
        data, media_type=DOCX_MEDIA_TYPE, headers={"Content-Disposition": content_disposition(filename)}
    )


@router.post(
    "/api/preview",
    tags=["起草"],
    summary="表单 → 草稿预览（提纲、数字表述、待补充、参考段落）",
    responses={
        200: {"content": {"application/json": {"schema": {"type": "object"}}}},
        **error_responses(413, 415, 422, 503),
    },
    openapi_extra=FORM_BODY,
)
async def preview(request: Request) -> JSONResponse:
    """What the draft of the posted form will hold, before downloading it."""
    form = await read_form(request)
    return JSONResponse(await run_in_threadpool(_core(request).preview, form, viewer_of(request).scope))


@router.post(
    "/api/form/parse",
    tags=["起草"],
    summary="表单文件（YAML 或 JSON 文字）→ 校验后的表单 JSON",
    responses={200: {"content": {"application/json": {"schema": FORM_REF}}}, **error_responses(413, 422)},
    openapi_extra=FORM_TEXT_BODY,
)
async def parse_form_file(request: Request) -> JSONResponse:
    """The validated form of an imported YAML/JSON file, ready to fill the page."""
    form = parse_form_bytes(await request.body(), "表单文件", json_only=_media_type(request).endswith("json"))
    return JSONResponse(form.model_dump(mode="json", exclude_none=True))


@router.get(
    "/api/search",
    tags=["检索"],
    summary="检索往年材料中的相似段落",
    response_model=list[SearchRow],
    responses=error_responses(422, 503),
)
def search(
    request: Request,
    q: Annotated[str, Query(description="检索词或一段话", max_length=2000)] = "",
    k: Annotated[int, Query(ge=1, le=50, description="结果条数")] = 5,
    kind: Annotated[list[DocKind] | None, Query(description="文档类型，可多选")] = None,
    part: Annotated[Part | None, Query(description="所属部分")] = None,
    year_from: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    year_to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    unit: Annotated[str | None, Query(max_length=200, description="发文单位（部分匹配）")] = None,
) -> JSONResponse:
    """The best passages for ``q``, best first (the ``drafter search --json`` rows); ``[]`` for an empty query."""
    settings = _settings(request)
    filters = replace(search_filters(kind, part, year_from, year_to, unit), scope=viewer_of(request).scope)
    query = strip_illegal(q)[: settings.max_query_chars].strip()
    if not query:
        return JSONResponse([])
    return JSONResponse(_core(request).search_rows(query, min(k, settings.max_results), filters))


def search_filters(
    kind: list[DocKind] | None,
    part: Part | None,
    year_from: int | None,
    year_to: int | None,
    unit: str | None,
) -> SearchFilters:
    """The filters of a search request (422 when the year range is upside down)."""
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ApiError(422, [Problem(("query", "year_from"), "year_from", "起始年份不能晚于截止年份")])
    unit_text = strip_illegal(unit or "").strip() or None
    return SearchFilters(
        kinds=tuple(kind) if kind else None, part=part, year_from=year_from, year_to=year_to, unit=unit_text
    )


@router.get(
    "/api/phrases",
    tags=["检索"],
    summary="常用表述（短语库）",
    response_model=list[PhraseRow],
    responses=error_responses(422, 503),
)
def phrases(
    request: Request, category: Annotated[PhraseCategory | None, Query(description="类别")] = None
) -> JSONResponse:
    """The phrase bank, best first (the ``drafter phrases --json`` rows)."""
    return JSONResponse(_core(request).phrase_rows(category, viewer_of(request).scope))


@router.get(
    "/api/figure-suggestions",
    tags=["起草"],
    summary="指标名称建议（来自短语库的数字表述）",
    response_model=list[FigureSuggestion],
    responses=error_responses(503),
)
def figure_suggestions(request: Request) -> JSONResponse:
    """Indicator names with their usual unit, for the form's 指标名称 suggestions."""
    return JSONResponse(_core(request).figure_suggestions())


@router.post(
    "/api/upload",
    tags=["语料"],
    summary="上传往年材料（.docx .txt .html .htm .md）到语料库",
    response_model=UploadReport,
    responses={
        **error_responses(400, 403, 413, 422, 503),
    },
)
async def upload(
    request: Request,
    files: Annotated[list[UploadFile], File(description="往年材料，每个文件不超过 10 MB")],
    visibility: Annotated[
        Visibility | None,
        FormField(description="可见范围：private 仅本单位，shared 全市共享（默认按单位设置）"),
    ] = None,
) -> JSONResponse:
    """What the uploaded reports added to the writer's unit scope; a file that cannot be read is named with
    its reason."""
    settings = _settings(request)
    viewer = viewer_of(request)
    names = [safe_upload_name(f.filename or "", i) for i, f in enumerate(files)]
    check_uploads(files, names, settings.max_upload_files, settings.max_upload_bytes)
    core = _core(request)
    client = (request.client.host, request.client.port) if request.client else None
    chosen: Visibility = (
        visibility
        if visibility is not None
        else await run_in_threadpool(unit_visibility, core.account_store(), viewer.unit)
    )
    owner = viewer.owner(chosen)
    folder = batch_folder(core.corpus.path)
    paths = await save_uploads(files, names, folder, settings.max_upload_bytes)
    ingest = partial(
        core.ingest, paths, limits=settings.parse_limits, actor=actor_of(client, viewer), owner=owner
    )
    report = await run_in_threadpool(ingest)
    if report.documents_added:
        # Searchable when this answers (only the new passages are weighed: no rebuild, no other request
        # waits); the bank's counts, or a rebuild when one is due, follow in the background.
        await run_in_threadpool(core.update_index_now)
        core.update_in_background()
    failures = list(report.failures)
    body = rows.upload_row(report, len(paths))
    body["visibility"] = owner.visibility
    failed = {Path(path).name for path, _ in failures}
    discard([p for p in paths if p.name in failed], folder)
    if failures:
        problems = [
            Problem(("body", "files"), "files", f"{row['file']}：{row['reason']}") for row in body["failures"]
        ]
        raise ApiError(422, problems, {"report": body})
    return JSONResponse(body)
