"""What ``drafter ingest`` prints: the table of what was read, and how the index and the bank followed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table  # lazy: start-up

    from drafter.app_updates import UpdateReport
    from drafter.changes import IngestReport

INGEST_TABLE_ROWS = 30


def ingest_table(report: IngestReport, max_rows: int = INGEST_TABLE_ROWS) -> Table:
    """The summary table (文件, 新增文档, 已存在, 段落, 失败): per file when few, failed files always, totals."""
    from rich.table import Table  # lazy: start-up

    table = Table("文件", "新增文档", "已存在", "段落", "失败", title="读入结果", show_footer=False)
    shown = [o for o in report.outcomes if len(report.outcomes) <= max_rows or o.failure is not None]
    for outcome in shown[:max_rows]:
        table.add_row(
            outcome.path,
            str(outcome.documents_added),
            str(outcome.documents_seen),
            str(outcome.passages_added),
            outcome.failure or "",
            style="red" if outcome.failure else None,
        )
    hidden = len(report.outcomes) - len(shown[:max_rows])
    if hidden:
        table.add_row(f"（其余 {hidden} 个文件）", "", "", "", "")
    seconds = max(report.seconds, 1e-9)
    table.add_section()
    table.add_row(
        f"合计 {report.files} 个文件，{report.bytes / 1e6:.1f} MB，{report.seconds:.1f} 秒"
        f"（{report.bytes / 1e6 / seconds:.2f} MB/s，{report.workers} 个进程）",
        str(report.documents_added),
        str(report.documents_seen),
        str(report.passages_added),
        str(len(report.failures)),
        style="bold",
    )
    return table


INDEX_NAMES = {
    "added": "检索索引已增量更新",
    "rebuilt": "检索索引已从头重建",
    "current": "检索索引已是最新",
    "none": "检索索引尚未建立（首次检索时建立）",
    "stale": "检索索引正由另一进程从头重建（重建完成时一并计入新增文档）",
}
BANK_NAMES = {
    "added": "短语库已计入新增的 {n} 篇（排序在下次 drafter mine 时更新）",
    "rebuilt": "短语库已重新挖掘（{n} 篇）",
    "current": "短语库已是最新",
    "none": "短语库尚未挖掘（首次起草时挖掘，或运行 drafter mine）",
    "stale": "短语库未记录计数，新增文档将在运行 drafter mine 后计入",
}


def update_line(update: UpdateReport) -> str:
    """One Chinese line saying how the index and the bank followed an ingest."""
    index = f"{INDEX_NAMES.get(update.index, update.index)}（{update.index_seconds:.1f} 秒）"
    bank = BANK_NAMES.get(update.bank, update.bank).format(n=update.bank_documents)
    return f"{index}；{bank}（{update.bank_seconds:.1f} 秒）。"
