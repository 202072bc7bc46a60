"""Ingest: report files → cleaned, split, outlined ``Document`` models → a store.

In: file paths (.txt .md .html .docx .csv .jsonl in UTF-8/GB18030/Big5). Out: ``Document`` models
(``documents``), and with ``run.ingest`` an ``IngestReport`` after handing each document to a
``DocumentSink`` (the corpus, wired by the application object). ``read`` decodes, ``clean`` (with
``chrome``) normalises, ``split`` cuts multi-article pages, ``outline`` and ``describe`` read the
structure and the kind/year/unit.
"""
