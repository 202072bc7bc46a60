"""Time to draft the sample forms, against python-docx alone writing the same document (the floor).

``python -m benchmarks.bench_draft [--quick]``. A private corpus is built from the bundled sample corpus
(ingested, mined and indexed before timing). Measured, per sample form:

- floor: python-docx writing the draft's paragraphs and comments into its default template, no styling;
- warm draft in process: ``compose`` (bank, templates, search for references) + ``draft_to_bytes``, with
  the corpus, bank and index already loaded, as the web app runs;
- its parts: compose alone, and export alone;
- cold command line: ``python -m drafter draft FORM -o OUT.docx --corpus DB`` as a fresh process.

Target: warm draft within 3× of the floor. Exit status 1 when it is missed.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
FORMS = REPO / "examples" / "forms"
SAMPLES = ("keji_annual_2025.yaml", "wenlv_half_2025.yaml", "plan_2026.json")
TARGET_RATIO = 3.0


def timed(func: Callable[[], object], repeat: int) -> float:
    """The best wall time of ``func`` over ``repeat`` runs, in seconds (after one untimed run).

    The minimum, as ``timeit`` advises: on a shared machine the other runs measure the neighbours.
    """
    func()
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def floor_bytes(draft: Any) -> bytes:
    """The draft's text and comments written by python-docx alone: default template, no styles or page setup."""
    import docx

    document = docx.Document()
    document.add_paragraph(draft.title)
    for text in draft.preamble:
        document.add_paragraph(text)

    def walk(nodes: Any) -> None:
        for node in nodes:
            heading = document.add_paragraph(f"{node.number}{node.heading}")
            for ref in node.references:
                document.add_comment(heading.runs, text=f"《{ref.title}》", author="Drafter")
            for text in node.paragraphs:
                document.add_paragraph(text)
            walk(node.children)

    walk(draft.nodes)
    for text in (*draft.closing, draft.signature, draft.date):
        if text:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def cold_cli(form: Path, corpus: Path, out: Path) -> float:
    """Wall time of one ``python -m drafter draft`` process."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "drafter", "draft", str(form), "-o", str(out), "--corpus", str(corpus)],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Print the timing table; 1 when the warm draft is slower than 3× the python-docx floor."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_draft", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, one cold run per form")
    args = parser.parse_args(argv)
    repeat, cold_runs = (5, 1) if args.quick else (30, 3)

    from drafter.app import Drafter
    from drafter.draft.compose import compose
    from drafter.draft.docx import draft_to_bytes
    from drafter.draft.form import load_form
    from drafter.resources import sample_corpus_dir

    console = Console()
    table = Table(
        "form",
        "floor python-docx ms",
        "warm draft ms",
        "× floor",
        "compose ms",
        "export ms",
        "export × floor",
        "cold CLI s",
        title=f"bench_draft: warm draft vs python-docx floor (target ≤ {TARGET_RATIO:g}×)",
    )
    ratios: list[float] = []
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        corpus = Path(tmp) / "corpus.sqlite3"
        setup_started = time.perf_counter()
        drafter = Drafter(corpus, seed=False)
        drafter.ingest([sample_corpus_dir()])
        bank = drafter.phrase_bank()
        drafter.search("预热", 1)  # builds and persists the index, loads jieba
        setup = time.perf_counter() - setup_started
        for name in SAMPLES:
            form = load_form(FORMS / name)
            draft = compose(form, bank, drafter.search)
            floor = timed(lambda d=draft: floor_bytes(d), repeat)
            warm = timed(lambda f=form: draft_to_bytes(compose(f, bank, drafter.search)), repeat)
            composing = timed(lambda f=form: compose(f, bank, drafter.search), repeat)
            export = timed(lambda d=draft: draft_to_bytes(d), repeat)
            out = Path(tmp) / f"{Path(name).stem}.docx"
            cold = statistics.median(cold_cli(FORMS / name, corpus, out) for _ in range(cold_runs))
            ratios.append(warm / floor)
            table.add_row(
                name,
                f"{floor * 1000:.1f}",
                f"{warm * 1000:.1f}",
                f"{warm / floor:.2f}",
                f"{composing * 1000:.1f}",
                f"{export * 1000:.1f}",
                f"{export / floor:.2f}",
                f"{cold:.2f}",
            )
        drafter.close()
    console.print(table)
    console.print(
        f"setup (ingest + mine + index the sample corpus, untimed above): {setup:.1f} s; "
        f"best of {repeat} warm runs, median of {cold_runs} cold run(s) per form."
    )
    worst = max(ratios)
    verdict = "met" if worst <= TARGET_RATIO else "MISSED"
    console.print(f"worst warm/floor ratio {worst:.2f} (target ≤ {TARGET_RATIO:g}): {verdict}")
    return 0 if worst <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
