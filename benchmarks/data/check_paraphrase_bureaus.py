"""Check the bureau paraphrase set (paraphrase_bureaus.yaml) against the passages, and score plain BM25 on it.

    python benchmarks/data/check_paraphrase_bureaus.py PASSAGES.jsonl [--show]

The same checks as check_paraphrase_eval.py (every judgment matches a passage; a gap query shares no content
word with its answers; a non-gap query is no copy of its answer), on the bureau set.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_paraphrase_eval import main

if __name__ == "__main__":
    raise SystemExit(main(Path(__file__).resolve().parent / "paraphrase_bureaus.yaml"))
