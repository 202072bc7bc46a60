"""The draft opens in an office suite: LibreOffice converts it, page 1 renders with the title and `— 1 —`."""

from __future__ import annotations

import importlib.util
import shutil
import struct
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from drafter.draft.compose import compose
from drafter.draft.docx import write_docx
from tests.draft_builders import KEJI, REPO, FakeSearch, example_form, make_bank

pytestmark = pytest.mark.slow


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_preview", REPO / "scripts" / "render_preview.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render") / "keji.docx"
    write_docx(compose(example_form(KEJI), make_bank(), FakeSearch()), out)
    return out


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_libreoffice_renders_the_first_page(sample_docx: Path, tmp_path: Path) -> None:
    script = load_script()
    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/test.sh"
    pdf = script.convert_to_pdf(sample_docx, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 3
    assert "pts (A4)" in info
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    compact = "".join(first.split())
    assert "青溪区科学技术局" in compact
    assert "2025年工作总结及2026年工作思路" in compact
    assert "一、2025年主要工作" in compact
    assert "—1—" in compact
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts
    assert "NotoSansCJK" in fonts
    assert "UKai" in fonts.replace("AR PL ", "")

    png = script.render_page(sample_docx, tmp_path / "page1.png", dpi=60)
    width, height = png_size(png)
    assert abs(height / width - 297 / 210) < 0.01
    assert png.stat().st_size > 20_000  # a page of text, not a blank sheet
