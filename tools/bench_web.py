"""Lighthouse (mobile) on the sample site: home, a product, the finder and the map.

make bench-web builds the sample catalogue with a fixed date, serves it on
127.0.0.1 with gzip (as any real host does), and runs Lighthouse (npm, pinned in
tools/lighthouse) driving Debian's Chromium three times per page, then prints the
median score of each category per page. It asserts nothing: scores on a shared
machine move by several points from run to run, which is why it takes medians.

The machine has no network: the map's OpenStreetMap tiles cannot load, and are
blocked (--blocked-url-patterns) so that Lighthouse does not wait for them.

Usage: python tools/bench_web.py [--runs N] [--chromium PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "tools" / "lighthouse"
CLI = LIGHTHOUSE / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "",
    "product": "san-pham/duong-thot-not-nguyen-chat-o-lam/",
    "finder": "tim-kiem/",
    "map": "ban-do/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FIXED_EPOCH = "1795003200"
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics", ".vcf")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzip-compressed when the browser accepts it."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the handler redirects to the folder
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return _Body(body)


class QuietServer(http.server.ThreadingHTTPServer):
    """A browser closing a connection early is not an error worth a traceback."""

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args: object) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def build(site: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    subprocess.run([sys.executable, "-m", "generator.cli", "-f", str(ROOT / "mkdocs.yml"),
                    "build", "--site-dir", str(site)], check=True, env=env, cwd=ROOT,
                   capture_output=True)


def lighthouse(url: str, chromium: str, out: Path) -> dict[str, float]:
    flags = " ".join(["--headless=new", "--no-sandbox", "--disable-gpu",
                      "--disable-background-networking", "--disable-component-update",
                      "--disable-sync", "--no-first-run", "--disable-quic"])
    env = {**os.environ, "CHROME_PATH": chromium}
    subprocess.run([str(CLI), url, "--quiet", "--output=json", f"--output-path={out}",
                    f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}",
                    "--blocked-url-patterns=*tile.openstreetmap.org*"],
                   check=True, env=env, capture_output=True)
    report = json.loads(out.read_text(encoding="utf-8"))
    return {c: report["categories"][c]["score"] * 100 for c in CATEGORIES}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    if not CLI.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(LIGHTHOUSE)],
                       check=True, capture_output=True)
    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        site = work / "site"
        build(site)
        handler = functools.partial(GzipHandler, directory=str(site))
        server = QuietServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip()
        version = json.loads((LIGHTHOUSE / "package.json").read_text())["dependencies"]
        print(f"Lighthouse {version['lighthouse']}, mobile, {args.runs} runs a page, median; "
              f"sample site of commit {commit}, {dt.date.today():%d/%m/%Y}; "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"| page | {' | '.join(CATEGORIES)} | spread (performance) |")
        print("|---|" + "---:|" * (len(CATEGORIES) + 1))
        for name, path in PAGES.items():
            runs = [lighthouse(base + path, args.chromium, work / f"{name}-{i}.json")
                    for i in range(args.runs)]
            medians = [statistics.median(r[c] for r in runs) for c in CATEGORIES]
            perf = sorted(r["performance"] for r in runs)
            print(f"| {name} | " + " | ".join(f"{m:.0f}" for m in medians)
                  + f" | {perf[0]:.0f}–{perf[-1]:.0f} |", flush=True)
        server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
