"""Drafting: a ``Form`` → a ``Draft`` tree → a GB/T 9704 Word file.

In: the ``Form`` (``form``), a ``PhraseBank`` and a search callable (``query → [Hit]``). Out: a
``Draft`` model (``compose``) and .docx bytes (``docx`` with ``docx_styles``). ``figures`` words the
numbers, ``themes`` places untagged items, ``headings`` fills opener families, ``templating`` renders
the report kinds' Jinja templates into the outline; ``reuse`` keeps the steps a section's own inputs decide
for the next forms, ``docx_kept`` and ``docx_zip`` what an export can hand the next one.
"""
