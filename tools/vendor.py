"""Vendor the browser libraries the site serves, from the npm registry, verified.

The built site must need no CDN, and builds and CI no network, so the few
distribution files each page needs are committed under theme/assets/vendor/:

* leaflet — the map page (only the map tiles come from OpenStreetMap);
* decap-cms — the web editor at /quan-tri/ (#14), its code-split chunks and
  WebAssembly included (they load from beside decap-cms.js);
* js-yaml — reads record files in the web editor (our own format writes them).

This script is how they were obtained and how to update them:

    python tools/vendor.py                 # fetch, verify, unpack every package
    python tools/vendor.py leaflet         # one package
    python tools/vendor.py --check         # verify the committed files only

``npm pack`` downloads the published tarball; its SHA-512 must equal the
registry's integrity value pinned below (``npm view <name>@<version>
dist.integrity``), and every file we keep is listed with its own SHA-256 in the
package's ``MANIFEST`` so a stray edit of a vendored file is caught.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "theme" / "assets" / "vendor"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    #: ``dist.integrity`` as published.
    integrity: str
    #: Tarball path (or pattern) → path under the vendor folder ("" keeps the base name).
    files: dict[str, str]

    @property
    def dest(self) -> Path:
        return VENDOR / self.name

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


PACKAGES = {p.name: p for p in (
    Package("leaflet", "1.9.4",
            "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQ"
            "ixURb+FA74PA==",
            {"package/LICENSE": "LICENSE",
             "package/dist/leaflet.js": "leaflet.js",
             "package/dist/leaflet.css": "leaflet.css",
             "package/dist/images/layers.png": "images/layers.png",
             "package/dist/images/layers-2x.png": "images/layers-2x.png",
             "package/dist/images/marker-icon.png": "images/marker-icon.png",
             "package/dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
             "package/dist/images/marker-shadow.png": "images/marker-shadow.png"}),
    Package("decap-cms", "3.16.3",
            "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0o"
            "IpwUYhUJDYtYw==",
            {"package/dist/decap-cms.js": "",
             "package/dist/*.decap-cms.js": "",
             "package/dist/*.wasm": "",
             "package/dist/decap-cms.js.LICENSE.txt": ""}),
    Package("js-yaml", "4.3.2",
            "sha512-SFNOvSJ+Dgf/9An904Yx+CgSlIPCkIpao4qo51lpee25TIRejdH3rhR4EZMGoNx3/TP3O+wzW"
            "uiTFl4sqbltzA==",
            {"package/LICENSE": "LICENSE",
             "package/dist/js-yaml.min.js": "js-yaml.min.js"}),
)}


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _header(package: Package) -> str:
    return f"{package.spec} {package.integrity}"


def fetch(package: Package) -> None:
    """npm pack the package, verify it, unpack the kept files and write MANIFEST."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", package.spec, "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        (tarball,) = Path(tmp).glob("*.tgz")
        data = tarball.read_bytes()
        if _sri(data) != package.integrity:
            raise SystemExit(f"integrity mismatch for {package.spec}: got {_sri(data)}")
        kept: dict[str, bytes] = {}
        with tarfile.open(tarball) as tar:
            members = tar.getnames()
            for pattern, target in package.files.items():
                matched = [m for m in members if fnmatch.fnmatchcase(m, pattern)]
                if not matched:
                    raise SystemExit(f"{pattern} missing from {package.spec}")
                for member in matched:
                    extracted = tar.extractfile(member)
                    assert extracted is not None
                    kept[target or member.rpartition("/")[2]] = extracted.read()
    # A new version's files only: chunks an older version had must not linger.
    if package.dest.exists():
        shutil.rmtree(package.dest)
    lines = [_header(package)]
    for target, content in sorted(kept.items()):
        out = package.dest / target
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
        lines.append(f"{hashlib.sha256(content).hexdigest()}  {target}")
    (package.dest / "MANIFEST").write_text("\n".join(lines) + "\n", encoding="utf-8")


def check(package: Package) -> list[str]:
    """Problems with the committed files (empty when they match MANIFEST)."""
    manifest = package.dest / "MANIFEST"
    if not manifest.exists():
        return [f"{manifest} is missing; run tools/vendor.py {package.name}"]
    lines = manifest.read_text(encoding="utf-8").splitlines()
    problems = []
    if lines[0] != _header(package):
        problems.append(f"{package.name}/MANIFEST is for {lines[0].split()[0]}, "
                        f"not {package.spec}")
    listed = dict(reversed(line.split("  ", 1)) for line in lines[1:])
    for pattern, target in package.files.items():
        if target and target not in listed:
            problems.append(f"{package.name}/{target} is not in MANIFEST")
        elif not target and not fnmatch.filter(listed, pattern.rpartition("/")[2]):
            problems.append(f"no {pattern.rpartition('/')[2]} in {package.name}/MANIFEST")
    on_disk = {p.relative_to(package.dest).as_posix() for p in package.dest.rglob("*")
               if p.is_file() and p.name != "MANIFEST"}
    problems += [f"{package.name}/{name} is not in MANIFEST (not from {package.spec})"
                 for name in sorted(on_disk - set(listed))]
    for name, digest in listed.items():
        path = package.dest / name
        if not path.exists():
            problems.append(f"{package.name}/{name} is missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"{package.name}/{name} differs from {package.spec}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", metavar="PACKAGE",
                        help=f"packages to fetch or check: {', '.join(PACKAGES)} (default: all)")
    parser.add_argument("--check", action="store_true", help="only verify the committed files")
    args = parser.parse_args(argv)
    unknown = [name for name in args.packages if name not in PACKAGES]
    if unknown:
        parser.error(f"unknown package {unknown[0]!r}; known: {', '.join(PACKAGES)}")
    chosen = [PACKAGES[name] for name in args.packages] or list(PACKAGES.values())
    problems = []
    for package in chosen:
        if not args.check:
            fetch(package)
        problems += check(package)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
