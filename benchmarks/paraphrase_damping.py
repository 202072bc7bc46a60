"""The query-term damping (``drafter.search.damping``), shipped: Drafter with and without it, on every set.

The miss analysis of issue 12's fourth pass (``eval_paraphrase --analyse`` on paraphrase_unseen.yaml) found the
key unit of many missed plain-word queries to be a colloquial word (觉得, 远离, 别的, 多少, 老板): rare in
reports, so its idf is the query's highest, and it pulls passages that happen to use it. Report terms are far
rarer in everyday Chinese than in the reports (corpus idf ≥ 3 below their idf in jieba's dictionary: 平安,
禁毒, 高新技术企业), everyday words are not. Each query term's idf is capped at its general idf (from
jieba's frequencies) minus ``OFFSET``, set before measuring; words jieba does not know are left as they are.
``drafter mine`` stores the factors beside the related terms; here they are counted from the cached index's
passages the same way (``DampingCounts``), at the offsets given.

    python -m benchmarks.paraphrase_damping --cache DIR [--offset 3 ...]

DIR is an ``eval_paraphrase --cache`` folder (its saved index and mined terms). Prints hit@5 / MRR@10 (and gap
hit@5) of Drafter undamped and damped at each offset, on every set of ``eval_paraphrase.SETS``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.eval_paraphrase import DATA, SETS, load_set
from benchmarks.eval_search import hit_at, mrr_at, normalise
from drafter.search.curated import load_everyday, load_synonyms
from drafter.search.damping import OFFSET, DampingCounts
from drafter.search.expansion import Expander
from drafter.search.index import SearchIndex
from drafter.search.related import related_from_json
from drafter.text.tokens import default_tokenizer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.paraphrase_damping")
    parser.add_argument("--cache", type=Path, required=True, help="an eval_paraphrase --cache folder")
    parser.add_argument("--offset", type=float, action="append", help=f"default {OFFSET} (shipped)")
    args = parser.parse_args(argv)
    tokenizer = default_tokenizer()
    tokenizer.for_many()
    index = SearchIndex.load(args.cache / "index", tokenizer)
    if index is None:
        print(f"{args.cache / 'index'}: no saved index (run eval_paraphrase --cache first)")
        return 2
    passages = index._p
    counts = DampingCounts()
    for text in passages["text"]:
        counts.add(text, tokenizer.words(text))
    related = related_from_json((args.cache / "related.json").read_text(encoding="utf-8"))
    groups, everyday = load_synonyms(), load_everyday()
    expanders = {"not damped": Expander(groups, related, everyday=everyday)}
    for offset in args.offset or [OFFSET]:
        damping = counts.factors(tokenizer.general_idf, offset)
        print(f"offset {offset}: {len(damping)} terms damped")
        expanders[f"damped −{offset:g}"] = Expander(groups, related, damping=damping, everyday=everyday)
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
        for label, expander in expanders.items():
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
