"""What one camera photo costs the photo pipeline, and what it gives a visitor.

    make bench-photos            # 24 photos of 1200x900 (what the outside check used)
    python tools/bench_photos.py --size 4000x3000 --count 8

For the settings before and after the change of issue 17 (WebP quality 78 at
method 6; quality 75 at method 1), on the same camera-like photos
(``generator.synth.photos``), in this one process (CPU time, no pool):

* CPU milliseconds per photo through the real pipeline (read, checks, decode,
  every WebP width and the JPEG fallback, cache write);
* bytes of each variant, and of the photos a product page loads at 360 px
  (device pixel ratio 2: the largest variant for the main photo) and at 1280 px
  (ratio 1: the 640 px variant), each with two 320 px thumbnails;
* SSIM of each variant against the original resized with Lanczos (scikit-image,
  installed by ``make bench-photos`` from requirements-bench.lock).

Figures only; nothing passes or fails.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from skimage.metrics import structural_similarity

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.media.image_types import ImageSettings
from generator.media.images import _process_file
from generator.synth.photos import camera_photo

SETTINGS = {
    # The old encoder settings on the new resizing (for the old pipeline as a whole, run
    # this tool on a worktree of the commit before; README gives both).
    "q78, method 6": ImageSettings(webp_quality=78, webp_method=6),
    "q75, method 1, no 128 px": ImageSettings(widths=(320, 640, 1280)),
    "q75, method 1 (default)": ImageSettings(),
}


def ssim(original: Image.Image, variant: bytes) -> float:
    decoded = Image.open(io.BytesIO(variant)).convert("L")
    reference = original.resize(decoded.size, Image.Resampling.LANCZOS).convert("L")
    return float(structural_similarity(np.asarray(reference, dtype=np.float64),
                                       np.asarray(decoded, dtype=np.float64), data_range=255))


def measure(photos: list[Path], settings: ImageSettings) -> dict[str, object]:
    times, by_width, scores = [], {}, {}
    page_360, page_1280 = [], []
    with tempfile.TemporaryDirectory() as cache:
        for path in photos:
            start = time.process_time()
            processed, _ = _process_file(path, Path(cache), settings)
            times.append(time.process_time() - start)
            original = Image.open(path).convert("RGB")
            sizes = {}
            for v in processed.variants:
                data = (Path(cache) / v.name).read_bytes()
                sizes[v.width] = len(data)
                key = "largest" if v is processed.variants[-1] else v.width
                by_width.setdefault(key, []).append(len(data))
                scores.setdefault(key, []).append(ssim(original, data))
            thumbs = 2 * sizes[min(sizes)]
            page_360.append(sizes[max(sizes)] + thumbs)
            page_1280.append(sizes.get(640, sizes[max(sizes)]) + thumbs)
    return {
        "ms": 1000 * statistics.median(times),
        "bytes": {k: round(statistics.mean(v)) for k, v in by_width.items()},
        "ssim": {k: round(statistics.mean(v), 4) for k, v in scores.items()},
        "page_360": round(statistics.mean(page_360)),
        "page_1280": round(statistics.mean(page_1280)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1200x900", help="photo size, WIDTHxHEIGHT")
    parser.add_argument("--count", type=int, default=24)
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        photos = []
        for i in range(args.count):
            path = Path(tmp) / f"photo-{i}.jpg"
            path.write_bytes(camera_photo(f"bench:{i}", (width, height)))
            photos.append(path)
        print(f"{args.count} camera-like photos of {width}x{height}, "
              f"{statistics.mean(p.stat().st_size for p in photos) / 1024:.0f} KB each")
        results = {name: measure(photos, s) for name, s in SETTINGS.items()}
    base = next(iter(results.values()))
    print(f"{'settings':26} {'CPU ms/photo':>12} {'×':>5} {'page 360':>9} {'page 1280':>9}  "
          "bytes per variant / SSIM")
    for name, r in results.items():
        variants = ", ".join(f"{k}: {r['bytes'][k]} B / {r['ssim'][k]}" for k in r["bytes"])
        print(f"{name:26} {r['ms']:12.1f} {base['ms'] / r['ms']:5.2f} {r['page_360']:9} "
              f"{r['page_1280']:9}  {variants}")


if __name__ == "__main__":
    main()
