"""The photo cache's files checked in a process of their own while the catalogue loads.

A build trusts an indexed manifest (``image_cache.ManifestIndex``) only while every
variant file it names has the size and modification time it records: nationally
159,788 files, one ``lstat`` each, 0.7 s of a rebuild after one edit. The look does
that check on the other core while the catalogue loads, for every manifest of the
index file, and answers with the digests of the photos whose files are all as
recorded, and a digest of the index file it read; the build trusts those photos
while the index it reads is that same file, and checks every other photo itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..elsewhere import Elsewhere, answer

#: Below this size of the manifest index (about 5,000 photos, 20,000 files), checking
#: the files here costs less than starting a process.
LOOK_FROM_BYTES = 4 << 20
_LOOK = "the look at the photo cache"


def index_digest(data: bytes) -> bytes:
    """What identifies the index file the look checked."""
    return hashlib.blake2b(data, digest_size=32).digest()


class Untouched:
    """The photos of one index file (``index``: its ``index_digest``) whose variant
    files the look found as the index records them."""

    def __init__(self, index: bytes, digests: str) -> None:
        self.index = index
        self.digests = frozenset(digests.split("\0")) - {""}


def look_elsewhere(cache_dir: Path, manifest_index: Path) -> Elsewhere | None:
    """The look at ``cache_dir``, started when the cache is big enough to gain from it
    (``manifest_index``, the file that lists its photos, of ``LOOK_FROM_BYTES`` or
    more); else None."""
    try:
        if os.stat(manifest_index).st_size < LOOK_FROM_BYTES:
            return None
    except OSError:
        return None
    return Elsewhere(_look_and_answer, (cache_dir, manifest_index), _LOOK, lambda found: (
        isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], bytes)
        and isinstance(found[1], str)))


def untouched(look: Elsewhere | None) -> Untouched | None:
    """The look's answer; None without one (not started, or failed: every photo's
    files are then checked in the build's process)."""
    if look is None:
        return None
    try:
        return Untouched(*look.result())
    except OSError:
        return None


def _look(cache_dir: Path, manifest_index: Path) -> tuple[bytes, str]:
    """The digest of the index file and those of its photos whose files are all
    regular files of the size and time their entries record (NUL-joined)."""
    data = manifest_index.read_bytes()
    found = []
    try:
        manifests = json.loads(data)["manifests"]
        items = list(manifests.items()) if isinstance(manifests, dict) else []
    except (ValueError, KeyError, TypeError):
        items = []
    folder = os.fspath(cache_dir)
    for digest, line in items:
        try:
            manifest = json.loads(line)
            if all(_as_recorded(folder, entry)
                   for entry in (*manifest["variants"], manifest["fallback"])):
                found.append(str(digest))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return index_digest(data), "\0".join(found)


def _as_recorded(folder: str, entry: Any) -> bool:
    name = entry["name"]
    if not isinstance(name, str) or os.path.basename(name) != name or name in ("", ".", ".."):
        return False
    info = os.lstat(os.path.join(folder, name))
    return (stat.S_ISREG(info.st_mode) and info.st_size == entry["bytes"]
            and info.st_mtime_ns == entry["mtime_ns"])


def _look_and_answer(cache_dir: Path, manifest_index: Path, to: Connection) -> None:
    answer(_look, (cache_dir, manifest_index), _LOOK, to)
