"""PostgreSQL as store and search engine against the embedded SQLite corpus and index, and bm25s, in one run.

1. Ingest throughput: the parsed documents of the seeds + ../shared/corpus-external stored one transaction
   per document into a new SQLite file and into a new PostgreSQL database, and the ``--scale``× city corpus
   into another (parsing excluded: the store's own cost).
2. At 1× and at ``--scale``× (a city of that many districts sharing similar reports: ``benchmarks.pg_city``,
   the corpus cut once and every size's index weighed from those counts, written into PostgreSQL as its own
   build writes it): search quality (hit@5, MRR@10 on search_eval.yaml and every paraphrase set; at
   ``--scale``× every district copy that still holds the judged text counts as an answer) and latency
   p50/p95 (search_eval's and paraphrase_eval's queries plus sentences of the corpus, k = 10, jieba on the
   query included) of the
   search inside PostgreSQL (the real path: version checks included), the embedded index, and bm25s over
   the same jieba words. Both Drafter engines expand queries with the curated 口径 table only (mined related
   terms are not part of this run); the share of queries whose ten hits are identical in both is printed
   too, and the table sizes on disk.
3. Two ``drafter serve`` processes on the ``--scale``× database, 1, 16 and 64 concurrent clients signed in
   as a unit's writer searching (``GET /api/search``, the two servers alternately): throughput, p50/p95,
   errors, and the CPU milliseconds each request cost the web workers, the database and the clients
   (``benchmarks.pg_web``).

A throwaway PostgreSQL 15 is started unless ``DRAFTER_BENCH_PG`` / ``DRAFTER_TEST_PG`` names a server.

    python -m benchmarks.bench_postgres [--quick] [--scale 10] [--seconds 20] [--keep]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks.bench_search import SEED, p95, sentence_queries
from benchmarks.eval_paraphrase import DATA, SETS, load_set
from benchmarks.eval_search import (
    EXTERNAL,
    QUICK_EXTERNAL_EVERY,
    SEEDS,
    hit_at,
    load_eval_set,
    mrr_at,
    ranks,
    relevant_sets,
)
from benchmarks.pg_city import COPY_MARK, Counted, WordsBm25, city_copies, original_id, words
from benchmarks.pg_server import drop_database, new_database, postgres_server
from benchmarks.pg_web import CpuLoad, measure_web
from drafter.search.pg_build import TABLES
from drafter.search.pg_sql import Viewer

TARGET_P95_MS = 30.0
CLIENTS = (1, 16, 64)
"""Concurrent clients of the load runs: one alone gives the latency of a search itself."""
CHECKED = 300
"""Passages of copies cut again to check their counts."""
WRITER_UNIT = "青溪区科学技术局"
PARAPHRASE_SETS = tuple(name.removesuffix(".yaml") for name in SETS)
"""Every paraphrase set (``benchmarks.eval_paraphrase.SETS``): quality through PostgreSQL must equal the
embedded index's on each."""
TIMED_SETS = ("search_eval", "paraphrase_eval")
"""The queries timed (with sentences of the corpus) and sent by the web load: the same as earlier runs."""


def read_documents(quick: bool) -> list[Any]:
    """The parsed documents of the seeds and the external corpus (every 8th external file when quick)."""
    from drafter.ingest.documents import documents_from_file
    from drafter.ingest.read import iter_input_files

    outside = sorted(iter_input_files([EXTERNAL]))
    files = sorted(iter_input_files([SEEDS])) + (outside[::QUICK_EXTERNAL_EVERY] if quick else outside)
    return [doc for path in files for doc in documents_from_file(path)]


def store_all(store: Any, docs: Sequence[Any]) -> float:
    """Seconds to add every document to ``store`` (one transaction each)."""
    started = time.perf_counter()
    for doc in docs:
        store.add(doc)
    return time.perf_counter() - started


def latencies(search: Callable[[str], object], queries: Sequence[str]) -> list[float]:
    """Milliseconds per query, after two warm-up queries."""
    search(queries[0])
    search(queries[-1])
    out = []
    for query in queries:
        started = time.perf_counter()
        search(query)
        out.append((time.perf_counter() - started) * 1000)
    return out


def relevant_copies(judged: Sequence[Any], items: Sequence[tuple[Any, Any]]) -> list[set[int]]:
    """For each query, the passages that answer it: an original that does (``relevant_sets``) and every
    district copy of it that still holds the judged text (any copy counts)."""
    originals = [i for i, (p, _) in enumerate(items) if COPY_MARK not in p.doc_id]
    first = relevant_sets(judged, [items[i] for i in originals])
    answers = [{items[originals[i]][0].id for i in found} for found in first]
    wanted = set().union(*answers)
    candidates = [i for i, (p, _) in enumerate(items) if original_id(p.id) in wanted]
    out = []
    for query, ids in zip(judged, answers, strict=True):
        mine = [i for i in candidates if original_id(items[i][0].id) in ids]
        held = relevant_sets([query], [items[i] for i in mine])[0]
        out.append({mine[i] for i in held})
    return out


def table_sizes(conn: Any) -> dict[str, int]:
    """Bytes on disk of the search tables (with their indexes), the corpus's and the whole database."""
    names = (*TABLES, "documents", "passages")
    sizes = {
        name: int(conn.execute("SELECT pg_total_relation_size(%s)", (name,)).fetchone()[0]) for name in names
    }
    sizes["database"] = int(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0])
    return sizes


def measure_search(
    url: str,
    sets: dict[str, list[Any]],
    counted: Counted,
    console: Console,
    label: str,
    web: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Quality, latency and agreement of the three engines over the passages stored at ``url`` (``web`` runs
    once the index is in the database). The index is weighed once from the counts of the corpus cut once
    (``benchmarks.pg_city``) and written into the database as the search inside PostgreSQL writes it."""
    from drafter.app import Drafter
    from drafter.app_search import index_items
    from drafter.models import SearchFilters
    from drafter.search.curated import load_everyday, load_synonyms
    from drafter.search.expansion import Expander
    from drafter.search.pg_build import _write as write_index
    from drafter.search.pg_build import ensure_state
    from drafter.text.tokens import default_tokenizer

    tokenizer = default_tokenizer()
    drafter = Drafter(database=url)
    items = list(index_items(drafter.corpus))
    figures: dict[str, Any] = {"passages": len(items), "documents": len({p.doc_id for p, _ in items})}
    console.print(f"[{label}] {len(items):,} passages: weighing the index (the same one for both engines)…")
    started = time.perf_counter()
    index, counts = counted.index(items, tokenizer)
    figures["weigh s"] = time.perf_counter() - started
    figures["postings"] = int(counts.nnz)
    started = time.perf_counter()
    index._prepared.complete()
    figures["frames s"] = time.perf_counter() - started
    figures["terms differ"] = counted.check_terms(items, tokenizer, CHECKED, SEED)
    searcher = drafter.searcher()
    started = time.perf_counter()
    with drafter.corpus.pool.connection() as conn:  # type: ignore[attr-defined]
        ensure_state(conn)
        write_index(conn, index, searcher._fingerprint())  # type: ignore[union-attr]
        figures["pg write s"] = time.perf_counter() - started
        figures["sizes"] = table_sizes(conn)
        figures["impact rows"], figures["rest rows"] = (
            int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("search_impact", "search_rest")
        )
    figures["embedded MB"] = index.nbytes / 1e6
    if web is not None:
        web(url)
    console.print(f"[{label}] bm25s…")
    bm25 = WordsBm25(words(counted.vocabulary, counts), tokenizer)
    del counts
    expander = Expander(load_synonyms(), everyday=load_everyday())
    position = {p.id: i for i, (p, _) in enumerate(items)}
    engines: dict[str, Callable[[str], list[int]]] = {
        "PostgreSQL": lambda q: [position[h.passage_id] for h in searcher.search(q, 10)],
        "embedded": lambda q: [position[h.passage_id] for h in index.search(q, 10, None, expander)],
        "bm25s": lambda q: bm25.top(q, 10),
    }
    all_queries: list[str] = []
    timed: list[str] = []
    answers = 0
    for name, judged in sets.items():
        relevant = relevant_copies(judged, items)
        answers += sum(len(r) for r in relevant)
        queries = [j.query for j in judged]
        all_queries += queries
        timed += queries if name in TIMED_SETS else []
        for engine, run in engines.items():
            found = ranks([run(q) for q in queries], relevant)
            figures[f"{name} {engine}"] = (hit_at(found, 5), mrr_at(found, 10))
    figures["answers per query"] = answers / len(all_queries)
    same = [engines["PostgreSQL"](q) == engines["embedded"](q) for q in all_queries]
    figures["identical top 10"] = sum(same) / len(same)
    timing = timed + sentence_queries(items, 100)
    for engine, run in engines.items():
        ms = latencies(run, timing)
        figures[f"{engine} p50"], figures[f"{engine} p95"] = statistics.median(ms), p95(ms)
    figures["timing queries"] = len(timing)
    units = Counter(m.unit for _, m in items if m.unit)
    filtered = {
        "unit": SearchFilters(unit=units.most_common(1)[0][0]),
        "years+part": SearchFilters(year_from=2020, part="summary"),
    }
    figures["unit share"] = units.most_common(1)[0][1] / len(items)
    for name, filters in filtered.items():
        for engine, run in (
            ("PostgreSQL", lambda q, f=filters: searcher.search(q, 10, f)),
            ("embedded", lambda q, f=filters: index.search(q, 10, f, expander)),
        ):
            ms = latencies(run, timing)
            figures[f"{engine} {name} p50"], figures[f"{engine} {name} p95"] = statistics.median(ms), p95(ms)
    viewer = Viewer(WRITER_UNIT)
    ms = latencies(lambda q: searcher.search(q, 5, None, viewer), timing)  # type: ignore[union-attr]
    figures["PostgreSQL writer p50"], figures["PostgreSQL writer p95"] = statistics.median(ms), p95(ms)
    figures["max RSS MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    drafter.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run everything and print the tables."""
    from drafter.app import Drafter
    from drafter.app_search import index_items
    from drafter.corpus.postgres import PgCorpus
    from drafter.corpus.store import Corpus
    from drafter.resources import bundled_dir
    from drafter.text.tokens import default_tokenizer

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_postgres", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="every 8th external file, 2×, 5 s of load")
    parser.add_argument("--scale", type=int, default=10, help="the larger size, in copies of the corpus")
    parser.add_argument("--seconds", type=float, default=20.0, help="load duration per client count")
    parser.add_argument("--keep", action="store_true", help="keep the databases (on a server given by URL)")
    args = parser.parse_args(argv)
    scale, seconds = (2, 5.0) if args.quick else (args.scale, args.seconds)
    console = Console(width=160)
    docs = read_documents(args.quick)
    sets = {"search_eval": load_eval_set()}
    sets.update({name: list(load_set(DATA / f"{name}.yaml")) for name in PARAPHRASE_SETS})
    bank = (bundled_dir("phrasebank") / "mined.json").read_text(encoding="utf-8")
    with postgres_server() as server, tempfile.TemporaryDirectory() as tmp:
        sqlite = Corpus(Path(tmp) / "corpus.sqlite3")
        ingest = {"SQLite file": (store_all(sqlite, docs), docs)}
        sqlite.close()
        urls = {1: new_database(server), scale: new_database(server)}
        for size, url in urls.items():
            stored = docs if size == 1 else city_copies(docs, size, SEED)
            with PgCorpus(url) as pg:
                ingest[f"PostgreSQL {size}×"] = (store_all(pg, stored), stored)
                pg.save_phrases(bank)
        print_ingest(console, ingest)
        original = Drafter(database=urls[1])
        console.print("[1×] cutting the corpus once, sentence by sentence…")
        counted = Counted.of(list(index_items(original.corpus)), default_tokenizer())
        original.close()
        console.print(
            f"[1×] cut in {counted.seconds:.0f} s: {counted.pieces.shape[0]:,} headings and sentences"
        )
        web_queries = [j.query for name in TIMED_SETS for j in sets[name]]
        loads: list[CpuLoad] = []

        def web(url: str) -> None:
            console.print(f"[web] two workers, clients signed in, {seconds:.0f} s per client count…")
            loads.extend(measure_web(url, web_queries, seconds, accounts=True, client_counts=CLIENTS))
            print_web(console, loads, scale, seconds)

        try:
            results: dict[str, dict[str, Any]] = {}
            for size, url in urls.items():
                results[f"{size}×"] = measure_search(
                    url, sets, counted, console, f"{size}×", web if size == scale else None
                )
                print_search(console, results, sets)
        finally:
            for url in urls.values():
                if args.keep:
                    console.print(f"kept: {url}")
                else:
                    drop_database(server, url)
    return 0 if loads and all(run.load.errors == 0 for run in loads) else 1


def print_ingest(console: Console, ingest: dict[str, tuple[float, Sequence[Any]]]) -> None:
    """The ingest table."""
    table = Table(title="Ingest: parsed documents stored one transaction each (parsing excluded)")
    for column in (
        "store",
        "documents",
        "passages",
        "seconds",
        "documents/s",
        "passages/s",
        "ratio to SQLite",
    ):
        table.add_column(column, justify="left" if column == "store" else "right")
    anchor = ingest["SQLite file"]
    anchor_rate = sum(len(d.passages) for d in anchor[1]) / anchor[0]
    for name, (s, stored) in ingest.items():
        n = sum(len(d.passages) for d in stored)
        table.add_row(
            name, f"{len(stored):,}", f"{n:,}", f"{s:.1f}", f"{len(stored) / s:.0f}", f"{n / s:,.0f}",
            f"{n / s / anchor_rate:.2f}×",
        )  # fmt: skip
    console.print(table)


def print_search(console: Console, results: dict[str, dict[str, Any]], sets: dict[str, list[Any]]) -> None:
    """The search table (one column per size measured so far)."""
    table = Table(title="Search: quality (hit@5 / MRR@10) and latency (k = 10, ms)")
    table.add_column("figure")
    for size in results:
        table.add_column(size, justify="right")
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [("passages", lambda f: f"{f['passages']:,}")]
    for name in sets:
        for engine in ("PostgreSQL", "embedded", "bm25s"):
            rows.append(
                (f"{name}: {engine}", lambda f, k=f"{name} {engine}": f"{f[k][0]:.3f} / {f[k][1]:.3f}")
            )
    rows.append(
        ("queries with identical top 10, PostgreSQL = embedded", lambda f: f"{f['identical top 10']:.1%}")
    )
    for engine in ("PostgreSQL", "embedded", "bm25s"):
        rows.append(
            (f"p50 / p95 ms: {engine}", lambda f, e=engine: f"{f[e + ' p50']:.2f} / {f[e + ' p95']:.2f}")
        )
    for name in ("unit", "years+part"):
        for engine in ("PostgreSQL", "embedded"):
            rows.append(
                (
                    f"p50 / p95 ms, filter {name}: {engine}",
                    lambda f, k=f"{engine} {name}": f"{f[k + ' p50']:.2f} / {f[k + ' p95']:.2f}",
                )
            )
    rows.append(("  unit filter keeps (share of passages)", lambda f: f"{f['unit share']:.1%}"))
    rows.append(
        ("  PostgreSQL p50 ÷ embedded p50", lambda f: f"{f['PostgreSQL p50'] / f['embedded p50']:.2f}×")
    )
    rows.append(
        (
            "p50 / p95 ms: PostgreSQL, one writer of a unit (k = 5, scope in the query)",
            lambda f: f"{f['PostgreSQL writer p50']:.2f} / {f['PostgreSQL writer p95']:.2f}",
        )
    )
    rows += [
        ("documents", lambda f: f"{f['documents']:,}"),
        ("answers per judged query (copies that hold the judged text count)", lambda f: f"{f['answers per query']:.1f}"),
        (f"copies' passages whose counted terms differ from a cut of them (of {CHECKED})", lambda f: str(f["terms differ"])),
        ("postings (term, passage) / in search_impact / in search_rest", lambda f: f"{f['postings']:,} / {f['impact rows']:,} / {f['rest rows']:,}"),
        ("s: weigh the index / prepare frames / write into PostgreSQL", lambda f: f"{f['weigh s']:.0f} / {f['frames s']:.0f} / {f['pg write s']:.0f}"),
        ("MB: embedded index arrays / this process's peak RSS", lambda f: f"{f['embedded MB']:,.0f} / {f['max RSS MB']:,.0f}"),
    ]  # fmt: skip
    for name in (*TABLES, "documents", "passages", "database"):
        rows.append((f"MB on disk: {name}", lambda f, n=name: f"{f['sizes'][n] / 1e6:,.0f}"))
    for name, cell in rows:
        table.add_row(name, *(cell(f) for f in results.values()))
    console.print(table)


def print_web(console: Console, loads: list[CpuLoad], scale: int, seconds: float) -> None:
    """The load table, with the CPU each request cost the web workers, the database and the clients."""
    table = Table(
        title=f"Two drafter serve workers on one database ({scale}×), signed-in GET /api/search, {seconds:.0f} s "
        f"each (load average {os.getloadavg()[0]:.1f})"
    )
    for column in (
        "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms", f"p95 < {TARGET_P95_MS:.0f} ms",
        "CPU ms/request: web", "database", "clients", f"cores for p95 < {TARGET_P95_MS:.0f} ms",
    ):  # fmt: skip
        table.add_column(column, justify="right")
    for run in loads:
        load = run.load
        ok = load.percentile(95) < TARGET_P95_MS and load.errors == 0
        table.add_row(
            load.name, str(load.requests), str(load.errors), f"{load.throughput:.1f}",
            f"{load.percentile(50):.1f}", f"{load.percentile(95):.1f}", "yes" if ok else "no",
            f"{run.web_ms:.2f}", f"{run.database_ms:.2f}", f"{run.client_ms:.2f}",
            f"{int(load.name.split()[0]) * (run.web_ms + run.database_ms) / TARGET_P95_MS:.1f}",
        )  # fmt: skip
    console.print(table)
    console.print(
        "On a closed loop every client waits its turn for a core: p95 ≥ clients × CPU per request ÷ cores. "
        "Cores for a target: clients × (web + database ms) ÷ target ms."
    )


if __name__ == "__main__":
    raise SystemExit(main())
