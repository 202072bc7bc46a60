"""Continuity: last year's report → this year's form, and the predecessor's structure for the next draft.

In: a ``Document`` (read, cleaned and outlined by ingest, handed over by the application object). Out:
form data (a plain mapping the form validates), the figures and targets last year's report states, the
list of what could not be read, and the predecessor's section headings and leads. ``numbers`` reads
numbers and units as written, ``mentions`` finds the quantities of a sentence and ``labels`` names their
indicator, ``parts`` tells which text belongs to which part, ``figures`` gives the figures of the summary
part and ``plans`` the targets and actions of the plan part, ``themes`` the sections and problems,
``reading`` all of it at once, ``prefill`` assembles the form, ``form_yaml`` writes it with comments a
writer reads, ``units`` tells whose report it is, and ``predecessor`` gives the sections a new draft keeps.
"""
