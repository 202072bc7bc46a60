"""The ``drafter`` command line: parses options, calls ``drafter.app.Drafter``, prints the result.

User errors (``DrafterError``) become one Chinese line on stderr and exit status 1; usage errors exit 2.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from pathlib import Path

import click

from drafter import __version__
from drafter.changes import Actor
from drafter.cli_admin import admin, refuse_retired, retired_keys
from drafter.cli_base import DrafterGroup, UserUsageError, corpus_option
from drafter.cli_base import echo_json as _echo_json
from drafter.cli_base import echo_jsonl as _echo_jsonl
from drafter.cli_base import make_drafter as _drafter
from drafter.cli_form import form
from drafter.cli_ingest import ingest_table, update_line
from drafter.errors import InputFileError
from drafter.models import DOC_KINDS, PARTS, PHRASE_CATEGORIES, SearchFilters
from drafter.processes import exit_on_sigterm
from drafter.text.citations import CONFIDENCE_LABELS
from drafter.text.levels import LEVELS


@click.group(cls=DrafterGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drafter")
def cli() -> None:
    """Drafter：依据往年材料和本年度数据，起草工作总结及工作思路（Word 公文格式）。"""


GC_THRESHOLDS = (10_000, 10, 10)
"""The cyclic garbage collector's thresholds in a ``drafter`` process. Python's default (700 allocations)
makes loading the modules a command needs (hundreds of thousands of objects that live as long as the process)
trigger collection after collection that frees nothing: about a tenth of a cold ``drafter draft``."""


def main() -> None:
    """Entry point of the console script and ``python -m drafter``."""
    exit_on_sigterm()  # SIGTERM unwinds like Ctrl+C: worker pools are shut down, children end with us
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        cli(prog_name="drafter")
    except BrokenPipeError:
        # `drafter corpus export | head` closes the pipe early: not an error worth a traceback.
        sys.stderr.close()
        sys.exit(0)
    finally:
        # The process ends here and everything it holds goes with it: spare the interpreter's last full
        # collection of every object on its way out (another tenth of a cold `drafter draft`).
        gc.freeze()


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--workers", type=click.IntRange(1, 64), default=None, help="并行进程数（默认：全部 CPU 核心）。"
)
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条和汇总表。")
@click.option(
    "--rebuild",
    is_flag=True,
    help="读入后从头重建检索索引并重新挖掘短语库（默认只把新增文档计入已有的索引和短语库）。",
)
@corpus_option
def ingest(
    paths: tuple[Path, ...], workers: int | None, quiet: bool, rebuild: bool, corpus: Path | None
) -> None:
    """读入往年材料（文件或文件夹，支持 .txt .md .html .docx .csv .jsonl）到语料库。

    已建立的检索索引和短语库随即更新：只计入新增的文档，用时与新增的量成正比。
    """
    from rich.console import Console  # lazy: start-up

    drafter = _drafter(corpus)
    console = Console(stderr=True)
    report = drafter.ingest(list(paths), progress=not quiet, workers=workers, actor=Actor.local_user())
    if not quiet:
        console.print(ingest_table(report))
    if report.documents_added or rebuild:
        if not quiet:
            doing = "从头重建检索索引并重新挖掘短语库" if rebuild else "把新增文档计入检索索引和短语库"
            click.echo(f"正在{doing}……", err=True)
        updated = drafter.update(rebuild=rebuild)
        if not quiet:
            click.echo(update_line(updated), err=True)
    for path, reason in report.failures:
        click.echo(f"失败：{path}：{reason}", err=True)
    if report.failures:
        sys.exit(1)


@cli.group(cls=DrafterGroup)
def corpus() -> None:
    """查看和导出语料库。"""


@corpus.command("list")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@corpus_option
def corpus_list(as_json: bool, corpus: Path | None) -> None:
    """列出语料库中的文档。"""
    rows = _drafter(corpus).corpus_summaries()
    if as_json:
        from drafter.rows import summary_row  # lazy: start-up

        _echo_json([summary_row(row) for row in rows])
        return
    from rich.console import Console  # lazy: start-up
    from rich.table import Table  # lazy: start-up

    table = Table("编号", "标题", "类型", "年度", "单位", "段落", box=None)
    for row in rows:
        table.add_row(row.id, row.title, row.kind, str(row.year or ""), row.unit or "", str(row.n_passages))
    Console().print(table)


@corpus.command("show")
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@corpus_option
def corpus_show(doc_id: str, as_json: bool, corpus: Path | None) -> None:
    """显示一篇文档的标题、结构和正文（编号可只写前几位）。"""
    drafter = _drafter(corpus)
    if as_json:
        _echo_json(drafter.document_row(doc_id))
        return
    doc = drafter.document(doc_id)
    click.echo(f"《{doc.title}》  {doc.id}  {doc.kind}  {doc.year or ''}  {doc.unit or ''}")
    click.echo(f"来源：{doc.source}")
    for section in doc.sections:
        click.echo("  " * (section.level - 1) + f"{section.number}{section.heading}")
    click.echo("")
    click.echo(doc.text)


@corpus.command("remove")
@click.argument("doc_id")
@corpus_option
def corpus_remove(doc_id: str, corpus: Path | None) -> None:
    """从语料库删除一篇文档（编号可只写前几位），并记入修改日志；检索索引和短语库的例句随即不再含它。"""
    drafter = _drafter(corpus)
    click.echo(f"已删除：{drafter.remove(doc_id, Actor.local_user())}")
    click.echo(update_line(drafter.update()), err=True)


@corpus.command("pending")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@corpus_option
def corpus_pending(as_json: bool, corpus: Path | None) -> None:
    """列出等待审核的网页上传。"""
    batches = _drafter(corpus).held_batches()
    text = "\n".join(b.line() for b in batches) or "没有待审核的上传。"
    _echo_json([b.as_dict() for b in batches]) if as_json else click.echo(text)


@corpus.command("accept")
@click.argument("batch_id")
@corpus_option
def corpus_accept(batch_id: str, corpus: Path | None) -> None:
    """审核通过一批上传：读入语料库。"""
    report = _drafter(corpus).accept(batch_id, Actor.local_user())
    click.echo(f"已读入：新增 {report.documents_added} 篇，已存在 {report.documents_seen} 篇。")
    for path, reason in report.failures:
        click.echo(f"失败：{Path(path).name}：{reason}", err=True)


@corpus.command("reject")
@click.argument("batch_id")
@corpus_option
def corpus_reject(batch_id: str, corpus: Path | None) -> None:
    """拒绝一批上传：不读入，并删除上传的文件。"""
    click.echo(f"已拒绝：{_drafter(corpus).reject(batch_id, Actor.local_user()).line()}")


@corpus.command("log")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@corpus_option
def corpus_log(as_json: bool, corpus: Path | None) -> None:
    """语料库修改日志（最新的在前）：谁、何时、从哪里增删了什么（只增不改）。"""
    changes = _drafter(corpus).change_log()
    _echo_json([c.as_dict() for c in changes]) if as_json else click.echo(
        "\n".join(c.line() for c in changes)
    )


@corpus.command("export")
@click.option("--passages", is_flag=True, help="导出检索段落而不是文档。")
@corpus_option
def corpus_export(passages: bool, corpus: Path | None) -> None:
    """以 JSON Lines 导出全部文档（或 --passages 导出全部段落）。"""
    drafter = _drafter(corpus)
    _echo_jsonl(drafter.export_passages() if passages else drafter.export_documents())


@cli.command()
@click.option("--rebuild", is_flag=True, help="同时从头重建检索索引（把增量加入的文档一并重新计权）。")
@corpus_option
def mine(rebuild: bool, corpus: Path | None) -> None:
    """从语料库挖掘短语库（开头语、句式、数据表述等）并保存到语料库。"""
    drafter = _drafter(corpus)
    if rebuild:
        drafter.update(rebuild=True)
        bank = drafter.phrase_bank()
    else:
        bank = drafter.mine()
    counts: dict[str, int] = {}
    for phrase in bank.phrases:
        counts[phrase.category] = counts.get(phrase.category, 0) + 1
    summary = "，".join(f"{category} {n}" for category, n in counts.items())
    click.echo(
        f"短语库已更新：共 {len(bank.phrases)} 条（{summary}），并列开头语家族 {len(bank.families)} 个。"
    )


@cli.command()
@click.option("--category", type=click.Choice(PHRASE_CATEGORIES), default=None, help="只列出某一类。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.option("--limit", type=click.IntRange(1), default=None, help="最多列出多少条。")
@corpus_option
def phrases(category: str | None, as_json: bool, limit: int | None, corpus: Path | None) -> None:
    """列出短语库，最常用的在前。"""
    rows = _drafter(corpus).phrase_rows(category)
    if limit is not None:
        rows = rows[:limit]
    if as_json:
        _echo_json(rows)
        return
    from rich.console import Console  # lazy: start-up
    from rich.table import Table  # lazy: start-up

    table = Table("类别", "句式", "次数", "文档数", "来源", "例句", box=None)
    for row in rows:
        example = row["examples"][0]["text"] if row["examples"] else ""
        table.add_row(
            row["category"], row["pattern"], str(row["count"]), str(row["docs"]), row["source"], example
        )
    Console().print(table)


@cli.command()
@click.argument("query")
@click.option("-k", "k", type=click.IntRange(1, 100), default=5, show_default=True, help="返回条数。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
@click.option("--kind", type=click.Choice(DOC_KINDS), multiple=True, help="文档类型（可多次指定）。")
@click.option(
    "--part", type=click.Choice(PARTS), default=None, help="只检索总结（summary）或思路（plan）等部分。"
)
@click.option("--year-from", type=int, default=None, help="起始年度。")
@click.option("--year-to", type=int, default=None, help="截止年度。")
@click.option("--unit", default=None, help="单位名称包含的文字，如 科技局。")
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    multiple=True,
    help="发文层级：county 区县、city 市州、province 省级等（可多次指定）。",
)
@click.option("--no-expand", is_flag=True, help="不检索相关说法（口径表与语料中学到的近义说法）。")
@corpus_option
def search(
    query: str,
    k: int,
    as_json: bool,
    kind: tuple[str, ...],
    part: str | None,
    year_from: int | None,
    year_to: int | None,
    unit: str | None,
    level: tuple[str, ...],
    no_expand: bool,
    corpus: Path | None,
) -> None:
    """检索与 QUERY 相近的往年段落。"""
    filters = SearchFilters(
        kinds=tuple(kind) or None,  # type: ignore[arg-type]
        part=part,  # type: ignore[arg-type]
        year_from=year_from,
        year_to=year_to,
        unit=unit,
        levels=tuple(level) or None,  # type: ignore[arg-type]
        expand=not no_expand,
    )
    drafter = _drafter(corpus)
    if as_json:
        _echo_json(drafter.search_rows(query, k, filters))
        return
    hits = drafter.search(query, k, filters)
    if not hits:
        click.echo("没有找到相关段落。", err=True)
        return
    if hits[0].related:
        click.echo(f"相关说法（已一并检索）：{'、'.join(hits[0].related)}")
    for rank, hit in enumerate(hits, 1):
        label = CONFIDENCE_LABELS[hit.confidence]
        click.secho(f"{rank}. 《{hit.title}》 {hit.heading}  （{hit.score:.3f}，匹配度{label}）", bold=True)
        click.echo(hit.text)
        click.echo(f"   句式：{hit.frame}")
        click.echo("")


@cli.command()
@click.argument("form", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="输出的 .docx 文件。",
)
@click.option(
    "--reference-docx",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="本单位的参考 .docx，从中取用样式。",
)
@corpus_option
def draft(form: Path, output: Path, reference_docx: Path | None, corpus: Path | None) -> None:
    """依据表单 FORM（YAML 或 JSON）起草 Word 文档。"""
    from drafter.draft.form import load_form  # lazy: start-up (pydantic)

    if output.suffix.lower() != ".docx":
        raise UserUsageError(f"{output}：输出文件应以 .docx 结尾，例如 -o 草稿.docx。")
    parsed = load_form(form)
    if not output.parent.exists():
        raise InputFileError(str(output), "所在文件夹不存在，请先创建文件夹或换一个输出位置。")
    _name, data, drafted = _drafter(corpus).draft_docx(parsed, reference_docx=reference_docx)
    tmp = output.with_name(output.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(output)
    except OSError as exc:
        with contextlib.suppress(OSError):  # a read-only folder refuses the clean-up too
            tmp.unlink(missing_ok=True)
        raise InputFileError(
            str(output), f"无法写入（{exc.strerror}），请检查文件是否被 Word 打开或有无写权限。"
        ) from exc
    click.echo(f"已生成：{output}（《{drafted.title}》）")
    if drafted.placeholders:
        click.echo(f"待补充 {len(drafted.placeholders)} 处：", err=True)
        for slot in drafted.placeholders:
            click.echo(f"  - {slot}", err=True)


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="监听地址（本机以外的地址须先创建账号）。"
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="端口（0：任选一个空闲端口）。",
)
@click.option("--allowed-host", "allowed_hosts", multiple=True, help="另外允许的访问域名（可多次指定）。")
@click.option(
    "--session-idle",
    type=click.IntRange(1, 7 * 24 * 60),
    default=120,
    show_default=True,
    help="登录后多少分钟不操作即须重新登录。",
)
@click.option(
    "--session-max",
    type=click.IntRange(1, 30 * 24),
    default=12,
    show_default=True,
    help="登录后最多多少小时须重新登录。",
)
@retired_keys
@corpus_option
def serve(
    host: str,
    port: int,
    corpus: Path | None,
    allowed_hosts: tuple[str, ...],
    session_idle: int,
    session_max: int,
    retired: str | None,
) -> None:
    """启动网页表单（浏览器打开 http://HOST:PORT/）。设置了账号后每个页面都须登录（见 drafter admin）。"""
    refuse_retired(retired)
    from drafter.accounts.service import SessionPolicy  # lazy: start-up (argon2)
    from drafter.web.server import serve as run_server  # lazy: start-up (FastAPI)

    policy = SessionPolicy(idle_seconds=session_idle * 60, max_seconds=session_max * 3600)
    run_server(host=host, port=port, corpus_path=corpus, allowed_hosts=allowed_hosts, session=policy)


cli.add_command(form)
cli.add_command(admin)
