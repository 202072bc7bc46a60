"""A city's corpus at ``copies``× the external corpus, for bench_postgres, indexed without cutting it again.

Copy 0 is the corpus as ingested; copy c ≥ 1 is the same reports as another district of a city writes them:
its own document ids and sources, the district's name before the unit and the title, the year ``c mod 3``
earlier, and in every passage of more than one sentence each sentence (ending with 。；！？) left out with
probability ``DROP`` and the rest in another order. A passage left whole and alike is the same paragraph in
several districts' reports: one dedup group, as ingest would make it.

Every sentence ends where jieba's runs and the character bigrams break anyway, so a passage's terms are the
sum of its heading's and its sentences' terms. The original corpus is cut once, sentence by sentence
(``count_terms``, the embedded index's own counting over ``search_terms``, in parallel), and every passage
of any size gets its counts as the sum of its pieces' (``check_terms`` cuts a sample of copies to show they
are exact); each size's index is then weighed from those counts (``SearchIndex.weighed``: idf and norms of
the whole size, as a build over it gives).
"""

from __future__ import annotations

import dataclasses
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np

DISTRICTS = ("", "青溪区", "临江区", "东湖区", "西山区", "南城区", "北岭区", "河口区", "新港区", "高新区")
DROP = 0.15
"""The chance a copy leaves a sentence of a passage out (a passage keeps at least one)."""
RE_SENTENCE_END = re.compile(r"[^。；！？]*[。；！？]+|[^。；！？]+$")
COPY_MARK = "-d"
"""Copy ids: ``<doc id>-d<c>`` (not a hex digit: never a real id's prefix)."""


def sentences(text: str) -> list[str]:
    """``text`` as its sentences (each ending with 。；！？ but an unterminated tail); ``[text]`` when it
    does not split cleanly."""
    pieces = RE_SENTENCE_END.findall(text)
    return pieces if pieces and "".join(pieces) == text else [text]


def rewritten(text: str, rng: random.Random) -> str:
    """``text`` as a district's copy: sentences left out (``DROP``) and the rest shuffled (a tail without its
    end mark stays last)."""
    pieces = sentences(text)
    if len(pieces) == 1:
        return text
    tail = [pieces.pop()] if pieces[-1][-1] not in "。；！？" else []
    kept = [s for s in pieces if rng.random() >= DROP] or [rng.choice(pieces)]
    rng.shuffle(kept)
    return "".join(kept + tail)


def city_copies(docs: Sequence[Any], copies: int, seed: int) -> list[Any]:
    """``docs`` and ``copies - 1`` district copies of each (see the module docstring)."""
    rng = random.Random(seed)
    out = list(docs)
    for c in range(1, copies):
        district = DISTRICTS[c % len(DISTRICTS)] or f"第{c}区"
        for doc in docs:
            doc_id = f"{doc.id}{COPY_MARK}{c}"
            passages = tuple(
                dataclasses.replace(
                    p, id=f"{doc_id}-{p.position:04d}", doc_id=doc_id, text=rewritten(p.text, rng)
                )
                for p in doc.passages
            )
            out.append(
                dataclasses.replace(
                    doc,
                    id=doc_id,
                    title=f"{district}{doc.title}",
                    source=f"{district}/{doc.source}",
                    unit=f"{district}{doc.unit or ''}",
                    year=doc.year - c % 3 if doc.year else doc.year,
                    passages=passages,
                )
            )
    return out


def original_id(passage_id: str) -> str:
    """The id of the passage a copy's passage was made from (itself for copy 0)."""
    doc_id, _, position = passage_id.rpartition("-")
    return f"{doc_id.split(COPY_MARK)[0]}-{position}"


@dataclasses.dataclass
class Counted:
    """The original corpus cut once: the vocabulary, the counts of its pieces (headings and sentences),
    and for each original passage its heading's piece and its sentences' pieces by text."""

    vocabulary: list[str]
    pieces: Any
    heading: dict[str, int | None]
    sentence: dict[str, dict[str, list[int]]]
    seconds: float

    @classmethod
    def of(cls, items: Sequence[tuple[Any, Any]], tokenizer: Any) -> Counted:
        """Count the terms of ``items`` (the original corpus) piece by piece."""
        from drafter.search.counts import count_terms
        from drafter.search.index import search_terms

        started = time.perf_counter()
        texts: list[str] = []
        heading: dict[str, int | None] = {}
        sentence: dict[str, dict[str, list[int]]] = {}
        for passage, _ in items:
            heading[passage.id] = None
            if passage.heading:
                heading[passage.id] = len(texts)
                texts.append(passage.heading)
            own: dict[str, list[int]] = sentence.setdefault(passage.id, {})
            for text in sentences(passage.text):
                own.setdefault(text, []).append(len(texts))
                texts.append(text)
        tokenizer.for_many()
        vocabulary, counts = count_terms(texts, partial(search_terms, tokenizer))
        return cls(vocabulary, counts.tocsr(), heading, sentence, time.perf_counter() - started)

    def counts(self, items: Sequence[tuple[Any, Any]]) -> Any:
        """The passages × terms counts of ``items`` (originals or copies): the sums of their pieces'."""
        import scipy.sparse as sp

        rows: list[int] = []
        columns: list[int] = []
        for i, (passage, _) in enumerate(items):
            origin = original_id(passage.id)
            pieces = [] if self.heading[origin] is None else [self.heading[origin]]
            taken: Counter[str] = Counter()
            for text in sentences(passage.text):
                pieces.append(self.sentence[origin][text][taken[text]])
                taken[text] += 1
            rows.extend([i] * len(pieces))
            columns.extend(pieces)
        choose = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)), shape=(len(items), self.pieces.shape[0])
        )
        return (choose @ self.pieces).tocsr()

    def index(self, items: Sequence[tuple[Any, Any]], tokenizer: Any) -> tuple[Any, Any]:
        """The embedded index over ``items`` (any size) weighed from their counts, and the counts."""
        from drafter.search.index import SearchIndex, passage_columns

        docs: list[Any] = []
        passages, _ = passage_columns(items, docs, {}, {})
        counts = self.counts(items)
        return SearchIndex.weighed(passages, docs, self.vocabulary, counts, tokenizer), counts

    def check_terms(self, items: Sequence[tuple[Any, Any]], tokenizer: Any, sample: int, seed: int) -> int:
        """Cut ``sample`` passages of ``items`` (copies when there are) and compare their terms with the
        counts summed from pieces; the number that differ (0: the counts are exact)."""
        from drafter.search.index import indexed_text, search_terms

        rng = random.Random(seed)
        pool = [item for item in items if COPY_MARK in item[0].doc_id] or list(items)
        chosen = rng.sample(pool, min(sample, len(pool)))
        counts = self.counts(chosen)
        differ = 0
        for i, (passage, _) in enumerate(chosen):
            lo, hi = counts.indptr[i], counts.indptr[i + 1]
            expected = {
                self.vocabulary[j]: int(n)
                for j, n in zip(counts.indices[lo:hi], counts.data[lo:hi], strict=True)
            }
            differ += Counter(search_terms(tokenizer, indexed_text(passage))) != Counter(expected)
        return differ


def words(vocabulary: Sequence[str], counts: Any) -> list[list[str]]:
    """Each passage's jieba words from its counts row (lower-cased, grouped: bm25s counts them, order does
    not matter)."""
    is_word = np.array([not t.startswith("#") for t in vocabulary])
    out = []
    for i in range(counts.shape[0]):
        lo, hi = counts.indptr[i], counts.indptr[i + 1]
        row = [
            (j, int(n)) for j, n in zip(counts.indices[lo:hi], counts.data[lo:hi], strict=True) if is_word[j]
        ]
        out.append([vocabulary[j] for j, n in row for _ in range(n)])
    return out


class WordsBm25:
    """``bm25s.BM25`` over given word lists; queries cut into lower-cased jieba words (as the lists are)."""

    def __init__(self, words: Sequence[list[str]], tokenizer: Any) -> None:
        import bm25s

        self._tokenizer = tokenizer
        self._model = bm25s.BM25()
        self._model.index(list(words), show_progress=False)
        self._size = len(words)

    def top(self, query: str, k: int) -> list[int]:
        """Indices of the ``k`` best passages for ``query`` (zero-score passages left out)."""
        tokens = [w.lower() for w in self._tokenizer.words(query)]
        if not tokens:
            return []
        docs, scores = self._model.retrieve([tokens], k=min(k, self._size), show_progress=False)
        return [int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]
