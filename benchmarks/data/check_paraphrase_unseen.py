"""Check the new unseen paraphrase set (paraphrase_unseen.yaml) against the passages, and score plain BM25 on it.

    python benchmarks/data/check_paraphrase_unseen.py PASSAGES.jsonl [--show]

The same checks as check_paraphrase_eval.py (every judgment matches a passage; a gap query shares no content
word with its answers; a non-gap query is no copy of its answer), on the new set.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_paraphrase_eval import main

if __name__ == "__main__":
    raise SystemExit(main(Path(__file__).resolve().parent / "paraphrase_unseen.yaml"))
