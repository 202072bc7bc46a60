"""Measured, not shipped: damping the query words everyday Chinese uses as much as the reports do.

The miss analysis of issue 12's fourth pass (``eval_paraphrase --analyse`` on paraphrase_unseen.yaml) found the
key unit of many missed plain-word queries to be a colloquial word (觉得, 远离, 别的, 多少, 老板): rare in
reports, so its idf is the query's highest, and it pulls passages that happen to use it. Report terms are far
rarer in everyday Chinese than in the reports (corpus idf ≥ 3 below their idf in jieba's dictionary: 平安,
禁毒, 高新技术企业), everyday words are not. Here a query term's idf is capped at its general idf (from
jieba's frequencies) minus ``OFFSET``, set before measuring; words jieba does not know are left as they are.

    python -m benchmarks.paraphrase_damping --cache DIR [--offset 3]

DIR is an ``eval_paraphrase --cache`` folder (its saved index and mined terms). Prints hit@5 / MRR@10 (and gap
hit@5) of Drafter as shipped, and damped, on every set of ``eval_paraphrase.SETS``.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.eval_paraphrase import DATA, SETS, load_set
from benchmarks.eval_search import hit_at, mrr_at, normalise
from drafter.search.expansion import Expander, Expansion, load_synonyms
from drafter.search.index import SearchIndex
from drafter.search.related import related_from_json
from drafter.text.tokens import default_tokenizer

OFFSET = 3.0


class DampedIndex(SearchIndex):
    """The shipped index with each query term's weight scaled by ``factors`` (set after loading)."""

    factors: Any = None

    def _query_vector(self, terms: Sequence[str], expansions: Sequence[Expansion] = ()) -> Any:
        ids, weights = super()._query_vector(terms, expansions)
        if not len(ids) or self.factors is None:
            return ids, weights
        weights = weights * self.factors[ids]
        norm = float(np.sqrt(np.dot(weights, weights)))
        return ids, (weights / norm if norm else weights)


def factors(index: SearchIndex, vocabulary: Sequence[str], jieba: Any, offset: float) -> Any:
    """Per term: min(idf, general idf − ``offset``) / idf; 1 for a term jieba does not know."""
    out = np.ones(len(vocabulary))
    for i, term in enumerate(vocabulary):
        frequency = jieba.FREQ.get(term.lstrip("#")) or 0
        if frequency > 0:
            idf = index.idf(term)
            cap = math.log(jieba.total / (frequency + 1)) - offset
            if cap < idf:
                out[i] = max(cap, 0.0) / idf
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.paraphrase_damping")
    parser.add_argument("--cache", type=Path, required=True, help="an eval_paraphrase --cache folder")
    parser.add_argument("--offset", type=float, default=OFFSET)
    args = parser.parse_args(argv)
    tokenizer = default_tokenizer()
    tokenizer.for_many()
    index = DampedIndex.load(args.cache / "index", tokenizer)
    if index is None:
        print(f"{args.cache / 'index'}: no saved index (run eval_paraphrase --cache first)")
        return 2
    assert isinstance(index, DampedIndex)
    vocabulary = [t for t, _ in sorted(index._term_ids.items(), key=lambda kv: kv[1])]
    damping = factors(index, vocabulary, tokenizer._tokenizer(), args.offset)
    print(f"terms damped: {int((damping < 1).sum())} of {len(vocabulary)} (offset {args.offset})")
    related = related_from_json((args.cache / "related.json").read_text(encoding="utf-8"))
    expander = Expander(load_synonyms(), related)
    passages = index._p
    texts = [normalise(f"{h}{t}") for h, t in zip(passages["heading"], passages["text"], strict=True)]
    titles = [normalise(index._docs[d][1].title) for d in passages["doc"].tolist()]
    position = {pid: i for i, pid in enumerate(passages["id"])}
    for name in SETS:
        judged = load_set(DATA / name)
        relevant = [
            {
                i
                for i, (text, title) in enumerate(zip(texts, titles, strict=True))
                if any(s.title in title and all(t in text for t in s.texts) for s in j.specs)
            }
            for j in judged
        ]
        row = [f"{name:26s}"]
        for label, scale in (("shipped", None), ("damped", damping)):
            index.factors = scale
            ranks: list[int | None] = []
            for j, good in zip(judged, relevant, strict=True):
                found = [position[h.passage_id] for h in index.search(j.query, 10, None, expander)]
                ranks.append(next((r for r, i in enumerate(found, 1) if i in good), None))
            gap = [r for r, j in zip(ranks, judged, strict=True) if j.gap] or [None]
            row.append(f"{label} {hit_at(ranks, 5):.3f} / {mrr_at(ranks, 10):.3f} (gap {hit_at(gap, 5):.3f})")
        print("  ".join(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
