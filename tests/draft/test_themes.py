"""Default themes by bureau type, and where a figure or highlight without a theme goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.draft.templating import default_templates_dir
from drafter.draft.themes import (
    Candidate,
    ThemeCatalog,
    ThemeFileError,
    candidates,
    frame_context,
    load_theme_catalog,
    place,
)
from drafter.errors import FormError
from drafter.models import Example, Phrase


@pytest.fixture(scope="module")
def catalog() -> ThemeCatalog:
    return load_theme_catalog(default_templates_dir())


@pytest.mark.parametrize(
    ("unit", "bureau"),
    [
        ("青溪区科学技术局", "科技局"),
        ("青溪区科学技术协会", "科技局"),
        ("青溪区文化和旅游局", "文旅局"),
        ("青溪区文化广电旅游体育局", "文旅局"),
        ("青溪区农业农村局", "农业农村局"),
        ("青溪区市场监督管理局", "通用"),
    ],
)
def test_bureau_type_is_read_from_the_unit_name(catalog: ThemeCatalog, unit: str, bureau: str) -> None:
    assert catalog.bureau_for(unit).name == bureau


def test_bureau_type_named_in_the_form_wins(catalog: ThemeCatalog) -> None:
    assert catalog.bureau_for("青溪区科学技术局", "文旅局").name == "文旅局"


def test_an_unknown_bureau_type_is_a_form_error_listing_the_choices(catalog: ThemeCatalog) -> None:
    with pytest.raises(FormError) as caught:
        catalog.bureau_for("青溪区科学技术局", "宇航局")
    assert caught.value.problems[0].path == "bureau_type"
    assert "科技局" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("新认定国家高新技术企业", "科技企业培育"),
        ("入库科技型中小企业", "科技企业培育"),
        ("全社会研发经费投入强度", "研发投入提升"),
        ("规上工业企业研发活动覆盖率", "研发投入提升"),
        ("技术合同成交额", "科技成果转化"),
        ("新增市级众创空间", "创新平台建设"),
        ("新增省级重点实验室", "创新平台建设"),
        ("新认定市级专家工作站", "科技人才引育"),
        ("引进海外高层次人才", "科技人才引育"),
        ("开展科普活动", "科学普及"),
        ("兑现各类科技扶持资金", "创新服务优化"),
        ("举办全国科普日主场活动，线上观看10余万人次", "科学普及"),
    ],
)
def test_untagged_items_go_to_the_theme_a_writer_would_choose(
    catalog: ThemeCatalog, text: str, theme: str
) -> None:
    bureau = catalog.bureau_for("青溪区科学技术局")
    assert place(text, candidates([], bureau), bureau.fallback) == theme


def test_what_fits_nowhere_goes_to_the_fallback_theme(catalog: ThemeCatalog) -> None:
    bureau = catalog.bureau_for("青溪区科学技术局")
    assert place("召开年度总结大会", candidates([], bureau), bureau.fallback) == bureau.fallback


def test_the_writers_own_theme_is_preferred_and_borrows_vocabulary(catalog: ThemeCatalog) -> None:
    bureau = catalog.bureau_for("青溪区科学技术局")
    options = candidates(["人才引育"], bureau)
    talent = next(t for t in bureau.themes if t.name == "科技人才引育")
    assert options[0] == Candidate("人才引育", talent.words, own=True)
    assert place("新认定市级博士创新站", options, bureau.fallback) == "人才引育"


def test_figure_frames_lend_their_context() -> None:
    frame = Phrase(
        "figure_frame",
        "新认定高企{N}家",
        3,
        2,
        (Example("聚焦企业主体培育，新认定高企162家", "d1"),),
        label="新认定高企",
        unit="家",
    )
    options = [Candidate("企业主体培育", (), own=True), Candidate("平台建设", (), own=True)]
    assert frame_context("新认定高企", [frame])
    assert place("新认定高企", options, "其他", [frame]) == "企业主体培育"
    assert place("新认定高企", options, "其他") == "其他"


def test_a_theme_similar_to_a_listed_one_gets_its_result_clause(catalog: ThemeCatalog) -> None:
    bureau = catalog.bureau_for("青溪区科学技术局")
    listed = bureau.theme("人才引育")
    assert listed is not None
    assert listed.name == "科技人才引育"
    assert bureau.theme("党风廉政建设") is None


def test_lead_sentences_use_the_theme(catalog: ThemeCatalog) -> None:
    bureau = catalog.bureau_for("青溪区科学技术局")
    assert catalog.lead(None, "党风廉政建设", plan=False).startswith("围绕党风廉政建设")
    assert catalog.lead(bureau.themes[0], bureau.themes[0].name, plan=True) == bureau.themes[0].plan_lead


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("bureaus: []\n", "bureaus"),
        ("bureaus:\n  科技局: {themes: []}\n", "bureaus.科技局"),
        ("bureaus:\n  科技局: {themes: [{words: [a]}]}\n", "bureaus.科技局.themes[0]"),
        ("bureaus:\n  科技局: {themes: [{name: a, word: [b]}]}\n", "word"),
        ("bureaus:\n  科技局: {themes: [{name: a, words: 高企}]}\n", "words"),
        ("bureaus: [unclosed\n", "YAML"),
    ],
)
def test_a_malformed_themes_file_names_the_field(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / "themes.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ThemeFileError) as caught:
        load_theme_catalog(tmp_path)
    assert "themes.yaml" in str(caught.value)
    assert expected in str(caught.value)


def test_a_missing_themes_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ThemeFileError, match="找不到主题文件"):
        load_theme_catalog(tmp_path)
