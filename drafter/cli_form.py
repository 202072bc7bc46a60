"""``drafter form --from LAST -o FORM.yaml``: this year's form pre-filled from last year's report."""

from __future__ import annotations

from pathlib import Path

import click

from drafter.cli_base import UserUsageError, corpus_option, make_drafter
from drafter.errors import InputFileError


@click.command("form")
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path),
    required=True,
    help="去年的报告（.docx .txt .md 等），从中预填今年的表单。",
)
@click.option(
    "--year", type=click.IntRange(2000, 2100), default=None, help="今年的年份（默认：去年报告的下一年）。"
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="输出的表单文件（.yaml）。",
)
@click.option("--unit", default=None, help="本单位名称（报告的标题和落款中读不出时使用）。")
@corpus_option
def form(source: Path, year: int | None, output: Path, unit: str | None, corpus: Path | None) -> None:
    """从去年的报告预填今年的表单：各节成为主题，去年的数字成为 previous，去年的目标成为 target。

    去年的报告同时存入语料库（作为本单位的报告），起草时沿用它的结构、标题和导语。
    """
    if output.suffix.lower() not in {".yaml", ".yml"}:
        raise UserUsageError(f"{output}：输出文件应以 .yaml 结尾，例如 -o 表单.yaml。")
    if not output.parent.exists():
        raise InputFileError(str(output), "所在文件夹不存在，请先创建文件夹或换一个输出位置。")
    app = make_drafter(corpus)
    result = app.prefill_from_file(source, year, unit=unit)
    try:
        output.write_text(app.prefill_yaml(result), encoding="utf-8")
    except OSError as exc:
        raise InputFileError(str(output), f"无法写入（{exc.strerror}），请检查写权限。") from exc
    figures = result.form["figures"]
    click.echo(f"已生成：{output}（{len(figures)} 个指标，来自《{result.source_title}》）")
    if result.unread:
        click.echo(f"没有读出的内容 {len(result.unread)} 处（请对照去年的报告手工填写）：", err=True)
        for item in result.unread:
            click.echo(f"  - {item}", err=True)
