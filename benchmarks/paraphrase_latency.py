"""Query latency against bm25s, measured two ways in one run: the ranking alone, and the hits a writer sees.

bm25s's ``retrieve`` returns passage ids and scores; its anchor here is ``eval_search.Bm25.top``: the query cut
into jieba words (the same tokenizer) and retrieved, k = 10. Drafter is timed to the same output —
``SearchIndex.rank``: the query cut, its other wordings (口径 table) and damping, the scores, and the near-copy
folding that decides which passages come back and in what order, returned as passage ids and scores — and to
the full hits (``SearchIndex.search``: each hit's frame, matched terms, coverage and confidence, the copies'
sources), what the web page and ``drafter search`` show. Scores are summed by scipy's compiled kernel, as a
server sums them (``Drafter.prepare_for_searches``); one more row sums them with numpy, as a command that
searches once does (``drafter.search.scatter``).

Every engine times queries it has not seen: before each pass the index forgets the queries it cut and
Drafter gets a new ``Expander`` (so no expansion is remembered either). The passes are interleaved (bm25s,
ranking, hits, bm25s, …) so a load that comes and goes weighs on all alike; an engine's p50 is the median of
its passes' medians. Wall-clock and CPU time (this thread's) are both reported, with the load average, and the
median over queries of each query's fastest pass (a machine shared with other work slows some passes).

    python -m benchmarks.paraphrase_latency --cache DIR [--rounds 9] [--k 10] [--profile]

DIR is an ``eval_paraphrase --cache`` folder (its saved index and mined terms); the queries are those of every
set of ``eval_paraphrase.SETS``. ``--profile`` prints cProfile's heaviest functions of both Drafter paths.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.eval_paraphrase import DATA, SETS, load_set
from benchmarks.eval_search import Bm25, corpus_items
from drafter.search.curated import load_everyday, load_synonyms
from drafter.search.expansion import Expander
from drafter.search.index import SearchIndex, indexed_text
from drafter.search.related import damping_from_json, related_from_json
from drafter.search.scatter import use_kernel
from drafter.text.tokens import default_tokenizer

ROUNDS = 9
WARM_UP = 20
BM25 = "bm25s retrieve (ids + scores)"
RANKING = "Drafter ranking (ids + scores)"
HITS = "Drafter hits (what a writer sees)"
WITHOUT_EVERYDAY = "Drafter ranking, 口径表 only (no everyday words)"
NUMPY_SUM = "Drafter ranking, scores summed by numpy (a command's)"


def passes(
    make: Callable[[], Callable[[str], object]], queries: Sequence[str]
) -> tuple[list[float], list[float]]:
    """Milliseconds per query of a fresh ``make()``, wall-clock and CPU (each query once), after a warm-up on
    ``WARM_UP`` of the queries with another fresh one (the caches of a machine that ran something else)."""
    warm = make()
    for query in queries[-WARM_UP:]:
        warm(query)
    run = make()
    wall, cpu = [], []
    for query in queries:
        w, c = time.perf_counter(), time.thread_time()
        run(query)
        cpu.append((time.thread_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console
    from rich.table import Table

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.paraphrase_latency", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--cache", type=Path, required=True, help="an eval_paraphrase --cache folder")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"interleaved passes (default {ROUNDS})")
    parser.add_argument("--k", type=int, default=10, help="hits per query (default 10)")
    parser.add_argument("--profile", action="store_true", help="cProfile both Drafter paths first")
    args = parser.parse_args(argv)
    console = Console(width=140)

    tokenizer = default_tokenizer()
    index = SearchIndex.load(args.cache / "index", tokenizer)
    items = corpus_items()
    if index is None or len(index) != len(items):
        raise SystemExit(
            f"no index of these {len(items)} passages in {args.cache}: run eval_paraphrase first"
        )
    stored = (args.cache / "related.json").read_text(encoding="utf-8")
    groups, related, damping = load_synonyms(), related_from_json(stored), damping_from_json(stored)
    bm25 = Bm25([indexed_text(p) for p, _ in items], tokenizer)
    tokenizer.for_many()  # as a server does (``Drafter.prepare_for_searches``); bm25s cuts with it too
    sets = {name: [j.query for j in load_set(DATA / name)] for name in SETS}
    queries = [q for qs in sets.values() for q in qs]
    k = args.k

    def fresh(everyday: bool = True) -> Expander:
        index.forget_queries()
        return Expander(groups, related, damping=damping, everyday=load_everyday() if everyday else ())

    def ranking(compiled: bool = True) -> Callable[[str], object]:
        use_kernel(compiled)  # a server's sum (``prepare_for_searches``), or a one-off command's
        expander = fresh()
        return lambda q: index.rank(q, k, None, expander).rows

    def without_everyday() -> Callable[[str], object]:
        use_kernel()
        expander = fresh(everyday=False)
        return lambda q: index.rank(q, k, None, expander).rows

    def hits() -> Callable[[str], object]:
        use_kernel()
        expander = fresh()
        return lambda q: index.search(q, k, None, expander)

    engines: dict[str, Callable[[], Callable[[str], object]]] = {
        BM25: lambda: lambda q: bm25.top(q, k),
        RANKING: ranking,
        HITS: hits,
        WITHOUT_EVERYDAY: without_everyday,
        NUMPY_SUM: lambda: ranking(compiled=False),
    }
    if args.profile:
        _profile(console, {RANKING: ranking, HITS: hits}, queries)
    load_before = os.getloadavg()
    wall: dict[str, list[list[float]]] = {name: [] for name in engines}
    cpu: dict[str, list[list[float]]] = {name: [] for name in engines}
    started = time.perf_counter()
    for _ in range(args.rounds):
        for name, make in engines.items():
            w, c = passes(make, queries)
            wall[name].append(w)
            cpu[name].append(c)
    seconds = time.perf_counter() - started
    load_after = os.getloadavg()

    first = len(sets[SETS[0]])

    def p50(runs: list[list[float]], upto: int | None = None) -> float:
        return statistics.median(statistics.median(r[:upto]) for r in runs)

    def p95(runs: list[list[float]]) -> float:
        return statistics.median(statistics.quantiles(r, n=20)[-1] for r in runs)

    def fastest(runs: list[list[float]]) -> float:
        """The median over queries of each query's fastest pass: what is left when the load is taken out."""
        return float(statistics.median(min(times) for times in zip(*runs, strict=True)))

    table = Table(
        title=f"Query latency, {len(index)} passages, {len(queries)} queries ({len(sets)} sets), k = {k}, "
        f"{args.rounds} interleaved passes"
    )
    columns = (
        "engine",
        "p50 ms",
        "× bm25s",
        "p95 ms",
        "CPU p50 ms",
        "CPU × bm25s",
        "fastest p50",
        f"p50 {SETS[0]}",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "engine" else "right")
    anchor, anchor_cpu, anchor_first = p50(wall[BM25]), p50(cpu[BM25]), p50(wall[BM25], first)
    anchor_fastest = fastest(wall[BM25])
    for name in engines:
        table.add_row(
            name,
            f"{p50(wall[name]):.3f}",
            f"{p50(wall[name]) / anchor:.2f}×",
            f"{p95(wall[name]):.3f}",
            f"{p50(cpu[name]):.3f}",
            f"{p50(cpu[name]) / anchor_cpu:.2f}×",
            f"{fastest(wall[name]):.3f} ({fastest(wall[name]) / anchor_fastest:.2f}×)",
            f"{p50(wall[name], first):.3f} ({p50(wall[name], first) / anchor_first:.2f}×)",
        )
    console.print(table)
    console.print(
        f"load average (1/5/15 min) {_load(load_before)} before, {_load(load_after)} after; "
        f"{seconds:.0f} s of passes; {os.cpu_count()} cores"
    )
    return 0


def _load(values: tuple[float, float, float]) -> str:
    return "/".join(f"{v:.1f}" for v in values)


def _profile(
    console: Any, engines: dict[str, Callable[[], Callable[[str], object]]], queries: Sequence[str]
) -> None:
    import cProfile
    import io
    import pstats

    for name, make in engines.items():
        run = make()
        run(queries[0])
        profile = cProfile.Profile()
        profile.enable()
        for query in queries:
            run(query)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(25)
        console.print(f"[bold]{name}[/bold]: {len(queries)} queries")
        console.print(out.getvalue(), markup=False, highlight=False)


if __name__ == "__main__":
    raise SystemExit(main())
