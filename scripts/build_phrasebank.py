"""Regenerate ``phrasebank/mined.json``: the phrase bank mined from the bundled sample corpus.

Run from the repository root after changing the miners, the seeds or ``phrasebank/userdict.txt``:

    python scripts/build_phrasebank.py [--corpus-dir examples/corpus] [--out phrasebank/mined.json]

The curated file is not applied: ``mined.json`` holds what mining found, and ``phrasebank/curated.yaml``
is applied whenever a bank is read (so editing it never needs this script).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from drafter.models import Document

REPO = Path(__file__).resolve().parent.parent


def seed_documents(folder: Path) -> Iterator[Document]:
    """The documents of every file in ``folder`` (sorted by name), read by the ingest pipeline."""
    from drafter.ingest.documents import documents_from_file

    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        yield from documents_from_file(path)


def main(argv: list[str] | None = None) -> int:
    """Mine the sample corpus and write the bank as JSON; print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus-dir", type=Path, default=REPO / "examples" / "corpus")
    parser.add_argument("--out", type=Path, default=REPO / "phrasebank" / "mined.json")
    args = parser.parse_args(argv)

    from drafter.phrases.bank import mine
    from drafter.phrases.codec import bank_to_json
    from drafter.text.tokens import default_tokenizer

    bank = mine(seed_documents(args.corpus_dir), default_tokenizer())
    args.out.write_text(bank_to_json(bank) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for phrase in bank.phrases:
        counts[phrase.category] = counts.get(phrase.category, 0) + 1
    summary = ", ".join(f"{category} {n}" for category, n in counts.items())
    print(f"{args.out}: {len(bank.phrases)} phrases ({summary}), {len(bank.families)} families")
    return 0


if __name__ == "__main__":
    sys.exit(main())
