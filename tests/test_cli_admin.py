"""``drafter admin``: an administrator sets up units and accounts, and every bad input gets a Chinese fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from drafter.accounts.service import AccountError, Accounts
from drafter.accounts.store import SqliteAccounts
from drafter.cli import cli


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return tmp_path / "corpus.sqlite3"


def run(corpus: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["admin", *args, "--corpus", str(corpus)], input=stdin)


def test_the_admin_cli_round_trip(corpus: Path) -> None:
    assert "已添加单位“青溪区科技局”" in run(corpus, "unit", "add", "青溪区科技局").output
    shared = run(corpus, "unit", "add", "青溪区教育局", "--default-visibility", "shared")
    assert "全市共享" in shared.output
    added = run(
        corpus, "user", "add", "zhang", "--unit", "青溪区科技局", "--password-stdin", stdin="s3cret-pass\n"
    )
    assert added.exit_code == 0, added.output
    run(corpus, "user", "add", "root", "--role", "admin", "--password-stdin", stdin="root-pass-1\n")
    users = json.loads(run(corpus, "user", "list", "--json").output)
    assert [(u["name"], u["unit"], u["role"], u["disabled"]) for u in users] == [
        ("root", "", "admin", False),
        ("zhang", "青溪区科技局", "writer", False),
    ]
    accounts = Accounts(SqliteAccounts(corpus))
    account, _token = accounts.sign_in("zhang", "s3cret-pass")
    assert account.unit == "青溪区科技局"
    # A new password: the old one and the old session stop working.
    assert run(corpus, "user", "passwd", "zhang", "--password-stdin", stdin="n3w-password\n").exit_code == 0
    assert accounts.session_account(_token) is None
    with pytest.raises(AccountError, match="账号或密码不对"):
        accounts.sign_in("zhang", "s3cret-pass")
    assert accounts.sign_in("zhang", "n3w-password")[0].name == "zhang"
    assert "已停用" in run(corpus, "user", "disable", "zhang").output
    with pytest.raises(AccountError, match="已停用"):
        accounts.sign_in("zhang", "n3w-password")
    units = json.loads(run(corpus, "unit", "list", "--json").output)
    assert [(u["name"], u["default_visibility"]) for u in units] == [
        ("青溪区教育局", "shared"),
        ("青溪区科技局", "private"),
    ]
    assert run(corpus, "unit", "remove", "青溪区教育局").exit_code == 0
    refused = run(corpus, "unit", "remove", "青溪区科技局")
    assert refused.exit_code == 1
    assert "还有账号（zhang）" in refused.output


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("unit", "add", " 青溪区 "), None, "开头或结尾有空格"),
        (("unit", "add", ""), None, "单位名称不能为空"),
        (
            ("user", "add", "li", "--unit", "没有的局", "--password-stdin"),
            "long-enough\n",
            "没有名为“没有的局”的单位",
        ),
        (("user", "add", "li", "--password-stdin"), "long-enough\n", "撰稿人必须属于一个单位"),
        (("user", "add", "li", "--unit", "甲局", "--password-stdin"), "short\n", "密码太短"),
        (("user", "add", "li", "--unit", "甲局", "--password-stdin"), "", "标准输入中没有密码"),
        (("user", "add", "li", "--unit", "甲局"), "", "无法提示输入密码"),
        (("user", "passwd", "nobody", "--password-stdin"), "long-enough\n", "没有名为“nobody”的账号"),
        (("user", "disable", "nobody"), None, "没有名为“nobody”的账号"),
        (("unit", "add", "甲局"), None, "已存在"),
    ],
)
def test_bad_admin_input_is_refused_with_a_fix(
    corpus: Path, args: tuple[str, ...], stdin: str | None, message: str
) -> None:
    run(corpus, "unit", "add", "甲局")
    result = run(corpus, *args, stdin=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_password_is_never_an_argument(corpus: Path) -> None:
    run(corpus, "unit", "add", "甲局")
    result = run(corpus, "user", "add", "li", "--unit", "甲局", "--password", "long-enough")
    assert result.exit_code == 2
    stored = SqliteAccounts(corpus).account("li")
    assert stored is None


def test_passwords_are_stored_hashed(corpus: Path) -> None:
    run(corpus, "unit", "add", "甲局")
    run(corpus, "user", "add", "li", "--unit", "甲局", "--password-stdin", stdin="plain-text-pw\n")
    stored = SqliteAccounts(corpus).account("li")
    assert stored is not None
    assert stored[1].startswith("$argon2id$")
    assert "plain-text-pw" not in corpus.read_bytes().decode("latin-1")


def test_an_archive_ingested_for_a_unit_stays_in_its_scope_until_shared(corpus: Path, tmp_path: Path) -> None:
    from drafter.app import Drafter
    from drafter.models import SearchFilters
    from drafter.scopes import Scope

    archive = tmp_path / "甲局存档.txt"
    archive.write_text(
        "青溪区甲局2023年工作总结\n一、主要工作\n（一）科普\n举办“甲局科普月”活动12场，惠及群众5000人次。\n",
        encoding="utf-8",
    )
    run(corpus, "unit", "add", "青溪区甲局")
    refused = run(corpus, "ingest", str(archive), "--unit", "没有的局")
    assert refused.exit_code == 1
    assert "没有名为“没有的局”的单位" in refused.output
    added = run(corpus, "ingest", str(archive), "--unit", "青溪区甲局")
    assert added.exit_code == 0, added.output
    assert "新增 1 篇（归入“青溪区甲局”，仅本单位）" in added.output
    core = Drafter(corpus, seed=False)
    try:
        (doc,) = core.corpus_summaries()
        other = SearchFilters(scope=Scope("青溪区乙局"))
        assert core.search("甲局科普月", 5, other) == []
        assert run(corpus, "doc", "share", doc.id[:8]).exit_code == 0
        assert [h.doc_id for h in core.search("甲局科普月", 5, other)] == [doc.id]
        assert run(corpus, "doc", "private", doc.id).exit_code == 0
        assert core.search("甲局科普月", 5, other) == []
        assert [c.action for c in core.change_log()][:2] == ["visibility", "visibility"]
    finally:
        core.close()
    missing = run(corpus, "doc", "share", "ffffffffffff")
    assert missing.exit_code == 1
    assert "没有编号" in missing.output
