"""Search inside PostgreSQL: the query cut by the same tokenizer, ranked by one indexed SQL query.

The query's terms and their weights (``1 + log tf``, or an expansion's weight) go to the server as two
arrays; one statement looks the terms up, multiplies by idf, keeps the strongest ``MAX_QUERY_TERMS``,
l2-normalises, sums the impact postings (``drafter.search.pg_build``) per passage, applies the filters
(kind, part, year, unit, level, and the viewer's scope) and returns the best candidates with what a hit
shows (its frame and copy prints read, prepared when the passage was written). Scores equal the embedded
index's (same weights, same formula) up to the pruning of common terms. Near-identical passages are folded
as the embedded searcher folds them. Nothing is cached per process but
the tokenizer and the expander (keyed by the related terms' version, read from the database): every web
worker answers the same.

A search never writes the tables (but their first build, when none exists): the paths that change the
corpus update them (``update``: the added documents' postings, ``drafter.search.pg_update``; or a rebuild
aside, ``drafter.search.pg_build``), and a search that finds them behind the corpus (a killed ingest, a
document made private: its visibility is already exact) answers from them and starts ``update`` in a
background thread. Tables of an earlier layout (after an upgrade) are answered from likewise, what they lack
computed per hit, while their rebuild runs behind.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import psycopg
from psycopg_pool import PoolTimeout

from drafter.errors import DatabaseUnavailableError
from drafter.models import Hit, Part, Passage, SearchFilters
from drafter.search.curated import load_everyday, load_synonyms
from drafter.search.damping import Damping, damped
from drafter.search.dedup import ends, shingles, similar
from drafter.search.expansion import Expander, query_units, rated
from drafter.search.frames import frame_of
from drafter.search.index import MAX_QUERY_CHARS, search_terms
from drafter.search.meta import DocMeta
from drafter.search.pg_build import build
from drafter.search.pg_sql import (
    BUILT,
    CORPUS,
    FRAME,
    HEAD,
    IDFS,
    MAX_IDF,
    RELATED,
    TAIL,
    CorpusState,
    Viewer,
    rank_sql,
)
from drafter.search.pg_tables import TABLES_FORMAT
from drafter.search.pg_update import Source, sync
from drafter.search.related import damping_from_json, related_from_json
from drafter.search.request import subject_of
from drafter.text.tokens import Tokenizer

COPY_SCORE = 0.7
"""As the embedded searcher: past the k-th hit only a near-equal score can still be a copy."""
COPY_LENGTH = 0.4
"""As the embedded searcher: a passage under this share of another's length is no copy of it."""
KICK_INTERVAL = 2.0
"""Seconds between two background updates a searcher starts on finding the tables behind the corpus."""

log = logging.getLogger(__name__)


@contextmanager
def unavailable() -> Iterator[None]:
    """A lost or refused connection becomes ``DatabaseUnavailableError`` (the web answers 503, retry)."""
    try:
        yield
    except (psycopg.OperationalError, PoolTimeout) as exc:
        raise DatabaseUnavailableError(
            "检索暂时无法进行：数据库连接中断（服务器可能正在重启）。请稍候几秒重试，已存入的文档不受影响。"
        ) from exc


class PgSearcher:
    """Searches the corpus's index in PostgreSQL; ``update`` brings the index up to the corpus.

    A search is one pooled connection and, in the steady state, one statement: the ranking returns the
    corpus's state and the related terms' version with the candidates, so a stale index or expander is
    noticed from the same answer (the index is then updated in the background, the expander reloaded).
    """

    def __init__(
        self,
        pool: Any,
        build_items: Callable[[], Iterable[tuple[Passage, DocMeta]]],
        state: CorpusState,
        tokenizer: Tokenizer,
        *,
        documents: Callable[[Sequence[str]], Iterable[tuple[Passage, DocMeta]]] | None = None,
        synonyms: Path | None = None,
    ) -> None:
        self._pool = pool
        self._state = state
        self._tokenizer = tokenizer
        self._synonyms = synonyms
        self._expander: tuple[str | None, Expander] | None = None
        self._build_lock = threading.Lock()
        self._kick_lock = threading.Lock()
        self._updater: threading.Thread | None = None
        self._kicked = -KICK_INTERVAL
        if documents is None:
            documents = lambda ids: (item for item in build_items() if item[0].doc_id in set(ids))  # noqa: E731
        self.source = Source(
            build_items, documents, state.sql, lambda value: f"{TABLES_FORMAT}:{state.fingerprint(value)}"
        )
        self.builds = 0
        """How many full builds this searcher ran (a test or benchmark tells an update from a rebuild)."""

    def _fingerprint(self, state: str | None = None, *, read: bool = True) -> str:
        """The fingerprint the index must have for the corpus state ``state`` (read now when ``read``);
        the tables' layout is part of it: a new layout rebuilds."""
        if read:
            with unavailable(), self._pool.connection() as conn:
                state = conn.execute(f"SELECT {self._state.sql}").fetchone()[0]
        return self.source.fingerprint(state)

    def update(self, *, rebuild: bool = False, over: bool = False, build_due: bool = True) -> str:
        """Bring the index in the database up to the corpus now: ``"added"`` (only the documents that
        changed), ``"current"``, ``"rebuilt"`` (from scratch: asked, never built, or past the share an
        update may add) or ``"stale"`` (a rebuild is due and ``build_due`` is false, or another thread or
        worker is building it). With ``over``, documents are added even past that share (an upload:
        searchable at once, the rebuild left to the background)."""
        with unavailable():
            if rebuild:
                return self._build(force=True, wait=True)
            outcome = sync(self._pool, self.source, self._tokenizer, over=over)
            if outcome in ("added", "current"):
                return outcome
            if not build_due:
                return {"due": "added", "rebuild": "stale"}.get(outcome, "none")
            built = self._build(force=outcome != "none", wait=outcome == "none")
            if built != "stale":
                return built
            # Another worker is building: its tables catch up with the corpus when swapped in; until then
            # (or in case it swaps before seeing these documents) they go into the live tables.
            again = sync(self._pool, self.source, self._tokenizer, over=True)
            return {"due": "added", "added": "added", "current": "current"}.get(again, "stale")

    def _build(self, *, force: bool, wait: bool) -> str:
        """A full build aside, swapped in (``drafter.search.pg_build``); searches answer meanwhile."""
        if not self._build_lock.acquire(blocking=wait):
            return "stale"
        try:
            self.builds += 1
            done = build(self._pool, self.source, self._tokenizer, wait=wait, force=force)
        finally:
            self._build_lock.release()
        return "rebuilt" if done else ("current" if wait else "stale")

    def refresh(self) -> None:
        """Make the index in the database match the corpus now (built here, or by another worker)."""
        self.update()

    def update_in_background(self) -> None:
        """Start ``update`` in a daemon thread unless one runs (or one was started a moment ago)."""
        now = time.monotonic()
        with self._kick_lock:
            if self._updater is not None and self._updater.is_alive():
                return
            if now - self._kicked < KICK_INTERVAL:
                return
            self._kicked = now
            self._updater = threading.Thread(
                target=self._update_quietly, name="drafter-pg-update", daemon=True
            )
            self._updater.start()

    def _update_quietly(self) -> None:
        try:
            self.update()
        except Exception:  # a background failure must not go unseen; the next change or search tries again
            log.exception("更新数据库中的检索索引失败")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no background update of this searcher runs (or ``timeout``); whether none does."""
        updater = self._updater
        if updater is not None:
            updater.join(timeout)
            return not updater.is_alive()
        return True

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
        text = text if version else None
        expander = Expander(
            load_synonyms(self._synonyms),
            related_from_json(text),
            damping=damping_from_json(text),
            everyday=load_everyday(),
        )
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
        query = subject_of(query[:MAX_QUERY_CHARS])  # as the embedded index: no request words
        terms = search_terms(self._tokenizer, query)
        words = [t for t in terms if not t.startswith("#")]
        viewer = viewer or Viewer(filters.scope.unit)
        reload = reloaded = rebuilt = False
        prepared = True
        rows: list[Any] | None = None
        for _ in range(4):
            expander = self.expander(stale=reload)
            reload = False
            expansions = expander.expand(query, words) if filters.expand else []
            params = self._params(terms, words, expansions, k, expander.damping)
            sql = rank_sql(filters, viewer, params, self._state, prepared=prepared)
            try:
                rows = self._rank(sql, params)
            except psycopg.errors.UndefinedColumn:
                if not prepared:
                    raise
                prepared = False  # tables of an earlier layout: answered from while rebuilt behind
                self.update_in_background()
                continue
            if rows is None:  # never built: nothing to answer from, so this first search builds
                if rebuilt:
                    break
                with unavailable():
                    self._build(force=False, wait=True)
                rebuilt = True
                continue
            version = self._expander[0] if self._expander is not None else None
            if rows[0][RELATED] != version and not reloaded:  # the related terms were mined again
                reload = reloaded = True
                continue
            if rows[0][BUILT] != self._fingerprint(rows[0][CORPUS], read=False):
                self.update_in_background()  # behind the corpus: answered from these tables meanwhile
            break
        if not rows or rows[0][0] is None:
            return []
        idfs: dict[str, float] = json.loads(rows[0][IDFS]) if rows[0][IDFS] else {}
        max_idf = float(rows[0][MAX_IDF] or 1.0)
        shown = [*(w for w in words if len(w) >= 2), *(e.text for e in expansions)]
        highlights = list(dict.fromkeys(shown))
        hits = [_hit(row, copies, highlights) for row, copies in _distinct(rows, k)]
        return rated(hits, words, expansions, lambda t: float(idfs.get(t.lower(), max_idf + 1.0)))

    def _params(
        self,
        terms: list[str],
        words: list[str],
        expansions: list[Any],
        k: int,
        damping: Damping | None = None,
    ) -> dict[str, Any]:
        """The ranking statement's parameters: the query's terms and weights (``1 + log tf``, or an
        expansion's weight; times the term's ``damping`` factor, as the embedded index weighs them), the
        words whose idf the confidence needs, and how many candidates."""
        counts = Counter(terms)
        weight_of = {t: 1.0 + math.log(c) for t, c in counts.items()}
        for expansion in (e for e in expansions if e.weight > 0):  # weight 0: shown, never ranked
            for term in set(search_terms(self._tokenizer, expansion.text)):
                if term not in counts:
                    weight_of[term] = max(weight_of.get(term, 0.0), expansion.weight)
        weight_of = damped(weight_of, damping)
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
    """Walk the candidates (best first) keeping those that are no copy of one kept before: as the embedded
    searcher (``HitMaker._distinct``), a kept candidate is found by its beginning or its end (the copy prints
    stored with the passage), so a candidate is compared only with the few kept ones that could be copies."""
    chosen: list[tuple[Any, list[Any]]] = []
    by_head: dict[str, list[int]] = {}
    by_tail: dict[str, list[int]] = {}
    prints: dict[int, Any] = {}
    groups: set[int] = set()
    floor = 0.0
    for row in rows:
        if len(chosen) == k and row[1] < floor:
            break
        if row[5] in groups:
            continue
        groups.add(row[5])
        head, tail = (row[HEAD], row[TAIL]) if row[HEAD] is not None else ends(row[14])
        twin = None
        for at in sorted({*by_head.get(head, ()), *by_tail.get(tail, ())}):
            if _copies(row, chosen[at][0], prints):
                twin = chosen[at]
                break
        if twin is not None:
            twin[1].append(row)
        elif len(chosen) < k:
            by_head.setdefault(head, []).append(len(chosen))
            by_tail.setdefault(tail, []).append(len(chosen))
            chosen.append((row, []))
            if len(chosen) == k:
                floor = COPY_SCORE * row[1]
    return chosen


def _copies(a: Any, b: Any, prints: dict[int, Any]) -> bool:
    """Whether candidates ``a`` and ``b``, which share a beginning or an end, are near-identical."""
    ta, tb = a[14], b[14]
    if min(len(ta), len(tb)) < COPY_LENGTH * max(len(ta), len(tb)):
        return False
    for row in (a, b):
        if row[0] not in prints:
            prints[row[0]] = shingles(row[14])
    return similar(prints[a[0]], prints[b[0]])


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
        frame=row[FRAME] if row[FRAME] is not None else frame_of(text, [unit] if unit else []),
        part=cast(Part, part),
        kind=kind,
        year=year,
        unit=unit,
        other_sources=tuple(s for s in dict.fromkeys(sources_all) if s and s != source),
        level=level,
    )
