"""References per section: on the theme, sure enough, the writer's scale first, each passage once, trimmed."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from drafter.draft.references import MAX_CHARS, SectionQuery, select_references, trim
from drafter.models import Hit, SearchFilters
from drafter.text.citations import citation_of
from tests.draft_builders import example_form

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "forms"


def hit(
    pid: str,
    text: str,
    *,
    score: float = 0.5,
    unit: str | None = None,
    level: str = "unknown",
    confidence: str = "strong",
) -> Hit:
    return Hit(
        passage_id=pid,
        doc_id=pid,
        title=f"报告{pid}",
        source=f"/srv/corpus/{pid}.txt",
        heading="",
        text=text,
        score=score,
        unit=unit,
        level=level,
        confidence=confidence,  # type: ignore[arg-type]
    )


def fixed(hits: list[Hit]):  # type: ignore[no-untyped-def]
    def search(query: str, k: int, filters: SearchFilters) -> list[Hit]:
        return hits[:k]

    return search


def test_own_unit_first_then_same_level_then_the_rest() -> None:
    hits = [
        hit("prov", "全省高新技术企业培育成效显著。", score=0.9, level="province"),
        hit("city", "全市高新技术企业培育持续推进。", score=0.8, level="city"),
        hit("county", "全区高新技术企业培育再上台阶。", score=0.6, level="county"),
        hit("own", "我局高新技术企业培育工作扎实。", score=0.3, unit="青溪区科学技术局", level="county"),
    ]
    [refs] = select_references(
        [SectionQuery("高新技术企业培育", "summary", "高新技术企业培育")],
        fixed(hits),
        unit="青溪区科学技术局",
    )
    assert [r.passage_id for r in refs] == ["own", "county", "city"]


def test_weak_and_off_theme_passages_are_left_out_and_none_is_used_twice() -> None:
    hits = [
        hit("weak", "粮食生产稳中有升。", confidence="weak"),
        hit("off", "建筑物抗震普查全面完成。"),
        hit("good", "粮食生产面积稳定在十万亩。"),
    ]
    sections = [SectionQuery("粮食生产", "summary", "粮食生产"), SectionQuery("粮食生产", "plan", "粮食生产")]
    first, second = select_references(sections, fixed(hits), unit="某县农业农村局")
    assert [r.passage_id for r in first] == ["good"]
    assert second == ()


def test_a_long_passage_is_trimmed_to_the_sentences_that_match() -> None:
    filler = "会议强调，要统一思想、提高认识、狠抓落实、确保各项工作任务按期完成。" * 8
    text = filler + "全年新增科技型中小企业120家，科技企业培育成效明显。" + filler
    kept, _frame = trim(text, text, ["科技型中小企业", "科技企业培育"])
    assert len(kept) <= MAX_CHARS
    assert "新增科技型中小企业120家" in kept


def test_the_reference_names_its_source_as_a_writer_does() -> None:
    [refs] = select_references(
        [SectionQuery("科技企业培育", "summary", "科技企业培育")],
        fixed(
            [
                Hit(
                    "p",
                    "d",
                    "区科技局2020年度工作总结",
                    "/srv/x.txt",
                    "",
                    "科技企业培育成效明显。",
                    0.5,
                    unit="区科技局",
                    year=2020,
                )
            ]
        ),
        unit="青溪区科学技术局",
    )
    named = citation_of(refs[0].title, refs[0].unit, refs[0].year)
    assert named == "《区科技局2020年度工作总结》"  # the title already says unit and year
    assert citation_of("某县工作总结", "某县农业农村局", 2024) == "《某县工作总结》，某县农业农村局，2024年"


@pytest.mark.slow
def test_a_subject_absent_from_the_corpus_is_weak_and_gets_no_references(
    seeded_corpus: Path, tmp_path: Path
) -> None:
    import shutil

    from drafter.app import Drafter
    from drafter.draft.form import parse_form

    corpus = tmp_path / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    drafter = Drafter(corpus)
    hits = drafter.search("粮食安全", 5)
    assert hits
    assert all(h.confidence == "weak" for h in hits)
    form = parse_form(
        {
            "unit": "青溪县农业农村局",
            "year": 2025,
            "figures": [
                {"label": "粮食播种面积", "value": 52.3, "unit": "万亩", "theme": "粮食生产"},
                {"label": "新增高新技术企业", "value": 12, "unit": "家", "theme": "科技企业培育"},
            ],
        },
        "表单",
    )
    draft = drafter.compose(form)
    sections = {n.heading: n for part in draft.nodes for n in part.children}
    grain = next(n for h, n in sections.items() if "粮食生产" in h)
    tech = next(n for h, n in sections.items() if "科技企业培育" in h)
    assert grain.references == ()
    assert tech.references  # the subject the corpus covers still gets its references


@pytest.mark.slow
@pytest.mark.parametrize("form_name", ["keji_annual_2025.yaml", "wenlv_half_2025.yaml", "plan_2026.json"])
def test_the_docx_holds_no_server_path_and_each_passage_once(
    seeded_corpus: Path, tmp_path: Path, form_name: str
) -> None:
    import shutil

    from drafter.app import Drafter

    corpus = tmp_path / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    drafter = Drafter(corpus)
    _name, data, draft = drafter.draft_docx(example_form(EXAMPLES / form_name))

    refs = [r for part in draft.nodes for node in (part, *part.children) for r in node.references]
    assert len({r.passage_id for r in refs}) == len(refs)
    assert all(len(r.text) <= MAX_CHARS for r in refs)

    forbidden = [str(corpus.parent), "/tmp", "site-packages", ".uploads", "examples/corpus", str(Path.home())]
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        for part in docx.namelist():
            xml = docx.read(part).decode("utf-8", errors="replace")
            for needle in forbidden:
                assert needle not in xml, (part, needle)
            assert not re.search(r"\.(?:txt|md|html|csv|jsonl)\b", xml), part
