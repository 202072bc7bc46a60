"""``drafter serve``: the web app under uvicorn, on a socket that listens before the address is printed.

The app answers at once; the corpus is prepared behind it (``web.readiness``), and a line is printed when that
is done.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.errors import DrafterError
from drafter.resources import default_corpus_path

if TYPE_CHECKING:
    from drafter.accounts.service import SessionPolicy
    from drafter.web.readiness import Readiness


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    corpus_path: Path | None = None,
    *,
    allowed_hosts: tuple[str, ...] = (),
    session: SessionPolicy | None = None,
) -> None:
    """Run the web app with uvicorn until interrupted (the corpus is checked first: a bad one fails fast).

    Beyond the loopback address it refuses to start (``DrafterError``) until an account exists: with
    accounts, every page needs a signed-in session.
    """
    # The port listens first, before FastAPI loads: a browser opened at once waits for its answer instead of
    # meeting "connection refused", and a port already in use is reported before anything else is done.
    sock = listening_socket(host, port)
    try:
        app, core = _app(sock, corpus_path, host, allowed_hosts, session)
    except BaseException:
        sock.close()
        raise
    readiness: Readiness = app.state.readiness
    threading.Thread(target=_announce_ready, args=(readiness,), daemon=True).start()
    import uvicorn  # lazy: start-up

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        core.close()


def _app(
    sock: socket.socket,
    corpus_path: Path | None,
    host: str,
    allowed_hosts: tuple[str, ...],
    session: SessionPolicy | None,
) -> tuple[Any, Any]:
    """The web app and its core, after the corpus is opened and the accounts checked; the address printed."""
    from drafter.accounts.service import SessionPolicy  # lazy: start-up
    from drafter.app import Drafter  # lazy: start-up (the port listens before the app loads)
    from drafter.web.access import NO_ACCOUNT_YET, AccessSettings, access_for  # lazy: start-up
    from drafter.web.api import WebSettings, export_processes  # lazy: start-up
    from drafter.web.app import create_app  # lazy: start-up

    core = Drafter(corpus_path, export_workers=export_processes())
    if corpus_path is not None or default_corpus_path().exists():
        _ = core.corpus  # CorpusError here reaches the command line as one clear line (a new one fills later)
    rules = access_for(host, AccessSettings(tuple(allowed_hosts), session or SessionPolicy()))
    has_accounts = core.account_store().has_accounts()
    if not rules.local and not has_accounts:
        core.close()
        raise DrafterError(f"不能监听 {host}：{NO_ACCOUNT_YET}然后再启动 drafter serve --host {host}。")
    app = create_app(core, settings=WebSettings(access=rules))
    # Printed once the port accepts connections (the app answers them as soon as uvicorn runs, just below).
    print(f"Drafter 网页表单：http://{host}:{sock.getsockname()[1]}/  （按 Ctrl+C 停止）", flush=True)
    print(
        "语料在后台准备（载入短语库和检索索引）：页面先打开，准备好以前显示“准备中”，进度见 /readyz。",
        flush=True,
    )
    if has_accounts:
        print("已设置账号：每个页面都须登录；撰稿人只看到本单位和全市共享的材料。", flush=True)
    return app, core


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (0: any free port) and listening; a clear ``DrafterError`` if it cannot."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise DrafterError(
            f"--host {host}：无法使用这个地址（{exc}），请用本机的地址，例如 127.0.0.1。"
        ) from exc
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise DrafterError(
            f"无法在 {host}:{port} 上监听（{exc.strerror or exc}）：端口可能已被占用，请用 --port 换一个端口。"
        ) from exc
    sock.set_inheritable(True)
    return sock


def _announce_ready(readiness: Readiness) -> None:
    """Print once the preparation ended: ready, or what failed."""
    readiness.wait()
    progress = readiness.progress()
    if progress["status"] == "ready":
        print(f"语料已准备好（用时 {progress['elapsed']:g} 秒）：检索和起草均可使用。", flush=True)
    else:
        print(progress["message"], flush=True)
