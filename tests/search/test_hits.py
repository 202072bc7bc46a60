"""What a hit shows beyond its text (frame, copies) is the same whether it was prepared with the index, read
back from a save, made when first shown, or made in a forked child."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from drafter.ingest.documents import documents_from_file
from drafter.ingest.read import iter_input_files
from drafter.models import Hit, Passage, SearchFilters
from drafter.search import prepared
from drafter.search.frames import SLOT_N, frame_of
from drafter.search.index import SearchIndex
from drafter.search.meta import DocMeta
from drafter.search.store import read_index, write_index
from drafter.text.tokens import JiebaTokenizer, default_tokenizer
from tests.builders import make_document

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "corpus"
QUERIES = ("科技特派员", "高新技术企业培育", "研发投入", "科技成果转化", "乡村振兴")


@pytest.fixture(scope="module")
def tokenizer() -> JiebaTokenizer:
    return default_tokenizer()


@pytest.fixture(scope="module")
def sample_items() -> list[tuple[Passage, DocMeta]]:
    items = []
    for path in sorted(iter_input_files([SAMPLE])):
        for doc in documents_from_file(path):
            meta = DocMeta(doc.title, doc.source, doc.kind, doc.year, doc.unit, (doc.source,))
            items.extend((passage, meta) for passage in doc.passages)
    return items


def answers(index: SearchIndex) -> list[list[Hit]]:
    return [index.search(q, 8) for q in QUERIES] + [
        index.search(q, 8, SearchFilters(part="plan")) for q in QUERIES
    ]


def test_the_frame_shown_is_the_passages_frame_however_the_index_was_made(
    sample_items: list[tuple[Passage, DocMeta]], tokenizer: JiebaTokenizer, tmp_path: Path
) -> None:
    built = SearchIndex.build(sample_items, tokenizer)
    shown = answers(built)
    assert sum(map(len, shown)) >= 30
    for hit in (h for hits in shown for h in hits):
        assert hit.frame == frame_of(hit.text, [hit.unit] if hit.unit else [])
    assert any(SLOT_N in h.frame for hits in shown for h in hits)  # figures are slotted

    built.save(tmp_path / "now")
    reloaded = SearchIndex.load(tmp_path / "now", tokenizer)
    assert reloaded is not None
    assert answers(reloaded) == shown

    # An index saved before frames were prepared with it (or one prepared for its first passages only,
    # passages added since): the missing frames are made when shown, and the next save keeps them.
    saved = read_index(tmp_path / "now")
    assert saved is not None
    arrays, meta = saved
    half = len(sample_items) // 2
    offsets = arrays["frame_offsets"][: half + 1]
    older = {k: v for k, v in arrays.items() if k not in prepared.KEYS}
    for name, extra in (
        ("none", {}),
        ("half", {"frames": arrays["frames"][: offsets[-1]], "frame_offsets": offsets}),
    ):
        write_index(tmp_path / name, {**older, **extra}, {k: v for k, v in meta.items() if k != "build_id"})
        old = SearchIndex.load(tmp_path / name, tokenizer)
        assert old is not None
        assert answers(old) == shown
        old.save(tmp_path / name)
        assert len(read_index(tmp_path / name)[0]["frame_offsets"]) == len(sample_items) + 1  # type: ignore[index]


def test_frames_made_in_forked_children_equal_frames_made_here(
    sample_items: list[tuple[Passage, DocMeta]], monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [p.text for p, _ in sample_items]
    units = [m.unit for _, m in sample_items]
    monkeypatch.setattr(prepared, "PARALLEL_MIN_PASSAGES", 10)
    assert prepared.frames_of(texts, units, workers=3) == prepared.frames_of(texts, units, workers=1)
    assert prepared.frames_of(texts, units, workers=1) == [
        frame_of(t, [u] if u else []) for t, u in zip(texts, units, strict=True)
    ]


BASE = (
    "选派科技特派员120名深入颍东区各乡镇，开展果树修剪、病虫害防治等技术培训30场，实现涉农行政村服务全覆盖。"
)
FAMILIES = {
    "copy": BASE,
    "re-punctuated": BASE.replace("，", ",").replace("。", ""),
    "figure changed": BASE.replace("120", "125"),
    "cut short": BASE[: len(BASE) * 3 // 4],
}
"""Copies of one passage as sites post it: each keeps the passage's beginning (a copy is compared with the hit
shown, by its beginning or its end)."""
OTHERS = (
    "选派科技特派员80名深入山区，开展茶叶种植技术指导，培训茶农1500人次，带动增收。",
    "科技特派员工作站新建12个，科技特派员服务企业200家，解决技术难题45项。",
    "组织科技特派员开展农业技术讲座，覆盖全县18个乡镇，发放技术资料5000份。",
)


def test_no_passage_is_shown_twice_and_every_copy_names_its_source(tokenizer: JiebaTokenizer) -> None:
    docs = [
        make_document(f"转载{i}", [("主要工作", "summary", [("科技强农", text)])], source=f"site{i}.html")
        for i, text in enumerate([*FAMILIES.values(), *OTHERS])
    ]
    index = SearchIndex.build(
        [(p, DocMeta(d.title, d.source, d.kind, d.year, d.unit)) for d in docs for p in d.passages], tokenizer
    )
    hits = index.search("科技特派员 乡镇 技术培训", k=10)
    word = re.compile(r"\W")
    family = [h for h in hits if "病虫害防治" in h.text or "果树修剪" in h.text]
    assert len(family) == 1  # four postings of one passage: shown once
    listed = {family[0].source, *family[0].other_sources}
    assert listed == {f"site{i}.html" for i in range(len(FAMILIES))}
    assert sorted(word.sub("", h.text) for h in hits if h not in family) == sorted(
        word.sub("", t) for t in OTHERS
    )


def test_the_ranking_alone_is_the_hits_passages_and_scores_in_order(
    tokenizer: JiebaTokenizer, sample_items: list[tuple[Passage, DocMeta]]
) -> None:
    """``rank`` (what the latency benchmark times against bm25s) decides exactly what ``search`` shows: the
    same passages, in the same order, with the same scores, copies folded alike, with and without the 口径
    table and filters; and searching the same query again gives the same hits."""
    from drafter.search.expansion import Expander

    docs = [
        make_document(f"转载{i}", [("主要工作", "summary", [("科技强农", text)])], source=f"site{i}.html")
        for i, text in enumerate([*FAMILIES.values(), *OTHERS])
    ]
    copies = [(p, DocMeta(d.title, d.source, d.kind, d.year, d.unit)) for d in docs for p in d.passages]
    index = SearchIndex.build([*sample_items, *copies], tokenizer)
    expander = Expander([("科技特派员", "科技专家下乡"), ("高新技术企业", "高企")])
    ids = [p.id for p, _ in [*sample_items, *copies]]
    cases = [
        (q, f, e)
        for q in (*QUERIES, "科技专家下乡 技术培训")
        for f in (None, SearchFilters(part="plan"))
        for e in (None, expander)
    ]
    folded = 0
    for query, filters, expansions in cases:
        ranking = index.rank(query, 8, filters, expansions)
        hits = index.search(query, 8, filters, expansions)
        assert [ids[i] for i in ranking.rows] == [h.passage_id for h in hits]
        assert [round(s, 6) for s in ranking.scores] == [h.score for h in hits]
        assert index.search(query, 8, filters, expansions) == hits
        # A hit is made without ``Hit.__init__`` (``HitMaker.hits``): it must hold every field, as one made by it.
        assert all(h == Hit(**{f.name: getattr(h, f.name) for f in fields(Hit)}) for h in hits)
        assert all(set(vars(h)) == {f.name for f in fields(Hit)} for h in hits)
        folded += sum(map(len, ranking.copies))
    assert folded  # near-copies were folded into some of the hits compared


def test_a_hit_matches_and_covers_the_query_alike_whatever_the_letter_case(tokenizer: JiebaTokenizer) -> None:
    """A hit's matched terms and coverage read its text in lower case: a query in Chinese alone finds them in
    the text as written (no lower-casing), a query with Latin letters in the lower-cased text, and either way
    they are those of ``expansion.coverage`` over the lower-cased heading and text."""
    from drafter.search.expansion import Expander, coverage

    texts = (
        "推进5G基站建设，全年新建5G基站320个，GDP增长6.5%。",
        "数字经济核心产业增加值占GDP比重达到9%，基站建设提速。",
        "Ⅱ类水体比例提高，İzmir友好城市交流项目推进，基站维护。",
    )
    docs = [
        make_document(f"报告{i}", [("主要工作", "summary", [("数字经济", t)])]) for i, t in enumerate(texts)
    ]
    index = SearchIndex.build(
        [(p, DocMeta(d.title, d.source, d.kind, d.year, d.unit)) for d in docs for p in d.passages], tokenizer
    )
    expander = Expander([("5G基站", "第五代移动通信基站"), ("基站建设", "铁塔建设")])
    checked = set()
    for query in ("基站建设", "5g基站 gdp", "GDP 基站", "ⅱ类水体", "铁塔建设"):
        for hit in index.search(query, 5, None, expander):
            ranking = index.rank(query, 5, None, expander)
            lowered = f"{hit.heading}\n{hit.text}".lower()
            shown = [*(w for w in ranking.words if len(w) >= 2), *(e.text for e in ranking.expansions)]
            assert hit.terms == tuple(w for w in dict.fromkeys(shown) if w in hit.text.lower())
            assert hit.coverage == round(coverage(ranking.words, ranking.expansions, lowered, index.idf), 3)
            checked.add((query, hit.text))
    assert any("gdp" in h.terms for h in index.search("5g基站 gdp", 5))  # found in the lower-cased text
    assert len(checked) >= 8
