"""Paraphrase search quality: Drafter's variants against bm25s on the same passages, every set in one run.

The sets (default: the outsider set paraphrase_eval.yaml, the held-out set paraphrase_holdout.yaml and the
bureau set paraphrase_bureaus.yaml and the unseen set paraphrase_unseen.yaml — each written before the tuning that followed it and never tuned on —,
the team's paraphrase_dev.yaml and search_eval.yaml; same judgment
format, plus ``gap: true`` on queries phrased with words that do not occur in their answer) are read, the
corpus is the seed reports plus ../shared/corpus-external, and every engine searches the same passages:

- Drafter as shipped: the curated 口径 table in the query, the related terms mined from this corpus (PPMI +
  SVD, what ``drafter mine`` stores) shown only;
- Drafter without expansion; with the mined terms bridging to the 口径 table (a query word's mined neighbour
  that is a wording of a group brings the group's 口径 term in at 0.3 × similarity; ``--core`` keeps it); with
  the 口径 table as it was before it was widened (the held-out set is clean for that one); with the mined terms
  in the query too (0.5 × similarity); with the mined terms alone;
- a dense hybrid: lexical + λ · cosine of tf-idf-weighted word vectors (``benchmarks/paraphrase_dense.py``),
  with its lexical baseline on the same path (ranking only: no copy folding, no frames, no confidence);
- Drafter with related terms from gensim word2vec (when gensim is importable), in the query and as the bridge;
- Drafter with pseudo-relevance feedback (top 3 passages' strongest terms, weight 0.3);
- bm25s over the same jieba words.

It prints hit@5 and MRR@10 overall and on the gap queries, p50 query latency (over the first set, the median of
``LATENCY_ROUNDS`` passes with the engines interleaved) against bm25s, and the build time of the related terms and word vectors.

    python -m benchmarks.eval_paraphrase [--set PATH ...] [--cache DIR] [--quick] [--core] [--misses]
                                         [--analyse] [--calibrate] [--table PATH ...]

``--core`` keeps Drafter shipped, without expansion, with the mined bridge, and bm25s; ``--table PATH`` adds
Drafter with another 口径 table (the shipped one before an edit: before and after in one run). Every engine's p50
times queries the index has not cut before. ``--analyse`` puts each miss of the
shipped engine in a category (``benchmarks/paraphrase_misses.py``: vocabulary, segmentation, ranking) with its
top five, to read for judgments too narrow. ``--calibrate`` prints, per set and label, the share of first hits
that answer (``benchmarks/paraphrase_calibration.py``; the 强/中/弱 thresholds of ``drafter.search.expansion``
are chosen on the outsider, dev and search sets, never on the held-out or bureau set).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.eval_search import (
    Bm25,
    Judged,
    Spec,
    corpus_items,
    hit_at,
    mrr_at,
    normalise,
    ranks,
    relevant_sets,
)

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_SET = DATA / "paraphrase_eval.yaml"
BASELINE = DATA / "paraphrase_synonyms_baseline.yaml"
"""The 口径 table as it was before it was widened (64 groups): the held-out set is clean for it."""
PRF_DOCS = 3
PRF_TERMS = 8
PRF_WEIGHT = 0.3
LATENCY_ROUNDS = 5
"""Passes over the first set per engine, interleaved; an engine's p50 is the median of its passes' p50s."""


@dataclass(frozen=True)
class GapJudged(Judged):
    """A judged query that may be a word-gap query (its answer shares none of its words)."""

    gap: bool = False


def shipped_expander(cache: Path) -> Any:
    """The shipped ``Expander`` (口径 table, everyday words, damping) over the terms mined into an ``--cache``
    folder's ``related.json``."""
    from drafter.search.curated import load_everyday, load_synonyms
    from drafter.search.expansion import Expander
    from drafter.search.related import damping_from_json, related_from_json

    stored = (cache / "related.json").read_text(encoding="utf-8")
    return Expander(
        load_synonyms(),
        related_from_json(stored),
        damping=damping_from_json(stored),
        everyday=load_everyday(),
    )


def load_set(path: Path) -> list[GapJudged]:
    """The queries of ``path`` with their judgments and gap flags."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for row in data["queries"]:
        specs = []
        for spec in row["relevant"]:
            texts = spec["text"] if isinstance(spec["text"], list) else [spec["text"]]
            specs.append(Spec(tuple(normalise(t) for t in texts), normalise(spec.get("title", ""))))
        out.append(GapJudged(row["query"], row.get("style", ""), tuple(specs), bool(row.get("gap", False))))
    return out


class _Fixed:
    """An expander that always answers the same expansions (pseudo-relevance feedback per query)."""

    def __init__(self, expansions: list[Any], damping: Any = None) -> None:
        self._expansions = expansions
        self.damping = damping or {}

    def __bool__(self) -> bool:
        return True

    def expand(self, query: str, words: Sequence[str]) -> list[Any]:
        return self._expansions

    def expansions(self, query: str, words: tuple[str, ...]) -> tuple[Any, ...]:
        return tuple(self._expansions)


def prf_search(index: Any, expander: Any, query: str, k: int) -> list[Any]:
    """Search, then search again with the strongest terms of the first ``PRF_DOCS`` hits added."""
    from collections import Counter

    from drafter.search.expansion import Expansion
    from drafter.search.related import content_words
    from drafter.text.tokens import default_tokenizer

    first = index.search(query, k, None, expander)
    expansions = list(expander.expand(query, default_tokenizer().words(query)))
    counts: Counter[str] = Counter()
    for hit in first[:PRF_DOCS]:
        counts.update(set(content_words(default_tokenizer(), hit.text)))
    scored = sorted(counts, key=lambda w: -counts[w] * index.idf(w))
    extra = [w for w in scored if w not in query][:PRF_TERMS]
    expansions += [Expansion(w, PRF_WEIGHT, w, "mined") for w in extra]
    return list(index.search(query, k, None, _Fixed(expansions, expander.damping)))


def word2vec_related(texts: Sequence[str]) -> tuple[dict[str, list[tuple[str, float]]], float] | None:
    """Related terms from gensim word2vec on the same content words (None when gensim is missing)."""
    try:
        from gensim.models import Word2Vec
    except ImportError:
        return None
    from drafter.search import related as rel
    from drafter.text.tokens import default_tokenizer

    start = time.perf_counter()
    sentences = [rel.content_words(default_tokenizer(), t) for t in texts]
    model = Word2Vec(
        sentences,
        vector_size=rel.DIMENSIONS,
        window=rel.WINDOW,
        min_count=rel.MIN_DOCS,
        workers=2,
        epochs=5,
        seed=0,
    )
    out: dict[str, list[tuple[str, float]]] = {}
    for word in model.wv.index_to_key:
        near = [
            (w, round(float(s), 3))
            for w, s in model.wv.most_similar(word, topn=rel.NEIGHBOURS)
            if s >= rel.MIN_SIMILARITY
        ]
        if near:
            out[word] = near
    return out, time.perf_counter() - start


def _engine(index: Any, expander: Any, position: dict[str, int]) -> Callable[[str], list[int]]:
    return lambda q: [position[h.passage_id] for h in index.search(q, 10, None, expander)]


def latency(run: Callable[[str], object], queries: Sequence[str]) -> float:
    """Median seconds per query of ``run`` (each query once, after one warm-up)."""
    run(queries[0])
    times = []
    for q in queries:
        start = time.perf_counter()
        run(q)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


SETS = (
    "paraphrase_eval.yaml",
    "paraphrase_holdout.yaml",
    "paraphrase_bureaus.yaml",
    "paraphrase_unseen.yaml",
    "paraphrase_fresh.yaml",
    "paraphrase_plain.yaml",
    "paraphrase_writers.yaml",
    "paraphrase_county.yaml",
    "paraphrase_dev.yaml",
    "search_eval.yaml",
)
"""The outsider, held-out, bureau, unseen, fresh, everyday-word (plain), bureau-writer (writers) and county
sets (never tuned on), the team's paraphrases and search set."""


def main(argv: list[str] | None = None) -> int:
    """Evaluate every engine on every set and print the tables."""
    from rich.console import Console

    from benchmarks.paraphrase_calibration import calibrate, calibration_table
    from benchmarks.paraphrase_dense import DenseHybrid, word_vectors
    from benchmarks.paraphrase_misses import analyse
    from drafter.search.curated import load_everyday, load_synonyms
    from drafter.search.damping import mine_damping
    from drafter.search.expansion import Expander
    from drafter.search.index import SearchIndex, indexed_text
    from drafter.search.related import damping_from_json, mine_related, related_from_json, related_to_json
    from drafter.search.scatter import use_kernel
    from drafter.text.tokens import default_tokenizer

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.eval_paraphrase", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--set", type=Path, action="append", help="an evaluation set (YAML); default the four of SETS"
    )
    parser.add_argument("--quick", action="store_true", help="seeds + every 8th external file")
    parser.add_argument("--misses", action="store_true", help="list the queries the shipped engine misses")
    parser.add_argument(
        "--calibrate", action="store_true", help="coverage of answered and unanswered first hits"
    )
    parser.add_argument(
        "--analyse", action="store_true", help="the category of each miss (paraphrase_misses)"
    )
    parser.add_argument(
        "--cache", type=Path, help="folder for the mined terms, word vectors and index (reused when there)"
    )
    parser.add_argument(
        "--core", action="store_true", help="only Drafter shipped, without expansion, and bm25s (fast)"
    )
    parser.add_argument(
        "--table",
        type=Path,
        action="append",
        default=[],
        help="another 口径 table to rank with (e.g. the shipped one before an edit), kept with --core",
    )
    parser.add_argument(
        "--everyday-weights",
        type=lambda v: tuple(float(x) for x in v.split(",")),
        action="append",
        default=[],
        help="also the everyday words at FIRST,OTHER (their report wordings' weights), e.g. 0.5,0.3",
    )
    parser.add_argument("--no-word2vec", action="store_true", help="skip the gensim comparison")
    parser.add_argument("--no-dense", action="store_true", help="skip the dense hybrid variants")
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="also the mined terms at 0.6× and 0.3× their weight (tuning, our sets only)",
    )
    args = parser.parse_args(argv)
    console = Console(width=160)
    sets = args.set or [DATA / name for name in SETS]
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)

    items = corpus_items(quick=args.quick)
    tokenizer = default_tokenizer()
    tokenizer.words("科技")
    texts = [p.text for p, _ in items]

    related_cache = args.cache / "related.json" if args.cache else None
    start = time.perf_counter()
    stored = related_cache.read_text(encoding="utf-8") if related_cache and related_cache.is_file() else None
    related = related_from_json(stored) if stored else mine_related(texts, tokenizer)
    damping = damping_from_json(stored) if stored else {}
    if not damping:  # a cache from before the damping was mined beside the related terms
        damping = mine_damping(texts, tokenizer)
        if related_cache:
            related_cache.write_text(related_to_json(related, damping), encoding="utf-8")
    related_build = time.perf_counter() - start
    index = SearchIndex.load(args.cache / "index", tokenizer) if args.cache else None
    if index is None or len(index) != len(items):
        index = SearchIndex.build(items, tokenizer)
        if args.cache:
            index.save(args.cache / "index")
    bm25 = Bm25([indexed_text(p) for p, _ in items], tokenizer)
    use_kernel()  # scores summed as a server sums them (``Drafter.prepare_for_searches``)
    position = {p.id: i for i, (p, _) in enumerate(items)}
    groups, everyday = load_synonyms(), load_everyday()
    shipped = Expander(groups, related, damping=damping, everyday=everyday)

    def drafter(expander: Any) -> Callable[[str], list[int]]:
        return lambda q: [position[h.passage_id] for h in index.search(q, 10, None, expander)]

    engines: dict[str, Callable[[str], list[int]]] = {
        "Drafter (shipped: 口径表, mined terms shown only)": drafter(shipped),
        "Drafter, no expansion": drafter(Expander(damping=damping)),
        "Drafter, not damped (as before issue 12's sixth pass)": drafter(
            Expander(groups, related, everyday=everyday)
        ),
        "Drafter, 口径表 + mined bridge to it (0.3×sim)": drafter(
            Expander(groups, related, bridge_weight=0.3, damping=damping, everyday=everyday)
        ),
        "Drafter, 口径表 as on main before issue 12's second pass": drafter(
            Expander(load_synonyms(BASELINE))
        ),
        "Drafter, 口径表 + mined in the query (0.5×sim)": drafter(
            Expander(groups, related, 0.5, 0, damping=damping, everyday=everyday)
        ),
        "Drafter, mined only (0.5×sim)": drafter(Expander((), related, 0.5, damping=damping)),
    }
    if args.core:
        engines = dict(list(engines.items())[:4])
    engines["Drafter, 口径表 only (without the everyday words)"] = drafter(
        Expander(groups, related, damping=damping)
    )
    for table in args.table:
        engines[f"Drafter, 口径表 {table.name} ({len(load_synonyms(table))} groups)"] = drafter(
            Expander(load_synonyms(table), related, damping=damping)
        )
    for first, other in args.everyday_weights:
        engines[f"Drafter, everyday words at {first:g} / {other:g}"] = drafter(
            Expander(groups, related, damping=damping, everyday=everyday, everyday_weights=(first, other))
        )
    if args.sweep:
        for factor in (0.3, 0.15):
            engines[f"Drafter, 口径表 + mined ×{factor}"] = drafter(
                Expander(groups, related, factor, damping=damping, everyday=everyday)
            )
    w2v = None if args.no_word2vec or args.core else word2vec_related(texts)
    if w2v is not None:
        engines["Drafter, 口径表 + word2vec in the query (0.5×sim)"] = drafter(
            Expander(groups, w2v[0], 0.5, 0, damping=damping, everyday=everyday)
        )
        engines["Drafter, 口径表 + word2vec bridge to it (0.3×sim)"] = drafter(
            Expander(groups, w2v[0], bridge_weight=0.3, damping=damping, everyday=everyday)
        )
    dense_note = ""
    if not (args.no_dense or args.core):
        vocabulary, vectors, vector_seconds = word_vectors(
            texts, tokenizer, args.cache / "vectors.npz" if args.cache else None
        )
        hybrid = DenseHybrid(index, vocabulary, vectors)
        dense_note = (
            f"dense variant: word vectors learned in {vector_seconds:.1f} s, passages projected in "
            f"{hybrid.build_seconds:.1f} s ({len(items)} × {vectors.shape[1]} float32)"
        )
        engines["Lexical only, no copy folding (dense baseline)"] = lambda q: hybrid.top(q, 10, 0.0)
        for weight in (0.1, 0.2):
            engines[f"Dense hybrid λ={weight}"] = lambda q, w=weight: hybrid.top(q, 10, w)
            engines[f"Dense hybrid λ={weight} + 口径表"] = lambda q, w=weight: hybrid.top(
                q, 10, w, Expander(groups)
            )
    if not args.core:
        engines["Drafter, shipped + PRF"] = lambda q: [
            position[h.passage_id] for h in prf_search(index, shipped, q, 10)
        ]
    engines["BM25 (bm25s)"] = lambda q: bm25.top(q, 10)

    status = 0
    calibration: dict[str, list[Any]] = {}
    first = load_set(sets[0])
    p50: dict[str, float] = {}
    timed = {name: run for name, run in engines.items() if "PRF" not in name}
    rounds: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(LATENCY_ROUNDS):  # engines interleaved: a load that comes and goes weighs on all alike
        for name, run in timed.items():
            index.forget_queries()  # every engine times queries it has not cut yet, as bm25s does
            rounds[name].append(latency(run, [j.query for j in first]) * 1000)
    for name in engines:
        p50[name] = statistics.median(rounds[name]) if name in rounds else float("nan")
    for path in sets:
        judged = load_set(path)
        relevant = relevant_sets(judged, items)
        for j, r in zip(judged, relevant, strict=True):
            if not r:
                console.print(f"[red]no passage answers[/red] {j.query!r}")
                status = 2
        found = {name: ranks([run(j.query) for j in judged], relevant) for name, run in engines.items()}
        console.print(_table(path, judged, len(items), found, p50, sets[0].name))
        if args.misses:
            _misses(console, judged, found)
        if args.analyse:
            analyse(
                console,
                judged,
                relevant,
                next(iter(found.values())),
                index,
                shipped,
                items,
                engines["Drafter, no expansion"],
            )
        if args.calibrate:
            calibration[path.name] = calibrate(console, index, shipped, judged, relevant, position)
    if args.calibrate:
        calibration_table(console, calibration)
        if args.cache:
            (args.cache / "calibration.json").write_text(json.dumps(calibration), encoding="utf-8")
    console.print(
        f"related terms mined (PPMI + SVD) and damping in {related_build:.1f} s: {len(related)} words with "
        f"neighbours, {len(damping)} terms damped"
    )
    console.print(dense_note or "dense variant: not measured (--no-dense)")
    if w2v is not None:
        console.print(f"word2vec (gensim) trained in {w2v[1]:.1f} s: {len(w2v[0])} words with neighbours")
    else:
        console.print("word2vec: not measured (gensim is not a dependency; see docs/internals.md)")
    return status


def _table(
    path: Path,
    judged: Sequence[GapJudged],
    passages: int,
    found: dict[str, list[int | None]],
    p50: dict[str, float],
    latency_set: str,
) -> Any:
    from rich.table import Table

    gap = [i for i, j in enumerate(judged) if j.gap]
    table = Table(
        title=f"{path.name}: {len(judged)} queries ({len(gap)} word-gap), {passages} passages; "
        f"p50 over {latency_set}"
    )
    for column in ("engine", "hit@5", "MRR@10", "gap hit@5", "gap MRR@10", "p50 ms", "p50 / bm25s"):
        table.add_column(column, justify="left" if column == "engine" else "right")
    anchor = p50["BM25 (bm25s)"]
    for name, r in found.items():
        g = [r[i] for i in gap] or [None]
        table.add_row(
            name,
            f"{hit_at(r, 5):.3f}",
            f"{mrr_at(r, 10):.3f}",
            f"{hit_at(g, 5):.3f}" if gap else "–",
            f"{mrr_at(g, 10):.3f}" if gap else "–",
            f"{p50[name]:.2f}",
            f"{p50[name] / anchor:.2f}",
        )
    return table


def _misses(console: Any, judged: Sequence[GapJudged], found: dict[str, list[int | None]]) -> None:
    shipped_ranks = next(iter(found.values()))
    for j, a, b in zip(judged, shipped_ranks, found["BM25 (bm25s)"], strict=True):
        if a is None or a > 5:
            console.print(f"  Drafter {a!s:>4}  BM25 {b!s:>4}  {'gap ' if j.gap else ''}{j.query}")


if __name__ == "__main__":
    raise SystemExit(main())
