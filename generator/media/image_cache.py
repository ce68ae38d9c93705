"""The processed-photo cache: content-addressed variant files and their manifests.

A hit needs the manifest plus every variant file intact: at its recorded size,
and either untouched since it was written (same modification time) or, when
touched, with its recorded SHA-256. The site's photos are hard links to these
files, so an edit of a photo in ``site/`` in place edits the cached file too:
that edit is caught here and the photo processed again, never published.
Files are written to a temporary name and renamed into place (see ``images``).

Finding a source's digest means reading and hashing the whole file; ``SourceIndex``
remembers it by path, size and modification time (as git's index does), so a warm
build or check reads no unchanged photo: on a catalogue of camera photos, gigabytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
import time
from pathlib import Path
from typing import Any

from .image_decode import read_source
from .image_types import (
    PIPELINE_VERSION,
    ImageError,
    ImageSettings,
    ImageVariant,
    ProcessedImage,
    megapixels,
)

_MANIFESTS = "manifests"
_INDEX = "photo-index.json"
#: Sources modified less than this long ago are not trusted by their timestamp.
RACY_NS = 3_000_000_000


def source_digest(data: bytes, settings: ImageSettings) -> str:
    h = hashlib.sha256(settings.key().encode())
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


class SourceIndex:
    """Digests of source photos, by path, size and modification time, kept in the
    cache folder between builds and checks (``photo-index.json``)."""

    def __init__(self, cache_dir: Path, settings: ImageSettings) -> None:
        self.path = cache_dir / _INDEX
        self.settings = settings
        self.settings_key = settings.key()
        #: Entries read from the cache folder: path → [size, mtime_ns, digest].
        self.known: dict[str, list[Any]] = {}
        #: Entries of the sources asked for this time, saved by ``save``.
        self.seen: dict[str, list[Any]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("settings") == self.settings_key:
                self.known = dict(data["sources"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # no index, or a damaged one: hash every file once

    def digest(self, path: Path) -> str:
        """The digest of ``path``'s bytes (``source_digest``); raises ``ImageError``
        as ``read_source`` does for a file the build refuses."""
        try:
            info: os.stat_result | None = os.stat(path)
        except OSError:
            info = None  # read_source says why
        known = self.known.get(str(path))
        if (info and known and known[:2] == [info.st_size, info.st_mtime_ns]
                and stat.S_ISREG(info.st_mode) and 0 < info.st_size <= self.settings.max_bytes):
            digest = str(known[2])
        else:
            digest = source_digest(read_source(path, self.settings), self.settings)
        # Git's "racy" rule: a file modified within the last seconds may change again
        # within the same timestamp tick (2 s on FAT), unseen; hash it again next time.
        if info and time.time_ns() - info.st_mtime_ns > RACY_NS:
            self.seen[str(path)] = [info.st_size, info.st_mtime_ns, digest]
        return digest

    def save(self) -> None:
        """Keep this run's entries, and those of sources not asked for this time that
        still exist (a preview of part of the catalogue keeps the rest's)."""
        entries = {path: entry for path, entry in self.known.items()
                   if path not in self.seen and os.path.exists(path)}
        entries.update(self.seen)
        if entries == self.known:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"settings": self.settings_key, "sources": entries},
                          sort_keys=True, separators=(",", ":"))
        write_atomic(self.path, text.encode("utf-8"))


def _manifest_path(cache_dir: Path, digest: str) -> Path:
    return cache_dir / _MANIFESTS / f"{digest}.json"


def _variant_json(v: ImageVariant, size: int) -> dict[str, Any]:
    return {"width": v.width, "height": v.height, "format": v.format, "name": v.name, "bytes": size}


def store(
    cache_dir: Path, files: dict[str, bytes], processed: ProcessedImage, upright: tuple[int, int]
) -> None:
    """Write variants, then the manifest that makes them a cache hit."""
    (cache_dir / _MANIFESTS).mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        write_atomic(cache_dir / name, data)

    def entry(v: ImageVariant) -> dict[str, Any]:
        data = files[v.name]
        return {**_variant_json(v, len(data)), "sha256": hashlib.sha256(data).hexdigest(),
                "mtime_ns": (cache_dir / v.name).stat().st_mtime_ns}

    manifest = {
        "pipeline": PIPELINE_VERSION,
        "digest": processed.digest,
        "source": {"width": upright[0], "height": upright[1]},
        "variants": [entry(v) for v in processed.variants],
        "fallback": entry(processed.fallback),
    }
    _write_manifest(cache_dir, manifest)


def _write_manifest(cache_dir: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    write_atomic(_manifest_path(cache_dir, manifest["digest"]), text.encode())


def _intact(cache_dir: Path, entry: dict[str, Any]) -> bool | None:
    """Whether a variant file is as written: True, False (changed), or None when it
    is intact but its entry must be rewritten (touched, or written before hashes)."""
    path = cache_dir / entry["name"]
    info = path.stat()
    if info.st_size != entry["bytes"]:
        return False
    if info.st_mtime_ns == entry.get("mtime_ns"):
        return True
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if entry.get("sha256", digest) != digest:
        return False
    entry["sha256"], entry["mtime_ns"] = digest, info.st_mtime_ns
    return None


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it into place."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # os.open with 0o666 lets the umask decide, as for any other file
    # (mkstemp would make 0600 files that a copied site could not serve).
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def lookup(
    cache_dir: Path, digest: str, path: Path, settings: ImageSettings
) -> ProcessedImage | None:
    """The cached result for ``digest`` if the manifest and all its files are intact."""
    try:
        manifest = json.loads(_manifest_path(cache_dir, digest).read_text("utf-8"))
        if manifest["digest"] != digest or manifest["pipeline"] != PIPELINE_VERSION:
            return None
        entries = [*manifest["variants"], manifest["fallback"]]
        verdicts = [_intact(cache_dir, entry) for entry in entries]
        if False in verdicts:
            return None  # edited in place (through a hard link in a site): process again
        if None in verdicts:
            _write_manifest(cache_dir, manifest)
        variants = tuple(_variant_from_json(e) for e in manifest["variants"])
        fallback = _variant_from_json(manifest["fallback"])
        width, height = int(manifest["source"]["width"]), int(manifest["source"]["height"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: just process again
    if not variants:
        return None
    # The pixel limit is not part of the key, so re-apply it to cached sources.
    if width * height > settings.max_pixels:
        raise ImageError(
            path,
            f"image is {width}x{height} pixels ({megapixels(width * height)} megapixels), "
            f"over the pixel limit of {megapixels(settings.max_pixels)} megapixels",
        )
    largest = variants[-1]
    return ProcessedImage(digest, largest.width, largest.height, variants, fallback)


def _variant_from_json(entry: dict[str, Any]) -> ImageVariant:
    name = str(entry["name"])
    if Path(name).name != name:  # never trust a path out of a file
        raise ValueError(name)
    return ImageVariant(int(entry["width"]), int(entry["height"]), str(entry["format"]), name)
