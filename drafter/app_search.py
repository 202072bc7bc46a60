"""The searchers the application object wires on a corpus: the embedded index kept beside an SQLite file, or
the index inside a PostgreSQL database (``Drafter.searcher`` picks one)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from drafter.models import Passage

if TYPE_CHECKING:
    from drafter.corpus.postgres import PgCorpus
    from drafter.corpus.protocol import CorpusStore
    from drafter.corpus.store import Corpus
    from drafter.search.meta import DocMeta
    from drafter.search.pg_search import PgSearcher
    from drafter.search.searcher import Searcher
    from drafter.text.tokens import Tokenizer

__all__ = ["corpus_searcher", "database_searcher", "index_items"]


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
    )


def index_items(corpus: CorpusStore) -> Iterator[tuple[Passage, DocMeta]]:
    """Every passage of ``corpus`` with what a hit shows of its document (one object per document)."""
    from drafter.search.meta import DocMeta  # lazy: start-up

    metas: dict[str, DocMeta] = {}
    for passage, doc in corpus.passages():
        meta = metas.get(doc.id)
        if meta is None:
            meta = metas[doc.id] = DocMeta(
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
        yield passage, meta


def database_searcher(corpus: PgCorpus) -> PgSearcher:
    """The searcher whose index lives in ``corpus``'s PostgreSQL database (no per-process index): it reads
    the corpus's state and the related terms' version in its ranking statement."""
    from drafter.corpus.pg_pool import STATE_SQL, blob_version_sql, fingerprint_of  # lazy: start-up
    from drafter.search.pg_search import CorpusState, PgSearcher  # lazy: start-up
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
    return PgSearcher(corpus.pool, lambda: index_items(corpus), state, default_tokenizer())
