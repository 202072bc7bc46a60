"""The SQLite corpus: lossless storage, idempotent adds, fingerprints, lookups, refusals and exports."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drafter.corpus.opening import open_corpus
from drafter.corpus.rows import SCHEMA_VERSION
from drafter.corpus.store import Corpus
from drafter.errors import CorpusError, NotFoundError
from drafter.models import Document
from drafter.rows import document_row, passage_row, summary_row
from tests.builders import make_document


def annual(title: str = "区科技局2024年工作总结及2025年工作思路", source: str = "a.txt") -> Document:
    return make_document(
        title,
        [
            (
                "2024年工作总结",
                "summary",
                [
                    ("聚焦企业培育，壮大创新主体", "新认定高新技术企业12家。\n科技型中小企业入库86家。"),
                    ("聚焦平台建设，提升创新能级", "新建市级研发中心5家。"),
                ],
            ),
            ("存在的问题", "problems", [("研发投入不足", "企业研发投入意愿不强。")]),
            ("2025年工作思路", "plan", [("实施企业培育工程", "力争新认定高新技术企业15家。")]),
        ],
        source=source,
    )


def plan(title: str = "区科技局2025年工作计划") -> Document:
    return make_document(
        title, [("重点任务", "plan", [("全力以赴抓好项目建设", "推进重大项目8个。")])], kind="plan", year=2025
    )


@pytest.fixture
def corpus(corpus_path: Path) -> Iterator[Corpus]:
    with Corpus(corpus_path) as opened:
        yield opened


def test_document_round_trips_whole(corpus: Corpus) -> None:
    doc = annual()
    assert corpus.add(doc)
    assert corpus.get(doc.id) == doc
    assert list(corpus.documents()) == [doc]


def test_round_trip_survives_reopening(corpus_path: Path) -> None:
    docs = [annual(), plan()]
    with Corpus(corpus_path) as corpus:
        for doc in docs:
            corpus.add(doc)
    with Corpus(corpus_path) as corpus:
        assert list(corpus.documents()) == docs
        assert corpus.count() == 2


def test_documents_filters_by_kind(corpus: Corpus) -> None:
    corpus.add(annual())
    corpus.add(plan())
    assert [d.title for d in corpus.documents(kinds=["plan"])] == ["区科技局2025年工作计划"]
    assert len(list(corpus.documents(kinds=["annual", "plan"]))) == 2
    assert list(corpus.documents(kinds=["half"])) == []


def test_re_adding_is_idempotent_and_records_the_extra_source(corpus: Corpus) -> None:
    doc = annual(source="site-a/report.html")
    assert corpus.add(doc) is True
    assert corpus.add(doc) is False
    assert corpus.add(dataclasses.replace(doc, source="site-b/report.txt")) is False
    assert corpus.count() == 1
    assert corpus.sources_of(doc.id) == ("site-a/report.html", "site-b/report.txt")
    assert corpus.get(doc.id).source == "site-a/report.html"
    (summary,) = corpus.summaries()
    assert summary.sources == ("site-a/report.html", "site-b/report.txt")
    assert len(list(corpus.passages())) == len(doc.passages)


def test_explicit_source_is_recorded(corpus: Corpus) -> None:
    doc = annual(source="upload.docx")
    corpus.add(doc, source="/tmp/upload-1/upload.docx")
    assert corpus.sources_of(doc.id) == ("upload.docx", "/tmp/upload-1/upload.docx")


def test_fingerprint_changes_on_add_and_remove_only(corpus_path: Path) -> None:
    with Corpus(corpus_path) as corpus:
        empty = corpus.fingerprint()
        doc = annual()
        corpus.add(doc)
        one = corpus.fingerprint()
        assert one != empty
        corpus.add(doc)
        corpus.add(doc, source="elsewhere.txt")
        corpus.save_phrases('{"phrases": []}')
        list(corpus.documents())
        assert corpus.fingerprint() == one
        corpus.add(plan())
        two = corpus.fingerprint()
        assert two not in {empty, one}
    with Corpus(corpus_path) as corpus:
        assert corpus.fingerprint() == two
        corpus.remove(plan().id)
        after_remove = corpus.fingerprint()
        assert after_remove not in {two, one}  # a removed-then-re-added document may be parsed anew
        corpus.add(plan())
        assert corpus.fingerprint() not in {after_remove, two}


def test_two_corpora_with_the_same_documents_differ_in_fingerprint(tmp_path: Path) -> None:
    prints = []
    for name in ("a.sqlite3", "b.sqlite3"):
        with Corpus(tmp_path / name) as corpus:
            corpus.add(annual())
            prints.append(corpus.fingerprint())
    assert prints[0] != prints[1]


@pytest.mark.parametrize(
    "key_of",
    [lambda i: i, lambda i: i[:6], lambda i: i[:8].upper(), lambda i: f" {i[:8]} "],
    ids=["full", "prefix6", "upper", "spaces"],
)
def test_lookup_by_id_or_unique_prefix(corpus: Corpus, key_of: Callable[[str], str]) -> None:
    doc = annual()
    corpus.add(doc)
    corpus.add(plan())
    assert corpus.get(key_of(doc.id)) == doc


@pytest.mark.parametrize(
    ("given", "needle"),
    [
        ("ffffffffffffffff", "corpus list"),
        ("abc", "至少"),
        ("不是编号呀不是编号", "corpus list"),
        ("", "至少"),
    ],
)
def test_lookup_failures_say_what_to_do(corpus: Corpus, given: str, needle: str) -> None:
    corpus.add(annual())
    with pytest.raises(NotFoundError) as caught:
        corpus.get(given)
    assert needle in str(caught.value)
    assert "\n" not in str(caught.value)


def test_ambiguous_prefix_asks_for_more_digits(corpus: Corpus) -> None:
    corpus.add(dataclasses.replace(annual(), id="abcdef0000000001"))
    corpus.add(dataclasses.replace(plan(), id="abcdef0000000002"))
    with pytest.raises(NotFoundError, match="多写几位"):
        corpus.get("abcdef")
    assert corpus.get("abcdef0000000002").title == "区科技局2025年工作计划"


def test_remove_takes_passages_and_sources_with_it(corpus: Corpus) -> None:
    doc, other = annual(), plan()
    corpus.add(doc)
    corpus.add(other)
    assert corpus.remove(doc.id[:8]) == doc.id
    assert corpus.count() == 1
    assert {passage.doc_id for passage, _ in corpus.passages_with_titles()} == {other.id}
    with pytest.raises(NotFoundError):
        corpus.sources_of(doc.id)
    with pytest.raises(NotFoundError):
        corpus.remove(doc.id)


def test_summaries_in_the_order_added(corpus: Corpus) -> None:
    docs = [plan(), annual()]
    for doc in docs:
        corpus.add(doc)
    rows = corpus.summaries()
    assert [(r.id, r.title, r.kind, r.year, r.unit, r.n_passages) for r in rows] == [
        (d.id, d.title, d.kind, d.year, d.unit, len(d.passages)) for d in docs
    ]
    assert set(summary_row(rows[0])) >= {"id", "title", "kind", "year", "unit", "n_passages", "sources"}


def test_passages_come_with_their_document(corpus: Corpus) -> None:
    docs = [annual(), plan()]
    for doc in docs:
        corpus.add(doc)
    pairs = list(corpus.passages())
    assert [p for p, _ in pairs] == [p for d in docs for p in d.passages]
    for passage, summary in pairs:
        assert summary.id == passage.doc_id
        assert summary.sources == (("a.txt",) if summary.kind == "annual" else ("test.txt",))
        assert summary.title == next(d.title for d in docs if d.id == passage.doc_id)


def test_export_documents_fields_and_outline(corpus: Corpus) -> None:
    doc = annual()
    corpus.add(doc)
    (row,) = [document_row(d, s) for d, s in corpus.documents_with_sources()]
    assert {k: row[k] for k in ("id", "title", "source", "kind", "year", "unit", "text")} == {
        "id": doc.id,
        "title": doc.title,
        "source": "a.txt",
        "kind": "annual",
        "year": 2024,
        "unit": "区科技局",
        "text": doc.text,
    }
    assert row["sources"] == ["a.txt"]
    assert row["years"] == [2024, 2025]
    outline = [(s["level"], s["number"], s["heading"]) for s in row["sections"]]
    assert outline[:3] == [
        (1, "一、", "2024年工作总结"),
        (2, "（一）", "聚焦企业培育，壮大创新主体"),
        (2, "（二）", "聚焦平台建设，提升创新能级"),
    ]
    assert row["sections"][1]["text"] == "新认定高新技术企业12家。\n科技型中小企业入库86家。"
    assert [s["part"] for s in row["sections"]][-1] == "plan"


def test_export_passages_fields(corpus: Corpus) -> None:
    doc = annual()
    corpus.add(doc)
    rows = [passage_row(p, title) for p, title in corpus.passages_with_titles()]
    assert len(rows) == len(doc.passages)
    assert rows[0] == {
        "id": f"{doc.id}-0000",
        "doc_id": doc.id,
        "title": doc.title,
        "heading": "聚焦企业培育，壮大创新主体",
        "text": "新认定高新技术企业12家。",
        "part": "summary",
        "position": 0,
    }


def test_phrase_bank_is_stored_with_the_corpus(corpus_path: Path) -> None:
    with Corpus(corpus_path) as corpus:
        assert corpus.load_phrases() is None
        corpus.save_phrases('{"version": 1, "phrases": ["聚焦{X}，{Y}"]}')
        corpus.save_phrases('{"version": 1, "phrases": ["实施{X}工程"]}')
    with Corpus(corpus_path) as corpus:
        assert corpus.load_phrases() == '{"version": 1, "phrases": ["实施{X}工程"]}'


def test_index_dir_sits_beside_the_corpus(corpus: Corpus, corpus_path: Path) -> None:
    assert corpus.index_dir == corpus_path.parent / "corpus.sqlite3.index"


def test_corpus_file_is_wal(corpus: Corpus, corpus_path: Path) -> None:
    corpus.add(annual())
    with sqlite3.connect(corpus_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize(
    "content",
    [b"my precious notes\n", "我的笔记".encode() * 100, b"SQLite format 2\x00 nearly"],
)
def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    notes = tmp_path / "notes.sqlite3"
    notes.write_bytes(content)
    with pytest.raises(CorpusError) as caught:
        Corpus(notes)
    assert "notes.sqlite3" in str(caught.value)
    assert "--corpus" in str(caught.value)
    assert notes.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_a_foreign_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    other = tmp_path / "app.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('张三')")
    conn.close()
    before = other.read_bytes()
    with pytest.raises(CorpusError, match="不是 Drafter 语料库"):
        Corpus(other)
    assert other.read_bytes() == before
    with sqlite3.connect(other) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_newer_corpus_format_asks_for_an_upgrade(corpus_path: Path) -> None:
    Corpus(corpus_path).close()
    with sqlite3.connect(corpus_path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    conn.close()
    with pytest.raises(CorpusError, match="升级"):
        Corpus(corpus_path)


def test_missing_folder_is_refused_with_a_fix(tmp_path: Path) -> None:
    with pytest.raises(CorpusError) as caught:
        Corpus(tmp_path / "no-such-folder" / "c.sqlite3")
    assert "no-such-folder" in str(caught.value)
    assert "创建" in str(caught.value)
    assert not (tmp_path / "no-such-folder").exists()


def test_a_folder_is_not_a_corpus(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="文件夹"):
        Corpus(tmp_path)


def test_an_empty_file_becomes_a_corpus(tmp_path: Path) -> None:
    touched = tmp_path / "new.sqlite3"
    touched.touch()
    with Corpus(touched) as corpus:
        corpus.add(annual())
        assert corpus.count() == 1


def test_explicit_corpus_that_does_not_exist_is_created_empty(corpus_path: Path) -> None:
    with open_corpus(corpus_path) as corpus:
        assert corpus.count() == 0
        assert corpus.load_phrases() is None
    assert corpus_path.is_file()


def test_a_writer_that_waits_too_long_gets_a_chinese_error(corpus_path: Path) -> None:
    Corpus(corpus_path).close()
    holder = sqlite3.connect(corpus_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Corpus(corpus_path, timeout=0.2) as corpus:
            with pytest.raises(CorpusError) as caught:
                corpus.add(annual())
            assert "locked" not in str(caught.value)
            assert "正被另一个程序写入" in str(caught.value)
            assert corpus.count() == 0  # reads go on while another connection writes
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Corpus(corpus_path) as corpus:
        assert corpus.add(annual())


def test_streaming_read_sees_a_snapshot_while_another_writer_adds(corpus_path: Path) -> None:
    with Corpus(corpus_path) as reader, Corpus(corpus_path) as writer:
        writer.add(annual())
        stream = reader.documents()
        first = next(stream)
        writer.add(plan())
        assert list(stream) == []
        assert first.title == annual().title
        assert [d.kind for d in reader.documents()] == ["annual", "plan"]


def test_a_corpus_of_the_first_format_gains_the_level_of_its_documents(corpus_path: Path) -> None:
    doc = dataclasses.replace(make_document("青溪区科技局2024年工作总结", []), unit="青溪区科技局")
    with open_corpus(corpus_path) as corpus:
        corpus.add(doc)
    with sqlite3.connect(corpus_path) as conn:  # what Drafter 1 wrote: no level column
        conn.execute("ALTER TABLE documents DROP COLUMN level")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with open_corpus(corpus_path) as corpus:
        assert [s.level for s in corpus.summaries()] == ["county"]
        assert corpus.get(doc.id).level == "county"


def test_blobs_are_kept_with_the_corpus_and_versioned(corpus: Corpus) -> None:
    assert corpus.load_blob("related_terms") is None
    assert corpus.blob_version("related_terms") is None
    corpus.save_blob("related_terms", "{}")
    first = corpus.blob_version("related_terms")
    corpus.save_blob("related_terms", '{"a": 1}')
    assert corpus.load_blob("related_terms") == '{"a": 1}'
    assert corpus.blob_version("related_terms") not in (None, first)
