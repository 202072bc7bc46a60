"""Verb–object collocations and section leads mined from reports, and stored with the bank."""

from __future__ import annotations

import json

from drafter.models import Document, PhraseBank
from drafter.phrases.bank import mine
from drafter.phrases.codec import bank_from_json, bank_to_json
from drafter.phrases.leads import generic_lead
from tests.mining_builders import report, tokenizer


def corpus() -> list[Document]:
    """Three reports whose sections open alike and whose headings put verbs before objects."""
    docs = []
    for i, region in enumerate(["全区", "全县", "全市"]):
        summary = [
            (
                "加强党的建设",
                f"坚持全面从严治党，压实管党治党责任。一是开展党纪学习教育。二是加强作风建设{i}。",
            ),
            (
                "推进乡村产业振兴",
                f"围绕{region}主导产业，做强特色产业链条。一是积极培育龙头企业。二是积极发展合作社。",
            ),
            (
                "抓好粮食生产",
                f"全年粮食总产量2{i}万吨。严格落实粮食安全责任。发展村级集体经济，培育新型经营主体。",
            ),
        ]
        plan = [
            ("全力以赴抓好项目建设", "加快项目落地，强化要素保障。"),
            ("全力以赴抓好招商引资", "拓宽招商渠道，提升招商实效。"),
        ]
        docs.append(
            report(
                f"县农业农村局{2021 + i}年工作总结",
                [("工作总结", "summary", summary), ("工作思路", "plan", plan)],
            )
        )
    return docs


def mined() -> PhraseBank:
    return mine(iter(corpus()), tokenizer())


def test_headings_verbs_are_counted_before_their_objects() -> None:
    pairs = {(c.verb, c.obj, c.kind): c for c in mined().collocations}
    assert ("加强", "党的建设", "object") in pairs
    assert pairs[("加强", "党的建设", "object")].docs == 3
    assert pairs[("加强", "党的建设", "object")].headings == 3
    assert ("推进", "振兴", "head") in pairs


def test_adverbs_and_half_verbs_are_never_heading_verbs() -> None:
    verbs = {c.verb for c in mined().collocations}
    assert "积极" not in verbs  # 积极 + 培育/发展: an adverb before a verb
    assert "全力以赴" not in verbs  # always followed by 抓好: half of a longer verb


def test_section_openings_are_kept_without_their_specifics() -> None:
    leads = {(lead.part, lead.text) for lead in mined().leads}
    assert ("summary", "坚持全面从严治党，压实管党治党责任。") in leads
    assert ("summary", "做强特色产业链条。") not in leads  # one clause left after 围绕{region}… is too little
    assert not any(any(ch.isdigit() for ch in text) for _, text in leads)


def test_generic_lead_drops_figures_quotes_and_names_and_marks_the_region() -> None:
    assert generic_lead("围绕“1+4”主导产业布局，加快高能级平台建设，促进高端资源要素集聚") == (
        "加快高能级平台建设，促进高端资源要素集聚。"
    )
    assert (
        generic_lead("推动全区科技企业提质增效，强化企业创新主体地位")
        == "推动{region}科技企业提质增效，强化企业创新主体地位。"
    )
    assert generic_lead("全年新增企业12家，同比增长5%") == ""


def test_collocations_and_leads_survive_the_json_round_trip() -> None:
    bank = mined()
    assert bank.collocations
    assert bank.leads
    assert bank_from_json(bank_to_json(bank)) == bank


def test_a_bank_stored_before_collocations_existed_still_reads() -> None:
    data = json.loads(bank_to_json(mined()))
    del data["collocations"], data["leads"]
    old = bank_from_json(json.dumps(data, ensure_ascii=False))
    assert old.phrases
    assert (old.collocations, old.leads) == ((), ())
