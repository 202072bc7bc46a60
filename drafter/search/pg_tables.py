"""The search tables inside PostgreSQL: their layout, their state row, and the triggers that keep them in step
with the corpus's ``documents`` table in the corpus's own transaction.

``search_terms`` (term, tid, idf, floor: the lightest weight a pruned term keeps in ``search_impact``),
``search_docs`` (one row per document; its passages are pidx ``lo … hi - 1``, with who may see it),
``search_passages`` (what a hit shows, with its frame and copy prints prepared as the embedded index prepares
them, the copy group and its 60-bit dedup ``key``), ``search_doc_terms``
(each document's term ids: its postings are found by index without cutting its text again),
``search_impact`` / ``search_rest`` (the postings, each term's heaviest and the rest) and ``search_state``
(what the tables were built from: the corpus fingerprint, the weighting statistics, the next free ids).

Triggers keep what a search may show exact at every commit, whoever changes the corpus: a document made
private or shared changes its ``search_docs`` row, a removed document loses its rows and postings, a known
document seen in one more file lists it among its sources, each in the transaction that changed the corpus. Added documents are written by
``drafter.search.pg_update`` (they need the tokenizer). The functions name the tables at run time
(``EXECUTE``), so they act on whichever tables a rebuild swapped in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

PRUNE = (250, 1000)
"""Postings kept per term in ``search_impact`` (the least and the most); the rest go to ``search_rest``, read
to rescore the best candidates exactly and under filters. Summing the kept postings is most of a search's
time in the database, and fewer make fewer passages candidates: over the external corpus (37k passages)
250 gave the same hit@5 and MRR@10 as 1,000 on every evaluation set (100 did not), over its ten-district
city (370k passages, near-copies crowding each term's heaviest postings) 250 lost on four sets and 1,000
did not (``benchmarks/bench_postgres.py``). Between them the cut grows with the passages (``PRUNE_SHARE``)."""
PRUNE_SHARE = 150
"""One posting kept per this many passages (within ``PRUNE``)."""
TABLES_FORMAT = "pg4"
"""Changed whenever these tables' layout changes: the built fingerprint carries it, so a new layout rebuilds."""
BUILD_LOCK = 0x64726166746573  # the advisory lock a full build holds (one builder at a time)
UPDATE_LOCK = 0x64726166746575  # the transaction lock every write of the tables' rows takes (and the swap)
TABLES = (
    "search_terms",
    "search_docs",
    "search_passages",
    "search_doc_terms",
    "search_impact",
    "search_rest",
)

STATE_DDL = """CREATE UNLOGGED TABLE IF NOT EXISTS search_state (
    id INTEGER PRIMARY KEY CHECK (id = 1), fingerprint TEXT NOT NULL, built TIMESTAMPTZ NOT NULL DEFAULT now(),
    passages INTEGER NOT NULL, max_idf REAL NOT NULL)"""
STATE_COLUMNS = (
    "pivot REAL",
    "base INTEGER",
    "changed INTEGER",
    "next_tid INTEGER",
    "next_pidx INTEGER",
    "next_d INTEGER",
    "next_grp INTEGER",
)
"""Added to ``search_state`` (on a table an earlier version made too): the pivot and passage count the idf
came from, passages added or removed since, and the next term, passage, document and group ids."""

POSTING = "(tid INTEGER NOT NULL, pidx INTEGER NOT NULL, w REAL NOT NULL, d INTEGER NOT NULL, part SMALLINT NOT NULL)"
DDL = {
    "search_terms": "(term TEXT NOT NULL, tid INTEGER NOT NULL, idf REAL NOT NULL, floor REAL NOT NULL DEFAULT 0)",
    "search_docs": (
        "(d INTEGER NOT NULL, doc_id TEXT NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, kind TEXT NOT NULL, "
        "year INTEGER, unit TEXT, level TEXT NOT NULL, title TEXT NOT NULL, source TEXT NOT NULL, "
        "sources TEXT[] NOT NULL, owner_unit TEXT NOT NULL DEFAULT '', visibility TEXT NOT NULL DEFAULT 'shared')"
    ),
    "search_passages": (
        "(pidx INTEGER NOT NULL, passage_id TEXT NOT NULL, d INTEGER NOT NULL, part TEXT NOT NULL, "
        "grp INTEGER NOT NULL, gsize INTEGER NOT NULL, heading TEXT NOT NULL, text TEXT NOT NULL, "
        "key BIGINT NOT NULL, frame TEXT NOT NULL, head TEXT NOT NULL, tail TEXT NOT NULL)"
    ),
    "search_doc_terms": "(d INTEGER NOT NULL, tids INTEGER[] NOT NULL)",
    # postings carry their passage's document and part, so filters need no join before the ranking
    "search_impact": POSTING,
    "search_rest": POSTING,
}
INDEXES = {
    "search_terms": ("CREATE UNIQUE INDEX {t}_term ON {t} (term) INCLUDE (tid, idf)",),
    "search_docs": ("CREATE UNIQUE INDEX {t}_d ON {t} (d)", "CREATE UNIQUE INDEX {t}_doc ON {t} (doc_id)"),
    "search_passages": (
        "CREATE UNIQUE INDEX {t}_pidx ON {t} (pidx)",
        "CREATE INDEX {t}_grp ON {t} (grp) WHERE gsize > 1",
        "CREATE INDEX {t}_key ON {t} (key)",
    ),
    "search_doc_terms": ("CREATE UNIQUE INDEX {t}_d ON {t} (d)",),
    "search_impact": ("CREATE INDEX {t}_tid ON {t} (tid, pidx) INCLUDE (w, d, part)",),
    "search_rest": ("CREATE INDEX {t}_tid ON {t} (tid, pidx) INCLUDE (w, d, part)",),
}

FUNCTIONS_VERSION = 2
DROP_FUNCTION = f"drafter_search_drop_v{FUNCTIONS_VERSION}"
TRIGGER = f"drafter_search_v{FUNCTIONS_VERSION}"
SOURCES_TRIGGER = f"drafter_search_sources_v{FUNCTIONS_VERSION}"
_FUNCTIONS = (
    f"""CREATE OR REPLACE FUNCTION {DROP_FUNCTION}(sfx TEXT, doc TEXT) RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE r RECORD; tids INTEGER[]; n INTEGER := 0;
BEGIN
    IF to_regclass('search_docs' || sfx) IS NULL OR to_regclass('search_doc_terms' || sfx) IS NULL THEN
        RETURN 0;  -- never built, or tables of an earlier layout being rebuilt aside (caught up at the swap)
    END IF;
    FOR r IN EXECUTE format('DELETE FROM search_docs%s WHERE doc_id = $1 RETURNING d, lo, hi', sfx) USING doc LOOP
        EXECUTE format('DELETE FROM search_doc_terms%s WHERE d = $1 RETURNING tids', sfx) INTO tids USING r.d;
        EXECUTE format('DELETE FROM search_impact%s WHERE tid = ANY($1) AND pidx >= $2 AND pidx < $3', sfx)
            USING tids, r.lo, r.hi;
        EXECUTE format('DELETE FROM search_rest%s WHERE tid = ANY($1) AND pidx >= $2 AND pidx < $3', sfx)
            USING tids, r.lo, r.hi;
        EXECUTE format('DELETE FROM search_passages%s WHERE pidx >= $1 AND pidx < $2', sfx) USING r.lo, r.hi;
        n := n + r.hi - r.lo;
    END LOOP;
    IF sfx = '' AND n > 0 AND to_regclass('search_state') IS NOT NULL THEN
        UPDATE search_state SET passages = passages - n, changed = coalesce(changed, 0) + n WHERE id = 1;
    END IF;
    RETURN n;
END $$""",
    f"""CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM {DROP_FUNCTION}('', OLD.id);
        RETURN OLD;
    END IF;
    IF to_regclass('search_docs') IS NOT NULL THEN
        EXECUTE 'UPDATE search_docs SET owner_unit = $1, visibility = $2 WHERE doc_id = $3'
            USING NEW.owner_unit, NEW.visibility, NEW.id;
    END IF;
    RETURN NEW;
END $$""",
    f"""CREATE TRIGGER {TRIGGER} AFTER UPDATE OF owner_unit, visibility OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()""",
    f"""CREATE OR REPLACE FUNCTION {SOURCES_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE doc TEXT := CASE WHEN TG_OP = 'DELETE' THEN OLD.doc_id ELSE NEW.doc_id END;
BEGIN
    IF to_regclass('search_docs') IS NOT NULL THEN
        EXECUTE 'UPDATE search_docs SET sources = ARRAY(SELECT source FROM sources WHERE doc_id = $1 ORDER BY seq) '
            'WHERE doc_id = $1' USING doc;
    END IF;
    RETURN NULL;
END $$""",
    f"""CREATE TRIGGER {SOURCES_TRIGGER} AFTER INSERT OR DELETE ON sources
    FOR EACH ROW EXECUTE FUNCTION {SOURCES_TRIGGER}()""",
)
_EARLIER = tuple(
    statement
    for version in range(1, FUNCTIONS_VERSION)
    for statement in (
        f"DROP TRIGGER IF EXISTS drafter_search_v{version} ON documents",
        f"DROP TRIGGER IF EXISTS drafter_search_sources_v{version} ON sources",
        f"DROP FUNCTION IF EXISTS drafter_search_v{version}()",
        f"DROP FUNCTION IF EXISTS drafter_search_sources_v{version}()",
        f"DROP FUNCTION IF EXISTS drafter_search_drop_v{version}(TEXT, TEXT)",
    )
)
"""What an earlier version installed, replaced by this one's functions."""


def kept(passages: int) -> int:
    """How many postings each term keeps in ``search_impact`` over ``passages`` passages (``PRUNE``)."""
    least, most = PRUNE
    return min(most, max(least, passages // PRUNE_SHARE))


def ensure_state(conn: Any) -> None:
    """Create the build-state table and the triggers on ``documents`` (once; idempotent). The state is
    unlogged like the tables it describes: a crash empties them all, and an empty state means "never built"."""
    conn.execute(STATE_DDL)
    if conn.execute(
        "SELECT relpersistence = 'p' FROM pg_class WHERE oid = 'search_state'::regclass"
    ).fetchone()[0]:
        conn.execute("ALTER TABLE search_state SET UNLOGGED")  # built by an earlier version
    have = {
        str(r[0])
        for r in conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'search_state'::regclass AND attnum > 0"
        )
    }
    for column in STATE_COLUMNS:
        if column.split()[0] not in have:
            conn.execute(f"ALTER TABLE search_state ADD COLUMN IF NOT EXISTS {column}")
    installed = conn.execute(
        "SELECT to_regclass('documents') IS NULL OR EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = %s)",
        (TRIGGER,),
    ).fetchone()[0]
    if not installed:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (UPDATE_LOCK,))
            if not conn.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = %s)", (TRIGGER,)
            ).fetchone()[0]:
                for statement in (*_EARLIER, *_FUNCTIONS):
                    conn.execute(statement)


def built_fingerprint(conn: Any) -> str | None:
    """The fingerprint the search tables were built from (None before the first build)."""
    if not conn.execute("SELECT to_regclass('search_state') IS NOT NULL").fetchone()[0]:
        return None
    row = conn.execute("SELECT fingerprint FROM search_state WHERE id = 1").fetchone()
    return None if row is None else str(row[0])


@dataclass
class TableState:
    """What the tables hold and how more is weighed into them (one row of ``search_state``, or the state of
    tables being built aside): the passages they hold, the pivot and passage count their idf came from,
    passages added or removed since, the largest idf and the next free ids."""

    fingerprint: str
    passages: int
    max_idf: float
    pivot: float
    base: int
    changed: int
    next_tid: int
    next_pidx: int
    next_d: int
    next_grp: int

    def write(self, conn: Any) -> None:
        """Store this state as the live tables' (``search_state``)."""
        conn.execute(
            "INSERT INTO search_state (id, fingerprint, passages, max_idf, pivot, base, changed, next_tid, "
            "next_pidx, next_d, next_grp) VALUES (1, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, built = now(), "
            "passages = excluded.passages, max_idf = excluded.max_idf, pivot = excluded.pivot, "
            "base = excluded.base, changed = excluded.changed, next_tid = excluded.next_tid, "
            "next_pidx = excluded.next_pidx, next_d = excluded.next_d, next_grp = excluded.next_grp",
            (
                self.fingerprint,
                self.passages,
                self.max_idf,
                self.pivot,
                self.base,
                self.changed,
                self.next_tid,
                self.next_pidx,
                self.next_d,
                self.next_grp,
            ),
        )


def read_state(conn: Any) -> TableState | None:
    """The live tables' state; None when never built, or built by a version that kept no statistics."""
    if not conn.execute("SELECT to_regclass('search_state') IS NOT NULL").fetchone()[0]:
        return None
    row = conn.execute("SELECT to_jsonb(s)::text FROM search_state s WHERE id = 1").fetchone()
    if row is None:
        return None
    values = json.loads(row[0])
    names = ("passages", "max_idf", "pivot", "base", "changed", "next_tid", "next_pidx", "next_d", "next_grp")
    if any(values.get(name) is None for name in names):
        return None  # an earlier layout, without the statistics: rebuilt, never added to
    return TableState(
        str(values["fingerprint"]),
        int(values["passages"]),
        float(values["max_idf"]),
        float(values["pivot"]),
        *(int(values[name]) for name in names[3:]),
    )


def copy_postings(conn: Any, table: str, tids: Any, pidx: Any, w: Any, docs: Any, parts: Any) -> None:
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
