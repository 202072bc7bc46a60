"""Check a paraphrase search set against the passages, and score plain BM25 on it.

    python benchmarks/data/check_paraphrase_eval.py PASSAGES.jsonl [--set eval|holdout|bureaus|unseen|fresh|plain|writers|county] [--show]

--set names the set: paraphrase_<name>.yaml beside this script (default eval: paraphrase_eval.yaml).

PASSAGES.jsonl: every retrieval passage, one JSON object a line with title, heading and text, as written by
`drafter corpus export --passages` from a corpus holding examples/corpus and ../shared/corpus-external.
--show adds each query's words, its matches per judgment and its BM25 rank. Checks, for every query:
  - every relevant spec matches at least one passage; prints how many passages the query's judgments match;
  - gap: true  -> no content word of the query (jieba words minus FUNCTION_WORDS) occurs in any relevant
                  passage: not as one of its jieba words, nor (two characters or more) inside its text;
  - gap: false -> the query is not a copy: its longest common substring with a relevant passage is printed
                  and flagged when it is 10+ characters or covers most of the query.
Then hit@5 and MRR@10 of bm25s.BM25 (defaults) over jieba words of heading + text, overall, by gap and by
style. Exit status 2 when a spec matches nothing or a gap query overlaps its passages.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from difflib import SequenceMatcher
from pathlib import Path

import bm25s
import yaml

from drafter.text.tokens import default_tokenizer

HERE = Path(__file__).resolve().parent
EVAL_SET = HERE / "paraphrase_eval.yaml"
RE_NOT_WORD = re.compile(r"[\W_]+")
# Words that carry no topic: particles, pronouns, and the verbs every report uses for everything.
FUNCTION_WORDS = set(
    [
        "的",
        "地",
        "得",
        "了",
        "着",
        "和",
        "与",
        "及",
        "或",
        "等",
        "在",
        "把",
        "让",
        "对",
        "为",
        "是",
        "有",
        "要",
        "也",
        "都",
        "被",
        "给",
        "将",
        "从",
        "到",
        "向",
        "中",
        "后",
        "上",
        "下",
        "里",
        "就",
        "还",
        "这",
        "那",
        "其",
        "个",
        "一",
        "又",
        "并",
        "而",
        "以",
        "于",
        "之",
        "能",
        "会",
        "可",
        "不",
        "没",
        "怎么",
        "怎样",
        "如何",
        "哪些",
        "什么",
        "多",
        "更",
        "很",
        "好",
        "我们",
        "我",
        "你",
        "他们",
        "大家",
        "今年",
        "明年",
        "去年",
        "全年",
        "一年",
        "工作",
        "开展",
        "加强",
        "推进",
        "推动",
        "做好",
        "抓好",
        "落实",
        "积极",
        "持续",
        "大力",
        "深入",
        "不断",
        "进一步",
        "全面",
        "切实",
        "人",
        "由",
        "来",
        "出",
        "像",
        "一样",
        "先",
        "再",
        "点",
        "做",
        "一次",
        "不到",
        "没有",
    ]
)


def normalise(text: str) -> str:
    return RE_NOT_WORD.sub("", text).lower()


def load(path: Path) -> list[dict]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]
    for row in rows:
        row["specs"] = [
            (
                [normalise(t) for t in (s["text"] if isinstance(s["text"], list) else [s["text"]])],
                normalise(s.get("title", "")),
            )
            for s in row["relevant"]
        ]
    return rows


def matches(spec: tuple[list[str], str], texts: list[str], titles: list[str]) -> set[int]:
    words, title = spec
    return {
        i
        for i, (x, t) in enumerate(zip(texts, titles, strict=True))
        if title in t and all(w in x for w in words)
    }


def longest_common(a: str, b: str) -> str:
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[m.a : m.a + m.size]


SETS = ("eval", "holdout", "bureaus", "unseen", "fresh", "plain", "writers", "county")


def main() -> int:
    argv = sys.argv[1:]
    name = "eval"
    if "--set" in argv:
        at = argv.index("--set")
        name = argv[at + 1] if at + 1 < len(argv) else ""
        del argv[at : at + 2]
    args = [a for a in argv if not a.startswith("--")]
    show = "--show" in argv
    if len(args) != 1 or name not in SETS:
        print(__doc__)
        return 2
    eval_set = EVAL_SET.with_name(f"paraphrase_{name}.yaml")
    with open(args[0], encoding="utf-8") as handle:
        passages = [json.loads(line) for line in handle]
    raw = [f"{p['heading']}\n{p['text']}" if p["heading"] else p["text"] for p in passages]
    texts = [normalise(f"{p['heading']}{p['text']}") for p in passages]
    titles = [normalise(p["title"]) for p in passages]
    rows = load(eval_set)
    tok = default_tokenizer()
    corpus_tokens = [tok.words(r) for r in raw]
    vocab = [{w.lower() for w in ws} for ws in corpus_tokens]

    broken = overlap = 0
    relevant = []
    for n, row in enumerate(rows, 1):
        per_spec = [matches(s, texts, titles) for s in row["specs"]]
        good = set().union(*per_spec)
        relevant.append(good)
        empty = [s for s, m in zip(row["relevant"], per_spec, strict=True) if not m]
        broken += bool(empty)
        content = [w.lower() for w in tok.words(row["query"]) if w.lower() not in FUNCTION_WORDS]
        if row["gap"]:
            shared = sorted(
                {w for w in content for i in good if w in vocab[i] or (len(w) > 1 and w in texts[i])}
            )
            overlap += bool(shared)
            note = f"SHARED={shared}" if shared else "gap ok"
        else:
            q = normalise(row["query"])
            common = max((longest_common(q, texts[i]) for i in good), key=len, default="")
            flag = "COPY? " if len(common) >= 10 or len(common) > 0.6 * len(q) else ""
            note = f"{flag}lcs={common}"
        mark = "G" if row["gap"] else "-"
        print(f"{n:3d} {len(good):4d} {row['style'][:4]:4s} {mark} {row['query']}  [{note}]", end="")
        print(f"  EMPTY: {empty}" if empty else "")
        if show:
            print("        words:", content, " per spec:", [len(m) for m in per_spec])

    model = bm25s.BM25()
    model.index(corpus_tokens, show_progress=False)
    found = []
    for row, good in zip(rows, relevant, strict=True):
        docs, scores = model.retrieve([tok.words(row["query"])], k=10, show_progress=False)
        ranking = [int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]
        found.append(next((r for r, i in enumerate(ranking, 1) if i in good), None))

    def report(name: str, picked: Iterable[int]) -> None:
        r = [found[i] for i in picked]
        if r:
            hit = sum(1 for x in r if x and x <= 5) / len(r)
            mrr = sum(1 / x for x in r if x) / len(r)
            print(f"{name:12s} {len(r):3d} queries  hit@5 {hit:.3f}  MRR@10 {mrr:.3f}")

    print(f"\nBM25 over {len(passages)} passages")
    report("all", range(len(rows)))
    report("gap", [i for i, r in enumerate(rows) if r["gap"]])
    report("no gap", [i for i, r in enumerate(rows) if not r["gap"]])
    for style in ("topic", "phrase", "sentence"):
        report(style, [i for i, r in enumerate(rows) if r["style"] == style])
    if show:
        for row, r in zip(rows, found, strict=True):
            print(f"  BM25 rank {r!s:>4}  {row['query']}")
    print(f"\n{broken} queries with a spec that matches nothing, {overlap} gap queries sharing a word")
    return 2 if broken or overlap else 0


if __name__ == "__main__":
    raise SystemExit(main())
