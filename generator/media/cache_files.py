"""The photo cache's files as one look at its folder saw them, taken in a process of
its own while the catalogue loads.

A build checks every variant file of every cached photo (size and modification
time, ``image_cache.ManifestIndex``): nationally 159,788 files, one ``lstat`` each,
0.7 s of a rebuild after one edit. The look lists the folder once and stat's its
files meanwhile on the other core; the check then reads its answers, and asks the
file system only of a file the look did not see as a regular file.
"""

from __future__ import annotations

import array
import os
import struct
from multiprocessing.connection import Connection
from pathlib import Path

from ..elsewhere import Elsewhere, answer

#: Below this size of the manifest index (about 5,000 photos, 20,000 files), stat'ing
#: the files here costs less than starting a process.
LOOK_FROM_BYTES = 4 << 20
_LOOK = "the look at the photo cache"
_PAIR = struct.Struct("=qq")


class CacheFiles:
    """The regular files of the cache folder the look saw, with their size and time."""

    def __init__(self, names: str, stats: bytes) -> None:
        #: name -> index of its (size, time) pair in ``stats``.
        self._index = {name: i for i, name in enumerate(names.split("\0")) if name}
        self._stats = stats

    def stat(self, name: str) -> tuple[int, int] | None:
        """(size, time in ns) of the regular file ``name`` as seen; None if not seen."""
        i = self._index.get(name)
        if i is None or (i + 1) * _PAIR.size > len(self._stats):
            return None
        return _PAIR.unpack_from(self._stats, i * _PAIR.size)


def look_elsewhere(cache_dir: Path, manifest_index: Path) -> Elsewhere | None:
    """The look at ``cache_dir``, started when the cache is big enough to gain from it
    (``manifest_index``, the file that lists its photos, of ``LOOK_FROM_BYTES`` or
    more); else None."""
    try:
        if os.stat(manifest_index).st_size < LOOK_FROM_BYTES:
            return None
    except OSError:
        return None
    return Elsewhere(_look_and_answer, (cache_dir,), _LOOK, lambda found: (
        isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], str)
        and isinstance(found[1], bytes)))


def files_seen(look: Elsewhere | None) -> CacheFiles | None:
    """The look's answer; None without one (not started, or failed: each file is
    then asked of the file system)."""
    if look is None:
        return None
    try:
        return CacheFiles(*look.result())
    except OSError:
        return None


def _look(cache_dir: Path) -> tuple[str, bytes]:
    """The names of the regular files of ``cache_dir`` (NUL-joined) and their sizes
    and times (native int64 pairs, in the same order)."""
    names = []
    stats = array.array("q")
    with os.scandir(cache_dir) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                names.append(entry.name)
                stats.extend((st.st_size, st.st_mtime_ns))
    return "\0".join(names), stats.tobytes()


def _look_and_answer(cache_dir: Path, to: Connection) -> None:
    answer(_look, (cache_dir,), _LOOK, to)
