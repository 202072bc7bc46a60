"""Why Drafter misses a paraphrase query: the category of each query whose first answer is not in the top 5.

For each miss (no answering passage in the first five hits of the engine given), the answering passages are
read against the query and its expansions, and the miss is put in the first category that fits:

- **ranking**: the query's key unit (its rarest word, ``query_units`` of ``drafter.search.expansion``), or a
  ranked expansion (weight > 0) of it, occurs in an answering passage, yet other passages rank above it;
- **segmentation**: neither does, but a character bigram of the key unit does (jieba cut the query and the
  passage differently, or the shared part is a piece of a word: 打零工 ~ 零工市场);
- **vocabulary**: nothing of the key unit reaches an answering passage: only a synonym or a model of meaning
  can bridge it (other, commoner query words may still be shared: they are listed);
- the top five are printed with each miss, to judge by reading whether the gold is too narrow
  (another passage answers the query as well).

    python -m benchmarks.eval_paraphrase --analyse  (prints this for every set, after its table)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from benchmarks.eval_search import normalise

CATEGORIES = ("vocabulary", "segmentation", "ranking")


def classify(
    query: str,
    index: Any,
    expander: Any,
    gold: Sequence[int],
    items: Sequence[tuple[Any, Any]],
) -> tuple[str, str]:
    """The category of a miss of ``query`` whose answering passages are ``gold`` (indices into ``items``).

    The query's key unit is its rarest (highest idf; a word the corpus never uses is rarest of all).
    """
    from drafter.search.expansion import query_units
    from drafter.text.tokens import default_tokenizer

    words = default_tokenizer().words(query)
    units = query_units(words)
    expansions = [e for e in expander.expand(query, words) if e.weight > 0] if expander else []
    texts = [normalise(f"{items[i][0].heading}{items[i][0].text}") for i in gold]
    shared = sorted({u for u in units for t in texts if normalise(u) in t})
    bridges = sorted({e.text for e in expansions for t in texts if normalise(e.text) in t})
    if not units:
        return "vocabulary", "no unit"
    key = max(units, key=index.idf)
    keyed = sorted({e.text for e in expansions if key in e.of and e.text in bridges})
    note = f"key {key}; shared {shared}; expansions in gold {bridges}"
    if key in shared or keyed:
        return "ranking", note
    grams = [key[i : i + 2] for i in range(len(key) - 1)]
    if any(g in t for g in grams for t in texts):
        return "segmentation", note
    return "vocabulary", note


def analyse(
    console: Any,
    judged: Sequence[Any],
    relevant: Sequence[set[int]],
    found: Sequence[int | None],
    index: Any,
    expander: Any,
    items: Sequence[tuple[Any, Any]],
    top: Any,
) -> Counter[str]:
    """Print each miss of ``found`` (ranks) with its category; ``top(query)`` gives the top passage indices."""
    counts: Counter[str] = Counter()
    for j, good, rank in zip(judged, relevant, found, strict=True):
        if rank is not None and rank <= 5:
            continue
        category, note = classify(j.query, index, expander, sorted(good), items)
        counts[category] += 1
        console.print(f"  [{category}] rank {rank} {'gap ' if j.gap else ''}{j.query}: {note}", markup=False)
        for i in top(j.query)[:5]:
            passage = items[i][0]
            console.print(
                f"      {passage.heading[:16]} | {passage.text[:70].strip().replace(chr(10), ' ')}",
                markup=False,
            )
    console.print(f"  miss categories: {dict(counts)}")
    return counts
