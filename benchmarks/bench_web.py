"""Load on the web app: 16 writers drafting at once against ``drafter serve`` on loopback.

Starts the server as a subprocess (``python -m drafter serve``) on a corpus built for the run, posts the
sample annual form to ``/api/draft`` from 16 concurrent clients for a minute, and reports requests,
errors, throughput, p50/p95 latency and the server's peak memory (VmHWM). Anchors measured in the same run:
one draft in process on the same corpus (no HTTP, no concurrency, no cache) and ``GET /healthz`` under the
same load (the HTTP floor). Two draft runs: the same sample form every time (what the target names; the app
composes each request but exports one Word file per distinct draft, see ``drafter.web.cache``), and forms
that differ in one figure (every request composed and exported). The full variant repeats it all with the
external corpus ingested (minutes).

    python -m benchmarks.bench_web [--quick] [--seconds 60] [--clients 16] [--external DIR]
"""

from __future__ import annotations

import argparse
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "corpus"
EXTERNAL = REPO.parent / "shared" / "corpus-external"
TARGET_P50_MS = 300.0


@dataclass(frozen=True)
class Load:
    """What one load run measured."""

    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: tuple[float, ...]

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

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 20 s)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


def run_load(
    name: str, clients: int, seconds: float, request: Callable[[httpx.Client], httpx.Response]
) -> Load:
    """``clients`` threads calling ``request`` in a loop until ``seconds`` have passed."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client_loop() -> None:
        nonlocal errors
        with httpx.Client(timeout=120) as http:
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

    began = time.perf_counter()
    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(name, len(latencies), errors, time.perf_counter() - began, tuple(latencies))


def in_process_draft_ms(corpus: Path, form: dict[str, Any], repeats: int) -> float:
    """Median time of one warm draft in this process (the anchor: no HTTP, no concurrency)."""
    from drafter.app import Drafter
    from drafter.draft.form import parse_form

    drafter = Drafter(corpus, seed=False)
    parsed = parse_form(form)
    drafter.draft_docx(parsed)  # warm: phrase bank, index, templates
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        drafter.draft_docx(parsed)
        times.append((time.perf_counter() - started) * 1000)
    drafter.close()
    return statistics.median(times)


def distinct_forms(form: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """Forms that differ from ``form`` in the first figure's value, a new one per call."""
    counter = itertools.count(1)
    figures = form.get("figures") or [{"label": "新认定国家高新技术企业", "unit": "家"}]

    def next_form() -> dict[str, Any]:
        first = {**figures[0], "value": 100_000 + next(counter)}
        return {**form, "figures": [first, *figures[1:]]}

    return next_form


def measure_corpus(
    label: str, corpus: Path, form: dict[str, Any], args: argparse.Namespace, console: Console
) -> tuple[list[Load], dict[str, float]]:
    """Anchor, then /healthz, same-form and distinct-form loads on one corpus; start-up time and memory."""
    anchor = in_process_draft_ms(corpus, form, 3 if args.quick else 10)
    console.print(f"[{label}] in-process draft: {anchor:.1f} ms; starting the server…")
    server = ServerProcess(corpus, startup_timeout=args.startup_timeout)
    url = server.base_url
    fresh = distinct_forms(form)
    try:
        idle_mb = server.memory_mb("VmRSS")
        with httpx.Client(timeout=120) as http:
            for _ in range(2):  # first drafts load the templates and the Word styles
                http.post(f"{url}/api/draft", json=fresh()).raise_for_status()
        loads = [
            run_load(
                f"{label} · GET /healthz",
                args.clients,
                min(5.0, args.seconds),
                lambda h: h.get(f"{url}/healthz"),
            )
        ]
        console.print(f"[{label}] drafting with {args.clients} clients, {args.seconds:.0f} s per run…")
        loads.append(
            run_load(
                f"{label} · draft, same form",
                args.clients,
                args.seconds,
                lambda h: h.post(f"{url}/api/draft", json=form),
            )
        )
        loads.append(
            run_load(
                f"{label} · draft, distinct forms",
                args.clients,
                args.seconds,
                lambda h: h.post(f"{url}/api/draft", json=fresh()),
            )
        )
        info = {
            "anchor_ms": anchor,
            "startup_s": server.started_in,
            "idle_mb": idle_mb,
            "peak_mb": server.memory_mb("VmHWM"),
        }
    finally:
        server.stop()
    return loads, info


def main(argv: list[str] | None = None) -> int:
    """Run the load and print the table; 1 when a request failed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_web", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5 s of load on the sample corpus only")
    parser.add_argument("--seconds", type=float, default=None, help="load duration (default 60, quick 5)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--external", type=Path, default=EXTERNAL, help="external corpus for the full variant"
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
        if not args.quick:
            if not args.external.is_dir():
                console.print(f"external corpus missing at {args.external}: full variant skipped")
            else:
                full = Path(tmp) / "external.sqlite3"
                console.print(f"ingesting {args.external} (a few minutes)…")
                seconds = ingest(full, SEEDS) + ingest(full, args.external)
                console.print(f"ingested in {seconds:.0f} s")
                results.append(
                    ("sample + external corpus", *measure_corpus("external", full, form, args, console))
                )

    table = Table(
        title=f"web load: {args.clients} clients, {args.seconds:.0f} s per run ({os.cpu_count()} cores)"
    )
    for column in ("run", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p50 / in-process draft"):
        table.add_column(column, justify="left" if column == "run" else "right")
    memory = Table(title="server")
    for column in ("corpus", "start-up s", "RSS idle MB", "VmHWM MB", "in-process draft ms"):
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
                f"{load.percentile(50) / info['anchor_ms']:.1f}×",
            )
        memory.add_row(
            corpus_name,
            f"{info['startup_s']:.1f}",
            f"{info['idle_mb']:.0f}",
            f"{info['peak_mb']:.0f}",
            f"{info['anchor_ms']:.1f}",
        )
    console.print(table)
    console.print(memory)
    p50 = results[0][1][1].percentile(50)
    verdict = "met" if p50 < TARGET_P50_MS else "NOT met"
    console.print(
        f"target p50 < {TARGET_P50_MS:.0f} ms, sample form, sample corpus: {verdict} ({p50:.0f} ms)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
