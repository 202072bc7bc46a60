"""Extraction from last year's report (``drafter form --from``) against the hand-made gold set.

For each file of benchmarks/data/extract_eval/ the report is read the way ``drafter form --from`` reads it
(``Drafter.read_reports`` then ``Drafter.read_last_report``), and its figure and target rows are matched to
the gold rows by the rules of that folder's README: values compared as numbers with scale-equivalent units
(``1.2万人`` = ``12000人``), a change stated alone compared by its rate and direction, labels overlapping
(one holds the other, or character-bigram Dice ≥ 0.33, against the gold label, its aliases, or parent +
label), each gold row matched at most once (best label overlap first). Prints precision and recall per
file and pooled, the accuracy of the attributes on matched pairs, and the rows that would need a manual
fix (a matched row whose label, unit or previous value the writer would have to correct).

    python -m benchmarks.eval_extract [--misses] [--extra] [FILE…]

External reports are read from ../shared/corpus-external (``external/`` paths); a file whose source is
absent is skipped and named.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from drafter.app import Drafter
from drafter.continuity.figures import Stated

REPO = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "data" / "extract_eval"
EXTERNAL = REPO.parent / "shared" / "corpus-external"
EXTERNAL_FALLBACK = Path("/work/shared/corpus-external")
RE_PUNCT = re.compile(r"[\s，。、；：,.;:“”\"'（）()《》·—\-]+")
RE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
SCALES = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3}
DOWN = ("下降", "压减", "减少", "降低", "回落")
FULL = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
T2S = {"區": "区", "億": "亿", "萬": "万", "項": "项", "個": "个", "場": "场", "臺": "台", "戶": "户"}


@dataclass
class Score:
    """Matched and total counts of one side (figures or targets)."""

    matched_gold: int = 0
    gold: int = 0
    matched_pred: int = 0
    pred: int = 0
    fixes: int = 0

    def add(self, other: Score) -> None:
        self.matched_gold += other.matched_gold
        self.gold += other.gold
        self.matched_pred += other.matched_pred
        self.pred += other.pred
        self.fixes += other.fixes

    def precision(self) -> float:
        return self.matched_pred / self.pred if self.pred else 1.0

    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0


def norm(text: object) -> str:
    """Half-width, simplified, no spaces or punctuation."""
    out = str(text or "").translate(FULL)
    for t, s in T2S.items():
        out = out.replace(t, s)
    return RE_PUNCT.sub("", out)


def dice(a: str, b: str) -> float:
    pa = {a[i : i + 2] for i in range(len(a) - 1)}
    pb = {b[i : i + 2] for i in range(len(b) - 1)}
    if not pa or not pb:
        return 0.0
    return 2 * len(pa & pb) / (len(pa) + len(pb))


def label_overlap(pred: str, gold: dict[str, Any]) -> float:
    """The best overlap of a predicted label with the gold label, its aliases, or parent + label (0 = none)."""
    names = [gold["label"], *(gold.get("aliases") or [])]
    if gold.get("parent"):
        names.append(f"{gold['parent']}{gold['label']}")
    best = 0.0
    p = norm(pred)
    for name in names:
        g = norm(name)
        if not p or not g:
            continue
        if p in g or g in p:
            best = max(best, 1.0 + min(len(p), len(g)) / max(len(p), len(g)))
        else:
            d = dice(p, g)
            if d >= 0.33:
                best = max(best, d)
    return best


def scaled(value: float, unit: str) -> tuple[float, str]:
    """``(12000, 人)`` for ``1.2 万人``."""
    unit = norm(unit) or ""
    for word, factor in SCALES.items():
        if unit.startswith(word) and len(unit) > len(word):
            return value * factor, unit[len(word) :]
    return value, unit


def rate_of(growth: object) -> tuple[float, str, int] | None:
    """``(6.5, '%', +1)`` for ``6.5%``; ``(27.4, '%', -1)`` for ``下降27.4%``; ranges by their first number."""
    text = norm(growth)
    number = RE_NUMBER.search(text)
    if number is None:
        return None
    sign = -1 if text.startswith(DOWN) else 1
    rest = text[number.end() :]
    unit = "个百分点" if "百分点" in rest else "倍" if "倍" in rest else "%"
    return float(number.group(0)), unit, sign


def value_matches(pred: Stated, gold: dict[str, Any]) -> bool:
    """Rule 2 of the README: same value and unit, or the same stated change."""
    if gold.get("value") is not None and pred.value is not None and not isinstance(gold["value"], str):
        a = scaled(float(pred.value), pred.unit)
        b = scaled(float(gold["value"]), str(gold.get("unit") or ""))
        if a[1] == b[1] and abs(a[0] - b[0]) <= 1e-9 * max(1.0, abs(b[0])):
            return True
    if gold.get("value") is None and gold.get("growth") is not None:
        want = rate_of(gold["growth"])
        got = rate_of(pred.growth) if pred.growth else None
        if got is None and pred.value is not None and norm(pred.unit) in {"%", "个百分点", "倍"}:
            got = (float(pred.value), norm(pred.unit), 1)
        return want is not None and got is not None and abs(want[0] - got[0]) < 1e-9 and want[1:] == got[1:]
    if isinstance(gold.get("value"), str) and pred.value is not None:
        first = RE_NUMBER.search(gold["value"])
        return (
            first is not None
            and float(first.group(0)) == pred.value
            and norm(gold.get("unit")) == norm(pred.unit)
        )
    return False


def match(preds: list[Stated], golds: list[dict[str, Any]]) -> tuple[list[tuple[int, int]], Score]:
    """One-to-one pairs (pred index, gold index), best label overlap first, and the counts."""
    candidates = []
    for i, pred in enumerate(preds):
        for j, gold in enumerate(golds):
            if value_matches(pred, gold):
                overlap = label_overlap(pred.label, gold)
                if overlap > 0:
                    candidates.append((overlap, i, j))
    candidates.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _overlap, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    fixes = sum(1 for i, j in pairs if needs_fix(preds[i], golds[j]))
    return pairs, Score(len(pairs), len(golds), len(pairs), len(preds), fixes)


def needs_fix(pred: Stated, gold: dict[str, Any]) -> bool:
    """A matched row the writer would still correct: a label that names only part of the indicator (held in
    the gold label but less than half of it, or sharing less than half of its character pairs), one that
    drags in more than six other characters, a different unit, or a wrong earlier value."""
    p, g = norm(pred.label), norm(gold["label"])
    held = (p in g and len(p) >= len(g) / 2) or (g in p and len(p) - len(g) <= 6)
    label_ok = p == g or held or (dice(p, g) >= 0.5 and abs(len(p) - len(g)) <= 6)
    unit_ok = norm(pred.unit) == norm(gold.get("unit")) or gold.get("value") is None
    previous_ok = gold.get("previous") is None or pred.previous == gold["previous"]
    return not (label_ok and unit_ok and previous_ok)


def attribute_hits(
    pairs: list[tuple[int, int]],
    preds: list[Stated],
    golds: list[dict[str, Any]],
    tally: dict[str, list[int]],
) -> None:
    for i, j in pairs:
        pred, gold = preds[i], golds[j]
        for name in ("growth", "previous", "basis", "hedge", "parent"):
            if gold.get(name) is None:
                continue
            got = getattr(pred, name)
            if name == "growth":
                ok = got is not None and rate_of(got) == rate_of(gold[name])
            elif name == "previous":
                ok = got == gold[name]
            elif name == "parent":
                ok = got is not None and label_overlap(got, {"label": gold[name]}) > 0
            else:
                ok = (got is not None and norm(gold[name]) in norm(got)) or (
                    norm(got) in norm(gold[name]) and bool(got)
                )
            tally.setdefault(name, [0, 0])
            tally[name][0] += int(ok)
            tally[name][1] += 1


def source_path(source: str) -> Path | None:
    if source.startswith("external/"):
        for root in (EXTERNAL, EXTERNAL_FALLBACK):
            path = root / source.removeprefix("external/")
            if path.is_file():
                return path
        return None
    path = REPO / source
    return path if path.is_file() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval_extract", description=__doc__)
    parser.add_argument("files", nargs="*", help="gold files (default: all)")
    parser.add_argument("--misses", action="store_true", help="list the gold rows not found")
    parser.add_argument("--extra", action="store_true", help="list the predicted rows matching no gold row")
    args = parser.parse_args(argv)
    files = [Path(f) for f in args.files] or sorted(GOLD.glob("*.yaml"))
    drafter = Drafter(REPO / ".eval-extract-unused.sqlite", seed=False)
    totals = {"figures": Score(), "targets": Score()}
    tally: dict[str, list[int]] = {}
    print(f"{'file':28} {'fig P':>6} {'fig R':>6} {'n':>4} {'tgt P':>6} {'tgt R':>6} {'n':>4} fixes")
    for file in files:
        gold = yaml.safe_load(file.read_text(encoding="utf-8"))
        path = source_path(gold["source"])
        if path is None:
            print(f"{file.stem:28} skipped: {gold['source']} not found")
            continue
        docs = [d for d in drafter.read_reports(path) if gold["title_contains"] in d.title]
        if len(docs) != 1:
            print(f"{file.stem:28} skipped: {len(docs)} reports titled {gold['title_contains']!r}")
            continue
        reading = drafter.read_last_report(docs[0])
        scores = {}
        for side, preds in (("figures", list(reading.figures)), ("targets", list(reading.targets))):
            pairs, score = match(preds, gold[side] or [])
            attribute_hits(pairs, preds, gold[side] or [], tally)
            totals[side].add(score)
            scores[side] = score
            if args.misses:
                found = {j for _i, j in pairs}
                for j, row in enumerate(gold[side] or []):
                    if j not in found:
                        print(f"   MISS {side[:3]} {row}")
            if args.extra:
                found_p = {i for i, _j in pairs}
                for i, pred in enumerate(preds):
                    if i not in found_p:
                        print(
                            f"   EXTRA {side[:3]} {pred.label} {pred.value} {pred.unit} {pred.growth} | {pred.sentence[:60]}"
                        )
        f, t = scores["figures"], scores["targets"]
        print(
            f"{file.stem:28} {f.precision():6.3f} {f.recall():6.3f} {f.gold:4d} "
            f"{t.precision():6.3f} {t.recall():6.3f} {t.gold:4d} {f.fixes + t.fixes:5d}"
        )
    f, t = totals["figures"], totals["targets"]
    print(
        f"{'pooled':28} {f.precision():6.3f} {f.recall():6.3f} {f.gold:4d} "
        f"{t.precision():6.3f} {t.recall():6.3f} {t.gold:4d} {f.fixes + t.fixes:5d}"
    )
    print(
        f"figures: {f.matched_pred}/{f.pred} predicted rows right, {f.matched_gold}/{f.gold} gold rows found"
    )
    print(
        f"targets: {t.matched_pred}/{t.pred} predicted rows right, {t.matched_gold}/{t.gold} gold rows found"
    )
    print(f"rows needing a manual fix (label, unit or previous) among matched rows: {f.fixes + t.fixes}")
    print("attributes on matched pairs: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(tally.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
