"""Documents added to the search tables inside PostgreSQL without rebuilding them (``sync``).

As the embedded index does (``drafter.search.increment``): only the added passages are cut and counted, and
they are weighed with the statistics the tables were built with, kept in ``search_state`` (the pivot and
the passage count the idf came from), so every web worker weighs alike and the built postings stay as they
are. A term the tables never saw gets the idf a rebuild would give it. A posting goes to ``search_impact``
when it is at least as heavy as the lightest one its term kept there (``search_terms.floor``), else to
``search_rest``, so the unfiltered ranking finds an added passage where a rebuild would put it; a term that
kept every posting (no floor) and now holds more than a rebuild would keep (``kept``) is cut as a rebuild cuts
it, its lightest postings moved to ``search_rest`` and its floor set. An added passage joins the copy group of
an identical one (by its dedup key) and gets its frame and copy prints as the embedded index prepares them.

Removed documents leave the tables in the transaction that removes them (the trigger of
``drafter.search.pg_tables``); a document made private or shared likewise. ``sync`` runs in the paths that
change the corpus (``drafter ingest``, an upload, a removal) or in a background thread, never in a search:
under ``UPDATE_LOCK`` it compares the documents the tables hold with the corpus's, adds what is missing and
records the corpus state it reached. Once the passages added or removed since the build pass ``FOLD_SHARE``
of those the statistics came from, it answers ``"rebuild"`` and the caller rebuilds aside
(``drafter.search.pg_build``), while searches go on reading these tables.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from drafter.models import DOC_KINDS, PARTS, Passage
from drafter.search.dedup import dedup_key, ends
from drafter.search.increment import FOLD_SHARE
from drafter.search.index import indexed_text, search_terms
from drafter.search.meta import DocMeta
from drafter.search.pg_tables import (
    DROP_FUNCTION,
    TABLES_FORMAT,
    UPDATE_LOCK,
    TableState,
    copy_postings,
    kept,
    read_state,
)
from drafter.search.prepared import frames_of
from drafter.search.weighting import PIVOT_SLOPE
from drafter.text.levels import LEVELS
from drafter.text.tokens import Tokenizer


@dataclass(frozen=True)
class Source:
    """How the search tables read the corpus: every passage with its document's metadata (a full build),
    the passages of some documents (an update), the corpus state as an SQL value and the fingerprint the
    tables must carry for a state value (the tables' layout and the user dictionary part of it)."""

    items: Callable[[], Iterable[tuple[Passage, DocMeta]]]
    documents: Callable[[Sequence[str]], Iterable[tuple[Passage, DocMeta]]]
    state_sql: str
    fingerprint: Callable[[str | None], str]

    def current(self, conn: Any) -> str:
        """The fingerprint of the corpus as ``conn`` reads it now."""
        return self.fingerprint(conn.execute(f"SELECT {self.state_sql}").fetchone()[0])


def same_layout(built: str, wanted: str) -> bool:
    """Whether tables stamped ``built`` can be brought to ``wanted`` by adding (same layout, same terms)."""
    return built.split(":", 1)[0] == wanted.split(":", 1)[0] == TABLES_FORMAT and (
        built.rpartition(":")[2] == wanted.rpartition(":")[2]
    )


def sync(pool: Any, source: Source, tokenizer: Tokenizer, *, over: bool = False) -> str:
    """Bring the live tables up to the corpus by adding the documents they lack: ``"added"``, ``"current"``,
    ``"none"`` (never built), ``"rebuild"`` (another layout or user dictionary, or past ``FOLD_SHARE``:
    nothing added) or, with ``over``, ``"due"`` (added all the same, past the share: rebuild later)."""
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (UPDATE_LOCK,))
        state = read_state(conn)
        if state is None:
            built = conn.execute("SELECT to_regclass('search_docs') IS NOT NULL").fetchone()[0]
            return "rebuild" if built else "none"
        fingerprint = source.current(conn)  # before the documents are read: the tables hold at least it
        if not same_layout(state.fingerprint, fingerprint):
            return "rebuild"
        if state.fingerprint == fingerprint:  # up to date, but maybe added to past the share since the build
            return (
                "current"
                if state.changed <= FOLD_SHARE * max(state.base, 1)
                else ("due" if over else "rebuild")
            )
        held = {str(r[0]) for r in conn.execute("SELECT doc_id FROM search_docs")}
        current = [str(r[0]) for r in conn.execute("SELECT id FROM documents ORDER BY seq")]
        gone = held.difference(current)
        for doc_id in sorted(gone):  # left by a removal the trigger did not see (tables built meanwhile)
            conn.execute(f"SELECT {DROP_FUNCTION}('', %s)", (doc_id,))
        if gone:
            state = read_state(conn) or state
        added = [doc_id for doc_id in current if doc_id not in held]
        waiting = conn.execute(
            "SELECT coalesce(sum(n_passages), 0) FROM documents WHERE id = ANY(%s)", (added,)
        ).fetchone()[0]
        due = state.changed + int(waiting) > FOLD_SHARE * max(state.base, 1)
        if due and not over:
            return "rebuild"
        n = add_documents(conn, "", state, list(source.documents(added)), tokenizer) if added else 0
        state.fingerprint = fingerprint
        state.write(conn)
        if due:
            return "due"
        return "added" if n or gone else "current"


def add_documents(
    conn: Any, sfx: str, state: TableState, items: Sequence[tuple[Passage, DocMeta]], tokenizer: Tokenizer
) -> int:
    """Write the passages of ``items`` (whole documents) into the tables ``search_*{sfx}``, weighed with
    ``state``'s statistics (``state`` advances). Documents the corpus no longer holds, or the tables already
    do, are skipped; the others are locked (``FOR SHARE``) until the transaction ends, so a change of who may
    see one waits and then finds its row. The number of passages added."""
    by_doc: dict[str, list[Passage]] = {}
    metas: dict[str, DocMeta] = {}
    for passage, meta in items:
        by_doc.setdefault(passage.doc_id, []).append(passage)
        metas.setdefault(passage.doc_id, meta)
    ids = list(by_doc)
    live = {
        str(r[0]): (str(r[1]), str(r[2]))
        for r in conn.execute(
            "SELECT id, owner_unit, visibility FROM documents WHERE id = ANY(%s) ORDER BY id FOR SHARE",
            (ids,),
        )
    }
    held = {
        str(r[0]) for r in conn.execute(f"SELECT doc_id FROM search_docs{sfx} WHERE doc_id = ANY(%s)", (ids,))
    }
    docs = [doc_id for doc_id in ids if doc_id in live and doc_id not in held]
    passages = [p for doc_id in docs for p in sorted(by_doc[doc_id], key=lambda p: p.position)]
    if not passages:
        return 0
    counts = [Counter(search_terms(tokenizer, indexed_text(p))) for p in passages]
    terms = _terms(conn, sfx, state, counts)
    tids, pidx, weights = _weighed(counts, terms, state, state.next_pidx)
    floors = np.array([terms[t][2] for c in counts for t in c], dtype=np.float32)
    doc_of = np.repeat(np.arange(len(docs), dtype=np.int32) + state.next_d, [len(by_doc[d]) for d in docs])
    d = doc_of[pidx - state.next_pidx]
    part = np.array([PARTS.index(p.part) for p in passages], dtype=np.int16)[pidx - state.next_pidx]
    heavy = weights >= floors
    copy_postings(
        conn, f"search_impact{sfx}", tids[heavy], pidx[heavy], weights[heavy], d[heavy], part[heavy]
    )
    copy_postings(
        conn, f"search_rest{sfx}", tids[~heavy], pidx[~heavy], weights[~heavy], d[~heavy], part[~heavy]
    )
    unbounded = sorted({terms[t][0] for count in counts for t in count if terms[t][2] <= 0.0})
    _cut(conn, sfx, unbounded, kept(state.passages + len(passages)))
    _write_rows(conn, sfx, state, docs, by_doc, metas, live, terms, counts)
    state.passages += len(passages)
    state.changed += len(passages)
    state.next_pidx += len(passages)
    state.next_d += len(docs)
    return len(passages)


def _cut(conn: Any, sfx: str, tids: Sequence[int], keep: int) -> None:
    """Of the terms ``tids`` (none cut so far), those holding more than ``keep`` postings in
    ``search_impact{sfx}`` keep their ``keep`` heaviest there (ties: the first passages, as a build keeps
    them); the others move to ``search_rest{sfx}`` and the term's floor becomes the lightest weight kept."""
    over = [
        int(r[0])
        for r in conn.execute(
            f"SELECT tid FROM search_impact{sfx} WHERE tid = ANY(%s) GROUP BY tid HAVING count(*) > %s",
            (list(tids), keep),
        )
    ]
    if not over:
        return
    conn.execute(
        f"""WITH ranked AS (
            SELECT tid, pidx, row_number() OVER (PARTITION BY tid ORDER BY w DESC, pidx) AS n
            FROM search_impact{sfx} WHERE tid = ANY(%(over)s)),
        moved AS (
            DELETE FROM search_impact{sfx} i USING ranked r
            WHERE i.tid = r.tid AND i.pidx = r.pidx AND r.n > %(keep)s RETURNING i.tid, i.pidx, i.w, i.d, i.part)
        INSERT INTO search_rest{sfx} (tid, pidx, w, d, part) SELECT tid, pidx, w, d, part FROM moved""",
        {"over": over, "keep": keep},
    )
    conn.execute(
        f"UPDATE search_terms{sfx} t SET floor = m.w FROM (SELECT tid, min(w) AS w FROM search_impact{sfx} "
        "WHERE tid = ANY(%s) GROUP BY tid) m WHERE t.tid = m.tid",
        (over,),
    )


def _terms(
    conn: Any, sfx: str, state: TableState, counts: Sequence[Counter[str]]
) -> dict[str, tuple[int, float, float]]:
    """Every term of ``counts`` as (tid, idf, floor): read from ``search_terms{sfx}``, and the ones it lacks
    added with the idf a rebuild would give them (the added passages alone hold them) and no floor."""
    wanted = sorted({t for count in counts for t in count})
    terms: dict[str, tuple[int, float, float]] = {
        str(term): (int(tid), float(idf), float(floor))
        for term, tid, idf, floor in conn.execute(
            f"SELECT term, tid, idf, floor FROM search_terms{sfx} WHERE term = ANY(%s)", (wanted,)
        )
    }
    df = Counter(t for count in counts for t in count if t not in terms)
    total = state.passages + len(counts)
    new = []
    for term, n in df.items():
        idf = float(np.float32(math.log((1 + total) / (1 + n)) + 1.0))
        terms[term] = (state.next_tid, idf, 0.0)
        new.append((term, state.next_tid, idf))
        state.next_tid += 1
        state.max_idf = max(state.max_idf, idf)
    with conn.cursor() as cur, cur.copy(f"COPY search_terms{sfx} (term, tid, idf) FROM STDIN") as copy:
        for row in new:
            copy.write_row(row)
    return terms


def _weighed(
    counts: Sequence[Counter[str]], terms: dict[str, tuple[int, float, float]], state: TableState, first: int
) -> tuple[Any, Any, Any]:
    """The postings of the passages of ``counts`` (numbered from ``first``): sublinear tf × idf over the
    pivoted l2 norm with the build's pivot, in the order of ``counts`` and their terms."""
    tids: list[int] = []
    pidx: list[int] = []
    weights: list[float] = []
    for i, count in enumerate(counts):
        idf = np.array([terms[t][1] for t in count], dtype=np.float64)
        row = (1.0 + np.log(np.array(list(count.values()), dtype=np.float64))) * idf
        norm = float(np.sqrt(np.dot(row, row)))
        tids.extend(terms[t][0] for t in count)
        pidx.extend([first + i] * len(count))
        weights.extend((row / ((1.0 - PIVOT_SLOPE) * state.pivot + PIVOT_SLOPE * norm)).tolist())
    return (
        np.array(tids, dtype=np.int32),
        np.array(pidx, dtype=np.int32),
        np.array(weights, dtype=np.float32),
    )


def _write_rows(
    conn: Any,
    sfx: str,
    state: TableState,
    docs: list[str],
    by_doc: dict[str, list[Passage]],
    metas: dict[str, DocMeta],
    live: dict[str, tuple[str, str]],
    terms: dict[str, tuple[int, float, float]],
    counts: Sequence[Counter[str]],
) -> None:
    """The added documents' rows (who may see each as the corpus says now), their passages' rows (each in
    the copy group of an identical passage, the groups' sizes grown) and their term lists."""
    passages = [p for doc_id in docs for p in sorted(by_doc[doc_id], key=lambda p: p.position)]
    keys = [int(dedup_key(p.text)[:15], 16) for p in passages]
    known = {
        int(key): (int(grp), int(n))
        for key, grp, n in conn.execute(
            f"SELECT key, min(grp), count(*) FROM search_passages{sfx} WHERE key = ANY(%s) GROUP BY key",
            (sorted(set(keys)),),
        )
    }
    added = Counter(keys)
    groups: dict[int, int] = {}
    for key in keys:
        if key not in groups:
            groups[key] = known[key][0] if key in known else state.next_grp
            state.next_grp += key not in known
    with conn.cursor() as cur:
        cur.executemany(
            f"UPDATE search_passages{sfx} SET gsize = gsize + %s WHERE key = %s",
            [(added[key], key) for key in known],
        )
    units = [metas[doc_id].unit for doc_id in docs for _ in by_doc[doc_id]]
    frames = frames_of([p.text for p in passages], units)  # what a hit shows, as the embedded index's
    columns = "pidx, passage_id, d, part, grp, gsize, heading, text, key, frame, head, tail"
    with conn.cursor() as cur, cur.copy(f"COPY search_passages{sfx} ({columns}) FROM STDIN") as copy:
        at, i = state.next_pidx, 0
        for n, doc_id in enumerate(docs):
            for passage in sorted(by_doc[doc_id], key=lambda p: p.position):
                key = keys[i]
                size = added[key] + (known[key][1] if key in known else 0)
                row = (at + i, passage.id, state.next_d + n, passage.part, groups[key], size)
                copy.write_row((*row, passage.heading, passage.text, key, frames[i], *ends(passage.text)))
                i += 1
    columns = "d, doc_id, lo, hi, kind, year, unit, level, title, source, sources, owner_unit, visibility"
    with conn.cursor() as cur, cur.copy(f"COPY search_docs{sfx} ({columns}) FROM STDIN") as copy:
        lo = state.next_pidx
        for n, doc_id in enumerate(docs):
            meta, hi = metas[doc_id], lo + len(by_doc[doc_id])
            kind = meta.kind if meta.kind in DOC_KINDS else "other"
            level = meta.level if meta.level in LEVELS else "unknown"
            head = (state.next_d + n, doc_id, lo, hi, kind, meta.year, meta.unit, level, meta.title)
            copy.write_row((*head, meta.source, list(meta.sources), *live[doc_id]))
            lo = hi
    with conn.cursor() as cur, cur.copy(f"COPY search_doc_terms{sfx} (d, tids) FROM STDIN") as copy:
        i = 0
        for n, doc_id in enumerate(docs):
            tids = {terms[t][0] for count in counts[i : i + len(by_doc[doc_id])] for t in count}
            copy.write_row((state.next_d + n, sorted(tids)))
            i += len(by_doc[doc_id])
