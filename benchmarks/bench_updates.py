"""Incremental updates, in process: one report added to (then removed from) the seeds + external corpus.

Figures, each against its anchor measured in the same run:
- adding one report: seconds until the index holds it (``Drafter.update``'s index step: its passages
  tokenised and weighed with the built statistics, the index saved) against a full index build; seconds
  until the bank counts it against a full mining;
- removing it: seconds until the index and the bank no longer show it;
- how closely the grown index ranks as a rebuilt one: share of the evaluation queries (and sentences of the
  added report) whose top five are the same passages in the same order, and whose best hit is the same.

The corpus is the bundled seeds plus every external report but one (the held-out report is the one added);
``--quick`` takes every 8th external file. The machine is shared: read ratios, not absolute times.

    python -m benchmarks.bench_updates [--quick] [--external DIR]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from benchmarks.figures import Figures, held_out

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "corpus"
EXTERNAL = REPO.parent / "shared" / "corpus-external"


def sentences(text: str, n: int = 10) -> list[str]:
    """Sentences a writer could search for (no figures, 20–60 characters), spread over ``text``."""
    found = [s for s in re.findall(r"[^。！？\n]{20,60}[。！？]", text) if not re.search(r"\d", s)]
    return found[:: max(1, len(found) // n)][:n]


def main(argv: list[str] | None = None) -> int:
    """Measure and print one table."""
    from benchmarks.bench_responsiveness import external_files
    from benchmarks.eval_search import load_eval_set
    from drafter.app import Drafter
    from drafter.app_search import index_items
    from drafter.search.index import SearchIndex
    from drafter.search.searcher import Searcher

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_updates", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="every 8th external file")
    parser.add_argument("--external", type=Path, default=EXTERNAL)
    args = parser.parse_args(argv)
    figures = Figures()
    row = figures.row

    outside = external_files(args.external, args.quick)
    held, rest = held_out(outside)
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as tmp:
        drafter = Drafter(Path(tmp) / "corpus.sqlite3", seed=False)
        drafter.ingest([SEEDS, *rest])
        searcher = drafter.searcher()
        assert isinstance(searcher, Searcher)
        started = time.perf_counter()
        built = searcher.rebuild()
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        drafter.mine()
        mine_seconds = time.perf_counter() - started
        row("corpus", f"{drafter.corpus.count()} documents, {len(built)} passages")

        report = drafter.ingest([held])
        (doc_id,) = report.outcomes[0].added_ids
        update = drafter.update()
        grown = searcher.index()
        added = len(grown) - len(built)
        row(
            f"add one report ({added} passages): index ({update.index})",
            f"{update.index_seconds:.2f} s",
            f"full build {build_seconds:.1f} s → {update.index_seconds / build_seconds:.3f}×",
        )
        row(
            f"add one report: bank counts it ({update.bank})",
            f"{update.bank_seconds:.2f} s",
            f"full mining {mine_seconds:.1f} s → {update.bank_seconds / mine_seconds:.3f}×",
        )
        said = sentences(drafter.document(doc_id).text)
        found = sum(drafter.search(s, 3)[0].doc_id == doc_id for s in said)
        row("its own sentences found first", f"{found} / {len(said)}")

        started = time.perf_counter()
        rebuilt = SearchIndex.build(index_items(drafter.corpus), searcher._tokenizer)
        rebuild_seconds = time.perf_counter() - started
        expander = searcher.expander()
        queries = [j.query for j in load_eval_set()] + said
        same = best = 0
        for query in queries:
            a = [h.passage_id for h in grown.search(query, 5, None, expander)]
            b = [h.passage_id for h in rebuilt.search(query, 5, None, expander)]
            same += a == b
            best += a[:1] == b[:1]
        row(
            "grown vs rebuilt index: identical top 5 / same best hit",
            f"{same} / {len(queries)}  ·  {best} / {len(queries)}",
            f"rebuild {rebuild_seconds:.1f} s",
        )

        drafter.corpus.remove(doc_id)
        removed = drafter.update()
        gone = all(hit.doc_id != doc_id for s in said for hit in drafter.search(s, 10))
        row(
            f"remove it: index ({removed.index}) / bank ({removed.bank})",
            f"{removed.index_seconds:.2f} / {removed.bank_seconds:.2f} s",
            "no hit of it left" if gone else "STILL FOUND",
        )
        drafter.close()

    figures.show("Incremental updates" + (" (quick)" if args.quick else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
