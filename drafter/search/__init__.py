"""Search over passages: a persisted TF-IDF index with frames and near-duplicate collapsing.

In: ``(Passage, DocMeta)`` items, a ``Tokenizer`` and an index folder. Out: ``Hit`` models
(``searcher.Searcher.search``). ``index`` builds and scores, ``counts`` counts terms (in worker
processes on a big corpus), ``store`` saves and loads, ``dedup`` finds copies, ``frames`` turns a
sentence into a reusable frame.
"""
