"""Search speed: Drafter's TF-IDF index against ``bm25s`` on the same passages, in one run.

At the size of the seeds + the full external corpus (1×) and at 10× that (synthesised by perturbing real
passages: sentences shuffled, figures changed), it measures index build time (tokenising included), query
latency (median and p95, jieba on the query included, over the evaluation queries and sentences of the
corpus), the index's memory, and Drafter's save and reload time. bm25s indexes the same passages cut into
the same jieba words; it tokenises in one process (it has no parallel jieba), so its pure indexing time is
shown too.

    python -m benchmarks.bench_search [--quick] [--scale 10]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.eval_search import corpus_items, load_eval_set

RE_SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")
RE_DIGITS = re.compile(r"\d+")
SENTENCE_QUERIES = 100
SEED = 20251124


def synthesise(items: Sequence[tuple[Any, Any]], copies: int, seed: int = SEED) -> list[tuple[Any, Any]]:
    """``items`` plus ``copies - 1`` perturbed copies: sentences shuffled, figures replaced, new ids/sources."""
    rng = random.Random(seed)
    out = list(items)
    for copy in range(1, copies):
        metas: dict[int, Any] = {}
        for passage, meta in items:
            sentences = RE_SENTENCE.findall(passage.text) or [passage.text]
            rng.shuffle(sentences)
            text = RE_DIGITS.sub(lambda m: str(rng.randint(1, 10 ** len(m.group()))), "".join(sentences))
            new_meta = metas.get(id(meta))
            if new_meta is None:
                source = f"{meta.source}#copy{copy}"
                new_meta = metas[id(meta)] = replace(meta, source=source, sources=(source,))
            doc_id = f"{passage.doc_id}c{copy}"
            out.append(
                (replace(passage, id=f"{doc_id}-{passage.position:04d}", doc_id=doc_id, text=text), new_meta)
            )
    return out


def sentence_queries(items: Sequence[tuple[Any, Any]], n: int, seed: int = SEED) -> list[str]:
    """``n`` sentences of random passages: what a writer pastes from their own draft."""
    rng = random.Random(seed)
    picked = []
    while len(picked) < n:
        passage, _ = items[rng.randrange(len(items))]
        sentences = [s for s in RE_SENTENCE.findall(passage.text) if len(s) >= 12]
        if sentences:
            picked.append(rng.choice(sentences))
    return picked


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """``fn()`` and the seconds it took."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def latencies(search: Callable[[str], object], queries: Sequence[str]) -> list[float]:
    """Milliseconds per query (after one warm-up query)."""
    search(queries[0])
    out = []
    for query in queries:
        start = time.perf_counter()
        search(query)
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: Sequence[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(values, n=20)[-1]


def measure(items: Sequence[tuple[Any, Any]], queries: Sequence[str], tokenizer: Any) -> dict[str, float]:
    """Build, latency, memory and persistence figures of both engines on ``items``."""
    figures: dict[str, float] = {"passages": len(items), "chars": sum(len(p.text) for p, _ in items)}
    figures.update(measure_drafter(items, queries, tokenizer))
    figures.update(measure_bm25s(items, queries, tokenizer))
    return figures


def measure_drafter(
    items: Sequence[tuple[Any, Any]], queries: Sequence[str], tokenizer: Any
) -> dict[str, float]:
    """Drafter: build (tokenising included), memory, save, reload, and query latency of the reloaded index."""
    from drafter.search.curated import load_everyday, load_synonyms
    from drafter.search.damping import mine_damping
    from drafter.search.expansion import Expander
    from drafter.search.index import SearchIndex
    from drafter.search.related import mine_related

    figures: dict[str, float] = {}
    built, figures["drafter build"] = timed(lambda: SearchIndex.build(items, tokenizer))
    figures["drafter MB"] = built.nbytes / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _, figures["drafter save"] = timed(lambda: built.save(folder, "bench"))
        loaded, figures["drafter load"] = timed(lambda: SearchIndex.load(folder, tokenizer))
        figures["drafter disk MB"] = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
    assert loaded is not None
    # As shipped: queries expanded with the curated 口径 table and the related terms mined from the corpus.
    related, figures["related terms build"] = timed(
        lambda: mine_related([p.text for p, _ in items], tokenizer)
    )
    damping, figures["damping build"] = timed(lambda: mine_damping([p.text for p, _ in items], tokenizer))
    expander = Expander(load_synonyms(), related, damping=damping, everyday=load_everyday())
    ms = latencies(lambda q: loaded.search(q, 5, None, expander), queries)
    figures.update({"drafter median": statistics.median(ms), "drafter p95": p95(ms)})
    plain = latencies(lambda q: loaded.search(q, 5), queries)
    figures.update({"drafter no expansion median": statistics.median(plain)})
    return figures


def measure_bm25s(
    items: Sequence[tuple[Any, Any]], queries: Sequence[str], tokenizer: Any
) -> dict[str, float]:
    """bm25s on the same texts and jieba words: build (tokenising included), index alone, memory, latency."""
    import bm25s

    from drafter.search.index import indexed_text

    figures: dict[str, float] = {}
    texts = [indexed_text(p) for p, _ in items]
    tokens, tokenise = timed(lambda: [tokenizer.words(t) for t in texts])
    model = bm25s.BM25()
    _, figures["bm25s index"] = timed(lambda: model.index(tokens, show_progress=False))
    figures["bm25s build"] = tokenise + figures["bm25s index"]
    figures["bm25s MB"] = sum(a.nbytes for a in model.scores.values() if hasattr(a, "nbytes")) / 1e6

    def search(query: str) -> object:
        words = tokenizer.words(query)
        return model.retrieve([words], k=5, show_progress=False) if words else None

    ms = latencies(search, queries)
    figures.update({"bm25s median": statistics.median(ms), "bm25s p95": p95(ms)})
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run both sizes and print the table (absolute figures and Drafter/bm25s ratios)."""
    from rich.console import Console
    from rich.table import Table

    from drafter.text.tokens import default_tokenizer

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_search", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="seeds + every 8th external file, 1× and 2×")
    parser.add_argument("--scale", type=int, default=10, help="the larger size, in copies of the corpus")
    args = parser.parse_args(argv)
    scale = 2 if args.quick else args.scale

    tokenizer = default_tokenizer()
    tokenizer.words("科技")
    base = corpus_items(quick=args.quick)
    queries = [j.query for j in load_eval_set()] + sentence_queries(base, SENTENCE_QUERIES)
    results = {"1×": measure(base, queries, tokenizer)}
    results[f"{scale}×"] = measure(synthesise(base, scale), queries, tokenizer)

    table = Table(title=f"Search speed: Drafter TF-IDF vs bm25s ({len(queries)} queries, k=5)")
    table.add_column("figure")
    for size in results:
        table.add_column(size, justify="right")
    rows: list[tuple[str, Callable[[dict[str, float]], str]]] = [
        ("passages / M chars", lambda f: f"{f['passages']:,.0f} / {f['chars'] / 1e6:.1f}"),
        (
            "query median ms: Drafter / bm25s",
            lambda f: f"{f['drafter median']:.2f} / {f['bm25s median']:.2f}",
        ),
        ("  ratio Drafter ÷ bm25s", lambda f: f"{f['drafter median'] / f['bm25s median']:.2f}×"),
        ("query median ms, Drafter without expansion", lambda f: f"{f['drafter no expansion median']:.2f}"),
        ("related terms mined s (drafter mine's share)", lambda f: f"{f['related terms build']:.1f}"),
        ("query-term damping counted s (cutting again)", lambda f: f"{f['damping build']:.1f}"),
        ("query p95 ms: Drafter / bm25s", lambda f: f"{f['drafter p95']:.2f} / {f['bm25s p95']:.2f}"),
        ("  ratio Drafter ÷ bm25s", lambda f: f"{f['drafter p95'] / f['bm25s p95']:.2f}×"),
        (
            "build s: Drafter / bm25s (tokenising incl.)",
            lambda f: f"{f['drafter build']:.1f} / {f['bm25s build']:.1f}",
        ),
        ("  ratio Drafter ÷ bm25s", lambda f: f"{f['drafter build'] / f['bm25s build']:.2f}×"),
        ("bm25s index only s (tokens given)", lambda f: f"{f['bm25s index']:.1f}"),
        ("index MB: Drafter / bm25s", lambda f: f"{f['drafter MB']:.0f} / {f['bm25s MB']:.0f}"),
        (
            "Drafter on disk MB, save s, reload s",
            lambda f: f"{f['drafter disk MB']:.0f}, {f['drafter save']:.1f}, {f['drafter load']:.1f}",
        ),
    ]
    for name, cell in rows:
        table.add_row(name, *(cell(f) for f in results.values()))
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
