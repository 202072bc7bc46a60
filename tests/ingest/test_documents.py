"""Files → structured documents: the seeds end to end, passage rules, ids, and the external corpus."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from drafter.ingest.clean import GAP_MARKER, to_simplified
from drafter.ingest.documents import (
    MAX_PASSAGE,
    MIN_PASSAGE_CJK,
    build_documents,
    document_id,
    documents_from_file,
)
from drafter.models import Document, RawDocument

RE_CJK = re.compile(r"[\u4e00-\u9fff]")

# Page furniture a scraped report must not keep (whole lines or unmistakable fragments).
RE_PAGE_CHROME = re.compile(
    r"^(?:下载|打印|全屏|收藏|加大|还原|减小|】|【|大|中|小|×|首页|>|分享[:：]?|相关报道[:：]|相关文档[:：])$"
    r"|【字[号体]|^[（(]?来源[:：]|^编辑[:：]|^(?:发表)?时间[:：]|摄$|^分享到|关闭窗口|打印本页|扫一扫|您的位置|当前位置"
    r"|阅读量|^\d{4}-\d\d-\d\d|日报$|客户端$|上一篇|下一篇|本文地址|ICP备|content_\d|小编|由会员分享|第\d+页",
    re.M,
)


@pytest.fixture(scope="module")
def seed_docs(seeds_dir: Path) -> dict[str, list[Document]]:
    return {path.name[:3]: documents_from_file(path) for path in sorted(seeds_dir.glob("*.txt"))}


def _check_invariants(doc: Document) -> None:
    """What every document promises its users: offsets that point at its text, stable ids, no noise."""
    assert doc.id == document_id(doc.text)
    assert doc.text.split("\n", 1)[0] == doc.title
    for section in doc.sections:
        assert doc.text[section.start :].startswith(section.number + section.heading)
        assert section.start < section.end <= len(doc.text)
        line_start = section.start == 0 or doc.text[section.start - 1] == "\n"
        assert line_start, f"heading not on its own line: {section.heading}"
    # a heading line is never a passage, unless it is a numbered statement with nothing under it
    headings = {s.start for s in doc.sections if not (s.level >= 3 and not s.text.strip())}
    for position, passage in enumerate(doc.passages):
        assert passage.id == f"{doc.id}-{position:04d}"
        assert passage.doc_id == doc.id
        assert passage.position == position
        assert doc.text[passage.start : passage.end] == passage.text
        assert passage.start not in headings
        assert GAP_MARKER not in passage.text
        if passage.section >= 0:
            owner = doc.sections[passage.section]
            assert passage.heading == owner.heading
            assert passage.part == owner.part
            assert owner.start <= passage.start < owner.end


def test_the_seeds_become_at_least_twenty_clean_documents(seed_docs: dict[str, list[Document]]) -> None:
    docs = [doc for group in seed_docs.values() for doc in group]
    assert len(docs) >= 20
    assert len(seed_docs["003"]) == 16
    assert len({doc.id for doc in docs}) == len(docs)
    for doc in docs:
        _check_invariants(doc)
        assert to_simplified(doc.text) == doc.text
        assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", doc.text)
        assert not RE_PAGE_CHROME.search(doc.text), RE_PAGE_CHROME.search(doc.text)
        assert doc.passages


def test_seed_000_is_an_annual_report_of_the_district_bureau(seed_docs: dict[str, list[Document]]) -> None:
    [doc] = seed_docs["000"]
    assert (doc.kind, doc.year, doc.unit) == ("annual", 2020, "区科技局")
    assert doc.title == "区科技局2020年度工作总结及2021年工作思路"
    assert GAP_MARKER in doc.text.split("\n")
    assert [s.part for s in doc.sections if s.level == 1] == ["summary", "plan"]


def test_seed_001_has_two_parts_of_six_and_seven_sections(seed_docs: dict[str, list[Document]]) -> None:
    [doc] = seed_docs["001"]
    assert doc.title == "2022年工作总结与2023年工作思路"
    assert (doc.kind, doc.year, doc.years) == ("annual", 2022, (2022, 2023))
    parts = [s for s in doc.sections if s.level == 1]
    assert [s.heading for s in parts] == ["2022年主要工作", "2023年工作思路"]
    summary = [s for s in doc.sections if s.level == 2 and s.part == "summary"]
    plan = [s for s in doc.sections if s.level == 2 and s.part == "plan"]
    assert (len(summary), len(plan)) == (6, 7)
    assert summary[0].heading == "聚焦核心指标提升，增强科技创新动能"
    assert plan[0].heading == "实施党建红引领科技蓝提升工程"
    assert "实现亿元以上制造业企业无研发活动清零" in doc.text
    item_passages = [p for p in doc.passages if p.heading == summary[0].heading]
    assert [p.text[:2] for p in item_passages] == ["紧紧", "一是", "二是", "三是"]


def test_seed_002_is_a_half_year_report_with_a_problems_part(seed_docs: dict[str, list[Document]]) -> None:
    [doc] = seed_docs["002"]
    assert (doc.kind, doc.unit) == ("half", "区科技局")
    assert {s.part for s in doc.sections} >= {"summary", "problems", "plan"}
    assert "范例" not in doc.text
    assert "xx家" in doc.text  # placeholders stay


def test_seed_004_is_a_plan_for_2021(seed_docs: dict[str, list[Document]]) -> None:
    [doc] = seed_docs["004"]
    assert (doc.kind, doc.year, doc.unit) == ("plan", 2021, "区科技局")
    assert len(doc.sections) == 6
    assert all(s.heading.startswith("全力以赴") for s in doc.sections)
    assert {p.part for p in doc.passages} == {"plan"}
    assert "导语" not in doc.text


def test_seed_003_articles_keep_their_own_titles(seed_docs: dict[str, list[Document]]) -> None:
    titles = [doc.title for doc in seed_docs["003"]]
    assert titles[0] == "科学技术局工作总结与来年工作思路（篇一）"
    assert all(doc.kind == "annual" for doc in seed_docs["003"])
    fifth = seed_docs["003"][4]
    assert [s.heading for s in fifth.sections if s.level == 1] == ["2004年主要工作回顾", "2005年工作思路"]


def test_a_document_rebuilt_from_its_own_text_is_the_same(seed_docs: dict[str, list[Document]]) -> None:
    for doc in (d for group in seed_docs.values() for d in group):
        [again] = build_documents(RawDocument(source=doc.source, text=doc.text, title=doc.title))
        assert again == doc


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "page.html",
            [("青溪区科学技术局2024年工作总结及2025年工作思路", "annual", 2024, "青溪区科学技术局", 4)],
        ),
        (
            "reports.csv",
            [
                ("青溪区科技局2024年工作总结", "summary", 2024, "青溪区科技局", 2),
                ("青溪区科技局2025年工作计划", "plan", 2025, "青溪区科技局", 1),
            ],
        ),
        (
            "reports.jsonl",
            [
                ("青溪区科技局2024年上半年工作总结及下半年工作计划", "half", 2024, "青溪区科技局", 4),
                ("县文旅局2023年工作总结", "summary", 2023, "县文旅局", 2),
            ],
        ),
    ],
)
def test_every_format_becomes_documents(name: str, expected: list[tuple[str, str, int, str, int]]) -> None:
    docs = documents_from_file(Path(__file__).resolve().parents[1] / "data" / name)
    assert [(d.title, d.kind, d.year, d.unit, len(d.sections)) for d in docs] == expected
    for doc in docs:
        _check_invariants(doc)
        assert not RE_PAGE_CHROME.search(doc.text)


def _raw(text: str, title: str | None = "区科技局2024年工作总结") -> RawDocument:
    return RawDocument(source="test.txt", text=text, title=title)


def test_enumerated_items_become_passages_and_headings_do_not() -> None:
    [doc] = build_documents(
        _raw("一、主要工作\n（一）聚焦企业培育。\n为壮大主体，一是强化梯次培育。二是做好申报辅导。")
    )
    # The lead-in is too short to stand alone, so it joins the first item.
    assert [p.text for p in doc.passages] == ["为壮大主体，一是强化梯次培育。", "二是做好申报辅导。"]
    assert all(p.heading == "聚焦企业培育" for p in doc.passages)


def test_short_fragments_merge_into_the_next_passage() -> None:
    [doc] = build_documents(
        _raw("（一）聚焦企业培育。\n成效明显。\n新认定国家高新技术企业162家，同比增长29.6%。")
    )
    assert [p.text for p in doc.passages] == ["成效明显。\n新认定国家高新技术企业162家，同比增长29.6%。"]
    assert all(len(RE_CJK.findall(p.text)) >= MIN_PASSAGE_CJK for p in doc.passages)


def test_long_paragraphs_are_split_at_sentence_ends() -> None:
    sentence = "围绕生物健康、人工智能等重点发展方向，组织企业上报省级研发攻关计划项目共计二十项。"
    [doc] = build_documents(_raw(sentence * 30))
    assert len(doc.passages) > 1
    assert all(len(p.text) <= MAX_PASSAGE for p in doc.passages)
    assert all(p.text.endswith("。") for p in doc.passages)
    assert "".join(p.text for p in doc.passages) == sentence * 30


def test_gap_markers_are_not_passages() -> None:
    text = "我区高新技术产业增加值大幅增长 ……(省略657字,正式会员可完整阅读)…… 后半部分的正文内容在这里继续。"
    [doc] = build_documents(_raw(text))
    assert GAP_MARKER in doc.text
    assert [p.text for p in doc.passages] == [
        "我区高新技术产业增加值大幅增长",
        "后半部分的正文内容在这里继续。",
    ]


def test_document_id_ignores_whitespace_and_changes_with_content() -> None:
    assert document_id("区科技局 工作\n总结") == document_id("区科技局工作总结")
    assert document_id("区科技局工作总结") != document_id("区科技局工作计划")
    assert re.fullmatch(r"[0-9a-f]{16}", document_id("文本"))


def test_the_same_report_in_two_files_is_one_document(tmp_path: Path) -> None:
    text = "区科技局2024年工作总结\n一、主要工作\n新认定国家高新技术企业162家，同比增长29.6%。"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("\n", "\r\n") + "\n\n", encoding="gb18030")
    [a] = documents_from_file(tmp_path / "a.txt")
    [b] = documents_from_file(tmp_path / "b.txt")
    assert a.id == b.id
    assert a.source != b.source


def test_documents_and_the_reader_function_pickle(seeds_dir: Path) -> None:
    docs = documents_from_file(seeds_dir / "004_1374b80eadc4d3f0.txt")
    assert pickle.loads(pickle.dumps(docs)) == docs
    assert pickle.loads(pickle.dumps(documents_from_file)) is documents_from_file


def test_page_head_above_the_title_is_dropped() -> None:
    text = "您的位置:\n首页\n>\n云南要闻\n云南要闻\n2026年政府工作报告\n来源：云南日报\n各位代表：\n一、2025年工作回顾\n全省生产总值增长5%。"
    [doc] = build_documents(_raw(text, title="2026年政府工作报告"))
    assert doc.text.split("\n")[:3] == ["2026年政府工作报告", "各位代表：", "一、2025年工作回顾"]


@pytest.mark.external
def test_every_external_report_is_read_cleanly(external_dir: Path) -> None:
    files = sorted(p for p in external_dir.rglob("*") if p.suffix in (".md", ".csv"))
    assert len(files) >= 400
    outlined = 0
    gov_reports = 0
    for path in files:
        docs = documents_from_file(path)
        assert len(docs) == 1, path
        doc = docs[0]
        _check_invariants(doc)
        if "政府工作报告" in doc.title or path.suffix == ".csv":
            gov_reports += 1
            assert doc.kind == "gov_report", path
        if path.suffix == ".csv":
            assert not RE_PAGE_CHROME.search(doc.text), (path.name, RE_PAGE_CHROME.search(doc.text))
            assert len(doc.sections) >= 5, path.name
            assert doc.unit is not None, path.name
            assert doc.unit.endswith("人民政府"), (path.name, doc.unit)
        levels = [s.level for s in doc.sections]
        if levels.count(1) >= 2 or levels.count(2) >= 3:
            outlined += 1
    assert gov_reports >= 400
    assert outlined >= 0.95 * len(files)


def test_a_numbered_statement_with_nothing_under_it_stays_searchable() -> None:
    from drafter.models import RawDocument

    text = (
        "区科技局2024年工作总结\n一、主要工作\n（一）知识产权工作\n1.申请专利资助共215件，同比增长12%。\n"
        "2.目前完成技术交易合同数20项，技术交易额3424万元。\n（1）此次活动采取专家咨询、摆放展牌等多项内容。\n"
    )
    (doc,) = build_documents(RawDocument("t.txt", text))
    assert any("技术交易额3424万元" in p.text for p in doc.passages)
    assert any(s.heading == "知识产权工作" for s in doc.sections)
    assert not any(p.text.endswith("知识产权工作") for p in doc.passages)
