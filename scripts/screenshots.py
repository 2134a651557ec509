"""Screenshots of app pages in headless Chromium, to look at what a user sees.

    python scripts/screenshots.py [--out screenshots] [--width 1400] [PATH ...]

PATH is a URL path such as `/` or `/survey?t=...`; the app runs on a fresh database with the demo.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from tests.server import CHROMIUM, CHROMIUM_ARGS, running_app, wait_for_app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=["/"])
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp) / "shots.duckdb") as url, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        for path in args.paths:
            page.goto(url + path)
            wait_for_app(page)
            page.wait_for_timeout(1500)
            name = path.strip("/").replace("/", "_").replace("?", "_") or "overview"
            target = out / f"{name}-{args.width}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
