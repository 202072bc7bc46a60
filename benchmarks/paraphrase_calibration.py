"""The 强/中/弱 calibration: how often the first hit of each label answers the query, set by set.

``calibrate`` reads every query's first hit (its label, coverage and score, and whether it answers);
``calibration_table`` prints, per set and label, how many first hits carry the label and the share of them
that answer. Subjects the bundled 科技 corpus does not cover (``ABSENT``) are searched in the seed reports
alone: their first hit must read 弱. The thresholds of ``drafter.search.expansion`` are chosen on the team's
sets and the outsider set, never on the held-out or the bureau set.

    python -m benchmarks.eval_paraphrase --calibrate
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

LABELS = ("strong", "medium", "weak")
NAMES = {"strong": "强", "medium": "中", "weak": "弱"}

ABSENT = (
    "粮食安全",
    "高标准农田建设",
    "非物质文化遗产保护",
    "河长制工作",
    "养老服务体系建设",
    "义务教育均衡发展",
    "森林防火",
    "城市更新和老旧小区改造",
    "医保基金监管",
    "退役军人服务保障",
    "生猪稳产保供",
    "乡村治理积分制",
)
"""Subjects the bundled 科技 corpus does not cover: their first hit must read 弱."""

Row = tuple[str, float, float, bool]
"""A first hit: its label, coverage, score, and whether it answers the query."""


def absent_hits() -> list[Any]:
    """The first hit for each ``ABSENT`` subject, searched in the seed reports alone (with the 口径 table)."""
    from benchmarks.eval_search import SEEDS
    from drafter.ingest.documents import documents_from_file
    from drafter.ingest.read import iter_input_files
    from drafter.search.curated import load_everyday, load_synonyms
    from drafter.search.expansion import Expander
    from drafter.search.index import SearchIndex
    from drafter.search.meta import DocMeta
    from drafter.text.tokens import default_tokenizer

    items = [
        (p, DocMeta(d.title, d.source, d.kind, d.year, d.unit))
        for f in iter_input_files([SEEDS])
        for d in documents_from_file(f)
        for p in d.passages
    ]
    index = SearchIndex.build(items, default_tokenizer())
    expander = Expander(load_synonyms(), everyday=load_everyday())
    return [h[0] for q in ABSENT if (h := index.search(q, 1, None, expander))]


def calibrate(
    console: Any,
    index: Any,
    expander: Any,
    judged: Sequence[Any],
    relevant: Sequence[set[int]],
    position: dict[str, int],
) -> list[Row]:
    """Every query's first hit as a ``Row``; prints the coverage quartiles of answering and other first hits."""
    rows: list[Row] = []
    for j, good in zip(judged, relevant, strict=True):
        hits = index.search(j.query, 1, None, expander)
        if hits:
            hit = hits[0]
            rows.append((hit.confidence, hit.coverage, hit.score, position[hit.passage_id] in good))
    for name, values in (
        ("first hit answers", [r[1] for r in rows if r[3]]),
        ("first hit does not", [r[1] for r in rows if not r[3]]),
    ):
        values.sort()
        quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else values
        console.print(f"{name}: {len(values)} queries, coverage quartiles {[round(v, 2) for v in quartiles]}")
    return rows


def calibration_table(console: Any, by_set: dict[str, list[Row]]) -> None:
    """Per set and label: first hits with the label, and the share of them that answer; then the absent ones."""
    from rich.table import Table

    table = Table(title="强/中/弱 calibration: first hits per label (share that answer the query)")
    table.add_column("set")
    for label in LABELS:
        table.add_column(NAMES[label], justify="right")
    table.add_column("answers overall", justify="right")
    for name, rows in by_set.items():
        cells = []
        for label in LABELS:
            mine = [r for r in rows if r[0] == label]
            share = f"{sum(r[3] for r in mine) / len(mine):.2f}" if mine else "–"
            cells.append(f"{len(mine)} ({share})")
        overall = sum(r[3] for r in rows) / len(rows) if rows else 0.0
        table.add_row(name, *cells, f"{overall:.2f}")
    absent = absent_hits()
    table.add_row(
        "subject absent (seeds)",
        *(str(sum(h.confidence == label for h in absent)) for label in LABELS),
        "0 (none can)",
    )
    console.print(table)
