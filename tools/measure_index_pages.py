"""Print the largest page of each index family of built sites (bytes and gzip -9 bytes).

    python tools/measure_index_pages.py SITE [SITE …]

The families are the indexes that used to grow with the catalogue (issue #8): places,
points of sale, fairs and the map, with their province, year and "trang-N" pages, and
the map's marker files (vi-tri.json). Build a national-scale site first, e.g.

    ocop synth --products 20000 --producers 9000 --points-of-sale 700 --fairs 300 \\
        --seed 1 --out /tmp/nat && ocop -f /tmp/nat/mkdocs.yml build
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

FAMILIES = ("dia-phuong/index.html", "dia-phuong/tinh/", "diem-ban/index.html",
            "diem-ban/trang-", "diem-ban/tinh/", "hoi-cho/index.html", "hoi-cho/trang-",
            "hoi-cho/nam-", "ban-do/index.html", "ban-do/trang-", "ban-do/tinh/")


def _line(label: str, count: int, unit: str, biggest: Path, site: Path) -> str:
    data = biggest.read_bytes()
    return (f"  {label:22s} {count:4d} {unit}, largest {len(data):9,d} B "
            f"(gzip {len(gzip.compress(data, 9)):7,d})  {biggest.relative_to(site)}")


def report(site: Path) -> list[str]:
    lines = [f"== {site}"]
    pages = [(p.relative_to(site).as_posix(), p) for p in site.rglob("index.html")]
    for prefix in FAMILIES:
        files = [p for rel, p in pages if rel.startswith(prefix)]
        if files:
            biggest = max(files, key=lambda p: p.stat().st_size)
            lines.append(_line(prefix, len(files), "pages", biggest, site))
    data = sorted(site.glob("ban-do/**/vi-tri.json"), key=lambda p: p.stat().st_size)
    if data:
        lines.append(_line("vi-tri.json", len(data), "files", data[-1], site))
    return lines


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    for site in argv:
        print("\n".join(report(Path(site))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
