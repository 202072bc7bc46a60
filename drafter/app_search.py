"""The searchers the application object wires on a corpus: the embedded index kept beside an SQLite file, or
the index inside a PostgreSQL database (``Drafter.searcher`` picks one)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING

from drafter.errors import DrafterError
from drafter.models import DocSummary, Passage

if TYPE_CHECKING:
    from drafter.corpus.postgres import PgCorpus
    from drafter.corpus.protocol import CorpusStore
    from drafter.corpus.store import Corpus
    from drafter.search.index import SearchIndex
    from drafter.search.meta import DocMeta
    from drafter.search.pg_search import PgSearcher
    from drafter.search.searcher import Searcher
    from drafter.text.tokens import Tokenizer

__all__ = ["corpus_searcher", "database_searcher", "documents_items", "increment_index", "index_items"]


def corpus_searcher(corpus: Corpus, tokenizer: Tokenizer | None = None) -> Searcher:
    """The searcher over ``corpus``, its index kept in ``corpus.index_dir``.

    The index is also rebuilt when the tokenizer's user dictionary changes (it decides the terms).
    """
    from drafter.search.searcher import RELATED_BLOB, Searcher  # lazy: start-up
    from drafter.text.tokens import default_tokenizer, user_dictionary_path  # lazy: start-up

    if tokenizer is None:
        tokenizer = default_tokenizer()
        userdict = user_dictionary_path()
        dictionary = hashlib.sha256(userdict.read_bytes()).hexdigest()[:12] if userdict.is_file() else "-"
    else:
        dictionary = type(tokenizer).__name__

    return Searcher(
        lambda: index_items(corpus),
        lambda: f"{corpus.fingerprint()}:{dictionary}",
        corpus.index_dir,
        tokenizer,
        related=(lambda: corpus.blob_version(RELATED_BLOB), lambda: corpus.load_blob(RELATED_BLOB)),
        increment=partial(increment_index, corpus, dictionary),
    )


def increment_index(
    corpus: CorpusStore, dictionary: str, index: SearchIndex, fingerprint: str
) -> SearchIndex | None:
    """``index`` brought up to ``corpus`` as it is now by adding and removing only the documents that changed
    (``drafter.search.increment``); ``None`` when it must be rebuilt (another user dictionary cut its terms,
    or too much was added since it was built)."""
    from drafter.search.increment import Changes, extend, indexed_ids  # lazy: start-up

    if index.fingerprint.rpartition(":")[2] != dictionary:
        return None
    have = indexed_ids(index)
    summaries = corpus.summaries()  # after the fingerprint was read: never older than it
    metas = {s.id: doc_meta(s) for s in summaries}
    try:
        added = [(p, metas[s.id]) for s in summaries if s.id not in have for p in corpus.get(s.id).passages]
    except DrafterError:  # removed meanwhile: the next search sees the new fingerprint and updates again
        return None
    return extend(index, Changes(added, frozenset(have - metas.keys()), metas), fingerprint)


def doc_meta(doc: DocSummary) -> DocMeta:
    """What the index keeps of a document for its hits."""
    from drafter.search.meta import DocMeta  # lazy: start-up

    return DocMeta(
        doc.title,
        doc.source,
        doc.kind,
        doc.year,
        doc.unit,
        doc.sources,
        doc.level,
        doc.owner_unit,
        doc.visibility,
    )


def index_items(corpus: CorpusStore) -> Iterator[tuple[Passage, DocMeta]]:
    """Every passage of ``corpus`` with what a hit shows of its document (one object per document)."""
    metas: dict[str, DocMeta] = {}
    for passage, doc in corpus.passages():
        meta = metas.get(doc.id)
        if meta is None:
            meta = metas[doc.id] = doc_meta(doc)
        yield passage, meta


def database_searcher(corpus: PgCorpus) -> PgSearcher:
    """The searcher whose index lives in ``corpus``'s PostgreSQL database (no per-process index): it reads
    the corpus's state and the related terms' version in its ranking statement."""
    from drafter.corpus.pg_pool import STATE_SQL, blob_version_sql, fingerprint_of  # lazy: start-up
    from drafter.search.pg_search import PgSearcher  # lazy: start-up
    from drafter.search.pg_sql import CorpusState  # lazy: start-up
    from drafter.search.searcher import RELATED_BLOB  # lazy: start-up
    from drafter.text.tokens import default_tokenizer, user_dictionary_path  # lazy: start-up

    userdict = user_dictionary_path()
    dictionary = hashlib.sha256(userdict.read_bytes()).hexdigest()[:12] if userdict.is_file() else "-"
    state = CorpusState(
        STATE_SQL,
        lambda value: f"{fingerprint_of(value)}:{dictionary}",
        blob_version_sql(RELATED_BLOB),
        lambda: (corpus.blob_version(RELATED_BLOB), corpus.load_blob(RELATED_BLOB)),
    )
    return PgSearcher(
        corpus.pool,
        lambda: index_items(corpus),
        state,
        default_tokenizer(),
        documents=partial(documents_items, corpus),
    )


def documents_items(corpus: CorpusStore, ids: Sequence[str]) -> Iterator[tuple[Passage, DocMeta]]:
    """The passages of the documents ``ids`` (those still stored) with what a hit shows of each."""
    wanted = set(ids)
    for summary in corpus.summaries():
        if summary.id in wanted:
            try:
                doc = corpus.get(summary.id)
            except DrafterError:  # removed meanwhile: the tables skip it
                continue
            meta = doc_meta(summary)
            for passage in doc.passages:
                yield passage, meta
