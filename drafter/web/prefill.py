"""从去年的报告开始: the routes that pre-fill the form from last year's report.

``GET /api/prefill/sources`` lists the stored reports a form can start from (the unit's own first),
``GET /api/prefill/{doc_id}`` pre-fills from one of them, ``POST /api/prefill`` from an uploaded file —
an upload like any other: guarded by the access rules, parsed within the limits, and stored at once as the
unit's own, in the writer's unit scope.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi import Form as FormField
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from drafter.accounts.store import AccountStore
from drafter.changes import Actor, ParseLimits
from drafter.errors import DrafterError
from drafter.scopes import Owner, Scope
from drafter.text.chars import strip_illegal
from drafter.web.access import actor_of, unit_visibility, viewer_of
from drafter.web.schemas import error_responses
from drafter.web.upload import batch_folder, check_uploads, discard, safe_upload_name, save_uploads


class CorpusFile(Protocol):
    """Where the corpus file is (uploads are kept beside it)."""

    @property
    def path(self) -> Path: ...


class PrefillCore(Protocol):
    """What the prefill routes need from ``drafter.app.Drafter``."""

    def prefill_sources(self, unit: str | None = None, scope: Scope = ...) -> list[dict[str, Any]]: ...
    def prefill_document(
        self, doc_id: str, year: int | None = None, scope: Scope = ...
    ) -> dict[str, Any]: ...
    def prefill_upload(
        self,
        path: Path,
        year: int | None = None,
        unit: str | None = None,
        *,
        limits: ParseLimits | None = None,
        actor: Actor | None = None,
        review: bool = False,
        owner: Owner = ...,
    ) -> dict[str, Any]: ...
    def account_store(self) -> AccountStore: ...
    @property
    def corpus(self) -> CorpusFile: ...


router = APIRouter(tags=["表单"])


def _core(request: Request) -> PrefillCore:
    core: PrefillCore = request.app.state.core_holder.get()
    return core


@router.get(
    "/api/prefill/sources",
    summary="可作为起点的往年报告（本单位的在前）",
    responses=error_responses(422),
)
def prefill_sources(
    request: Request, unit: Annotated[str | None, Query(max_length=200, description="本单位名称")] = None
) -> JSONResponse:
    """The stored reports a form can start from: id, title, year, unit, kind, own."""
    name = strip_illegal(unit or "").strip() or None
    return JSONResponse(_core(request).prefill_sources(name, viewer_of(request).scope))


@router.get(
    "/api/prefill/{doc_id}",
    summary="从语料库中的去年报告预填今年的表单",
    responses=error_responses(404, 422),
)
async def prefill_document(
    request: Request,
    doc_id: str,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="今年的年份")] = None,
) -> JSONResponse:
    """``{form, unread, notes, source}``: the form pre-filled from a stored report."""
    scope = viewer_of(request).scope
    return JSONResponse(await run_in_threadpool(_core(request).prefill_document, doc_id, year, scope))


@router.post(
    "/api/prefill",
    summary="上传去年的报告（.docx .txt .md），预填今年的表单；报告同时存入语料库（或交管理员审核）",
    responses=error_responses(400, 403, 413, 422, 503),
)
async def prefill_upload(
    request: Request,
    file: Annotated[UploadFile, File(description="去年的报告，不超过 10 MB")],
    year: Annotated[int | None, FormField(ge=2000, le=2100, description="今年的年份")] = None,
    unit: Annotated[
        str | None, FormField(max_length=200, description="本单位名称（报告中读不出时使用）")
    ] = None,
) -> JSONResponse:
    """``{form, unread, notes, source}``: the form pre-filled from the uploaded report."""
    settings = request.app.state.settings
    names = [safe_upload_name(file.filename or "", 0)]
    check_uploads([file], names, 1, settings.max_upload_bytes)
    core = _core(request)
    client = (request.client.host, request.client.port) if request.client else None
    viewer = viewer_of(request)
    owner = viewer.owner(await run_in_threadpool(unit_visibility, core.account_store(), viewer.unit))
    folder = batch_folder(core.corpus.path)
    paths = await save_uploads([file], names, folder, settings.max_upload_bytes)
    name = strip_illegal(unit or "").strip() or (viewer.unit or None)
    actor = actor_of(client, viewer)
    read = partial(core.prefill_upload, limits=settings.parse_limits, actor=actor, owner=owner)
    try:
        body = await run_in_threadpool(read, paths[0], year, name)
    except DrafterError:
        discard(paths, folder)
        raise
    return JSONResponse(body)
