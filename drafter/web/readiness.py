"""Readiness: the server answers at once and prepares the corpus's phrase bank and search index behind it.

``drafter serve`` accepts connections before anything heavy is loaded. ``Readiness.start`` runs the
preparation in a background thread, step by step: open the corpus (the default one is filled from the samples
on first use), load the phrase bank (mined now if the corpus never was), load the search index (built now if
missing or stale). Meanwhile ``/healthz`` answers 200 (alive), ``/readyz`` 503 with the progress as JSON (the
readiness contract, not an error) and 200 once ready. A request that needs a step not yet done gets **409**
with ``Retry-After`` and the Chinese 准备中 message (``PREPARING_STATUS``); every other request is served. A
preparation that fails stops gating: requests then meet the failure themselves (a broken corpus answers with
its own message), and ``/readyz`` says what failed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from drafter.errors import DrafterError
from drafter.web.errors import Problem, error_response

LOG = logging.getLogger("drafter.web.readiness")

PREPARING_STATUS = 409
"""The status of a request that needs what is still being prepared (never a 5xx: the server is fine)."""
RETRY_AFTER_SECONDS = 2

STEPS: tuple[tuple[str, str], ...] = (
    ("corpus", "打开语料库"),
    ("bank", "载入短语库（语料库从未挖掘时现在挖掘，语料多时需几分钟）"),
    ("index", "载入检索索引（缺少或过期时现在建立）"),
)
"""The preparation's steps in order: (name, what the page says while it runs)."""

NEEDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("GET", "/api/search", ("corpus", "index")),
    ("GET", "/api/phrases", ("corpus", "bank")),
    ("GET", "/api/figure-suggestions", ("corpus", "bank")),
    ("POST", "/api/draft", ("corpus", "bank", "index")),
    ("POST", "/api/preview", ("corpus", "bank", "index")),
    ("POST", "/api/upload", ("corpus",)),
    ("*", "/api/admin/", ("corpus",)),
    ("*", "/api/prefill/", ("corpus",)),
)
"""What each route needs prepared (method, path or path prefix ending in ``/``, steps); others need nothing."""


@dataclass
class _Step:
    name: str
    label: str
    state: str = "waiting"  # waiting | running | done | failed
    seconds: float = 0.0


class Readiness:
    """The preparation's progress, shared by the background thread, ``/readyz``, the gate and the pages."""

    def __init__(self) -> None:
        self._steps = [_Step(name, label) for name, label in STEPS]
        self._lock = threading.Lock()
        self._started: float | None = None
        self._finished = threading.Event()
        self._failure: str | None = None
        self._thread: threading.Thread | None = None

    # --- running ----------------------------------------------------------------------------------------
    def start(self, actions: dict[str, Callable[[], object]]) -> threading.Thread:
        """Run ``actions`` (one per step name, in ``STEPS`` order) in a daemon thread; returns the thread."""
        with self._lock:
            self._started = time.monotonic()
        thread = threading.Thread(target=self._run, args=(actions,), name="drafter-prepare", daemon=True)
        self._thread = thread
        thread.start()
        return thread

    def _run(self, actions: dict[str, Callable[[], object]]) -> None:
        try:
            for step in self._steps:
                with self._lock:
                    step.state = "running"
                began = time.monotonic()
                try:
                    actions[step.name]()
                except DrafterError as exc:
                    self._fail(step, began, exc.message)
                    LOG.warning("准备失败（%s）：%s", step.label, exc.message)
                    return
                except Exception as exc:  # a bug must not leave the page saying 准备中 forever
                    self._fail(step, began, f"{type(exc).__name__}: {exc}")
                    LOG.exception("准备失败（%s）", step.label)
                    return
                with self._lock:
                    step.state = "done"
                    step.seconds = round(time.monotonic() - began, 3)
        finally:
            self._finished.set()

    def _fail(self, step: _Step, began: float, message: str) -> None:
        with self._lock:
            step.state = "failed"
            step.seconds = round(time.monotonic() - began, 3)
            self._failure = f"{step.label.split('（')[0]}失败：{message}"

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the preparation ended (or ``timeout``); whether it ended."""
        return self._finished.wait(timeout)

    # --- asking -----------------------------------------------------------------------------------------
    @property
    def preparing(self) -> bool:
        """Whether a preparation was started and is still running."""
        return self._started is not None and not self._finished.is_set()

    @property
    def ready(self) -> bool:
        """Whether every step is done (or no preparation was asked for: the app loads on first use)."""
        if self._started is None:
            return True
        with self._lock:
            return all(step.state == "done" for step in self._steps)

    def missing(self, needs: tuple[str, ...]) -> bool:
        """Whether a request needing ``needs`` must wait (never after the preparation ended, even failed)."""
        if not self.preparing:
            return False
        with self._lock:
            return any(step.state != "done" for step in self._steps if step.name in needs)

    def progress(self) -> dict[str, Any]:
        """The JSON ``/readyz`` answers: status, the running step, every step's state, a Chinese message."""
        with self._lock:
            elapsed = round(time.monotonic() - self._started, 1) if self._started is not None else 0.0
            steps = [
                {"name": s.name, "label": s.label, "state": s.state, "seconds": s.seconds}
                for s in self._steps
            ]
            done = sum(s.state == "done" for s in self._steps)
            running = next((s for s in self._steps if s.state == "running"), None)
            failure = self._failure
        if self._started is None or done == len(steps):
            status, message = "ready", "已就绪"
        elif failure is not None:
            status, message = "failed", f"{failure}（检索和起草会在使用时再试，并说明原因）"
        else:
            status = "preparing"
            doing = running.label if running is not None else "准备"
            message = f"准备中：第 {done + 1} 步，共 {len(steps)} 步，正在{doing}；已用 {elapsed:g} 秒"
        return {
            "status": status,
            "message": message,
            "step": running.name if running is not None else None,
            "done": done,
            "total": len(steps),
            "elapsed": elapsed,
            "steps": steps,
        }

    def preparing_response_body(self) -> dict[str, Any]:
        """The 准备中 answer's extra keys (beside ``detail``)."""
        return {"preparing": self.progress()}


def needs_of(method: str, path: str) -> tuple[str, ...]:
    """The preparation steps a request needs (``()`` for one that can always be served)."""
    for want, route, needs in NEEDS:
        if want not in ("*", method):
            continue
        if path == route or (route.endswith("/") and path.startswith(route)):
            return needs
    return ()


def preparing_message(progress: dict[str, Any]) -> str:
    """The Chinese 准备中 message of a request that must wait."""
    return f"{progress['message']}。服务刚启动，正在准备语料，请 {RETRY_AFTER_SECONDS} 秒后重试（进度见 /readyz）"


class ReadinessGate:
    """Answers 409 准备中 (with ``Retry-After``) to a request whose route needs a step not yet prepared."""

    def __init__(self, app: ASGIApp, *, readiness: Readiness) -> None:
        self.app = app
        self.readiness = readiness

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.readiness.preparing:
            needs = needs_of(scope.get("method", "GET"), scope.get("path", ""))
            if needs and self.readiness.missing(needs):
                progress = self.readiness.progress()
                response = error_response(
                    PREPARING_STATUS, [Problem((), "", preparing_message(progress))], {"preparing": progress}
                )
                response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
