"""Phrase mining: time and peak memory on the seeds and on ../shared/corpus-external.

Each measurement runs in a fresh subprocess (so peak RSS is that of one job) that streams documents
from ``documents_from_file`` into the job, one file at a time, and times the reading separately from the
work. Two jobs per corpus:

- ``tokenize`` — the anchor: turning every document into mining units (sentences, clauses, jieba words),
  which mining cannot do without;
- ``mine`` — the whole ``phrasebank.mine`` (units + every miner + ranking).

Reported: documents, characters, reading seconds, anchor seconds, mining seconds, mining / anchor,
peak RSS and the RSS of the process once the tokenizer is loaded (the baseline every job pays).

``--ratio`` measures what issue 15 asks instead: all of ``drafter mine`` (the phrase bank and the related
terms, ``drafter.app_mining.mine_corpus``) against jieba's own tokenising of the same documents
(``jieba.Tokenizer.cut(text, HMM=False)``, one process), at 1× and 2× the external corpus (every document
twice, under another id), each in a fresh process. Wall seconds and CPU seconds (mining's own plus its
forked child's: it learns the related terms beside the bank when there is a second core), the load
average around each, and the peak RSS of the process and of its child.

    python -m benchmarks.bench_mine [--quick] [--ratio]

``--quick`` mines the seeds and one external file in eight.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from drafter.models import Document

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "corpus"
EXTERNAL = REPO.parent / "shared" / "corpus-external"
QUICK_EVERY = 8


def corpus_files(name: str, quick: bool) -> list[Path]:
    """The files of corpus ``name`` (``seeds`` or ``external``), every eighth external one when quick."""
    if name == "seeds":
        return sorted(SEEDS.glob("*.txt"))
    files = sorted(p for p in EXTERNAL.rglob("*") if p.suffix in (".md", ".csv"))
    return files[::QUICK_EVERY] if quick else files


class TimedReader:
    """Streams the documents of ``files`` and adds the time spent reading them to ``seconds``."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self.seconds = 0.0
        self.documents = 0
        self.characters = 0

    def __iter__(self) -> Iterator[Document]:
        from drafter.ingest.documents import documents_from_file

        for path in self.files:
            started = time.perf_counter()
            docs = documents_from_file(path)
            self.seconds += time.perf_counter() - started
            for doc in docs:
                self.documents += 1
                self.characters += len(doc.text)
                yield doc


def peak_mb() -> float:
    """This process's peak resident set size in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def job(name: str, kind: str, quick: bool) -> dict[str, Any]:
    """Run one measurement in this process and return its figures."""
    from drafter.phrases.bank import mine
    from drafter.phrases.units import document_units
    from drafter.text.tokens import default_tokenizer

    tokenizer = default_tokenizer()
    tokenizer.words("预热")
    baseline = peak_mb()
    reader = TimedReader(corpus_files(name, quick))
    started = time.perf_counter()
    phrases = 0
    if kind == "mine":
        phrases = len(mine(reader, tokenizer).phrases)
    else:
        for doc in reader:
            document_units(doc, tokenizer)
    total = time.perf_counter() - started
    return {
        "documents": reader.documents,
        "characters": reader.characters,
        "read_s": reader.seconds,
        "work_s": total - reader.seconds,
        "peak_mb": peak_mb(),
        "baseline_mb": baseline,
        "phrases": phrases,
    }


def ratio_job(copies: int, quick: bool) -> dict[str, Any]:
    """``drafter mine`` of the external corpus ``copies`` times over, against jieba cutting the same text."""
    from dataclasses import replace

    from drafter.app_mining import mine_corpus
    from drafter.ingest.documents import documents_from_file
    from drafter.phrases.curated import load_curated
    from drafter.text.tokens import RE_WORDLIKE, JiebaTokenizer, user_dictionary_path

    documents = [doc for path in corpus_files("external", quick) for doc in documents_from_file(path)]
    docs = [replace(d, id=f"{d.id}{n}") if n else d for n in range(copies) for d in documents]
    passages = [p.text for d in docs for p in d.passages]
    tokenizer = JiebaTokenizer(user_dictionary_path())
    tokenizer.words("科技创新" * 10_000)  # loaded, as mining finds it
    jieba = tokenizer._tokenizer()  # jieba's own cut: the anchor (Drafter's bulk cutter is faster)
    load_before = os.getloadavg()[0]
    cpu, started = time.process_time(), time.perf_counter()
    for doc in docs:
        [w for w in jieba.cut(doc.text, HMM=False) if RE_WORDLIKE.search(w)]
    anchor_s, anchor_cpu = time.perf_counter() - started, time.process_time() - cpu
    curated = load_curated()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu, started = time.process_time(), time.perf_counter()
    mine_corpus(docs, curated, tokenizer, passages=passages)
    mine_s = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return {
        "copies": copies,
        "documents": len(docs),
        "characters": sum(len(d.text) for d in docs),
        "anchor_s": anchor_s,
        "anchor_cpu": anchor_cpu,
        "mine_s": mine_s,
        "mine_cpu": time.process_time() - cpu + child_cpu,
        "child_cpu": child_cpu,
        "load": f"{load_before:.1f} / {os.getloadavg()[0]:.1f}",
        "peak_mb": peak_mb(),
        "child_peak_mb": after.ru_maxrss / 1024,
    }


def run_ratio(copies: int, quick: bool) -> dict[str, Any]:
    """``ratio_job`` in a fresh interpreter."""
    command = [sys.executable, "-m", "benchmarks.bench_mine", "--ratio-job", str(copies)]
    done = subprocess.run(
        command + (["--quick"] if quick else []), check=False, cwd=REPO, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def print_ratios(quick: bool) -> None:
    """The table of ``--ratio``."""
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title="drafter mine ÷ jieba tokenising" + (" (quick: 1 external file in 8)" if quick else "")
    )
    columns = ("copies", "docs", "chars", "jieba s", "mine s", "wall ratio", "jieba CPU s", "mine CPU s")
    for column in (*columns, "CPU ratio", "of it child CPU s", "load before / after", "peak MB", "child MB"):
        table.add_column(column, justify="right")
    for copies in (1, 2):
        r = run_ratio(copies, quick)
        table.add_row(
            f"{copies}×",
            str(r["documents"]),
            f"{r['characters']:,}",
            f"{r['anchor_s']:.1f}",
            f"{r['mine_s']:.1f}",
            f"{r['mine_s'] / r['anchor_s']:.2f}×",
            f"{r['anchor_cpu']:.1f}",
            f"{r['mine_cpu']:.1f}",
            f"{r['mine_cpu'] / r['anchor_cpu']:.2f}×",
            f"{r['child_cpu']:.1f}",
            r["load"],
            f"{r['peak_mb']:.0f}",
            f"{r['child_peak_mb']:.0f}",
        )
    Console(width=180).print(table)


def run_job(name: str, kind: str, quick: bool) -> dict[str, Any]:
    """``job`` in a fresh interpreter, so that its peak memory is its own."""
    command = [sys.executable, "-m", "benchmarks.bench_mine", "--job", name, kind] + (
        ["--quick"] if quick else []
    )
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure both corpora and print the table."""
    parser = argparse.ArgumentParser(description="Phrase mining time and memory.")
    parser.add_argument("--quick", action="store_true", help="seeds plus one external file in eight")
    parser.add_argument("--ratio", action="store_true", help="drafter mine ÷ jieba at 1× and 2× the external")
    parser.add_argument("--job", nargs=2, metavar=("CORPUS", "KIND"), help=argparse.SUPPRESS)
    parser.add_argument("--ratio-job", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.job:
        print(json.dumps(job(args.job[0], args.job[1], args.quick)))
        return 0
    if args.ratio_job:
        print(json.dumps(ratio_job(args.ratio_job, args.quick)))
        return 0
    if args.ratio:
        if not EXTERNAL.is_dir():
            raise SystemExit(f"{EXTERNAL} is missing: the ratio is measured on the external corpus.")
        print_ratios(args.quick)
        return 0

    from rich.console import Console
    from rich.table import Table

    corpora = ["seeds"] + (["external"] if EXTERNAL.is_dir() else [])
    table = Table(title="Phrase mining" + (" (quick: 1 external file in 8)" if args.quick else ""))
    for column in (
        "corpus",
        "docs",
        "chars",
        "read s",
        "anchor: tokenize s",
        "mine s",
        "mine / anchor",
        "peak MB",
        "baseline MB",
        "phrases",
    ):
        table.add_column(column, justify="left" if column == "corpus" else "right")
    for name in corpora:
        anchor = run_job(name, "tokenize", args.quick)
        mined = run_job(name, "mine", args.quick)
        table.add_row(
            name,
            str(mined["documents"]),
            f"{mined['characters']:,}",
            f"{mined['read_s']:.1f}",
            f"{anchor['work_s']:.2f}",
            f"{mined['work_s']:.2f}",
            f"{mined['work_s'] / anchor['work_s']:.2f}×" if anchor["work_s"] else "—",
            f"{mined['peak_mb']:.0f}",
            f"{mined['baseline_mb']:.0f}",
            str(mined["phrases"]),
        )
    Console(width=140).print(table)
    if not EXTERNAL.is_dir():
        Console().print(f"{EXTERNAL} is missing: only the seeds were measured.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
