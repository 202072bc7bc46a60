"""Reference measures on the example forms: how well the passages attached to a draft fit their sections.

For each example form (examples/forms) and each corpus — the bundled sample corpus, and the sample corpus plus
../shared/corpus-external — the draft's references are measured:

- distinct / total: every passage at most once per draft (must be 1.0);
- median length of a reference (characters of what the comment shows);
- on theme: the share of references whose whole passage shares a content word with the section's theme;
- sections without references (left empty rather than filled with passages about something else);
- the references' issuer levels (a county bureau's writer is served at county scale first).

    python -m benchmarks.eval_references [--quick] [--bundled-only]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FORMS = REPO / "examples" / "forms"
SEEDS = REPO / "examples" / "corpus"
EXTERNAL = REPO.parent / "shared" / "corpus-external"


def themes_of(form: Any) -> list[str]:
    """Every theme the form names (figures, highlights, plans), longest first."""
    names = {f.theme for f in form.figures if f.theme} | {h.theme for h in form.highlights if h.theme}
    names |= {p.theme for p in form.plans}
    return sorted(names, key=len, reverse=True)


def walk(nodes: Any) -> Any:
    """Every node of a draft tree, depth first."""
    for node in nodes:
        yield node
        yield from walk(node.children)


def measure(drafter: Any, form: Any) -> dict[str, Any]:
    """The reference measures of ``form``'s draft."""
    from drafter.draft.references import _theme_words

    draft = drafter.compose(form)
    themes = themes_of(form)
    refs: list[tuple[str, Any]] = []
    empty = 0
    sections = 0
    for node in walk(draft.nodes):
        if node.level < 2 and node.children:
            continue  # a part heading (一、工作总结), not a section with references
        theme = next((t for t in themes if t in node.heading), node.heading)
        sections += 1
        if not node.references:
            empty += 1
        refs.extend((theme, r) for r in node.references)
    on_theme = sum(1 for theme, r in refs if any(w in r.passage for w in _theme_words(theme)))
    return {
        "sections": sections,
        "empty": empty,
        "total": len(refs),
        "distinct": len({r.passage_id for _, r in refs}),
        "median_len": statistics.median([len(r.text) for _, r in refs]) if refs else 0,
        "on_theme": on_theme / len(refs) if refs else 1.0,
        "levels": Counter(drafter.corpus.get(r.passage_id.rsplit("-", 1)[0]).level for _, r in refs),
    }


def main(argv: list[str] | None = None) -> int:
    """Print one row per (corpus, form)."""
    from rich.console import Console
    from rich.table import Table

    from drafter.app import Drafter
    from drafter.draft.form import load_form

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.eval_references", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="every 8th external file")
    parser.add_argument("--bundled-only", action="store_true", help="skip the external corpus")
    args = parser.parse_args(argv)
    console = Console(width=160)
    table = Table(title="References on the example forms")
    for column in (
        "corpus",
        "form",
        "sections",
        "empty",
        "refs",
        "distinct/total",
        "median chars",
        "on theme",
        "levels",
    ):
        table.add_column(column, justify="left" if column in ("corpus", "form", "levels") else "right")
    corpora: list[tuple[str, list[Path]]] = [("bundled", [SEEDS])]
    if not args.bundled_only and EXTERNAL.is_dir():
        from drafter.ingest.read import iter_input_files

        outside = sorted(iter_input_files([EXTERNAL]))
        corpora.append(("bundled + external", [SEEDS, *(outside[::8] if args.quick else outside)]))
    with tempfile.TemporaryDirectory() as scratch:
        for name, paths in corpora:
            drafter = Drafter(Path(scratch) / f"{len(name)}.sqlite3", seed=False)
            drafter.ingest(paths, workers=2)
            start = time.perf_counter()
            drafter.mine_related()
            console.print(f"{name}: related terms mined in {time.perf_counter() - start:.1f} s")
            for form_path in sorted(FORMS.iterdir()):
                m = measure(drafter, load_form(form_path))
                ratio = m["distinct"] / m["total"] if m["total"] else 1.0
                levels = ", ".join(f"{k} {v}" for k, v in m["levels"].most_common())
                table.add_row(
                    name,
                    form_path.name,
                    str(m["sections"]),
                    str(m["empty"]),
                    str(m["total"]),
                    f"{ratio:.2f}",
                    f"{m['median_len']:.0f}",
                    f"{m['on_theme']:.2f}",
                    levels,
                )
            drafter.close()
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
