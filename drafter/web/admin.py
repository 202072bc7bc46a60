"""Administration through the web: held uploads reviewed, documents removed, the change log read.

Every route here sits under ``/api/admin/``, which ``web.access.AccessMiddleware`` opens only to an
administrator's session (or the person at this PC in single-PC mode) and, for changes, to this server's own
page carrying its token.
"""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from drafter.changes import ACTION_NAMES, Actor, ParseLimits
from drafter.web.access import actor_of, viewer_of
from drafter.web.schemas import error_responses


class Batch(Protocol):
    """A held upload batch as the admin routes show it."""

    def as_dict(self) -> dict[str, Any]: ...


class LoggedChange(Protocol):
    """One change-log row."""

    @property
    def action(self) -> str: ...
    def as_dict(self) -> dict[str, Any]: ...


class Outcome(Protocol):
    """What accepting a batch added."""

    @property
    def documents_added(self) -> int: ...
    @property
    def documents_seen(self) -> int: ...


class AdminCore(Protocol):
    """What the admin routes need from ``drafter.app.Drafter``."""

    def held_batches(self) -> list[Any]: ...
    def accept(self, batch_id: str, actor: Actor, limits: ParseLimits | None = None) -> Any: ...
    def reject(self, batch_id: str, actor: Actor) -> Any: ...
    def remove(self, doc_id: str, actor: Actor) -> str: ...
    def change_log(self, limit: int | None = None) -> list[Any]: ...
    def update_index_now(self) -> bool: ...
    def update_in_background(self) -> None: ...


router = APIRouter(prefix="/api/admin", tags=["管理"])


def _core(request: Request) -> AdminCore:
    core: AdminCore = request.app.state.core_holder.get()
    return core


def _actor(request: Request) -> Actor:
    client = (request.client.host, request.client.port) if request.client else None
    return actor_of(client, viewer_of(request))


@router.get("/pending", summary="待审核的上传", responses=error_responses(403, 503))
def pending(request: Request) -> JSONResponse:
    """Held upload batches, oldest first."""
    return JSONResponse([batch.as_dict() for batch in _core(request).held_batches()])


@router.post(
    "/pending/{batch_id}/accept", summary="审核通过：读入语料库", responses=error_responses(403, 404, 503)
)
async def accept(request: Request, batch_id: str) -> JSONResponse:
    """Ingest a held batch (each file parsed in a limited child process) and log who accepted it."""
    limits: ParseLimits = request.app.state.settings.parse_limits
    report = await run_in_threadpool(_core(request).accept, batch_id[:64], _actor(request), limits)
    if report.documents_added:
        await run_in_threadpool(_core(request).update_index_now)
        _core(request).update_in_background()
    return JSONResponse({"documents_added": report.documents_added, "documents_seen": report.documents_seen})


@router.post(
    "/pending/{batch_id}/reject", summary="审核拒绝：删除上传的文件", responses=error_responses(403, 404, 503)
)
async def reject(request: Request, batch_id: str) -> JSONResponse:
    """Refuse a held batch; its files are deleted."""
    batch = await run_in_threadpool(_core(request).reject, batch_id[:64], _actor(request))
    return JSONResponse(batch.as_dict())


@router.delete(
    "/documents/{doc_id}", summary="从语料库删除一篇文档", responses=error_responses(403, 404, 503)
)
async def remove(request: Request, doc_id: str) -> JSONResponse:
    """Remove a document (id or unique prefix of at least 6 hex digits) and log who did."""
    full = await run_in_threadpool(_core(request).remove, doc_id[:64], _actor(request))
    _core(request).update_in_background()  # its sentences leave the bank's examples, its passages the index
    return JSONResponse({"removed": full})


@router.get("/log", summary="语料库修改日志（最新的在前）", responses=error_responses(403, 422, 503))
def log(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> JSONResponse:
    """Who changed the corpus, when and from where."""
    rows = []
    for change in _core(request).change_log(limit):
        row = change.as_dict()
        row["action_name"] = ACTION_NAMES.get(change.action, change.action)
        rows.append(row)
    return JSONResponse(rows)
