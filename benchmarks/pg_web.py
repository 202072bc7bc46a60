"""Web workers on one PostgreSQL database under load, for bench_postgres: two ``drafter serve`` processes,
N concurrent clients searching, and where the CPU went.

Besides throughput and latency, each load run reports the CPU time spent per request by the web workers,
by the database's backends (``pg_stat_activity`` of the database, read from ``/proc``) and by this load
generator: figures that do not depend on what else the machine runs, unlike the latencies (on a shared
machine every client waits for a core). The clients sign in as writers of a unit when ``accounts`` (the
city deployment: every request checks its session in the database), else the servers run login-free (only
on a database without accounts).
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import psycopg

from benchmarks.bench_web import Load, run_load

TICK = os.sysconf("SC_CLK_TCK")
PASSWORD = "bench-password-2025"


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def backends(url: str) -> list[int]:
    """The server processes connected to ``url``'s database (the pools' connections)."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [int(r[0]) for r in rows]


def listening_port(process: subprocess.Popen[bytes], timeout: float = 300.0) -> int:
    """The TCP port ``process`` listens on (it was started with ``--port 0``)."""
    pid = process.pid
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"drafter serve exited with status {process.returncode}")
        inodes = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # LISTEN
                return int(fields[1].split(":")[1], 16)
        time.sleep(0.2)
    raise RuntimeError(f"drafter serve (pid {pid}) is not listening after {timeout:.0f} s")


def start_server(url: str) -> tuple[subprocess.Popen[bytes], str]:
    """``drafter serve --port 0`` on the database; the process and its base URL once it answers."""
    env = {**os.environ, "DRAFTER_DATABASE": url}
    cmd = [sys.executable, "-m", "drafter", "serve", "--host", "127.0.0.1", "--port", "0"]
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{listening_port(process)}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError("drafter serve did not answer")


def add_writer(url: str) -> str:
    """A unit and a writer of it in the database (the city deployment); the writer's name."""
    from drafter.accounts.service import Accounts
    from drafter.app import Drafter

    drafter = Drafter(database=url)
    try:
        accounts = Accounts(drafter.account_store())
        if not any(a.name == "bench" for a in accounts.store.accounts()):
            accounts.add_unit("青溪区科学技术局", "private")
            accounts.add_account("bench", "青溪区科学技术局", "writer", PASSWORD)
    finally:
        drafter.close()
    return "bench"


def signed_in(base: str, name: str) -> httpx.Client:
    """A client with a session of ``name`` on the server at ``base`` (sessions are valid on every worker)."""
    http = httpx.Client(timeout=120, headers={"Origin": base})
    http.get(f"{base}/login")
    http.headers["X-CSRF-Token"] = http.cookies["drafter_csrf"]
    response = http.post(f"{base}/api/login", json={"name": name, "password": PASSWORD})
    if response.status_code != 200:
        raise RuntimeError(f"sign-in failed: {response.status_code} {response.text}")
    return http


@dataclass(frozen=True)
class CpuLoad:
    """A load run with the CPU milliseconds per request it cost each side."""

    load: Load
    web_ms: float
    database_ms: float
    client_ms: float


def _searching(bases: Sequence[str], queries: Sequence[str]) -> Callable[[httpx.Client], httpx.Response]:
    """One search per call, the queries and the servers in turn."""
    counter = itertools.count()

    def search(http: httpx.Client) -> httpx.Response:
        n = next(counter)
        return http.get(
            f"{bases[n % len(bases)]}/api/search", params={"q": queries[n % len(queries)], "k": 5}
        )

    return search


def run_searches(
    servers: Sequence[tuple[int, str]],
    url: str,
    queries: Sequence[str],
    clients: int,
    seconds: float,
    writer: str | None,
) -> CpuLoad:
    """``clients`` threads searching the ``servers`` (pid, base URL) in turn for ``seconds``, after a few
    seconds of the same load unmeasured (the pools grow to their working size)."""
    pids, bases = [pid for pid, _ in servers], [base for _, base in servers]
    sessions = [
        signed_in(bases[n % len(bases)], writer) if writer else httpx.Client(timeout=120)
        for n in range(clients)
    ]
    try:
        name = f"{clients} clients"
        run_load(name, clients, min(3.0, seconds / 2), _searching(bases, queries), sessions=sessions)
        database = backends(url)
        before = [cpu_seconds(p) for p in pids], {p: cpu_seconds(p) for p in database}
        client_before = time.process_time()
        load = run_load(name, clients, seconds, _searching(bases, queries), sessions=sessions)
        client_s = time.process_time() - client_before
        web_s = sum(cpu_seconds(p) for p in pids) - sum(before[0])
        database_s = sum(cpu_seconds(p) - before[1].get(p, 0.0) for p in backends(url))
    finally:
        for http in sessions:
            http.close()
    n = max(load.requests, 1)
    return CpuLoad(load, 1000 * web_s / n, 1000 * database_s / n, 1000 * client_s / n)


def measure_web(
    url: str,
    queries: Sequence[str],
    seconds: float,
    *,
    accounts: bool,
    client_counts: Sequence[int] = (16, 64),
) -> list[CpuLoad]:
    """Two web workers on one database, ``client_counts`` clients searching (signed in when ``accounts``)."""
    writer = add_writer(url) if accounts else None
    servers = [start_server(url) for _ in range(2)]
    try:
        for _, base in servers:  # ready and warm: phrase bank, tokenizer, expander
            http = signed_in(base, writer) if writer else httpx.Client(timeout=120)
            deadline = time.monotonic() + 600
            try:
                while http.get(f"{base}/api/search", params={"q": queries[0]}).status_code != 200:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{base} does not answer searches")
                    time.sleep(0.5)
                for query in queries[:20]:
                    http.get(f"{base}/api/search", params={"q": query, "k": 5})
            finally:
                http.close()
        running = [(process.pid, base) for process, base in servers]
        return [run_searches(running, url, queries, clients, seconds, writer) for clients in client_counts]
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=30)
