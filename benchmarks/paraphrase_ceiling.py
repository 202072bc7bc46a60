"""How far better vocabulary alone could take the paraphrase search: the ranking given each answer's own wording.

Every query of every set is searched three ways, with the shipped expansions (口径 table, everyday words,
damping): as shipped; with the exact wordings of its answers' judgments added as other wordings at the tables'
own weights (the first judgment's at ``EVERYDAY_WEIGHT``, the others' at ``CURATED_WEIGHT``), as a table that
knew the report's term for every query would add them; and with them at weight 1, as if the writer had typed
them. The second is a ceiling for any table or learned expansion that stays below the writer's own words: what
is left missing then is ranking, not vocabulary.

    python -m benchmarks.paraphrase_ceiling --cache DIR

DIR is an ``eval_paraphrase --cache`` folder (its saved index and mined terms).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.eval_paraphrase import DATA, SETS, _Fixed, load_set, shipped_expander
from benchmarks.eval_search import corpus_items, hit_at, mrr_at, ranks, relevant_sets

SHIPPED = "shipped"
AT_TABLE_WEIGHTS = "answers' wordings at the tables' weights"
TYPED = "answers' wordings typed by the writer (weight 1)"


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console
    from rich.table import Table

    from drafter.search.expansion import CURATED_WEIGHT, EVERYDAY_WEIGHT, Expansion
    from drafter.search.index import SearchIndex
    from drafter.search.scatter import use_kernel
    from drafter.text.tokens import default_tokenizer

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.paraphrase_ceiling", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--cache", type=Path, required=True, help="an eval_paraphrase --cache folder")
    args = parser.parse_args(argv)

    tokenizer = default_tokenizer()
    tokenizer.for_many()
    use_kernel()
    items = corpus_items()
    index = SearchIndex.load(args.cache / "index", tokenizer)
    if index is None or len(index) != len(items):
        raise SystemExit(
            f"no index of these {len(items)} passages in {args.cache}: run eval_paraphrase first"
        )
    shipped = shipped_expander(args.cache)
    position = {p.id: i for i, (p, _) in enumerate(items)}

    def found(query: str, expander: Any) -> list[int]:
        return [position[h.passage_id] for h in index.search(query, 10, None, expander)]

    def with_answers(first: float, other: float) -> Callable[[Any], list[int]]:
        def run(judged: Any) -> list[int]:
            own = list(shipped.expansions(judged.query, tuple(tokenizer.words(judged.query))))
            answers = [
                Expansion(text, first if n == 0 else other, judged.query, "curated")
                for n, spec in enumerate(judged.specs)
                for text in spec.texts
            ]
            return found(judged.query, _Fixed(own + answers, shipped.damping))

        return run

    ways: dict[str, Callable[[Any], list[int]]] = {
        SHIPPED: lambda judged: found(judged.query, shipped),
        AT_TABLE_WEIGHTS: with_answers(EVERYDAY_WEIGHT, CURATED_WEIGHT),
        TYPED: with_answers(1.0, 1.0),
    }
    table = Table(title=f"hit@5 / MRR@10 (word-gap hit@5), {len(index)} passages")
    table.add_column("set")
    for way in ways:
        table.add_column(way, justify="right")
    for name in SETS:
        judged = load_set(DATA / name)
        relevant = relevant_sets(judged, items)
        gap = [n for n, j in enumerate(judged) if j.gap]
        cells = []
        for run in ways.values():
            rank = ranks([run(j) for j in judged], relevant)
            cells.append(_cell(rank, [rank[n] for n in gap]))
        table.add_row(f"{name.removesuffix('.yaml')} ({len(judged)})", *cells)
    Console(width=160).print(table)
    return 0


def _cell(rank: Sequence[int | None], gap: Sequence[int | None]) -> str:
    text = f"{hit_at(rank, 5):.3f} / {mrr_at(rank, 10):.3f}"
    return f"{text} ({hit_at(gap, 5):.3f})" if gap else text


if __name__ == "__main__":
    raise SystemExit(main())
