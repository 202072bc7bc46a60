"""No process outlives ``kill -9`` of the command that started it: ingest workers, index-counting children.

Each command runs in a session of its own, so everything it started shares its process group; after the
kill the group must empty within seconds (the kernel's parent-death signal, or the watcher, ends them).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PHRASES = (
    "聚焦科技企业培育",
    "新认定国家高新技术企业",
    "同比增长",
    "深入实施创新驱动发展战略",
    "加快建设科技创新平台",
    "引进高层次人才团队",
    "推动产学研深度融合",
    "优化营商环境",
    "完善科技金融服务体系",
    "强化知识产权保护",
    "农业科技示范基地",
    "数字经济核心产业",
    "研发投入强度",
    "成果转化",
    "孵化器和众创空间",
)


def synthetic_reports(folder: Path, files: int, chars_per_file: int, seed: int = 7) -> None:
    """``files`` reports of about ``chars_per_file`` characters each, with varied sentences."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        lines = [f"某区科学技术局{2000 + n % 25}年工作总结（第{n}号）", "一、主要工作"]
        size = 0
        section = 0
        while size < chars_per_file:
            if size // 3000 > section:
                section += 1
                lines.append(f"（{'一二三四五六七八九'[section % 9]}）{rng.choice(PHRASES)}")
            sentence = "，".join(rng.sample(PHRASES, 4)) + f"，完成{rng.randint(1, 9999)}项。"
            lines.append(sentence)
            size += len(sentence)
        (folder / f"报告{n:03d}.txt").write_text("\n".join(lines), encoding="utf-8")


def group_members(pgid: int) -> list[int]:
    """Live processes in the process group ``pgid`` (zombies are dead: they hold no memory)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in {"Z", "X"}:
            members.append(int(entry.name))
    return members


def kill_when_it_has_children(args: list[str], children: int, timeout: float = 120) -> list[int]:
    """Start ``drafter ARGS``, ``kill -9`` it once it has ``children`` helpers, return the group left after."""
    process = subprocess.Popen(
        [sys.executable, "-m", "drafter", *args],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    try:
        while len(group_members(process.pid)) < children + 1:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"drafter {' '.join(args)} never had {children} helper processes")
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 15
        while group_members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        return group_members(process.pid)
    finally:
        for pid in group_members(process.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_an_ingest_leaves_no_worker_behind(tmp_path: Path) -> None:
    synthetic_reports(tmp_path / "材料", files=40, chars_per_file=40_000)
    args = [
        "ingest",
        str(tmp_path / "材料"),
        "--workers",
        "2",
        "--quiet",
        "--corpus",
        str(tmp_path / "c.sqlite3"),
    ]
    assert kill_when_it_has_children(args, children=2) == []


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_a_search_that_builds_the_index_leaves_no_counting_child(tmp_path: Path) -> None:
    from drafter.app import Drafter

    synthetic_reports(tmp_path / "材料", files=20, chars_per_file=100_000)
    corpus = tmp_path / "c.sqlite3"
    drafter = Drafter(corpus, seed=False)
    assert not drafter.ingest([tmp_path / "材料"], workers=1).failures
    drafter.close()
    assert kill_when_it_has_children(["search", "科技企业", "--corpus", str(corpus)], children=1) == []
