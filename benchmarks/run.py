"""Run every benchmark (``benchmarks/bench_*.py``) in turn: ``python -m benchmarks.run [--quick] [names…]``.

Each benchmark runs in a process of its own (so its peak memory and warm-up are its own) and prints its
table; this prints a closing summary and exits 1 when any benchmark failed, 2 when a named one does not exist.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    """Names of the benchmark modules (``ingest`` for ``bench_ingest.py``), sorted."""
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def run_one(name: str, quick: bool, console: Console) -> tuple[int, float]:
    """``(exit status, seconds)`` of one benchmark run as ``python -m benchmarks.bench_<name>``."""
    console.rule(f"bench_{name}")
    started = time.perf_counter()
    command = [sys.executable, "-m", f"benchmarks.bench_{name}", *(["--quick"] if quick else [])]
    status = subprocess.run(command, cwd=HERE.parent, check=False).returncode
    return status, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks (all by default); 0 when every one succeeded."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small, fast variants")
    parser.add_argument(
        "names", nargs="*", help="benchmarks to run, e.g. ingest or bench_ingest (default: all)"
    )
    args = parser.parse_args(argv)
    known = available()
    chosen = [n.removeprefix("bench_").removesuffix(".py") for n in args.names] or known
    unknown = [n for n in chosen if n not in known]
    console = Console()
    if unknown:
        console.print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(known)}")
        return 2
    results = {name: run_one(name, args.quick, console) for name in chosen}
    summary = Table("benchmark", "status", "seconds", title="benchmarks" + (" (quick)" if args.quick else ""))
    for name, (status, seconds) in results.items():
        summary.add_row(f"bench_{name}", "ok" if status == 0 else f"FAILED ({status})", f"{seconds:.1f}")
    console.print(summary)
    return 0 if all(status == 0 for status, _ in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
