"""Splitting multi-report pages (…篇一 … 篇十六) into one text per report."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.ingest.clean import clean
from drafter.ingest.split import clean_title, split_reports

SEED_003 = Path(__file__).resolve().parents[2] / "examples" / "corpus" / "003_0d80e4d34c487784.txt"

PAGE = (
    "以下这些范文仅供参考，希望对大家有帮助。\n"
    "科技局工作总结与来年工作思路篇一\n今年以来，认定高新技术企业71家。\n"
    "科技局工作总结与来年工作思路篇二\n一是定期组织对接活动。\n"
    "科技局工作总结与来年工作思路（篇三）\n优化政策环境。\n"
)


def test_articles_are_split_with_numbered_titles_and_the_intro_dropped() -> None:
    items = split_reports(PAGE, "页面标题")
    assert [t for t, _ in items] == [
        "科技局工作总结与来年工作思路（篇一）",
        "科技局工作总结与来年工作思路（篇二）",
        "科技局工作总结与来年工作思路（篇三）",
    ]
    assert [b for _, b in items] == [
        "今年以来，认定高新技术企业71家。",
        "一是定期组织对接活动。",
        "优化政策环境。",
    ]
    assert all("仅供参考" not in body for _, body in items)


def test_seed_003_gives_sixteen_reports() -> None:
    items = split_reports(clean(SEED_003.read_text(encoding="utf-8")), None)
    assert len(items) == 16
    assert items[2][0] == "科学技术局工作总结与来年工作思路（篇三）"
    assert items[15][0] == "科学技术局工作总结与来年工作思路（篇十六）"
    assert len({title for title, _ in items}) == 16
    assert items[0][1].startswith("科技型企业队伍不断壮大")
    assert all(body.strip() for _, body in items)


@pytest.mark.parametrize(
    "text",
    [
        "某局工作总结篇一\n正文。\n",  # a single 篇一 is not a collection
        "某局工作总结篇一\n正文。\n某局工作总结篇三\n正文。\n",  # 篇三 does not follow 篇一
        "本篇一共三部分，详见下文。\n正文。\n",  # 篇一 inside a sentence
    ],
)
def test_pages_without_a_run_of_articles_stay_whole(text: str) -> None:
    assert split_reports(text, "标题") == [("标题", text)]


def test_a_normal_page_keeps_the_given_title() -> None:
    text = "区科技局年度工作计划\n2021年，区科技局将……"
    assert split_reports(text, "区科技局年度工作计划") == [("区科技局年度工作计划", text)]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("2022年工作总结与2023年工作思路.docx\n正文。", "2022年工作总结与2023年工作思路"),
        ("各位代表：\n县文旅局2023年工作总结\n正文。", "县文旅局2023年工作总结"),
        ("很长的一句正文，没有标题。\n短句", "短句"),
        ("只有一句很长的正文，并且以句号结束。", ""),
    ],
)
def test_without_a_title_the_first_title_like_line_is_used(text: str, title: str) -> None:
    assert split_reports(text, None)[0][0] == title


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("2022年工作总结与2023年工作思路.docx", "2022年工作总结与2023年工作思路"),
        ("《区科技局年度工作计划》", "区科技局年度工作计划"),
        (" 报告.PDF ", "报告"),
        ("2025年西藏自治区《政府工作报告", "2025年西藏自治区政府工作报告"),
        ("关于《专利法》实施情况的报告", "关于《专利法》实施情况的报告"),
    ],
)
def test_clean_title(title: str, expected: str) -> None:
    assert clean_title(title) == expected
