"""The corpus store: documents, passages, sources and the stored phrase bank in one SQLite file.

In: ``Document`` models and the phrase bank as opaque JSON text. Out: ``Document``/``Passage`` models,
``DocSummary`` rows, fingerprints. It never parses files nor the bank (``files`` checks a path is a
corpus, ``rows`` maps models to tables).
"""
