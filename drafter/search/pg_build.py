"""Writing the search index into PostgreSQL: the embedded index's own weights as an impact table.

The weights are computed exactly as for the embedded index (``SearchIndex.build``: jieba words plus
character bigrams, sublinear tf-idf, pivoted l2 norm); each non-zero ``(term, passage, weight)`` becomes a
posting. ``search_impact`` keeps, per term, its ``PRUNE`` heaviest postings (every posting of a rarer term):
an unfiltered query reads only these. ``search_rest`` keeps the postings pruned off, read together with
``search_impact`` when a filter (unit, year, kind, level) may leave few passages. Tables are built under new
names with binary COPY (unlogged: derived data writes no WAL; a crash empties them with their state, and
the next search rebuilds), indexed after the load and swapped in in one transaction, so searches keep answering from the previous
tables while a build runs; an advisory lock makes one web worker build and the others wait or answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from drafter.models import DOC_KINDS, PARTS, Passage
from drafter.search.index import SearchIndex
from drafter.search.meta import DocMeta
from drafter.text.levels import LEVELS
from drafter.text.tokens import Tokenizer

log = logging.getLogger(__name__)

PRUNE = 1000
"""Postings kept per term in ``search_impact``; the rest go to ``search_rest`` (read under filters)."""
TABLES_FORMAT = "pg2"
"""Changed whenever these tables' layout changes: the built fingerprint carries it, so a new layout rebuilds."""
BUILD_LOCK = 0x64726166746573  # the advisory lock a build holds
TABLES = ("search_terms", "search_docs", "search_passages", "search_impact", "search_rest")

STATE_DDL = """CREATE UNLOGGED TABLE IF NOT EXISTS search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1), fingerprint TEXT NOT NULL, built TIMESTAMPTZ NOT NULL DEFAULT now(),
    passages INTEGER NOT NULL, max_idf REAL NOT NULL)"""

POSTING = "(tid INTEGER NOT NULL, pidx INTEGER NOT NULL, w REAL NOT NULL, d INTEGER NOT NULL, part SMALLINT NOT NULL)"
DDL = {
    "search_terms": "(term TEXT NOT NULL, tid INTEGER NOT NULL, idf REAL NOT NULL)",
    # one row per document; its passages are pidx lo … hi - 1 (contiguous: items are grouped by document)
    "search_docs": (
        "(d INTEGER NOT NULL, doc_id TEXT NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, kind TEXT NOT NULL, "
        "year INTEGER, unit TEXT, level TEXT NOT NULL, title TEXT NOT NULL, source TEXT NOT NULL, "
        "sources TEXT[] NOT NULL, owner_unit TEXT NOT NULL DEFAULT '', visibility TEXT NOT NULL DEFAULT 'shared')"
    ),
    "search_passages": (
        "(pidx INTEGER NOT NULL, passage_id TEXT NOT NULL, d INTEGER NOT NULL, part TEXT NOT NULL, "
        "grp INTEGER NOT NULL, gsize INTEGER NOT NULL, heading TEXT NOT NULL, text TEXT NOT NULL)"
    ),
    # postings carry their passage's document and part, so filters need no join before the ranking
    "search_impact": POSTING,
    "search_rest": POSTING,
}
INDEXES = {
    "search_terms": ("CREATE UNIQUE INDEX {t}_term ON {t} (term) INCLUDE (tid, idf)",),
    "search_docs": ("CREATE UNIQUE INDEX {t}_d ON {t} (d)",),
    "search_passages": (
        "CREATE UNIQUE INDEX {t}_pidx ON {t} (pidx)",
        "CREATE INDEX {t}_grp ON {t} (grp) WHERE gsize > 1",
    ),
    "search_impact": ("CREATE INDEX {t}_tid ON {t} (tid, pidx) INCLUDE (w, d, part)",),
    "search_rest": ("CREATE INDEX {t}_tid ON {t} (tid, pidx) INCLUDE (w, d, part)",),
}


def ensure_state(conn: Any) -> None:
    """Create the build-state table (once; idempotent), unlogged like the tables it describes: a crash
    empties them all, and an empty state means "never built" (the next search rebuilds)."""
    conn.execute(STATE_DDL)
    if conn.execute(
        "SELECT relpersistence = 'p' FROM pg_class WHERE oid = 'search_state'::regclass"
    ).fetchone()[0]:
        conn.execute("ALTER TABLE search_state SET UNLOGGED")  # built by an earlier version


def built_fingerprint(conn: Any) -> str | None:
    """The fingerprint the search tables were built from (None before the first build)."""
    if not conn.execute("SELECT to_regclass('search_state') IS NOT NULL").fetchone()[0]:
        return None
    row = conn.execute("SELECT fingerprint FROM search_state WHERE id = 1").fetchone()
    return None if row is None else str(row[0])


def build(
    pool: Any,
    items: Callable[[], Iterable[tuple[Passage, DocMeta]]],
    tokenizer: Tokenizer,
    fingerprint: str,
    *,
    wait: bool = True,
) -> bool:
    """Build the index of ``items()`` and swap it in, unless another worker built ``fingerprint``
    meanwhile; without ``wait``, nothing when another worker is building. Whether this call built it."""
    with pool.connection() as conn:
        if wait:
            conn.execute("SELECT pg_advisory_lock(%s)", (BUILD_LOCK,))
        elif not conn.execute("SELECT pg_try_advisory_lock(%s)", (BUILD_LOCK,)).fetchone()[0]:
            return False
        try:
            ensure_state(conn)
            if built_fingerprint(conn) == fingerprint:
                return False
            index = SearchIndex.build(_grouped(items()), tokenizer, fingerprint=fingerprint)
            _write(conn, index, fingerprint)
            return True
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (BUILD_LOCK,))


def _write(conn: Any, index: SearchIndex, fingerprint: str) -> None:
    """Fill new tables from ``index``, then swap them in with the new state in one transaction."""
    for table in TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}_new")
        conn.execute(f"CREATE UNLOGGED TABLE {table}_new {DDL[table]}")  # derived data: no WAL to write
    import scipy.sparse as sp  # lazy: building only (a search needs no scipy)

    matrix = sp.csr_matrix(
        (index._data, index._indices, index._indptr), shape=index._shape
    )  # terms × passages
    matrix.sort_indices()
    vocabulary = index._vocabulary
    with conn.cursor() as cur, cur.copy("COPY search_terms_new (term, tid, idf) FROM STDIN") as copy:
        for tid, term in enumerate(vocabulary):
            copy.write_row((term, tid, float(index._idf[tid])))
    _copy_passages(conn, index)
    docs = np.asarray(index._p["doc"], dtype=np.int32)
    parts = np.asarray(index._p["part"], dtype=np.int16)
    for table, (tids, pidx, w) in zip(("search_impact_new", "search_rest_new"), _prune(matrix), strict=True):
        _copy_postings(conn, table, tids, pidx, w, docs[pidx], parts[pidx])
    if conn.execute("SELECT to_regclass('documents') IS NOT NULL").fetchone()[0]:
        conn.execute(  # who may see each document (drafter.corpus's documents table, same database)
            "UPDATE search_docs_new s SET owner_unit = d.owner_unit, visibility = d.visibility "
            "FROM documents d WHERE d.id = s.doc_id"
        )
    for table in TABLES:
        for statement in INDEXES[table]:
            conn.execute(statement.format(t=f"{table}_new"))
        conn.execute(f"VACUUM (ANALYZE) {table}_new")  # the visibility map: index-only scans stay index-only
    max_idf = float(index._idf.max(initial=1.0))
    with conn.transaction():
        for table in TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
            for statement in INDEXES[table]:
                name = statement.split()[2 if "UNIQUE" not in statement else 3].format(t=f"{table}_new")
                conn.execute(f"ALTER INDEX {name} RENAME TO {name.replace('_new', '', 1)}")
        conn.execute(
            "INSERT INTO search_state (id, fingerprint, passages, max_idf) VALUES (1, %s, %s, %s) "
            "ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, built = now(), "
            "passages = excluded.passages, max_idf = excluded.max_idf",
            (fingerprint, len(index), max_idf),
        )


def _grouped(items: Iterable[tuple[Passage, DocMeta]]) -> list[tuple[Passage, DocMeta]]:
    """``items`` with each document's passages together (in their first document's order)."""
    listed = list(items)
    first: dict[str, int] = {}
    for passage, _meta in listed:
        first.setdefault(passage.doc_id, len(first))
    return sorted(listed, key=lambda item: first[item[0].doc_id])


def _copy_passages(conn: Any, index: SearchIndex) -> None:
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
    columns = "pidx, passage_id, d, part, grp, gsize, heading, text"
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
                )
            )


def _prune(matrix: Any) -> tuple[tuple[Any, Any, Any], tuple[Any, Any, Any]]:
    """The postings of ``matrix`` split into each term's ``PRUNE`` heaviest and the rest."""
    counts = np.diff(matrix.indptr)
    tids = np.repeat(np.arange(matrix.shape[0], dtype=np.int32), counts)
    pidx = matrix.indices.astype(np.int32)
    w = matrix.data.astype(np.float32)
    keep = np.ones(len(w), dtype=np.bool_)
    for t in np.flatnonzero(counts > PRUNE).tolist():
        lo, hi = int(matrix.indptr[t]), int(matrix.indptr[t + 1])
        order = np.argsort(-w[lo:hi], kind="stable")
        keep[lo + order[PRUNE:]] = False
    return (tids[keep], pidx[keep], w[keep]), (tids[~keep], pidx[~keep], w[~keep])


def _copy_postings(conn: Any, table: str, tids: Any, pidx: Any, w: Any, docs: Any, parts: Any) -> None:
    """Binary COPY of ``(tid, pidx, w, d, part)`` rows built with numpy (millions of rows a second)."""
    record = np.dtype(
        [
            ("n", ">i2"),
            *(
                pair
                for name in ("tid", "pidx", "w", "d")
                for pair in ((f"l_{name}", ">i4"), (name, ">f4" if name == "w" else ">i4"))
            ),
            ("l_part", ">i4"),
            ("part", ">i2"),
        ]
    )
    rows = np.empty(len(w), dtype=record)
    rows["n"] = 5
    for name in ("tid", "pidx", "w", "d"):
        rows[f"l_{name}"] = 4
    rows["l_part"] = 2
    rows["tid"], rows["pidx"], rows["w"], rows["d"], rows["part"] = tids, pidx, w, docs, parts
    header = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
    columns = "tid, pidx, w, d, part"
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT BINARY)") as copy:
        copy.write(header)
        step = 1_000_000
        for start in range(0, len(rows), step):
            copy.write(rows[start : start + step].tobytes())
        copy.write((-1).to_bytes(2, "big", signed=True))
