"""Throughput of files → Documents (read, clean, split, outline, passages) against jieba segmentation.

``python -m benchmarks.bench_documents [--quick]``. Runs on ../shared/corpus-external (the sample corpus
when that is absent), one core. The anchor is jieba segmenting the same texts in the same run: ingest
must reach at least half of jieba's speed, and having no tokenisation it should be well above.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
EXTERNAL = REPO.parent / "shared" / "corpus-external"
SEEDS = REPO / "examples" / "corpus"


def _files(quick: bool) -> tuple[list[Path], str]:
    """The benchmark's input files and a label of where they come from."""
    if EXTERNAL.is_dir():
        files = sorted(p for p in EXTERNAL.rglob("*") if p.suffix in (".md", ".csv"))
        label = "corpus-external"
    else:
        files = sorted(SEEDS.glob("*.txt"))
        label = "sample corpus (corpus-external absent)"
    if quick:
        files = files[::10]
    return files, label


def main(argv: list[str] | None = None) -> int:
    """Print MB/s of ``documents_from_file`` and of jieba on the same texts; 1 if below half of jieba."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_documents", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="every tenth file only")
    args = parser.parse_args(argv)

    from drafter.ingest.clean import clean
    from drafter.ingest.documents import documents_from_file
    from drafter.ingest.read import read_path
    from drafter.text.tokens import default_tokenizer

    files, label = _files(args.quick)
    size = sum(p.stat().st_size for p in files)
    clean("预热")  # OpenCC loads its dictionaries on first use; not part of the throughput

    started = time.perf_counter()
    raws = [raw for path in files for raw in read_path(path)]
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for raw in raws:
        clean(raw.text)
    clean_seconds = time.perf_counter() - started

    started = time.perf_counter()
    documents = passages = 0
    for path in files:
        docs = documents_from_file(path)
        documents += len(docs)
        passages += sum(len(d.passages) for d in docs)
    pipeline_seconds = time.perf_counter() - started

    tokenizer = default_tokenizer()
    tokenizer.words("预热")  # dictionary load (~0.5 s) is not segmentation speed
    started = time.perf_counter()
    for raw in raws:
        tokenizer.words(raw.text)
    jieba_seconds = time.perf_counter() - started

    megabytes = size / 1e6
    pipeline_rate = megabytes / pipeline_seconds
    jieba_rate = megabytes / jieba_seconds
    table = Table(title=f"files → Documents on {label}: {len(files)} files, {megabytes:.1f} MB, one core")
    for column in ("stage", "seconds", "MB/s", "× jieba"):
        table.add_column(column, justify="right" if column != "stage" else "left")
    rows = [
        ("read (decode, parse containers)", read_seconds),
        ("clean only", clean_seconds),
        ("documents_from_file (everything)", pipeline_seconds),
        ("anchor: jieba segmentation", jieba_seconds),
    ]
    for name, seconds in rows:
        rate = megabytes / seconds
        table.add_row(name, f"{seconds:.2f}", f"{rate:.2f}", f"{rate / jieba_rate:.2f}")
    console = Console()
    console.print(table)
    console.print(
        f"{documents} documents, {passages} passages; target: ≥ 0.5 × jieba (got {pipeline_rate / jieba_rate:.2f})"
    )
    return 0 if pipeline_rate >= 0.5 * jieba_rate else 1


if __name__ == "__main__":
    raise SystemExit(main())
