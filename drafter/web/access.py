"""Who may change the corpus through the web app, checked before a request body is even read.

Every corpus-changing request (an upload, and everything under ``/api/admin/``) must name this server in its
``Host`` header (a DNS-rebinding page names its own domain), come from this server's own page (``Origin``,
else ``Referer``, when the browser sends them) and carry the page's token twice: in the ``drafter_csrf``
cookie the pages set (``SameSite=Strict``) and in the ``X-CSRF-Token`` header (double submit; another site
can neither read the cookie nor send it). When the server listens beyond the loopback address, an upload
also needs the key the administrator set (``X-Drafter-Key``), and administration always needs the admin
key. Read-only requests (drafting, search) are open as before.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from drafter.changes import Actor
from drafter.web.errors import Problem, error_response

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARD_HOSTS = ("", "0.0.0.0", "::")
CSRF_COOKIE = "drafter_csrf"
CSRF_HEADER = "x-csrf-token"
KEY_HEADER = "x-drafter-key"
UPLOAD_PATH = "/api/upload"
UPLOAD_PATHS = frozenset({UPLOAD_PATH, "/api/prefill"})
"""Requests that add reports to the corpus: an upload, and last year's report uploaded to pre-fill the form."""
ADMIN_PREFIX = "/api/admin/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class AccessSettings:
    """What the administrator chose at ``drafter serve``."""

    upload_key: str | None = None
    admin_key: str | None = None
    trust_uploads: bool = False
    """Uploads go straight into the corpus even when the server listens beyond the loopback address."""
    allowed_hosts: tuple[str, ...] = ()
    """Names the server is reached by, besides its own host name and addresses."""


@dataclass(frozen=True)
class Access:
    """The effective rules: the names this server answers to, the keys, and whether uploads wait for review."""

    served_hosts: tuple[str, ...] = LOOPBACK_NAMES
    upload_key: str | None = None
    admin_key: str | None = None
    upload_needs_key: bool = False
    review_uploads: bool = False


def is_loopback(host: str) -> bool:
    """True when ``host`` (a listening address or name) is reachable from this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def access_for(host: str, settings: AccessSettings) -> Access:
    """The rules for a server listening on ``host`` with the administrator's ``settings``."""
    local = is_loopback(host)
    names = {*LOOPBACK_NAMES, *(h.strip().lower() for h in settings.allowed_hosts if h.strip())}
    if not local:
        names.add(host.strip("[]").lower())
        if host in WILDCARD_HOSTS:
            names.update(n.lower() for n in (socket.gethostname(), socket.getfqdn()) if n)
    return Access(
        served_hosts=tuple(sorted(names - {""})),
        upload_key=settings.upload_key,
        admin_key=settings.admin_key,
        upload_needs_key=not local or settings.upload_key is not None,
        review_uploads=not local and not settings.trust_uploads,
    )


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


def _same(given: str | None, expected: str | None) -> bool:
    """Constant-time equality of a header value (latin-1, as HTTP carries it) and a secret."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("latin-1", "replace"), expected.encode("utf-8"))


def valid_key(key: str) -> bool:
    """Whether ``key`` can travel in an HTTP header from a browser: visible ASCII, 8 characters or more."""
    return len(key) >= 8 and all(33 <= ord(c) < 127 for c in key)


def role_of(headers: dict[str, str], access: Access) -> str | None:
    """``管理员`` or ``上传者`` for the key in the request (or no key needed), else None."""
    key = headers.get(KEY_HEADER, "")
    if access.admin_key is not None and _same(key, access.admin_key):
        return "管理员"
    if not access.upload_needs_key or (access.upload_key is not None and _same(key, access.upload_key)):
        return "上传者"
    return None


def actor_of(scope_client: tuple[str, int] | None, headers: dict[str, str], access: Access) -> Actor:
    """Who is asking, for the change log: their role and address."""
    address = scope_client[0] if scope_client else "未知地址"
    return Actor(role_of(headers, access) or "未授权", address)


def refusal(method: str, path: str, headers: dict[str, str], access: Access) -> str | None:
    """Why this request may not change the corpus (a Chinese message), or None when it may."""
    admin = path.startswith(ADMIN_PREFIX)
    if not admin and not (path in UPLOAD_PATHS and method not in SAFE_METHODS):
        return None
    raw_host = headers.get("host", "")
    host = host_name(raw_host)
    if host not in access.served_hosts and not _is_ip(host):
        return f"访问地址“{host[:100]}”不是本服务的地址，已拒绝：请用服务器的地址访问（管理员可用 drafter serve --allowed-host 添加）"
    if method not in SAFE_METHODS:
        origin = headers.get("origin") or headers.get("referer")
        if origin is not None and urlsplit(origin).netloc.lower() != raw_host.strip().lower():
            return "跨站请求已拒绝：请在本服务的页面上操作"
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is simply no token
            cookie = SimpleCookie()
        token = cookie[CSRF_COOKIE].value if CSRF_COOKIE in cookie else None
        if not _same(headers.get(CSRF_HEADER), token):
            return "页面令牌缺失或不符（可能页面已过期）：请刷新页面后重试"
    if admin:
        if access.admin_key is None:
            return "管理员未设置管理员口令，网页管理已关闭：请以 drafter serve --admin-key … 启动，或在命令行用 drafter corpus 管理"
        if not _same(headers.get(KEY_HEADER, ""), access.admin_key):
            return "管理员口令不对：请向管理员确认"
        return None
    if role_of(headers, access) is None:
        if access.upload_key is None and access.admin_key is None:
            return "管理员未设置上传口令，网页上传已关闭：请管理员以 drafter serve --upload-key … 启动"
        return "上传口令不对：请填写管理员设置的上传口令"
    return None


class AccessMiddleware:
    """Refuses (403) a corpus-changing request that ``refusal`` finds fault with, before its body is read."""

    def __init__(self, app: ASGIApp, *, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []
            }
            message = refusal(scope["method"], scope["path"], headers, self.access)
            if message is not None:
                await error_response(403, [Problem((), "", message)])(scope, receive, send)
                return
        await self.app(scope, receive, send)
