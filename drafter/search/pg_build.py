"""Writing the search index into PostgreSQL: the embedded index's own weights as an impact table.

The weights are computed exactly as for the embedded index (``SearchIndex.build``: jieba words plus
character bigrams, sublinear tf-idf, pivoted l2 norm); each non-zero ``(term, passage, weight)`` becomes a
posting. ``search_impact`` keeps, per term, its heaviest postings (``kept``: more as the corpus grows; every
posting of a rarer term): an unfiltered query reads only these. ``search_rest`` keeps the postings pruned
off, read to rescore the best candidates and together with ``search_impact`` when a filter (unit, year,
kind, level) may leave few passages (the tables: ``drafter.search.pg_tables``). A full build reads the corpus
in one snapshot and fills new tables beside the live ones with binary COPY (unlogged: derived data writes no
WAL; a crash empties them with their state), indexes them, then, in one transaction under ``UPDATE_LOCK``
with the corpus's documents locked against removal and re-scoping, brings them up to the corpus as it is
then (documents added or removed during the build, who may see each, the files each was seen in) and swaps
them in. Searches keep answering from the live tables throughout, and the documents
``drafter.search.pg_update`` adds meanwhile go into the live tables; ``BUILD_LOCK`` makes one worker build
and the others wait or leave it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import numpy as np

from drafter.models import DOC_KINDS, PARTS, Passage
from drafter.search.index import SearchIndex
from drafter.search.meta import DocMeta
from drafter.search.pg_tables import (
    BUILD_LOCK,
    DDL,
    DROP_FUNCTION,
    INDEXES,
    PRUNE,
    TABLES,
    TABLES_FORMAT,
    UPDATE_LOCK,
    TableState,
    built_fingerprint,
    copy_postings,
    ensure_state,
    kept,
)
from drafter.search.pg_update import Source, add_documents
from drafter.text.levels import LEVELS
from drafter.text.tokens import Tokenizer

__all__ = ["PRUNE", "TABLES", "TABLES_FORMAT", "build", "built_fingerprint", "ensure_state", "kept"]

log = logging.getLogger(__name__)


def build(pool: Any, source: Source, tokenizer: Tokenizer, *, wait: bool = True, force: bool = False) -> bool:
    """Build the index of the corpus aside and swap it in, unless the live tables already carry its
    fingerprint (and not ``force``); without ``wait``, nothing when another worker is building. Whether this
    call built it."""
    with pool.connection() as conn:
        if wait:
            conn.execute("SELECT pg_advisory_lock(%s)", (BUILD_LOCK,))
        elif not conn.execute("SELECT pg_try_advisory_lock(%s)", (BUILD_LOCK,)).fetchone()[0]:
            return False
        try:
            ensure_state(conn)
            fingerprint = source.current(conn)  # before the snapshot is read: it holds at least this
            if not force and built_fingerprint(conn) == fingerprint:
                return False
            index = SearchIndex.build(_grouped(source.items()), tokenizer, fingerprint=fingerprint)
            _write(conn, index, fingerprint, source)
            return True
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (BUILD_LOCK,))


def _write(conn: Any, index: SearchIndex, fingerprint: str, source: Source | None = None) -> None:
    """Fill new tables from ``index``, then bring them up to the corpus (with ``source``) and swap them in
    with their state in one transaction."""
    for table in TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}_new")
        conn.execute(f"CREATE UNLOGGED TABLE {table}_new {DDL[table]}")  # derived data: no WAL to write
    import scipy.sparse as sp  # lazy: building only (a search needs no scipy)

    matrix = sp.csr_matrix(
        (index._data, index._indices, index._indptr), shape=index._shape
    )  # terms × passages
    matrix.sort_indices()
    (impact, rest), floors = _prune(matrix)
    vocabulary = index._vocabulary
    with conn.cursor() as cur, cur.copy("COPY search_terms_new (term, tid, idf, floor) FROM STDIN") as copy:
        for tid, term in enumerate(vocabulary):
            copy.write_row((term, tid, float(index._idf[tid]), float(floors[tid])))
    groups = _copy_passages(conn, index)
    _copy_doc_terms(conn, index, matrix)
    docs = np.asarray(index._p["doc"], dtype=np.int32)
    parts = np.asarray(index._p["part"], dtype=np.int16)
    for table, (tids, pidx, w) in zip(("search_impact_new", "search_rest_new"), (impact, rest), strict=True):
        copy_postings(conn, table, tids, pidx, w, docs[pidx], parts[pidx])
    for table in TABLES:
        for statement in INDEXES[table]:
            conn.execute(statement.format(t=f"{table}_new"))
        conn.execute(f"VACUUM (ANALYZE) {table}_new")  # the visibility map: index-only scans stay index-only
    state = TableState(
        fingerprint,
        len(index),
        float(index._idf.max(initial=1.0)),
        float(index.stats.pivot),
        len(index),
        0,
        len(vocabulary),
        len(index),
        len(index._docs),
        groups,
    )
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (UPDATE_LOCK,))
        if conn.execute("SELECT to_regclass('documents') IS NOT NULL").fetchone()[0]:
            _catch_up(conn, index, state, source)
        for table in TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
            for statement in INDEXES[table]:
                name = statement.split()[2 if "UNIQUE" not in statement else 3].format(t=f"{table}_new")
                conn.execute(f"ALTER INDEX {name} RENAME TO {name.replace('_new', '', 1)}")
        state.write(conn)


def _catch_up(conn: Any, index: SearchIndex, state: TableState, source: Source | None) -> None:
    """Bring the tables built aside up to the corpus as it is now: the documents are locked against removal
    and re-scoping until the swap commits (added ones are written by ``pg_update`` under the same lock),
    documents removed during the build leave, those added join, and who may see each and the files each was
    seen in are copied."""
    if source is not None:
        state.fingerprint = source.current(conn)  # before the documents: the tables hold at least it
        current = [str(r[0]) for r in conn.execute("SELECT id FROM documents ORDER BY seq FOR SHARE")]
        held = {doc_id for doc_id, _ in index._docs}
        for doc_id in sorted(held.difference(current)):
            n = int(conn.execute(f"SELECT {DROP_FUNCTION}('_new', %s)", (doc_id,)).fetchone()[0])
            state.passages -= n
            state.changed += n
        added = [doc_id for doc_id in current if doc_id not in held]
        if added:
            add_documents(conn, "_new", state, list(source.documents(added)), index._tokenizer)
    conn.execute(  # who may see each document (drafter.corpus's documents table, same database)
        "UPDATE search_docs_new s SET owner_unit = d.owner_unit, visibility = d.visibility "
        "FROM documents d WHERE d.id = s.doc_id AND (s.owner_unit, s.visibility) <> (d.owner_unit, d.visibility)"
    )
    conn.execute(  # and the files each was seen in (a known document ingested from one more file)
        "UPDATE search_docs_new s SET sources = g.sources FROM (SELECT doc_id, array_agg(source ORDER BY seq) "
        "AS sources FROM sources GROUP BY doc_id) g WHERE g.doc_id = s.doc_id AND g.sources <> s.sources"
    )


def _grouped(items: Iterable[tuple[Passage, DocMeta]]) -> list[tuple[Passage, DocMeta]]:
    """``items`` with each document's passages together (in their first document's order)."""
    listed = list(items)
    first: dict[str, int] = {}
    for passage, _meta in listed:
        first.setdefault(passage.doc_id, len(first))
    return sorted(listed, key=lambda item: first[item[0].doc_id])


def _copy_passages(conn: Any, index: SearchIndex) -> int:
    """The documents' and passages' rows; how many copy groups the passages make."""
    p = index._p
    groups = np.asarray(p["group"])
    sizes = np.bincount(groups)[groups] if len(groups) else groups
    doc_of = np.asarray(p["doc"])
    bounds = np.searchsorted(doc_of, np.arange(len(index._docs) + 1))
    columns = "d, doc_id, lo, hi, kind, year, unit, level, title, source, sources"
    with conn.cursor() as cur, cur.copy(f"COPY search_docs_new ({columns}) FROM STDIN") as copy:
        for d, (doc_id, meta) in enumerate(index._docs):
            copy.write_row(
                (
                    d,
                    doc_id,
                    int(bounds[d]),
                    int(bounds[d + 1]),
                    meta.kind if meta.kind in DOC_KINDS else "other",
                    meta.year,
                    meta.unit,
                    meta.level if meta.level in LEVELS else "unknown",
                    meta.title,
                    meta.source,
                    list(meta.sources),
                )
            )
    keys = np.asarray(p["key"], dtype=np.int64)
    prepared = index._prepared
    prepared.complete()  # the frames hits show (in forked children when many), as the embedded index's
    columns = "pidx, passage_id, d, part, grp, gsize, heading, text, key, frame, head, tail"
    with conn.cursor() as cur, cur.copy(f"COPY search_passages_new ({columns}) FROM STDIN") as copy:
        for i, pid in enumerate(p["id"]):
            copy.write_row(
                (
                    i,
                    pid,
                    int(doc_of[i]),
                    PARTS[int(p["part"][i])],
                    int(groups[i]),
                    int(sizes[i]),
                    p["heading"][i],
                    p["text"][i],
                    int(keys[i]),
                    prepared.frame(i),
                    prepared.heads[i],
                    prepared.tails[i],
                )
            )
    return int(groups.max(initial=-1)) + 1


def _copy_doc_terms(conn: Any, index: SearchIndex, matrix: Any) -> None:
    """Each document's term ids (its postings are found by index when it is removed)."""
    doc_of = np.asarray(index._p["doc"], dtype=np.int64)
    tids = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    pairs = np.unique(doc_of[matrix.indices] * (matrix.shape[0] + 1) + tids)
    docs, terms = np.divmod(pairs, matrix.shape[0] + 1)
    bounds = np.searchsorted(docs, np.arange(len(index._docs) + 1))
    with conn.cursor() as cur, cur.copy("COPY search_doc_terms_new (d, tids) FROM STDIN") as copy:
        for d in range(len(index._docs)):
            copy.write_row((d, terms[bounds[d] : bounds[d + 1]].tolist()))


def _prune(matrix: Any) -> tuple[tuple[tuple[Any, Any, Any], tuple[Any, Any, Any]], Any]:
    """The postings of ``matrix`` (terms × passages) split into each term's heaviest (``kept``) and the rest,
    and each term's floor: the lightest weight it keeps (0 when it keeps every posting)."""
    keep_n = kept(matrix.shape[1])
    counts = np.diff(matrix.indptr)
    tids = np.repeat(np.arange(matrix.shape[0], dtype=np.int32), counts)
    pidx = matrix.indices.astype(np.int32)
    w = matrix.data.astype(np.float32)
    keep = np.ones(len(w), dtype=np.bool_)
    floors = np.zeros(matrix.shape[0], dtype=np.float32)
    for t in np.flatnonzero(counts > keep_n).tolist():
        lo, hi = int(matrix.indptr[t]), int(matrix.indptr[t + 1])
        order = np.argsort(-w[lo:hi], kind="stable")
        keep[lo + order[keep_n:]] = False
        floors[t] = w[lo + order[keep_n - 1]]
    return ((tids[keep], pidx[keep], w[keep]), (tids[~keep], pidx[~keep], w[~keep])), floors
