"""Sign-in and sign-out: the 登录 page, ``POST /api/login``, ``POST /api/logout`` and ``GET /api/me``.

A successful sign-in sets the session cookie (``web.access.session_cookie_header``) and a fresh page token;
a wrong name or password gets one message for both (nobody learns which names exist). Both POSTs carry this
page's token like every state-changing request (``web.access``), so another site cannot sign a browser in
to an account of its choosing.
"""

from __future__ import annotations

from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from drafter.accounts.model import ROLE_NAMES
from drafter.accounts.service import AccountError, Accounts
from drafter.draft.form import decode_json
from drafter.web.access import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    Viewer,
    csrf_cookie_header,
    new_csrf_token,
    session_cookie_header,
    viewer_of,
)
from drafter.web.errors import ApiError, Problem, body_problem
from drafter.web.schemas import error_responses

router = APIRouter(tags=["登录"])


def _accounts(request: Request) -> Accounts:
    core = request.app.state.core_holder.get()
    return Accounts(core.account_store(), request.app.state.settings.access.session)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def viewer_row(viewer: Viewer) -> dict[str, Any]:
    """``{name, unit, role, role_name, signed_in}`` of the viewer."""
    return {
        "name": viewer.name,
        "unit": viewer.unit,
        "role": viewer.role,
        "role_name": ROLE_NAMES.get(viewer.role, viewer.role),
        "signed_in": viewer.signed_in,
    }


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request) -> Response:
    """The sign-in page (straight to the form when nobody needs to sign in)."""
    core = request.app.state.core_holder.get()
    if not core.account_store().has_accounts() and request.app.state.settings.access.local:
        return RedirectResponse("/", status_code=303)
    env: jinja2.Environment = request.app.state.pages
    response = HTMLResponse(
        env.get_template("login.html").render(active="login", viewer=None, preparing=None)
    )
    if CSRF_COOKIE not in request.cookies:
        response.headers.append("set-cookie", csrf_cookie_header(new_csrf_token()))
    return response


LOGIN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "password": {"type": "string"}},
                    "required": ["name", "password"],
                }
            }
        },
    }
}


@router.post("/api/login", summary="登录", responses=error_responses(401, 403, 422), openapi_extra=LOGIN_BODY)
async def login(request: Request) -> JSONResponse:
    """Sign in with ``{"name": …, "password": …}``; sets the session cookie."""
    data = decode_json(await request.body(), "登录信息")
    if not isinstance(data, dict):
        raise ApiError(422, [body_problem('登录信息应为 {"name": "账号", "password": "密码"}')])
    name, password = data.get("name"), data.get("password")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(422, [Problem(("body", "name"), "name", "请填写账号")])
    if not isinstance(password, str) or not password:
        raise ApiError(422, [Problem(("body", "password"), "password", "请填写密码")])
    accounts = _accounts(request)
    await run_in_threadpool(accounts.sign_out, request.cookies.get(SESSION_COOKIE, ""))  # no stale session
    try:
        account, token = await run_in_threadpool(accounts.sign_in, name.strip(), password)
    except AccountError as exc:
        raise ApiError(401, [Problem((), "", exc.message)]) from exc
    response = JSONResponse(viewer_row(Viewer.of(account)))
    response.headers.append("set-cookie", session_cookie_header(token, secure=_secure(request)))
    response.headers.append("set-cookie", csrf_cookie_header(new_csrf_token()))
    return response


@router.post("/api/logout", summary="退出登录", responses=error_responses(403))
async def logout(request: Request) -> JSONResponse:
    """End this browser's session and clear its cookie."""
    token = request.cookies.get(SESSION_COOKIE, "")
    await run_in_threadpool(_accounts(request).sign_out, token)
    response = JSONResponse({"signed_out": True})
    response.headers.append("set-cookie", session_cookie_header("", secure=_secure(request), clear=True))
    return response


@router.get("/api/me", summary="当前用户（账号、单位、角色）", responses=error_responses(401))
def me(request: Request) -> JSONResponse:
    """Who this browser is signed in as (本机用户 in single-PC mode)."""
    return JSONResponse(viewer_row(viewer_of(request)))
