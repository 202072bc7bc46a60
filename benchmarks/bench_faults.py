"""Faults and hostile uploads: what Drafter does, whether any data is lost, and what writers feel meanwhile.

Runs, each on a corpus built for it, and prints one row per fault (what was tried, what happened, data lost):
- hostile uploads (bombs, deep nesting, lying zips, junk) posted in a loop during a 16-client drafting load
  on ``drafter serve``: drafting p50/p95 with and without them, the answers to the hostile uploads, and the
  server's peak memory (VmHWM; parsing runs in limited child processes);
- ``kill -9`` of ``drafter ingest`` mid-run, then the same ingest again;
- a full disk (a small tmpfs; needs root) under ``drafter ingest`` and under a web upload;
- a read-only corpus folder (the tmpfs remounted read-only) for ingest, search, draft and upload;
- a write lock held by another process while ``drafter ingest`` waits for it.
Data lost = documents stored before the fault that are missing after it, or a failed integrity check.

    python -m benchmarks.bench_faults [--quick] [--seconds 30] [--clients 16]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
from rich.console import Console
from rich.table import Table

from benchmarks.bench_web import SEEDS, ServerProcess, distinct_forms, ingest, run_load, sample_form
from tests import hostile_payloads as hp  # the test suite's payload builders

REPO = Path(__file__).resolve().parent.parent

Row = tuple[str, str, str, str]


def drafter(*args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``drafter ARGS`` as a user runs it."""
    cmd = [sys.executable, "-m", "drafter", *(str(a) for a in args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def documents(corpus: Path) -> set[str]:
    """The ids stored in ``corpus`` (read directly: the fault may have left the app unable to)."""
    with contextlib.closing(sqlite3.connect(f"file:{corpus}?mode=ro", uri=True)) as conn:
        return {str(r[0]) for r in conn.execute("SELECT id FROM documents")}


def intact(corpus: Path) -> bool:
    """SQLite's own integrity check, and every document has its passages."""
    with contextlib.closing(sqlite3.connect(f"file:{corpus}?mode=ro", uri=True)) as conn:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = conn.execute(
            "SELECT count(*) FROM documents d WHERE n_passages > 0 AND NOT EXISTS "
            "(SELECT 1 FROM passages p WHERE p.doc_id = d.id)"
        ).fetchone()[0]
    return bool(ok) and orphans == 0


def lost(before: set[str], corpus: Path) -> str:
    """'none', or what was lost."""
    missing = before - documents(corpus)
    problems = [f"{len(missing)} documents" for _ in [0] if missing]
    if not intact(corpus):
        problems.append("integrity check failed")
    return ", ".join(problems) or "none"


def one_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return "(nothing printed)"
    return lines[-1][:110] + (f" (+{len(lines) - 1} lines)" if len(lines) > 1 else "")


def synthetic(folder: Path, files: int, chars: int, tag: str) -> Path:
    """``files`` distinct reports of about ``chars`` characters."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        body = "\n".join(
            f"（{'一二三四五六七八九'[i % 9]}）{tag}第{n}号报告第{i}段：聚焦科技企业培育，新认定企业{n * 1000 + i}家，同比增长{i % 50}.5%。"
            for i in range(chars // 60)
        )
        (folder / f"{tag}{n:03d}.txt").write_text(
            f"{tag}科学技术局工作总结{n}\n一、主要工作\n{body}", encoding="utf-8"
        )
    return folder


# --- hostile uploads under load ------------------------------------------------------------------------------

HOSTILE = {
    "炸弹.md": hp.alias_bomb_markdown,
    "标题.md": hp.huge_title_markdown,
    "非Word.docx": hp.not_word_docx,
    "深层.docx": hp.deep_xml_docx,
    "实体.docx": hp.entity_bomb_docx,
    "压缩炸弹.docx": lambda: hp.zip_bomb_docx(2 << 30),
    "谎报大小.docx": lambda: hp.lying_zip_docx(1 << 30),
    "部件过多.docx": hp.many_members_docx,
    "乱码.txt": hp.binary_garbage,
}


@contextlib.contextmanager
def page_session(base_url: str) -> Iterator[httpx.Client]:
    """A client that opened the page (cookie and token), as a browser does before uploading."""
    with httpx.Client(base_url=base_url, timeout=300) as client:
        client.get("/search").raise_for_status()
        client.headers["X-CSRF-Token"] = client.cookies["drafter_csrf"]
        yield client


def hostile_loop(
    base_url: str, stop: threading.Event, payloads: dict[str, bytes], out: list[Any], with_good: bool
) -> None:
    """Post every hostile file in turn (beside a new good report when ``with_good``) until ``stop``.

    Records ``(name, status, ms, good stored)`` per upload.
    """
    with page_session(base_url) as client:
        n = 0
        while not stop.is_set():
            for name, data in payloads.items():
                if stop.is_set():
                    break
                n += 1
                files = [("files", (name, data))]
                if with_good:
                    good = hp.REPORT.replace("162家", f"{100000 + n}家").encode()
                    files.append(("files", (f"好{n}.txt", good)))
                started = time.perf_counter()
                try:
                    response = client.post("/api/upload", files=files)
                    status: int | str = response.status_code
                    body = response.json()
                    report = body.get("report", body)
                    kept = report.get("documents_added", 0) + report.get("documents_seen", 0) >= 1
                except httpx.HTTPError as exc:
                    status, kept = type(exc).__name__, False
                out.append((name, status, (time.perf_counter() - started) * 1000, kept))


def drafting_with_uploads(
    url: str, form: dict[str, Any], args: argparse.Namespace, payloads: dict[str, bytes], with_good: bool
) -> tuple[Any, list[Any]]:
    """The drafting load while 2 clients post ``payloads`` in a loop; (load, upload answers)."""
    stop = threading.Event()
    answers: list[Any] = []
    uploaders = [
        threading.Thread(target=hostile_loop, args=(url, stop, payloads, answers, with_good))
        for _ in range(2)
    ]
    for thread in uploaders:
        thread.start()
    time.sleep(1)
    name = "draft + hostile uploads" + (" with good files" if with_good else "")
    loaded = run_load(name, args.clients, args.seconds, lambda h: h.post(f"{url}/api/draft", json=form))
    stop.set()
    for thread in uploaders:
        thread.join()
    return loaded, answers


def describe_answers(answers: list[Any]) -> str:
    statuses = Counter(str(a[1]) for a in answers)
    slowest = max((a[2] for a in answers), default=0.0)
    return f"answers {dict(statuses)}, slowest {slowest / 1000:.1f} s"


def hostile_under_load(
    corpus: Path, args: argparse.Namespace, console: Console
) -> tuple[list[Row], dict[str, Any]]:
    form = sample_form()
    payloads = {name: build() for name, build in HOSTILE.items()}
    before = documents(corpus)
    server = ServerProcess(corpus, startup_timeout=300)
    url = server.base_url
    fresh = distinct_forms(form)
    rows: list[Row] = []
    try:
        with httpx.Client(timeout=120) as http:
            for _ in range(2):
                http.post(f"{url}/api/draft", json=fresh()).raise_for_status()
        console.print(f"drafting alone, {args.clients} clients, {args.seconds:.0f} s…")
        alone = run_load(
            "draft alone", args.clients, args.seconds, lambda h: h.post(f"{url}/api/draft", json=form)
        )
        console.print("drafting while hostile uploads run…")
        loaded, answers = drafting_with_uploads(url, form, args, payloads, with_good=False)
        health = httpx.get(f"{url}/healthz", timeout=10).status_code
        peak = server.memory_mb("VmHWM")
        rows.append(
            (
                "hostile uploads under load",
                f"{len(answers)} uploads of {len(HOSTILE)} hostile kinds by 2 clients during "
                f"{args.clients}-client drafting of the sample form",
                f"{describe_answers(answers)} (the two .md are readable: aliases refused, title cut); "
                f"/healthz {health}; server VmHWM {peak:.0f} MB; drafting p50/p95 "
                f"{alone.percentile(50):.0f}/{alone.percentile(95):.0f} ms alone, "
                f"{loaded.percentile(50):.0f}/{loaded.percentile(95):.0f} ms during, errors "
                f"{alone.errors}/{loaded.errors}",
                lost(before, corpus),
            )
        )
        if not args.skip_mixed:
            console.print("drafting while hostile uploads, each with a new good report, run…")
            mixed, mixed_answers = drafting_with_uploads(url, form, args, payloads, with_good=True)
            kept = sum(1 for a in mixed_answers if a[3])
            rows.append(
                (
                    "hostile + good uploads under load",
                    "the same, each hostile file beside a new good report (the corpus changes on every upload)",
                    f"{describe_answers(mixed_answers)}; good reports stored {kept}/{len(mixed_answers)}; "
                    f"drafting p50/p95 {mixed.percentile(50):.0f}/{mixed.percentile(95):.0f} ms, "
                    f"errors {mixed.errors}",
                    lost(before, corpus),
                )
            )
        peak = server.memory_mb("VmHWM")
    finally:
        server.stop()
    return rows, {"alone": alone, "loaded": loaded, "peak_mb": peak, "answers": answers}


# --- kills, disk, read-only, locks -------------------------------------------------------------------------


def kill_ingest(tmp: Path) -> Row:
    corpus = tmp / "kill.sqlite3"
    folder = synthetic(tmp / "kill-src", 60, 30_000, "杀")
    cmd = [
        sys.executable,
        "-m",
        "drafter",
        "ingest",
        str(folder),
        "--workers",
        "2",
        "-q",
        "--corpus",
        str(corpus),
    ]
    process = subprocess.Popen(
        cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while not corpus.exists() or len(documents(corpus)) < 10:
        time.sleep(0.05)
    before = documents(corpus)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    killed = time.perf_counter()
    while group_alive(process.pid) and time.perf_counter() - killed < 15:
        time.sleep(0.05)
    gone_in = time.perf_counter() - killed
    leftover = group_alive(process.pid)
    again = drafter("ingest", folder, "-q", "--corpus", corpus)
    after = documents(corpus)
    happened = (
        f"{len(before)} documents stored when killed; its helpers gone {gone_in:.1f} s later "
        f"({len(leftover)} left after 15 s); "
        f"re-run exit {again.returncode}, {len(after)}/60 documents"
    )
    return (
        "kill -9 of drafter ingest (2 workers)",
        "kill after 10 of 60 files",
        happened,
        lost(before, corpus),
    )


def group_alive(pgid: int) -> list[int]:
    """Live (not zombie) processes of the process group ``pgid``."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] not in {"Z", "X"}:
                alive.append(int(entry.name))
    return alive


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[bool]:
    """A small tmpfs at ``path`` (False when this process may not mount)."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=False, capture_output=True
    )
    try:
        yield mounted.returncode == 0
    finally:
        if mounted.returncode == 0:
            subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def disk_full(tmp: Path) -> list[Row]:
    rows: list[Row] = []
    place = tmp / "full"
    with tmpfs(place, "24m") as ok:
        if not ok:
            return [("disk full", "a 24 MB tmpfs", "not run: this process may not mount (needs root)", "-")]
        corpus = place / "corpus.sqlite3"
        first = drafter("ingest", SEEDS, "-q", "--corpus", corpus)
        before = documents(corpus)
        big = synthetic(tmp / "full-src", 40, 200_000, "满")
        result = drafter("ingest", big, "-q", "--corpus", corpus)
        failed = sum(1 for line in result.stderr.splitlines() if line.startswith(("失败", "错误")))
        rows.append(
            (
                "disk full during drafter ingest",
                f"seeds ({first.returncode}), then 40 × 600 KB into a 24 MB tmpfs",
                f"exit {result.returncode}; {len(documents(corpus)) - len(before)} more stored; {failed} failure lines; "
                f"traceback: {'yes' if 'Traceback' in result.stderr else 'no'}; last: {one_line(result.stderr)}",
                lost(before, corpus),
            )
        )
        server = ServerProcess(corpus, startup_timeout=120)
        try:
            with page_session(server.base_url) as client:
                files = [("files", ("新.txt", hp.REPORT.replace("162", "777").encode()))]
                response = client.post("/api/upload", files=files)
                search = client.get("/api/search", params={"q": "科技企业"}).status_code
        finally:
            server.stop()
        rows.append(
            (
                "disk full during a web upload",
                "upload one report to the full corpus folder",
                f"{response.status_code}: {response.json()['detail'][0]['msg'][:80]}; search still {search}",
                lost(before, corpus),
            )
        )
    return rows


def read_only(tmp: Path) -> list[Row]:
    place = tmp / "ro"
    with tmpfs(place, "64m") as ok:
        if not ok:
            return [
                (
                    "read-only folder",
                    "a tmpfs remounted read-only",
                    "not run: this process may not mount",
                    "-",
                )
            ]
        corpus = place / "corpus.sqlite3"
        drafter("ingest", SEEDS, "-q", "--corpus", corpus)
        before = documents(corpus)
        subprocess.run(["mount", "-o", "remount,ro", str(place)], check=True)
        form = next(iter(sorted((REPO / "examples" / "forms").glob("*annual*.yaml"))))
        results = {
            "ingest": drafter("ingest", tmp / "kill-src", "-q", "--corpus", corpus),
            "search": drafter("search", "科技企业", "--corpus", corpus),
            "draft -o ro": drafter("draft", form, "-o", place / "x.docx", "--corpus", corpus),
            "draft": drafter("draft", form, "-o", tmp / "ro.docx", "--corpus", corpus),
        }
        server = ServerProcess(corpus, startup_timeout=120)
        try:
            with page_session(server.base_url) as client:
                upload = client.post("/api/upload", files=[("files", ("新.txt", hp.REPORT.encode()))])
        finally:
            server.stop()
        summary = "; ".join(
            f"{name}: exit {r.returncode}{' TRACEBACK' if 'Traceback' in r.stderr else ''}"
            for name, r in results.items()
        )
        return [
            (
                "read-only corpus folder",
                "ingest, search, draft (output in and out of the folder), web upload",
                f"{summary}; upload {upload.status_code}; ingest says: {one_line(results['ingest'].stderr)[:70]}",
                lost(before, corpus),
            )
        ]


def locked(tmp: Path) -> Row:
    corpus = tmp / "lock.sqlite3"
    drafter("ingest", SEEDS, "-q", "--corpus", corpus)
    before = documents(corpus)
    holder = sqlite3.connect(corpus, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    source = synthetic(tmp / "lock-src", 3, 5_000, "锁")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "drafter", "ingest", str(source), "-q", "--corpus", str(corpus)],
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(5)
    holder.execute("COMMIT")
    holder.close()
    _, err = process.communicate(timeout=120)
    waited = time.perf_counter() - started
    happened = (
        f"ingest waited, then finished in {waited:.1f} s, exit {process.returncode}, "
        f"{len(documents(corpus)) - len(before)}/3 added; {one_line(err) if err.strip() else 'no error'}"
    )
    return (
        "write lock held by another process",
        "BEGIN IMMEDIATE held 5 s during drafter ingest",
        happened,
        lost(before, corpus),
    )


def main(argv: list[str] | None = None) -> int:
    """Run every fault; 1 when any data was lost or a drafting request failed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_faults", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 s of load")
    parser.add_argument("--seconds", type=float, default=None, help="load duration per run (default 30)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--skip-mixed", action="store_true", help="skip the hostile + good uploads run")
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (10.0 if args.quick else 30.0)
    console = Console(width=max(Console().width, 160))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-faults-") as name:
        tmp = Path(name)
        corpus = tmp / "sample.sqlite3"
        ingest(corpus, SEEDS)
        hostile_rows, info = hostile_under_load(corpus, args, console)
        rows.extend(hostile_rows)
        console.print("kill -9, disk full, read-only, locks…")
        rows.append(kill_ingest(tmp))
        rows.extend(disk_full(tmp))
        rows.extend(read_only(tmp))
        rows.append(locked(tmp))
        shutil.rmtree(tmp / "kill-src", ignore_errors=True)
    table = Table("fault", "what was tried", "what happened", "data lost", title="faults", show_lines=True)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    per_kind = Table(
        "hostile upload", "answers", "median ms", "max ms", title="hostile uploads during the load"
    )
    by_name: dict[str, list[Any]] = {}
    for answer in info["answers"]:
        by_name.setdefault(answer[0], []).append(answer)
    for kind, answers in sorted(by_name.items()):
        times = sorted(a[2] for a in answers)
        per_kind.add_row(
            kind,
            str(dict(Counter(str(a[1]) for a in answers))),
            f"{times[len(times) // 2]:.0f}",
            f"{times[-1]:.0f}",
        )
    console.print(per_kind)
    bad = any(row[3] not in {"none", "-"} for row in rows) or info["loaded"].errors or info["alone"].errors
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
