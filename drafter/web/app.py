"""The web form: a FastAPI app built by ``create_app`` and served by ``drafter serve`` with uvicorn.

The app holds one core (``drafter.app.Drafter``, or any ``DraftingCore`` a test passes in), made at start-up
or on first use, never at import. Pages are rendered from ``templates/`` by an autoescaping Jinja
environment of their own (separate from the report templates); assets come from ``static/`` only, so the page
works on an offline intranet. The JSON API lives in ``web_api``, error answers in ``web_errors``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from markupsafe import Markup, escape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from drafter import __version__
from drafter.accounts.service import Accounts
from drafter.draft.form import MAX_FIGURES, MAX_ITEMS
from drafter.models import DOC_KINDS, PARTS, SearchFilters
from drafter.text.chars import strip_illegal
from drafter.text.levels import LEVEL_NAMES, LEVELS
from drafter.web.access import (
    CSRF_COOKIE,
    AccessMiddleware,
    AccessSettings,
    csrf_cookie_header,
    new_csrf_token,
    unit_visibility,
    viewer_of,
)
from drafter.web.admin import router as admin_router
from drafter.web.admin_accounts import router as accounts_router
from drafter.web.api import CoreHolder, DraftingCore, WebSettings, router, search_filters
from drafter.web.cache import WordCache
from drafter.web.corpus import router as corpus_router
from drafter.web.errors import ApiError, BodyLimitMiddleware, install_error_handlers
from drafter.web.login import router as login_router
from drafter.web.prefill import router as prefill_router
from drafter.web.readiness import Readiness, ReadinessGate
from drafter.web.schemas import form_components

if TYPE_CHECKING:
    import jinja2

    from drafter.app import Drafter

__all__ = ["AccessSettings", "DraftingCore", "WebSettings", "create_app"]

PACKAGE_DIR = Path(__file__).resolve().parent
PAGE_TEMPLATES = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
LOG = logging.getLogger("drafter.web.app")

PERIOD_LABELS = (("annual", "年度总结及下年思路"), ("half", "上半年总结及下半年计划"), ("plan", "年度计划"))
KIND_LABELS = {
    "annual": "年度总结及思路",
    "half": "半年总结及计划",
    "plan": "工作计划",
    "summary": "工作总结",
    "gov_report": "政府工作报告",
    "other": "其他",
}
PART_LABELS = {"summary": "工作总结", "plan": "工作思路/计划", "problems": "存在问题", "other": "其他"}
SECURITY_HEADERS = (
    # Only the app's own scripts, styles and API: no CDN can slip in, no inline script can run.
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


class DrafterApp(FastAPI):
    """FastAPI with the form's JSON schema added to the OpenAPI components (the form body is parsed by hand)."""

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document, the form's schema included."""
        if self.openapi_schema is None:
            schema = get_openapi(
                title=self.title,
                version=self.version,
                description=self.description,
                routes=self.routes,
                tags=self.openapi_tags,
            )
            schema.setdefault("components", {}).setdefault("schemas", {}).update(form_components())
            self.openapi_schema = schema
        return self.openapi_schema


class SecurityHeadersMiddleware:
    """Adds the content-security and no-sniff headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def highlight(text: str, terms: Sequence[str]) -> Markup:
    """``text`` escaped, with each of ``terms`` wrapped in ``<mark>``."""
    words = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if not words:
        return Markup(escape(text))
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(Markup("<mark>%s</mark>") % match.group())
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def page_environment() -> jinja2.Environment:
    """The Jinja environment of the pages: autoescaping, strict, separate from the report templates."""

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGE_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = highlight
    env.globals.update(version=__version__, kind_labels=KIND_LABELS, part_labels=PART_LABELS)
    return env


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    env: jinja2.Environment = request.app.state.pages
    readiness: Readiness = request.app.state.readiness
    context.setdefault("preparing", readiness.progress() if readiness.preparing else None)
    context.setdefault("viewer", getattr(request.state, "viewer", None))
    response = HTMLResponse(env.get_template(name).render(**context), status_code=status)
    if CSRF_COOKIE not in request.cookies:
        # The page's token for corpus changes (double submit: cookie and X-CSRF-Token header).
        response.headers.append("set-cookie", csrf_cookie_header(new_csrf_token()))
    return response


def _page_search_request(
    params: dict[str, str],
) -> tuple[dict[str, str], SearchFilters | None, int, list[str]]:
    """The search page's fields as typed, its filters, result count and messages for what was not understood."""
    fields = {
        key: strip_illegal(params.get(key, "")).strip()[:200]
        for key in ("q", "k", "kind", "part", "year_from", "year_to", "unit", "level")
    }
    messages: list[str] = []
    k = 10
    if fields["k"]:
        if fields["k"].isdigit() and 1 <= int(fields["k"]) <= 50:
            k = int(fields["k"])
        else:
            messages.append("结果条数应为 1 到 50 之间的整数，已按 10 条检索")
    years: dict[str, int | None] = {}
    for key, name in (("year_from", "起始年份"), ("year_to", "截止年份")):
        value = fields[key]
        years[key] = int(value) if value.isdigit() and 1900 <= int(value) <= 2100 else None
        if value and years[key] is None:
            messages.append(f"{name}应为四位数的年份，例如 2023；已忽略")
    kind = next((known for known in DOC_KINDS if known == fields["kind"]), None)
    part = next((known for known in PARTS if known == fields["part"]), None)
    try:
        filters = search_filters(
            [kind] if kind else None, part, years["year_from"], years["year_to"], fields["unit"]
        )
    except ApiError as exc:
        messages.extend(p.msg for p in exc.problems)
        filters = None
    level = next((known for known in LEVELS if known == fields["level"]), None)
    if filters is not None and level is not None:
        filters = replace(filters, levels=(level,))
    return fields, filters, k, messages


def _add_pages(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def form_page(request: Request) -> HTMLResponse:
        return _render(
            request,
            "form.html",
            active="form",
            periods=PERIOD_LABELS,
            max_figures=MAX_FIGURES,
            max_items=MAX_ITEMS,
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request) -> HTMLResponse:
        holder: CoreHolder = request.app.state.core_holder
        fields, filters, k, messages = _page_search_request(dict(request.query_params))
        rows: list[dict[str, Any]] = []
        readiness: Readiness = request.app.state.readiness
        waiting = bool(fields["q"]) and readiness.missing(("corpus", "index"))
        viewer = viewer_of(request)
        if fields["q"] and filters is not None and not waiting:
            rows = holder.get().search_rows(fields["q"], k, replace(filters, scope=viewer.scope))
        return _render(
            request,
            "search.html",
            active="search",
            unit_visibility=unit_visibility(holder.get().account_store(), viewer.unit),
            fields=fields,
            rows=rows,
            levels=LEVEL_NAMES,
            messages=messages,
            searched=bool(fields["q"]) and not waiting,
            search_waiting=waiting,
            kinds=DOC_KINDS,
            parts=PARTS,
        )


def _add_admin_page(app: FastAPI) -> None:
    @app.get("/admin", response_class=HTMLResponse, include_in_schema=False)
    def admin_page(request: Request) -> HTMLResponse:
        return _render(request, "admin.html", active="admin")


def create_app(
    drafter: DraftingCore | None = None,
    *,
    corpus_path: Path | None = None,
    settings: WebSettings | None = None,
) -> FastAPI:
    """The web app around ``drafter`` (or a ``Drafter`` on ``corpus_path``, made at start-up or first use)."""
    settings = settings or WebSettings()
    made: list[Drafter] = []

    def make_core() -> DraftingCore:
        from drafter.app import Drafter  # lazy: start-up (the app answers before the stages load)

        core = Drafter(corpus_path, export_workers=settings.export_processes)
        made.append(core)
        return core

    holder = CoreHolder(make_core, drafter)

    readiness = Readiness()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The preparation runs behind the server: it accepts requests at once (see ``web.readiness``).
        if settings.warm_up:
            readiness.start(preparation(holder))
        yield
        if readiness.preparing:
            LOG.info("停止时语料仍在准备中：已保存的部分下次启动时载入")
        for core in made:
            core.close()

    app = DrafterApp(
        title="Drafter 工作总结起草",
        version=__version__,
        description="依据往年材料和本年度数据起草工作总结及工作思路（Word 公文格式）。接口与命令行 drafter 相同。",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: not on an offline intranet.
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.core_holder = holder
    app.state.readiness = readiness
    app.state.word_cache = WordCache(
        lambda draft: holder.get().export(draft),
        max_entries=settings.word_cache_entries,
        max_exports=settings.max_concurrent_exports,
    )
    app.state.pages = page_environment()
    install_error_handlers(app)
    app.include_router(router)
    app.include_router(admin_router)
    app.include_router(accounts_router)
    app.include_router(prefill_router)
    app.include_router(login_router)
    app.include_router(corpus_router)
    _add_pages(app)
    _add_admin_page(app)
    _add_readyz(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    upload_limits = {"/api/upload": settings.max_upload_request_bytes}
    app.add_middleware(ReadinessGate, readiness=readiness)  # innermost: after access, before the body
    app.add_middleware(BodyLimitMiddleware, default_limit=settings.max_body_bytes, limits=upload_limits)
    policy = settings.access.session
    accounts = lambda: Accounts(holder.get().account_store(), policy)  # noqa: E731
    # outside the body limit: refuse unread
    app.add_middleware(AccessMiddleware, access=settings.access, accounts=accounts)
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def preparation(holder: CoreHolder) -> dict[str, Callable[[], object]]:
    """The preparation's steps on ``holder``'s core: open the corpus, load the phrase bank, load the index.

    Each loads what ``drafter ingest``/``drafter mine`` saved and prepares only what is missing or stale.
    """

    def corpus() -> object:
        return holder.get().corpus

    def bank() -> object:
        return holder.get().figure_suggestions()

    def index() -> object:
        core = holder.get()
        # Queries cut faster from now on; behind readiness, in its own thread: searches are served meanwhile.
        threading.Thread(target=core.prepare_for_searches, name="prepare-searches", daemon=True).start()
        return core.search_rows("科技创新", 1)

    return {"corpus": corpus, "bank": bank, "index": index}


def _add_readyz(app: FastAPI) -> None:
    @app.get(
        "/readyz",
        tags=["状态"],
        summary="语料是否已准备好（503 = 准备中，附进度）",
        responses={
            200: {"description": "已就绪：检索和起草都可用"},
            503: {"description": "准备中（或准备失败）：JSON 里有进度和说明；/healthz 仍为 200"},
        },
    )
    def readyz(request: Request) -> JSONResponse:
        """200 once the phrase bank and the search index are loaded; 503 with the progress before that."""
        readiness: Readiness = request.app.state.readiness
        progress = readiness.progress()
        ready = progress["status"] == "ready"
        headers = {} if ready else {"Retry-After": "1", "Cache-Control": "no-store"}
        return JSONResponse(progress, status_code=200 if ready else 503, headers=headers)
