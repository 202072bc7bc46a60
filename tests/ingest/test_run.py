"""Ingest: files into the corpus, per-file failures, re-runs, parallel parsing, kills and concurrent runs."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from drafter.changes import IngestReport
from drafter.cli import ingest_table
from drafter.corpus.store import Corpus
from drafter.ingest.documents import documents_from_file
from drafter.ingest.run import ingest

REPO = Path(__file__).resolve().parents[2]
DISTRICTS = ("青溪", "白石", "临江", "东湖", "西山", "南岭", "北塘", "金水", "玉泉", "长乐")
TOPICS = ("企业培育", "平台建设", "人才引育", "成果转化", "科技金融", "创新生态", "乡村振兴", "营商环境")
NUMERALS = "一二三四五六七八九十"


def report_text(i: int, sections: int = 6) -> str:
    """A small, distinct bureau report (title, summary part, plan part) numbered ``i``."""
    district = DISTRICTS[i % len(DISTRICTS)]
    year = 2015 + i % 10
    lines = [f"{district}区科技局{year}年工作总结及{year + 1}年工作思路", f"一、{year}年工作总结"]
    for j in range(sections):
        topic = TOPICS[(i + j) % len(TOPICS)]
        lines.append(
            f"（{NUMERALS[j]}）聚焦{topic}，推动第{i}项重点工作取得新突破。全年新认定高新技术企业{i * 7 + j}家，"
            f"同比增长{(i * 13 + j) % 50}.{j}%，完成年度目标任务的{100 + j}%，位居全市第{j + 1}。"
        )
    lines.append(f"二、{year + 1}年工作思路")
    for j in range(sections):
        topic = TOPICS[(i * 3 + j) % len(TOPICS)]
        lines.append(
            f"（{NUMERALS[j]}）实施{topic}工程。力争新增科技型中小企业{i * 11 + j}家，研发投入增长{j + 5}%。"
        )
    return "\n".join(lines) + "\n"


def write_reports(folder: Path, n: int, sections: int = 6) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"report_{i:04d}.txt"
        path.write_text(report_text(i, sections), encoding="utf-8")
        paths.append(path)
    return paths


def expected_ids(paths: list[Path]) -> list[str]:
    """Document ids the pipeline gives these files, in input order, each once (the reference)."""
    ids: dict[str, None] = {}
    for path in paths:
        ids.update(dict.fromkeys(d.id for d in documents_from_file(path)))
    return list(ids)


def stored_ids(corpus_path: Path) -> list[str]:
    with Corpus(corpus_path) as corpus:
        return [s.id for s in corpus.summaries()]


def test_files_become_documents_in_input_order(tmp_path: Path, corpus_path: Path) -> None:
    paths = write_reports(tmp_path / "in", 3)
    with Corpus(corpus_path) as corpus:
        report = ingest(corpus, [tmp_path / "in"], workers=1)
        assert [d for d in corpus.documents()] == [d for p in paths for d in documents_from_file(p)]
    assert report.files == 3
    assert report.documents_added == 3
    assert report.documents_seen == 0
    assert report.passages_added == sum(len(d.passages) for p in paths for d in documents_from_file(p))
    assert report.failures == ()
    assert report.bytes == sum(p.stat().st_size for p in paths)


def test_bad_files_are_named_and_the_rest_stored(tmp_path: Path, corpus_path: Path) -> None:
    folder = tmp_path / "in"
    good = write_reports(folder, 2)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "fake.docx").write_bytes(b"this is not a zip file at all")
    missing = tmp_path / "not-there.txt"
    with Corpus(corpus_path) as corpus:
        report = ingest(corpus, [folder, missing], workers=1)
    failed = {Path(path).name: reason for path, reason in report.failures}
    assert set(failed) == {"empty.txt", "binary.txt", "fake.docx", "not-there.txt"}
    assert all(reason for reason in failed.values())
    assert "不存在" in failed["not-there.txt"]
    assert stored_ids(corpus_path) == expected_ids(good)
    assert report.documents_added == 2


def test_a_folder_without_readable_files_is_a_failure(tmp_path: Path, corpus_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "picture.png").write_bytes(b"\x89PNG")
    with Corpus(corpus_path) as corpus:
        report = ingest(corpus, [tmp_path / "in"])
    assert [Path(p).name for p, _ in report.failures] == ["in"]
    assert report.files == 0


def test_re_ingesting_adds_nothing_and_reports_what_was_there(tmp_path: Path, corpus_path: Path) -> None:
    write_reports(tmp_path / "in", 4)
    with Corpus(corpus_path) as corpus:
        first = ingest(corpus, [tmp_path / "in"], workers=1)
        fingerprint = corpus.fingerprint()
        second = ingest(corpus, [tmp_path / "in"], workers=1)
        assert corpus.fingerprint() == fingerprint
        assert corpus.count() == 4
    assert (first.documents_added, first.documents_seen) == (4, 0)
    assert (second.documents_added, second.documents_seen, second.passages_added) == (0, 4, 0)


def test_one_report_in_two_files_is_one_document_with_two_sources(tmp_path: Path, corpus_path: Path) -> None:
    text = report_text(7)
    (tmp_path / "site-a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "site-b.txt").write_text(text, encoding="utf-8")
    with Corpus(corpus_path) as corpus:
        report = ingest(corpus, [tmp_path / "site-a.txt", tmp_path / "site-b.txt"])
        (summary,) = corpus.summaries()
    assert (report.documents_added, report.documents_seen) == (1, 1)
    assert [Path(s).name for s in summary.sources] == ["site-a.txt", "site-b.txt"]


def test_the_same_file_named_twice_is_read_once(tmp_path: Path, corpus_path: Path) -> None:
    (path,) = write_reports(tmp_path / "in", 1)
    with Corpus(corpus_path) as corpus:
        report = ingest(corpus, [path, tmp_path / "in", path.resolve(), tmp_path / "in" / ".." / "in"])
    assert report.files == 1
    assert report.documents_seen == 0


def test_parallel_ingest_stores_the_same_corpus_in_the_same_order(tmp_path: Path) -> None:
    paths = write_reports(tmp_path / "in", 12)
    with Corpus(tmp_path / "one.sqlite3") as one, Corpus(tmp_path / "two.sqlite3") as two:
        sequential = ingest(one, [tmp_path / "in"], workers=1)
        parallel = ingest(two, [tmp_path / "in"], workers=2)
        assert list(one.documents_with_sources()) == list(two.documents_with_sources())
    assert (sequential.workers, parallel.workers) == (1, 2)
    assert stored_ids(tmp_path / "two.sqlite3") == expected_ids(paths)


@pytest.mark.parametrize(
    ("workers", "n_files", "used"),
    [(None, 6, 1), (1, 6, 1), (2, 6, 2), (2, 1, 1), (8, 3, 3)],
)
def test_workers_are_used_only_when_asked_or_worth_it(
    tmp_path: Path, corpus_path: Path, workers: int | None, n_files: int, used: int
) -> None:
    paths = write_reports(tmp_path / "in", n_files)  # a few kB: not worth starting workers unasked
    with Corpus(corpus_path) as corpus:
        report = ingest(corpus, [tmp_path / "in"], workers=workers)
    assert report.workers == used
    assert stored_ids(corpus_path) == expected_ids(paths)


class Terminal(io.StringIO):
    """A stderr that says it is a terminal, so the progress bar draws into it."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("tty", "drawn"), [(True, True), (False, False)])
def test_progress_bar_only_on_a_terminal(
    tmp_path: Path, corpus_path: Path, monkeypatch: pytest.MonkeyPatch, tty: bool, drawn: bool
) -> None:
    write_reports(tmp_path / "in", 3)
    stderr = Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    with Corpus(corpus_path) as corpus:
        report = ingest(corpus, [tmp_path / "in"], progress=True)
    assert report.documents_added == 3
    assert ("report_0002.txt" in stderr.getvalue()) is drawn


def test_render_report_shows_the_table(tmp_path: Path, corpus_path: Path) -> None:
    folder = tmp_path / "in"
    write_reports(folder, 2)
    (folder / "empty.txt").write_bytes(b"")
    with Corpus(corpus_path) as corpus:
        report = ingest(corpus, [folder])
    console = Console(record=True, width=200)
    console.print(ingest_table(report))
    shown = console.export_text()
    for header in ("文件", "新增文档", "已存在", "段落", "失败"):
        assert header in shown
    assert "report_0001.txt" in shown
    assert "empty.txt" in shown
    assert "合计 3 个文件" in shown


def test_a_long_run_lists_only_the_failed_files(tmp_path: Path) -> None:
    from drafter.changes import FileOutcome

    fine = [FileOutcome(f"f{i}.txt", 10, 1, 0, 3) for i in range(100)]
    outcomes = (*fine, FileOutcome("broken.docx", 10, failure="不是有效的 .docx"))
    report = IngestReport(101, 100, 0, 300, (("broken.docx", "不是有效的 .docx"),), 1.0, 1010, outcomes)
    console = Console(record=True, width=200)
    console.print(ingest_table(report))
    shown = console.export_text()
    assert "broken.docx" in shown
    assert "f5.txt" not in shown
    assert "其余 100 个文件" in shown


# --- processes ---------------------------------------------------------------------------------------


def start_ingest(folder: Path, corpus_path: Path, *extra: str) -> subprocess.Popen[str]:
    """``drafter ingest`` in its own process (and session, so its workers can be found afterwards)."""
    return subprocess.Popen(
        [sys.executable, "-m", "drafter", "ingest", "-q", str(folder), "--corpus", str(corpus_path), *extra],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def stored_count(corpus_path: Path) -> int:
    """Documents committed so far, read the way any other reader would (0 before the schema exists)."""
    conn = sqlite3.connect(corpus_path, timeout=5)
    try:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def session_processes(session: int) -> list[int]:
    """Pids of live processes in session ``session`` (a killed ingest's orphaned workers would be here)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


@pytest.mark.slow
def test_a_killed_ingest_leaves_whole_documents_and_the_next_run_completes(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    paths = write_reports(folder, 300, sections=10)
    corpus_path = tmp_path / "c.sqlite3"
    proc = start_ingest(folder, corpus_path, "--workers", "2")  # little work: ask for the worker pool
    deadline = time.monotonic() + 120
    while stored_count(corpus_path) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, as `kill -9` or the OOM killer would
    proc.communicate(timeout=30)  # returns once the orphaned workers have left (they hold stderr open)
    before = stored_count(corpus_path)
    assert 10 <= before < len(paths), "the kill must land mid-run for this test to mean anything"
    deadline = time.monotonic() + 10
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_processes(proc.pid) == []

    with sqlite3.connect(corpus_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    expected = {d.id: d for p in paths for d in documents_from_file(p)}
    with Corpus(corpus_path) as corpus:
        for doc in corpus.documents():
            assert doc == expected[doc.id]  # every stored document is whole: text, outline, all passages
        report = ingest(corpus, [folder])
        assert report.documents_added == len(expected) - before
        assert report.documents_seen == before
        assert sorted(s.id for s in corpus.summaries()) == sorted(expected)


@pytest.mark.slow
def test_two_ingests_into_one_corpus_both_succeed(tmp_path: Path) -> None:
    first = write_reports(tmp_path / "a", 60)
    second = [tmp_path / "b" / p.name for p in write_reports(tmp_path / "b", 90)]  # overlaps the first 60
    corpus_path = tmp_path / "c.sqlite3"
    procs = [start_ingest(tmp_path / "a", corpus_path), start_ingest(tmp_path / "b", corpus_path)]
    # wait for both before asserting, so a failure of one never leaves the other's pipes open
    results = [proc.communicate(timeout=300) for proc in procs]
    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    assert sorted(stored_ids(corpus_path)) == sorted(expected_ids(first + second))


@pytest.mark.slow
def test_a_reader_reads_while_a_writer_ingests(tmp_path: Path) -> None:
    paths = write_reports(tmp_path / "in", 400)
    corpus_path = tmp_path / "c.sqlite3"
    Corpus(corpus_path).close()
    proc = start_ingest(tmp_path / "in", corpus_path)
    seen: list[int] = []
    with Corpus(corpus_path) as reader:
        while proc.poll() is None:
            docs = list(reader.documents())
            assert all(len(d.passages) > 0 and d.passages[-1].doc_id == d.id for d in docs)
            seen.append(len(docs))
    _out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert seen == sorted(seen)
    assert any(0 < n < len(paths) for n in seen), "the reader must have read during the ingest"
    assert stored_count(corpus_path) == len(paths)


class _DyingPool:
    """A process pool whose workers die after two files: at ``submit`` or when a result is collected."""

    def __init__(self, *_args: object, when: str, **_kwargs: object) -> None:
        self.when = when
        self.submitted = 0

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        from concurrent.futures.process import BrokenProcessPool

        self.submitted += 1
        future: Future[Any] = Future()
        if self.submitted <= 2:
            future.set_result(fn(*args))
        elif self.when == "submit":
            raise BrokenProcessPool("a worker died")
        else:
            future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def shutdown(self, **_kwargs: object) -> None:
        pass


@pytest.mark.parametrize("when", ["submit", "result"])
def test_a_dying_worker_pool_still_stores_every_file(
    when: str, tmp_path: Path, corpus_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import drafter.ingest.run

    monkeypatch.setattr(
        drafter.ingest.run, "ProcessPoolExecutor", lambda *a, **k: _DyingPool(*a, when=when, **k)
    )
    paths = write_reports(tmp_path / "in", 8)
    with Corpus(corpus_path) as corpus:
        report = ingest(corpus, [tmp_path / "in"], workers=2)
        assert not report.failures
        assert report.documents_added == len(paths)
        assert [s.title for s in corpus.summaries()] == [documents_from_file(p)[0].title for p in paths]
