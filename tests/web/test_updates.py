"""An upload through the web: the report is found by the next search, the phrase bank counts it moments later,
and the other writers' requests are answered all along (never a 5xx, never a wait for a rebuild)."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from drafter.app import Drafter
from drafter.phrases.increment import tally_of
from drafter.search.index import SearchIndex
from drafter.search.searcher import Searcher
from drafter.web.api import WebSettings
from drafter.web.app import create_app
from tests.conftest import SEEDS
from tests.search.test_increment import sentences
from tests.web.test_api import page_client

FILES = sorted(SEEDS.glob("*.txt"))
pytestmark = pytest.mark.slow  # mines the sample corpus


@pytest.fixture
def served(corpus_path: Path) -> tuple[Drafter, TestClient]:
    """Four sample reports, mined and indexed, behind the web app; the fifth is the upload."""
    drafter = Drafter(corpus_path, seed=False)
    drafter.ingest(FILES[:-1], workers=1)
    drafter.mine()
    drafter.search("科技创新")
    return drafter, page_client(create_app(drafter, settings=WebSettings(warm_up=False)))


def test_an_upload_is_found_at_once_and_counted_in_the_bank(served: tuple[Drafter, TestClient]) -> None:
    drafter, client = served
    before = {(r["category"], r["pattern"]): r["count"] for r in client.get("/api/phrases").json()}
    known = {doc.id for doc in drafter.corpus_summaries()}
    files = [("files", (FILES[-1].name, io.BytesIO(FILES[-1].read_bytes())))]
    answer = client.post("/api/upload", files=files)
    assert answer.status_code == 200, answer.text
    (doc_id,) = [doc.id for doc in drafter.corpus_summaries() if doc.id not in known]
    for sentence in sentences(drafter.document(doc_id).text):
        hits = client.get("/api/search", params={"q": sentence, "k": 3}).json()
        assert hits[0]["doc_id"] == doc_id, sentence
    searcher = drafter.searcher()
    assert isinstance(searcher, Searcher)
    assert searcher.last_change == "added"  # only the new passages were weighed: no rebuild
    assert drafter.wait_for_updates(120)
    saved = SearchIndex.load(drafter.corpus.index_dir)  # saved behind the answer: the next start loads it
    assert saved is not None
    assert saved.fingerprint == searcher.index().fingerprint
    assert len(saved) == len(searcher.index())
    after = {(r["category"], r["pattern"]): r["count"] for r in client.get("/api/phrases").json()}
    assert after.keys() == before.keys()
    grew = [key for key in after if after[key] > before[key]]
    assert grew
    assert all(after[key] >= before[key] for key in after)
    tally = tally_of(drafter.corpus.load_phrases() or "")
    assert tally is not None
    assert doc_id in tally.counted


def test_other_requests_are_answered_while_an_upload_is_counted(served: tuple[Drafter, TestClient]) -> None:
    drafter, client = served
    statuses: list[tuple[str, int]] = []
    done = threading.Event()

    def uploading() -> None:
        try:
            files = [("files", (FILES[-1].name, io.BytesIO(FILES[-1].read_bytes())))]
            statuses.append(("upload", client.post("/api/upload", files=files).status_code))
            drafter.wait_for_updates(120)
        finally:
            done.set()

    thread = threading.Thread(target=uploading)
    thread.start()
    rounds = 0
    while not done.is_set() or rounds < 3:
        for path in (
            "/healthz",
            "/readyz",
            "/api/search?q=科技创新",
            "/api/phrases",
            "/api/figure-suggestions",
        ):
            statuses.append((path, client.get(path).status_code))
        rounds += 1
    thread.join()
    assert ("upload", 200) in statuses
    assert all(status == 200 for _, status in statuses), [s for s in statuses if s[1] != 200]
    assert rounds >= 3
