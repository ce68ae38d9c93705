"""Search benchmark: bytes a phone transfers to search the catalogue, at two scales.

For each scale it writes a synthetic catalogue (``ocop synth``), builds the site
(timing the search index writer inside the real build), serves it from 127.0.0.1
with gzip compression and drives Debian's Chromium (Playwright) like a shopper on
a 360 px phone:

* header search: open a product page, type a query in the header box, wait for the
  result list and its thumbnails;
* header search as typed: the same query typed letter by letter, a key every 200 ms
  (the box searches 120 ms after the last key, so every prefix is searched);
* finder: open the finder page, type a query, then tick "4 sao" (a filter change).

Transfer is counted by the server: the compressed body plus headers of every
response the browser asked for, grouped by step. Columns: "page" is the page
itself (HTML, CSS, JavaScript: Material's and ours), "index" the search data,
"photos" the result thumbnails; "answer" = index + photos is what the targets
apply to (DESIGN.md §4: first query ≤ 100 KB at province scale, ≤ 300 KB at
national scale), "total" adds the page for steps that load one.

Catalogues are of the realistic shape (``ocop synth --realistic``: 80–200-word
descriptions, 1–3 camera-like photos a product) unless ``--shape old``.

Usage: python tools/bench_search.py [--scale province|national|all] [--workdir DIR]
                                    [--shape realistic|old] [--project DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Index data a typed three-word query may fetch (issue 17), gzip.
TYPED_TARGET_KB = 40
#: Milliseconds between two keys of the typed query (a quick thumb on a phone).
KEY_DELAY_MS = 200
#: 2026-11-18 12:00 UTC, as the tests use.
EPOCH = "1795003200"
CHROMIUM = os.environ.get("OCOP_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
GZIP_LEVEL = 6


@dataclass(frozen=True)
class Scale:
    name: str
    products: int
    producers: int
    points_of_sale: int
    fairs: int
    target_kb: int
    query: str


SCALES = {
    # The repository's own An Giang sample: 42 products with real (drawn) photos.
    "sample": Scale("sample", 0, 0, 0, 0, 100, "mam chau doc"),
    # The new An Giang (2025): about 580 products in 102 communes.
    "province": Scale("province", 600, 280, 20, 10, 100, "mam ca linh"),
    # Vietnam: about 18,000 products from 9,000 producers (DESIGN.md §4).
    "national": Scale("national", 20_000, 9_000, 700, 300, 300, "mam ca linh"),
}


# --- a compressing, counting static server -------------------------------------------

@dataclass
class Ledger:
    """Responses sent, in order: (path, bytes on the wire)."""

    entries: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.entries.append((path, size))

    def mark(self) -> int:
        with self.lock:
            return len(self.entries)

    def since(self, mark: int) -> list[tuple[str, int]]:
        with self.lock:
            return list(self.entries[mark:])


class _Handler(http.server.SimpleHTTPRequestHandler):
    ledger: Ledger
    cache: dict[str, bytes]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                self.send_response(301)
                self.send_header("Location", self.path.split("?")[0] + "/")
                self.end_headers()
                return
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            self.send_error(404)
            return
        body = Path(path).read_bytes()
        encoding = None
        if path.endswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            if path not in self.cache:
                self.cache[path] = gzip.compress(body, GZIP_LEVEL, mtime=0)
            body, encoding = self.cache[path], "gzip"
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        self.wfile.write(body)
        self.ledger.add(self.path.split("?")[0], len(body) + self.header_bytes)

    def flush_headers(self) -> None:
        # Status line and headers, as sent (HTTP/1.0 without keep-alive: no reuse).
        self.header_bytes = sum(len(h) for h in getattr(self, "_headers_buffer", []))
        super().flush_headers()


def serve(site: Path, ledger: Ledger) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(
        type("Handler", (_Handler,), {"ledger": ledger, "cache": {}}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# --- building ---------------------------------------------------------------------------

@dataclass
class BuildFigures:
    seconds: float
    index_seconds: float
    index_files: int
    index_bytes: int


def build(scale: Scale, work: Path, realistic: bool,
          existing: Path | None) -> tuple[Path, BuildFigures]:
    from generator import write as outputs
    from generator.adapter.publish import build_site
    from generator.synth.catalogue import SynthOptions, synthesize
    from generator.write import search_files as search_output

    project = existing or work / scale.name
    if existing:
        print(f"[{scale.name}] the catalogue in {existing}", flush=True)
        config = existing / "mkdocs.yml"
    elif scale.products:
        if project.exists():
            shutil.rmtree(project)
        shape: dict[str, object] = (
            {"realistic": True, "words": (80, 200), "photos": (1, 3), "photo_size": (480, 360)}
            if realistic else {})
        summary = synthesize(project, SynthOptions(
            products=scale.products, producers=scale.producers,
            points_of_sale=scale.points_of_sale, fairs=scale.fairs, seed=1,
            today=_epoch_date(), **shape))  # type: ignore[arg-type]
        print(f"[{scale.name}] synthetic catalogue: {summary.products} products, "
              f"{summary.producers} producers, {summary.communes} communes, "
              f"{summary.provinces} provinces", flush=True)
        config = project / "mkdocs.yml"
    else:
        print(f"[{scale.name}] the repository's sample catalogue", flush=True)
        config = ROOT / "mkdocs.yml"
    timing = {"seconds": 0.0, "files": 0}

    def timed(context: object) -> list[str]:
        start = time.perf_counter()
        written = search_output.write(context)  # type: ignore[arg-type]
        timing["seconds"] += time.perf_counter() - start
        timing["files"] = len(written)
        return written

    index = outputs.WRITERS.index(search_output.write)
    outputs.WRITERS[index] = timed
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        start = time.perf_counter()
        site = build_site(config, project / "site")
        seconds = time.perf_counter() - start
    finally:
        outputs.WRITERS[index] = search_output.write
    index_dir = site / "assets" / "ocop-search"
    size = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
    return site, BuildFigures(seconds, timing["seconds"], int(timing["files"]), size)


def _epoch_date() -> dt.date:
    from generator.link.clock import VIETNAM

    return dt.datetime.fromtimestamp(int(EPOCH), VIETNAM).date()


# --- browsing ---------------------------------------------------------------------------

def _split(entries: list[tuple[str, int]]) -> tuple[int, int, int]:
    """(page shell, index data, images) bytes."""
    data = sum(n for p, n in entries if "/assets/ocop-search/" in p)
    images = sum(n for p, n in entries if p.endswith((".webp", ".jpg", ".jpeg", ".png")))
    return sum(n for _, n in entries) - data - images, data, images


@dataclass
class Step:
    name: str
    shell: int
    data: int
    images: int
    requests: int

    @property
    def answer(self) -> int:
        return self.data + self.images


def browse(base: str, ledger: Ledger, scale: Scale, product_url: str) -> list[Step]:
    from playwright.sync_api import sync_playwright

    steps: list[Step] = []

    def record(name: str, mark: int) -> None:
        entries = ledger.since(mark)
        shell, data, images = _split(entries)
        steps.append(Step(name, shell, data, images, len(entries)))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update"])
        phone = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2,
                 "is_mobile": True, "has_touch": True, "locale": "vi-VN"}

        # Header search on a product page.
        context = browser.new_context(**phone)
        page = context.new_page()
        mark = ledger.mark()
        page.goto(base + product_url, wait_until="networkidle")
        record("product page (shell)", mark)
        mark = ledger.mark()
        page.click(".ocop-search__open")
        page.fill("#ocop-search-q", scale.query)
        page.wait_for_function(
            "() => { const t = document.querySelector('.ocop-search__status').textContent;"
            " return t && !t.startsWith('Đang'); }")
        count = page.locator(".ocop-result").count()
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        record(f"header: first query '{scale.query}' ({count} shown)", mark)
        context.close()

        # The same query typed letter by letter, on a fresh page.
        context = browser.new_context(**phone)
        page = context.new_page()
        page.goto(base + product_url, wait_until="networkidle")
        mark = ledger.mark()
        page.click(".ocop-search__open")
        page.locator("#ocop-search-q").press_sequentially(scale.query, delay=KEY_DELAY_MS)
        page.wait_for_function(
            "q => { const t = document.querySelector('.ocop-search__status').textContent;"
            " return document.querySelector('#ocop-search-q').value === q && t &&"
            " !t.startsWith('Đang'); }", arg=scale.query)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        count = page.locator(".ocop-result").count()
        record(f"header: '{scale.query}' typed, {KEY_DELAY_MS} ms a key", mark)
        context.close()

        # The finder: open, type a query, tick a filter.
        context = browser.new_context(**phone)
        page = context.new_page()
        mark = ledger.mark()
        page.goto(base + "tim-kiem/", wait_until="networkidle")
        page.wait_for_selector("[data-ocop-finder][data-state=ready]")
        record("finder: open (no query)", mark)
        mark = ledger.mark()
        page.fill("#ocop-finder-q", scale.query)
        page.wait_for_function(
            "q => new URL(location.href).searchParams.get('q') === q", arg=scale.query)
        page.wait_for_selector("[data-ocop-finder]:not([aria-busy])")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        found = page.locator("[data-result-count]").inner_text().split(" sản phẩm")[0]
        record(f"finder: first query '{scale.query}' ({found} found)", mark)
        mark = ledger.mark()
        page.click("summary")
        page.check("input[name=sao][value='4']")
        page.wait_for_function("() => new URL(location.href).searchParams.get('sao') === '4'")
        page.wait_for_selector("[data-ocop-finder]:not([aria-busy])")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        found = page.locator("[data-result-count]").inner_text().split(" sản phẩm")[0]
        record(f"finder: filter change (4 sao; {found} found)", mark)
        context.close()

        # Landing on a shared finder link: everything, cold.
        context = browser.new_context(**phone)
        page = context.new_page()
        mark = ledger.mark()
        page.goto(base + "tim-kiem/?q=gao&sao=4&sx=gia-tang", wait_until="networkidle")
        page.wait_for_selector("[data-ocop-finder][data-state=ready]")
        page.wait_for_load_state("networkidle")
        record("finder: shared link, cold (q=gao, 4 sao, by price)", mark)
        context.close()
        browser.close()
    return steps


def _kb(n: int) -> str:
    return f"{n / 1024:7.1f}"


def run(scale: Scale, work: Path, realistic: bool = True, existing: Path | None = None) -> bool:
    site, figures = build(scale, work, realistic, existing)
    share = figures.index_seconds / figures.seconds if figures.seconds else 0
    print(f"[{scale.name}] build {figures.seconds:.1f} s, of which search index "
          f"{figures.index_seconds:.2f} s ({share:.1%}); index: {figures.index_files} files, "
          f"{figures.index_bytes / 1024:.0f} KB uncompressed", flush=True)
    product_url = next(p for p in sorted((site / "san-pham").iterdir())
                       if p.is_dir() and not p.name.startswith("trang-")).name
    ledger = Ledger()
    server, base = serve(site, ledger)
    try:
        steps = browse(base, ledger, scale, f"san-pham/{product_url}/")
    finally:
        server.shutdown()
        server.server_close()
    print(f"[{scale.name}] bytes transferred (gzip -{GZIP_LEVEL}, KB; 360 px phone):")
    print(f"  {'step':58} {'page':>7} {'index':>7} {'photos':>7} {'answer':>7} {'total':>7} "
          f"{'req':>4}")
    ok = True
    for step in steps:
        judged = step.name.startswith(("header: first", "finder: first", "finder: filter"))
        verdict = ""
        if judged:
            within = step.answer <= scale.target_kb * 1024
            ok = ok and within
            verdict = f"  {'OK' if within else 'OVER'} (target ≤ {scale.target_kb} KB)"
        elif "typed" in step.name:
            # Issue 17: the index data of a typed three-word query ≤ 40 KB gzip.
            within = step.data <= TYPED_TARGET_KB * 1024
            ok = ok and within
            verdict = (f"  index {'OK' if within else 'OVER'} (target ≤ {TYPED_TARGET_KB} KB; "
                       f"{step.images and step.images // 1024} KB of thumbnails besides)")
        print(f"  {step.name:58} {_kb(step.shell)} {_kb(step.data)} {_kb(step.images)} "
              f"{_kb(step.answer)} {_kb(step.shell + step.answer)} {step.requests:4}{verdict}",
              flush=True)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=[*SCALES, "all"], default="all",
                        help="all = province and national (sample: the repository's own)")
    parser.add_argument("--workdir", help="where to write the catalogues (default: a temp dir)")
    parser.add_argument("--shape", choices=("realistic", "old"), default="realistic",
                        help="realistic: 80-200-word descriptions, 1-3 camera-like photos of "
                             "480x360 a product; old: two-line descriptions, one drawing")
    parser.add_argument("--project", type=Path,
                        help="build this catalogue (e.g. one ocop synth wrote) instead of "
                             "synthesizing one; needs a single --scale")
    args = parser.parse_args(argv)
    if args.project and args.scale == "all":
        parser.error("--project needs --scale province, national or sample")
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}", file=sys.stderr)
        return 2
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="ocop-bench-"))
    scales = ([SCALES["province"], SCALES["national"]] if args.scale == "all"
              else [SCALES[args.scale]])
    ok = True
    for scale in scales:
        ok = run(scale, work, args.shape == "realistic", args.project) and ok
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    print("search transfer targets:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
