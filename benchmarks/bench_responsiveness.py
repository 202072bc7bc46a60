"""Responsiveness, in one run: how soon the server answers, how long cold commands take, how mining scales,
how soon an upload is found, drafting under load and search over HTTP.

Figures (each with its anchor measured in the same run):
- ``drafter serve``: seconds until the address is printed, until ``/healthz`` answers, until ``/readyz`` is 200
  and the first ``/api/search`` answers; on the bundled corpus and the external one, fresh (never mined, no
  index) and prepared (second start).
- ``drafter mine`` time (phrase bank and related terms) ÷ jieba's tokenising time of the same documents, at
  1× and 2× the external corpus.
- an upload of one report into the external corpus: seconds until a search finds it and until the phrase
  bank counts it, against the full index build and the full mining of the fresh start (``bench_updates``
  measures the same in process, with removal and how closely the grown index ranks as a rebuilt one).
- cold ``drafter draft`` / ``search`` / ``--help`` against ``python -c pass`` and
  ``python -c "import jieba; jieba.initialize()"`` (median of three, bundled corpus, caches warm).
- 16 clients drafting: the sample corpus, the external corpus, distinct forms on the external corpus, and
  forms that share no reference search with any earlier one (the uncached cost); with the server's CPU per
  request (``--drafting-only`` measures this part alone, on ``--external-corpus``).
- ``GET /api/search`` p50/p95 over HTTP at the external corpus against bm25s in process (same passages,
  same queries).

``--quick`` uses every 8th external file and shorter loads; the full run ingests and mines the whole external
corpus (minutes). The machine is shared: read ratios, not absolute times.

    python -m benchmarks.bench_responsiveness [--quick] [--external DIR] [--load-seconds 20]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import httpx2 as httpx

from benchmarks.bench_web import (
    Load,
    distinct_forms,
    poster,
    run_load,
    sample_form,
    tree_cpu_seconds,
    unshared_forms,
)
from benchmarks.figures import Figures

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "corpus"
EXTERNAL = REPO.parent / "shared" / "corpus-external"
QUICK_EVERY = 8


def upload_and_search(
    external: Path,
    env: dict[str, str],
    timeout: float,
    held_out: Path,
    fresh_steps: dict[str, float],
    queries: Sequence[str],
    row: Callable[..., None],
) -> None:
    """An upload into the external corpus (until found, until counted) and search over HTTP against bm25s."""
    served = Served(external, env, timeout)
    try:
        found, uploaded, counted, again = upload_found(served, held_out, timeout)
        build = fresh_steps.get("index")
        row(
            "upload one report → found by search",
            f"{found:.2f} s",
            f"upload answered in {uploaded:.2f} s (the same file again, nothing to index: {again:.2f} s); "
            "full index build at the fresh start "
            + (f"{build:.1f} s → {found / build:.3f}×" if build else "not measured"),
        )
        mined = fresh_steps.get("bank")
        row(
            "upload one report → counted in the phrase bank",
            f"{counted:.2f} s",
            "full mining at the fresh start "
            + (f"{mined:.1f} s → {counted / mined:.3f}×" if mined else "not measured"),
        )
        ms = http_search(served, queries)
        health = http_healthz(served)
        bm = bm25s_search(external, queries)
        row(
            "GET /api/search p50 / p95 (external)",
            f"{statistics.median(ms):.1f} / {pct(ms, 95):.1f} ms",
            f"bm25s in process {statistics.median(bm):.2f} / {pct(bm, 95):.2f} ms; "
            f"GET /healthz {statistics.median(health):.1f} / {pct(health, 95):.1f} ms",
        )
    finally:
        served.stop()


def drafting_loads(
    sample: Path, external: Path, env: dict[str, str], timeout: float, seconds: float
) -> list[tuple[str, Load, float, float]]:
    """16 clients drafting: the sample form on the sample corpus, then on the external corpus the same form,
    forms differing in one figure, and forms sharing no reference search with any before (the uncached cost);
    each with the server's CPU per request (its export workers included), the CPU seconds of the server's
    own process (where composing holds the interpreter lock) and the load average after it."""
    form = sample_form()
    runs = [
        ("sample corpus", sample, lambda: form),
        ("external corpus", external, lambda: form),
        ("external, distinct forms", external, distinct_forms(form)),
        ("external, unshared forms (uncached)", external, unshared_forms(form)),
    ]
    out: list[tuple[str, Load, float, float]] = []
    served: Served | None = None
    try:
        for name, corpus, make in runs:
            if served is None or served.corpus != corpus:
                if served is not None:
                    served.stop()
                served = Served(corpus, env, timeout)
                warm = unshared_forms(form)
                with httpx.Client(timeout=120) as http:
                    for _ in range(2):  # the first drafts load the templates and the Word styles
                        http.post(f"{served.url}/api/draft", json=warm()).raise_for_status()
            before, own = tree_cpu_seconds(served.process.pid), process_cpu_seconds(served.process.pid)
            load = run_load(name, 16, seconds, poster(served.url, make))
            used = tree_cpu_seconds(served.process.pid) - before
            own = process_cpu_seconds(served.process.pid) - own
            out.append((name, replace(load, cpu_seconds=used), own, os.getloadavg()[0]))
    finally:
        if served is not None:
            served.stop()
    return out


def process_cpu_seconds(pid: int) -> float:
    """CPU seconds of process ``pid`` alone (not its children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Served:
    """``drafter serve --port 0`` on a corpus: when it printed, answered, was ready, first searched."""

    def __init__(self, corpus: Path, env: dict[str, str], timeout: float) -> None:
        began = time.perf_counter()
        self.corpus = corpus
        cmd = [sys.executable, "-m", "drafter", "serve", "--port", "0", "--corpus", str(corpus)]
        self.process = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        self.printed = time.perf_counter() - began
        match = re.search(r":(\d+)/", line)
        if not match:
            self.stop()
            raise RuntimeError(f"drafter serve printed no address: {line!r}")
        self.url = f"http://127.0.0.1:{match.group(1)}"
        self.answered = began_wait(
            lambda: httpx.get(f"{self.url}/healthz", timeout=5).status_code == 200, timeout
        )
        self.answered -= began
        self.ready = began_wait(
            lambda: httpx.get(f"{self.url}/readyz", timeout=5).status_code == 200, timeout
        )
        self.ready -= began
        steps = httpx.get(f"{self.url}/readyz", timeout=5).json().get("steps", [])
        self.steps = {step["name"]: float(step["seconds"]) for step in steps}
        """Seconds each preparation step took (a fresh start: the full mining and the full index build)."""
        ok = httpx.get(f"{self.url}/api/search", params={"q": "科技创新"}, timeout=60).status_code == 200
        self.first_search = time.perf_counter() - began if ok else float("nan")

    def client(self) -> httpx.Client:
        """A client holding the page's CSRF cookie and headers (uploads are corpus changes)."""
        http = httpx.Client(base_url=self.url, timeout=120)
        http.get("/")
        token = http.cookies.get("drafter_csrf") or ""
        http.headers.update({"Origin": self.url, "X-CSRF-Token": token})
        return http

    def stop(self) -> None:
        """SIGTERM, then SIGKILL."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def began_wait(check: Callable[[], bool], timeout: float) -> float:
    """Poll ``check`` every 50 ms until true; the ``perf_counter`` it became true."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if check():
                return time.perf_counter()
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"not true within {timeout:.0f} s")


def external_files(external: Path, quick: bool) -> list[Path]:
    """The external corpus's report files, its READMEs left out (every ``QUICK_EVERY``-th when quick)."""
    from drafter.ingest.read import iter_input_files

    files = sorted(f for f in iter_input_files([external]) if not f.name.upper().startswith("README"))
    return files[::QUICK_EVERY] if quick else files


def ingest(corpus: Path, paths: Sequence[Path]) -> float:
    """Ingest ``paths`` into a new corpus file; seconds."""
    from drafter.app import Drafter

    started = time.perf_counter()
    drafter = Drafter(corpus, seed=False)
    drafter.ingest(list(paths))
    drafter.close()
    return time.perf_counter() - started


def median_seconds(cmd: list[str], env: dict[str, str], repeats: int = 3) -> float:
    """Median wall time of ``cmd`` (output discarded)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


JIEBA_ANCHOR = "python: import jieba; jieba.initialize()"
DRAFT = "drafter draft (sample annual form)"
AS_GIVEN = "environment as given"


def cold_commands(env: dict[str, str], work: Path, repeats: int = 3) -> dict[str, float]:
    """Cold ``drafter`` commands on the default (bundled) corpus, and the two anchors (median of ``repeats``
    interleaved runs).

    The first use (not measured) fills the default corpus from the samples and writes the caches a second
    run finds: Drafter's own, and Python's compiled modules, written here to a private folder
    (``PYTHONPYCACHEPREFIX``) even when ``PYTHONDONTWRITEBYTECODE`` is set, as an installed package has them
    (pip compiles them) and as any first run writes them. The draft is measured once more in the environment
    as given, as earlier rounds measured it (with ``PYTHONDONTWRITEBYTECODE`` set and no ``__pycache__`` in
    the checkout, every Drafter module compiled from its source at every start). The anchors run in the
    environment as given (their packages come with their bytecode)."""
    drafter = [sys.executable, "-m", "drafter"]
    form = str(REPO / "examples" / "forms" / "keji_annual_2025.yaml")
    out = str(work / "cold.docx")
    warm = {**env, "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    first = {k: v for k, v in warm.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([*drafter, "draft", form, "-o", out], env=first, capture_output=True, check=True)
    subprocess.run([*drafter, "search", "科技创新"], env=first, capture_output=True, check=True)

    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        JIEBA_ANCHOR: ([sys.executable, "-c", "import jieba; jieba.initialize()"], env),
        "drafter --help": ([*drafter, "--help"], warm),
        "drafter search 科技创新": ([*drafter, "search", "科技创新"], warm),
        DRAFT: ([*drafter, "draft", form, "-o", out], warm),
        f"{DRAFT}, {AS_GIVEN}": ([*drafter, "draft", form, "-o", out], env),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):  # interleaved: a change in the machine's load reaches every command alike
        for name, (cmd, environment) in commands.items():
            times[name].append(median_seconds(cmd, environment, 1))
    return {name: statistics.median(values) for name, values in times.items()}


def cold_rows(cold: dict[str, float], row: Callable[[str, str, str], None]) -> None:
    """One row a cold figure, against ``python -c pass`` and against the jieba anchor."""
    for name, value in cold.items():
        row(
            f"cold {name}",
            f"{value:.2f} s",
            f"{value / cold['python -c pass']:.1f}× python -c pass, {value / cold[JIEBA_ANCHOR]:.2f}× jieba",
        )


def mining_ratio(corpus: Path, copies: int) -> tuple[float, float, float]:
    """(seconds of all of ``drafter mine``: the phrase bank and the related terms, jieba's tokenising seconds
    of the same texts, ratio) with the documents ``copies`` times. jieba cuts in this one process; mining
    learns the related terms in a forked child beside the bank (``benchmarks.bench_mine --ratio`` reports
    the CPU seconds too)."""
    from dataclasses import replace

    from drafter.app import Drafter
    from drafter.app_mining import mine_corpus
    from drafter.phrases.curated import load_curated
    from drafter.text.tokens import RE_WORDLIKE, JiebaTokenizer, user_dictionary_path

    drafter = Drafter(corpus, seed=False)
    documents = list(drafter.corpus.documents())
    drafter.close()
    docs = [replace(d, id=f"{d.id}{n}") if n else d for n in range(copies) for d in documents]
    tokenizer = JiebaTokenizer(user_dictionary_path())
    tokenizer.words("科技创新" * 10_000)  # loaded, as mining finds it
    jieba = tokenizer._tokenizer()  # jieba's own cut: the anchor (Drafter's bulk cutter is faster)
    started = time.perf_counter()
    for doc in docs:
        [w for w in jieba.cut(doc.text, HMM=False) if RE_WORDLIKE.search(w)]
    tokenising = time.perf_counter() - started
    curated = load_curated()
    started = time.perf_counter()
    mine_corpus(docs, curated, tokenizer, passages=[p.text for d in docs for p in d.passages])
    mining = time.perf_counter() - started
    return mining, tokenising, mining / tokenising


def upload_found(served: Served, report: Path, timeout: float) -> tuple[float, float, float, float]:
    """Seconds from posting ``report`` until a search for its own sentence finds it, the upload's own, until
    the phrase bank counts it (``GET /api/phrases`` shows more occurrences), and the same file's upload again
    (already stored: read and checked only, nothing to index)."""
    text = report.read_text(encoding="utf-8", errors="replace")
    sentences = [s for s in re.findall(r"[^。！？\n]{20,60}[。！？]", text) if not re.search(r"\d", s)]
    probe = sentences[len(sentences) // 2] if sentences else text[200:260]
    http = served.client()

    def occurrences() -> int:
        return sum(int(row["count"]) for row in http.get("/api/phrases").json())

    try:
        before = occurrences()
        started = time.perf_counter()
        files = {"files": (report.name, report.read_bytes(), "text/plain")}
        answer = http.post("/api/upload", files=files)
        uploaded = time.perf_counter() - started
        if answer.status_code != 200:
            raise RuntimeError(f"upload refused: {answer.status_code} {answer.text[:300]}")

        def found() -> bool:
            hits = http.get("/api/search", params={"q": probe, "k": 3}).json()
            return any(probe[5:25] in hit["text"] for hit in hits)

        found_at = began_wait(found, timeout) - started
        counted = began_wait(lambda: occurrences() > before, timeout) - started
        again = time.perf_counter()
        http.post("/api/upload", files={"files": (f"副本{report.name}", report.read_bytes(), "text/plain")})
        return found_at, uploaded, counted, time.perf_counter() - again
    finally:
        http.close()


def http_search(served: Served, queries: Sequence[str]) -> list[float]:
    """Milliseconds per ``GET /api/search`` (k = 5), one client, after a warm-up."""
    times = []
    with httpx.Client(base_url=served.url, timeout=60) as http:
        http.get("/api/search", params={"q": queries[0]})
        for query in queries:
            started = time.perf_counter()
            http.get("/api/search", params={"q": query, "k": 5}).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return times


def http_healthz(served: Served, times: int = 50) -> list[float]:
    """Milliseconds per ``GET /healthz``: what any request costs this server (the framework, the machine's load)."""
    out = []
    with httpx.Client(base_url=served.url, timeout=60) as http:
        http.get("/healthz")
        for _ in range(times):
            started = time.perf_counter()
            http.get("/healthz").raise_for_status()
            out.append((time.perf_counter() - started) * 1000)
    return out


def bm25s_search(corpus: Path, queries: Sequence[str]) -> list[float]:
    """Milliseconds per query of bm25s in process over the corpus's passages (jieba words, k = 5)."""
    import bm25s

    from drafter.app import Drafter
    from drafter.search.index import indexed_text
    from drafter.text.tokens import default_tokenizer

    drafter = Drafter(corpus, seed=False)
    texts = [indexed_text(p) for p, _doc in drafter.corpus.passages()]
    drafter.close()
    tokenizer = default_tokenizer()
    model = bm25s.BM25()
    model.index([tokenizer.words(t) for t in texts], show_progress=False)
    times = []
    for query in [queries[0], *queries]:
        started = time.perf_counter()
        words = tokenizer.words(query)
        if words:
            model.retrieve([words], k=5, show_progress=False)
        times.append((time.perf_counter() - started) * 1000)
    return times[1:]


def pct(values: Sequence[float], q: int) -> float:
    """The ``q``-th percentile."""
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main(argv: list[str] | None = None) -> int:
    """Measure everything and print one table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_responsiveness", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help=f"every {QUICK_EVERY}th external file, short loads"
    )
    parser.add_argument("--external", type=Path, default=EXTERNAL)
    parser.add_argument(
        "--external-corpus",
        type=Path,
        help="an external corpus already ingested, mined and indexed (copied; its fresh start is not measured)",
    )
    parser.add_argument(
        "--no-mining", action="store_true", help="skip the mining ratio (minutes on the full corpus)"
    )
    parser.add_argument("--no-cold", action="store_true", help="skip the cold commands")
    parser.add_argument("--cold-only", action="store_true", help="only the cold commands")
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs of each cold command (the median is shown)"
    )
    parser.add_argument(
        "--drafting-only", action="store_true", help="only the 16 clients drafting (with --external-corpus)"
    )
    parser.add_argument("--load-seconds", type=float, default=None)
    parser.add_argument("--timeout", type=float, default=3600, help="longest wait for a server to be ready")
    args = parser.parse_args(argv)
    seconds = args.load_seconds or (10.0 if args.quick else 30.0)
    figures = Figures()
    row = figures.row

    from benchmarks.eval_search import load_eval_set

    queries = [j.query for j in load_eval_set()]
    with tempfile.TemporaryDirectory(prefix="bench-resp-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "XDG_DATA_HOME": str(work / "data"), "XDG_CACHE_HOME": str(work / "cache")}
        env.pop("DRAFTER_CORPUS", None)
        cold = cold_commands(env, work, args.repeats) if not (args.no_cold or args.drafting_only) else {}
        cold_rows(cold, row)
        if args.cold_only:
            figures.show("Responsiveness: cold commands", anchor="anchor / note")
            return 0

        sample = work / "sample.sqlite3"
        ingest(sample, [SEEDS])
        outside = external_files(args.external, args.quick)
        held_out, outside = outside[0], outside[1:]
        if args.external_corpus is not None:  # every external report is in it: upload a sample report instead
            held_out = sorted(SEEDS.glob("*.txt"))[0]
        external = work / "external.sqlite3"
        if args.external_corpus is not None:
            shutil.copy(args.external_corpus, external)
            index = args.external_corpus.with_name(args.external_corpus.name + ".index")
            if index.is_dir():
                shutil.copytree(index, external.with_name(external.name + ".index"))
        else:
            row("ingest external corpus", f"{ingest(external, outside):.1f} s", f"{len(outside)} files")
        fresh_steps: dict[str, float] = {}
        for label, corpus in () if args.drafting_only else (("bundled", sample), ("external", external)):
            for state in ("fresh", "prepared"):
                if state == "fresh" and label == "external" and args.external_corpus is not None:
                    continue
                served = Served(corpus, env, args.timeout)
                served.stop()
                if (label, state) == ("external", "fresh"):
                    fresh_steps = served.steps
                row(
                    f"serve {label} {state}: printed / /healthz / ready / first search",
                    f"{served.printed:.2f} / {served.answered:.2f} / {served.ready:.1f} / {served.first_search:.1f} s",
                )
        for copies in () if args.no_mining or args.drafting_only else (1, 2):
            mining, tokenising, ratio = mining_ratio(external, copies)
            row(f"mining {copies}× external", f"{mining:.1f} s", f"jieba {tokenising:.1f} s → {ratio:.2f}×")

        if not args.drafting_only:
            upload_and_search(external, env, args.timeout, held_out, fresh_steps, queries, row)
        if args.drafting_only:  # the cold commands' anchor, to read these loads against other runs'
            anchor = median_seconds([sys.executable, "-c", "import jieba; jieba.initialize()"], env)
            row(
                f"anchor {JIEBA_ANCHOR}",
                f"{anchor:.2f} s",
                f"median of 3; load average {os.getloadavg()[0]:.1f}",
            )
        for name, load, own, busy in drafting_loads(sample, external, env, args.timeout, seconds):
            row(
                f"16 clients drafting, {name}",
                f"p50 {load.percentile(50):.0f} ms, p95 {load.percentile(95):.0f} ms",
                f"{load.throughput:.1f} req/s, {load.errors} errors of {load.requests}; server CPU "
                f"{load.cpu_ms_per_request:.0f} ms/request ({1000 * own / max(load.requests, 1):.0f} in its own "
                f"process); load average {busy:.1f}",
            )
        shutil.rmtree(work / "data", ignore_errors=True)

    figures.show("Responsiveness" + (" (quick)" if args.quick else ""), anchor="anchor / note")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
