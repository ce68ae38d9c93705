"""Printable QR codes (SVG) for the short verification URL of each product.

A shopper scans the code on a label or a shelf and lands on the product page,
which shows the certificate status on the build date. Error correction level M
(15 %) survives a scuffed label; a module is 0.5 mm, so a typical code prints
about 2 cm wide, which phones read from a hand's distance.

Choosing the mask is most of the cost of a code (segno tries all eight: about
6 ms a code, two minutes at national scale). The mask chosen for each URL is
kept in a small cache between builds, so a rebuild makes the very same symbol
in a sixth of the time; the first build chooses masks on all cores.
"""

from __future__ import annotations

import concurrent.futures
import io
import json
import multiprocessing
import os
from collections.abc import Iterable
from pathlib import Path

import segno

#: Size of one module when printed.
MODULE_MM = 0.5
#: Quiet zone around the code, in modules (the QR standard's minimum is 4).
QUIET_ZONE = 4
ERROR_LEVEL = "m"
#: Below this many new URLs, starting worker processes costs more than it saves.
PARALLEL_FROM = 256


def qr_code(url: str, mask: int | None = None) -> segno.QRCode:
    """The QR code of ``url`` (never a Micro QR: phones' cameras do not all read them).

    ``mask`` None lets segno choose the best mask (the standard's penalty rules).
    """
    return segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False, mask=mask)


def best_mask(url: str) -> int:
    return int(qr_code(url).mask)


def qr_svg(url: str, title: str, description: str, mask: int | None = None) -> bytes:
    """A standalone SVG with a white background, printable at its real size (mm).

    ``title`` and ``description`` become the SVG's <title> and <desc>, which
    screen readers announce; segno escapes them.
    """
    out = io.BytesIO()
    qr_code(url, mask).save(out, kind="svg", scale=MODULE_MM, unit="mm", border=QUIET_ZONE,
                            dark="#000", light="#fff", title=title, desc=description,
                            xmldecl=True, svgclass="ocop-qr", lineclass=None)
    return out.getvalue()


class MaskCache:
    """The best mask of each URL, remembered between builds in one JSON file.

    The file names the segno version and error level: a different encoder could
    choose differently, so its masks are not reused.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.key = f"segno {segno.__version__}, error {ERROR_LEVEL}"
        self.masks: dict[str, int] = {}
        self.reused = 0
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("key") == self.key:
                    self.masks = {str(k): int(v) for k, v in data["masks"].items()}
            except (ValueError, KeyError, TypeError, AttributeError):
                self.masks = {}  # a damaged cache is only a slower build

    def resolve(self, urls: Iterable[str], jobs: int | None = None) -> dict[str, int]:
        """Masks of ``urls``; those not cached are chosen, in parallel when many."""
        urls = list(dict.fromkeys(urls))
        missing = [u for u in urls if u not in self.masks]
        self.reused = len(urls) - len(missing)
        jobs = jobs or _cpu_count()
        if len(missing) >= PARALLEL_FROM and jobs > 1:
            # spawn, not fork: MkDocs serve runs threads (see images.ImageProcessor).
            context = multiprocessing.get_context("spawn")
            with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
                chosen = list(pool.map(best_mask, missing, chunksize=128))
        else:
            chosen = [best_mask(u) for u in missing]
        self.masks.update(zip(missing, chosen, strict=True))
        # Only the URLs of this build are kept: the file does not grow forever.
        self.masks = {u: self.masks[u] for u in urls}
        return dict(self.masks)

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"key": self.key, "masks": dict(sorted(self.masks.items()))}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        tmp.replace(self.path)


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
