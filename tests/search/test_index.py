"""Search: the passages a writer gets back for a topic, a phrase or a sentence of their draft."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from drafter.app_search import corpus_searcher
from drafter.models import Document, Passage, SearchFilters
from drafter.rows import hit_row
from drafter.search.counts import chunk_bounds, count_terms
from drafter.search.index import SearchIndex, indexed_text, search_terms
from drafter.search.meta import DocMeta
from drafter.search.searcher import Searcher
from drafter.search.store import JSON_NAME, NPZ_NAME
from drafter.search.weighting import PIVOT_SLOPE
from drafter.text.tokens import JiebaTokenizer, default_tokenizer
from tests.builders import make_document

ELDERLY = (
    "开展老年人“银龄跨越数字鸿沟”科普专项活动500余场，手把手教老年人用智能手机挂号、缴费，受益2万余人次。"
)
GAOQI = "深入实施高企培育行动，新认定国家高新技术企业162家，同比增长29.6%；科技型中小企业入库461家。"
TEPAIYUAN = "选派科技特派员120名深入颍东区各乡镇，实现涉农行政村“一对一”服务全覆盖。"
PLAN_TEPAIYUAN = "继续巩固科技特派员工作成效，完成科技特派员管理平台填报及市级调度考核工作。"
RD = "开展规上企业研发费用“清零”行动，实现亿元以上制造业企业无研发活动清零。"
SPACE = "新增市级众创空间4家、市级孵化器1家，2家获评国家级众创空间。"
OLD_HOUSING = "改造老旧小区120个，加装电梯300部，惠及居民3.2万户。"
TEP_QUERY = "科技特派员一对一服务涉农行政村"
RELICS = "配备文物保护安全员，建立文物保护监督巡查制度，各乡镇每月巡查一次。"


@pytest.fixture(scope="module")
def tokenizer() -> JiebaTokenizer:
    return default_tokenizer()


def meta_of(doc: Document, *sources: str) -> DocMeta:
    return DocMeta(doc.title, doc.source, doc.kind, doc.year, doc.unit, (doc.source, *sources))


def items_of(*docs: Document) -> list[tuple[Passage, DocMeta]]:
    return [(p, meta_of(d)) for d in docs for p in d.passages]


ANNUAL = make_document(
    "颍东区科技局2023年工作总结及2024年工作思路",
    [
        (
            "2023年工作总结",
            "summary",
            [
                ("聚焦科学普及，提升全民科学素质", ELDERLY),
                ("聚焦企业培育", GAOQI),
                ("强化科技强农", TEPAIYUAN),
            ],
        ),
        ("2024年工作思路", "plan", [("实施科技特派员提质工程", PLAN_TEPAIYUAN)]),
    ],
    kind="annual",
    year=2023,
    unit="颍东区科技局",
    source="seeds/annual.txt",
)
HALF = make_document(
    "区科技局上半年工作总结及下半年工作计划",
    [("主要措施及成效", "summary", [("狠抓研发投入", RD), ("双创平台", SPACE)])],
    kind="half",
    year=2022,
    unit="区科技局",
    source="seeds/half.txt",
)
GOV = make_document(
    "青溪市政府工作报告",
    [("今年工作安排", "plan", [("持续改善民生", OLD_HOUSING)])],
    kind="gov_report",
    year=2025,
    unit="青溪市人民政府",
    source="gov/qingxi.md",
)
UNDATED = make_document(
    "县文物局工作总结",
    [("主要工作", "summary", [("文物安全", RELICS)])],
    kind="summary",
    year=None,
    unit="县文物局",
    source="seeds/relics.txt",
)
CORPUS = (ANNUAL, HALF, GOV, UNDATED)


@pytest.fixture(scope="module")
def index(tokenizer: JiebaTokenizer) -> SearchIndex:
    return SearchIndex.build(items_of(*CORPUS), tokenizer)


# --- tokenisation --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("新认定高新技术企业162家", "高新技术企业"),
        ("科技型中小企业入库461家", "科技型中小企业"),
        ("新增市级众创空间4家", "众创空间"),
        ("选派科技特派员120名", "科技特派员"),
        ("引导企业加大研发投入", "研发投入"),
    ],
)
def test_domain_terms_stay_whole(tokenizer: JiebaTokenizer, text: str, term: str) -> None:
    assert term in search_terms(tokenizer, text)


def test_terms_are_words_plus_marked_bigrams_without_punctuation(tokenizer: JiebaTokenizer) -> None:
    terms = search_terms(tokenizer, "推进众创空间、孵化器建设。")
    assert {"众创空间", "孵化器", "#众创", "#孵化"} <= set(terms)
    assert not [t for t in terms if t.strip("#") in {"、", "。", ""}]


def test_scores_are_pivoted_tfidf_as_scikit_learn_weighs_terms(
    tokenizer: JiebaTokenizer, index: SearchIndex
) -> None:
    """The index ranks exactly as scikit-learn's TfidfVectorizer over the same analyzer would."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    passages = [p for d in CORPUS for p in d.passages]
    vectorizer = TfidfVectorizer(analyzer=partial(search_terms, tokenizer), sublinear_tf=True, norm=None)
    weights = vectorizer.fit_transform([indexed_text(p) for p in passages]).toarray()
    norms = np.linalg.norm(weights, axis=1)
    passage_rows = weights / ((1 - PIVOT_SLOPE) * norms.mean() + PIVOT_SLOPE * norms)[:, None]
    query = "科技特派员服务乡村振兴"
    q = vectorizer.transform([query]).toarray()[0]
    expected = passage_rows @ (q / np.linalg.norm(q))

    hits = index.search(query, k=len(passages))
    got = {h.passage_id: h.score for h in hits}
    for passage, score in zip(passages, expected, strict=True):
        if score > 0:
            assert math.isclose(got[passage.id], score, rel_tol=1e-4)
        else:
            assert passage.id not in got


# --- what a writer gets back ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("科技特派员", {TEPAIYUAN, PLAN_TEPAIYUAN}),  # a topic
        ("帮助老年人使用智能手机", {ELDERLY}),  # a phrase, not the passage's wording
        ("今年新认定的高新技术企业数量增长很快，科技型中小企业入库也创新高。", {GAOQI}),  # a draft sentence
        ("老旧小区加装电梯", {OLD_HOUSING}),
        ("众创空间和孵化器建设", {SPACE}),
        ("R&D 研发费用 清零", {RD}),
    ],
)
def test_the_passage_that_answers_comes_first(index: SearchIndex, query: str, best: set[str]) -> None:
    hits = index.search(query, k=3)
    assert hits[0].text in best


def test_a_hit_carries_what_the_writer_sees(index: SearchIndex) -> None:
    (hit,) = index.search("高企培育", k=1)
    assert hit.text == GAOQI
    assert hit.title == ANNUAL.title
    assert hit.source == "seeds/annual.txt"
    assert hit.heading == "聚焦企业培育"
    assert (hit.doc_id, hit.kind, hit.year, hit.unit, hit.part) == (
        ANNUAL.id,
        "annual",
        2023,
        "颍东区科技局",
        "summary",
    )
    assert 0 < hit.score <= 1.5
    assert (
        hit.frame
        == "深入实施高企培育行动，新认定国家高新技术企业【N】家，同比增长【N】%；科技型中小企业入库【N】家。"
    )


def test_matched_terms_are_query_words_found_in_the_passage(index: SearchIndex) -> None:
    hit = index.search("帮助老年人使用智能手机", k=1)[0]
    assert set(hit.terms) == {"老年人", "智能手机"}


def test_the_frame_slots_the_documents_own_place(index: SearchIndex) -> None:
    hit = index.search(TEP_QUERY, k=1)[0]
    assert hit.text == TEPAIYUAN
    assert hit.frame == "选派科技特派员【N】名深入【单位】各乡镇，实现涉农行政村“一对一”服务全覆盖。"


@pytest.mark.parametrize("query", ["", "   ", "，。！？……", "齉龘靐", "qwxz zzyq", "\n\t"])
def test_empty_and_nonsense_queries_return_nothing(index: SearchIndex, query: str) -> None:
    assert index.search(query) == []


def test_a_query_longer_than_a_page_still_finds_its_subject(index: SearchIndex) -> None:
    filler = "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，推动高质量发展。" * 60
    query = filler + "重点做好老旧小区改造和加装电梯工作。" + filler
    assert len(query) > 5000
    start = time.perf_counter()
    hits = index.search(query, k=3)
    assert time.perf_counter() - start < 2.0
    assert hits[0].text == OLD_HOUSING


@pytest.mark.parametrize(("k", "expected"), [(0, 0), (1, 1), (2, 2), (50, 2)])
def test_k_bounds_the_number_of_hits(index: SearchIndex, k: int, expected: int) -> None:
    assert len(index.search("特派员", k=k)) == expected  # two passages name 特派员


# --- filters -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("filters", "texts"),
    [
        (SearchFilters(kinds=("half",)), {RD, SPACE}),
        (
            SearchFilters(kinds=("annual", "gov_report")),
            {ELDERLY, GAOQI, TEPAIYUAN, PLAN_TEPAIYUAN, OLD_HOUSING},
        ),
        (SearchFilters(part="plan"), {PLAN_TEPAIYUAN, OLD_HOUSING}),
        (SearchFilters(year_from=2023), {ELDERLY, GAOQI, TEPAIYUAN, PLAN_TEPAIYUAN, OLD_HOUSING}),
        (SearchFilters(year_to=2022), {RD, SPACE}),  # the undated report is not "up to 2022"
        (SearchFilters(year_from=2022, year_to=2022), {RD, SPACE}),
        (SearchFilters(unit="科技局"), {ELDERLY, GAOQI, TEPAIYUAN, PLAN_TEPAIYUAN, RD, SPACE}),
        (SearchFilters(unit="文物局"), {RELICS}),
        (SearchFilters(kinds=("annual",), part="plan"), {PLAN_TEPAIYUAN}),
        (SearchFilters(kinds=("plan",)), set()),
        (SearchFilters(year_from=2030), set()),
    ],
)
def test_filters_restrict_the_hits(index: SearchIndex, filters: SearchFilters, texts: set[str]) -> None:
    # A query that touches every passage: the filter alone decides what comes back.
    query = "科技特派员 老年人 高新技术企业 研发 众创空间 老旧小区 文物保护"
    assert {h.text for h in index.search(query, k=20, filters=filters)} == texts


# --- de-duplication ------------------------------------------------------------------------------------
def _copy(doc: Document, title: str, source: str, text: str) -> Document:
    return make_document(title, [("主要工作", "summary", [("科技强农", text)])], kind="annual", source=source)


@pytest.mark.parametrize(
    "copy_text",
    [
        TEPAIYUAN,  # the same report on another site
        TEPAIYUAN.replace("，", ",").replace("。", "") + " ",  # re-punctuated by the site
        TEPAIYUAN.replace("120", "121"),  # a figure mistyped
        TEPAIYUAN[: len(TEPAIYUAN) * 3 // 4],  # cut short by the site
    ],
)
def test_a_passage_posted_on_several_sites_shows_once(tokenizer: JiebaTokenizer, copy_text: str) -> None:
    copy = _copy(ANNUAL, "转载：区科技局工作总结", "sites/copy.html", copy_text)
    index = SearchIndex.build(items_of(ANNUAL, copy), tokenizer)
    hits = index.search(TEP_QUERY, k=5)
    matching = [h for h in hits if "科技特派员" in h.text and "乡镇" in h.text]
    assert len(matching) == 1
    other = {"seeds/annual.txt", "sites/copy.html"} - {matching[0].source}
    assert set(matching[0].other_sources) == other


def test_passages_that_only_share_an_opening_stay_apart(tokenizer: JiebaTokenizer) -> None:
    other = "选派科技特派员120名深入山区，开展果树修剪、病虫害防治等技术培训30场，培训农民2000人次。"
    index = SearchIndex.build(items_of(ANNUAL, _copy(ANNUAL, "另一份总结", "b.txt", other)), tokenizer)
    texts = [h.text for h in index.search("选派科技特派员", k=5)]
    assert TEPAIYUAN in texts
    assert other in texts


def test_copies_do_not_crowd_out_distinct_hits(tokenizer: JiebaTokenizer) -> None:
    copies = [_copy(ANNUAL, f"转载{i}", f"site{i}.html", TEPAIYUAN) for i in range(12)]
    index = SearchIndex.build(items_of(ANNUAL, HALF, *copies), tokenizer)
    hits = index.search("科技特派员 研发 众创空间", k=4)
    assert len({h.text for h in hits}) == 4
    (tepaiyuan,) = [h for h in hits if h.text == TEPAIYUAN]
    assert len(tepaiyuan.other_sources) == 12


def test_a_document_seen_in_several_files_lists_them(tokenizer: JiebaTokenizer) -> None:
    items = [(p, meta_of(ANNUAL, "mirror/annual.html")) for p in ANNUAL.passages]
    (hit,) = SearchIndex.build(items, tokenizer).search(TEP_QUERY, k=1)
    assert hit.other_sources == ("mirror/annual.html",)


# --- persistence ---------------------------------------------------------------------------------------
def test_a_saved_index_reloads_with_the_same_answers(
    index: SearchIndex, tokenizer: JiebaTokenizer, tmp_path: Path
) -> None:
    index.save(tmp_path, "fp-1")
    loaded = SearchIndex.load(tmp_path, tokenizer)
    assert loaded is not None
    assert loaded.fingerprint == "fp-1"
    for query in ("科技特派员", "帮助老年人使用智能手机", "老旧小区"):
        filters = SearchFilters(kinds=("annual", "gov_report"))
        assert loaded.search(query, 3, filters) == index.search(query, 3, filters)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([JSON_NAME, NPZ_NAME])  # no temp files left


def test_missing_corrupt_or_foreign_files_mean_rebuild(
    index: SearchIndex, tokenizer: JiebaTokenizer, tmp_path: Path
) -> None:
    assert SearchIndex.load(tmp_path / "absent", tokenizer) is None
    index.save(tmp_path / "a", "fp")
    index.save(tmp_path / "b", "fp")

    (tmp_path / "a" / NPZ_NAME).write_bytes(b"PK\x03\x04 not a zip")
    assert SearchIndex.load(tmp_path / "a", tokenizer) is None

    (tmp_path / "b" / JSON_NAME).write_text("{not json", encoding="utf-8")
    assert SearchIndex.load(tmp_path / "b", tokenizer) is None


def test_files_from_two_different_saves_are_not_mixed(
    index: SearchIndex, tokenizer: JiebaTokenizer, tmp_path: Path
) -> None:
    index.save(tmp_path / "a", "fp")
    index.save(tmp_path / "b", "fp")
    (tmp_path / "a" / JSON_NAME).write_bytes((tmp_path / "b" / JSON_NAME).read_bytes())
    assert SearchIndex.load(tmp_path / "a", tokenizer) is None


def test_an_index_of_another_format_is_not_loaded(
    index: SearchIndex, tokenizer: JiebaTokenizer, tmp_path: Path
) -> None:
    index.save(tmp_path, "fp")
    meta = json.loads((tmp_path / JSON_NAME).read_text(encoding="utf-8"))
    meta["format"] = 0
    (tmp_path / JSON_NAME).write_text(json.dumps(meta), encoding="utf-8")
    assert SearchIndex.load(tmp_path, tokenizer) is None


def test_an_empty_corpus_gives_an_empty_index(tokenizer: JiebaTokenizer, tmp_path: Path) -> None:
    empty = SearchIndex.build([], tokenizer)
    assert empty.search("科技特派员") == []
    empty.save(tmp_path, "fp")
    reloaded = SearchIndex.load(tmp_path, tokenizer)
    assert reloaded is not None
    assert reloaded.search("科技特派员") == []


# --- the searcher: load, rebuild on change, threads ----------------------------------------------------
class FakeCorpus:
    """Documents, a fingerprint that changes with them, and a count of how often the index was built."""

    def __init__(self, *docs: Document) -> None:
        self.docs = list(docs)
        self.builds = 0
        self.fingerprints = 0

    def fingerprint(self) -> str:
        self.fingerprints += 1
        return ",".join(d.id for d in self.docs)

    def items(self) -> Iterator[tuple[Passage, DocMeta]]:
        self.builds += 1
        return iter(items_of(*self.docs))


def test_the_index_is_built_once_and_reloaded_at_start(tokenizer: JiebaTokenizer, tmp_path: Path) -> None:
    corpus = FakeCorpus(ANNUAL, HALF)
    first = Searcher(corpus.items, corpus.fingerprint, tmp_path, tokenizer)
    assert first.search(TEP_QUERY)[0].text == TEPAIYUAN
    first.search("众创空间")
    assert corpus.builds == 1

    restarted = Searcher(corpus.items, corpus.fingerprint, tmp_path, tokenizer)
    assert restarted.search("众创空间")[0].text == SPACE
    assert corpus.builds == 1  # loaded from disk, not rebuilt


def test_the_index_is_rebuilt_when_the_corpus_changes(tokenizer: JiebaTokenizer, tmp_path: Path) -> None:
    corpus = FakeCorpus(ANNUAL)
    searcher = Searcher(corpus.items, corpus.fingerprint, tmp_path, tokenizer)
    assert OLD_HOUSING not in {h.text for h in searcher.search("老旧小区加装电梯")}
    corpus.docs.append(GOV)
    assert searcher.search("老旧小区加装电梯")[0].text == OLD_HOUSING
    assert corpus.builds == 2
    calls = corpus.fingerprints
    searcher.search("科技特派员")
    assert corpus.fingerprints == calls + 1  # one cheap fingerprint check per search


def test_an_empty_query_builds_nothing(tokenizer: JiebaTokenizer, tmp_path: Path) -> None:
    corpus = FakeCorpus(ANNUAL)
    assert Searcher(corpus.items, corpus.fingerprint, tmp_path, tokenizer).search("  ") == []
    assert corpus.builds == 0


def test_an_unwritable_index_folder_still_answers(tokenizer: JiebaTokenizer, tmp_path: Path) -> None:
    blocker = tmp_path / "corpus.sqlite3.index"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    corpus = FakeCorpus(ANNUAL)
    searcher = Searcher(corpus.items, corpus.fingerprint, blocker / "inner", tokenizer)
    assert searcher.search(TEP_QUERY)[0].text == TEPAIYUAN


def test_threads_share_one_searcher_while_the_corpus_changes(
    tokenizer: JiebaTokenizer, tmp_path: Path
) -> None:
    corpus = FakeCorpus(ANNUAL, HALF)
    searcher = Searcher(corpus.items, corpus.fingerprint, tmp_path, tokenizer)
    errors: list[BaseException] = []
    results: list[int] = []

    def work() -> None:
        try:
            for _ in range(15):
                results.append(len(searcher.search("科技特派员", 2)))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    corpus.docs.append(GOV)
    for t in threads:
        t.join()
    assert errors == []
    assert set(results) == {2}
    assert corpus.builds <= 2  # one per fingerprint seen, never one per thread or query


def test_corpus_searcher_follows_the_real_corpus(tokenizer: JiebaTokenizer, corpus_path: Path) -> None:
    from drafter.corpus.store import Corpus

    with Corpus(corpus_path) as corpus:
        corpus.add(ANNUAL)
        corpus.add(ANNUAL, "mirror/annual.html")
        searcher = corpus_searcher(corpus, tokenizer)
        (hit,) = searcher.search(TEP_QUERY, 1)
        assert (hit.text, hit.source, hit.other_sources) == (
            TEPAIYUAN,
            "seeds/annual.txt",
            ("mirror/annual.html",),
        )
        assert (corpus.index_dir / JSON_NAME).is_file()

        corpus.add(GOV)
        assert searcher.search("老旧小区加装电梯", 1)[0].text == OLD_HOUSING


def test_hit_rows_hold_the_json_contract(index: SearchIndex) -> None:
    row = hit_row(index.search("高企培育", 1)[0])
    assert {
        "doc_id",
        "title",
        "heading",
        "text",
        "score",
        "frame",
        "terms",
        "source",
        "other_sources",
    } <= set(row)
    assert json.loads(json.dumps(row, ensure_ascii=False)) == row
    assert row["text"] == GAOQI


# --- counting terms in parallel ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sizes", "parts", "bounds"),
    [
        ([10, 10, 10, 10], 2, [(0, 2), (2, 4)]),
        ([30, 1, 1, 1], 2, [(0, 1), (1, 4)]),
        ([5], 4, [(0, 1)]),
        ([], 2, []),
        ([1, 1, 1], 1, [(0, 3)]),
    ],
)
def test_chunks_split_the_work_evenly(sizes: list[int], parts: int, bounds: list[tuple[int, int]]) -> None:
    assert chunk_bounds(sizes, parts) == bounds


def test_parallel_counting_equals_counting_in_one_process(
    tokenizer: JiebaTokenizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import drafter.search.counts

    texts = [indexed_text(p) for d in CORPUS for p in d.passages] * 3
    analyzer = partial(search_terms, tokenizer)
    serial_terms, serial = count_terms(texts, analyzer, workers=1)
    monkeypatch.setattr(drafter.search.counts, "PARALLEL_MIN_CHARS", 0)
    parallel_terms, parallel = count_terms(texts, analyzer, workers=3)
    assert sorted(serial_terms) == sorted(parallel_terms)
    order = [parallel_terms.index(t) for t in serial_terms]
    assert (parallel[:, order] != serial).nnz == 0


def test_a_counting_child_that_dies_loses_no_passage() -> None:
    """Children killed mid-way (out of memory, kill -9) have their share done by the parent: nothing missing."""
    import os

    from drafter.search.counts import in_forked_chunks

    parent = os.getpid()

    def work(lo: int, hi: int) -> list[int]:
        if os.getpid() != parent:
            os._exit(1)
        return list(range(lo, hi))

    parts = in_forked_chunks([1] * 9, work, 3)
    assert [i for part in parts for i in part] == list(range(9))
    assert in_forked_chunks([], work, 3) == []


# --- the evaluation set: the regression guard --------------------------------------------------------
@pytest.mark.slow
@pytest.mark.external
def test_drafter_ranks_at_least_as_well_as_bm25(external_dir: Path) -> None:
    """benchmarks/data/search_eval.yaml over the seeds + part of the external corpus: hit@5 and MRR@10."""
    from benchmarks import eval_search

    assert external_dir == eval_search.EXTERNAL
    assert eval_search.main(["--quick"]) == 0


def test_while_one_thread_rebuilds_the_others_answer_from_the_previous_index(
    tokenizer: JiebaTokenizer, tmp_path: Path
) -> None:
    corpus = FakeCorpus(ANNUAL)
    searcher = Searcher(corpus.items, corpus.fingerprint, tmp_path, tokenizer)
    assert searcher.search(TEP_QUERY)[0].text == TEPAIYUAN
    building, release = threading.Event(), threading.Event()
    slow_items = corpus.items

    def blocked_items() -> Iterator[tuple[Passage, DocMeta]]:
        building.set()
        release.wait(10)
        return slow_items()

    searcher._build_items = blocked_items
    corpus.docs.append(GOV)
    rebuilder = threading.Thread(target=searcher.search, args=("老旧小区加装电梯",))
    rebuilder.start()
    assert building.wait(10)
    # A writer's draft does not queue behind the rebuild: the previous index answers at once.
    assert OLD_HOUSING not in {h.text for h in searcher.search("老旧小区加装电梯")}
    release.set()
    rebuilder.join()
    assert searcher.search("老旧小区加装电梯")[0].text == OLD_HOUSING
