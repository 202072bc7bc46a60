"""Reading files of every supported kind, and the one-line reasons a bad file is refused with."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from drafter.errors import InputFileError
from drafter.ingest.read import SUPPORTED_SUFFIXES, iter_input_files, read_path

DATA = Path(__file__).resolve().parents[1] / "data"

SIMPLIFIED = "区科技局上半年工作总结及下半年工作计划。一是加大创新主体培育力度，全区现有高新技术企业。"
TRADITIONAL = "區科技局上半年工作總結及下半年工作計劃。一是加大創新主體培育力度，全區現有高新技術企業。"


def _docx(path: Path, *, title_style: str | None = "Title", core_title: str | None = None) -> Path:
    import docx

    document = docx.Document()
    if title_style:
        document.add_paragraph("青溪区科技局2024年工作总结", style=title_style)
    document.add_paragraph("一、主要工作")
    document.add_paragraph("（一）聚焦企业培育，壮大创新主体。新认定国家高新技术企业162家。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "2024年"
    table.cell(1, 0).text = "技术合同成交额"
    table.cell(1, 1).text = "23亿元"
    document.add_paragraph("二、2025年工作思路")
    if core_title:
        document.core_properties.title = core_title
    document.save(str(path))
    return path


# --- iter_input_files -------------------------------------------------------------------------------


def test_iter_input_files_walks_folders_sorted_and_skips_hidden_and_unsupported(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md", "sub/c.docx", "sub/d.pdf", ".hidden.txt", ".git/e.txt", "sub/.f.csv"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path])]
    assert found == ["a.md", "b.txt", "sub/c.docx"]


def test_iter_input_files_passes_files_as_given(tmp_path: Path) -> None:
    given = tmp_path / "report.pdf"
    assert list(iter_input_files([given])) == [given]


def test_supported_suffixes_cover_the_documented_formats() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".html", ".htm", ".docx", ".csv", ".jsonl"}


# --- encodings --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "text", "bom"),
    [
        ("utf-8", SIMPLIFIED, b""),
        ("utf-8", SIMPLIFIED, b"\xef\xbb\xbf"),
        ("gb18030", SIMPLIFIED, b""),
        ("gbk", SIMPLIFIED, b""),
        ("big5", TRADITIONAL, b""),
        ("utf-16-le", SIMPLIFIED, b"\xff\xfe"),
        ("utf-16-be", SIMPLIFIED, b"\xfe\xff"),
    ],
)
def test_text_in_any_supported_encoding_reads_back_exactly(
    tmp_path: Path, encoding: str, text: str, bom: bytes
) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(bom + (text * 3).encode(encoding))
    [raw] = read_path(path)
    assert raw.text == text * 3
    assert raw.source == str(path)


# --- bad input --------------------------------------------------------------------------------------


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (30 * 1024 * 1024))
    return path


def _truncated_docx(path: Path) -> Path:
    whole = _docx(path).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("empty.txt", lambda p: p.write_bytes(b""), "文件为空"),
        ("blank.txt", lambda p: p.write_bytes(b" \n\n "), "文件为空"),
        (
            "binary.txt",
            lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 8),
            "二进制",
        ),
        ("garbage.txt", lambda p: p.write_bytes(bytes(range(1, 9)) * 500), "无法识别文字编码"),
        ("notzip.docx", lambda p: p.write_text("这不是 Word 文件", encoding="utf-8"), "不是 zip 文件"),
        ("truncated.docx", _truncated_docx, "不完整"),
        ("bomb.docx", _zip_bomb, "压缩炸弹"),
        ("report.pdf", lambda p: p.write_bytes(b"%PDF-1.4"), "不支持的文件类型"),
        (
            "notext.csv",
            lambda p: p.write_text("title,url\n报告,http://x\n", encoding="utf-8"),
            "找不到正文列",
        ),
        ("bad.jsonl", lambda p: p.write_text('{"text": "好"}\n{oops\n', encoding="utf-8"), "第 2 行"),
    ],
)
def test_bad_files_are_refused_with_a_chinese_reason(
    tmp_path: Path, name: str, make: Callable[[Path], object], reason: str
) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(InputFileError) as info:
        read_path(path)
    assert reason in info.value.reason
    assert str(path) in str(info.value)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="不存在"):
        read_path(tmp_path / "nowhere.txt")


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(SIMPLIFIED * 100, encoding="utf-8")
    with pytest.raises(InputFileError, match="文件超过"):
        read_path(path, max_bytes=1000)


# --- Markdown, HTML, docx ---------------------------------------------------------------------------


def test_markdown_front_matter_title_is_honoured_and_marks_removed(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(
        "---\ntitle: 七台河市政府工作报告（2022年1月12日 李兵）\nsource: https://example.invalid\n---\n\n"
        "## 一、过去五年工作回顾\n\n**（一）坚持稳中求进。**全市生产总值年均增长1.9%。\n",
        encoding="utf-8",
    )
    [raw] = read_path(path)
    assert raw.title == "七台河市政府工作报告（2022年1月12日 李兵）"
    assert "title:" not in raw.text
    assert "source:" not in raw.text
    assert "一、过去五年工作回顾" in raw.text.split("\n")
    assert "（一）坚持稳中求进。全市生产总值年均增长1.9%。" in raw.text
    assert "#" not in raw.text
    assert "**" not in raw.text


def test_markdown_without_front_matter_has_no_container_title(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text("**政府工作报告**\n\n各位代表：\n", encoding="utf-8")
    [raw] = read_path(path)
    assert raw.title is None
    assert raw.text.startswith("政府工作报告")


def test_html_keeps_main_text_as_lines_and_drops_navigation() -> None:
    [raw] = read_path(DATA / "page.html")
    lines = raw.text.split("\n")
    assert raw.title == "青溪区科学技术局2024年工作总结及2025年工作思路"
    assert "一、2024年工作总结" in lines
    assert "（一）实施科技企业培育工程。完善科技企业梯次培育机制。" in lines
    assert "技术合同成交额 23亿元" in lines
    for chrome in (
        "网站导航",
        "政务公开",
        "当前位置",
        "分享到微信",
        "热门文章",
        "网友评论",
        "ICP备",
        "统计代码",
        "font-size",
    ):
        assert chrome not in raw.text


def test_docx_reads_paragraphs_tables_and_title_style(tmp_path: Path) -> None:
    [raw] = read_path(_docx(tmp_path / "report.docx"))
    lines = raw.text.split("\n")
    assert raw.title == "青溪区科技局2024年工作总结"
    assert lines[1:3] == ["一、主要工作", "（一）聚焦企业培育，壮大创新主体。新认定国家高新技术企业162家。"]
    assert "技术合同成交额  23亿元" in lines
    assert lines[-1] == "二、2025年工作思路"


def test_docx_without_title_paragraph_uses_core_properties(tmp_path: Path) -> None:
    path = _docx(tmp_path / "report.docx", title_style=None, core_title="县文旅局2023年工作总结")
    [raw] = read_path(path)
    assert raw.title == "县文旅局2023年工作总结"


# --- collections ------------------------------------------------------------------------------------


def test_csv_gives_one_report_per_row_with_row_sources() -> None:
    docs = read_path(DATA / "reports.csv")
    path = str(DATA / "reports.csv")
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#3"]  # row 2 has no text
    assert [d.title for d in docs] == ["青溪区科技局2024年工作总结", "青溪区科技局2025年工作计划"]
    assert docs[0].text.startswith("下载\n打印")  # the BOM is gone, the cell's lines kept


def test_csv_accepts_huge_cells_and_chinese_column_names(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    body = "创新驱动发展。" * 40000  # 280 k characters: above csv's default field limit
    path.write_text(f"标题,正文\n大报告,{body}\n", encoding="utf-8")
    [raw] = read_path(path)
    assert raw.title == "大报告"
    assert raw.text == body


def test_jsonl_reads_rows_with_any_known_keys() -> None:
    docs = read_path(DATA / "reports.jsonl")
    path = str(DATA / "reports.jsonl")
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#3"]
    assert docs[1].title == "县文旅局2023年工作总结"
    assert docs[1].text.startswith("一、主要工作")


def test_jsonl_row_without_text_field_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"title": "只有标题"}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="第 1 行"):
        read_path(path)


def test_html_in_gbk_is_decoded(tmp_path: Path) -> None:
    page = (DATA / "page.html").read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="gbk"')
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("gbk"))
    [raw] = read_path(path)
    assert raw.title == "青溪区科学技术局2024年工作总结及2025年工作思路"
    assert "（一）实施科技企业培育工程。完善科技企业梯次培育机制。" in raw.text.split("\n")
