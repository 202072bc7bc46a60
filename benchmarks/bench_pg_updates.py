"""Incremental search tables in PostgreSQL: one report uploaded into the seeds + external corpus, removed, made
private, and searches during a rebuild, each against an anchor measured in the same run.

- upload: seconds from storing the report (parsed and stored by ``Drafter.ingest``) until another worker's
  search finds it, split into storing, adding its postings (``update_index_now``: what the upload's request
  does) and the search; the anchor is the full build the old code ran inside the first search after any
  change (``update(rebuild=True)`` at the same size, run while the searches during a rebuild are timed);
- removal and a change to private: seconds until another worker's search no longer shows the report to
  whoever may not see it (nothing but the change itself runs in between);
- search p50 / p95 (evaluation queries, k = 5) on the freshly built tables, after the added report, and
  while a full rebuild runs aside;
- how the grown tables rank against rebuilt ones: identical top 5 and same best hit over the queries;
- over HTTP (after the removal): two ``drafter serve`` workers, a unit's writer signed in on both; seconds
  from posting the report to one until the other's search finds it, and from posting it again under another
  file name until the other lists that file among the hit's sources.

The corpus is the seeds plus every external report but one (the held-out one is uploaded); ``--quick`` takes
every 8th external file. PostgreSQL: ``DRAFTER_BENCH_PG`` / ``DRAFTER_TEST_PG``, else a throwaway server.

    python -m benchmarks.bench_pg_updates [--quick] [--external DIR]
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.bench_updates import EXTERNAL, SEEDS, sentences
from benchmarks.figures import Figures, held_out


def percentiles(search: Callable[[str], object], queries: Sequence[str]) -> tuple[float, float]:
    """p50 and p95 in milliseconds of ``search`` over ``queries`` (after one warm-up)."""
    search(queries[0])
    times = []
    for query in queries:
        started = time.perf_counter()
        search(query)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def until(check: Callable[[], bool], limit: float = 120.0) -> float:
    """Seconds until ``check()`` holds (polled), or ``limit``."""
    started = time.perf_counter()
    while not check() and time.perf_counter() - started < limit:
        time.sleep(0.01)
    return time.perf_counter() - started


def stands_out(sentence: str, texts: Sequence[str]) -> bool:
    """Whether none of ``texts`` holds half of ``sentence``'s character pairs: a report holding a near-copy of
    it would take the uploaded passage among its copies (one hit, the other report's id)."""
    pairs = {sentence[i : i + 2] for i in range(len(sentence) - 1)}
    return all(sum(p in text for p in pairs) < 0.5 * len(pairs) for text in texts)


def answers(http: Any, url: str, query: str) -> bool:
    """Whether the search at ``url`` answers ``query`` (a worker still preparing answers 409)."""
    return bool(http.get(url, params={"q": query}).status_code == 200)


def http_upload(url: str, report: Path, doc_id: str, probe: str) -> tuple[float, float, float, float]:
    """Two ``drafter serve`` workers on the database, a unit's writer signed in on both: seconds from posting
    ``report`` (document ``doc_id``) to the first until the second's search finds it (and the upload's own
    answer), then from posting the same report under another file name until the second lists that file
    among the hit's sources (and that upload's answer)."""
    from benchmarks.pg_web import add_writer, signed_in, start_server

    writer = add_writer(url)
    servers = [start_server(url) for _ in range(2)]
    clients = [signed_in(base, writer) for _, base in servers]
    try:
        for http, (_, base) in zip(clients, servers, strict=True):  # ready (409 while preparing) and warm
            if until(partial(answers, http, f"{base}/api/search", probe), 600) >= 600:
                raise RuntimeError(f"{base} does not answer searches")
        poster, searcher = clients
        base_post, base_search = servers[0][1], servers[1][1]

        def hits() -> list[dict[str, Any]]:
            answer = searcher.get(f"{base_search}/api/search", params={"q": probe, "k": 10})
            answer.raise_for_status()
            return list(answer.json())

        def post(name: str) -> float:
            files = {"files": (name, report.read_bytes(), "text/plain")}
            poster.headers["X-CSRF-Token"] = poster.cookies["drafter_csrf"]  # the session's token
            answer = poster.post(f"{base_post}/api/upload", files=files)
            if answer.status_code != 200:
                raise RuntimeError(f"upload refused: {answer.status_code} {answer.text[:300]}")
            return time.perf_counter()

        started = time.perf_counter()
        answered = post(report.name) - started
        found = until(lambda: any(h["doc_id"] == doc_id for h in hits()), 30.0) + answered
        again = f"汇编-{report.name}"
        started = time.perf_counter()
        answered_again = post(again) - started
        listed = until(lambda: any(again in str(s) for h in hits() for s in h["other_sources"]), 30.0)
        return found, answered, listed + answered_again, answered_again
    finally:
        for http in clients:
            http.close()
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    """Measure and print one table."""
    from benchmarks.bench_responsiveness import external_files
    from benchmarks.eval_search import load_eval_set
    from benchmarks.pg_server import drop_database, new_database, postgres_server
    from drafter.app import Drafter
    from drafter.changes import Actor
    from drafter.ingest.documents import documents_from_file
    from drafter.search.pg_search import PgSearcher
    from drafter.search.pg_sql import Viewer

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_pg_updates", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="every 8th external file")
    parser.add_argument("--external", type=Path, default=EXTERNAL)
    args = parser.parse_args(argv)
    figures = Figures()
    row = figures.row

    outside = external_files(args.external, args.quick)
    held, rest = held_out(outside)
    queries = [j.query for j in load_eval_set()]
    actor = Actor("基准", "命令行")
    with postgres_server() as server:
        url = new_database(server, "bench_updates")
        writer, reader = Drafter(database=url), Drafter(database=url)
        try:
            writer.ingest([SEEDS, *rest], workers=2)
            started = time.perf_counter()
            assert writer.update().index == "rebuilt"
            first_build = time.perf_counter() - started
            searcher = reader.searcher()
            assert isinstance(searcher, PgSearcher)
            row("corpus", f"{writer.corpus.count()} documents", f"first build {first_build:.1f} s")
            before = percentiles(lambda q: reader.search(q, 5), queries)
            row("search p50 / p95, built tables", f"{before[0]:.1f} / {before[1]:.1f} ms")

            said = sentences(documents_from_file(held)[0].text)
            with writer.corpus.pool.connection() as conn:  # type: ignore[attr-defined]
                probe = next(  # a sentence no stored report holds (a government report's opening lines are shared)
                    (
                        s
                        for s in said
                        if not conn.execute(
                            "SELECT 1 FROM passages WHERE strpos(text, %s) > 0", (s,)
                        ).fetchone()
                        and stands_out(s, [h.text for h in reader.search(s, 10)])
                    ),
                    said[0],
                )
            started = time.perf_counter()
            report = writer.ingest([held], workers=1)
            stored = time.perf_counter() - started
            (doc_id,) = report.outcomes[0].added_ids
            began = time.perf_counter()
            assert writer.update_index_now()
            indexed = time.perf_counter() - began
            with writer.corpus.pool.connection() as conn:  # type: ignore[attr-defined]
                held_rows = conn.execute(
                    "SELECT hi - lo FROM search_docs WHERE doc_id = %s", (doc_id,)
                ).fetchone()
            searched = until(lambda: any(h.doc_id == doc_id for h in reader.search(probe, 10)), 30.0)
            ranks = [h.doc_id for h in reader.search(probe, 10)]
            rank = ranks.index(doc_id) + 1 if doc_id in ranks else None
            searchable = stored + indexed + searched
            row(
                "after update_index_now: its passages in search_docs / rank of it for a sentence of its own",
                f"{held_rows[0] if held_rows else 0} / {rank}",
            )
            found = sum(reader.search(s, 3)[0].doc_id == doc_id for s in said)
            grown = {q: [h.passage_id for h in reader.search(q, 5)] for q in [*queries, *said]}
            after = percentiles(lambda q: reader.search(q, 5), queries)
            passages = len(writer.document(doc_id).passages)

            done: list[str] = []

            def rebuild() -> None:
                started = time.perf_counter()
                done.append(writer.update(rebuild=True).index)
                done.append(f"{time.perf_counter() - started:.1f}")

            thread = threading.Thread(target=rebuild)
            thread.start()
            time.sleep(1.0)
            during = percentiles(lambda q: reader.search(q, 5), queries * 3)
            running = thread.is_alive()
            thread.join()
            assert done[0] == "rebuilt"
            rebuild_seconds = float(done[1])
            row(
                f"upload of one report ({passages} passages): searchable by another worker",
                f"{searchable:.2f} s (store {stored:.2f} + postings {indexed:.2f} + search {searched:.3f})",
                f"full rebuild {rebuild_seconds:.1f} s → {searchable / rebuild_seconds:.4f}×; builds during upload: "
                f"{searcher.builds}",
            )
            row("its own sentences found first (another worker)", f"{found} / {len(said)}")
            row("search p50 / p95, after the added report", f"{after[0]:.1f} / {after[1]:.1f} ms")
            row(
                "search p50 / p95 while a full rebuild runs aside",
                f"{during[0]:.1f} / {during[1]:.1f} ms",
                f"built tables {before[0]:.1f} / {before[1]:.1f} ms; rebuild still running at the end: {running}",
            )
            same = best = 0
            for query, was in grown.items():
                now = [h.passage_id for h in reader.search(query, 5)]
                same += now == was
                best += now[:1] == was[:1]
            row(
                "grown vs rebuilt tables: identical top 5 / same best hit",
                f"{same} / {len(grown)}  ·  {best} / {len(grown)}",
            )

            with writer.corpus.pool.connection() as conn:  # type: ignore[attr-defined]
                conn.execute("UPDATE documents SET owner_unit = '乙局' WHERE id = %s", (doc_id,))
            began = time.perf_counter()
            writer.set_visibility(doc_id, "private", actor)
            changed = time.perf_counter() - began
            hidden = until(
                lambda: all(h.doc_id != doc_id for h in searcher.search(probe, 5, viewer=Viewer("甲局")))
            )
            row(
                "made private: hidden from another unit",
                f"{changed + hidden:.3f} s",
                f"(change {changed:.3f} s)",
            )
            began = time.perf_counter()
            writer.remove(doc_id, actor)
            removed = time.perf_counter() - began
            gone = until(lambda: all(h.doc_id != doc_id for s in said[:3] for h in reader.search(s, 5)))
            row(
                "removed: gone from another worker's search",
                f"{removed + gone:.3f} s",
                f"(removal {removed:.3f} s)",
            )
            over_http, answered, listed, answered_again = http_upload(url, held, doc_id, probe)
            row(
                "over HTTP (two workers, signed in): upload on one until the other finds it",
                f"{over_http:.2f} s",
                f"(the upload's answer {answered:.2f} s)",
            )
            row(
                "the same report uploaded as another file: listed in the other's hit",
                f"{listed:.2f} s",
                f"(the upload's answer {answered_again:.2f} s)",
            )
        finally:
            writer.close()
            reader.close()
            drop_database(server, url)

    figures.show("PostgreSQL incremental updates" + (" (quick)" if args.quick else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
