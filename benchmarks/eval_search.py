"""Search quality: hit@5 and MRR@10 of Drafter's TF-IDF and of BM25 (``bm25s``), same passages, same run.

The queries (benchmarks/data/search_eval.yaml) are written the way a bureau writer searches: a topic, a
phrase, or a sentence of their own draft. Each names the passages that answer it by distinctive substrings
(and optionally a substring of the document title), so the judgments survive changes of the cleaner and of
passage ids. The corpus is the seed reports plus ../shared/corpus-external as distractors; BM25 indexes the
same passages (heading + body, as Drafter does) cut into the same jieba words (``tokenizer.words``).

    python -m benchmarks.eval_search [--quick] [--misses]

Exit status 1 when Drafter falls below BM25 on either measure (this set is the regression guard), 2 when
the evaluation set is broken (a judgment that matches no passage).
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "corpus"
EXTERNAL = REPO.parent / "shared" / "corpus-external"
EVAL_SET = Path(__file__).resolve().parent / "data" / "search_eval.yaml"
RE_NOT_WORD = re.compile(r"[\W_]+")
QUICK_EXTERNAL_EVERY = 8


@dataclass(frozen=True)
class Spec:
    """A relevant passage: its heading + text contain every one of ``texts``, its title contains ``title``."""

    texts: tuple[str, ...]
    title: str = ""


@dataclass(frozen=True)
class Judged:
    """One evaluation query with the passages that answer it."""

    query: str
    style: str
    specs: tuple[Spec, ...]


def normalise(text: str) -> str:
    """``text`` without white space and punctuation, lower-cased (judgments ignore both)."""
    return RE_NOT_WORD.sub("", text).lower()


def load_eval_set(path: Path = EVAL_SET) -> list[Judged]:
    """The queries of the evaluation set, in file order."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    judged = []
    for row in data["queries"]:
        specs = []
        for spec in row["relevant"]:
            texts = spec["text"] if isinstance(spec["text"], list) else [spec["text"]]
            specs.append(Spec(tuple(normalise(t) for t in texts), normalise(spec.get("title", ""))))
        judged.append(Judged(row["query"], row["style"], tuple(specs)))
    return judged


def corpus_items(*, quick: bool = False, external: Path = EXTERNAL) -> list[tuple[Any, Any]]:
    """(passage, DocMeta) pairs of the seeds and the external corpus (every 8th external file when quick)."""
    from drafter.ingest.documents import documents_from_file
    from drafter.ingest.read import iter_input_files
    from drafter.search.meta import DocMeta

    files = sorted(iter_input_files([SEEDS]))
    outside = sorted(iter_input_files([external]))
    files += outside[::QUICK_EXTERNAL_EVERY] if quick else outside
    items = []
    for path in files:
        for doc in documents_from_file(path):
            meta = DocMeta(doc.title, doc.source, doc.kind, doc.year, doc.unit, (doc.source,))
            items.extend((passage, meta) for passage in doc.passages)
    return items


def relevant_sets(judged: Sequence[Judged], items: Sequence[tuple[Any, Any]]) -> list[set[int]]:
    """For each query, the indices of the passages that answer it."""
    texts = [normalise(f"{p.heading}{p.text}") for p, _ in items]
    titles = [normalise(m.title) for _, m in items]
    out = []
    for j in judged:
        out.append(
            {
                i
                for i, (text, title) in enumerate(zip(texts, titles, strict=True))
                if any(s.title in title and all(t in text for t in s.texts) for s in j.specs)
            }
        )
    return out


def broken_specs(judged: Sequence[Judged], items: Sequence[tuple[Any, Any]]) -> list[tuple[str, Spec]]:
    """Judgments that match no passage at all (the cleaner changed, or a typo in the set)."""
    single = [Judged(j.query, j.style, (s,)) for j in judged for s in j.specs]
    return [
        (j.query, j.specs[0])
        for j, hits in zip(single, relevant_sets(single, items), strict=True)
        if not hits
    ]


class Bm25:
    """``bm25s.BM25`` over jieba words (``tokenizer.words``), the anchor Drafter must match."""

    def __init__(self, texts: Sequence[str], tokenizer: Any) -> None:
        import bm25s

        self._tokenizer = tokenizer
        self._model = bm25s.BM25()
        self._model.index([tokenizer.words(t) for t in texts], show_progress=False)
        self._size = len(texts)

    def top(self, query: str, k: int) -> list[int]:
        """Indices of the ``k`` best passages for ``query`` (zero-score passages left out)."""
        tokens = self._tokenizer.words(query)
        if not tokens:
            return []
        docs, scores = self._model.retrieve([tokens], k=min(k, self._size), show_progress=False)
        return [int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


def ranks(runs: Iterable[list[int]], relevant: Sequence[set[int]]) -> list[int | None]:
    """For each query the 1-based rank of the first relevant passage, ``None`` when none was returned."""
    out: list[int | None] = []
    for ranking, good in zip(runs, relevant, strict=True):
        out.append(next((r for r, i in enumerate(ranking, 1) if i in good), None))
    return out


def hit_at(found: Sequence[int | None], k: int) -> float:
    """Share of queries with a relevant passage in the first ``k``."""
    return sum(1 for r in found if r is not None and r <= k) / len(found)


def mrr_at(found: Sequence[int | None], k: int) -> float:
    """Mean reciprocal rank of the first relevant passage, counting only the first ``k``."""
    return sum(1 / r for r in found if r is not None and r <= k) / len(found)


def main(argv: list[str] | None = None) -> int:
    """Evaluate both engines and print the table; 1 when Drafter is below BM25, 2 when the set is broken."""
    from rich.console import Console
    from rich.table import Table

    from drafter.search.index import SearchIndex, indexed_text
    from drafter.text.tokens import default_tokenizer

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.eval_search", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="seeds + every 8th external file")
    parser.add_argument("--misses", action="store_true", help="list the queries either engine misses")
    args = parser.parse_args(argv)
    console = Console()

    judged = load_eval_set()
    items = corpus_items(quick=args.quick)
    broken = broken_specs(judged, items) if not args.quick else []
    for query, spec in broken:
        console.print(f"[red]judgment matches no passage[/red]: {query!r} → {spec}")
    relevant = relevant_sets(judged, items)
    tokenizer = default_tokenizer()
    tokenizer.words("科技")

    start = time.perf_counter()
    index = SearchIndex.build(items, tokenizer)
    drafter_build = time.perf_counter() - start
    position = {p.id: i for i, (p, _) in enumerate(items)}
    drafter_runs = [[position[h.passage_id] for h in index.search(j.query, 10)] for j in judged]

    start = time.perf_counter()
    bm25 = Bm25([indexed_text(p) for p, _ in items], tokenizer)
    bm25_build = time.perf_counter() - start
    bm25_runs = [bm25.top(j.query, 10) for j in judged]

    found = {"Drafter TF-IDF": ranks(drafter_runs, relevant), "BM25 (bm25s)": ranks(bm25_runs, relevant)}
    table = Table(title=f"Search quality: {len(judged)} queries, {len(items)} passages")
    for column in ("engine", "hit@5", "MRR@10", "hit@1", "build s"):
        table.add_column(column, justify="right" if column != "engine" else "left")
    for (name, r), build in zip(found.items(), (drafter_build, bm25_build), strict=True):
        table.add_row(
            name, f"{hit_at(r, 5):.3f}", f"{mrr_at(r, 10):.3f}", f"{hit_at(r, 1):.3f}", f"{build:.1f}"
        )
    console.print(table)

    styles = sorted({j.style for j in judged})
    by_style = Table(title="hit@5 / MRR@10 by query style")
    by_style.add_column("style")
    by_style.add_column("queries", justify="right")
    for name in found:
        by_style.add_column(name, justify="right")
    for style in styles:
        picked = [i for i, j in enumerate(judged) if j.style == style]
        cells = [
            f"{hit_at([r[i] for i in picked], 5):.3f} / {mrr_at([r[i] for i in picked], 10):.3f}"
            for r in found.values()
        ]
        by_style.add_row(style, str(len(picked)), *cells)
    console.print(by_style)

    if args.misses:
        drafter_ranks, bm25_ranks = found.values()
        for j, a, b in zip(judged, drafter_ranks, bm25_ranks, strict=True):
            if a is None or a > 5 or b is None or b > 5:
                console.print(f"  Drafter {a!s:>4}  BM25 {b!s:>4}  {j.query}")

    if broken:
        return 2
    drafter_ranks, bm25_ranks = found.values()
    behind = hit_at(drafter_ranks, 5) < hit_at(bm25_ranks, 5) or mrr_at(drafter_ranks, 10) < mrr_at(
        bm25_ranks, 10
    )
    if behind:
        console.print("[red]Drafter is below BM25 on this set.[/red]")
    return 1 if behind else 0


if __name__ == "__main__":
    raise SystemExit(main())
