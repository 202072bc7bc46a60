"""The package layout: stage subpackages, the dependency rules, module size and lazy imports.

A new engineer reads the tree as the module map, so the rules are checked rather than hoped for.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "drafter"
STAGES = ("text", "ingest", "corpus", "phrases", "search", "draft", "web")
MAX_MODULE_LINES = 400


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_each_stage_is_a_subpackage_that_says_what_comes_in_and_what_goes_out() -> None:
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "In:" in doc, f"{stage}/__init__.py does not say what comes in"
        assert "Out:" in doc, f"{stage}/__init__.py does not say what goes out"


def test_no_module_is_longer_than_the_limit() -> None:
    long = {
        str(p.relative_to(REPO)): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_function_level_imports_are_only_the_named_lazy_ones_and_no_importlib() -> None:
    unnamed = []
    for path in modules():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                )
                assert not any(n.split(".")[0] == "importlib" for n in names), f"{path}: importlib"
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    line = lines[inner.lineno - 1]
                    if "# lazy" not in line:
                        unnamed.append(f"{path.relative_to(REPO)}:{inner.lineno}: {line.strip()}")
    assert unnamed == []


def test_no_utils_module() -> None:
    assert [p for p in modules() if p.stem in {"utils", "util", "helpers", "common"}] == []


def _lint_imports(root: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("lint-imports")
    only = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [str(exe), "--no-cache", "--config", str(REPO / "pyproject.toml"), *only],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_the_dependency_rules_hold() -> None:
    done = _lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "planted", "rule"),
    [
        ("corpus/store.py", "from drafter.ingest.run import ingest", "store"),
        ("draft/compose.py", "from drafter.search.searcher import Searcher", "stages"),
        ("text/chars.py", "import jieba", "ground"),
        ("web/api.py", "from drafter.search.index import SearchIndex", "faces"),
        ("rows.py", "import drafter.cli", "layers"),
        ("draft/figures.py", "import drafter.draft.compose", "acyclic"),
    ],
)
def test_a_planted_violation_breaks_a_rule(tmp_path: Path, module: str, planted: str, rule: str) -> None:
    copy = tmp_path / "drafter"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{planted}  # noqa\n", encoding="utf-8")
    kept = _lint_imports(PACKAGE.parent, rule)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    broken = _lint_imports(tmp_path, rule)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "1 broken" in broken.stdout


def test_the_internals_page_names_only_modules_that_exist() -> None:
    page = (REPO / "docs" / "internals.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(drafter/[\w/]+\.py)`", page)) | {
        m.replace(".", "/") + ".py" for m in re.findall(r"`(drafter(?:\.\w+)+)`", page)
    }
    assert named, "the page names no module"
    missing = sorted(
        n
        for n in named
        if not (REPO / n).is_file() and not (REPO / n.removesuffix(".py") / "__init__.py").is_file()
    )
    assert missing == []


def test_the_internals_page_lists_every_contract() -> None:
    page = (REPO / "docs" / "internals.md").read_text(encoding="utf-8")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    ids = [c["id"] for c in config["tool"]["importlinter"]["contracts"]]
    assert len(ids) >= 5
    assert [i for i in ids if f"| `{i}` |" not in page] == []
