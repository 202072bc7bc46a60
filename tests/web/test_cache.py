"""The Word-file cache: one export per distinct draft, bounded, and safe under concurrent requests."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from drafter.errors import DrafterError
from drafter.models import Draft, DraftNode
from drafter.web.cache import WordCache


def _draft(title: str, text: str = "新认定国家高新技术企业162家") -> Draft:
    return Draft(title=title, nodes=(DraftNode(1, "一、", "主要工作", (text,)),))


class CountingExport:
    """An export that records the drafts it was asked for (optionally slow)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.titles: list[str] = []
        self.delay = delay
        self._lock = threading.Lock()

    def __call__(self, draft: Draft) -> bytes:
        with self._lock:
            self.titles.append(draft.title)
        time.sleep(self.delay)
        return f"docx:{draft.title}:{draft.nodes[0].paragraphs[0]}".encode()


def test_an_equal_draft_is_exported_once() -> None:
    export = CountingExport()
    cache = WordCache(export)
    assert cache.get(_draft("甲")) == cache.get(_draft("甲"))
    assert export.titles == ["甲"]


def test_a_changed_draft_is_exported_again() -> None:
    export = CountingExport()
    cache = WordCache(export)
    first = cache.get(_draft("甲"))
    changed = cache.get(_draft("甲", "新认定国家高新技术企业163家"))
    assert first != changed
    assert b"163" in changed
    assert export.titles == ["甲", "甲"]


def test_concurrent_requests_for_one_draft_wait_for_one_export() -> None:
    export = CountingExport(delay=0.2)
    cache = WordCache(export)
    with ThreadPoolExecutor(8) as pool:
        files = list(pool.map(lambda _: cache.get(_draft("甲")), range(8)))
    assert len(set(files)) == 1
    assert export.titles == ["甲"]


def test_only_a_few_exports_run_at_once() -> None:
    running = 0
    most = 0
    lock = threading.Lock()

    def export(draft: Draft) -> bytes:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return draft.title.encode()

    cache = WordCache(export, max_exports=2)
    with ThreadPoolExecutor(8) as pool:
        files = list(pool.map(lambda i: cache.get(_draft(f"稿{i}")), range(8)))
    assert files == [f"稿{i}".encode() for i in range(8)]
    assert most == 2


@pytest.mark.parametrize(("max_entries", "max_bytes", "kept"), [(2, 10_000, 2), (10, 100, 2), (0, 10_000, 0)])
def test_the_cache_stays_within_its_bounds(max_entries: int, max_bytes: int, kept: int) -> None:
    cache = WordCache(CountingExport(), max_entries=max_entries, max_bytes=max_bytes)
    for title in ("甲", "乙", "丙"):
        cache.get(_draft(title))
    assert len(cache) == kept


def test_the_least_recently_used_draft_goes_first() -> None:
    export = CountingExport()
    cache = WordCache(export, max_entries=2)
    cache.get(_draft("甲"))
    cache.get(_draft("乙"))
    cache.get(_draft("甲"))  # 甲 used again: 乙 is now the oldest
    cache.get(_draft("丙"))
    cache.get(_draft("甲"))
    assert export.titles == ["甲", "乙", "丙"]


def test_a_failed_export_reaches_every_waiter_and_is_not_kept() -> None:
    calls: list[str] = []

    def failing(draft: Draft) -> bytes:
        calls.append(draft.title)
        time.sleep(0.1)
        raise DrafterError("参考样式文件无法打开")

    cache = WordCache(failing)
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(cache.get, _draft("甲")) for _ in range(4)]
    assert all(isinstance(f.exception(), DrafterError) for f in futures)
    with pytest.raises(DrafterError):
        cache.get(_draft("甲"))
    assert len(cache) == 0
    assert len(calls) == 2  # the concurrent four shared one attempt; a later request tries again
