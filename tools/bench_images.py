"""Photo benchmark: what image work costs the build and the visitor.

    make bench-images

Prints: photos processed per second on a cold cache (camera-sized JPEGs made
here, all cores), the warm rebuild time of the sample site with unchanged
photos (and how many photos it processed: should be 0), and the bytes of images
a browser downloads for the home page and a product page at 360 px and 1280 px
(Chromium via Playwright, counting every image response). Figures only.
"""

from __future__ import annotations

import functools
import http.server
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.adapter.publish import build_site
from generator.media.image_types import ImageSettings
from generator.media.images import ImageProcessor


def camera_photos(folder: Path, count: int) -> list[Path]:
    """Photo-like JPEGs (4000x3000, noisy gradients: real encoder work)."""
    rng = random.Random(7)
    paths = []
    for i in range(count):
        im = Image.new("RGB", (4000, 3000), (rng.randrange(256), 120, 60))
        draw = ImageDraw.Draw(im)
        for _ in range(40):
            x, y = rng.randrange(4000), rng.randrange(3000)
            draw.ellipse((x, y, x + rng.randrange(200, 1200), y + rng.randrange(200, 900)),
                         fill=tuple(rng.randrange(256) for _ in range(3)))
        im = im.filter(ImageFilter.GaussianBlur(3))
        noise = Image.effect_noise((4000, 3000), 24).convert("RGB")
        im = Image.blend(im, noise, 0.15)
        path = folder / f"photo-{i}.jpg"
        im.save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def cold_throughput(count: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        photos = camera_photos(src, count)
        processor = ImageProcessor(Path(tmp) / "cache", ImageSettings())
        start = time.perf_counter()
        results = processor.process_many(photos)
        seconds = time.perf_counter() - start
        assert all(not isinstance(r, Exception) for r in results.values())
        return count / seconds, processor.stats.processed


def warm_rebuild(site: Path) -> tuple[float, str]:
    import logging

    records: list[str] = []

    class Grab(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("mkdocs.plugins.ocop")
    logger.setLevel(logging.INFO)
    handler = Grab()
    logger.addHandler(handler)
    try:
        build_site(ROOT / "mkdocs.yml", site)  # fills the cache if it is cold
        records.clear()
        start = time.perf_counter()
        build_site(ROOT / "mkdocs.yml", site)
        seconds = time.perf_counter() - start
    finally:
        logger.removeHandler(handler)
    photos = next((r for r in records if r.startswith("ocop photos:")), "?")
    return seconds, photos


def image_bytes(site: Path, paths: list[str]) -> dict[tuple[str, int], tuple[int, list[str]]]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None  # type: ignore
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out: dict[tuple[str, int], tuple[int, list[str]]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for path in paths:
                for width in (360, 1280):
                    context = browser.new_context(
                        viewport={"width": width, "height": 800},
                        device_scale_factor=2 if width == 360 else 1)
                    page = context.new_page()
                    sizes: list[int] = []
                    names: list[str] = []

                    def on_response(response, sizes=sizes, names=names):
                        if response.request.resource_type == "image":
                            sizes.append(len(response.body()))
                            names.append(response.url.rsplit("/", 1)[-1])

                    page.on("response", on_response)
                    page.goto(base + path, wait_until="networkidle")
                    out[(path, width)] = (sum(sizes), names)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
    return out


def main() -> int:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1795003200")
    count = int(os.environ.get("BENCH_PHOTOS", "24"))
    rate, processed = cold_throughput(count)
    print(f"cold cache: {processed} camera photos (4000x3000 JPEG) at {rate:.2f} photos/s "
          f"on {os.cpu_count()} core(s)")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        seconds, photos = warm_rebuild(site)
        print(f"warm rebuild of the sample site: {seconds:.2f} s ({photos})")
        product = "san-pham/banh-bo-thot-not-tinh-bien/"
        for (path, width), (total, names) in image_bytes(site, ["", product]).items():
            print(f"images on /{path} at {width} px: {total / 1024:.1f} KB in {len(names)} "
                  f"file(s): {', '.join(names) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
