"""Fuzz the JSON API from its own OpenAPI document: whatever schemathesis sends, the app never answers 5xx.

Runs the real ``Drafter`` on a copy of the sample corpus, so drafting, preview, search and upload are
exercised with generated forms, queries and files, valid (positive) and invalid (negative). Bounded,
derandomized examples keep the run to a minute or two.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from drafter.app import Drafter
from drafter.web.api import WebSettings
from drafter.web.app import create_app

pytestmark = pytest.mark.slow

# Server errors, undocumented statuses or content types, and answers that break their documented schema.
# (The acceptance checks are left out on purpose: the form accepts numbers written as text, "1,234", which
# the schema declares as numbers, and refuses blank names, which the schema cannot express.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
OPERATIONS = [
    ("POST", "/api/draft"),
    ("POST", "/api/preview"),
    ("POST", "/api/form/parse"),
    ("GET", "/api/search"),
    ("GET", "/api/phrases"),
    ("GET", "/api/figure-suggestions"),
    ("POST", "/api/upload"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    # Administration reads answer on a single PC; its changes, like sign-in and sign-out, are refused (403)
    # without the page's token: never a 5xx, whatever is sent.
    ("GET", "/api/admin/pending"),
    ("POST", "/api/admin/pending/{batch_id}/accept"),
    ("POST", "/api/admin/pending/{batch_id}/reject"),
    ("DELETE", "/api/admin/documents/{doc_id}"),
    ("GET", "/api/admin/log"),
    ("GET", "/api/admin/units"),
    ("POST", "/api/admin/units"),
    ("GET", "/api/admin/users"),
    ("POST", "/api/admin/users"),
    ("POST", "/api/admin/users/{name}/disable"),
    ("POST", "/api/admin/users/{name}/enable"),
    ("POST", "/api/admin/users/{name}/password"),
    ("GET", "/api/prefill/sources"),
    ("GET", "/api/prefill/{doc_id}"),
    ("POST", "/api/prefill"),
    ("GET", "/api/corpus"),
    ("GET", "/api/corpus/{doc_id}"),
    ("GET", "/api/corpus/export"),
    ("PUT", "/api/corpus/{doc_id}/visibility"),
    ("POST", "/api/login"),
    ("POST", "/api/logout"),
    ("GET", "/api/me"),
]
EXAMPLES = {"/api/draft": 30, "/api/preview": 40, "/api/upload": 20, "/api/prefill": 20}
# Operations without a body or query have nothing to make invalid: only valid requests are sent to them.
# (Nor has a free-text path parameter, such as a batch or document id.)
NO_INPUT = {
    ("GET", "/api/figure-suggestions"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/api/admin/pending"),
    ("POST", "/api/admin/pending/{batch_id}/accept"),
    ("POST", "/api/admin/pending/{batch_id}/reject"),
    ("DELETE", "/api/admin/documents/{doc_id}"),
    ("GET", "/api/admin/units"),
    ("GET", "/api/admin/users"),
    ("POST", "/api/admin/users/{name}/disable"),
    ("POST", "/api/admin/users/{name}/enable"),
    ("GET", "/api/corpus"),
    ("GET", "/api/corpus/{doc_id}"),
    ("POST", "/api/logout"),
    ("GET", "/api/me"),
}
CASES = [
    (method, path, mode)
    for method, path in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if not (mode is GenerationMode.NEGATIVE and (method, path) in NO_INPUT)
]


@pytest.fixture(scope="module")
def api_schema(seeded_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    corpus = tmp_path_factory.mktemp("fuzz") / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    drafter = Drafter(corpus, seed=False)
    yield schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(drafter, settings=WebSettings(warm_up=False))
    )
    drafter.close()


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    documented = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert documented == set(OPERATIONS)


@pytest.mark.parametrize(
    ("method", "path", "mode"),
    CASES,
    ids=[f"{m} {p}-{'valid' if mode is GenerationMode.POSITIVE else 'invalid'}" for m, p, mode in CASES],
)
def test_no_input_makes_a_server_error(api_schema: Any, method: str, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path][method]
    if (method, path) in NO_INPUT:
        assert not operation.body, f"{method} {path} now takes a body: fuzz it invalid too"
        assert not operation.query, f"{method} {path} now takes a query: fuzz it invalid too"

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES.get(path, 50),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    fuzz()
