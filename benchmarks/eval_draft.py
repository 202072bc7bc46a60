"""Draft quality against real reports: draft each evaluation form and compare it with the real wording.

``python -m benchmarks.eval_draft [FOLDER] [--external] [--bank PATH]``. FOLDER (default
``benchmarks/data/draft_eval``) holds one YAML case per real report (format in its README.md): the form
transcribed from the report (``form``), and what the real writer wrote (``expect``: each figure's
``value_text``/``rate_text``, the figures the opening names, the headings). Each form is drafted with the
bundled bank (``phrasebank/mined.json``) and, with ``--external``, also with a bank mined from
``../shared/corpus-external`` (cached beside the system temp folder). Per case and in total:

- figures: share of figures whose wording in the draft is the real wording exactly (value and rate);
- attested: share of the drafter's own headings (not the form's overrides) whose opening verb the corpus
  attests before that object (a heading that is only its theme has no opener and does not count as attested);
- lone 一是: sections with a single 一是 item (must be 0); longest: the longest 一是…N是 run;
- repeats: leads or heading result clauses used by two sections (must be 0);
- invented: numbers in the draft body that are neither in the form nor computed from it (must be 0);
- overview: the opening paragraph holds every headline figure (real wording).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

from drafter.draft.compose import compose
from drafter.draft.figures import describe_figure, describe_target
from drafter.draft.form import Form, parse_form
from drafter.draft.heading_styles import Collocations
from drafter.models import Draft, DraftNode, PhraseBank

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = REPO / "benchmarks" / "data" / "draft_eval"
EXTERNAL = REPO.parent / "shared" / "corpus-external"
RE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
RE_ITEM = re.compile(r"^([一二三四五六七八九十]+)是")


@dataclass
class Score:
    """One case's measures."""

    name: str
    figures: int = 0
    figures_ok: int = 0
    headings: int = 0
    attested: int = 0
    lone: int = 0
    longest: int = 0
    repeats: int = 0
    invented: tuple[str, ...] = ()
    overview_ok: bool = True


def walk(nodes: tuple[DraftNode, ...]) -> Iterator[DraftNode]:
    """Every node of the outline, depth first."""
    for node in nodes:
        yield node
        yield from walk(node.children)


def body_text(draft: Draft) -> str:
    """The draft's preamble, headings and paragraphs (title, signature and date left out)."""
    lines = list(draft.preamble)
    for node in walk(draft.nodes):
        lines.append(node.heading)
        lines.extend(node.paragraphs)
    lines.extend(draft.closing)
    return "\n".join(lines)


def allowed_numbers(form: Form) -> set[str]:
    """Numbers the draft may hold: what the form says, and what the drafter computes from it."""
    texts = [form.model_dump_json()]
    half = form.period == "half"
    texts += [describe_figure(f, half=half).phrase for f in form.figures]
    texts += [describe_target(t).phrase for p in form.plans for t in p.targets]
    numbers = {n for text in texts for n in RE_NUMBER.findall(text)}
    return numbers | {str(form.year + d) for d in (-1, 0, 1)}


def attested(heading: str, colloc: Collocations) -> bool | None:
    """Whether the corpus attests the heading's opening verb before its object; ``None`` without a verb."""
    first = re.split(r"[，,；;]", heading)[0]
    verbs = sorted((v for v in colloc.verbs if first.startswith(v) and len(first) > len(v)), key=len)
    if not verbs:
        return None
    verb = verbs[-1]
    return colloc.attests(verb, first[len(verb) :]) is not None


def score_case(name: str, case: dict[str, Any], bank: PhraseBank) -> Score:
    """Draft one case's form and measure it against the case's expectations."""
    form = parse_form(case["form"], name)
    draft = compose(form, bank, None)
    text = body_text(draft)
    score = Score(name)
    for fig in case.get("expect", {}).get("figures", []):
        wanted = [fig[k] for k in ("value_text", "rate_text") if fig.get(k)]
        score.figures += 1
        score.figures_ok += all(w in text for w in wanted)
    colloc = Collocations(bank.collocations)
    import json  # lazy: only the evaluation reads the heading notes

    for row in json.loads(draft.metadata.get("headings", "[]")):
        if row["style"] == "override":
            continue
        score.headings += 1
        score.attested += bool(attested(row["heading"], colloc))
    sections = [n for n in walk(draft.nodes) if n.level == 2]
    leads: Counter[str] = Counter()
    results: Counter[str] = Counter()
    for node in sections:
        items = [p for p in node.paragraphs if RE_ITEM.match(p)]
        score.lone += len(items) == 1
        score.longest = max(score.longest, len(items))
        if node.paragraphs and not RE_ITEM.match(node.paragraphs[0]):
            first = node.paragraphs[0].split("。")[0]
            if not first.startswith(("全年", "上半年", "【")):
                leads[first] += 1
        if "，" in node.heading:
            results[node.heading.split("，", 1)[1]] += 1
    score.repeats = sum(n - 1 for n in (*leads.values(), *results.values()) if n > 1)
    allowed = allowed_numbers(form)
    score.invented = tuple(sorted({n for n in RE_NUMBER.findall(text) if n not in allowed}))
    by_label = {f["label"]: f for f in case.get("expect", {}).get("figures", [])}
    opening = "".join(draft.preamble)
    for label in case.get("expect", {}).get("headline", []):
        fig = by_label.get(label, {})
        wanted = [fig[k] for k in ("value_text", "rate_text") if fig.get(k)]
        score.overview_ok = score.overview_ok and all(w in opening for w in wanted)
    return score


def bundled_bank() -> PhraseBank:
    """The shipped bank (mined from the sample corpus) with the curated file applied."""
    from drafter.phrases.codec import bank_from_json
    from drafter.phrases.curated import apply_curated, load_curated

    return apply_curated(
        bank_from_json((REPO / "phrasebank" / "mined.json").read_text("utf-8")), load_curated()
    )


def external_bank() -> PhraseBank:
    """A bank mined from ../shared/corpus-external (cached in the temp folder: mining takes a while)."""
    from drafter.ingest.documents import documents_from_file
    from drafter.phrases.bank import mine
    from drafter.phrases.codec import bank_from_json, bank_to_json
    from drafter.phrases.curated import apply_curated, load_curated
    from drafter.text.tokens import default_tokenizer

    cache = Path(tempfile.gettempdir()) / "drafter-eval-external-bank.json"
    if not cache.exists():
        files = sorted(p for p in EXTERNAL.rglob("*") if p.suffix in (".md", ".csv"))
        docs = (doc for path in files for doc in documents_from_file(path))
        cache.write_text(bank_to_json(mine(docs, default_tokenizer())), "utf-8")
    return apply_curated(bank_from_json(cache.read_text("utf-8")), load_curated())


def table(title: str, scores: list[Score]) -> Table:
    """The per-case table with a total row."""
    out = Table(title=title)
    for column in ("case", "figures", "attested", "lone 一是", "longest", "repeats", "invented", "overview"):
        out.add_column(column, justify="left" if column == "case" else "right")

    def share(n: int, d: int) -> str:
        return f"{n}/{d} ({n / d:.0%})" if d else "–"

    for s in scores:
        out.add_row(
            s.name,
            share(s.figures_ok, s.figures),
            share(s.attested, s.headings),
            str(s.lone),
            str(s.longest),
            str(s.repeats),
            " ".join(s.invented) or "0",
            "yes" if s.overview_ok else "NO",
        )
    out.add_row(
        "total",
        share(sum(s.figures_ok for s in scores), sum(s.figures for s in scores)),
        share(sum(s.attested for s in scores), sum(s.headings for s in scores)),
        str(sum(s.lone for s in scores)),
        str(max((s.longest for s in scores), default=0)),
        str(sum(s.repeats for s in scores)),
        str(sum(len(s.invented) for s in scores)),
        f"{sum(s.overview_ok for s in scores)}/{len(scores)}",
    )
    return out


def main(argv: list[str] | None = None) -> int:
    """Score every case of the folder; 1 when a must-be-zero measure is not zero."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval_draft", description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--external", action="store_true", help="also with a bank mined from corpus-external")
    args = parser.parse_args(argv)
    cases = sorted(args.folder.glob("*.yaml"))
    if not cases:
        print(f"{args.folder}: no *.yaml cases", file=sys.stderr)
        return 2
    loaded = [(p.stem, yaml.safe_load(p.read_text("utf-8"))) for p in cases]
    banks = [("bundled corpus", bundled_bank())]
    if args.external and EXTERNAL.is_dir():
        banks.append(("external corpus", external_bank()))
    console = Console(width=160)
    failed = False
    for title, bank in banks:
        scores = [score_case(name, case, bank) for name, case in loaded]
        console.print(table(f"Draft quality, bank mined from the {title}", scores))
        failed |= any(s.lone or s.repeats or s.invented for s in scores)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
