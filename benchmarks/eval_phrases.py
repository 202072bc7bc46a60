"""Phrase-bank quality on the seeds: recall of a hand-compiled formula list, and the top 50 judged by reading.

The bank is mined from the bundled sample corpus (examples/corpus, read by the ingest pipeline) with no
curated file: only mined patterns count. Two figures:

- recall against benchmarks/data/phrase_reference.txt (formulas compiled by reading the seeds): a formula
  is recalled when a mined phrase has the same fixed text (punctuation and a trailing ``，{Y}`` aside); also
  reported with the category required to match, and with the exact pattern;
- the top 50 of the bank (the order ``drafter phrases`` lists): the share judged real in
  benchmarks/data/phrase_judgements.tsv, and the share that recurs in at least two documents. Patterns of
  the top 50 not yet judged are listed so the judgement file can be kept up to date.

    python -m benchmarks.eval_phrases [--quick] [--misses] [--top N]

The anchor is a naive baseline mined from the same documents in the same run: the most frequent first
words of clauses (a keyword list), scored against the same reference. Exit status 1 when an unjudged
pattern is in the top 50 (the judgement is then out of date), 0 otherwise.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from drafter.models import Document, Phrase, PhraseBank

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "corpus"
DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "phrase_reference.txt"
JUDGEMENTS = DATA / "phrase_judgements.tsv"
TOP = 50
RE_SLOT = re.compile(r"\{[XYN]\}")
RE_PUNCT = re.compile(r"[，；。：、…,;.:\s]+")


@dataclass(frozen=True)
class Reference:
    """A formula of the reference list."""

    category: str
    pattern: str
    note: str = ""


def fixed_text(pattern: str) -> tuple[str, ...]:
    """The literal segments of a pattern, punctuation removed: 聚焦{X}，{Y} → (聚焦,), 以{X}为抓手 → (以, 为抓手)."""
    segments = (RE_PUNCT.sub("", s) for s in RE_SLOT.split(pattern.replace("，{Y}", "")))
    return tuple(s for s in segments if s)


def load_reference(path: Path = REFERENCE) -> list[Reference]:
    """The reference formulas, in file order (comments and blank lines skipped)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            out.append(Reference(fields[0], fields[1], fields[2] if len(fields) > 2 else ""))
    return out


def load_judgements(path: Path = JUDGEMENTS) -> dict[tuple[str, str], bool]:
    """(category, pattern) → judged real; the file is category <TAB> pattern <TAB> real|noise <TAB> note."""
    judged: dict[tuple[str, str], bool] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            category, pattern, verdict = line.split("\t")[:3]
            if verdict not in ("real", "noise"):
                raise ValueError(f"{path}: verdict must be real or noise: {line!r}")
            judged[(category, pattern)] = verdict == "real"
    return judged


def seed_documents(folder: Path = SEEDS) -> list[Document]:
    """The seed reports as the ingest pipeline builds them."""
    from drafter.ingest.documents import documents_from_file

    return [doc for path in sorted(folder.glob("*.txt")) for doc in documents_from_file(path)]


@dataclass(frozen=True)
class Recall:
    """Recall of the reference list by a set of mined patterns."""

    loose: float
    with_category: float
    exact: float
    misses: tuple[Reference, ...]


def recall(reference: list[Reference], phrases: Iterable[tuple[str, str]]) -> Recall:
    """How many reference formulas the (category, pattern) pairs recall, three ways."""
    pairs = list(phrases)
    texts = {fixed_text(p) for _, p in pairs}
    typed = {(c, fixed_text(p)) for c, p in pairs}
    exact = {p for _, p in pairs}
    misses = tuple(r for r in reference if fixed_text(r.pattern) not in texts)
    n = len(reference) or 1
    return Recall(
        loose=(len(reference) - len(misses)) / n,
        with_category=sum((r.category, fixed_text(r.pattern)) in typed for r in reference) / n,
        exact=sum(r.pattern in exact for r in reference) / n,
        misses=misses,
    )


def keyword_baseline(docs: list[Document], tokenizer: object, size: int) -> list[tuple[str, str]]:
    """The anchor: the ``size`` most frequent clause-initial words, each read as a pattern ``word{X}``."""
    from drafter.phrases.units import document_units, is_fixed_part

    counts: Counter[str] = Counter()
    for doc in docs:
        for clause in document_units(doc, tokenizer).clauses:  # type: ignore[arg-type]
            if is_fixed_part(clause.words[:1]):
                counts[clause.words[0]] += 1
    return [("clause_frame", word + "{X}") for word, _ in counts.most_common(size)]


def top_phrases(bank: PhraseBank, n: int = TOP) -> list[Phrase]:
    """The first ``n`` mined phrases, in the order ``drafter phrases`` lists them."""
    return [p for p in bank.phrases if p.source == "mined"][:n]


def main(argv: list[str] | None = None) -> int:
    """Mine the seeds, print recall and the top-50 judgement; exit 1 if the judgement is out of date."""
    parser = argparse.ArgumentParser(description="Phrase-bank recall and top-50 precision on the seeds.")
    parser.add_argument("--quick", action="store_true", help="same evaluation (the seeds mine in a second)")
    parser.add_argument("--misses", action="store_true", help="list the reference formulas not recalled")
    parser.add_argument("--top", type=int, default=TOP, help="how many of the bank's best to judge")
    args = parser.parse_args(argv)

    from rich.console import Console
    from rich.table import Table

    from drafter.phrases.bank import mine
    from drafter.text.tokens import default_tokenizer

    console = Console(width=140)
    tokenizer = default_tokenizer()
    tokenizer.words("预热")
    docs = seed_documents()
    started = time.perf_counter()
    bank = mine(docs, tokenizer)
    seconds = time.perf_counter() - started

    reference = load_reference()
    judged = load_judgements()
    mined_pairs = [(p.category, p.pattern) for p in bank.phrases]
    ours = recall(reference, mined_pairs)
    anchor = recall(reference, keyword_baseline(docs, tokenizer, len(bank.phrases)))
    top = top_phrases(bank, args.top)
    verdicts = [judged.get((p.category, p.pattern)) for p in top]
    real = sum(v is True for v in verdicts)
    unjudged = [p for p, v in zip(top, verdicts, strict=True) if v is None]
    recurring = sum(p.docs >= 2 for p in top)

    table = Table(title=f"Phrase bank on the seeds ({len(docs)} documents, {len(bank.phrases)} phrases)")
    table.add_column("measure")
    table.add_column("Drafter", justify="right")
    table.add_column("anchor: top clause-initial words", justify="right")
    table.add_column("ratio", justify="right")
    for name, a, b in [
        (f"recall of {len(reference)} reference formulas (fixed text)", ours.loose, anchor.loose),
        ("recall, category must match", ours.with_category, anchor.with_category),
        ("recall, exact pattern", ours.exact, anchor.exact),
    ]:
        table.add_row(name, f"{a:.1%}", f"{b:.1%}", f"{a / b:.2f}×" if b else "—")
    table.add_row(
        f"top {len(top)}: judged real", f"{real}/{len(top)} = {real / max(len(top), 1):.1%}", "", ""
    )
    table.add_row(
        f"top {len(top)}: in ≥ 2 documents",
        f"{recurring}/{len(top)} = {recurring / max(len(top), 1):.1%}",
        "",
        "",
    )
    table.add_row("mining time (s)", f"{seconds:.2f}", "", "")
    console.print(table)

    if args.misses and ours.misses:
        console.print("Not recalled: " + "  ".join(f"{r.category}:{r.pattern}" for r in ours.misses))
    noise = [p for p, v in zip(top, verdicts, strict=True) if v is False]
    if noise:
        console.print("Judged noise in the top: " + "  ".join(f"{p.category}:{p.pattern}" for p in noise))
    if unjudged:
        console.print(
            f"[bold red]{len(unjudged)} unjudged pattern(s) in the top {len(top)}[/]; add to {JUDGEMENTS}:"
        )
        for phrase in unjudged:
            console.print(
                f"{phrase.category}\t{phrase.pattern}\t?\t{phrase.examples[0].text if phrase.examples else ''}"
            )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
