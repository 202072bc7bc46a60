"""Ingest throughput (files → documents → SQLite corpus) on one core and on all cores, against jieba.

``python -m benchmarks.bench_ingest [--quick]``. Input: ../shared/corpus-external (the sample corpus when it
is absent). The anchor is jieba segmenting the same texts in the same run (``JiebaTokenizer().words``, HMM
off and on): a full ingest on one core must reach at least half of jieba's speed (HMM off, the faster).
Also reported: documents and passages per second, the cost of the SQLite writes alone, and peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
EXTERNAL = REPO.parent / "shared" / "corpus-external"
EXTERNAL_FOLDERS = ("lawtext-gov-reports", "provincial-2026-scraped")
SEEDS = REPO / "examples" / "corpus"
TARGET_RATIO = 0.5


def input_files(quick: bool) -> tuple[list[Path], str]:
    """The files to ingest and where they come from (every 40th file with ``quick``)."""
    from drafter.ingest.read import iter_input_files

    folders = [EXTERNAL / name for name in EXTERNAL_FOLDERS if (EXTERNAL / name).is_dir()]
    if folders:
        files, label = list(iter_input_files(folders)), "corpus-external"
    else:
        files, label = list(iter_input_files([SEEDS])), "sample corpus (corpus-external absent)"
    if quick:
        files = files[::40] if len(files) > 40 else files
    return files, label


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kB


def descendants(root: int) -> list[int]:
    """Pids of the live descendants of ``root`` (workers are grandchildren, under the fork server)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found.extend(children)
        frontier = children
    return found


class WorkerPeak:
    """Samples the high-water RSS (VmHWM) of this process's descendants while a block runs."""

    def __init__(self, every: float = 0.25) -> None:
        self.every = every
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            for pid in descendants(os.getpid()):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_mb = max(self.peak_mb, int(line.split()[1]) / 1024)

    def __enter__(self) -> WorkerPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def store_alone(source_path: Path, target_path: Path) -> float:
    """Seconds to write the documents of one corpus into a fresh one: the SQLite side of ingest."""
    from drafter.corpus.store import Corpus

    with Corpus(source_path) as source, Corpus(target_path) as target:
        documents = list(source.documents())
        started = time.perf_counter()
        for doc in documents:
            target.add(doc)
        return time.perf_counter() - started


def jieba_seconds(texts: list[str], hmm: bool) -> float:
    """Seconds ``JiebaTokenizer(hmm=hmm).words`` takes over ``texts`` (dictionary load excluded)."""
    from drafter.text.tokens import JiebaTokenizer, user_dictionary_path

    tokenizer = JiebaTokenizer(user_dictionary_path(), hmm=hmm)
    tokenizer.words("预热")  # the dictionary load (~0.5 s) is not segmentation
    started = time.perf_counter()
    for text in texts:
        tokenizer.words(text)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Print ingest and jieba MB/s side by side; 1 when one-core ingest is below half of jieba (full run)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_ingest", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few files only (smoke test; no target check)")
    args = parser.parse_args(argv)

    from drafter.changes import IngestReport
    from drafter.corpus.store import Corpus
    from drafter.ingest.documents import documents_from_file
    from drafter.ingest.read import read_path
    from drafter.ingest.run import available_cores, ingest

    files, label = input_files(args.quick)
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    documents_from_file(sorted(SEEDS.glob("*.txt"))[0])  # OpenCC and regexes warmed, as in a long run
    cores = available_cores()
    reports: dict[int, IngestReport] = {}
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        with WorkerPeak() as workers_peak:
            for workers in sorted({1, cores}):
                with Corpus(Path(tmp) / f"w{workers}.sqlite3") as corpus:
                    reports[workers] = ingest(corpus, files, workers=workers)
        rss_main, rss_worker = peak_rss_mb(), workers_peak.peak_mb
        corpus_mb = (Path(tmp) / "w1.sqlite3").stat().st_size / 1e6
        store = store_alone(Path(tmp) / "w1.sqlite3", Path(tmp) / "store.sqlite3")

    texts = [raw.text for path in files for raw in read_path(path)]
    text_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    anchors = {hmm: jieba_seconds(texts, hmm) for hmm in (False, True)}
    jieba_speed = text_mb / anchors[False]

    title = f"ingest on {label}: {len(files)} files, {megabytes:.1f} MB, {cores} cores"
    table = Table("measure", "MB/s", "× jieba (HMM off)", "seconds", "documents/s", "passages/s", title=title)
    for hmm, seconds in anchors.items():
        speed = text_mb / seconds
        name = f"jieba words, HMM {'on' if hmm else 'off'}"
        table.add_row(name, f"{speed:.2f}", f"{speed / jieba_speed:.2f}", f"{seconds:.2f}", "", "")
    for report in reports.values():
        speed, seconds = megabytes / report.seconds, report.seconds
        table.add_row(
            f"ingest, {report.workers} worker(s)",
            f"{speed:.2f}",
            f"{speed / jieba_speed:.2f}",
            f"{seconds:.2f}",
            f"{report.documents_added / seconds:.0f}",
            f"{report.passages_added / seconds:.0f}",
        )
    table.add_row("SQLite writes alone", f"{megabytes / store:.2f}", f"{megabytes / store / jieba_speed:.2f}",
                  f"{store:.2f}", "", "")  # fmt: skip
    console = Console()
    console.print(table)

    one = reports[1]
    ratio = megabytes / one.seconds / jieba_speed
    console.print(
        f"documents {one.documents_added}, passages {one.passages_added}, failures {len(one.failures)}; "
        f"corpus file {corpus_mb:.1f} MB; peak RSS main {rss_main:.0f} MB, largest worker {rss_worker:.0f} MB"
    )
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    console.print(f"target: one-core ingest ≥ {TARGET_RATIO}× jieba (HMM off): {ratio:.2f}× — {verdict}")
    if cores > 1:
        console.print(f"speed-up of all cores over one: {one.seconds / reports[cores].seconds:.2f}×")
    for path, reason in one.failures:
        console.print(f"failed: {path}: {reason}", markup=False, highlight=False)
    return 0 if args.quick or ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
