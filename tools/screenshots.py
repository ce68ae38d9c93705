"""Screenshots of the sample site's main page kinds, as a phone and a laptop see them.

make screenshots builds the sample catalogue with a fixed date, serves it on
127.0.0.1 and saves what the first screen shows (no scrolling) at 360×740 and
1280×800 into docs/screenshots/ as JPEG, for the README. The machine has no
network, so the map's tiles are blocked: the map screenshot shows the markers
and the address list, not the streets.

Usage: python tools/screenshots.py [--out DIR] [--chromium PATH]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from bench_web import ROOT, QuietServer, build
from playwright.sync_api import Route, sync_playwright

#: file stem → path under the site root.
PAGES = {
    "home": "",
    "product": "san-pham/duong-thot-not-nguyen-chat-o-lam/",
    "listing": "nhom/thuc-pham/",
    "finder": "tim-kiem/",
    "producer": "chu-the/htx-thot-not-phuoc-hoa/",
    "map": "ban-do/",
}
#: width → viewport height: a common Android phone and a small laptop.
VIEWPORTS = {360: 740, 1280: 800}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="screenshots-"))
    try:
        site = work / "site"
        build(site)
        server = QuietServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"

        def local_only(route: Route) -> None:
            if route.request.url.startswith((base, "data:")):
                route.continue_()
            else:
                route.abort()

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium,
                                        args=["--no-sandbox", "--disable-gpu"])
            for width, height in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": height},
                                              locale="vi-VN")
                context.route("**/*", local_only)
                page = context.new_page()
                for stem, path in PAGES.items():
                    page.goto(base + path, wait_until="load")
                    page.wait_for_load_state("networkidle")
                    out = args.out / f"{stem}-{width}.jpg"
                    page.screenshot(path=str(out), type="jpeg", quality=70)
                    print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}"
                          f"  {out.stat().st_size // 1024} KB")
                context.close()
            browser.close()
        server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
