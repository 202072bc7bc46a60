"""Composing steps kept between forms: a form differing in one figure recomposes that figure's section only,
and every draft is the one composed anew."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from drafter.draft.compose import compose
from drafter.draft.form import Form, parse_form
from drafter.draft.references import SectionQuery, select_references
from drafter.models import Draft, DraftNode, Hit, SearchFilters
from tests.draft.test_references import fixed, hit
from tests.draft_builders import KEJI, example_form, make_bank

V = TypeVar("V")


class Store:
    """Steps kept in a dict, recording the keys of the steps computed."""

    def __init__(self) -> None:
        self.kept: dict[Hashable, object] = {}
        self.made: list[Hashable] = []

    def value(self, key: Hashable, make: Callable[[], V]) -> V:
        if key not in self.kept:
            self.made.append(key)
            self.kept[key] = make()
        return self.kept[key]  # type: ignore[return-value]


def search(query: str, k: int, filters: SearchFilters) -> list[Hit]:
    """Passages that depend on the query alone (as the app's searches, kept per corpus state)."""
    theme = query.split(maxsplit=1)[0]
    tag = hashlib.sha1(query.encode()).hexdigest()[:6]
    return [
        Hit(
            passage_id=f"{tag}-{i}",
            doc_id=f"d{i}",
            title=f"往年报告{tag}{i}",
            source=f"seed{i}.txt",
            heading="",
            text=f"关于{theme}的往年段落{tag}{i}，新增企业12家。",
            score=1.0 / (i + 1),
            part=filters.part or "other",
        )
        for i in range(k)
    ]


def with_value(form: Form, label: str, value: float) -> Form:
    data: dict[str, Any] = form.model_dump(mode="json", exclude_none=True)
    for figure in data["figures"]:
        if figure["label"] == label:
            figure["value"] = value
    return parse_form(data)


def sections(draft: Draft) -> list[DraftNode]:
    return [*draft.nodes[0].children, *draft.nodes[2].children]


def test_a_form_with_another_figure_recomposes_that_figures_section_and_reuses_the_others() -> None:
    bank, store = make_bank(), Store()
    form = example_form(KEJI)
    first = compose(form, bank, search, steps=store)
    assert repr(first) == repr(compose(form, bank, search))  # the same draft as composed without steps
    assert len(store.made) >= 20

    store.made.clear()
    other = with_value(form, "技术合同成交额", 31.7)
    second = compose(other, bank, search, steps=store)
    assert repr(second) == repr(compose(other, bank, search))
    changed = [s for s in sections(second) if any("31.7亿元" in p for p in s.paragraphs)]
    assert len(changed) == 1  # the new figure is in its section, worded
    assert not any("23.5亿元" in p for s in sections(second) for p in s.paragraphs)
    # Only that section's result sentence and references were made again; every other section is the same.
    assert sorted(key[1][0] for key in store.made) == ["references", "results"]  # type: ignore[index]
    assert [s for s in sections(first) if s.heading != changed[0].heading] == [
        s for s in sections(second) if s.heading != changed[0].heading
    ]


def test_a_passage_an_earlier_section_took_is_never_given_again_from_kept_steps() -> None:
    hits = [hit("good", "粮食生产面积稳定在十万亩。"), hit("more", "粮食生产机械化水平提升。")]
    store = Store()
    later = SectionQuery("粮食生产", "plan", "粮食生产 明年")
    taking, off_theme = (
        SectionQuery("粮食生产", "summary", "粮食生产"),
        SectionQuery("抗震", "summary", "抗震"),
    )
    _, kept = select_references([taking, later], fixed(hits), unit="某县农业农村局", k=1, steps=store)
    assert [r.passage_id for r in kept] == ["more"]  # "good" went to the first section
    # The first section now takes nothing: the later one's kept answer (without "good") must not be served.
    _, free = select_references([off_theme, later], fixed(hits), unit="某县农业农村局", k=1, steps=store)
    assert [r.passage_id for r in free] == ["good"]
    _, again = select_references([taking, later], fixed(hits), unit="某县农业农村局", k=1, steps=store)
    assert again == kept
