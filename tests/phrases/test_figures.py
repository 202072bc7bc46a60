"""Figure frames: indicator label + number + unit, found by regex before tokenising."""

from __future__ import annotations

import pytest

from drafter.models import Document
from drafter.phrases.figures import RE_FIGURE, figure_label
from drafter.text.quantities import normal_unit
from tests.mining_builders import in_bank, mined, one_section, tokenizer


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "新认定高新技术企业162家，同比增长29.6%",
            [("新认定高新技术企业", "162", "家"), ("同比增长", "29.6", "%")],
        ),
        ("全区现有高新技术企业xx家", [("全区现有高新技术企业", "xx", "家")]),  # a placeholder is a figure
        ("研发投入强度达x.xx%", [("研发投入强度达", "x.xx", "%")]),
        ("提高0.25个百分点", [("提高", "0.25", "个百分点")]),
        ("兑现各类扶持资金L75亿元", []),  # OCR slip: the number is glued to a letter
        ("累计开展科普宣传周活动IOO余场", []),
        ("打造科创店小二2.Oo", []),
    ],
)
def test_figures_are_found_on_the_raw_text(text: str, found: list[tuple[str, str, str]]) -> None:
    assert [(m["label"], m["number"], m["unit"]) for m in RE_FIGURE.finditer(text)] == found


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("全区现有高新技术企业", "高新技术企业"),
        ("其中发明专利", "发明专利"),
        ("研发投入强度达", "研发投入强度"),
        ("累计完成技术交易额超过", "完成技术交易额"),
        ("同比增长", "同比增长"),
    ],
)
def test_labels_lose_discourse_words_at_both_ends(raw: str, label: str) -> None:
    assert "".join(figure_label(raw, tokenizer())) == label


def test_units_are_written_one_way() -> None:
    assert normal_unit("％") == "%"
    assert normal_unit("百分点") == "个百分点"
    assert normal_unit("家") == "家"


def reports(lines: list[str]) -> list[Document]:
    return [one_section(f"工作总结{i}", "summary", line, "推进企业培育") for i, line in enumerate(lines)]


def test_indicators_recurring_across_reports_become_form_suggestions() -> None:
    bank = mined(
        reports(
            [
                "新认定高新技术企业162家，同比增长29.6%。新增市级众创空间4家。",
                "新认定高新技术企业45家，同比增长12.5%。新增省级孵化器2家。",
                "新认定高新技术企业xx家，同比增长x.x%。新增星创天地3家。",
            ]
        )
    )
    found = {p.pattern: (p.label, p.unit, p.count, p.docs) for p in bank.by_category("figure_frame")}
    assert found["新认定高新技术企业{N}家"] == ("新认定高新技术企业", "家", 3, 3)
    assert found["同比增长{N}%"] == ("同比增长", "%", 3, 3)
    assert found["新增{X}{N}家"] == (None, "家", 3, 3)  # a frame, not an indicator
    assert {(p.label, p.unit) for p in bank.figure_frames()} == {
        ("新认定高新技术企业", "家"),
        ("同比增长", "%"),
    }
    example = in_bank(bank, "figure_frame")["同比增长{N}%"].examples[0]
    assert example.text == "新认定高新技术企业162家，同比增长29.6%。"


def test_short_labels_and_ocr_slips_are_not_indicators() -> None:
    bank = mined(reports(["完成12家，兑现扶持资金L75亿元。", "完成30家，兑现扶持资金L12亿元。"]))
    assert bank.by_category("figure_frame") == ()
