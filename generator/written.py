"""What a build wrote into its site folder, as a manifest records it, and whether a
file is still as written.

Apart from ``write/kept_files.py`` and ``adapter/kept_site.py``, which both read the
manifest: the safety walk's process imports the latter, and should not import every
writer with it.
"""

from __future__ import annotations

import os
import stat
import struct
import unicodedata

#: A writer's file in a manifest: key, size, modification time (ns) as written, and
#: its reads (JSON lines, as the page cache stores a page's, joined by newlines).
FileEntry = tuple[str, int, int, str]


def as_written(path: str, size: int, mtime_ns: int) -> bool:
    """Whether ``path`` is still the file written there: a regular file with no other
    link (a write would go through it), of that size and nanosecond time."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return (stat.S_ISREG(st.st_mode) and st.st_nlink == 1
            and (st.st_size, st.st_mtime_ns) == (size, mtime_ns))


#: What a folder held: for each of its folders (by site path prefix: "" for the folder
#: itself, "san-pham/" …) the names in it joined by NUL, a folder's name ending in "/"
#: (one string per folder: 110,000 of them pickle in 0.06 s, lists of names in 0.27).
Listing = dict[str, str]
#: The size and modification time (ns) of a folder's files as a walk saw them: per
#: folder of a ``Listing`` that has any, a pair of native int64 per name in the
#: listing's order, (-1, -1) for a name not looked at (a folder, a photo link).
Stats = dict[str, bytes]
_PAIR = struct.Struct("=qq")
#: Folders of at most this many names are searched, not indexed.
_FEW = 8


def fold(name: str) -> str:
    """``name`` as a file system that ignores case and Unicode normalisation sees it."""
    return unicodedata.normalize("NFC", name).casefold()


class Seen:
    """The files of a kept site as the walk that made it safe saw them, before the
    build wrote anything into it: ``as_written`` without asking the file system
    again for each of a national site's 140,000 pages and writers' files (140,000
    ``lstat`` calls: 0.33-0.35 s on this project's machine). A path written or
    removed since (``mark``) is asked of the file system, as is one the walk did not
    look at."""

    def __init__(self, folder: str, listing: Listing, stats: Stats) -> None:
        self.folder = folder
        self.listing = listing
        self.stats = stats
        #: Site paths this build wrote or removed since the walk, folded: where the
        #: file system ignores case (Windows, macOS, some Linux mounts) a path written
        #: under one spelling is the file of every spelling (elsewhere a path asked
        #: of the file system for nothing; 140,000 folded in 0.013 s).
        self._changed: set[str] = set()
        #: name -> index, for the folders of more than ``_FEW`` names asked about.
        self._index: dict[str, dict[str, int]] = {}

    def mark(self, site_path: str) -> None:
        """Note that ``site_path`` was written or removed since the walk."""
        self._changed.add(fold(site_path))

    def as_written(self, site_path: str, size: int, mtime_ns: int) -> bool:
        """``as_written`` of the file at ``site_path`` (relative, '/'-separated)."""
        if fold(site_path) not in self._changed:
            found = self._stat(site_path)
            if found is not None:
                return found == (size, mtime_ns)
        return as_written(os.path.join(self.folder, site_path), size, mtime_ns)

    def _stat(self, site_path: str) -> tuple[int, int] | None:
        """(size, time) of a regular file with one link the walk saw at ``site_path``;
        None when it did not see one there (or did not look)."""
        folder, _, name = site_path.rpartition("/")
        prefix = folder + "/" if folder else ""
        packed = self.stats.get(prefix)
        text = self.listing.get(prefix)
        if packed is None or text is None:
            return None
        indexed = self._index.get(prefix)
        if indexed is not None:
            index = indexed.get(name, -1)
        elif text.count("\0") < _FEW:
            # A page's folder, a verification page's (and its QR code): no dict each
            # (50,000 of them held 15 MB).
            names = text.split("\0")
            index = names.index(name) if name in names else -1
        else:
            indexed = self._index[prefix] = {n: i for i, n in enumerate(text.split("\0"))}
            index = indexed.get(name, -1)
        if index < 0 or (index + 1) * _PAIR.size > len(packed):
            return None
        size, mtime_ns = _PAIR.unpack_from(packed, index * _PAIR.size)
        return None if size < 0 else (size, mtime_ns)
