"""Search inside PostgreSQL: the query cut by the same tokenizer, ranked by one indexed SQL query.

The query's terms and their weights (``1 + log tf``, or an expansion's weight) go to the server as two
arrays; one statement looks the terms up, multiplies by idf, keeps the strongest ``MAX_QUERY_TERMS``,
l2-normalises, sums the impact postings (``drafter.search.pg_build``) per passage, applies the filters
(kind, part, year, unit, level, and the viewer's scope) and returns the best candidates with what a hit
shows. Scores equal the embedded index's (same weights, same formula) up to the pruning of common terms.
Near-identical passages are folded as the embedded searcher folds them. Nothing is cached per process but
the tokenizer and the expander (keyed by the related terms' version, read from the database): every web
worker answers the same.
"""

from __future__ import annotations

import json
import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import psycopg
from psycopg_pool import PoolTimeout

from drafter.errors import DatabaseUnavailableError
from drafter.models import PARTS, Hit, Part, Passage, SearchFilters
from drafter.search.dedup import ends, may_be_copies, shingles, similar
from drafter.search.expansion import Expander, load_synonyms, query_units, rated
from drafter.search.frames import frame_of
from drafter.search.index import MAX_QUERY_CHARS, MAX_QUERY_TERMS, search_terms
from drafter.search.meta import DocMeta
from drafter.search.pg_build import TABLES_FORMAT, build, built_fingerprint
from drafter.search.related import related_from_json
from drafter.text.tokens import Tokenizer

COPY_SCORE = 0.7
"""As the embedded searcher: past the k-th hit only a near-equal score can still be a copy."""

NARROW_DOCS = 200
"""A filter keeping at most this many documents, and less than half of the passages, reads every posting
of theirs (range scans per document); a broader one (a writer's scope hiding other units' private reports
is one) reads each term's pruned postings and drops the filtered-out documents."""

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
        WHERE g.grp = sp.grp AND g.gsize > 1 AND g.pidx <> sp.pidx AND {group_filter} ORDER BY g.pidx) END
    FROM top JOIN search_passages sp ON sp.pidx = top.pidx JOIN search_docs sd ON sd.d = sp.d)
SELECT hits.*, state.* FROM (SELECT
    (SELECT json_object_agg(term, idf)::text FROM search_terms WHERE term = ANY(%(idf_terms)s::text[])),
    (SELECT max_idf FROM search_state WHERE id = 1),
    (SELECT fingerprint FROM search_state WHERE id = 1),
    {corpus_state}, {related_version}) AS state
LEFT JOIN hits ON TRUE
ORDER BY hits.score DESC NULLS LAST, hits.pidx
"""
"""One row per candidate (columns 0-15), each followed by the state read in the same snapshot: the query
words' idf (16), the largest idf (17), the fingerprint the tables were built for (18), the corpus's state
(19) and the related terms' version (20); a single row of state alone when nothing matched."""

_RESCORED = """pruned AS MATERIALIZED (
    SELECT qn.tid, qn.w FROM qn WHERE EXISTS (SELECT 1 FROM search_rest r WHERE r.tid = qn.tid)),
rescored AS (
    SELECT c.pidx, c.score + coalesce((SELECT sum(r.w * pruned.w) FROM pruned JOIN search_rest r
        ON r.tid = pruned.tid AND r.pidx = c.pidx), 0) AS score
    FROM cut AS c)"""
"""The best candidates of the pruned postings, their scores made exact: each adds its postings pruned off
(only terms that lost some: a few index probes per candidate)."""

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
    """docs AS MATERIALIZED (SELECT d, lo, hi FROM search_docs gd WHERE {doc_filter}),
n AS MATERIALIZED (SELECT count(*) <= {narrow} AND 2 * coalesce(sum(hi - lo), 0) < (
    SELECT passages FROM search_state WHERE id = 1) AS narrow FROM docs),
cut AS (
    SELECT a.pidx, a.score FROM (
        SELECT i.pidx, i.d, sum(i.w * qn.w) AS score FROM qn JOIN search_impact i ON i.tid = qn.tid
        WHERE NOT (SELECT narrow FROM n) {part} GROUP BY i.pidx, i.d) AS a
    WHERE a.d IN (SELECT d FROM docs) ORDER BY a.score DESC, a.pidx LIMIT %(rescore)s),
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


@contextmanager
def unavailable() -> Iterator[None]:
    """A lost or refused connection becomes ``DatabaseUnavailableError`` (the web answers 503, retry)."""
    try:
        yield
    except (psycopg.OperationalError, PoolTimeout) as exc:
        raise DatabaseUnavailableError(
            "检索暂时无法进行：数据库连接中断（服务器可能正在重启）。请稍候几秒重试，已存入的文档不受影响。"
        ) from exc


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
    filters: SearchFilters, viewer: Viewer, params: dict[str, Any], state: CorpusState | None = None
) -> str:
    """The one ranking statement for ``filters`` and ``viewer`` (see ``NARROW_DOCS``), reading ``state``."""
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
    )


class PgSearcher:
    """Searches the corpus's index in PostgreSQL; rebuilds it there when the corpus fingerprint changed.

    A search is one pooled connection and, in the steady state, one statement: the ranking returns the
    corpus's state and the related terms' version with the candidates, so a stale index or expander is
    noticed from the same answer (and the statement run again after the rare rebuild or reload).
    """

    def __init__(
        self,
        pool: Any,
        build_items: Callable[[], Iterable[tuple[Passage, DocMeta]]],
        state: CorpusState,
        tokenizer: Tokenizer,
        *,
        synonyms: Path | None = None,
    ) -> None:
        self._pool = pool
        self._build_items = build_items
        self._state = state
        self._tokenizer = tokenizer
        self._synonyms = synonyms
        self._expander: tuple[str | None, Expander] | None = None
        self._lock = threading.Lock()

    def _fingerprint(self, state: str | None = None, *, read: bool = True) -> str:
        """The fingerprint the index must have for the corpus state ``state`` (read now when ``read``);
        the tables' layout is part of it: a new layout rebuilds."""
        if read:
            with unavailable(), self._pool.connection() as conn:
                state = conn.execute(f"SELECT {self._state.sql}").fetchone()[0]
        return f"{TABLES_FORMAT}:{self._state.fingerprint(state)}"

    def refresh(self) -> None:
        """Make the index in the database match the corpus now (built here, or by another worker)."""
        fingerprint = self._fingerprint()
        with unavailable(), self._pool.connection() as conn:
            current = built_fingerprint(conn)
        self._ensure(fingerprint, current, wait=True)

    def _ensure(self, fingerprint: str, built: str | None, *, wait: bool) -> None:
        """Rebuild the index when it was built from another corpus state. Without ``wait``, when another
        thread or worker is already rebuilding, return at once: the previous tables still answer."""
        if built == fingerprint:
            return
        if not self._lock.acquire(blocking=wait):
            return
        try:
            with unavailable():
                build(self._pool, self._build_items, self._tokenizer, fingerprint, wait=wait)
        finally:
            self._lock.release()

    def _rank(self, sql: str, params: dict[str, Any]) -> list[Any] | None:
        """The candidate rows; None when the search tables do not exist yet. A connection found dead (the
        server restarted) is retried once on a fresh one."""
        for attempt in (1, 2):
            try:
                with unavailable(), self._pool.connection() as conn:
                    try:
                        rows: list[Any] = conn.execute(cast(Any, sql), params).fetchall()
                        return rows
                    except psycopg.errors.UndefinedTable:
                        return None
            except DatabaseUnavailableError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def expander(self, *, stale: bool = False) -> Expander:
        """Other wordings of queries (the 口径 table and the corpus's mined related terms), read again when
        ``stale`` (the ranking saw another version) or on first use."""
        current = self._expander
        if current is not None and not stale:
            return current[1]
        version, text = self._state.related()
        expander = Expander(load_synonyms(self._synonyms), related_from_json(text if version else None))
        self._expander = (version, expander)
        return expander

    def search(
        self, query: str, k: int = 5, filters: SearchFilters | None = None, viewer: Viewer | None = None
    ) -> list[Hit]:
        """The ``k`` best passages for ``query`` visible to ``viewer``, best first, shaped as the embedded
        searcher's hits."""
        if not query.strip() or k <= 0:
            return []
        filters = filters or SearchFilters()
        query = query[:MAX_QUERY_CHARS]
        terms = search_terms(self._tokenizer, query)
        words = [t for t in terms if not t.startswith("#")]
        viewer = viewer or Viewer(filters.scope.unit)
        reload = reloaded = rebuilt = False
        for _ in range(3):
            expander = self.expander(stale=reload)
            reload = False
            expansions = expander.expand(query, words) if filters.expand else []
            params = self._params(terms, words, expansions, k)
            sql = rank_sql(filters, viewer, params, self._state)
            rows = self._rank(sql, params)
            if rows is None:  # never built: this request builds (or waits for the worker that does)
                if rebuilt:
                    break
                self._ensure(self._fingerprint(), None, wait=True)
                rebuilt = True
                continue
            version = self._expander[0] if self._expander is not None else None
            if rows[0][20] != version and not reloaded:  # the related terms were mined again
                reload = reloaded = True
                continue
            fingerprint = self._fingerprint(rows[0][19], read=False)
            if rows[0][18] != fingerprint and not rebuilt:  # the corpus changed: rebuild, unless another
                self._ensure(fingerprint, rows[0][18], wait=False)  # worker already does
                rebuilt = True
                continue
            break
        if not rows or rows[0][0] is None:
            return []
        idfs: dict[str, float] = json.loads(rows[0][16]) if rows[0][16] else {}
        max_idf = float(rows[0][17] or 1.0)
        shown = [*(w for w in words if len(w) >= 2), *(e.text for e in expansions)]
        highlights = list(dict.fromkeys(shown))
        hits = [_hit(row, copies, highlights) for row, copies in _distinct(rows, k)]
        return rated(hits, words, expansions, lambda t: float(idfs.get(t.lower(), max_idf + 1.0)))

    def _params(self, terms: list[str], words: list[str], expansions: list[Any], k: int) -> dict[str, Any]:
        """The ranking statement's parameters: the query's terms and weights (``1 + log tf``, or an
        expansion's weight), the words whose idf the confidence needs, and how many candidates."""
        counts = Counter(terms)
        weight_of = {t: 1.0 + math.log(c) for t, c in counts.items()}
        for expansion in (e for e in expansions if e.weight > 0):  # weight 0: shown, never ranked
            for term in set(search_terms(self._tokenizer, expansion.text)):
                if term not in counts:
                    weight_of[term] = max(weight_of.get(term, 0.0), expansion.weight)
        return {
            "terms": list(weight_of),
            "weights": list(weight_of.values()),
            "idf_terms": list(
                {*(w.lower() for w in (*words, *query_units(words))), *(e.text.lower() for e in expansions)}
            ),
            "pool": 4 * k + 16,
            "rescore": 8 * k + 32,
        }


def _distinct(rows: list[Any], k: int) -> list[tuple[Any, list[Any]]]:
    """Walk the candidates (best first) keeping those that are no copy of one kept before."""
    chosen: list[tuple[Any, list[Any]]] = []
    prints: dict[int, tuple[str, str]] = {}
    groups: set[int] = set()
    for row in rows:
        if len(chosen) == k and row[1] < COPY_SCORE * chosen[-1][0][1]:
            break
        if row[5] in groups:
            continue
        groups.add(row[5])
        twin = next((c for c in chosen if _copies(row, c[0], prints)), None)
        if twin is not None:
            twin[1].append(row)
        elif len(chosen) < k:
            chosen.append((row, []))
    return chosen


def _copies(a: Any, b: Any, prints: dict[int, tuple[str, str]]) -> bool:
    ta, tb = a[14], b[14]
    if min(len(ta), len(tb)) < 0.4 * max(len(ta), len(tb)):
        return False
    for row in (a, b):
        if row[0] not in prints:
            prints[row[0]] = ends(row[14])
    if not may_be_copies(prints[a[0]], prints[b[0]]):
        return False
    return similar(shingles(ta), shingles(tb))


def _hit(row: Any, copies: list[Any], words: list[str]) -> Hit:
    (_pidx, score, passage_id, doc_id, part, _grp, kind, year, unit, level, title, source, sources) = row[:13]
    heading, text, same_group = row[13], row[14], row[15]
    sources_all = [*sources, *(same_group or [])]
    for other in copies:
        sources_all.extend((other[11], *other[12]))
    lowered = text.lower()
    return Hit(
        passage_id=passage_id,
        doc_id=doc_id,
        title=title,
        source=source,
        heading=heading,
        text=text,
        score=round(float(score), 6),
        terms=tuple(w for w in words if w in lowered),
        frame=frame_of(text, [unit] if unit else []),
        part=cast(Part, part),
        kind=kind,
        year=year,
        unit=unit,
        other_sources=tuple(s for s in dict.fromkeys(sources_all) if s and s != source),
        level=level,
    )
