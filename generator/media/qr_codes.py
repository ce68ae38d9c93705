"""Printable QR codes (SVG) for the short verification URL of each product.

A shopper scans the code on a label or a shelf and lands on the product page,
which shows the certificate status on the build date. Error correction level M
(15 %) survives a scuffed label; a module is 0.5 mm, so a typical code prints
about 2 cm wide, which phones read from a hand's distance.

segno is pure Python: a code costs a few milliseconds, minutes at national
scale (20,000 products). Codes are therefore kept in a content-addressed cache
between builds (the key covers everything that shapes the file), and the codes
missing from it are made on all cores.

The cache folder sits in a checkout anyone's pull request can add files to, and an
SVG is a document that runs its scripts when opened: a cached code published as it
is must be one this machine made. So each file is signed (HMAC-SHA256 over its key
and its SVG, under the key ``record_cache`` keeps outside the repository); a file
that does not verify is made again, and without a key nothing is cached. Files are
named by the signing key too, so that the cache another key filled (a CI run without
a fixed key restores the last run's) counts as missing and is made on all cores,
not verified and remade one by one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import io
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import segno

from ..source.record_cache import read_cache_file
from ..workers import map_in_pool, worker_count
from .image_cache import write_atomic

#: Size of one module when printed.
MODULE_MM = 0.5
#: Quiet zone around the code, in modules (the QR standard's minimum is 4).
QUIET_ZONE = 4
ERROR_LEVEL = "m"
#: Below this many new codes, starting worker processes costs more than it saves.
PARALLEL_FROM = 256
#: A temporary file older than this is a killed worker's (a code takes milliseconds).
LEFTOVER_S = 3600
#: Changes whenever the SVG this module writes changes for the same input.
FORMAT = f"segno {segno.__version__}; error {ERROR_LEVEL}; {MODULE_MM} mm; border {QUIET_ZONE}"


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` (never a Micro QR: phones' cameras do not all read them)."""
    return segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False)


@dataclass(frozen=True)
class QrRequest:
    """One code to make: the URL it encodes and the SVG's <title> and <desc>."""

    url: str
    title: str
    description: str

    @property
    def key(self) -> str:
        text = "\n".join((FORMAT, self.url, self.title, self.description))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def qr_svg(url: str, title: str, description: str) -> bytes:
    """A standalone SVG with a white background, printable at its real size (mm).

    ``title`` and ``description`` become the SVG's <title> and <desc>, which
    screen readers announce; segno escapes them.
    """
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", scale=MODULE_MM, unit="mm", border=QUIET_ZONE,
                      dark="#000", light="#fff", title=title, desc=description,
                      xmldecl=True, svgclass="ocop-qr", lineclass=None)
    return out.getvalue()


#: A cache file's name ends so (``<key>.svg`` before files were signed: removed).
SUFFIX = ".qr"
#: Bytes of the signature a cache file begins with.
MAC_SIZE = 32
#: Tells this cache's signatures from those of the other caches signed with the key.
_TAG = b"ocop qr\0"


def _mac(secret: bytes, key: str, svg: bytes) -> bytes:
    # The key is signed too: a signed code copied to another product's name fails.
    return hmac.digest(secret, _TAG + key.encode("ascii") + b"\0" + svg, "sha256")


def file_name(secret: bytes, request: QrRequest) -> str:
    """The cache file of ``request``'s code under the signing key ``secret``."""
    name = hmac.digest(secret, _TAG + b"name\0" + request.key.encode("ascii"), "sha256")
    return name[:16].hex() + SUFFIX


def _made(folder: Path, secret: bytes, request: QrRequest) -> bytes:
    """Make one code, store it signed in the cache folder; its SVG. Where it cannot be
    stored (a folder of that name), it is made, not cached."""
    svg = qr_svg(request.url, request.title, request.description)
    # A new file of a name no one can guess, renamed into place: never a write
    # through a link a pull request placed in the folder.
    with contextlib.suppress(OSError):
        write_atomic(folder / file_name(secret, request), _mac(secret, request.key, svg) + svg)
    return svg


def _make_into(folder: Path, secret: bytes, request: QrRequest) -> None:
    """Worker: ``_made``, the SVG left in the file (not sent back through a pipe)."""
    _made(folder, secret, request)


def _signed(folder: Path, secret: bytes, request: QrRequest) -> bytes | None:
    """The cached code's SVG if its file is a regular one (not reached through a
    link) that this machine signed for this code; else None."""
    try:
        data = read_cache_file(folder / file_name(secret, request))
    except OSError:
        return None
    if data is None:
        return None
    svg = data[MAC_SIZE:]
    return svg if hmac.compare_digest(data[:MAC_SIZE], _mac(secret, request.key, svg)) else None


class QrCodes:
    """Makes QR codes, through the cache folder when there is one."""

    def __init__(self, cache_dir: Path | None, jobs: int | None = None,
                 secret: bytes | None = None) -> None:
        #: The cache's folder; None (no cache folder or no signing key): codes are made
        #: each time they are asked for.
        self.folder = cache_dir / "qr" if cache_dir is not None and secret else None
        self.secret = secret or b""
        self.jobs = jobs or worker_count()
        #: Codes taken from the cache and made, in the last ``prepare``.
        self.reused = 0
        self.made = 0

    def prepare(self, requests: Iterable[QrRequest],
                needed: Iterable[QrRequest] | None = None) -> None:
        """Make every code of ``needed`` (default: all ``requests``) missing from the
        cache; drop cached codes not among ``requests`` (a code the site has but
        needs not make now, one a kept site holds, stays in the cache)."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.folder.is_symlink():
            # Cleaning it would remove files wherever it leads.
            self.folder = None
            return
        def named(of: Iterable[QrRequest]) -> dict[str, QrRequest]:
            return {file_name(self.secret, r): r for r in of}

        wanted = named(requests)
        present = {p.name for p in self.folder.glob(f"*{SUFFIX}")}
        to_make = wanted if needed is None else named(needed)
        # Present files are verified as they are read (``svg``): one that does not
        # verify (damaged; its name is this key's) is made then, in this process.
        missing = [r for name, r in to_make.items() if name not in present]
        self.reused, self.made = len(to_make) - len(missing), len(missing)
        if len(missing) >= PARALLEL_FROM and self.jobs > 1:
            # spawn, not fork: MkDocs serve runs threads (see images.ImageProcessor).
            map_in_pool(functools.partial(_make_into, self.folder, self.secret), missing,
                        self.jobs, "making QR codes", method="spawn", chunksize=64)
        else:
            for request in missing:
                _made(self.folder, self.secret, request)
        # The cache holds this catalogue's codes only: it does not grow forever.
        gone = [self.folder / name for name in present - set(wanted)]
        # Codes kept before files were signed, and leftovers of a worker that was
        # killed (not another build's, still being written).
        gone += self.folder.glob("*.svg")
        cutoff = time.time() - LEFTOVER_S
        for leftover in self.folder.glob("*.tmp"):
            with contextlib.suppress(OSError):
                if leftover.lstat().st_mtime < cutoff:
                    gone.append(leftover)
        for path in gone:
            with contextlib.suppress(OSError):  # a folder of such a name stays
                path.unlink()

    def svg(self, request: QrRequest) -> bytes:
        """The code's SVG: the cached file's if this machine signed it, else made now
        (and cached)."""
        if self.folder is None:
            return qr_svg(request.url, request.title, request.description)
        svg = _signed(self.folder, self.secret, request)
        return svg if svg is not None else _made(self.folder, self.secret, request)
