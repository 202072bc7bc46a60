"""Load on the web app: 16 writers drafting at once against ``drafter serve`` on loopback.

Starts the server as a subprocess (``python -m drafter serve``) on a corpus built for the run, posts the
sample annual form to ``/api/draft`` from 16 concurrent clients for a minute, and reports requests, errors,
throughput, p50/p95 latency, the server's CPU per request (its export workers included) and peak memory.
Anchors measured in the same run: one draft in process on the same corpus (no HTTP, no concurrency, no
cache; then composing alone, with the drafting caches) and ``GET /healthz`` under the same load (the HTTP
floor). Three draft runs: the same sample form every time (what the target names: composed once and
exported once per corpus state, ``drafter.app_drafts`` and ``drafter.web.cache``); forms that differ in
one figure (composed and exported every time; the sections the figure is not in reuse their reference
searches); forms that share no reference search with any earlier one (the uncached cost). The full variant
repeats it all with the external corpus (ingested, minutes, or ``--external-corpus`` prepared).

    python -m benchmarks.bench_web [--quick] [--seconds 60] [--clients 16] [--external DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx2 as httpx
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "corpus"
EXTERNAL = REPO.parent / "shared" / "corpus-external"
TARGET_P50_MS = 300.0
TARGET_DISTINCT_P50_MS = 500.0


@dataclass(frozen=True)
class Load:
    """What one load run measured."""

    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: tuple[float, ...]
    cpu_seconds: float = 0.0
    """CPU the server (and its export workers) used during the run."""

    @property
    def cpu_ms_per_request(self) -> float:
        """Server CPU per request, in ms (0 when not measured)."""
        return 1000 * self.cpu_seconds / self.requests if self.requests else 0.0

    @property
    def throughput(self) -> float:
        """Successful requests per second."""
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """The ``q``-th percentile latency in ms (0 when nothing was measured)."""
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else 0.0
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[round(q) - 1]


def sample_form() -> dict[str, Any]:
    """The sample annual form as the web page would post it."""
    from drafter.draft.form import load_form

    path = next(iter(sorted((REPO / "examples" / "forms").glob("*annual*.yaml"))))
    data: dict[str, Any] = load_form(path).model_dump(mode="json", exclude_none=True)
    return data


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ingest(corpus: Path, source: Path) -> float:
    """Ingest ``source`` into ``corpus`` with the command line; the seconds it took."""
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "drafter", "ingest", str(source), "--corpus", str(corpus)]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"drafter ingest {source} failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - started


class ServerProcess:
    """``drafter serve`` on loopback, started and stopped by this benchmark."""

    def __init__(self, corpus: Path, startup_timeout: float) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "drafter", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen([*cmd, "--corpus", str(corpus)], stdout=subprocess.DEVNULL)
        self.started_in = self._wait("/healthz", startup_timeout)
        """Seconds until the server answered (``/healthz``)."""
        self.ready_in = self.started_in + self._wait("/readyz", startup_timeout)
        """Seconds until its corpus was prepared (``/readyz`` 200: bank and index loaded)."""

    def _wait(self, path: str, timeout: float) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"drafter serve exited with status {self.process.returncode}")
            try:
                if httpx.get(f"{self.base_url}{path}", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"drafter serve did not answer {path} within {timeout:.0f} s")

    def memory_mb(self, field: str = "VmHWM") -> float:
        """The server's resident memory field from /proc (VmHWM = peak), in MB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self) -> float:
        """CPU seconds (user + system) used so far by the server and the processes it started (exports)."""
        return tree_cpu_seconds(self.process.pid)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 20 s)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds of process ``root`` and every live descendant (from /proc; 0 for what has ended)."""
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):  # ended meanwhile
            stats[int(entry.name)] = (entry / "stat").read_text().rpartition(")")[2].split()
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += (int(stats[pid][11]) + int(stats[pid][12])) / os.sysconf("SC_CLK_TCK") if pid in stats else 0
        todo.extend(child for child, fields in stats.items() if int(fields[1]) == pid)
    return total


def run_load(
    name: str,
    clients: int,
    seconds: float,
    request: Callable[[httpx.Client], httpx.Response],
    *,
    sessions: Sequence[httpx.Client] | None = None,
) -> Load:
    """``clients`` threads calling ``request`` in a loop until ``seconds`` have passed, each with a client of
    its own (one of ``sessions`` when given, e.g. signed in; then their number is the clients')."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client_loop(http: httpx.Client) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                ok = request(http).status_code == 200
            except httpx.HTTPError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors += 0 if ok else 1

    def own_client() -> None:
        with httpx.Client(timeout=120) as http:
            client_loop(http)

    began = time.perf_counter()
    if sessions is None:
        threads = [threading.Thread(target=own_client) for _ in range(clients)]
    else:
        threads = [threading.Thread(target=client_loop, args=(http,)) for http in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(name, len(latencies), errors, time.perf_counter() - began, tuple(latencies))


def in_process_draft_ms(corpus: Path, form: dict[str, Any], repeats: int) -> dict[str, float]:
    """Median ms of one warm draft in this process (no HTTP, no concurrency): composed and exported anew
    every time (the anchor), then composing only, with the drafting caches, for the same form, forms that
    differ in one figure and forms that share no reference search."""
    from drafter.app import Drafter
    from drafter.draft.form import parse_form

    def median_ms(run: Callable[[], object]) -> float:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    uncached, cached = Drafter(corpus, seed=False, draft_cache=False), Drafter(corpus, seed=False)
    parsed = parse_form(form)
    uncached.prepare_for_searches()  # as the server does
    uncached.draft_docx(parsed)  # warm: phrase bank, index, templates
    cached.compose(parsed)
    distinct, unshared = distinct_forms(form), unshared_forms(form)
    out = {
        "draft": median_ms(lambda: uncached.draft_docx(parsed)),
        "compose": median_ms(lambda: uncached.compose(parsed)),
        "compose, kept": median_ms(lambda: cached.compose(parsed)),
        "compose, distinct": median_ms(lambda: cached.compose(parse_form(distinct()))),
        "compose, unshared": median_ms(lambda: cached.compose(parse_form(unshared()))),
    }
    uncached.close()
    cached.close()
    return out


def unshared_forms(form: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """Forms none of whose sections asks what an earlier form asked: every figure value, highlight and plan
    action differs per call, so every reference search of every request is made anew (the uncached cost)."""
    counter = itertools.count(1)

    def next_form() -> dict[str, Any]:
        n = next(counter)
        figures = [
            {**f, "value": 100_000 + n} if f.get("value") is not None else f for f in form.get("figures", [])
        ]
        notes = [{**h, "text": f"{h['text']}（第{n}批）"} for h in form.get("highlights", [])]
        plans = [
            {**p, "actions": [f"{a}（第{n}批）" for a in p.get("actions", [])] or [f"第{n}批重点任务"]}
            for p in form.get("plans", [])
        ]
        return {**form, "figures": figures, "highlights": notes, "plans": plans}

    return next_form


def distinct_forms(form: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """Forms that differ from ``form`` in the first figure's value, a new one per call."""
    counter = itertools.count(1)
    figures = form.get("figures") or [{"label": "新认定国家高新技术企业", "unit": "家"}]

    def next_form() -> dict[str, Any]:
        first = {**figures[0], "value": 100_000 + next(counter)}
        return {**form, "figures": [first, *figures[1:]]}

    return next_form


def poster(url: str, make: Callable[[], dict[str, Any]]) -> Callable[[httpx.Client], httpx.Response]:
    """A request posting ``make()``'s form to the server at ``url`` for its Word file."""
    return lambda http: http.post(f"{url}/api/draft", json=make())


def measure_corpus(
    label: str, corpus: Path, form: dict[str, Any], args: argparse.Namespace, console: Console
) -> tuple[list[Load], dict[str, float]]:
    """Anchors, then /healthz, same-form, distinct-form and unshared-form loads on one corpus; start-up time
    and memory."""
    anchors = in_process_draft_ms(corpus, form, 3 if args.quick else 10)
    console.print(f"[{label}] in process: " + ", ".join(f"{k} {v:.1f} ms" for k, v in anchors.items()))
    server = ServerProcess(corpus, startup_timeout=args.startup_timeout)
    url = server.base_url
    runs: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("same form", lambda: form),
        ("distinct forms", distinct_forms(form)),
        ("unshared forms (uncached)", unshared_forms(form)),
    ]
    warm = unshared_forms(form)
    try:
        idle_mb = server.memory_mb("VmRSS")
        with httpx.Client(timeout=120) as http:
            for _ in range(2):  # first drafts load the templates and the Word styles
                http.post(f"{url}/api/draft", json=warm()).raise_for_status()
        health = run_load(f"{label} · GET /healthz", args.clients, 5.0, lambda h: h.get(f"{url}/healthz"))
        loads = [health]
        console.print(f"[{label}] drafting with {args.clients} clients, {args.seconds:.0f} s per run…")
        for name, next_form in runs:
            before = server.cpu_seconds()
            load = run_load(f"{label} · draft, {name}", args.clients, args.seconds, poster(url, next_form))
            loads.append(replace(load, cpu_seconds=server.cpu_seconds() - before))
            console.print(f"  {name}: p50 {load.percentile(50):.0f} ms, {os.getloadavg()[0]:.1f} load")
        info = {
            **{f"{k} ms": v for k, v in anchors.items()},
            "anchor_ms": anchors["draft"],
            "startup_s": server.started_in,
            "idle_mb": idle_mb,
            "peak_mb": server.memory_mb("VmHWM"),
            "load": os.getloadavg()[0],
        }
    finally:
        server.stop()
    return loads, info


def prepared_copy(source: Path, target: Path) -> Path:
    """``source`` (an ingested, mined and indexed corpus) copied to ``target`` with its index."""
    shutil.copy(source, target)
    index = source.with_name(source.name + ".index")
    if index.is_dir():
        shutil.copytree(index, target.with_name(target.name + ".index"))
    return target


def main(argv: list[str] | None = None) -> int:
    """Run the load and print the table; 1 when a request failed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_web", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5 s of load on the sample corpus only")
    parser.add_argument("--seconds", type=float, default=None, help="load duration (default 60, quick 5)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--external", type=Path, default=EXTERNAL, help="external corpus for the full variant"
    )
    parser.add_argument(
        "--external-corpus",
        type=Path,
        help="the external corpus already ingested, mined and indexed (copied)",
    )
    parser.add_argument("--startup-timeout", type=float, default=1800.0)
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (5.0 if args.quick else 60.0)
    console = Console(width=max(Console().width, 120))
    form = sample_form()
    results: list[tuple[str, list[Load], dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        sample = Path(tmp) / "sample.sqlite3"
        ingest(sample, SEEDS)
        results.append(("sample corpus", *measure_corpus("sample", sample, form, args, console)))
        full = Path(tmp) / "external.sqlite3"
        if args.external_corpus is not None:
            prepared_copy(args.external_corpus, full)
        elif not args.quick and args.external.is_dir():
            console.print(f"ingesting {args.external} (a few minutes)…")
            seconds = ingest(full, SEEDS) + ingest(full, args.external)
            console.print(f"ingested in {seconds:.0f} s")
        elif not args.quick:
            console.print(f"external corpus missing at {args.external}: full variant skipped")
        if full.exists():
            results.append(
                ("sample + external corpus", *measure_corpus("external", full, form, args, console))
            )

    table = Table(
        title=f"web load: {args.clients} clients, {args.seconds:.0f} s per run ({os.cpu_count()} cores)"
    )
    columns = ("run", "requests", "errors", "req/s", "p50 ms", "p95 ms", "server CPU ms/request")
    for column in (*columns, "p50 / in-process draft"):
        table.add_column(column, justify="left" if column == "run" else "right")
    names = [k for k in results[0][2] if k.endswith(" ms") and k != "anchor_ms"]
    memory = Table(title="server, and one draft in process (no HTTP, no concurrency)")
    for column in ("corpus", "start-up s", "RSS idle MB", "VmHWM MB", "load avg", *names):
        memory.add_column(column, justify="left" if column == "corpus" else "right")
    failed = False
    for corpus_name, loads, info in results:
        for load in loads:
            failed = failed or load.errors > 0
            table.add_row(
                load.name,
                str(load.requests),
                str(load.errors),
                f"{load.throughput:.1f}",
                f"{load.percentile(50):.0f}",
                f"{load.percentile(95):.0f}",
                f"{load.cpu_ms_per_request:.0f}" if load.cpu_seconds else "",
                f"{load.percentile(50) / info['anchor_ms']:.1f}×",
            )
        memory.add_row(
            corpus_name,
            f"{info['startup_s']:.1f}",
            f"{info['idle_mb']:.0f}",
            f"{info['peak_mb']:.0f}",
            f"{info['load']:.1f}",
            *(f"{info[k]:.1f}" for k in names),
        )
    console.print(table)
    console.print(memory)
    for _name, loads, _info in results:
        for load, target in zip(loads[1:3], (TARGET_P50_MS, TARGET_DISTINCT_P50_MS), strict=True):
            p50 = load.percentile(50)
            verdict = "met" if p50 < target else "NOT met"
            console.print(f"target p50 < {target:.0f} ms, {load.name}: {verdict} ({p50:.0f} ms)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
