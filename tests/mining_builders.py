"""Builders for phrase-mining tests: hand-made reports with a preamble, parts, sections and a closing."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from drafter.models import DocKind, Document, Part, Passage, Phrase, PhraseBank, PhraseCategory
from drafter.phrases.bank import mine
from drafter.phrases.curated import Curated
from drafter.text.tokens import JiebaTokenizer, user_dictionary_path
from tests.builders import make_document


@lru_cache(maxsize=1)
def tokenizer() -> JiebaTokenizer:
    """One tokenizer with the shipped user dictionary for all mining tests (jieba loads once)."""
    return JiebaTokenizer(user_dictionary_path())


def report(
    title: str,
    parts: list[tuple[str, Part, list[tuple[str, str]]]],
    *,
    preamble: str = "",
    closing: str = "",
    kind: DocKind = "annual",
) -> Document:
    """``make_document`` plus an optional preamble paragraph (before all headings) and closing paragraph."""
    doc = make_document(title, parts, kind=kind)
    passages = list(doc.passages)
    if preamble:
        passages.insert(0, Passage(f"{doc.id}-pre", doc.id, 0, preamble, section=-1, start=0, end=0))
    if closing:
        end = len(doc.text)
        passages.append(
            Passage(f"{doc.id}-end", doc.id, len(passages), closing, section=-1, start=end, end=end)
        )
    return replace(doc, title=title, passages=tuple(passages))


def summary_plan(
    title: str, summary: list[tuple[str, str]], plan: list[tuple[str, str]], **kw: str
) -> Document:
    """A yearly report: 一、工作总结 with ``summary`` sections, 二、工作思路 with ``plan`` sections."""
    return report(
        title,
        [("2024年工作总结", "summary", summary), ("2025年工作思路", "plan", plan)],
        preamble=kw.get("preamble", ""),
        closing=kw.get("closing", ""),
    )


def mined(docs: list[Document], curated: Curated | None = None) -> PhraseBank:
    """The phrase bank ``mine`` makes of ``docs`` with the shared tokenizer."""
    return mine(docs, tokenizer(), curated)


def in_bank(bank: PhraseBank, *categories: PhraseCategory) -> dict[str, Phrase]:
    """The bank's phrases of ``categories`` by pattern."""
    return {p.pattern: p for p in bank.phrases if p.category in categories}


def one_section(title: str, part: Part, body: str, heading: str = "推进重点工作") -> Document:
    """A report with one part holding one section whose body is ``body`` (one paragraph per line)."""
    return report(title, [("一年来的工作", part, [(heading, body)])])
