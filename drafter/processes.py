"""Child processes that never outlive their parent, and limits on what one child may spend.

Every process Drafter starts (ingest workers, the upload parser, the search index's counting children) calls
``die_with_parent`` first: on Linux the kernel sends it SIGKILL when the process that started it dies, even
by ``kill -9``; elsewhere a watcher thread polls the parent. ``limit_resources`` caps a child's address space
and CPU time so a hostile file costs that child, not the server. ``exit_on_sigterm`` makes SIGTERM unwind
the main process (``finally`` blocks run, worker pools are shut down) instead of dropping it where it stands.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

if sys.platform != "win32":
    import resource

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5


def die_with_parent(parent: int | None = None) -> None:
    """Make this process end when its parent ends, and when ``parent`` (an ancestor, if given) ends.

    A forkserver child's parent is the fork server, which itself leaves when the process that started it
    is gone; the ancestor is watched as well, so neither link of the chain is trusted alone.
    """
    direct = os.getppid()
    if sys.platform.startswith("linux") and _set_pdeathsig(signal.SIGKILL):
        # The parent may have died before prctl took effect: then the signal will never come.
        if os.getppid() != direct:
            os._exit(1)
        if parent is None or parent == direct:
            return
    _watch(direct if parent is None else parent)


def _set_pdeathsig(sig: int) -> bool:
    import ctypes  # lazy: start-up (only a child asks)
    import ctypes.util  # lazy: start-up

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    def watch() -> None:
        while alive(parent):
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="drafter-parent-watch", daemon=True).start()


def alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a killed process its own parent has not reaped yet does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True  # no /proc here: signal 0 was the whole check
    return stat.rsplit(")", 1)[-1].split()[0] not in {"Z", "X"}


def limit_resources(memory_bytes: int | None, cpu_seconds: int | None) -> None:
    """Cap this process's address space and CPU time (where the platform supports it)."""
    if sys.platform == "win32":  # pragma: no cover - no resource limits there
        return
    if memory_bytes is not None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if cpu_seconds is not None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))


def exit_on_sigterm() -> None:
    """Turn SIGTERM into ``SystemExit`` in the main thread, so cleanup runs and children are ended."""
    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGTERM, handler)
