"""The command line as a user meets it: commands, JSON contracts, exit codes and one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from drafter.cli import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_FORMS = sorted((REPO / "examples" / "forms").glob("*.*"))


def run(*args: str | Path) -> Result:
    """Run ``drafter ARGS`` in process."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def command_paths() -> list[str]:
    """Every command of the CLI as typed, e.g. ``corpus export``."""
    import click

    paths: list[str] = []

    def walk(group: click.Group, prefix: str) -> None:
        for name, command in sorted(group.commands.items()):
            if isinstance(command, click.Group):
                walk(command, f"{prefix}{name} ")
            else:
                paths.append(f"{prefix}{name}")

    walk(cli, "")
    return paths


def test_every_command_and_option_is_in_the_readme() -> None:
    import click

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for path in command_paths():
        assert f"drafter {path}" in readme, f"README does not document `drafter {path}`"
        command: click.Command = cli
        for part in path.split():
            assert isinstance(command, click.Group)
            command = command.commands[part]
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in {"help", "corpus"}:
                assert any(opt in readme for opt in param.opts), f"README misses {param.opts} of {path}"


def test_ingest_list_show_export(seeded_corpus: Path, tmp_path: Path) -> None:
    listed = run("corpus", "list", "--json", "--corpus", seeded_corpus)
    assert listed.exit_code == 0
    docs = json.loads(listed.stdout)
    assert len(docs) >= 20
    shown = run("corpus", "show", docs[0]["id"][:8], "--corpus", seeded_corpus)
    assert shown.exit_code == 0
    assert docs[0]["title"] in shown.stdout

    exported = run("corpus", "export", "--corpus", seeded_corpus)
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(rows) == len(docs)
    for key in ("id", "title", "source", "kind", "year", "unit", "text", "sections"):
        assert key in rows[0]
    with_sections = next(r for r in rows if r["sections"])
    assert set(with_sections["sections"][0]) >= {"level", "number", "heading", "text"}

    passages = run("corpus", "export", "--passages", "--corpus", seeded_corpus)
    prow = json.loads(passages.stdout.splitlines()[0])
    assert set(prow) >= {"id", "doc_id", "title", "heading", "text"}


def test_reingest_adds_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "c.sqlite3"
    seed = REPO / "examples" / "corpus" / "004_1374b80eadc4d3f0.txt"
    assert run("ingest", "-q", seed, "--corpus", corpus).exit_code == 0
    first = json.loads(run("corpus", "list", "--json", "--corpus", corpus).stdout)
    assert run("ingest", "-q", seed, "--corpus", corpus).exit_code == 0
    second = json.loads(run("corpus", "list", "--json", "--corpus", corpus).stdout)
    assert [d["id"] for d in first] == [d["id"] for d in second]


def test_bad_files_are_named_and_the_rest_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "区科技局2024年工作总结\n一、主要工作\n（一）聚焦企业培育，壮大创新主体。新认定高新技术企业12家。\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "fake.docx").write_bytes(b"this is not a zip file")
    corpus = tmp_path / "c.sqlite3"
    result = run("ingest", "-q", folder, "--corpus", corpus)
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr
    assert "fake.docx" in result.stderr
    assert "Traceback" not in result.stderr
    docs = json.loads(run("corpus", "list", "--json", "--corpus", corpus).stdout)
    assert [d["title"] for d in docs] == ["区科技局2024年工作总结"]


def test_missing_document_is_one_line(seeded_corpus: Path) -> None:
    result = run("corpus", "show", "ffffffffffff", "--corpus", seeded_corpus)
    assert result.exit_code == 1
    assert result.stderr.startswith("错误：")
    assert len(result.stderr.strip().splitlines()) == 1


def test_search_json_contract(seeded_corpus: Path) -> None:
    result = run("search", "科技特派员", "-k", "3", "--json", "--corpus", seeded_corpus)
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert 1 <= len(hits) <= 3
    for key in ("doc_id", "title", "heading", "text", "score", "frame"):
        assert key in hits[0]
    assert "科技特派员" in hits[0]["text"]
    assert hits == sorted(hits, key=lambda h: -h["score"])
    assert json.loads(run("search", "  ", "--json", "--corpus", seeded_corpus).stdout) == []


def test_mine_then_phrases_json_contract(tmp_path: Path, seeded_corpus: Path) -> None:
    corpus = tmp_path / "c.sqlite3"
    corpus.write_bytes(seeded_corpus.read_bytes())
    assert run("mine", "--corpus", corpus).exit_code == 0
    result = run("phrases", "--json", "--corpus", corpus)
    rows = json.loads(result.stdout)
    assert rows
    for key in ("category", "pattern", "count", "docs", "examples", "source"):
        assert key in rows[0]
    openers = json.loads(run("phrases", "--json", "--category", "summary_opener", "--corpus", corpus).stdout)
    assert openers
    assert {r["category"] for r in openers} == {"summary_opener"}


@pytest.mark.parametrize("form", EXAMPLE_FORMS, ids=[f.name for f in EXAMPLE_FORMS])
def test_draft_every_example_form(form: Path, tmp_path: Path, seeded_corpus: Path) -> None:
    out = tmp_path / "out.docx"
    result = run("draft", form, "-o", out, "--corpus", seeded_corpus)
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 5000
    assert "已生成" in result.stdout


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("year: 2025\nperiod: annual\n", "unit"),
        ("unit: 科技局\nyear: 二〇二五\n", "year"),
        ("unit: 科技局\nyear: 2025\nperiod: weekly\n", "period"),
        (
            "unit: 科技局\nyear: 2025\nfigures:\n  - {label: 高企, value: 很多, unit: 家}\n",
            "figures[0].value",
        ),
        ("unit: [unclosed\n", "YAML"),
    ],
)
def test_bad_form_is_one_line_and_writes_nothing(
    content: str, needle: str, tmp_path: Path, seeded_corpus: Path
) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(content, encoding="utf-8")
    out = tmp_path / "out.docx"
    result = run("draft", form, "-o", out, "--corpus", seeded_corpus)
    assert result.exit_code == 1
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_missing_form_file(tmp_path: Path, seeded_corpus: Path) -> None:
    result = run("draft", tmp_path / "nope.yaml", "-o", tmp_path / "o.docx", "--corpus", seeded_corpus)
    assert result.exit_code == 1
    assert "nope.yaml" in result.stderr


def test_corpus_that_is_not_a_corpus_is_refused_and_kept(tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("my precious notes", encoding="utf-8")
    result = run("corpus", "list", "--corpus", notes)
    assert result.exit_code == 1
    assert "notes.sqlite3" in result.stderr
    assert notes.read_text(encoding="utf-8") == "my precious notes"


def test_usage_error_exits_2() -> None:
    assert run("search").exit_code == 2


@pytest.mark.slow
def test_console_script_and_module_entry_points(tmp_path: Path, seeded_corpus: Path) -> None:
    version = subprocess.run(
        [sys.executable, "-m", "drafter", "--version"], capture_output=True, text=True, check=True
    )
    assert re.search(r"\d+\.\d+\.\d+", version.stdout)
    listed = subprocess.run(
        [sys.executable, "-m", "drafter", "corpus", "list", "--json", "--corpus", str(seeded_corpus)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(json.loads(listed.stdout)) >= 20


def test_output_that_is_not_docx_is_a_usage_error(tmp_path: Path, seeded_corpus: Path) -> None:
    form = next(f for f in EXAMPLE_FORMS if "annual" in f.name)
    result = run("draft", form, "-o", tmp_path / "draft.pdf", "--corpus", seeded_corpus)
    assert result.exit_code == 2
    assert ".docx" in result.stderr
    assert not (tmp_path / "draft.pdf").exists()
