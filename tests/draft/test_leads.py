"""Leads per section: the best fitting mined lead, never one twice in a draft, the same in every draft."""

from __future__ import annotations

from drafter.draft.leads import LeadPicker
from drafter.models import Lead

LEADS = (
    Lead("summary", "抓好粮食生产", "抓好耕地保护和种粮补贴落实，稳定粮食播种面积。", "d1"),
    Lead("summary", "稳住粮食生产基本盘", "坚持把粮食生产作为头等大事，{region}粮食播种面积稳中有增。", "d2"),
    Lead("summary", "推进乡村产业振兴", "推进乡村特色产业发展，带动农民增收。", "d3"),
)
VERBS = ("抓好", "坚持", "推进")


def _leads_of(picker: LeadPicker) -> list[str]:
    return [
        picker.pick("summary", "粮食生产", "粮食播种面积", "").text,
        picker.pick("summary", "粮食生产", "粮食播种面积", "").text,
        picker.pick("summary", "乡村产业", "特色产业", "").text,
    ]


def test_two_sections_on_one_subject_get_different_leads() -> None:
    first, second, third = _leads_of(LeadPicker(LEADS, VERBS, "全县"))
    assert first
    assert second
    assert first != second
    assert "全县" in first + second  # the region word filled in
    assert third == "推进乡村特色产业发展，带动农民增收。"


def test_a_later_draft_gets_the_same_leads_for_the_same_subjects() -> None:
    leads = list(LEADS)  # one bank's leads, asked by several drafts in turn
    drafts = [_leads_of(LeadPicker(leads, VERBS, "全县")) for _ in range(3)]
    assert drafts[0] == drafts[1] == drafts[2]
    other_region = _leads_of(LeadPicker(leads, VERBS, "全区"))
    assert [t.replace("全区", "全县") for t in other_region] == drafts[0]
