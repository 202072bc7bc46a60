"""Ranking keeps the more specific of nested patterns (the bank lists 现将{X}如下, not also 现将{X})."""

from __future__ import annotations

import random

from drafter.phrases.bank import rank
from drafter.phrases.patterns import Candidate


def candidate(pattern: str, count: int, docs: int = 3) -> Candidate:
    return Candidate("clause_frame", pattern, count, docs, score=float(docs * count), examples=())


def brute_force_kept(patterns: dict[str, int]) -> set[str]:
    """The rule written plainly: a pattern goes when a longer one with the same middle, a first fixed part
    that extends its first and a last that extends its last, covers 80% of its count."""

    def segments(p: str) -> list[str]:
        return p.replace("，{Y}", "").replace("{X}", "|").replace("{Y}", "|").replace("{N}", "|").split("|")

    kept = set()
    for short, n in patterns.items():
        s = segments(short)
        redundant = False
        for long_, m in patterns.items():
            lg = segments(long_)
            if long_ == short or len(lg) != len(s) or lg == s:
                continue
            if lg[0].startswith(s[0]) and lg[-1].endswith(s[-1]) and lg[1:-1] == s[1:-1] and m >= 0.8 * n:
                redundant = True
        if not redundant:
            kept.add(short)
    return kept


def test_a_more_specific_pattern_of_almost_the_same_count_replaces_the_general_one() -> None:
    phrases = rank([candidate("现将{X}", 10), candidate("现将{X}如下", 9), candidate("以{X}为抓手", 5)])
    assert {p.pattern for p in phrases} == {"现将{X}如下", "以{X}为抓手"}


def test_a_general_pattern_used_far_more_often_stays() -> None:
    phrases = rank([candidate("加强{X}", 40), candidate("加强{X}建设", 6)])
    assert {p.pattern for p in phrases} == {"加强{X}", "加强{X}建设"}


def test_ranking_keeps_what_the_rule_keeps_on_random_families() -> None:
    rng = random.Random(7)
    heads = ["", "聚", "聚焦", "加强", "以", "以全"]
    tails = ["", "为", "为抓手", "工程", "程", "如下"]
    for _ in range(30):
        patterns = {
            f"{rng.choice(heads)}{{X}}{rng.choice(tails)}": rng.randint(1, 20)
            for _ in range(rng.randint(2, 12))
        }
        patterns = {p: n for p, n in patterns.items() if p != "{X}"}
        if not patterns:
            continue
        kept = {p.pattern for p in rank([candidate(p, n) for p, n in patterns.items()])}
        assert kept == brute_force_kept(patterns), patterns
