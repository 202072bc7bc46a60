"""Builders for drafting tests: a small phrase bank, a recording fake search, the example forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drafter.draft.form import Form, load_form
from drafter.models import Collocation, Example, Hit, Lead, OpenerFamily, Phrase, PhraseBank, SearchFilters

REPO = Path(__file__).resolve().parent.parent
FORMS_DIR = REPO / "examples" / "forms"
EXAMPLE_FORMS = sorted(p for p in FORMS_DIR.iterdir() if p.suffix in {".yaml", ".yml", ".json"})
KEJI = FORMS_DIR / "keji_annual_2025.yaml"
WENLV = FORMS_DIR / "wenlv_half_2025.yaml"
PLAN = FORMS_DIR / "plan_2026.json"


KEJI_THEMES = (
    "科技企业培育",
    "研发投入提升",
    "科技人才引育",
    "创新平台建设",
    "科技成果转化",
    "科学普及",
    "创新服务优化",
)


def make_collocations() -> tuple[Collocation, ...]:
    """Verb evidence like the seeds': 聚焦 before every 科技 theme, 加强 more often before 科技企业培育."""
    return (
        *(Collocation("聚焦", theme, "object", 1, 1, 1, f"聚焦{theme}") for theme in KEJI_THEMES),
        Collocation("加强", "科技企业培育", "object", 2, 2, 2, "加强科技企业培育"),
        Collocation("加快", "建设", "head", 7, 4, 1, "加快基层科协组织建设"),
        Collocation("实施", "工程", "head", 5, 1, 5, "实施科技企业培育加速工程"),
        Collocation("开展", "教育", "head", 4, 3, 2, "开展党纪学习教育"),
    )


def make_leads() -> tuple[Lead, ...]:
    """Section openings like the seeds' (specifics removed)."""
    return (
        Lead(
            "summary", "聚焦企业主体培育，优化科技产业生态", "强化申报辅导，精准化解科技企业培育难题。", "d1"
        ),
        Lead(
            "summary",
            "聚焦高能级平台建设，全力打造创新引擎",
            "加快高能级平台建设，促进高端资源要素集聚。",
            "d1",
        ),
        Lead("plan", "实施科技企业培育加速工程", "加强指导和服务，发挥优质科技企业主力军作用。", "d1"),
    )


def make_bank() -> PhraseBank:
    """A bank like the seeds': 聚焦{X}，{Y} opens summary sections, 实施{X}工程 plan sections."""
    example = Example("新认定高新技术企业162家，同比增长29.6%。", "d1", "2022年工作总结与2023年工作思路")
    return PhraseBank(
        phrases=(
            Phrase(
                "figure_frame",
                "新认定高新技术企业{N}家",
                3,
                2,
                (example,),
                label="新认定高新技术企业",
                unit="家",
            ),
            Phrase("figure_frame", "实现{X}{N}亿元", 4, 3),
            Phrase("figure_frame", "同比增长{N}%", 9, 4, label="同比增长", unit="%"),
        ),
        families=(
            OpenerFamily("summary", "聚焦", "聚焦{X}，{Y}", 2, 2),
            OpenerFamily("summary", "狠抓", "狠抓{X}，{Y}", 1, 1),
            OpenerFamily("plan", "聚焦", "聚焦{X}，{Y}", 1, 1),
            OpenerFamily("plan", "实施…工程", "实施{X}工程", 1, 1),
        ),
        collocations=make_collocations(),
        leads=make_leads(),
    )


@dataclass
class FakeSearch:
    """A search function that answers every query with ``k`` made-up passages and records its calls."""

    calls: list[tuple[str, int, SearchFilters]] = field(default_factory=list)

    def __call__(self, query: str, k: int, filters: SearchFilters) -> list[Hit]:
        self.calls.append((query, k, filters))
        n = len(self.calls)
        return [
            Hit(
                passage_id=f"p{n}-{i}",
                doc_id=f"d{i}",
                title=f"往年报告{i}",
                source=f"seed{i}.txt",
                heading=f"往年标题{i}",
                text=f"关于{query.split(maxsplit=1)[0]}的往年段落{i}，新增企业12家。",
                score=1.0 / (i + 1),
                frame=f"关于{query.split(maxsplit=1)[0]}的往年段落{i}，新增企业【N】家。",
                part=filters.part or "other",
            )
            for i in range(k)
        ]


def example_form(path: Path) -> Form:
    """One of the shipped example forms."""
    return load_form(path)
