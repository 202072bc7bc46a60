"""PostgreSQL as store and search engine against the embedded SQLite corpus and index, and bm25s, in one run.

1. Ingest throughput: the parsed documents of the seeds + ../shared/corpus-external stored one transaction
   per document into a new SQLite file and into a new PostgreSQL database (parsing excluded: the store's
   own cost).
2. At 1× and at ``--scale``× (copies synthesised as bench_search does: sentences shuffled, figures changed,
   new ids and sources): search quality (hit@5, MRR@10 on search_eval.yaml and paraphrase_eval.yaml) and
   latency p50/p95 (the evaluation queries plus sentences of the corpus, k = 10, jieba on the query
   included) of the search inside PostgreSQL (the real path: version checks included), the embedded index,
   and bm25s over the same jieba words. Both Drafter engines expand queries with the curated 口径 table only
   (mining related terms over 370k passages would take most of an hour); the share of queries whose ten
   hits are identical in both is printed too.
3. Two ``drafter serve`` processes on the ``--scale``× database, 16 and 64 concurrent clients signed in as a
   unit's writer searching (``GET /api/search``, the two servers alternately): throughput, p50/p95, errors,
   and the CPU milliseconds each request cost the web workers, the database and the clients
   (``benchmarks.pg_web``).

A throwaway PostgreSQL 15 is started unless ``DRAFTER_BENCH_PG`` / ``DRAFTER_TEST_PG`` names a server.

    python -m benchmarks.bench_postgres [--quick] [--scale 10] [--seconds 20]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks.bench_search import RE_DIGITS, RE_SENTENCE, SEED, p95, sentence_queries
from benchmarks.eval_paraphrase import DEFAULT_SET, load_set
from benchmarks.eval_search import (
    EXTERNAL,
    QUICK_EXTERNAL_EVERY,
    SEEDS,
    Bm25,
    hit_at,
    load_eval_set,
    mrr_at,
    ranks,
    relevant_sets,
)
from benchmarks.pg_server import drop_database, new_database, postgres_server
from benchmarks.pg_web import CpuLoad, measure_web

TARGET_P95_MS = 30.0


def read_documents(quick: bool) -> list[Any]:
    """The parsed documents of the seeds and the external corpus (every 8th external file when quick)."""
    from drafter.ingest.documents import documents_from_file
    from drafter.ingest.read import iter_input_files

    outside = sorted(iter_input_files([EXTERNAL]))
    files = sorted(iter_input_files([SEEDS])) + (outside[::QUICK_EXTERNAL_EVERY] if quick else outside)
    return [doc for path in files for doc in documents_from_file(path)]


def synthesise_documents(docs: Sequence[Any], copies: int, seed: int = SEED) -> list[Any]:
    """``docs`` plus ``copies - 1`` perturbed copies of each (as bench_search.synthesise does to passages)."""
    rng = random.Random(seed)
    out = list(docs)
    for copy in range(1, copies):
        for doc in docs:
            doc_id = f"{doc.id}c{copy}"
            passages = []
            for p in doc.passages:
                sentences = RE_SENTENCE.findall(p.text) or [p.text]
                rng.shuffle(sentences)
                text = RE_DIGITS.sub(lambda m: str(rng.randint(1, 10 ** len(m.group()))), "".join(sentences))
                passages.append(
                    dataclasses.replace(p, id=f"{doc_id}-{p.position:04d}", doc_id=doc_id, text=text)
                )
            out.append(
                dataclasses.replace(
                    doc, id=doc_id, source=f"{doc.source}#copy{copy}", passages=tuple(passages)
                )
            )
    return out


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


def measure_search(
    url: str,
    sets: dict[str, list[Any]],
    console: Console,
    label: str,
    web: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Quality, latency and agreement of the three engines over the passages stored at ``url`` (``web`` runs
    once the index is in the database). The index is built once and written into the database as the
    search inside PostgreSQL would build it itself (its build time = the embedded build + the write)."""
    from drafter.app import Drafter
    from drafter.app_search import index_items
    from drafter.models import SearchFilters
    from drafter.search.expansion import Expander, load_synonyms
    from drafter.search.index import SearchIndex, indexed_text
    from drafter.search.pg_build import _write as write_index
    from drafter.search.pg_build import ensure_state
    from drafter.text.tokens import default_tokenizer

    tokenizer = default_tokenizer()
    drafter = Drafter(database=url)
    items = list(index_items(drafter.corpus))
    figures: dict[str, Any] = {"passages": len(items)}
    console.print(f"[{label}] {len(items):,} passages: building the index (the same one for both engines)…")
    started = time.perf_counter()
    index = SearchIndex.build(items, tokenizer)
    figures["embedded build s"] = time.perf_counter() - started
    searcher = drafter.searcher()
    started = time.perf_counter()
    with drafter.corpus.pool.connection() as conn:  # type: ignore[attr-defined]
        ensure_state(conn)
        write_index(conn, index, searcher._fingerprint())  # type: ignore[union-attr]
    figures["pg write s"] = time.perf_counter() - started
    if web is not None:
        web(url)
    console.print(f"[{label}] bm25s…")
    bm25 = Bm25([indexed_text(p) for p, _ in items], tokenizer)
    expander = Expander(load_synonyms())
    position = {p.id: i for i, (p, _) in enumerate(items)}
    engines: dict[str, Callable[[str], list[int]]] = {
        "PostgreSQL": lambda q: [position[h.passage_id] for h in searcher.search(q, 10)],
        "embedded": lambda q: [position[h.passage_id] for h in index.search(q, 10, None, expander)],
        "bm25s": lambda q: bm25.top(q, 10),
    }
    all_queries: list[str] = []
    for name, judged in sets.items():
        relevant = relevant_sets(judged, items)
        queries = [j.query for j in judged]
        all_queries += queries
        for engine, run in engines.items():
            found = ranks([run(q) for q in queries], relevant)
            figures[f"{name} {engine}"] = (hit_at(found, 5), mrr_at(found, 10))
    same = [engines["PostgreSQL"](q) == engines["embedded"](q) for q in all_queries]
    figures["identical top 10"] = sum(same) / len(same)
    timing = all_queries + sentence_queries(items, 100)
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
    drafter.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run everything and print the tables."""
    from drafter.corpus.postgres import PgCorpus
    from drafter.corpus.store import Corpus
    from drafter.resources import bundled_dir

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_postgres", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="every 8th external file, 2×, 5 s of load")
    parser.add_argument("--scale", type=int, default=10, help="the larger size, in copies of the corpus")
    parser.add_argument("--seconds", type=float, default=20.0, help="load duration per client count")
    args = parser.parse_args(argv)
    scale, seconds = (2, 5.0) if args.quick else (args.scale, args.seconds)
    console = Console(width=160)
    docs = read_documents(args.quick)
    sets = {"search_eval": load_eval_set(), "paraphrase_eval": list(load_set(DEFAULT_SET))}
    bank = (bundled_dir("phrasebank") / "mined.json").read_text(encoding="utf-8")
    with postgres_server() as server, tempfile.TemporaryDirectory() as tmp:
        sqlite = Corpus(Path(tmp) / "corpus.sqlite3")
        sqlite_s = store_all(sqlite, docs)
        sqlite.close()
        urls = {1: new_database(server), scale: new_database(server)}
        for size, url in urls.items():
            with PgCorpus(url) as pg:
                pg_s = store_all(pg, docs if size == 1 else synthesise_documents(docs, size))
                pg.save_phrases(bank)
                if size == 1:
                    ingest = (sqlite_s, pg_s)
        n_passages = sum(len(d.passages) for d in docs)
        print_ingest(console, ingest, len(docs), n_passages)
        web_queries = [j.query for judged in sets.values() for j in judged]
        loads: list[CpuLoad] = []

        def web(url: str) -> None:
            console.print(f"[web] two workers, clients signed in, {seconds:.0f} s per client count…")
            loads.extend(measure_web(url, web_queries, seconds, accounts=True))
            print_web(console, loads, scale, seconds)

        try:
            results: dict[str, dict[str, Any]] = {}
            for size, url in urls.items():
                results[f"{size}×"] = measure_search(
                    url, sets, console, f"{size}×", web if size == scale else None
                )
                print_search(console, results, sets)
        finally:
            for url in urls.values():
                drop_database(server, url)
    return 0 if loads and all(run.load.errors == 0 for run in loads) else 1


def print_ingest(console: Console, ingest: tuple[float, float], n_docs: int, n_passages: int) -> None:
    """The ingest table."""
    table = Table(title=f"Ingest: {n_docs} documents, {n_passages:,} passages (parsed beforehand)")
    for column in ("store", "seconds", "documents/s", "passages/s", "ratio to SQLite"):
        table.add_column(column, justify="left" if column == "store" else "right")
    for name, s in (("SQLite file", ingest[0]), ("PostgreSQL", ingest[1])):
        table.add_row(
            name, f"{s:.1f}", f"{n_docs / s:.0f}", f"{n_passages / s:,.0f}", f"{ingest[0] / s:.2f}×"
        )
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
            "build s: the index / its writing into PostgreSQL",
            lambda f: f"{f['embedded build s']:.0f} / {f['pg write s']:.0f}",
        )
    )
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
        "CPU ms/request: web", "database", "clients",
    ):  # fmt: skip
        table.add_column(column, justify="right")
    for run in loads:
        load = run.load
        ok = load.percentile(95) < TARGET_P95_MS and load.errors == 0
        table.add_row(
            load.name, str(load.requests), str(load.errors), f"{load.throughput:.1f}",
            f"{load.percentile(50):.1f}", f"{load.percentile(95):.1f}", "yes" if ok else "no",
            f"{run.web_ms:.2f}", f"{run.database_ms:.2f}", f"{run.client_ms:.2f}",
        )  # fmt: skip
    console.print(table)
    console.print(
        "On a closed loop every client waits its turn for a core: p95 ≥ clients × CPU per request ÷ cores. "
        "Cores for a target: clients × (web + database ms) ÷ target ms."
    )


if __name__ == "__main__":
    raise SystemExit(main())
