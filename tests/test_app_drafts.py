"""Drafts kept per corpus state: the same document as composing anew, and never one of an older corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drafter.app import Drafter
from drafter.draft.form import Form, parse_form
from drafter.models import Draft, Hit, SearchFilters
from drafter.phrases.codec import bank_to_json
from drafter.resources import bundled_dir
from drafter.scopes import Owner, Scope
from tests.continuity.test_reading import ANNUAL
from tests.draft_builders import make_bank
from tests.test_app_exports import body_and_comments

pytestmark = pytest.mark.slow

FORM = Path(__file__).resolve().parent.parent / "examples" / "forms" / "keji_annual_2025.yaml"


@pytest.fixture
def corpus(seeded_corpus: Path, tmp_path: Path) -> Path:
    """The sample corpus with the shipped phrase bank (as a new install has it: no mining in the test)."""
    path = tmp_path / "corpus.sqlite3"
    shutil.copy(seeded_corpus, path)
    drafter = Drafter(path, seed=False)
    drafter.corpus.save_phrases((bundled_dir("phrasebank") / "mined.json").read_text(encoding="utf-8"))
    drafter.close()
    return path


def the_form(value: float | None = None) -> Form:
    from drafter.draft.form import load_form

    form = load_form(FORM)
    if value is None:
        return form
    data = form.model_dump(mode="json", exclude_none=True)
    data["figures"][0]["value"] = value
    return parse_form(data)


def composed_anew(corpus: Path, form: Form, scope: Scope | None = None) -> Draft:
    drafter = Drafter(corpus, seed=False, draft_cache=False)
    try:
        return drafter.compose(form) if scope is None else drafter.compose(form, scope=scope)
    finally:
        drafter.close()


def references(draft: Draft) -> list[str]:
    found: list[str] = []

    def walk(nodes: tuple[object, ...]) -> None:
        for node in nodes:
            found.extend(r.title for r in node.references)  # type: ignore[attr-defined]
            walk(node.children)  # type: ignore[attr-defined]

    walk(draft.nodes)
    return found


def test_a_kept_draft_is_the_document_composed_anew(corpus: Path) -> None:
    drafter = Drafter(corpus, seed=False)
    try:
        first = drafter.compose(the_form())
        assert references(first)  # a draft with references, so equal drafts mean equal searches
        again = drafter.compose(the_form())
        assert again is first  # kept: a preview then a download compose once
        assert again == composed_anew(corpus, the_form())
        assert body_and_comments(drafter.export(again)) == body_and_comments(
            drafter.export(composed_anew(corpus, the_form()))
        )
        # Another figure value: the sections it is not in reuse their reference searches; same document.
        other = drafter.compose(the_form(999))
        assert other != first
        assert other == composed_anew(corpus, the_form(999))
    finally:
        drafter.close()


def test_a_changed_corpus_or_bank_is_never_drafted_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    drafter = Drafter(corpus, seed=False)
    try:
        before = drafter.compose(the_form())
        own = tmp_path / "去年.txt"
        own.write_text(ANNUAL, encoding="utf-8")
        drafter.own_reports(own)  # last year's report of the form's unit: its headings and passages now lead
        assert drafter._memo is not None
        assert len(drafter._memo.steps) > 0  # steps of the old corpus are kept: none may reach the next draft
        after = drafter.compose(the_form())
        assert after != before
        assert after == composed_anew(corpus, the_form())
        drafter.corpus.save_phrases(bank_to_json(make_bank()))  # another phrase bank
        rebanked = drafter.compose(the_form())
        assert rebanked != after
        assert rebanked == composed_anew(corpus, the_form())
    finally:
        drafter.close()


def test_a_units_private_report_reaches_only_its_own_drafts(corpus: Path, tmp_path: Path) -> None:
    drafter = Drafter(corpus, seed=False)
    try:
        own = tmp_path / "去年.txt"
        own.write_text(ANNUAL, encoding="utf-8")
        (stored,) = drafter.own_reports(own, owner=Owner("青溪区科学技术局", "private"))
        mine, theirs = Scope("青溪区科学技术局"), Scope("白石县科学技术局")
        for scope in (mine, theirs, mine, theirs):
            draft = drafter.compose(the_form(), scope=scope)
            assert draft == composed_anew(corpus, the_form(), scope)
            assert (stored.title in references(draft)) == (scope == mine)
    finally:
        drafter.close()


def test_a_form_with_another_figure_asks_again_only_for_the_section_of_that_figure(corpus: Path) -> None:
    from benchmarks.bench_web import distinct_forms, sample_form, unshared_forms

    drafter = Drafter(corpus, seed=False)
    asked: list[str] = []
    search = drafter.search

    def counting(query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        asked.append(query)
        return search(query, k, filters)

    drafter.search = counting  # type: ignore[method-assign]
    try:
        form = sample_form()
        drafter.compose(parse_form(form))
        every = len(asked)
        assert every >= 10
        asked.clear()
        forms = distinct_forms(form)
        drafter.compose(parse_form(forms()))
        assert 0 < len(asked) <= 2  # the one section whose results sentence holds the changed figure
        memo = drafter._memo
        assert memo is not None
        kept = len(memo.steps)
        changed = forms()
        draft = drafter.compose(parse_form(changed))
        # Only that section was composed again (its result sentence, its references); the figure is in it.
        # (The first changed form took other passages for that section than the sample form: the sections
        # after it that share those passages were composed again then, with that form.)
        assert len(memo.steps) - kept == 2
        value = f"{changed['figures'][0]['value']}{changed['figures'][0].get('unit', '')}"
        assert sum(value in p for node in draft.nodes for s in node.children for p in s.paragraphs) == 1
        assert draft == composed_anew(corpus, parse_form(changed))
        asked.clear()
        drafter.compose(parse_form(unshared_forms(form)()))
        assert len(asked) == every  # the benchmark's uncached forms really are searched anew
    finally:
        drafter.close()


def test_the_cache_holds_no_replaced_index_in_memory() -> None:
    import gc
    import weakref

    from drafter.app_drafts import DraftMemo

    class Index:  # stands for a search index of hundreds of MB
        pass

    memo, old, bank = DraftMemo(), Index(), Index()
    first = memo.enter(("fingerprint", bank, old))
    assert memo.enter(("fingerprint", bank, old)) == first  # the same state: the same generation
    freed = weakref.ref(old)
    del old
    gc.collect()
    assert freed() is None  # replaced: freed at once, not kept until the next draft
    assert memo.enter(("fingerprint", bank, Index())) != first


def test_a_new_corpus_state_composes_every_step_anew() -> None:
    from drafter.app_drafts import DraftMemo
    from drafter.scopes import EVERYTHING

    memo, made = DraftMemo(), []

    def make() -> str:
        made.append("x")
        return f"answer {len(made)}"

    first = memo.enter(("fingerprint", "bank"))
    assert memo.kept_steps(first, EVERYTHING).value("step", make) == "answer 1"
    assert memo.kept_steps(first, EVERYTHING).value("step", make) == "answer 1"  # kept
    assert memo.kept_steps(first, Scope("某局")).value("step", make) == "answer 2"  # another viewer: its own
    second = memo.enter(("another fingerprint", "bank"))
    assert memo.kept_steps(second, EVERYTHING).value("step", make) == "answer 3"
    assert len(memo.steps) == 1  # the old state's steps are gone
