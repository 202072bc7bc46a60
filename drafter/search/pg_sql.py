"""The ranking statement of the search inside PostgreSQL (``drafter.search.pg_search``), built per filter set.

One statement weights the query's terms by idf (the strongest ``MAX_QUERY_TERMS``, l2-normalised), sums the
pruned impact postings per passage, rescores the best candidates exactly with their pruned-off postings,
applies the filters and the viewer's scope, and returns the candidates with what a hit shows and, in the same
snapshot, the state a searcher checks (the built fingerprint, the corpus state, the related terms' version).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drafter.models import PARTS, SearchFilters
from drafter.search.index import MAX_QUERY_TERMS

NARROW_DOCS = 200
"""A filter keeping at most this many documents, and less than half of the passages, reads every posting
of theirs (range scans per document); a broader one (a writer's scope hiding other units' private reports
is one) reads each term's pruned postings but those of the documents it hides (a hashed list of the hidden
ones: few for a writer's scope, none when no other unit keeps a report private)."""

_RANK = """
WITH q AS (
    SELECT t.tid, u.w * t.idf AS w
    FROM unnest(%(terms)s::text[], %(weights)s::float8[]) WITH ORDINALITY AS u(term, w, n)
    JOIN search_terms t ON t.term = u.term
    ORDER BY u.w * t.idf DESC, u.n LIMIT {max_terms}),
qn AS (SELECT tid, w / sqrt(sum(w * w) OVER ()) AS w FROM q),
{scored},
top AS (SELECT pidx, score FROM s ORDER BY score DESC, pidx LIMIT %(pool)s),
hits AS (SELECT sp.pidx, top.score, sp.passage_id, sd.doc_id, sp.part, sp.grp, sd.kind, sd.year, sd.unit,
    sd.level, sd.title, sd.source, sd.sources, sp.heading, sp.text,
    CASE WHEN sp.gsize > 1 THEN ARRAY(
        SELECT unnest(gd.source || gd.sources) FROM search_passages g JOIN search_docs gd ON gd.d = g.d
        WHERE g.grp = sp.grp AND g.gsize > 1 AND g.pidx <> sp.pidx AND {group_filter} ORDER BY g.pidx) END,
    {prepared}
    FROM top JOIN search_passages sp ON sp.pidx = top.pidx JOIN search_docs sd ON sd.d = sp.d)
SELECT hits.*, state.* FROM (SELECT
    (SELECT json_object_agg(term, idf)::text FROM search_terms WHERE term = ANY(%(idf_terms)s::text[])),
    (SELECT max_idf FROM search_state WHERE id = 1),
    (SELECT fingerprint FROM search_state WHERE id = 1),
    {corpus_state}, {related_version}) AS state
LEFT JOIN hits ON TRUE
ORDER BY hits.score DESC NULLS LAST, hits.pidx
"""
"""One row per candidate (columns 0-18: ``HIT_COLUMNS``), each followed by the state read in the same
snapshot (``IDFS`` … ``RELATED``: the query words' idf, the largest idf, the fingerprint the tables were
built for, the corpus's state and the related terms' version); a single row of state alone when nothing
matched."""

HIT_COLUMNS = 19
"""Columns of a candidate: pidx, score, passage id, doc id, part, copy group, kind, year, unit, level, title,
source, sources, heading, text, the identical texts' sources, and the frame and copy prints (head, tail)
prepared when the passage was written (NULL from tables of an earlier layout: computed when shown)."""
FRAME, HEAD, TAIL = range(HIT_COLUMNS - 3, HIT_COLUMNS)
IDFS, MAX_IDF, BUILT, CORPUS, RELATED = range(HIT_COLUMNS, HIT_COLUMNS + 5)
"""Where each piece of the state is in every row."""
PREPARED = "sp.frame, sp.head, sp.tail"
EARLIER = "NULL::text, NULL::text, NULL::text"
"""The prepared columns as read from the tables, and in their place for tables of an earlier layout (the
search answers from them while their rebuild runs)."""

_RESCORED = """pruned AS MATERIALIZED (
    SELECT qn.tid, qn.w FROM qn WHERE EXISTS (SELECT 1 FROM search_rest r WHERE r.tid = qn.tid)),
rescored AS (
    SELECT c.pidx, c.score + coalesce((SELECT sum(r.w * pruned.w) FROM pruned JOIN search_rest r
        ON r.tid = pruned.tid AND r.pidx = c.pidx), 0) AS score
    FROM cut AS c)"""
"""The best candidates of the pruned postings, their scores made exact: each adds its postings pruned off
(only terms that lost some: a few index probes per candidate; one range scan per candidate over a
``(pidx, tid)`` index of ``search_rest`` read more index tuples and was slower at 1× and no faster at 10×)."""

_UNFILTERED = (
    """cut AS (
    SELECT i.pidx, sum(i.w * qn.w) AS score FROM qn JOIN search_impact i ON i.tid = qn.tid {part}
    GROUP BY i.pidx ORDER BY score DESC, i.pidx LIMIT %(rescore)s),
"""
    + _RESCORED
    + """,
s AS (SELECT pidx, score FROM rescored)"""
)

_FILTERED = (
    """hidden AS MATERIALIZED (SELECT d, hi - lo AS n FROM search_docs gd WHERE ({doc_filter}) IS NOT TRUE),
n AS MATERIALIZED (SELECT (SELECT count(*) FROM search_docs) - count(*) <= {narrow}
    AND 2 * ((SELECT passages FROM search_state WHERE id = 1) - coalesce(sum(n), 0))
    < (SELECT passages FROM search_state WHERE id = 1) AS narrow FROM hidden),
docs AS (SELECT d, lo, hi FROM search_docs gd WHERE {doc_filter}),
cut AS (
    SELECT i.pidx, sum(i.w * qn.w) AS score FROM qn JOIN search_impact i ON i.tid = qn.tid
    WHERE NOT (SELECT narrow FROM n) AND i.d NOT IN (SELECT d FROM hidden) {part}
    GROUP BY i.pidx ORDER BY score DESC, i.pidx LIMIT %(rescore)s),
"""
    + _RESCORED
    + """,
s AS (
    SELECT pidx, score FROM rescored
    UNION ALL
    SELECT i.pidx, sum(i.w * qn.w) FROM docs CROSS JOIN qn CROSS JOIN LATERAL (
        SELECT x.pidx, x.w, x.part FROM search_impact x WHERE x.tid = qn.tid AND x.pidx >= docs.lo AND x.pidx < docs.hi
        UNION ALL
        SELECT y.pidx, y.w, y.part FROM search_rest y WHERE y.tid = qn.tid AND y.pidx >= docs.lo AND y.pidx < docs.hi
    ) AS i
    WHERE (SELECT narrow FROM n) {part}
    GROUP BY i.pidx)"""
)


@dataclass(frozen=True)
class CorpusState:
    """How the searcher reads the corpus it indexes, inside the ranking statement's own round trip.

    ``sql`` is an SQL value that changes whenever the documents (or who sees them) change, ``fingerprint``
    turns it into the fingerprint the index must have been built for; ``related_sql`` is the related terms'
    version as an SQL value, and ``related`` reads (version, text) only when that version changed.
    """

    sql: str
    fingerprint: Callable[[str | None], str]
    related_sql: str = "NULL::text"
    related: Callable[[], tuple[str | None, str | None]] = lambda: (None, None)


@dataclass(frozen=True)
class Viewer:
    """Whose search this is: ``unit`` None sees everything; otherwise shared documents and the unit's own."""

    unit: str | None = None


def _doc_where(filters: SearchFilters, viewer: Viewer, alias: str, params: dict[str, Any]) -> list[str]:
    """SQL conditions on a ``search_docs`` row (``alias``) for the document filters and ``viewer``'s scope."""
    where: list[str] = []
    if filters.kinds is not None:
        params["kinds"] = list(filters.kinds)
        where.append(f"{alias}.kind = ANY(%(kinds)s::text[])")
    if filters.year_from is not None:
        params["year_from"] = filters.year_from
        where.append(f"coalesce({alias}.year, 0) >= %(year_from)s")
    if filters.year_to is not None:
        params["year_to"] = filters.year_to
        where.append(f"{alias}.year <= %(year_to)s AND {alias}.year > 0")
    if filters.unit:
        params["unit"] = filters.unit
        where.append(f"strpos(coalesce({alias}.unit, ''), %(unit)s) > 0")
    if filters.levels is not None:
        params["levels"] = list(filters.levels)
        where.append(f"{alias}.level = ANY(%(levels)s::text[])")
    if viewer.unit is not None:
        params["viewer"] = viewer.unit
        where.append(f"({alias}.visibility = 'shared' OR {alias}.owner_unit = %(viewer)s)")
    return where


def rank_sql(
    filters: SearchFilters,
    viewer: Viewer,
    params: dict[str, Any],
    state: CorpusState | None = None,
    *,
    prepared: bool = True,
) -> str:
    """The one ranking statement for ``filters`` and ``viewer`` (see ``NARROW_DOCS``), reading ``state``;
    without ``prepared``, for tables of an earlier layout (no stored frames and copy prints)."""
    doc_where = _doc_where(filters, viewer, "gd", params)
    part = ""
    if filters.part is not None:
        params["part"] = PARTS.index(filters.part)
        part = "AND i.part = %(part)s"
    if doc_where:
        scored = _FILTERED.format(doc_filter=" AND ".join(doc_where), narrow=NARROW_DOCS, part=part)
    else:
        scored = _UNFILTERED.format(part=part.replace("AND", "WHERE", 1))
    group_filter = [*doc_where, *(["g.part = %(part_name)s"] if filters.part is not None else [])]
    if filters.part is not None:
        params["part_name"] = filters.part
    return _RANK.format(
        max_terms=MAX_QUERY_TERMS,
        scored=scored,
        group_filter=" AND ".join(group_filter) or "TRUE",
        corpus_state=state.sql if state is not None else "NULL::text",
        related_version=state.related_sql if state is not None else "NULL::text",
        prepared=PREPARED if prepared else EARLIER,
    )
