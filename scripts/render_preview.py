"""Render a page of a .docx to PNG the way GBT9704.md describes: LibreOffice → PDF → pdftoppm.

    python scripts/render_preview.py draft.docx -o page.png [--page 1] [--dpi 60]
    python scripts/render_preview.py --sample -o docs/sample-draft.png   # draft the sample annual form first

The 公文 font names are mapped to Debian's free CJK faces by ``scripts/fonts.conf`` (FONTCONFIG_FILE), and
LibreOffice runs with a throw-away profile so it neither touches nor waits for a user's own instance.
Exit status 0 and the PNG path on stdout, or 1 and one line on stderr naming the missing tool or the failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
FONTS_CONF = SCRIPTS / "fonts.conf"
SAMPLE_FORM = REPO / "examples" / "forms" / "keji_annual_2025.yaml"


class RenderError(Exception):
    """A tool is missing or failed; the message says which."""


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise RenderError(f"{' / '.join(names)} not found: apt-get install libreoffice-writer poppler-utils")


def _env() -> dict[str, str]:
    return dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))


def convert_to_pdf(docx: Path, outdir: Path, *, timeout: float = 180.0) -> Path:
    """``docx`` converted to PDF in ``outdir`` by LibreOffice (private profile, preview fonts); the PDF path."""
    office = _tool("libreoffice", "soffice")
    profile = (outdir / "lo-profile").as_uri()
    result = subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx),
        ],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    pdf = outdir / (docx.stem + ".pdf")
    if result.returncode != 0 or not pdf.is_file():
        raise RenderError(
            f"LibreOffice could not convert {docx}: {result.stderr.strip() or result.stdout.strip()}"
        )
    return pdf


def render_page(docx: Path, png: Path, *, page: int = 1, dpi: int = 60, timeout: float = 180.0) -> Path:
    """Render page ``page`` of ``docx`` to ``png`` (PDF via LibreOffice, PNG via pdftoppm); returns ``png``."""
    pdftoppm = _tool("pdftoppm")
    with tempfile.TemporaryDirectory(prefix="drafter-render-") as tmp:
        work = Path(tmp)
        pdf = convert_to_pdf(docx, work, timeout=timeout)
        stem = work / "page"
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            env=_env(),
            capture_output=True,
            timeout=timeout,
            check=True,
        )
        png.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stem.with_suffix(".png"), png)
    return png


def _draft_sample(out: Path) -> Path:
    """Draft the sample annual form against a fresh corpus of the bundled sample reports (reproducible)."""
    from drafter.app import Drafter
    from drafter.draft.compose import compose
    from drafter.draft.docx import write_docx
    from drafter.draft.form import load_form
    from drafter.resources import sample_corpus_dir

    drafter = Drafter(out.parent / "sample-corpus.sqlite3", seed=False)
    drafter.ingest([sample_corpus_dir()])
    draft = compose(load_form(SAMPLE_FORM), drafter.phrase_bank(), drafter.search)
    write_docx(draft, out)
    drafter.close()
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: render one page, print the PNG path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", nargs="?", type=Path, help="the .docx to render")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PNG to write")
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--dpi", type=int, default=60)
    parser.add_argument("--sample", action="store_true", help=f"draft {SAMPLE_FORM.name} and render that")
    args = parser.parse_args(argv)
    if (args.docx is None) == (not args.sample):
        parser.error("give a .docx or --sample (one of them)")
    try:
        with tempfile.TemporaryDirectory(prefix="drafter-sample-") as tmp:
            docx = _draft_sample(Path(tmp) / "sample.docx") if args.sample else args.docx
            png = render_page(docx, args.output, page=args.page, dpi=args.dpi)
    except (RenderError, subprocess.SubprocessError) as exc:
        print(f"render failed: {exc}", file=sys.stderr)
        return 1
    print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
