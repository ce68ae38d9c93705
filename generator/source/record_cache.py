"""Parsed records kept between runs, keyed by each file's bytes.

Reading a national catalogue is mostly parsing and validating 29,000 small YAML
files (14 of 19 s of a one-process ``ocop check``). A file whose bytes, record
kind and reading code are unchanged reads to the same record and the same
problems, so both are kept, pickled, in ``<cache_dir>/records-NN.pickle`` and
unpickled next time instead. The entries are spread over ``SHARDS`` files by folder
(a producer's files share one), and a build writes only the files whose entries
changed: one edited product rewrote the whole national cache, 69 MB, before.

A file is not even read while it keeps the size, modification and change times
and inode it had when it was last read (git's index trusts a file so; reading a
national catalogue's 30,000 files took about 0.5 s of every build, under a
profiler): writing a file moves its change time, which no one can set back. Not on
Windows, where that time is the file's creation: an edit that kept the size and put
the modification time back (a sync tool, ``touch -r``) would go unseen, so there
every file is read.
A file changed within the last seconds is read again next time (git's "racy" rule:
a second change within the same tick of the clock would keep the same times).

A producer folder is kept whole too, as loaded (its records, photo paths resolved,
and problems), known by its listing (``folder_stamp``): while no entry of it was
added, removed or renamed and no file it reads changed its stamp, none of its files
is looked at one by one (that walk took about 3 of a national one-edit build's 5 s of
loading). The folders' entries are kept in files of their own
(``folders-NN.pickle``), all read as a build begins; the files' entries stay besides, for
the build after one of them changed and for a fresh checkout, which gives every file new
times, and a shard of them is read only when one of its files is (one edit: one of 32).

Pickle runs code when it loads, and the cache folder sits inside a checkout
that anyone's pull request can add files to. So the file is signed with HMAC
under a key kept outside the repository (the user's cache folder, created on
first use, readable by the user only); a file that does not verify, or that was
written by other reading code, is ignored and rewritten. The key is never taken
from inside the project (``OCOP_KEY_DIR`` must be an absolute folder elsewhere);
without a usable key nothing is cached. On CI the key comes from a secret
(``OCOP_CACHE_KEY``), never from a cache a pull request could restore. Each
file is read only when it is a regular file, not a link, of at most 1 GiB.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import posixpath
import secrets
import stat
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

import platformdirs
import yaml

from .problems import Problem

#: The cache of one file, before the entries were spread over shards (removed).
OLD_CACHE_FILE = "records.pickle"
#: How many files the entries are spread over.
SHARDS = 32
#: Changes when what is stored changes shape.
FORMAT = 4
#: Files changed less than this long ago are read again next time.
RACY_NS = 3_000_000_000
#: What identifies a file as read before, short of reading it: the record kind, its
#: size, modification and change times (ns) and inode.
Stamp = tuple[str, int, int, int, int]


#: What a producer folder is known by (``folder_stamp``): its path and its entries.
FolderStamp = tuple[str, tuple[tuple[Any, ...], ...]]


def _racy(st: os.stat_result, now: int) -> bool:
    return now - max(st.st_mtime_ns, st.st_ctime_ns) <= RACY_NS


def stamp_of(kind: type, st: os.stat_result) -> Stamp | None:
    """The stamp of a file of status ``st`` read as a ``kind``; None when it is not a
    regular file, changed too recently to be known by its times, or on Windows."""
    if os.name == "nt" or not stat.S_ISREG(st.st_mode) or _racy(st, time.time_ns()):
        return None
    return (kind.__name__, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def folder_stamp(path: str, unread: tuple[str, ...]) -> FolderStamp | None:
    """What the folder at ``path`` is known by: for each entry (by name, not followed),
    whether it is a link, a folder, a file or anything else, and for a file whose
    name does not end in one of ``unread`` (photos: only their names are loaded) its
    size, times and inode, as ``stamp_of``. None when a file of it may change unseen
    (changed too recently, or on Windows) or the folder cannot be listed."""
    if os.name == "nt":
        return None
    now = time.time_ns()
    entries: list[tuple[Any, ...]] = []
    try:
        with os.scandir(path) as listing:
            for entry in listing:
                name = entry.name
                if entry.is_symlink():
                    entries.append((name, "l"))
                elif entry.is_dir(follow_symlinks=False):
                    entries.append((name, "d"))
                elif not entry.is_file(follow_symlinks=False):
                    entries.append((name, "o"))
                elif name.lower().endswith(unread):
                    entries.append((name, "f"))
                else:
                    st = entry.stat(follow_symlinks=False)
                    if _racy(st, now):
                        return None
                    entries.append((name, "f", st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                                    st.st_ino))
    except OSError:
        return None
    entries.sort()
    return path, tuple(entries)
_KEY_FILE = "record-cache.key"


@functools.cache
def code_digest() -> str:
    """Digest of everything that decides what a file reads to: this package's reading
    code, the Python and PyYAML versions."""
    h = hashlib.sha256(f"{FORMAT}:{sys.version}:{yaml.__version__}:"
                       f"{yaml.__with_libyaml__}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


KEY_BYTES = 32
#: Larger cache files are not read (a national catalogue's 32 are about 128 MB together).
MAX_CACHE_BYTES = 1 << 30


def _key_folder(project: Path) -> Path | None:
    """Where the key lives: never inside the project, whose files a pull request sets."""
    folder = Path(os.environ.get("OCOP_KEY_DIR") or platformdirs.user_cache_dir("ocop-catalogue"))
    if not folder.is_absolute():
        return None
    with contextlib.suppress(OSError):
        if folder.resolve().is_relative_to(project.resolve()):
            return None
    return folder


def _read_key(path: Path) -> bytes | None:
    with contextlib.suppress(OSError):
        data = path.read_bytes()
        if len(data) == KEY_BYTES:
            return data
    return None


def signing_key(project: Path) -> bytes | None:
    """The signing key, made on first use; None when it cannot be kept (the page
    cache signs with it too). ``OCOP_CACHE_KEY`` (64 hex digits) gives it instead: a
    CI secret, where a key kept in a cache every pull request can restore would be
    readable by anyone's pull request."""
    given = os.environ.get("OCOP_CACHE_KEY", "").strip()
    if given:
        try:
            key = bytes.fromhex(given)
        except ValueError:
            return None
        return key if len(key) == KEY_BYTES else None
    folder = _key_folder(project)
    if folder is None:
        return None
    path = folder / _KEY_FILE
    key = _read_key(path)
    if key is not None:
        return key
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Written whole in a file of its own, then linked into place: another process
        # sees no key or the whole key, never a part of one (and never an empty key).
        fd, temporary = tempfile.mkstemp(prefix=".key.", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(KEY_BYTES))
            os.chmod(temporary, 0o600)
            try:
                os.link(temporary, path)
            except FileExistsError:
                # Made meanwhile by another run, or a broken one: a broken key is replaced.
                if _read_key(path) is None:
                    os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    except OSError:
        return None
    return _read_key(path)


def open_cache_file(path: Path) -> tuple[BinaryIO, int] | None:
    """The cache file open for reading, and its size: a regular file, not reached
    through a link (None otherwise). Raises OSError as ``open`` does."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    if path.is_symlink():
        return None
    f = os.fdopen(os.open(path, flags), "rb")
    info = os.fstat(f.fileno())
    if not stat.S_ISREG(info.st_mode):
        f.close()
        return None
    return f, info.st_size


def read_cache_file(path: Path) -> bytes | None:
    """The cache file's bytes: a regular file of sane size, not reached through a link."""
    opened = open_cache_file(path)
    if opened is None:
        return None
    f, size = opened
    with f:
        return None if size > MAX_CACHE_BYTES else f.read(MAX_CACHE_BYTES + 1)


def file_digest(kind: type, data: bytes) -> bytes:
    return hashlib.blake2b(kind.__name__.encode() + b"\0" + data, digest_size=20).digest()


#: A cache entry: digest of the file, pickled (record, problems), the file's stamp;
#: a folder's (its relative path ends in "/"): no digest, pickled load, its stamp.
Entry = tuple[bytes, bytes, Stamp | FolderStamp | None]


def shard_of(rel: str) -> int:
    """The shard of the file at ``rel`` (relative to the project): by its folder."""
    return zlib.crc32(posixpath.dirname(rel).encode("utf-8", "surrogatepass")) % SHARDS


def shard_path(cache_dir: Path, shard: int) -> Path:
    return cache_dir / f"records-{shard:02d}.pickle"


def _by_shard(entries: dict[str, Entry]) -> dict[int, dict[str, Entry]]:
    out: dict[int, dict[str, Entry]] = {}
    for rel, entry in entries.items():
        out.setdefault(shard_of(rel), {})[rel] = entry
    return out


def folder_shard_path(cache_dir: Path, shard: int) -> Path:
    return cache_dir / f"folders-{shard:02d}.pickle"


def _folder_of(rel: str) -> str:
    return rel.rpartition("/")[0] + "/"


class RecordCache:
    """Entries read from the cache files (``old``: the files', read shard by shard as
    they are asked for; ``folders_old``: the producer folders', all read at once) and
    the entries of this run (``new``, ``folders_new``), by relative path."""

    def __init__(self, old: dict[str, Entry] | None = None,
                 key: bytes | None = None, cache_dir: Path | None = None,
                 folders: dict[str, Entry] | None = None) -> None:
        self.old = old or {}
        self.new: dict[str, Entry] = {}
        self.key = key
        #: Where the files' shards not yet read are (None: ``old`` holds all there is).
        self.cache_dir = cache_dir
        #: The files' shards looked for, and those read from their files, signed, of
        #: this reading code.
        self.loaded: set[int] = set() if cache_dir is not None else set(range(SHARDS))
        self.kept: set[int] = set()
        self.folders_old = folders or {}
        self.folders_new: dict[str, Entry] = {}
        self.folders_kept: set[int] = set()
        #: The folders taken whole this run: their files' entries stay as they were.
        self.whole: set[str] = set()

    @classmethod
    def open(cls, cache_dir: Path | None, project: Path) -> RecordCache | None:
        """The cache of ``cache_dir`` (empty when missing, unsigned or stale); None when
        caching is off (no folder, no key outside ``project``). The folders' entries are
        read now; a shard of the files' only when one of its files is asked for (one
        edit: one shard; the others' bytes, 66 MB nationally, are not read)."""
        key = signing_key(project) if cache_dir is not None else None
        if cache_dir is None or key is None:
            return None
        cache = cls(key=key, cache_dir=cache_dir)
        for shard in range(SHARDS):
            entries = cache._read(folder_shard_path(cache_dir, shard))
            if entries is not None:
                cache.folders_old.update(entries)
                cache.folders_kept.add(shard)
        return cache

    def _read(self, path: Path) -> dict[str, Entry] | None:
        """The entries of a cache file, if signed with our key by this reading code."""
        assert self.key is not None
        with contextlib.suppress(OSError, ValueError):
            blob = read_cache_file(path)
            if blob is None:
                return None
            signature, payload = blob[:32], blob[32:]
            if hmac.compare_digest(signature, hmac.digest(self.key, payload, "sha256")):
                code, entries = pickle.loads(payload)
                if code == code_digest():
                    return dict(entries)
        return None

    def _need(self, shard: int) -> None:
        """Read the files' shard ``shard`` if not yet looked for."""
        if shard in self.loaded:
            return
        self.loaded.add(shard)
        assert self.cache_dir is not None
        entries = self._read(shard_path(self.cache_dir, shard))
        if entries is not None:
            self.old.update(entries)
            self.kept.add(shard)

    def load_all(self) -> None:
        """Read every files' shard (before entries are handed to workers)."""
        for shard in range(SHARDS):
            self._need(shard)

    def unchanged(self, rel: str, stamp: Stamp | None) -> tuple[Any, list[Problem]] | None:
        """The record and problems of ``rel`` when it has the stamp it was last read
        with (``stamp_of``; None never matches): it need not be read."""
        if stamp is None:
            return None
        self._need(shard_of(rel))
        entry = self.old.get(rel)
        if entry is None or entry[2] != stamp:
            return None
        self.new[rel] = entry
        record, problems = pickle.loads(entry[1])
        return record, problems

    def unchanged_folder(self, rel: str, stamp: FolderStamp | None) -> Any:
        """What the folder ``rel`` (ending in "/") loaded to (``put_folder``) when it has
        the stamp it was loaded with, else None; its files' entries stay as they are."""
        entry = self.folders_old.get(rel)
        if stamp is None or entry is None or entry[2] != stamp:
            return None
        self.folders_new[rel] = entry
        self.whole.add(rel)
        return pickle.loads(entry[1])

    def put_folder(self, rel: str, stamp: FolderStamp, loaded: Any) -> None:
        # Pickled now, as ``put``: linking changes the records later.
        self.folders_new[rel] = (b"", pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL), stamp)

    def get(self, rel: str, digest: bytes,
            stamp: Stamp | None = None) -> tuple[Any, list[Problem]] | None:
        """The record and problems of ``rel`` when its bytes (``digest``) were read
        before; ``stamp``: the file's now, kept with the entry."""
        self._need(shard_of(rel))
        entry = self.old.get(rel)
        if entry is None or entry[0] != digest:
            return None
        self.new[rel] = (entry[0], entry[1], stamp)
        record, problems = pickle.loads(entry[1])
        return record, problems

    def put(self, rel: str, digest: bytes, record: Any, problems: list[Problem],
            stamp: Stamp | None = None) -> None:
        # Pickled now: the record is changed later (ids, links) and must be kept as read.
        self._need(shard_of(rel))
        self.new[rel] = (digest, pickle.dumps((record, problems), pickle.HIGHEST_PROTOCOL),
                         stamp)

    def part(self, prefixes: list[str]) -> RecordCache:
        """The entries under some folders, for a worker process."""
        self.load_all()
        chosen = tuple(prefixes)
        return RecordCache({rel: e for rel, e in self.old.items() if rel.startswith(chosen)},
                           self.key, folders={rel: e for rel, e in self.folders_old.items()
                                              if rel.startswith(chosen)})

    def travel_back(self) -> None:
        """Only this run's entries go back from a worker."""
        self.old, self.folders_old = {}, {}

    def merge(self, other: RecordCache) -> None:
        self.new.update(other.new)
        self.folders_new.update(other.folders_new)
        self.whole |= other.whole

    def save(self, cache_dir: Path) -> None:
        """Write this run's entries (files gone since are dropped), signed, each shard
        whose entries changed whole. A fresh checkout gives every file new times: its
        first build writes the cache again (its records are taken from it all the
        same). Of the files' shards only those read can have changed: in each, the
        entries of a folder taken whole stay as they were."""
        if self.key is None:
            return
        # Entries come only from the shards read (``kept``): the same entries are the
        # same files.
        self._save(cache_dir, folder_shard_path, range(SHARDS), self.folders_old,
                   self.folders_new, self.folders_kept)
        new = dict(self.new)
        for rel, entry in self.old.items():
            if rel not in new and _folder_of(rel) in self.whole:
                new[rel] = entry
        self._save(cache_dir, shard_path, sorted(self.loaded), self.old, new, self.kept)
        with contextlib.suppress(OSError):
            (cache_dir / OLD_CACHE_FILE).unlink()

    def _save(self, cache_dir: Path, path_of: Callable[[Path, int], Path],
              shards: Iterable[int], old_entries: dict[str, Entry],
              new_entries: dict[str, Entry], kept: set[int]) -> None:
        new, old = _by_shard(new_entries), _by_shard(old_entries)
        for shard in shards:
            entries = new.get(shard, {})
            if shard in kept and entries == old.get(shard, {}):
                continue
            if entries:
                self._write(cache_dir, path_of(cache_dir, shard), entries)
            else:
                with contextlib.suppress(OSError):
                    path_of(cache_dir, shard).unlink()

    def _write(self, cache_dir: Path, path: Path, entries: dict[str, Entry]) -> None:
        assert self.key is not None
        payload = pickle.dumps((code_digest(), entries), pickle.HIGHEST_PROTOCOL)
        temporary = None
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=".records.", dir=cache_dir)
            with os.fdopen(fd, "wb") as out:
                out.write(hmac.digest(self.key, payload, "sha256") + payload)
            os.replace(temporary, path)
            temporary = None
        except OSError:
            pass  # a cache that cannot be written is only a slower next run
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
