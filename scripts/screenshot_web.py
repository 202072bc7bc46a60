"""Take the README picture of the web form: docs/web-form.png.

Serves the app on 127.0.0.1 (a temporary corpus holding the sample reports), opens it in Debian's
chromium, imports the sample annual form, waits for the preview and saves a screenshot.

    python scripts/screenshot_web.py [--out docs/web-form.png] [--width 1440] [--height 1100]
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORM = REPO / "examples" / "forms" / "keji_annual_2025.yaml"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(argv: list[str] | None = None) -> int:
    """Serve, import the sample form, screenshot; 0 on success."""
    import uvicorn
    from playwright.sync_api import sync_playwright

    from drafter.app import Drafter
    from drafter.web.app import create_app

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "web-form.png")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1100)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="drafter-shot-") as tmp:
        drafter = Drafter(Path(tmp) / "corpus.sqlite3", seed=False)
        report = drafter.ingest([REPO / "examples" / "corpus"], workers=1)
        if report.failures:
            print(f"sample corpus failed to ingest: {report.failures}", file=sys.stderr)
            return 1
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(drafter), log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 120
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                print("the web server did not start", file=sys.stderr)
                return 1
            time.sleep(0.05)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": args.width, "height": args.height}, locale="zh-CN")
                page.goto(f"http://127.0.0.1:{port}/")
                page.get_by_label("导入表单").set_input_files(str(FORM))
                page.locator("#preview-body .pv-figures").wait_for(timeout=60_000)
                page.evaluate("window.scrollTo(0, 0)")
                args.out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(args.out))
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            sock.close()
            drafter.close()
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
