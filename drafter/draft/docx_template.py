"""The export's template kept between runs: the empty document (page, named styles, page numbers, an empty
comments part) as Word file bytes in Drafter's cache.

Building it sets up every style and saves the document twice: a third of a cold export. The bytes depend
only on the code that builds them, so the file is named by a hash of this package's Word modules, python-docx,
lxml and Python: any change to them builds it anew. A file that cannot be read or opened is built again
(and a folder that cannot be written only costs the building, as before).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
import tempfile
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import docx
import lxml.etree
from docx.oxml.ns import qn

from drafter.draft.docx_styles import setup_page, setup_page_numbers, setup_styles
from drafter.resources import cache_dir

SOURCES = ("docx.py", "docx_styles.py", "docx_template.py")
"""The modules whose code makes the template (the writer's too: it decides what the template must hold)."""
PARTS = ("word/document.xml", "word/styles.xml", "word/comments.xml", "[Content_Types].xml")
"""Files a kept template must hold to be used."""


@lru_cache(maxsize=1)
def skeleton() -> bytes:
    """An empty document with the page, the named styles and the page numbers, saved once per process:
    reopening it costs a fraction of setting the styles up again for every export."""
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    _trim_template(document)
    setup_styles(document, keep_existing=False)
    setup_page(document.sections[0])
    setup_page_numbers(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def template_bytes() -> bytes:
    """The skeleton with its comments part made (as the first comment of an export would make it), saved."""
    document = docx.Document(io.BytesIO(skeleton()))
    document.comments  # noqa: B018 (made now)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _trim_template(document: Any) -> None:
    """Drop what python-docx's template carries and a draft never uses, which every export would otherwise
    parse, serialise and compress again (nine tenths of the file's XML): the copy of the styles for Word
    2010 (``stylesWithEffects.xml``, optional), the thumbnail and the 140 table styles but the default."""
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.drop_rel(rel_id)
    package_rels = part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rel_id]
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:default")) not in ("1", "true"):
            styles.remove(style)


def kept_template(build: Callable[[], bytes]) -> bytes:
    """The template's bytes from the cache, else ``build()`` (then kept)."""
    key = _key()
    if key is None:
        return build()
    path = cache_dir() / f"docx-template-{key}.docx"
    with contextlib.suppress(OSError, zipfile.BadZipFile):
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if all(name in archive.namelist() for name in PARTS) and archive.testzip() is None:
                return data
    data = build()
    _write(path, data)
    return data


def _key() -> str | None:
    """What the template is made of, hashed; ``None`` when this package's source cannot be read."""
    digest = hashlib.sha256()
    for part in (docx.__version__, lxml.etree.__version__, sys.version):
        digest.update(f"{part}\0".encode())
    folder = Path(__file__).parent
    try:
        for name in SOURCES:
            digest.update((folder / name).read_bytes())
    except OSError:
        return None
    return digest.hexdigest()[:16]


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (never fails: the cache is optional)."""
    with contextlib.suppress(OSError):
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
