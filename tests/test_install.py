"""An installed copy (a built wheel, not the checkout) finds its templates, phrase bank and sample corpus."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_carries_data_and_drafts_from_another_directory(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("drafter-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("templates", "phrasebank", "examples/corpus", "examples/forms"):
        assert any(n.startswith(f"drafter/_bundled/{folder}/") for n in names), folder

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("DRAFTER_CORPUS", None)
    where = subprocess.run(
        [sys.executable, "-c", "import drafter; print(drafter.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(target))
    form = target / "drafter" / "_bundled" / "examples" / "forms"
    annual = next(p for p in sorted(form.iterdir()) if "annual" in p.name)
    result = subprocess.run(
        [sys.executable, "-m", "drafter", "draft", str(annual), "-o", "x.docx"],
        check=False,
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "x.docx").stat().st_size > 5000
    # the first use filled the per-user corpus from the bundled sample corpus
    listed = subprocess.run(
        [sys.executable, "-m", "drafter", "corpus", "list", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert listed.stdout.count('"id"') >= 20
