"""Whatever the form's schema accepts drafts: a property test over its limits, through the web app.

The strategy is built from the schema's own bounds (text lengths, list lengths, |value| < 10^15), with the
edges pinned as explicit examples: 100 problems and plans (numbered past 九十九), 200 figures, the largest and
smallest numbers, a 200-character unit (the download name must stay within 255 bytes).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from drafter.draft.form import MAX_ABS_VALUE, MAX_FIGURES, MAX_ITEMS, MAX_NAME, MAX_TEXT, MAX_UNIT
from drafter.web.api import WebSettings
from drafter.web.app import create_app

TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40) | st.text(
    "科技企业培育创新人才，。", min_size=MAX_TEXT - 2, max_size=MAX_TEXT
)
NAME = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30) | st.just("局" * MAX_NAME)
NUMBER = st.none() | st.floats(
    min_value=-MAX_ABS_VALUE, max_value=MAX_ABS_VALUE, exclude_min=True, exclude_max=True, allow_nan=False
)
FIGURE = st.fixed_dictionaries(
    {"label": NAME, "value": NUMBER},
    optional={
        "unit": st.sampled_from(["", "%", "家", "亿元", "个" * MAX_UNIT]),
        "previous": NUMBER,
        "theme": NAME,
    },
)
PLAN = st.fixed_dictionaries(
    {"theme": NAME},
    optional={
        "targets": st.lists(st.fixed_dictionaries({"label": NAME, "value": NUMBER}), max_size=3),
        "actions": st.lists(TEXT, max_size=3),
    },
)
FORM = st.fixed_dictionaries(
    {"unit": NAME, "year": st.integers(2000, 2100)},
    optional={
        "period": st.sampled_from(["annual", "half", "plan"]),
        "figures": st.lists(FIGURE, max_size=6),
        "highlights": st.lists(st.fixed_dictionaries({"text": TEXT}, optional={"theme": NAME}), max_size=3),
        "problems": st.lists(TEXT, max_size=4),
        "plans": st.lists(PLAN, max_size=3),
    },
)
EDGE = 1e15 - 1


@pytest.fixture(scope="module")
def client(seeded_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from drafter.app import Drafter

    corpus = tmp_path_factory.mktemp("limits") / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    drafter = Drafter(corpus, seed=False)
    yield TestClient(create_app(drafter, settings=WebSettings(warm_up=False, word_cache_entries=0)))
    drafter.close()


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(form=FORM)
@example(form={"unit": "青溪区科学技术局", "year": 2025, "problems": [f"问题{i}" for i in range(MAX_ITEMS)]})
@example(
    form={
        "unit": "青溪区科学技术局",
        "year": 2025,
        "period": "plan",
        "plans": [{"theme": f"主题{i}", "actions": [f"措施{i}"]} for i in range(MAX_ITEMS)],
    }
)
@example(
    form={
        "unit": "局" * MAX_NAME,
        "year": 2100,
        "figures": [
            {"label": "甲", "value": EDGE, "previous": -EDGE},
            {"label": "乙", "value": -EDGE, "previous": 5e-324},
            {"label": "丙", "value": 5e-324, "previous": EDGE, "unit": "%"},
            *({"label": f"指标{i}", "value": i, "previous": i + 1} for i in range(MAX_FIGURES - 3)),
        ],
    }
)
def test_every_form_the_schema_accepts_drafts(client: TestClient, form: dict[str, Any]) -> None:
    response = client.post("/api/draft", json=form)
    assert response.status_code < 500, response.text
    if response.status_code == 200:
        assert response.content.startswith(b"PK")
        name = unquote(response.headers["content-disposition"].split("UTF-8''", 1)[1])
        assert len(name.encode("utf-8")) <= 255
    else:
        assert response.status_code in {413, 422}
        assert all(problem["msg"] for problem in response.json()["detail"])


@pytest.mark.parametrize("value", [1e15, -1e15, 1e26, 1e308, -1e308])
def test_a_number_beyond_what_a_report_holds_is_refused_in_chinese(client: TestClient, value: float) -> None:
    form = {
        "unit": "青溪区科学技术局",
        "year": 2025,
        "figures": [{"label": "营业收入", "value": 1, "previous": value}],
    }
    response = client.post("/api/draft", json=form)
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["path"] == "figures[0].previous"
    assert "10^15" in problem["msg"]
