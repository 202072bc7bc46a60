"""Word XML made by earlier exports, kept for the next ones: a server's export workers write draft after draft
that share most of their paragraphs and comments (forms differing in one figure, the same references).

A paragraph's element depends only on its text and style id, a reference comment's only on its lines (its
id and date are set on the copy), a comment's range marks only on its id: each is kept as made, and a
later export appends a copy of it, which serialises to the same bytes as one made anew (``tests/draft/
test_docx.py`` compares them). Building the elements through python-docx costs most of an export; so does
looking the styles up by name, done once per styles part (``style_ids``).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

from drafter.draft.docx_styles import BODY_STYLE, HEADING_STYLES, SIGNATURE_STYLE, TITLE_STYLE

PARAGRAPHS = 4096
"""Paragraph elements kept per process (a paragraph is a few hundred bytes of XML)."""
COMMENTS = 2048
"""Comment elements kept per process (a reference's comment is up to a few KB)."""


class Elements:
    """At most ``size`` elements by key; each is handed out as a fresh copy (the kept one never changes)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> Any | None:
        """A copy of the element kept under ``key``, or ``None``."""
        kept = self._items.get(key)
        return None if kept is None else kept.__deepcopy__(None)  # lxml's own copy, without copy's memo

    def put(self, key: Hashable, element: Any) -> None:
        """Keep a copy of ``element`` (as it is now) under ``key``; all are forgotten when ``size`` is reached."""
        kept = element.__deepcopy__(None)
        with self._lock:
            if len(self._items) >= self.size:
                self._items.clear()
            self._items[key] = kept

    def clear(self) -> None:
        """Forget every element."""
        with self._lock:
            self._items.clear()


paragraphs = Elements(PARAGRAPHS)
"""``w:p`` elements by (text, style id)."""
comments = Elements(COMMENTS)
"""``w:comment`` elements by their lines."""
marks = Elements(COMMENTS)
"""The ``w:p`` holding a comment's range start, range end and reference run, by comment id."""


_STYLE_IDS: dict[int, tuple[Any, dict[str, str]]] = {}


def style_ids(document: Any) -> dict[str, str]:
    """The ids of the styles the writer uses, by name (looked up once per styles part: the template's are
    the same for every export, and python-docx looks a name up by a search of the part)."""
    element = document.styles.element
    found = _STYLE_IDS.get(id(element))
    if found is not None and found[0] is element:
        return found[1]
    names = (TITLE_STYLE, BODY_STYLE, SIGNATURE_STYLE, *HEADING_STYLES)
    ids = {name: document.styles[name].style_id for name in names}
    if len(_STYLE_IDS) >= 8:
        _STYLE_IDS.clear()
    _STYLE_IDS[id(element)] = (element, ids)
    return ids
