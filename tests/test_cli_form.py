"""``drafter form --from LAST -o FORM.yaml`` as a writer uses it: the YAML, the unread list, the errors."""

from __future__ import annotations

from pathlib import Path

import yaml

from drafter.app import Drafter
from tests.continuity.test_reading import ANNUAL
from tests.test_cli import run

REPO = Path(__file__).resolve().parent.parent


def test_form_from_last_years_report_writes_a_commented_yaml_form(tmp_path: Path) -> None:
    last = tmp_path / "2024年总结.txt"
    last.write_text(ANNUAL, encoding="utf-8")
    out = tmp_path / "表单.yaml"
    corpus = tmp_path / "corpus.sqlite3"
    result = run("form", "--from", last, "-o", out, "--corpus", corpus)
    assert result.exit_code == 0, result.stderr
    assert "已生成" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert "# 去年：162家" in text
    form = yaml.safe_load(text)
    assert (form["unit"], form["year"]) == ("青溪区科学技术局", 2025)
    # the report counts at once as the unit's own: it is in the corpus the draft reads
    assert form["predecessor"] in {s.id for s in Drafter(corpus).corpus_summaries()}


def test_what_could_not_be_read_is_printed_in_chinese(tmp_path: Path) -> None:
    last = tmp_path / "总结.txt"
    last.write_text(ANNUAL.split("三、2025年工作思路")[0], encoding="utf-8")
    result = run(
        "form", "--from", last, "--year", "2026", "-o", tmp_path / "f.yaml", "--corpus", tmp_path / "c.db"
    )
    assert result.exit_code == 0
    assert "没有读出的内容" in result.stderr
    assert "没有找到工作思路" in result.stderr
    assert yaml.safe_load((tmp_path / "f.yaml").read_text(encoding="utf-8"))["year"] == 2026


def test_the_unit_given_is_used_when_the_report_names_none(tmp_path: Path) -> None:
    last = tmp_path / "总结.txt"
    last.write_text(ANNUAL.replace("青溪区科学技术局", ""), encoding="utf-8")
    out = tmp_path / "f.yaml"
    result = run(
        "form", "--from", last, "--unit", "青溪区科学技术局", "-o", out, "--corpus", tmp_path / "c.db"
    )
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["unit"] == "青溪区科学技术局"


def test_bad_inputs_give_one_chinese_line(tmp_path: Path) -> None:
    missing = run(
        "form", "--from", tmp_path / "nope.docx", "-o", tmp_path / "f.yaml", "--corpus", tmp_path / "c"
    )
    assert missing.exit_code == 1
    assert "文件不存在" in missing.stderr
    wrong = run("form", "--from", REPO / "README.md", "-o", tmp_path / "f.docx")
    assert wrong.exit_code == 2
    assert ".yaml" in wrong.stderr
