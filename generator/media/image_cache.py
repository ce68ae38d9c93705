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
``ManifestIndex`` keeps the manifests a build found in one file, so the next build
reads one file instead of one per photo (40,000 nationally); the variant files are
still checked one by one, so a stale entry costs a hash or a processing, never a
changed photo published.

Those checks (a ``stat`` of every source, an ``lstat`` of every variant file, each
manifest read: 0.7-0.8 s of a national build's 1.6 s photo step) need nothing of the
catalogue: for a big cache a process of its own makes them as the build begins,
while the catalogue loads (``start_stamps``), and the build takes its answers
(``Stamps``) for the indexes it reads, if they are the bytes the process read. A
file is then looked at a few seconds earlier than before, not less: an edit after
the look (as after the check, before) is caught by the next build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..elsewhere import Elsewhere, answer
from .image_decode import read_source
from .image_types import (
    PIPELINE_VERSION,
    ImageError,
    ImageSettings,
    ImageVariant,
    ProcessedImage,
    megapixels,
    plain_name,
)

_MANIFESTS = "manifests"
_INDEX = "photo-index.json"
_MANIFEST_INDEX = "photo-manifests.json"
#: Sources modified less than this long ago are not trusted by their timestamp.
RACY_NS = 3_000_000_000
#: What reading a missing or damaged manifest raises (JSON nested too deep: RecursionError).
_DAMAGED = (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError)
#: A photo index this big (about 2,000 photos) is checked in a process of its own.
STAMPS_FROM_BYTES = 256 << 10


@dataclass(frozen=True)
class Stamps:
    """What a look at the cache's two indexes found (``stamps``): each index's digest
    as read, the sources whose size and time are the index's (and not too recent to
    trust), and the photos whose every variant file has its recorded size and time."""

    sources: str
    unchanged: frozenset[str]
    manifests: str
    #: digest -> its variants, fallback (width, height, format, name each) and the
    #: source's size, as ``_described`` reads them (so the build need not again).
    untouched: dict[str, Plain]


#: A manifest's variants, fallback and source size as plain tuples (``Stamps``).
Plain = tuple[tuple[tuple[int, int, str, str], ...], tuple[int, int, str, str], tuple[int, int]]


def _read_index(path: Path) -> tuple[Any, str]:
    """The JSON of an index file and the digest of its bytes; (None, "") if unreadable."""
    try:
        data = path.read_bytes()
        return json.loads(data), hashlib.blake2b(data, digest_size=16).hexdigest()
    except (OSError, ValueError, RecursionError):
        return None, ""


def _settled(info: os.stat_result) -> bool:
    """Git's "racy" rule: a file modified within the last seconds may change again
    within the same timestamp tick (2 s on FAT), unseen: not trusted by its time."""
    return time.time_ns() - info.st_mtime_ns > RACY_NS


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
        data, self.read_digest = _read_index(self.path)
        with contextlib.suppress(KeyError, TypeError, ValueError):
            if isinstance(data, dict) and data.get("settings") == self.settings_key:
                self.known = dict(data["sources"])
        # (No index, or a damaged one: hash every file once.)
        #: Sources found unchanged by ``stamps`` in the index this one read.
        self.trusted: frozenset[str] = frozenset()

    def trust(self, stamps: Stamps | None) -> None:
        """Take the sources ``stamps`` found unchanged, if it read this index."""
        if stamps is not None and self.read_digest and stamps.sources == self.read_digest:
            self.trusted = stamps.unchanged

    def unchanged(self, path: str) -> bool:
        """Whether ``path`` is as indexed (``_as_indexed``), modified long enough ago
        to trust its time."""
        try:
            info = os.stat(path)
        except OSError:
            return False
        return self._as_indexed(info, self.known.get(path)) and _settled(info)

    def _as_indexed(self, info: os.stat_result | None, known: list[Any] | None) -> bool:
        """Whether a file of status ``info`` has the size and time of its entry
        ``known``, as a regular file the build may read."""
        return bool(info and known and known[:2] == [info.st_size, info.st_mtime_ns]
                    and stat.S_ISREG(info.st_mode) and 0 < info.st_size <= self.settings.max_bytes)

    def digest(self, path: Path) -> str:
        """The digest of ``path``'s bytes (``source_digest``); raises ``ImageError``
        as ``read_source`` does for a file the build refuses."""
        if self.trusted:
            key = str(path)
            if key in self.trusted:  # ``stamps`` found it unchanged as the build began
                self.seen[key] = known = self.known[key]
                return str(known[2])
        try:
            info: os.stat_result | None = os.stat(path)
        except OSError:
            info = None  # read_source says why
        known = self.known.get(str(path))
        if self._as_indexed(info, known):
            digest = str(known[2])  # type: ignore[index]
        else:
            digest = source_digest(read_source(path, self.settings), self.settings)
        if info and _settled(info):
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


class ManifestIndex:
    """The manifests of the photos one build found in the cache, in one file
    (``photo-manifests.json``), read before the manifest files one by one.

    Only an accelerator: the manifest files stay the record (the image workers
    write them). An entry is one line of JSON without the files' hashes, trusted
    only while every variant file keeps its recorded size and modification time;
    otherwise ``lookup`` reads the manifest file and checks the hashes. Kept as
    text until asked for: parsed, 40,000 manifests held 128 MB.
    """

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.path = cache_dir / _MANIFEST_INDEX
        #: Entries read from the index file: digest → the manifest as one line of JSON.
        self.known: dict[str, str] = {}
        #: Entries of the hits and new photos of this run, saved by ``save``.
        self.found: dict[str, str] = {}
        data, self.read_digest = _read_index(self.path)
        with contextlib.suppress(KeyError, TypeError, AttributeError):
            if isinstance(data, dict) and data.get("pipeline") == PIPELINE_VERSION:
                self.known = {str(k): v for k, v in data["manifests"].items()
                              if isinstance(v, str)}
        # (No index, or a damaged one: read the manifest files.)
        #: Photos ``stamps`` found untouched in the index this one read.
        self.trusted: dict[str, Plain] = {}

    def trust(self, stamps: Stamps | None) -> None:
        """Take the photos ``stamps`` found untouched, if it read this index."""
        if stamps is not None and self.read_digest and stamps.manifests == self.read_digest:
            self.trusted = stamps.untouched

    def indexed(self, digest: str) -> Any:
        """The indexed manifest for ``digest`` (None if none): its files unchecked."""
        line = self.known.get(digest)
        return None if line is None else json.loads(line)

    def untouched(self, digest: str, entries: list[dict[str, Any]]) -> bool:
        """Whether every file of an indexed manifest (``entries``, names already
        checked) has its recorded size and modification time; then it is this run's."""
        if not self._files_untouched(entries):
            return False
        self.found[digest] = self.known[digest]
        return True

    def _files_untouched(self, entries: list[dict[str, Any]]) -> bool:
        for entry in entries:
            info = _sized_file(os.path.join(self.cache_dir, entry["name"]), entry)
            if info is None or info.st_mtime_ns != entry["mtime_ns"]:
                return False
        return True

    def trusted_hit(self, digest: str) -> tuple[
            None, tuple[ImageVariant, ...], ImageVariant, tuple[int, int]] | None:
        """``_described`` of a photo ``stamps`` found untouched (a hit of this run),
        else None."""
        plain = self.trusted.get(digest)
        line = self.known.get(digest)
        if plain is None or line is None:
            return None
        variants, fallback, size = plain
        self.found[digest] = line
        return (None, tuple(ImageVariant(w, h, sys.intern(f), n) for w, h, f, n in variants),
                ImageVariant(fallback[0], fallback[1], sys.intern(fallback[2]), fallback[3]),
                size)

    def untouched_now(self) -> dict[str, Plain]:
        """The indexed photos whose every file has its recorded size and time now."""
        found: dict[str, Plain] = {}
        for digest, line in self.known.items():
            with contextlib.suppress(*_DAMAGED):
                described = _described(json.loads(line), digest)
                if described is not None and self._files_untouched(described[0]):
                    _, variants, fallback, size = described
                    found[digest] = (tuple(_plain(v) for v in variants), _plain(fallback), size)
        return found

    def keep(self, manifest: dict[str, Any]) -> None:
        """Index a manifest read from its file (its hashes left out)."""
        def brief(entry: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in entry.items() if k != "sha256"}

        brief_manifest = {**manifest, "variants": [brief(e) for e in manifest["variants"]],
                          "fallback": brief(manifest["fallback"])}
        self.found[manifest["digest"]] = json.dumps(
            brief_manifest, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def add(self, digest: str) -> None:
        """Index a photo processed in this run, from the manifest its worker wrote."""
        with contextlib.suppress(*_DAMAGED):
            self.keep(_read_manifest(self.cache_dir, digest))

    def save(self) -> None:
        """Keep this run's manifests only: a photo no longer wanted leaves the index
        (its manifest file stays, for a preview of part of the catalogue)."""
        if self.found == self.known:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"pipeline": PIPELINE_VERSION, "manifests": self.found},
                          sort_keys=True, ensure_ascii=False, indent=0)
        write_atomic(self.path, text.encode("utf-8"))


def _manifest_path(cache_dir: Path, digest: str) -> Path:
    return cache_dir / _MANIFESTS / f"{digest}.json"


def _read_manifest(cache_dir: Path, digest: str) -> Any:
    return json.loads(_manifest_path(cache_dir, digest).read_text("utf-8"))


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


def _sized_file(path: str, entry: dict[str, Any]) -> os.stat_result | None:
    """``path``'s status if it is a regular file of the size ``entry`` records, else
    None: a link slipped into the cache folder reaches outside it, and is never one."""
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode) or info.st_size != entry["bytes"]:
        return None
    return info


def _intact(cache_dir: Path, entry: dict[str, Any]) -> bool | None:
    """Whether a variant file is as written: True, False (changed), or None when it
    is intact but its entry must be rewritten (touched since: a new time). An entry
    without a hash is never intact once touched: the cache folder is in a checkout a
    pull request can add files to, and a manifest it adds must not vouch for them."""
    path = os.path.join(cache_dir, entry["name"])
    info = _sized_file(path, entry)
    if info is None:
        return False
    if info.st_mtime_ns == entry.get("mtime_ns"):
        return True
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags), "rb") as f:
        digest = hashlib.sha256(f.read(info.st_size + 1)).hexdigest()
    if entry.get("sha256") != digest:
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
    cache_dir: Path, digest: str, path: Path, settings: ImageSettings,
    manifests: ManifestIndex | None = None,
) -> ProcessedImage | None:
    """The cached result for ``digest`` if the manifest and all its files are intact;
    with ``manifests``, an untouched indexed photo needs no manifest file, and a hit
    is indexed for the next build."""
    found: Any = None
    if manifests is not None:
        found = manifests.trusted_hit(digest)
    if manifests is not None and found is None:
        with contextlib.suppress(*_DAMAGED):
            manifest = manifests.indexed(digest)
            described = None if manifest is None else _described(manifest, digest)
            # Touched since (or gone): the manifest file and its hashes decide.
            if described is not None and manifests.untouched(digest, described[0]):
                found = described
    if found is None:
        try:
            manifest = _read_manifest(cache_dir, digest)
            found = _described(manifest, digest)
            if found is None:
                return None
            verdicts = [_intact(cache_dir, entry) for entry in found[0]]
            if False in verdicts:
                return None  # edited in place (through a hard link in a site): process again
            if None in verdicts:
                _write_manifest(cache_dir, manifest)
            if manifests is not None:
                manifests.keep(manifest)
        except _DAMAGED:
            return None  # missing or damaged: just process again
    _, variants, fallback, (width, height) = found
    # The pixel limit is not part of the key, so re-apply it to cached sources.
    if width * height > settings.max_pixels:
        raise ImageError(
            path,
            f"image is {width}x{height} pixels ({megapixels(width * height)} megapixels), "
            f"over the pixel limit of {megapixels(settings.max_pixels)} megapixels",
        )
    largest = variants[-1]
    return ProcessedImage(digest, largest.width, largest.height, variants, fallback)


def _described(manifest: Any, digest: str) -> tuple[
        list[dict[str, Any]], tuple[ImageVariant, ...], ImageVariant, tuple[int, int]] | None:
    """A manifest's file entries, variants, fallback and source size; None when it is
    not one of ``digest`` made by this pipeline. Raises ValueError, KeyError or
    TypeError on a damaged one. Names are checked here, before any file is looked at."""
    if manifest["digest"] != digest or manifest["pipeline"] != PIPELINE_VERSION:
        return None
    variants = tuple(_variant_from_json(e) for e in manifest["variants"])
    fallback = _variant_from_json(manifest["fallback"])
    if not variants:
        return None
    # Only the names the pipeline gives (image_encode): the site's photos folder links
    # them as they are, and a manifest a pull request adds could otherwise publish
    # "x.html" or "x.svg" (a script on the site's origin) among them.
    stem = digest[:16]
    if not (all(_named_as_made(v, stem, ("webp",)) for v in variants)
            and _named_as_made(fallback, stem, ("jpeg", "png"))):
        raise ValueError(digest)
    size = int(manifest["source"]["width"]), int(manifest["source"]["height"])
    return [*manifest["variants"], manifest["fallback"]], variants, fallback, size


def _plain(v: ImageVariant) -> tuple[int, int, str, str]:
    return (v.width, v.height, v.format, v.name)


#: A variant file's extension by its format.
_EXTENSIONS = {"webp": "webp", "jpeg": "jpg", "png": "png"}


def _named_as_made(variant: ImageVariant, stem: str, formats: tuple[str, ...]) -> bool:
    """Whether ``variant`` is named as ``image_encode`` names one of ``formats`` of the
    photo whose digest begins with ``stem``: ``<stem>-<width>.<extension>``."""
    if variant.format not in formats:
        return False
    name, suffix = variant.name, "." + _EXTENSIONS[variant.format]
    width = name[len(stem) + 1:-len(suffix)]
    return (name.startswith(stem + "-") and name.endswith(suffix)
            and width.isascii() and width.isdigit())


def _variant_from_json(entry: dict[str, Any]) -> ImageVariant:
    name = entry["name"]
    # Never trust a path out of a file (Path() for 160,000 names cost a second).
    if not plain_name(name):
        raise ValueError(name)
    # One string for each format (160,000 variants nationally, four formats).
    return ImageVariant(int(entry["width"]), int(entry["height"]),
                        sys.intern(str(entry["format"])), name)


def stamps(cache_dir: Path, settings: ImageSettings) -> Stamps:
    """The look at the cache's indexes ``SourceIndex`` and ``ManifestIndex`` take on
    trust (``trust``): every indexed source's and variant file's status, now."""
    index, manifests = SourceIndex(cache_dir, settings), ManifestIndex(cache_dir)
    return Stamps(index.read_digest, frozenset(p for p in index.known if index.unchanged(p)),
                  manifests.read_digest, manifests.untouched_now())


_STAMPS = "the look at the photo cache"


def start_stamps(cache_dir: Path, settings: ImageSettings) -> Elsewhere | None:
    """``stamps`` in a process of its own, for a big cache (``STAMPS_FROM_BYTES``);
    None for a small one or when the process will not start."""
    try:
        if os.stat(cache_dir / _INDEX).st_size < STAMPS_FROM_BYTES:
            return None
        return Elsewhere(_stamps_answer, (cache_dir, settings), _STAMPS,
                         lambda found: isinstance(found, Stamps))
    except OSError:
        return None


def _stamps_answer(cache_dir: Path, settings: ImageSettings, to: Connection) -> None:
    answer(stamps, (cache_dir, settings), _STAMPS, to)
