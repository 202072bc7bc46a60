"""What exports keep for the next ones (elements, the template's compressed files): the file of a draft is
the same whether earlier exports left anything or not."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from dataclasses import replace

import docx
import pytest

from drafter.draft import docx as module
from drafter.draft import docx_kept as kept
from drafter.draft.compose import compose
from drafter.draft.docx import draft_to_bytes
from drafter.draft.docx_zip import archive, member
from drafter.models import Draft, DraftNode
from tests.draft_builders import KEJI, FakeSearch, example_form, make_bank


def files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        assert opened.testzip() is None
        return {name: opened.read(name) for name in opened.namelist()}


def at(when: dt.datetime) -> type:
    class Clock:
        UTC = dt.UTC

        class datetime:
            @staticmethod
            def now(tz: dt.tzinfo | None = None) -> dt.datetime:
                return when

    return Clock


def shuffled(draft: Draft) -> Draft:
    """``draft`` with its first section's references dropped, every other section's in reverse order and
    the sections' paragraphs changed: the same comments at other places, under other ids."""

    dropped: list[DraftNode] = []

    def walk(nodes: tuple[DraftNode, ...]) -> tuple[DraftNode, ...]:
        out = []
        for node in nodes:
            refs = node.references[::-1]
            if refs and not dropped:
                dropped.append(node)
                refs = ()
            paragraphs = tuple(f"{p}（改）" for p in node.paragraphs)
            out.append(replace(node, references=refs, paragraphs=paragraphs, children=walk(node.children)))
        return tuple(out)

    return replace(draft, nodes=walk(draft.nodes))


def test_a_draft_exported_after_others_is_the_file_made_with_nothing_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = compose(example_form(KEJI), make_bank(), FakeSearch())
    second = shuffled(first)
    monkeypatch.setattr(module, "dt", at(dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)))
    draft_to_bytes(first)  # keeps its paragraphs and comments
    assert len(kept.comments) >= 10
    monkeypatch.setattr(module, "dt", at(dt.datetime(2026, 6, 7, 8, 9, 10, tzinfo=dt.UTC)))
    after = files(draft_to_bytes(second))
    for elements in (kept.paragraphs, kept.comments, kept.marks):
        elements.clear()
    anew = files(draft_to_bytes(second))
    assert after == anew
    comments = after["word/comments.xml"].decode()
    ids = [int(n) for n in re.findall(r'<w:comment [^>]*w:id="(\d+)"', comments)]
    assert ids == list(range(len(ids)))
    assert set(re.findall(r'w:date="([^"]*)"', comments)) == {"2026-06-07T08:09:10Z"}  # this export's
    changed = [
        p for node in second.nodes for child in node.children for p in child.paragraphs if "（改）" in p
    ]
    assert changed  # a paragraph not kept from the first draft, written as this draft has it
    assert changed[0] in [p.text for p in docx.Document(io.BytesIO(draft_to_bytes(second))).paragraphs]


def test_the_archive_is_the_file_zipfile_writes() -> None:
    parts = [
        ("[Content_Types].xml", b"<Types/>" * 50),
        ("word/document.xml", "正文".encode() * 999),
        ("空.txt", b""),
    ]
    when = time.mktime((2025, 3, 4, 5, 6, 8, 0, 0, -1))
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=time.localtime(when)[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            out.writestr(info, data)
    assert archive([member(name, data) for name, data in parts], when) == written.getvalue()
