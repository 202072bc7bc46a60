"""The Word file, opened the way a writer would check it: text, order, styles, fonts, page, comments."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from drafter.draft.compose import compose
from drafter.draft.docx import draft_filename, draft_to_bytes, text_width, title_lines, write_docx
from drafter.draft.docx_styles import HEADING_STYLES
from drafter.draft.form import parse_form
from drafter.errors import InputFileError
from drafter.models import Draft, DraftNode, Reference
from tests.draft_builders import KEJI, FakeSearch, example_form, make_bank

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def open_docx(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def keji_docx() -> Any:
    form = example_form(KEJI).model_copy(update={"heading_style": "parallel"})
    draft = compose(form, make_bank(), FakeSearch())
    return open_docx(draft_to_bytes(draft))


def paragraphs(document: Any, style: str | None = None) -> list[Any]:
    return [p for p in document.paragraphs if style is None or p.style.name == style]


def body_text(document: Any) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_title_is_the_first_paragraph_in_the_title_style(keji_docx: Any) -> None:
    title = keji_docx.paragraphs[0]
    assert title.style.name == "公文标题"
    assert title.text.replace("\n", "") == "青溪区科学技术局2025年工作总结及2026年工作思路"
    assert title.text.split("\n") == ["青溪区科学技术局", "2025年工作总结及2026年工作思路"]


def test_parts_in_order_and_one_section_per_theme(keji_docx: Any) -> None:
    assert [p.text for p in paragraphs(keji_docx, "一级标题")] == [
        "一、2025年主要工作",
        "二、存在的问题",
        "三、2026年工作思路",
    ]
    sections = [p.text for p in paragraphs(keji_docx, "二级标题")]
    assert sections[:7] == [
        "（一）聚焦科技企业培育，优化科技产业生态",
        "（二）聚焦研发投入提升，增强科技创新动能",
        "（三）聚焦科技人才引育，奋力打造科创高地",
        "（四）聚焦创新平台建设，全力打造创新引擎",
        "（五）聚焦科技成果转化，激发创新创业活力",
        "（六）聚焦科学普及，提升全民科学素质",
        "（七）聚焦创新服务优化，营造一流创新环境",
    ]
    assert sections[7:] == [
        f"（{n}）实施{t}工程"
        for n, t in zip(
            "一二三四五",
            ["研发投入提升", "科技企业培育", "创新平台建设", "科技人才引育", "科学普及"],
            strict=True,
        )
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "全年新认定国家高新技术企业162家，同比增长29.6%；入库科技型中小企业461家，同比增长43.6%。",
        "全年全社会研发经费投入强度3.12%，较上年提高0.25个百分点。",
        "规上工业企业研发活动覆盖率58.5%，较上年下降1.6个百分点。",
        "引进海外高层次人才11人，同比下降15.4%。",
        "全年新认定市级专家工作站5家。",
        "全年新增市级众创空间4家，与上年持平；省级重点实验室2家，实现零的突破。",
        "全年实现技术合同成交额23.5亿元，同比增长29.1%。",
        "全年兑现各类科技扶持资金1.75亿元，同比增长15.1%。",
    ],
)
def test_every_figure_with_its_wording(keji_docx: Any, sentence: str) -> None:
    assert any(sentence in p.text for p in paragraphs(keji_docx, "正文"))


def test_highlights_problems_and_targets_verbatim(keji_docx: Any) -> None:
    form = example_form(KEJI)
    text = body_text(keji_docx)
    for note in form.highlights:
        assert note.text in text
    for problem in form.problems:
        assert problem in text
    assert "力争新认定国家高新技术企业180家，入库科技型中小企业500家。" in text
    assert "力争全社会研发经费投入强度3.3%。" in text


def test_placeholders_are_highlighted_yellow(keji_docx: Any) -> None:
    slots = [r for p in keji_docx.paragraphs for r in p.runs if r.text.startswith("【待补充：")]
    assert [r.text for r in slots] == [
        "【待补充：开展科普活动（场），上年为280场】",
        "【待补充：新增市级以上众创空间和孵化器目标值（家）】",
    ]
    assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in slots)
    others = [r for p in keji_docx.paragraphs for r in p.runs if not r.text.startswith("【待补充：")]
    assert all(r.font.highlight_color is None for r in others)


def test_signature_and_date_right_aligned_at_the_end(keji_docx: Any) -> None:
    last = keji_docx.paragraphs[-2:]
    assert [p.text for p in last] == ["青溪区科学技术局", "2025年12月20日"]
    assert all(p.style.name == "落款" for p in last)
    assert keji_docx.styles["落款"].paragraph_format.alignment == 2  # RIGHT


def test_comments_name_their_source_and_carry_the_frame(keji_docx: Any) -> None:
    comments = list(keji_docx.comments)
    assert len(comments) == 3 * 12  # three references on each of the 7 summary and 5 plan sections
    first = comments[0]
    assert first.author == "Drafter"
    assert first.initials == "DR"
    assert first.text.startswith("参考：《往年报告0》（往年标题0）")
    assert "句式：关于科技企业培育的往年段落0，新增企业【N】家。" in first.text
    assert "来源：《往年报告0》" in first.text
    assert "seed0.txt" not in first.text  # a file on the server's disk never reaches the bureau's Word file


def test_comments_are_anchored_on_the_section_headings(keji_docx: Any) -> None:
    anchored = [p for p in keji_docx.paragraphs if p._p.find(f".//{W}commentRangeStart") is not None]
    assert all(p.style.name == "二级标题" for p in anchored)
    assert len(anchored) == 12
    heading = anchored[0]._p
    assert len(heading.findall(f"{W}commentRangeStart")) == 3
    assert len(heading.findall(f".//{W}commentReference")) == 3


def east_asia(style: Any) -> str:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    assert not any(k.endswith("Theme") for k in (a.split("}")[-1] for a in fonts.attrib)), (
        "theme fonts beat names"
    )
    return str(fonts.get(qn("w:eastAsia")))


@pytest.mark.parametrize(
    ("style", "font", "size", "outline"),
    [
        ("公文标题", "方正小标宋简体", 22, None),
        ("正文", "仿宋_GB2312", 16, None),
        ("一级标题", "黑体", 16, 0),
        ("二级标题", "楷体_GB2312", 16, 1),
        ("三级标题", "仿宋_GB2312", 16, 2),
        ("四级标题", "仿宋_GB2312", 16, 3),
        ("Normal", "仿宋_GB2312", 16, None),
    ],
)
def test_styles_fonts_sizes_and_outline_levels(
    keji_docx: Any, style: str, font: str, size: int, outline: int | None
) -> None:
    found = keji_docx.styles[style]
    assert east_asia(found) == font
    assert found.element.rPr.find(qn("w:rFonts")).get(qn("w:ascii")) == "Times New Roman"
    assert found.font.size == Pt(size)
    assert not found.font.bold
    assert found.font.color.rgb is None
    level = found.element.pPr.find(qn("w:outlineLvl"))
    assert (None if level is None else int(level.get(qn("w:val")))) == outline


def test_body_layout_exact_lines_and_two_character_indent(keji_docx: Any) -> None:
    body = keji_docx.styles["正文"].paragraph_format
    assert body.line_spacing == Pt(28.95)
    assert body.line_spacing_rule == 4  # EXACTLY
    assert body.first_line_indent == Pt(32)
    title = keji_docx.styles["公文标题"].paragraph_format
    assert title.alignment == 1
    assert not title.first_line_indent
    assert all(keji_docx.styles[name].paragraph_format.first_line_indent == Pt(32) for name in HEADING_STYLES)


def test_chinese_language_and_default_fonts(keji_docx: Any) -> None:
    defaults = keji_docx.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f".//{W}lang")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    assert defaults.find(f".//{W}rFonts").get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_page_a4_margins_and_grid(keji_docx: Any) -> None:
    section = keji_docx.sections[0]
    assert (section.page_width, section.page_height) == (Mm(210), Mm(297)) or (
        abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    )
    for actual, mm in [
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ]:
        assert abs(actual - Mm(mm)) < Mm(0.05)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")


def test_28_characters_fit_a_line(keji_docx: Any) -> None:
    """Text width / 28 must hold a 16 pt character plus its (negative) spacing."""
    spacing = keji_docx.styles["正文"].element.rPr.find(qn("w:spacing"))
    pitch_twips = 320 + int(spacing.get(qn("w:val")))
    width_twips = (
        keji_docx.sections[0].page_width
        - keji_docx.sections[0].left_margin
        - keji_docx.sections[0].right_margin
    ) / 635
    assert 28 * pitch_twips <= width_twips < 29 * pitch_twips


def test_page_numbers_are_page_fields_between_dashes(keji_docx: Any) -> None:
    assert keji_docx.settings.odd_and_even_pages_header_footer
    section = keji_docx.sections[0]
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert paragraph.alignment == align
        assert paragraph._p.find(f".//{W}instrText").text.strip() == "PAGE"
        run = paragraph.runs[0]
        assert run.font.size == Pt(14)
        assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    footer_style = keji_docx.styles["Footer"].element.pPr.find(qn("w:ind"))
    assert footer_style.get(qn("w:firstLine")) == "0"
    assert footer_style.get(qn("w:firstLineChars")) == "0"


def test_xml_illegal_characters_are_removed_not_fatal() -> None:
    draft = Draft(
        title="测试\x00标题",
        preamble=("导语\x07。",),
        nodes=(DraftNode(1, "一、", "标题\x1b", ("正文\x0b。",)),),
        signature="某局\ufffe",
    )
    document = open_docx(draft_to_bytes(draft))
    assert [p.text for p in document.paragraphs] == ["测试标题", "导语。", "一、标题", "正文。", "某局"]


def test_injection_looking_user_text_reaches_word_literally() -> None:
    form = parse_form(
        {
            "unit": "{{ 7*7 }}局",
            "year": 2025,
            "highlights": [{"theme": "{% if 1 %}主题{% endif %}", "text": "{{ config }}<w:p/>&amp;终"}],
        }
    )
    document = open_docx(draft_to_bytes(compose(form, make_bank(), None)))
    text = body_text(document)
    assert "{{ 7*7 }}局" in text
    assert "{% if 1 %}主题{% endif %}" in text
    assert "{{ config }}<w:p/>&amp;终。" in text


def test_write_to_a_path(tmp_path: Path) -> None:
    out = tmp_path / "草稿.docx"
    write_docx(Draft(title="标题"), out)
    assert docx.Document(str(out)).paragraphs[0].text == "标题"


def make_reference(path: Path) -> Path:
    document = docx.Document()
    style = document.styles.add_style("正文", 1)
    style.font.name = "Bureau Serif"
    style.font.size = Pt(15)
    document.add_paragraph("旧内容，应被清除", style="正文")
    document.save(str(path))
    return path


def test_reference_docx_lends_its_styles_and_loses_its_body(tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "本单位模板.docx")
    draft = compose(example_form(KEJI), make_bank(), None)
    document = open_docx(draft_to_bytes(draft, reference_docx=reference))
    assert "旧内容" not in body_text(document)
    assert document.styles["正文"].font.size == Pt(15)  # the bureau's own style, untouched
    assert document.styles["一级标题"].font.size == Pt(16)  # missing styles are added
    assert document.paragraphs[0].text.startswith("青溪区科学技术局")


@pytest.mark.parametrize("content", [None, b"not a zip at all", b"PK\x03\x04broken"])
def test_a_bad_reference_docx_is_a_user_error(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "ref.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputFileError) as caught:
        draft_to_bytes(Draft(title="标题"), reference_docx=path)
    assert "ref.docx" in str(caught.value)


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("短标题", ["短标题"]),
        (
            "青溪区科学技术局2025年工作总结及2026年工作思路",
            ["青溪区科学技术局", "2025年工作总结及2026年工作思路"],
        ),
        (
            "青溪区文化和旅游局2025年上半年工作总结及下半年工作计划",
            ["青溪区文化和旅游局", "2025年上半年工作总结及下半年工作计划"],
        ),
        ("青溪区科学技术局2026年工作计划", ["青溪区科学技术局2026年工作计划"]),
    ],
)
def test_long_titles_break_where_words_end(title: str, lines: list[str]) -> None:
    assert title_lines(title) == lines
    assert all(text_width(line) <= 20 for line in lines) or lines == [title]


def test_file_name_is_the_title() -> None:
    assert (
        draft_filename(Draft(title="青溪区科学技术局2025年工作计划")) == "青溪区科学技术局2025年工作计划.docx"
    )
    assert draft_filename(Draft(title='a/b:c*?"<>|')) == "abc.docx"
    assert draft_filename(Draft(title="...")) == "草稿.docx"


def test_each_reference_is_its_own_comment() -> None:
    ref = Reference("某报告", "a.txt", "某标题", "段落。", "段落。", 0.5)
    node = DraftNode(2, "（一）", "标题", ("正文。",), references=(ref, ref))
    document = open_docx(draft_to_bytes(Draft(title="T", nodes=(node,))))
    comments = list(document.comments)
    assert len(comments) == 2
    assert "句式" not in comments[0].text  # a frame identical to the passage is not repeated


def test_comments_written_directly_are_the_xml_python_docx_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    import re
    import zipfile
    from dataclasses import replace

    from drafter.draft import docx as module

    draft = compose(example_form(KEJI), make_bank(), FakeSearch())
    odd = (" 前后有空格 ", "A&B <c> “引号”'x'", "")  # kept spaces, escaped characters, an empty passage

    def oddly(nodes: tuple[DraftNode, ...]) -> tuple[DraftNode, ...]:
        return tuple(
            replace(
                n,
                references=tuple(replace(r, text=odd[i % 3] + r.text) for i, r in enumerate(n.references)),
                children=oddly(n.children),
            )
            for n in nodes
        )

    draft = replace(draft, nodes=oddly(draft.nodes))

    def xml(data: bytes) -> tuple[bytes, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            comments = re.sub(rb' w:date="[^"]*"', b"", archive.read("word/comments.xml"))
            return archive.read("word/document.xml"), comments

    direct = xml(draft_to_bytes(draft))
    assert direct[1].count(b"<w:comment ") >= 10
    monkeypatch.setattr(module, "_fits_template", lambda _draft: False)  # the whole file by python-docx
    monkeypatch.setattr(module._Writer, "comment", module._Writer.comment_by_docx)
    assert direct == xml(draft_to_bytes(draft))


def test_a_file_made_from_the_saved_template_is_the_file_python_docx_saves() -> None:
    import re
    import zipfile

    from drafter.draft.docx import build_document

    draft = compose(example_form(KEJI), make_bank(), FakeSearch())

    def files(data: bytes) -> list[tuple[str, bytes]]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(n, re.sub(rb' w:date="[^"]*"', b"", archive.read(n))) for n in archive.namelist()]

    saved = io.BytesIO()
    build_document(draft).save(saved)  # the whole document opened, written and saved by python-docx
    made = files(draft_to_bytes(draft))
    assert [name for name, _ in made] == [name for name, _ in files(saved.getvalue())]
    assert made == files(saved.getvalue())
    assert draft_to_bytes(draft) != draft_to_bytes(replace_title(draft, "另一个标题"))  # nothing kept between


def replace_title(draft: Draft, title: str) -> Draft:
    from dataclasses import replace

    return replace(draft, title=title)


def test_a_damaged_kept_template_is_made_again_and_the_file_is_the_same() -> None:
    import re
    import zipfile

    from drafter.draft import docx as module
    from drafter.resources import cache_dir

    draft = compose(example_form(KEJI), make_bank(), FakeSearch())

    def files(data: bytes) -> list[tuple[str, bytes]]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(n, re.sub(rb' w:date="[^"]*"', b"", archive.read(n))) for n in archive.namelist()]

    module._template.cache_clear()  # a new process: it keeps the template it makes
    first = files(draft_to_bytes(draft))
    kept = list(cache_dir().glob("docx-template-*.docx"))  # what the next process opens instead of building
    assert kept
    for path in kept:
        path.write_bytes(path.read_bytes()[:200])
    module._template.cache_clear()  # a new process
    assert files(draft_to_bytes(draft)) == first
    with zipfile.ZipFile(kept[0]) as archive:  # made again
        assert "word/comments.xml" in archive.namelist()
