"""``drafter admin``: units and accounts of a shared deployment (the administrator's commands).

Passwords are read from a hidden prompt (typed twice) or, with ``--password-stdin``, from the first line of
standard input; never from an argument, which the shell history and the process list would keep.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from drafter.cli_base import (
    DrafterGroup,
    F,
    UserError,
    UserUsageError,
    corpus_option,
    echo_json,
    make_drafter,
)

if TYPE_CHECKING:
    from drafter.accounts.service import Accounts
    from drafter.app import Drafter

ROLE_NAMES = {"writer": "撰稿人", "admin": "管理员"}
VISIBILITY_NAMES = {"shared": "全市共享", "private": "仅本单位"}


def _accounts(corpus: Path | None) -> Accounts:
    drafter = make_drafter(corpus)
    _ = drafter.corpus  # made (and for the default corpus seeded) first: accounts live inside it
    return accounts_of(drafter)


def accounts_of(drafter: Drafter) -> Accounts:
    """The account rules over ``drafter``'s corpus."""
    from drafter.accounts.service import Accounts  # lazy: start-up (argon2)

    return Accounts(drafter.account_store())


def read_password(from_stdin: bool, prompt: str = "密码") -> str:
    """The new password: the first line of stdin, or typed twice at a hidden prompt."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UserError(
                "标准输入中没有密码：请用 echo 密码 | drafter admin … --password-stdin，或去掉该选项后按提示输入。"
            )
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UserError("不是在终端里运行，无法提示输入密码：请加 --password-stdin，从标准输入提供密码。")
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt="再输入一次"))


def retired_keys(func: F) -> F:
    """The key options of ``drafter serve`` before accounts (hidden; naming one stops with a pointer here)."""
    for option in ("--upload-key", "--admin-key", "--trust-uploads"):
        func = click.option(option, "retired", flag_value=option, hidden=True)(func)
    return func


def refuse_retired(option: str | None) -> None:
    """Stop (usage error) when a retired key option was given, saying what replaced it."""
    if option:
        raise UserUsageError(
            f"{option} 已停用：网页上传和管理改由账号控制。请用 drafter admin user add 名称 --role admin "
            "创建管理员、drafter admin user add 名称 --unit 单位 创建撰稿人。"
        )


password_stdin = click.option(
    "--password-stdin", is_flag=True, help="从标准输入的第一行读密码（用于脚本），不提示。"
)


@click.group(cls=DrafterGroup)
def admin() -> None:
    """管理单位和账号（多单位共用一个语料库时）。"""


@admin.group(cls=DrafterGroup)
def unit() -> None:
    """单位：add / list / remove。"""


@unit.command("add")
@click.argument("name")
@click.option(
    "--default-visibility",
    type=click.Choice(["private", "shared"]),
    default="private",
    show_default=True,
    help="本单位上传的材料默认可见范围：private 仅本单位，shared 全市共享（上传时可另选）。",
)
@corpus_option
def unit_add(name: str, default_visibility: str, corpus: Path | None) -> None:
    """添加单位 NAME。"""
    added = _accounts(corpus).add_unit(name, default_visibility)
    click.echo(f"已添加单位“{added.name}”（上传默认：{VISIBILITY_NAMES[added.default_visibility]}）。")


@unit.command("list")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@corpus_option
def unit_list(as_json: bool, corpus: Path | None) -> None:
    """列出单位。"""
    units = _accounts(corpus).store.units()
    if as_json:
        echo_json(
            [
                {"name": u.name, "default_visibility": u.default_visibility, "created": u.created}
                for u in units
            ]
        )
        return
    if not units:
        click.echo("还没有单位：用 drafter admin unit add 单位名称 添加。")
    for u in units:
        click.echo(f"{u.name}\t上传默认：{VISIBILITY_NAMES[u.default_visibility]}\t添加于 {u.created}")


@unit.command("remove")
@click.argument("name")
@corpus_option
def unit_remove(name: str, corpus: Path | None) -> None:
    """删除单位 NAME（单位下不能还有账号）。"""
    _accounts(corpus).remove_unit(name)
    click.echo(f"已删除单位“{name}”。")


@admin.group(cls=DrafterGroup)
def user() -> None:
    """账号：add / list / passwd / disable / enable。"""


@user.command("add")
@click.argument("name")
@click.option("--unit", "unit_name", default="", help="所属单位（撰稿人必填；管理员可不填）。")
@click.option(
    "--role",
    type=click.Choice(["writer", "admin"]),
    default="writer",
    show_default=True,
    help="角色：writer 撰稿人，admin 管理员。",
)
@password_stdin
@corpus_option
def user_add(name: str, unit_name: str, role: str, password_stdin: bool, corpus: Path | None) -> None:
    """添加账号 NAME（密码按提示输入）。"""
    accounts = _accounts(corpus)
    password = read_password(password_stdin)
    added = accounts.add_account(name, unit_name, role, password)
    where = f"，单位“{added.unit}”" if added.unit else ""
    click.echo(f"已添加{ROLE_NAMES[added.role]}“{added.name}”{where}。")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@corpus_option
def user_list(as_json: bool, corpus: Path | None) -> None:
    """列出账号。"""
    accounts = _accounts(corpus).store.accounts()
    if as_json:
        echo_json(
            [
                {"name": a.name, "unit": a.unit, "role": a.role, "disabled": a.disabled, "created": a.created}
                for a in accounts
            ]
        )
        return
    if not accounts:
        click.echo("还没有账号：用 drafter admin user add 名称 --role admin 创建管理员。")
    for a in accounts:
        state = "已停用" if a.disabled else "可用"
        click.echo(f"{a.name}\t{ROLE_NAMES[a.role]}\t{a.unit or '（不属于单位）'}\t{state}")


@user.command("passwd")
@click.argument("name")
@password_stdin
@corpus_option
def user_passwd(name: str, password_stdin: bool, corpus: Path | None) -> None:
    """修改账号 NAME 的密码（它已登录的会话全部退出）。"""
    accounts = _accounts(corpus)
    accounts.account(name)
    accounts.set_password(name, read_password(password_stdin, "新密码"))
    click.echo(f"已修改“{name}”的密码；该账号须重新登录。")


@user.command("disable")
@click.argument("name")
@corpus_option
def user_disable(name: str, corpus: Path | None) -> None:
    """停用账号 NAME（立即退出登录，不能再登录）。"""
    _accounts(corpus).set_disabled(name, True)
    click.echo(f"已停用“{name}”。")


@user.command("enable")
@click.argument("name")
@corpus_option
def user_enable(name: str, corpus: Path | None) -> None:
    """重新启用账号 NAME。"""
    _accounts(corpus).set_disabled(name, False)
    click.echo(f"已启用“{name}”。")


@admin.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--unit", "unit_name", required=True, help="材料所属单位（须已用 drafter admin unit add 添加）。"
)
@click.option(
    "--visibility",
    type=click.Choice(["private", "shared"]),
    default=None,
    help="可见范围：private 仅本单位，shared 全市共享（默认按该单位的设置）。",
)
@corpus_option
def admin_ingest(
    paths: tuple[Path, ...], unit_name: str, visibility: str | None, corpus: Path | None
) -> None:
    """把一个单位的往年材料读入语料库，归入该单位（例如迁入各单位的存档）。"""
    from drafter.changes import Actor  # lazy: start-up
    from drafter.scopes import Owner  # lazy: start-up

    drafter = make_drafter(corpus)
    _ = drafter.corpus
    unit_row = accounts_of(drafter).unit(unit_name)
    chosen = visibility or unit_row.default_visibility
    owner = Owner(unit_row.name, "private" if chosen == "private" else "shared")
    report = drafter.ingest(list(paths), workers=None, actor=Actor.local_user(), owner=owner)
    click.echo(
        f"已读入：新增 {report.documents_added} 篇（归入“{unit_row.name}”，{VISIBILITY_NAMES[owner.visibility]}），"
        f"已存在 {report.documents_seen} 篇，失败 {len(report.failures)} 个。"
    )
    for path, reason in report.failures:
        click.echo(f"失败：{path}：{reason}", err=True)
    if report.failures:
        sys.exit(1)


@admin.group(cls=DrafterGroup)
def doc() -> None:
    """文档的可见范围：private / share。"""


@doc.command("private")
@click.argument("doc_id")
@corpus_option
def doc_private(doc_id: str, corpus: Path | None) -> None:
    """让文档 DOC_ID 只对所属单位可见（公共语料设为 private 后只有管理员可见）。"""
    from drafter.changes import Actor  # lazy: start-up

    full = make_drafter(corpus).set_visibility(doc_id, "private", Actor.local_user())
    click.echo(f"文档 {full} 已设为仅本单位可见。")


@doc.command("share")
@click.argument("doc_id")
@corpus_option
def doc_share(doc_id: str, corpus: Path | None) -> None:
    """让文档 DOC_ID 全市共享。"""
    from drafter.changes import Actor  # lazy: start-up

    full = make_drafter(corpus).set_visibility(doc_id, "shared", Actor.local_user())
    click.echo(f"文档 {full} 已设为全市共享。")
