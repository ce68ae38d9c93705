"""Vendor Leaflet into theme/assets/vendor/leaflet/ from the npm registry.

The map page needs Leaflet's script and stylesheet in the built site (no CDN at
view time: only the map tiles come from OpenStreetMap). We commit the few
distribution files so builds and CI need no network; this script is how they
were obtained and how to update them:

    python tools/vendor_leaflet.py            # fetch, verify, unpack
    python tools/vendor_leaflet.py --check    # verify the committed files only

``npm pack`` downloads the published tarball; its SHA-512 must equal the
registry's integrity value pinned below, and every file we keep is listed with
its own SHA-256 in ``MANIFEST`` so a stray edit of a vendored file is caught.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "1.9.4"
#: ``dist.integrity`` of leaflet@1.9.4 as published (npm view leaflet@1.9.4 dist.integrity).
INTEGRITY = ("sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQ"
             "ixURb+FA74PA==")
#: Files kept, tarball path → path under the vendor folder.
FILES = {
    "package/LICENSE": "LICENSE",
    "package/dist/leaflet.js": "leaflet.js",
    "package/dist/leaflet.css": "leaflet.css",
    "package/dist/images/layers.png": "images/layers.png",
    "package/dist/images/layers-2x.png": "images/layers-2x.png",
    "package/dist/images/marker-icon.png": "images/marker-icon.png",
    "package/dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
    "package/dist/images/marker-shadow.png": "images/marker-shadow.png",
}
ROOT = Path(__file__).resolve().parent.parent
DEST = ROOT / "theme" / "assets" / "vendor" / "leaflet"
MANIFEST = DEST / "MANIFEST"


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch(dest: Path = DEST) -> None:
    """npm pack leaflet@VERSION, verify it, unpack the kept files and write MANIFEST."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"leaflet@{VERSION}", "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        tarball = Path(tmp) / f"leaflet-{VERSION}.tgz"
        data = tarball.read_bytes()
        if _sri(data) != INTEGRITY:
            raise SystemExit(f"integrity mismatch for leaflet@{VERSION}: got {_sri(data)}")
        lines = [f"leaflet@{VERSION} {INTEGRITY}"]
        with tarfile.open(tarball) as tar:
            for member, target in FILES.items():
                extracted = tar.extractfile(member)
                if extracted is None:
                    raise SystemExit(f"{member} missing from the tarball")
                content = extracted.read()
                out = dest / target
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(content)
                lines.append(f"{hashlib.sha256(content).hexdigest()}  {target}")
    (dest / "MANIFEST").write_text("\n".join(lines) + "\n", encoding="utf-8")


def check(dest: Path = DEST) -> list[str]:
    """Problems with the committed files (empty when they match MANIFEST)."""
    manifest = dest / "MANIFEST"
    if not manifest.exists():
        return [f"{manifest} is missing; run tools/vendor_leaflet.py"]
    lines = manifest.read_text(encoding="utf-8").splitlines()
    problems = []
    if lines[0] != f"leaflet@{VERSION} {INTEGRITY}":
        problems.append(f"MANIFEST is for {lines[0].split()[0]}, not leaflet@{VERSION}")
    listed = {}
    for line in lines[1:]:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    for name in FILES.values():
        path = dest / name
        if name not in listed:
            problems.append(f"{name} is not in MANIFEST")
        elif not path.exists():
            problems.append(f"{name} is missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != listed[name]:
            problems.append(f"{name} differs from leaflet@{VERSION}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the committed files")
    args = parser.parse_args(argv)
    if not args.check:
        fetch()
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
