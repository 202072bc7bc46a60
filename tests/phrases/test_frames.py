"""Clause frames (以{X}为抓手, 围绕{X}，{Y}) and the opening, closing and problem formulas, as mined."""

from __future__ import annotations

from drafter.models import Document
from tests.mining_builders import in_bank, mined, one_section, report, summary_plan

# year, leaders, theme, opening sentence, summary body, a gap said in the summary, problems, closing goal
ROWS = [
    (
        2021,
        "区委、区政府",
        "服务提升",
        "现将工作汇报如下：",
        "以“政策落实年”活动为抓手，制定出台科技新政。围绕主导产业布局，加快平台建设。着力优化营商环境。",
        "存在创新投入不足问题。",
        "企业研发投入偏少。亟待加大研发投入。",
        "全区高质量发展",
    ),
    (
        2022,
        "县委",
        "人才引育",
        "现将全年工作总结如下：",
        "以科技特派员制度为抓手，服务乡村振兴。围绕技术攻关需求，组织对接活动。着力提升服务水平。",
        "存在人才结构失衡问题。",
        "企业创新动力不足。亟待优化服务环境。",
        "县域经济转型",
    ),
    (
        2023,
        "市委市政府",
        "平台建设",
        "现将有关情况报告如下：",
        "以创新联合体建设为抓手，攻克关键技术。围绕重点产业链，部署创新链。着力打造人才队伍。",
        "存在资金拨付滞后问题。",
        "企业转型意愿不强。亟待提升创新能力。",
        "全市科技创新",
    ),
]


def reports() -> list[Document]:
    """Three reports sharing their frames: preamble, summary, problems, plan and a closing sentence."""
    return [
        report(
            f"区科技局{year}年工作总结",
            [
                ("工作总结", "summary", [("聚焦创新驱动，优化产业生态", body + gap)]),
                ("存在问题", "problems", [("主要问题", problems)]),
                ("工作思路", "plan", [("实施平台提升工程", "完善机制。")]),
            ],
            preamble=f"{year}年，区科技局在{leaders}的坚强领导下，以{theme}为抓手，扎实推进各项工作。{opening}",
            closing=f"我们将为{goal}作出新的更大贡献。",
        )
        for year, leaders, theme, opening, body, gap, problems, goal in ROWS
    ]


def test_frames_recurring_across_reports_are_mined_with_their_category() -> None:
    bank = mined(reports())
    # Where the clauses stood decides: the preamble makes openings, the last sentence closings.
    assert set(in_bank(bank, "opening")) == {"现将{X}如下", "在{X}的坚强领导下"}
    assert set(in_bank(bank, "closing")) == {"为{X}作出新的更大贡献"}
    # A problem word makes a problem formula wherever it is said (存在 in the summary, 亟待 in the
    # problems part); 企业{X}, said only in the problems part and without one, is a subject, not a formula.
    assert set(in_bank(bank, "problem")) == {"存在{X}问题", "亟待{X}"}
    frames = in_bank(bank, "clause_frame")
    # 以…为抓手 stands in the preamble in half of its uses: not enough to make it an opening.
    assert (frames["以{X}为抓手"].count, frames["以{X}为抓手"].docs) == (6, 3)
    assert "围绕{X}，{Y}" in frames  # its clause always hands over to another
    assert "着力{X}" in frames  # its clause ends the sentence
    assert not [p.pattern for p in bank.phrases if p.pattern.startswith("企业")]


def test_a_clause_gives_a_lead_and_an_infix_frame_but_a_stopword_leads_nothing() -> None:
    bodies = [
        "以政策落实年活动为抓手，制定出台科技新政。以科技特派员制度为抓手，服务乡村振兴。",
        "以政策创新为引领，优化创新生态。以创新联合体建设为抓手，攻克关键技术。",
        "以政策兑现为保障，激发企业活力。以重点项目为抓手，扩大有效投资。",
    ]
    frames = in_bank(
        mined([one_section(f"总结{i}", "summary", b) for i, b in enumerate(bodies)]), "clause_frame"
    )
    assert (frames["以{X}为抓手"].count, frames["以{X}为抓手"].docs) == (4, 3)
    assert (frames["以政策{X}，{Y}"].count, frames["以政策{X}，{Y}"].docs) == (3, 3)
    assert "以{X}" not in frames
    assert "以{X}，{Y}" not in frames


def test_a_number_before_a_unit_makes_a_figure_not_a_clause_frame() -> None:
    bodies = ["新增市级众创空间4家。", "新增省级孵化器2家。", "新增星创天地3家。"]
    bank = mined([one_section(f"总结{i}", "summary", b) for i, b in enumerate(bodies)])
    assert "新增{X}{N}家" in in_bank(bank, "figure_frame")
    assert not [p for p in in_bank(bank, "clause_frame") if p.startswith("新增")]


def test_a_frame_in_one_report_only_is_not_a_formula() -> None:
    bank = mined([reports()[0], summary_plan("总结", [("加强管理", "完善制度。")], [])])
    assert "以{X}为抓手" not in in_bank(bank, "clause_frame")


def test_a_fixed_collocation_is_not_a_frame() -> None:
    # 以人民为中心 recurs, but always with the same filler: no open slot.
    docs = [
        summary_plan(f"总结{i}", [("聚焦民生", f"坚持以人民为中心，办好实事{i}件。")], []) for i in range(3)
    ]
    assert not [p for p in mined(docs).phrases if "为中心" in p.pattern]
