"""A MaxScore cut of the ranking's scoring, measured against reading every posting (what ``rank`` does).

``SearchIndex.rank`` sums, for each query term, the term's whole row of postings (``scatter.term_scores``: the rows
copied end to end, summed per passage by one ``bincount``), then picks the pool of ``2k + 8`` best passages the
near-copy folding walks. A query reads ~28,000 postings on the external corpus (words and character bigrams).

The cut measured here is exact: each term's largest posting weight is known (found once per index), so the terms
with short rows (rare words, read whole) give a floor, the ``pool``-th best partial score; when the bounds of the
long rows (common words and bigrams) add up to less than that floor, only the passages whose partial score plus
those bounds reaches it are looked up in the long rows (binary search), dropping each one that can no longer reach
it; otherwise every posting is read. Its ``pool`` best passages and their scores must equal the full read's (the
scores to 1e-9: the sums are taken in another order); the run stops on the first that does not.

    python -m benchmarks.paraphrase_maxscore --cache DIR [--rounds 3] [--long 1000 3000 6000]

DIR is an ``eval_paraphrase --cache`` folder. Printed per variant: p50 and mean milliseconds per query (the
scoring and the pool's selection only, not the query's cut or expansion), the queries cut and the postings
read. Measured and not shipped: see ``docs/internals.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.eval_paraphrase import DATA, SETS, load_set, shipped_expander
from drafter.search.index import SearchIndex
from drafter.search.scatter import term_scores
from drafter.text.tokens import default_tokenizer

POOL = 28
"""The pool ``rank`` picks for k = 10 (``2k + 8``)."""
MARGIN = 1e-9
"""Relative slack on the bounds: a passage this close to the floor is kept and looked up."""

Scorer = Callable[[Any, Any], tuple[Any, Any, int]]


def full_read(matrix: tuple[Any, Any, Any, int]) -> Scorer:
    """What ``rank`` does: every posting read, then the passages above a fifth of the best (the pool's source;
    every positive one when fewer)."""
    indptr, indices, data, columns = matrix

    def score(ids: Any, weights: Any) -> tuple[Any, Any, int]:
        scores = term_scores(indptr, indices, data, columns, ids, weights)
        wide = np.flatnonzero(scores > 0.2 * scores.max())
        if len(wide) < POOL:
            wide = np.flatnonzero(scores > 0)
        return wide, scores[wide], int((indptr[ids + 1] - indptr[ids]).sum())

    return score


def maxscore(matrix: tuple[Any, Any, Any, int], maxima: Any, long: int) -> Scorer:
    """The cut: rows longer than ``long`` postings are looked up only for the passages that can still make the
    pool; the full read when they cannot be skipped."""
    indptr, indices, data, columns = matrix
    whole = full_read(matrix)

    def score(ids: Any, weights: Any) -> tuple[Any, Any, int]:
        starts, ends = indptr[ids], indptr[ids + 1]
        lengths = ends - starts
        short = lengths <= long
        if short.all() or not short.any():
            return whole(ids, weights)
        bounds = maxima[ids] * weights
        rest = float(bounds[~short].sum())
        first = np.flatnonzero(short).tolist()
        lo_of, hi_of = starts.tolist(), ends.tolist()
        columns_of = np.concatenate([indices[lo_of[t] : hi_of[t]] for t in first])
        parts = np.concatenate([data[lo_of[t] : hi_of[t]] for t in first]) * np.repeat(
            weights[first], lengths[first]
        )
        sums = np.bincount(columns_of, weights=parts, minlength=columns)
        above = np.flatnonzero(sums > rest * (1 + MARGIN))
        if len(above) < POOL:
            return whole(ids, weights)
        floor = float(np.partition(sums[above], len(above) - POOL)[len(above) - POOL])
        passages = np.flatnonzero(sums >= (floor - rest) * (1 - MARGIN)).astype(indices.dtype)
        partial = sums[passages]
        read = len(columns_of)
        for t in np.flatnonzero(~short)[np.argsort(-bounds[~short])].tolist():
            rest -= float(bounds[t])
            row = indices[lo_of[t] : hi_of[t]]
            at = np.searchsorted(row, passages)
            at[at == len(row)] = 0
            found = row[at] == passages
            partial[found] += data[lo_of[t] : hi_of[t]][at[found]] * weights[t]
            read += len(passages)
            keep = partial + max(rest, 0.0) * (1 + MARGIN) >= floor * (1 - MARGIN)
            passages, partial = passages[keep], partial[keep]
        return passages, partial, read

    return score


def best(passages: Any, scores: Any) -> tuple[list[int], Any]:
    """The ``POOL`` best passages (by score, then position) and their scores."""
    order = np.lexsort((passages, -scores))[:POOL]
    return passages[order].tolist(), scores[order]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.paraphrase_maxscore", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--cache", type=Path, required=True, help="an eval_paraphrase --cache folder")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved passes (default 3)")
    parser.add_argument("--long", type=int, nargs="+", default=[1000, 3000, 6000], help="long-row lengths")
    args = parser.parse_args(argv)
    tokenizer = default_tokenizer()
    index = SearchIndex.load(args.cache / "index", tokenizer)
    if index is None:
        raise SystemExit(
            f"no index in {args.cache / 'index'}: run eval_paraphrase --cache {args.cache} first"
        )
    expander = shipped_expander(args.cache)
    queries = [j.query for name in SETS for j in load_set(DATA / name)]
    vectors = []
    for (
        query
    ) in queries:  # the query vectors ``rank`` scores (its private steps: this measures only the scoring)
        terms, words = index._terms(query)
        expansions = [e for e in expander.expansions(query, words) if e.weight > 0]
        ids, weights = index._query_vector(terms, expansions, expander.damping)
        if len(ids):
            vectors.append((ids, weights))
    indptr, data = index._indptr, index._data
    matrix = (indptr, index._indices, data, index._shape[1])
    maxima = np.zeros(len(indptr) - 1)
    filled = np.flatnonzero(np.diff(indptr) > 0)
    maxima[filled] = np.maximum.reduceat(data, indptr[:-1][filled])
    scorers = {"every posting (rank)": full_read(matrix)}
    scorers.update({f"MaxScore, rows > {n} looked up": maxscore(matrix, maxima, n) for n in args.long})

    reference = []
    for ids, weights in vectors:
        scores = term_scores(*matrix, ids, weights)
        positive = np.flatnonzero(scores > 0)
        reference.append(best(positive, scores[positive]))
    read: dict[str, list[int]] = {}
    for name, score in scorers.items():
        counts = []
        for (ids, weights), (rows, scores) in zip(vectors, reference, strict=True):
            passages, values, postings = score(ids, weights)
            got_rows, got_scores = best(passages, values)
            if got_rows != rows or not np.allclose(got_scores, scores, rtol=MARGIN, atol=0):
                raise SystemExit(f"{name}: another pool than the full read's")
            counts.append(postings)
        read[name] = counts
    times: dict[str, list[float]] = {name: [] for name in scorers}
    load = os.getloadavg()
    for _ in range(args.rounds):
        for name, score in scorers.items():
            for ids, weights in vectors:
                start = time.perf_counter()
                score(ids, weights)
                times[name].append((time.perf_counter() - start) * 1000)
    print(f"{len(vectors)} queries, pool {POOL}, {args.rounds} interleaved passes, load {load[0]:.1f}")
    print(f"{'scoring':34} {'p50 ms':>8} {'mean ms':>8} {'postings read p50':>18}")
    for name in scorers:
        print(
            f"{name:34} {statistics.median(times[name]):8.3f} {statistics.mean(times[name]):8.3f} "
            f"{statistics.median(read[name]):18.0f}"
        )
    print("every pool equal to the full read's (passages, order, scores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
