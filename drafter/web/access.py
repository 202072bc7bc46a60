"""Who may use the web app and what they see, checked before a request body is even read.

Two modes. Without any account (single-PC mode) the app answers login-free, and only on the loopback
address (``drafter serve`` refuses another address until an administrator exists). With accounts, every page
and API needs a signed-in session (the ``drafter_session`` cookie: HttpOnly, SameSite=Strict, Secure over
https), except the sign-in page, ``/healthz``, ``/readyz`` and the static assets; ``/admin`` and
``/api/admin/`` need an administrator. The signed-in person becomes the request's ``Viewer``: their unit's
scope decides what search, references, the corpus list and exports show, and where their uploads go.

Every request that changes stored state (any POST, PUT, PATCH or DELETE but the three that only compute an
answer: draft, preview, form parsing) must name this server in its ``Host`` header (a DNS-rebinding page
names its own domain), come from this server's own page (``Origin``, else ``Referer``, when the browser
sends them) and carry the page's token twice: in the ``drafter_csrf`` cookie the pages set (``SameSite=
Strict``) and in the ``X-CSRF-Token`` header (double submit). That covers sign-in too (no login CSRF).
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from drafter.accounts.model import Account
from drafter.accounts.service import Accounts, SessionPolicy
from drafter.accounts.store import AccountStore
from drafter.changes import Actor
from drafter.errors import DrafterError
from drafter.scopes import EVERYTHING, Owner, Visibility
from drafter.scopes import Scope as ViewScope
from drafter.web.errors import ApiError, Problem, error_response

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_HOSTS = ("", "0.0.0.0", "::")
CSRF_COOKIE = "drafter_csrf"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "drafter_session"
ADMIN_PREFIX = "/api/admin/"
ADMIN_PAGE = "/admin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
COMPUTE_ONLY = frozenset({"/api/draft", "/api/preview", "/api/form/parse"})
"""POSTs that store nothing: they answer from the posted form (a session is still needed with accounts)."""
PUBLIC_PATHS = frozenset({"/login", "/api/login", "/api/logout", "/healthz", "/readyz"})
PUBLIC_PREFIXES = ("/static/",)
NO_ACCOUNT_YET = (
    "本服务监听本机以外的地址，但还没有任何账号，已拒绝访问：请管理员在服务器上用 "
    "drafter admin user add 名称 --role admin 创建管理员账号。"
)


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a signed-in account, or the person at this PC in single-PC mode (sees everything)."""

    name: str
    unit: str = ""
    role: str = "admin"
    signed_in: bool = False

    @classmethod
    def of(cls, account: Account) -> Viewer:
        """The viewer of a signed-in account."""
        return cls(account.name, account.unit, account.role, True)

    @property
    def is_admin(self) -> bool:
        """Whether this viewer administers the corpus."""
        return self.role == "admin"

    @property
    def scope(self) -> ViewScope:
        """The documents this viewer sees: everything for an administrator, else their unit's scope."""
        return EVERYTHING if self.is_admin else ViewScope(self.unit)

    def owner(self, visibility: Visibility) -> Owner:
        """Where this viewer's uploads go: their unit (an administrator's: the common corpus)."""
        return Owner("" if self.is_admin else self.unit, visibility)


LOCAL_VIEWER = Viewer("本机用户")


@dataclass(frozen=True)
class AccessSettings:
    """What the administrator chose at ``drafter serve``."""

    allowed_hosts: tuple[str, ...] = ()
    """Names the server is reached by, besides its own host name and addresses."""
    session: SessionPolicy = field(default_factory=SessionPolicy)


@dataclass(frozen=True)
class Access:
    """The effective rules: the names this server answers to, whether it listens on loopback only, sessions."""

    served_hosts: tuple[str, ...] = LOOPBACK_NAMES
    local: bool = True
    session: SessionPolicy = field(default_factory=SessionPolicy)


def is_loopback(host: str) -> bool:
    """True when ``host`` (a listening address or name) is reachable from this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def access_for(host: str, settings: AccessSettings | None = None) -> Access:
    """The rules for a server listening on ``host`` with the administrator's ``settings``."""
    settings = settings or AccessSettings()
    local = is_loopback(host)
    names = {*LOOPBACK_NAMES, *(h.strip().lower() for h in settings.allowed_hosts if h.strip())}
    if not local:
        names.add(host.strip("[]").lower())
        if host in WILDCARD_HOSTS:
            names.update(n.lower() for n in (socket.gethostname(), socket.getfqdn()) if n)
    return Access(served_hosts=tuple(sorted(names - {""})), local=local, session=settings.session)


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without port or IPv6 brackets, lower-case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def new_csrf_token() -> str:
    """A fresh token for the ``drafter_csrf`` cookie."""
    return secrets.token_urlsafe(24)


def csrf_cookie_header(token: str) -> str:
    """The ``Set-Cookie`` value of the page token (readable by the page's script, never sent cross-site)."""
    return f"{CSRF_COOKIE}={token}; Path=/; SameSite=Strict"


def session_cookie_header(token: str, *, secure: bool, clear: bool = False) -> str:
    """The ``Set-Cookie`` value of a session (unreadable by scripts, never sent cross-site)."""
    value = f"{SESSION_COOKIE}={'' if clear else token}; Path=/; HttpOnly; SameSite=Strict"
    if clear:
        value += "; Max-Age=0"
    return value + ("; Secure" if secure else "")


def cookie_value(header: str, name: str) -> str:
    """The value of cookie ``name`` in a ``Cookie`` header ('' when absent or malformed)."""
    cookie: SimpleCookie = SimpleCookie()
    try:
        cookie.load(header)
    except Exception:  # a malformed Cookie header is simply no cookie
        return ""
    return cookie[name].value if name in cookie else ""


def _same(given: str | None, expected: str | None) -> bool:
    """Constant-time equality of a header value (latin-1, as HTTP carries it) and a secret."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("latin-1", "replace"), expected.encode("utf-8", "replace"))


def changes_state(method: str, path: str) -> bool:
    """Whether a request may change stored state (and so needs this page's token)."""
    return method not in SAFE_METHODS and path not in COMPUTE_ONLY


def actor_of(scope_client: tuple[str, int] | None, viewer: Viewer) -> Actor:
    """Who is asking, for the change log: their account (or 本机用户) and address."""
    address = scope_client[0] if scope_client else "未知地址"
    return Actor(viewer.name, address)


def refusal(method: str, path: str, headers: dict[str, str], access: Access) -> str | None:
    """Why this request may not change stored state (a Chinese message), or None when it may."""
    if not changes_state(method, path):
        return None
    raw_host = headers.get("host", "")
    host = host_name(raw_host)
    if host not in access.served_hosts and not _is_ip(host):
        return f"访问地址“{host[:100]}”不是本服务的地址，已拒绝：请用服务器的地址访问（管理员可用 drafter serve --allowed-host 添加）"
    origin = headers.get("origin") or headers.get("referer")
    if origin is not None and urlsplit(origin).netloc.lower() != raw_host.strip().lower():
        return "跨站请求已拒绝：请在本服务的页面上操作"
    if not _same(headers.get(CSRF_HEADER), cookie_value(headers.get("cookie", ""), CSRF_COOKIE)):
        return "页面令牌缺失或不符（可能页面已过期）：请刷新页面后重试"
    return None


def is_public(path: str) -> bool:
    """Whether ``path`` answers without a session (sign-in, health, static assets)."""
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


NO_ACCOUNT_RECHECK = 1.0
"""Seconds a server without accounts trusts that none was added (each request asked the database: a thread
and a connection per request); an account added by ``drafter admin user add`` counts within this."""


class AccessMiddleware:
    """Refuses (403/401) what ``refusal`` and the session rules find fault with, before the body is read;
    puts the request's ``Viewer`` in ``request.state.viewer``."""

    def __init__(self, app: ASGIApp, *, access: Access, accounts: Callable[[], Accounts]) -> None:
        self.app = app
        self.access = access
        self.accounts = accounts
        self._accounts_seen = False
        """Once an account exists it stays (accounts are disabled, never deleted): no need to ask again."""
        self._no_account_until = 0.0
        """Until when (monotonic) no account is known to exist: asked again after ``NO_ACCOUNT_RECHECK``."""

    def viewer(self, headers: dict[str, str]) -> tuple[Viewer | None, int, str]:
        """The request's viewer, or None with the status and message of the refusal."""
        accounts = self.accounts()
        if not self._accounts_seen:
            if not accounts.store.has_accounts():
                self._no_account_until = time.monotonic() + NO_ACCOUNT_RECHECK
                return self._without_accounts()
            self._accounts_seen = True
        account = accounts.session_account(cookie_value(headers.get("cookie", ""), SESSION_COOKIE))
        if account is None:
            return None, 401, "请先登录（尚未登录，或登录已过期）：请在登录页输入账号和密码。"
        return Viewer.of(account), 200, ""

    def _without_accounts(self) -> tuple[Viewer | None, int, str]:
        return (LOCAL_VIEWER, 200, "") if self.access.local else (None, 403, NO_ACCOUNT_YET)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        method, path = scope["method"], scope["path"]
        message = refusal(method, path, headers, self.access)
        if message is not None:
            await error_response(403, [Problem((), "", message)])(scope, receive, send)
            return
        if not is_public(path):
            try:
                if not self._accounts_seen and time.monotonic() < self._no_account_until:
                    viewer, status, refused = self._without_accounts()  # no thread, no database
                else:
                    viewer, status, refused = await run_in_threadpool(self.viewer, headers)
            except DrafterError as exc:  # the corpus database cannot be read: say so, never a 500
                viewer, status, refused = None, 503, exc.message
            if viewer is None:
                if status == 401 and method == "GET" and not path.startswith("/api/"):
                    await RedirectResponse("/login", status_code=303)(scope, receive, send)
                else:
                    response = error_response(status, [Problem((), "", refused)])
                    if status == 503:  # the database restarts: it takes seconds
                        response.headers["Retry-After"] = "5"
                    await response(scope, receive, send)
                return
            if (path == ADMIN_PAGE or path.startswith(ADMIN_PREFIX)) and not viewer.is_admin:
                refused = "只有管理员可以管理语料库：请用管理员账号登录。"
                await error_response(403, [Problem((), "", refused)])(scope, receive, send)
                return
            scope.setdefault("state", {})["viewer"] = viewer
        await self.app(scope, receive, send)


def viewer_of(request: Request) -> Viewer:
    """The viewer ``AccessMiddleware`` found for ``request`` (401 when there is none: never a default)."""
    viewer = getattr(request.state, "viewer", None)
    if not isinstance(viewer, Viewer):
        raise ApiError(401, [Problem((), "", "请先登录：请在登录页输入账号和密码。")])
    return viewer


def unit_visibility(store: AccountStore, unit: str) -> Visibility:
    """Where ``unit``'s uploads go when the writer does not choose: the unit's setting (shared without one)."""
    found = next((u for u in store.units() if u.name == unit), None) if unit else None
    return found.default_visibility if found is not None else "shared"
