"""Whether a change to the search code keeps every hit: the same passages, in the same order, field for field.

Every query of every evaluation set (``eval_paraphrase.SETS``) is searched under several configurations
(``CONFIGURATIONS``: expansion on and off, k from 3 to 20, filters on part, level, year, kind and unit) on an
``eval_paraphrase --cache`` folder's index and mined terms; each hit is written as one JSON line. ``--save``
writes them (run it on the code before the change), ``--against`` compares the current code's hits with a
saved file: scores and coverage to ``TOLERANCE``, every other field exactly.

    python -m benchmarks.search_same --cache DIR --save FILE
    python -m benchmarks.search_same --cache DIR --against FILE

Exit status 1 when any hit differs (the first differences are printed).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.eval_paraphrase import DATA, SETS, load_set
from drafter.models import SearchFilters
from drafter.search.curated import load_everyday, load_synonyms
from drafter.search.expansion import Expander
from drafter.search.index import SearchIndex
from drafter.search.related import damping_from_json, related_from_json
from drafter.text.tokens import default_tokenizer

TOLERANCE = 1e-6
"""Scores and coverages equal to this (relative or absolute): a sum taken in another order may differ in the
last bits."""
CONFIGURATIONS: tuple[tuple[str, int, SearchFilters], ...] = (
    ("shipped k=10", 10, SearchFilters()),
    ("no expansion k=10", 10, SearchFilters(expand=False)),
    ("plan part k=5", 5, SearchFilters(part="plan")),
    ("county level k=20", 20, SearchFilters(levels=("county",))),
    ("gov reports from 2020 k=3", 3, SearchFilters(kinds=("gov_report",), year_from=2020)),
    ("unit 局 k=10", 10, SearchFilters(unit="局")),
)


def searched(cache: Path) -> Iterator[dict[str, Any]]:
    """Every hit of every query × configuration, as a JSON-ready row (its rank and query included)."""
    tokenizer = default_tokenizer()
    tokenizer.for_many()
    index = SearchIndex.load(cache / "index", tokenizer)
    if index is None:
        raise SystemExit(f"no index in {cache / 'index'}: run eval_paraphrase --cache {cache} first")
    stored = (cache / "related.json").read_text(encoding="utf-8")
    expander = Expander(
        load_synonyms(),
        related_from_json(stored),
        damping=damping_from_json(stored),
        everyday=load_everyday(),
    )
    for name in SETS:
        for judged in load_set(DATA / name):
            for configuration, k, filters in CONFIGURATIONS:
                hits = index.search(judged.query, k, filters, expander)
                for rank, hit in enumerate(hits, 1):
                    yield {"query": judged.query, "configuration": configuration, "rank": rank} | (
                        dataclasses.asdict(hit)
                    )
                if not hits:
                    yield {"query": judged.query, "configuration": configuration, "rank": 0}


def differences(saved: list[dict[str, Any]], now: list[dict[str, Any]]) -> Iterator[str]:
    """What differs between two runs' rows (rows are compared in order: the same queries, the same ranks)."""
    if len(saved) != len(now):
        yield f"{len(saved)} rows saved, {len(now)} now"
    for a, b in zip(saved, now, strict=False):
        for key in sorted(set(a) | set(b)):
            x, y = a.get(key), b.get(key)
            if isinstance(x, float) and isinstance(y, float):
                if not math.isclose(x, y, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
                    yield f"{a['query']!r} {a['configuration']} #{a['rank']}: {key} {x} → {y}"
            elif x != y:
                yield f"{a['query']!r} {a['configuration']} #{a['rank']}: {key} {x!r:.80} → {y!r:.80}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.search_same", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--cache", type=Path, required=True, help="an eval_paraphrase --cache folder")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--save", type=Path, help="write the current code's hits to this file")
    what.add_argument("--against", type=Path, help="compare the current code's hits with this saved file")
    args = parser.parse_args(argv)
    # JSON both ways: tuples become lists in both, so a saved row compares with a fresh one.
    rows = [json.loads(json.dumps(row, ensure_ascii=False)) for row in searched(args.cache)]
    queries = len({(r["query"], r["configuration"]) for r in rows})
    if args.save:
        args.save.write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
        )
        print(f"saved {len(rows)} rows ({queries} query × configuration pairs) to {args.save}")
        return 0
    saved = [json.loads(line) for line in args.against.read_text(encoding="utf-8").splitlines() if line]
    found = list(differences(saved, rows))
    for line in found[:20]:
        print(line)
    hits = sum(1 for r in rows if r["rank"])
    print(
        f"{queries} query × configuration pairs ({len(CONFIGURATIONS)} configurations), {hits} hits: "
        + (f"{len(found)} differences" if found else "identical (scores and coverage to 1e-6)")
    )
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
