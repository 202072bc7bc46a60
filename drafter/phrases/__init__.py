"""The phrase bank: formulas with slots mined from the corpus, ranked, encoded, curated.

In: ``Document`` models and a ``Tokenizer``. Out: a ``PhraseBank`` model (``bank.mine``), its JSON text
(``codec``), the curated file applied (``curated``). One miner per concept: ``openers``, ``frames``,
``results``, ``figures``, ``enumerations``, over the ``units`` of each document, counted in ``tally``
and scored in ``patterns``.
"""
