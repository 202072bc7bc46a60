"""The corpus as a writer may see it: ``GET /api/corpus`` (the list), ``/api/corpus/{doc_id}`` (a document)
``/api/corpus/export`` (JSON Lines of documents or passages), and ``PUT /api/corpus/{doc_id}/visibility``
(a writer makes their own unit's document private or shared).

Every answer holds only what the viewer's scope sees (``drafter.scopes``: the common corpus, what is shared
city-wide, and their own unit's private documents); a document outside it reads as missing. Files are named
without the server's folders.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import PurePath
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from drafter import rows
from drafter.changes import Actor
from drafter.models import DocSummary, Document
from drafter.scopes import Scope, Visibility
from drafter.web.access import actor_of, viewer_of
from drafter.web.errors import ApiError, Problem
from drafter.web.schemas import error_responses


class CorpusCore(Protocol):
    """What these routes need from ``drafter.app.Drafter``."""

    def corpus_summaries(self, scope: Scope = ...) -> list[DocSummary]: ...
    def document_row(self, doc_id: str, scope: Scope = ...) -> dict[str, Any]: ...
    def export_documents(self, scope: Scope = ...) -> Iterator[dict[str, Any]]: ...
    def export_passages(self, scope: Scope = ...) -> Iterator[dict[str, Any]]: ...
    def document(self, doc_id: str, scope: Scope = ...) -> Document: ...
    def set_visibility(self, doc_id: str, visibility: Visibility, actor: Actor) -> str: ...


router = APIRouter(prefix="/api/corpus", tags=["语料"])


def _core(request: Request) -> CorpusCore:
    core: CorpusCore = request.app.state.core_holder.get()
    return core


def _names(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with its files named by their base names only (the server's folders stay private)."""
    if "source" in row:
        row["source"] = PurePath(str(row["source"])).name
    if "sources" in row:
        row["sources"] = [PurePath(str(s)).name for s in row["sources"]]
    return row


@router.get("", summary="语料库中的文档（本单位可见的）", responses=error_responses(401, 503))
async def corpus_list(request: Request) -> JSONResponse:
    """One row per document the viewer may see, in the order added."""
    summaries = await run_in_threadpool(_core(request).corpus_summaries, viewer_of(request).scope)
    return JSONResponse([_names(rows.summary_row(s)) for s in summaries])


@router.get(
    "/export",
    summary="导出语料（JSON Lines）",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
        **error_responses(401, 422, 503),
    },
)
def corpus_export(
    request: Request,
    passages: Annotated[bool, Query(description="导出检索段落而不是文档")] = False,
) -> StreamingResponse:
    """Every document (or passage) the viewer may see, one JSON object per line."""
    core, scope = _core(request), viewer_of(request).scope
    found = core.export_passages(scope) if passages else core.export_documents(scope)
    lines = (json.dumps(_names(row), ensure_ascii=False) + "\n" for row in found)
    name = "passages.jsonl" if passages else "documents.jsonl"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return StreamingResponse(lines, media_type="application/x-ndjson", headers=headers)


@router.get("/{doc_id}", summary="一篇文档（全文和提纲）", responses=error_responses(401, 404, 503))
async def corpus_document(request: Request, doc_id: str) -> JSONResponse:
    """The document with this id (or unique prefix), when the viewer may see it."""
    row = await run_in_threadpool(_core(request).document_row, doc_id[:64], viewer_of(request).scope)
    return JSONResponse(_names(row))


@router.put(
    "/{doc_id}/visibility",
    summary="更改本单位文档的可见范围（private 仅本单位 / shared 全市共享）",
    responses=error_responses(401, 403, 404, 422, 503),
)
async def corpus_visibility(
    request: Request,
    doc_id: str,
    visibility: Annotated[Visibility, Query(description="private 仅本单位，shared 全市共享")],
) -> JSONResponse:
    """Make one of the writer's own unit's documents private or shared (an administrator: any document)."""
    viewer = viewer_of(request)
    core = _core(request)
    doc = await run_in_threadpool(core.document, doc_id[:64], viewer.scope)
    if not viewer.is_admin and doc.owner_unit != viewer.unit:
        msg = "只能更改本单位上传的文档的可见范围：这篇文档不属于本单位。"
        raise ApiError(403, [Problem(("path", "doc_id"), "doc_id", msg)])
    client = (request.client.host, request.client.port) if request.client else None
    full = await run_in_threadpool(core.set_visibility, doc.id, visibility, actor_of(client, viewer))
    return JSONResponse({"id": full, "visibility": visibility})
