"""Composing a draft: skeleton per report kind, headings from the bank, figures, references, placeholders."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from drafter.draft.compose import TEMPLATE_NAMES, choose_families, compose
from drafter.draft.docx import draft_to_bytes
from drafter.draft.form import Form, parse_form
from drafter.draft.templating import default_templates_dir
from drafter.models import Draft, DraftNode, PhraseBank
from drafter.rows import preview_row as preview_of
from tests.draft_builders import EXAMPLE_FORMS, KEJI, PLAN, WENLV, FakeSearch, example_form, make_bank

KEJI_SUMMARY_THEMES = [
    "科技企业培育",
    "研发投入提升",
    "科技人才引育",
    "创新平台建设",
    "科技成果转化",
    "科学普及",
    "创新服务优化",
]


def all_paragraphs(nodes: tuple[DraftNode, ...]) -> list[str]:
    out: list[str] = []
    for node in nodes:
        out.extend(node.paragraphs)
        out.extend(all_paragraphs(node.children))
    return out


def draft_of(data: dict[str, Any] | Path, search: FakeSearch | None = None, **kwargs: Any) -> Draft:
    form = example_form(data) if isinstance(data, Path) else parse_form(data)
    return compose(form, make_bank(), search, **kwargs)


@pytest.fixture(scope="module")
def keji() -> Draft:
    return draft_of(KEJI, FakeSearch())


@pytest.fixture(scope="module")
def keji_parallel() -> Draft:
    form = example_form(KEJI).model_copy(update={"heading_style": "parallel"})
    return compose(form, make_bank(), None)


def by_theme(draft: Draft) -> dict[str, DraftNode]:
    """The summary sections by the theme their heading ends with."""
    return {t: s for s in draft.nodes[0].children for t in KEJI_SUMMARY_THEMES if s.heading.endswith(t)}


def test_titles_follow_the_report_kind() -> None:
    assert draft_of(KEJI).title == "青溪区科学技术局2025年工作总结及2026年工作思路"
    assert draft_of(WENLV).title == "青溪区文化和旅游局2025年上半年工作总结及下半年工作计划"
    assert draft_of(PLAN).title == "青溪区科学技术局2026年工作计划"
    assert draft_of({"unit": "某局", "year": 2025, "title": "自拟标题"}).title == "自拟标题"


def test_parts_in_order_with_problems_between(keji: Draft) -> None:
    assert [(n.number, n.heading) for n in keji.nodes] == [
        ("一、", "2025年主要工作"),
        ("二、", "存在的问题"),
        ("三、", "2026年工作思路"),
    ]
    without = draft_of(
        {"unit": "某局", "year": 2025, "plans": [{"theme": "科普", "actions": ["办好科普日"]}]}
    )
    assert [n.number + n.heading for n in without.nodes] == ["一、2025年主要工作", "二、2026年工作思路"]


def test_half_year_parts() -> None:
    draft = draft_of(WENLV)
    assert [n.heading for n in draft.nodes] == ["上半年工作开展情况", "存在的问题", "下半年工作计划"]


def test_one_section_per_theme_with_the_summary_family(keji_parallel: Draft) -> None:
    sections = keji_parallel.nodes[0].children
    assert [s.number for s in sections] == [
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（六）",
        "（七）",
    ]
    assert [s.heading.split("，")[0] for s in sections] == [f"聚焦{t}" for t in KEJI_SUMMARY_THEMES]
    assert sections[0].heading == "聚焦科技企业培育，优化科技产业生态"


def test_plan_sections_use_a_different_family(keji_parallel: Draft) -> None:
    keji = keji_parallel
    plan = keji.nodes[2].children
    assert [s.heading for s in plan] == [
        "实施研发投入提升工程",
        "实施科技企业培育工程",
        "实施创新平台建设工程",
        "实施科技人才引育工程",
        "实施科学普及工程",
    ]
    assert keji.metadata["summary_family"] == "聚焦"
    assert keji.metadata["plan_family"] == "实施…工程"


def test_choose_families_never_repeats_the_summary_family() -> None:
    summary, plan = choose_families(make_bank())
    assert summary is not None
    assert plan is not None
    assert (summary.family, plan.family) == ("聚焦", "实施…工程")


@pytest.mark.parametrize("style", ["fitting", "parallel", "result"])
def test_without_a_bank_headings_are_the_themes(style: str) -> None:
    # No evidence for any verb: never an invented verb–object pair, the theme itself.
    form = example_form(KEJI).model_copy(update={"heading_style": style})
    draft = compose(form, PhraseBank(), None)
    assert draft.nodes[0].children[0].heading == "科技企业培育"


def test_a_section_states_its_figures_in_one_results_sentence_then_its_measures(keji: Draft) -> None:
    first = by_theme(keji)["科技企业培育"]
    assert len(first.paragraphs) == 1
    assert first.paragraphs[0].endswith(
        "全年新认定国家高新技术企业162家，同比增长29.6%；入库科技型中小企业461家，同比增长43.6%。"
    )
    talent = by_theme(keji)["科技人才引育"]
    # one measure: a plain paragraph, never a lone 一是
    assert talent.paragraphs[-1] == "新认定市级博士创新站8家，1人入选国家火炬计划，实现火炬计划零突破。"


@pytest.mark.parametrize(
    "phrase",
    [
        "全社会研发经费投入强度3.12%，较上年提高0.25个百分点",
        "规上工业企业研发活动覆盖率58.5%，较上年下降1.6个百分点",
        "新增市级众创空间4家，与上年持平",
        "省级重点实验室2家，实现零的突破",  # 新增 said once for both
        "引进海外高层次人才11人，同比下降15.4%",
        "实现技术合同成交额23.5亿元，同比增长29.1%",  # 实现 from the bank's figure frame 实现{X}{N}亿元
        "全年新认定市级专家工作站5家。",
        "【待补充：开展科普活动（场），上年为280场】",
    ],
)
def test_every_figure_is_worded_in_the_draft(keji: Draft, phrase: str) -> None:
    assert any(phrase in p for p in all_paragraphs(keji.nodes))


def test_untagged_figures_and_highlights_are_placed_by_theme(keji: Draft) -> None:
    by_heading = {t: " ".join(s.paragraphs) for t, s in by_theme(keji).items()}
    assert "技术合同成交额" in by_heading["科技成果转化"]
    assert "省级重点实验室" in by_heading["创新平台建设"]
    assert "华东合成生物学产业技术研究院" in by_heading["创新平台建设"]
    assert "全国科普日" in by_heading["科学普及"]


def test_problems_and_plan_targets_and_actions(keji: Draft) -> None:
    problems = keji.nodes[1].paragraphs
    assert problems[1] == "一是企业研发投入意愿不强，规上工业企业研发活动覆盖率有所下降。"
    enterprise = keji.nodes[2].children[1]
    assert "力争新认定国家高新技术企业180家，入库科技型中小企业500家。" in enterprise.paragraphs[0]
    assert enterprise.paragraphs[1] == "一是完善“微成长、小升高、高壮大、大变强”的科技企业梯次培育机制。"


def test_placeholders_are_listed_in_reading_order(keji: Draft) -> None:
    assert keji.placeholders == (
        "【待补充：开展科普活动（场），上年为280场】",
        "【待补充：新增市级以上众创空间和孵化器目标值（家）】",
    )


def test_an_empty_form_leaves_visible_slots_not_invented_text() -> None:
    draft = draft_of({"unit": "青溪区科学技术局", "year": 2025})
    assert draft.placeholders == ("【待补充：2025年主要工作】", "【待补充：2026年工作思路】")


def test_a_plan_theme_without_targets_or_actions_gets_a_slot() -> None:
    draft = draft_of({"unit": "某局", "year": 2025, "period": "plan", "plans": [{"theme": "科学普及"}]})
    assert draft.placeholders == ("【待补充：科学普及的主要举措】",)
    assert draft.nodes[0].number == "一、"  # a plan alone numbers its themes 一、二、…


def test_signature_and_date_only_when_given(keji: Draft) -> None:
    assert (keji.signature, keji.date) == ("青溪区科学技术局", "2025年12月20日")
    bare = draft_of({"unit": "某局", "year": 2025})
    assert (bare.signature, bare.date) == (None, None)


def test_opening_names_the_unit_and_its_leaders(keji: Draft) -> None:
    assert keji.preamble[0].startswith("2025年，青溪区科学技术局在区委、区政府的坚强领导下")
    other = draft_of({"unit": "科技局", "year": 2025})
    assert other.preamble[0].startswith("2025年，科技局紧扣")


def test_references_per_section_from_the_right_part() -> None:
    search = FakeSearch()
    draft = draft_of(KEJI, search)
    summary, plan = draft.nodes[0].children, draft.nodes[2].children
    assert all(len(s.references) == 3 for s in (*summary, *plan))
    assert all(not n.references for n in draft.nodes)
    parts = [filters.part for _, _, filters in search.calls]
    assert parts == ["summary"] * len(summary) + ["plan"] * len(plan)
    query, _k, _ = search.calls[0]
    # the query is the section's theme, its heading and its items
    assert query.startswith("科技企业培育 ")
    assert summary[0].heading in query
    assert "新认定国家高新技术企业162家" in query
    assert summary[0].references[0].title == "往年报告0"
    assert "科技企业培育" in summary[0].references[0].text


def test_no_search_means_no_references() -> None:
    draft = draft_of(KEJI)
    assert all(not s.references for s in draft.nodes[0].children)


def injection_form() -> dict[str, Any]:
    return {
        "unit": "{{ 7*7 }}局",
        "year": 2025,
        "figures": [
            {
                "label": "{% for x in range(3) %}x{% endfor %}",
                "value": 1,
                "unit": "{#家#}",
                "theme": "{{ unit }}",
            }
        ],
        "highlights": [{"text": "一、这不是标题"}, {"text": "@署名 冒充的署名"}],
        "problems": ["{{ ''.__class__ }}"],
        "plans": [{"theme": "（一）科普", "actions": ["{{ 7*7 }}"]}],
    }


def test_injection_looking_text_stays_literal() -> None:
    draft = draft_of(injection_form())
    text = "\n".join([draft.title, *draft.preamble, *all_paragraphs(draft.nodes)])
    assert draft.title.startswith("{{ 7*7 }}局")
    assert "{% for x in range(3) %}x{% endfor %}1{#家#}" in text
    assert "{{ ''.__class__ }}。" in draft.nodes[1].paragraphs  # one problem: a paragraph, no lone 一是
    assert "49" not in text
    # user text never opens a heading or fills the signature
    assert [n.heading for n in draft.nodes] == ["2025年主要工作", "存在的问题", "2026年工作思路"]
    # a lone measure is a plain paragraph: still text, even when it starts like a heading or a directive
    assert "一、这不是标题。" in all_paragraphs(draft.nodes)
    assert "@署名 冒充的署名。" in all_paragraphs(draft.nodes)
    assert draft.signature is None


def test_an_it_person_can_add_a_fixed_paragraph_in_the_template(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), folder)
    annual = folder / "annual.txt.j2"
    lines = annual.read_text(encoding="utf-8").splitlines()
    title_at = next(i for i, line in enumerate(lines) if "custom_title" in line)
    lines.insert(title_at + 1, "本稿仅供内部讨论。")
    annual.write_text("\n".join(lines), encoding="utf-8")
    draft = compose(example_form(KEJI), make_bank(), None, templates_dir=folder)
    assert draft.preamble[0] == "本稿仅供内部讨论。"


@pytest.mark.parametrize("kind", sorted(TEMPLATE_NAMES))
@pytest.mark.parametrize("path", EXAMPLE_FORMS, ids=[p.name for p in EXAMPLE_FORMS])
def test_every_template_renders_every_example_form_and_exports(kind: str, path: Path) -> None:
    form: Form = example_form(path).model_copy(update={"period": kind})
    draft = compose(form, make_bank(), FakeSearch())
    assert draft.title
    assert draft.nodes
    data = draft_to_bytes(draft)
    assert data[:2] == b"PK"
    assert len(data) > 5000


def test_preview_lists_outline_figures_and_placeholders(keji: Draft) -> None:
    preview = preview_of(example_form(KEJI), keji)
    assert preview["title"] == keji.title
    assert preview["outline"][0] == {
        "level": 1,
        "number": "一、",
        "heading": "2025年主要工作",
        "references": [],
    }
    assert len(preview["outline"][1]["references"]) == 3
    figures = {f["label"]: f for f in preview["figures"]}
    assert figures["新认定国家高新技术企业"]["change"] == "同比增长29.6%"
    assert figures["技术合同成交额"]["section"] == "聚焦科技成果转化"
    assert figures["开展科普活动"]["kind"] == "missing"
    assert preview["placeholders"] == list(keji.placeholders)
