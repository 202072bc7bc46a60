"""Signature, date, page-number and table-of-contents lines never become passages."""

from __future__ import annotations

import pytest

from drafter.ingest.documents import build_documents
from drafter.ingest.furniture import is_furniture
from drafter.models import RawDocument


@pytest.mark.parametrize(
    "line",
    [
        "青溪区科学技术局",
        "青溪区科学技术局 2025年12月20日",
        "2025年12月20日",
        "二〇二五年十二月二十日",
        "（2025年12月）",
        "— 1 —",
        "- 12 -",
        "第1页 / 共10页",
        "2/10",
        "一、工作总结……………3",
        "目  录",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "2025年，我局围绕中心工作，全面完成各项目标任务。",
        "一是加快推进科技体制改革。",
        "持续推进高新技术企业培育工作",
        "全年新认定国家高新技术企业162家，同比增长29.6%。",
    ],
)
def test_content_lines_stay(line: str) -> None:
    assert not is_furniture(line)


def test_a_signed_and_dated_report_has_no_signature_passage() -> None:
    text = (
        "青溪区科技局2025年工作总结\n一、工作成效\n全年新认定国家高新技术企业162家，科技企业培育成效明显。\n"
        "二、下一步工作\n继续完善科技企业梯次培育机制，推动高新技术企业量质齐升。\n"
        "青溪区科学技术局\n2025年12月20日\n— 3 —\n"
    )
    (doc,) = build_documents(RawDocument("t.txt", text))
    texts = [p.text for p in doc.passages]
    assert not any("2025年12月20日" in t or t.strip() == "青溪区科学技术局" or "— 3 —" in t for t in texts)
    assert any("162家" in t for t in texts)
