"""Units and accounts managed on the web by an administrator (list and add units; list, add, disable,
enable accounts and reset a password): the same service (and rules) as ``drafter admin``.

Every route sits under ``/api/admin/``, which ``web.access.AccessMiddleware`` opens only to an administrator's
session (or the person at this PC in single-PC mode); every change also needs this server's own page and
its CSRF token. Passwords are never shown back; a reset or a disabled account ends the account's sessions.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from drafter.accounts.model import ROLE_NAMES, Account, Unit
from drafter.accounts.service import AccountError, Accounts
from drafter.scopes import VISIBILITY_NAMES
from drafter.web.access import viewer_of
from drafter.web.schemas import error_responses

router = APIRouter(prefix="/api/admin", tags=["管理"])

Name = Annotated[str, Path(max_length=64, description="账号名称")]


class NewAccount(BaseModel):
    """An account to add."""

    name: str = Field(max_length=64, description="账号名称")
    unit: str = Field("", max_length=200, description="所属单位（撰稿人必填；管理员可空）")
    role: Literal["writer", "admin"] = Field("writer", description="writer 撰稿人 / admin 管理员")
    password: str = Field(max_length=200, description="初始密码")


class NewUnit(BaseModel):
    """A unit to add."""

    name: str = Field(max_length=200, description="单位名称")
    default_visibility: Literal["private", "shared"] = Field(
        "private", description="本单位上传的默认可见范围：private 仅本单位 / shared 全市共享"
    )


class NewPassword(BaseModel):
    """A password to set."""

    password: str = Field(max_length=200, description="新密码")


def _accounts(request: Request) -> Accounts:
    core = request.app.state.core_holder.get()
    return Accounts(core.account_store(), request.app.state.settings.access.session)


def unit_row(unit: Unit) -> dict[str, Any]:
    """A unit as the page shows it."""
    visibility = unit.default_visibility
    return {
        "name": unit.name,
        "default_visibility": visibility,
        "visibility_name": VISIBILITY_NAMES.get(visibility, visibility),
        "created": unit.created,
    }


def account_row(account: Account) -> dict[str, Any]:
    """An account as the page shows it (never its password hash)."""
    return {
        "name": account.name,
        "unit": account.unit,
        "role": account.role,
        "role_name": ROLE_NAMES.get(account.role, account.role),
        "disabled": account.disabled,
        "created": account.created,
    }


@router.get("/units", summary="单位列表", responses=error_responses(403, 503))
def units(request: Request) -> JSONResponse:
    """Every unit, by name."""
    return JSONResponse([unit_row(u) for u in _accounts(request).store.units()])


@router.post("/units", summary="添加单位", status_code=201, responses=error_responses(403, 422, 503))
def add_unit(request: Request, body: NewUnit) -> JSONResponse:
    """Add a unit (its writers' uploads are private to it or shared city-wide by default, as chosen)."""
    unit = _accounts(request).add_unit(body.name.strip(), body.default_visibility)
    return JSONResponse(unit_row(unit), status_code=201)


@router.get("/users", summary="账号列表", responses=error_responses(403, 503))
def users(request: Request) -> JSONResponse:
    """Every account (disabled ones too), by name."""
    rows = sorted(_accounts(request).store.accounts(), key=lambda a: a.name)
    return JSONResponse([account_row(a) for a in rows])


@router.post("/users", summary="添加账号", status_code=201, responses=error_responses(403, 422, 503))
def add_user(request: Request, body: NewAccount) -> JSONResponse:
    """Add an account (a writer needs an existing unit); the password follows the same rules as the CLI's."""
    service = _accounts(request)
    account = service.add_account(body.name, body.unit, body.role, body.password)
    return JSONResponse(account_row(account), status_code=201)


@router.post("/users/{name}/disable", summary="停用账号", responses=error_responses(403, 422, 503))
def disable_user(request: Request, name: Name) -> JSONResponse:
    """Disable an account; its sessions end at once. An administrator cannot disable their own account."""
    viewer = viewer_of(request)
    if viewer.signed_in and viewer.name == name:
        raise AccountError("不能停用自己正在使用的账号：请用另一个管理员账号操作。")
    service = _accounts(request)
    service.set_disabled(name, True)
    return JSONResponse(account_row(service.account(name)))


@router.post("/users/{name}/enable", summary="启用账号", responses=error_responses(403, 422, 503))
def enable_user(request: Request, name: Name) -> JSONResponse:
    """Enable a disabled account again."""
    service = _accounts(request)
    service.set_disabled(name, False)
    return JSONResponse(account_row(service.account(name)))


@router.post("/users/{name}/password", summary="重设密码", responses=error_responses(403, 422, 503))
def reset_password(request: Request, name: Name, body: NewPassword) -> JSONResponse:
    """Give an account a new password (which also lifts a lockout); its sessions end."""
    service = _accounts(request)
    service.set_password(name, body.password)
    return JSONResponse(account_row(service.account(name)))
