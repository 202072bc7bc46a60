"""The phrase bank: mining end to end on hand-made reports, ranking, JSON, rows, and drafting helpers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pytest

from drafter.errors import CorpusError, NotFoundError
from drafter.models import PHRASE_CATEGORIES, Document, PhraseBank
from drafter.phrases.bank import mine, rank
from drafter.phrases.codec import bank_from_json, bank_to_json
from drafter.phrases.curated import Ban, Curated, parse_curated
from drafter.phrases.patterns import Candidate
from drafter.rows import phrase_rows
from tests.mining_builders import report, tokenizer

RE_ALLOWED = re.compile(r"^(?:[\u4e00-\u9fff，；。%…]|\{[XYN]\})+$")


def corpus() -> list[Document]:
    """Three small yearly reports that share their formulas but never their specifics."""
    themes = [
        ("企业主体培育", "优化科技产业生态", "科技企业培育加速", "区委、区政府", "162", "29.6"),
        ("高端人才引育", "奋力打造科创高地", "人才筑巢建设", "县委、县政府", "45", "12.5"),
        ("科学素质提升", "打造科普品牌", "科普提质创新", "市委、市政府", "xx", "x.x"),
    ]
    docs = []
    for i, (theme, result, project, leaders, n, pct) in enumerate(themes):
        summary = [
            (
                f"聚焦{theme}，{result}",
                f"以{theme}为抓手，完善工作机制。新认定高新技术企业{n}家，同比增长{pct}%。",
            ),
            (f"聚焦{['平台建设', '创新服务', '成果转化'][i]}，增强创新动能", "一是开展调研。二是健全机制。"),
        ]
        plan = [
            (f"实施{project}工程", f"围绕{theme}，加快载体建设。"),
            (f"实施{['平台提升', '服务优化', '开放合作'][i]}工程", "完善政策体系。"),
        ]
        problems = [("存在问题", f"{['企业创新意愿', '研发投入强度', '人才集聚能力'][i]}不强。")]
        docs.append(
            report(
                f"区科技局{2021 + i}年工作总结及{2022 + i}年工作思路",
                [
                    ("工作总结", "summary", summary),
                    ("存在问题", "problems", problems),
                    ("工作思路", "plan", plan),
                ],
                preamble=f"{2021 + i}年，区科技局在{leaders}的坚强领导下，现将工作{['汇报', '总结', '报告'][i]}如下：",
                closing=f"我们将为{['全区高质量发展', '县域经济转型', '全市科技创新'][i]}作出新的更大贡献。",
            )
        )
    return docs


@pytest.fixture(scope="module")
def bank() -> PhraseBank:
    return mine(iter(corpus()), tokenizer())


def test_each_category_surfaces_its_formula(bank: PhraseBank) -> None:
    found = {(p.category, p.pattern) for p in bank.phrases}
    for expected in [
        ("summary_opener", "聚焦{X}，{Y}"),
        ("plan_opener", "实施{X}工程"),
        ("clause_frame", "以{X}为抓手"),
        ("clause_frame", "围绕{X}，{Y}"),
        ("enumeration", "一是{X}。二是{Y}。……"),
        ("figure_frame", "新认定高新技术企业{N}家"),
        ("figure_frame", "同比增长{N}%"),
        ("problem", "{X}不强"),
        ("opening", "现将{X}如下"),
        ("opening", "在{X}的坚强领导下"),
        ("closing", "为{X}作出新的更大贡献"),
    ]:
        assert expected in found, expected


def test_every_phrase_is_a_recurring_pattern_with_real_examples(bank: PhraseBank) -> None:
    texts = {doc.id: doc.text + "".join(p.text for p in doc.passages) for doc in corpus()}
    for phrase in bank.phrases:
        assert phrase.docs >= 2, phrase
        assert phrase.source == "mined"
        assert RE_ALLOWED.match(phrase.pattern), phrase.pattern
        for example in phrase.examples:
            assert example.text.rstrip("…") in texts[example.doc_id] or example.doc_id == "curated"
            assert example.title.startswith("区科技局")


def test_parallel_families_serve_their_part(bank: PhraseBank) -> None:
    assert [f.family for f in bank.families_for("summary")] == ["聚焦"]
    assert [f.family for f in bank.families_for("plan")] == ["实施…工程"]
    assert bank.families_for("plan")[0].parallel_parts == 3


def test_the_bank_is_listed_best_first_with_every_category_best_at_one(bank: PhraseBank) -> None:
    scores = [p.score for p in bank.phrases]
    assert scores == sorted(scores, reverse=True)
    for category in {p.category for p in bank.phrases}:
        assert bank.by_category(category)[0].score == 1.0


def test_an_empty_corpus_gives_an_empty_bank_and_one_report_a_small_one() -> None:
    assert mine([], tokenizer()) == PhraseBank()
    bank = mine(corpus()[:1], tokenizer())
    assert {p.docs for p in bank.phrases} == {1}
    assert bank.families_for("summary")


def test_mining_streams_documents_once() -> None:
    consumed: list[str] = []

    def stream() -> Iterator[Document]:
        for doc in corpus():
            consumed.append(doc.id)
            yield doc

    mine(stream(), tokenizer())
    assert len(consumed) == 3 == len(set(consumed))


def test_a_curated_ban_keeps_a_pattern_out_and_additions_lead() -> None:
    curated = Curated(ban=(Ban(pattern="以{X}为抓手"),))
    curated = parse_curated("add:\n  - category: closing\n    pattern: 为{X}作出新的更大贡献\n")
    curated = Curated(add=curated.add, ban=(Ban(pattern="以{X}为抓手"),))
    bank = mine(corpus(), tokenizer(), curated)
    assert "以{X}为抓手" not in {p.pattern for p in bank.phrases}
    assert (bank.phrases[0].pattern, bank.phrases[0].source) == ("为{X}作出新的更大贡献", "curated")


def candidate(pattern: str, count: int, score: float, category: str = "opening") -> Candidate:
    return Candidate(category, pattern, count, 2, score, (), family="现将")  # type: ignore[arg-type]


def test_ranking_keeps_the_more_specific_of_nested_patterns() -> None:
    phrases = rank([candidate("现将{X}", 10, 9.0), candidate("现将{X}如下", 9, 8.0)])
    assert [p.pattern for p in phrases] == ["现将{X}如下"]
    phrases = rank([candidate("现将{X}", 10, 9.0), candidate("现将{X}如下", 3, 8.0)])
    assert {p.pattern for p in phrases} == {"现将{X}", "现将{X}如下"}


def test_ranking_drops_noisy_patterns() -> None:
    assert rank([candidate("IOO余{X}", 5, 1.0), candidate("**区{X}", 5, 1.0)]) == ()


def test_json_round_trip_is_exact(bank: PhraseBank) -> None:
    text = bank_to_json(bank)
    assert bank_from_json(text) == bank
    data = json.loads(text)
    assert (data["format"], data["version"]) == ("drafter-phrasebank", 1)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"format": "other"}',
        '{"format": "drafter-phrasebank", "version": 99}',
        '{"format": "drafter-phrasebank", "version": 1, "phrases": [{"category": "nope"}], "families": []}',
    ],
)
def test_unreadable_bank_data_says_to_mine_again(text: str) -> None:
    with pytest.raises(CorpusError, match="drafter mine"):
        bank_from_json(text)


def test_rows_follow_the_cli_contract(bank: PhraseBank) -> None:
    rows = phrase_rows(bank)
    assert len(rows) == len(bank.phrases)
    for row in rows:
        assert {"category", "pattern", "count", "docs", "examples", "source"} <= set(row)
        assert all(set(e) == {"text", "doc_id", "title"} for e in row["examples"])
    figures = phrase_rows(bank, "figure_frame")
    assert figures
    assert {r["category"] for r in figures} == {"figure_frame"}
    indicator = next(r for r in figures if r["pattern"] == "新认定高新技术企业{N}家")
    assert (indicator["label"], indicator["unit"]) == ("新认定高新技术企业", "家")
    json.dumps(rows, ensure_ascii=False)


def test_an_unknown_category_is_a_user_error_listing_the_choices(bank: PhraseBank) -> None:
    with pytest.raises(NotFoundError, match="figure_frame"):
        phrase_rows(bank, "figures")
    assert set(PHRASE_CATEGORIES) >= {r["category"] for r in phrase_rows(bank)}


def test_figure_frames_are_the_form_suggestions(bank: PhraseBank) -> None:
    frames = bank.figure_frames()
    assert {(p.label, p.unit) for p in frames} >= {("新认定高新技术企业", "家"), ("同比增长", "%")}
    assert all(p.label and p.unit for p in frames)


def seed_documents(seeds_dir: Path) -> list[Document]:
    from drafter.ingest.documents import documents_from_file

    return [doc for path in sorted(seeds_dir.glob("*.txt")) for doc in documents_from_file(path)]


def test_the_seeds_surface_the_formulas_a_writer_recognises(seeds_dir: Path) -> None:
    bank = mine(seed_documents(seeds_dir), tokenizer())
    patterns = {p.pattern for p in bank.phrases}
    for expected in [
        "聚焦{X}，{Y}",
        "实施{X}工程",
        "全力以赴抓好{X}",
        "着力{X}",
        "切实{X}",
        "加强{X}，{Y}",
        "强化{X}",
        "一是{X}。二是{Y}。……",
        "同比增长{N}%",
        "{X}创历史新高",
    ]:
        assert expected in patterns, expected
    families = {(f.part, f.family) for f in bank.families}
    assert {
        ("summary", "聚焦"),
        ("summary", "狠抓"),
        ("plan", "实施…工程"),
        ("plan", "全力以赴抓好"),
    } <= families
    assert bank.families_for("summary")[0].family != bank.families_for("plan")[0].family
    top = bank.phrases[:50]
    assert sum(p.docs >= 2 for p in top) >= 45
    assert not any(
        re.search(r"[A-Za-z0-9]", p.pattern.replace("{X}", "").replace("{Y}", "").replace("{N}", ""))
        for p in bank.phrases
    )


def test_the_shipped_bank_is_the_current_mining_of_the_seeds(seeds_dir: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "phrasebank" / "mined.json"
    bank = bank_from_json(shipped.read_text(encoding="utf-8"))
    fresh = mine(seed_documents(seeds_dir), tokenizer())
    # When this fails, run: python scripts/build_phrasebank.py
    assert [(p.category, p.pattern) for p in bank.phrases] == [(p.category, p.pattern) for p in fresh.phrases]
    assert [(f.part, f.family) for f in bank.families] == [(f.part, f.family) for f in fresh.families]
    assert bank.families_for("summary")
    assert bank.families_for("plan")
    assert bank.figure_frames()
    assert all(p.source == "mined" for p in bank.phrases)


@pytest.mark.external
@pytest.mark.slow
def test_a_slice_of_the_external_corpus_mines_in_bounded_tables(external_dir: Path) -> None:
    from drafter.ingest.documents import documents_from_file

    files = sorted(p for p in external_dir.rglob("*") if p.suffix in (".md", ".csv"))
    docs = list(islice((d for f in files[::8] for d in documents_from_file(f)), 40))
    bank = mine(docs, tokenizer())
    by_category = {p.category for p in bank.phrases}
    assert {"clause_frame", "figure_frame", "result", "enumeration", "opening"} <= by_category
    patterns = {p.pattern for p in bank.phrases}
    assert {"坚持{X}，{Y}", "一是{X}。二是{Y}。……"} <= patterns
    assert any(f.part == "plan" for f in bank.families)


def test_the_seed_bank_keeps_its_measured_quality(seeds_dir: Path) -> None:
    from benchmarks import eval_phrases

    bank = mine(seed_documents(seeds_dir), tokenizer())
    reference = eval_phrases.load_reference()
    judged = eval_phrases.load_judgements()
    top = eval_phrases.top_phrases(bank)
    unjudged = [(p.category, p.pattern) for p in top if (p.category, p.pattern) not in judged]
    # When this fails after a change to mining or cleaning, run python -m benchmarks.eval_phrases and judge.
    assert unjudged == []
    assert sum(judged[(p.category, p.pattern)] for p in top) >= 0.9 * len(top)
    assert sum(p.docs >= 2 for p in top) >= 0.9 * len(top)
    assert eval_phrases.recall(reference, [(p.category, p.pattern) for p in bank.phrases]).loose >= 0.6


def test_listing_puts_attested_phrases_before_unattested_curated_ones(
    seeded_corpus: Path, tmp_path: Path
) -> None:
    from drafter.app import Drafter

    corpus = tmp_path / "c.sqlite3"
    corpus.write_bytes(seeded_corpus.read_bytes())
    rows = Drafter(corpus).phrase_rows()
    attested = [r["docs"] > 0 for r in rows]
    assert attested == sorted(attested, reverse=True)
    assert all(r["docs"] >= 1 for r in rows[:50])
    assert any(r["source"] == "curated" for r in rows)
