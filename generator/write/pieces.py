"""Pieces of the whole-catalogue files kept between builds: an export's item, a CSV row.

``du-lieu/products.json`` holds every product. After one price is edited the file
changes, but 19,999 of its 20,000 items are the bytes the last build wrote; making
every item again (the dictionaries, their JSON, the CSV rows) cost about 2 s of a
national rebuild after one edit. A writer asks a ``Pieces`` store for the piece of
each run of records (``runs``: about 32; a piece a record cost more to check than to
make) instead, and the store keeps each piece with

* its **key**: the build's settings, the store's name and what the piece is made of
  (``page_cache.file_key``: records by identity, anything else by content), as for
  the writers' files (``kept_files``);
* its **reads**: the records it opened and the facts it noted (a photo), each with
  its digest, observed while it was made (``reads``);
* its bytes, one or more parts (the run's items as JSON, and their CSV rows).

A later build takes the stored bytes of a piece whose key is the same and whose every
read gives the same digest today (the page cache's ``World``); otherwise the piece is
made again. The file written is byte for byte the one made without the store (tested).

A store is one file in the cache folder, ``pieces/<name>.bin``: the pieces' bytes one
after another, then an index (each piece's key, place, reads and signature; the
reads' lines once each). Pieces are read one at a time as the writer asks for them, so
the store costs little memory; the new store is written beside the old one as the
writer goes and takes its place at the end. The cache folder sits in a checkout anyone's
pull request can add files to: the index and every piece are signed with keyed BLAKE2b
under the key ``record_cache`` keeps outside the repository, and a piece that does not
verify is made again. Without a key (or without a world: a build that does not keep
its work) every piece is made.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import marshal
import os
import tempfile
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

from .. import reads
from ..render.page_cache import World, file_key, read_lines, reads_list, watch_records
from ..source.record_cache import open_cache_file, signing_key
from .context import OutputContext

log = logging.getLogger("mkdocs.plugins.ocop")

#: Changes when what is stored changes shape.
FORMAT = 1
#: The stores' folder in the cache folder: of their own, so that finding the stores a
#: build left unfinished lists a few files (``_remove_leftovers``).
FOLDER = "pieces"
#: The index's length and signature, after it at the end of the file.
_FOOTER = 8 + 32
#: An unfinished new store older than this is a build's that ended half-way.
LEFTOVER_S = 3600
#: A larger index is not read (a national store's is a few MB).
MAX_INDEX = 256 << 20
_PIECE_PERSON = b"ocop-piece"
_INDEX_PERSON = b"ocop-pieces"

#: A stored piece: offset, length of each part, signature, the ids of its reads' lines.
Entry = tuple[int, tuple[int, ...], bytes, tuple[int, ...]]
Parts = tuple[bytes, ...]
T = TypeVar("T")
#: About one record in this many ends a run of records kept as one piece (``runs``).
RUN = 32


def runs(items: Sequence[T], ident: Callable[[T], str]) -> list[list[T]]:
    """``items`` in runs of about ``RUN``, a piece each (a piece per record costs more
    to check than to make): a run ends after an item whose ``ident``'s CRC-32 is a
    multiple of ``RUN``, so that an item added or removed changes its own run only
    (boundaries set by content, as rsync's)."""
    found: list[list[T]] = []
    run: list[T] = []
    for item in items:
        run.append(item)
        if zlib.crc32(ident(item).encode()) % RUN == 0:
            found.append(run)
            run = []
    if run:
        found.append(run)
    return found


class Pieces:
    """The pieces of one writer's files (``name``), kept between builds; used as a
    context manager (records note their readers inside it, the new store is saved when
    it ends)."""

    def __init__(self, path: Path | None = None, key: bytes | None = None, settings: str = "",
                 world: World | None = None) -> None:
        #: The store's file; None: every piece is made, nothing is kept.
        self.path = path
        self.key = key
        #: What every piece depends on besides its inputs and reads (``settings_key``).
        self.settings = settings
        #: Today's answers to what pieces read.
        self.world = world
        #: How many pieces were taken from the store, and made.
        self.kept = 0
        self.made = 0
        self._old: IO[bytes] | None = None
        self._entries: dict[str, Entry] = {}
        self._lines: list[str] = []
        self._new: IO[bytes] | None = None
        self._new_path = ""
        #: Set when the new store could not be written: nothing is kept this build.
        self._failed = False
        self._new_entries: dict[str, Entry] = {}
        self._new_lines: dict[str, int] = {}
        self._offset = 0

    @classmethod
    def open(cls, context: OutputContext, name: str) -> Pieces:
        """The store ``name`` of the build: kept when the build keeps its work (its
        settings and today's answers are the kept files', ``context.kept_files``) and
        a signing key can be had; else a store that makes every piece."""
        kept = context.kept_files
        if kept is None or context.cache_dir is None or context.layout is None:
            return cls()
        key = signing_key(context.layout.root)
        if key is None:
            return cls()
        # Where stores were kept until 04/12/2026: in the cache folder itself (a
        # national catalogue's 160,000 photo variants), which the search for
        # unfinished stores listed for 0.3 s a store.
        with contextlib.suppress(OSError):
            os.unlink(context.cache_dir / f"pieces-{name}.bin")
        return cls(context.cache_dir / FOLDER / f"{name}.bin", key, kept.settings, kept.world)

    def __enter__(self) -> Pieces:
        if self.path is not None:
            if reads.watching():
                # Its end stops all watching: an outer block would stop noting reads.
                raise RuntimeError("Pieces used inside another block that watches records")
            watch_records()
            self._read_index()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.path is None:
            return
        reads.unwatch()
        self._close_old()
        if exc[0] is None:
            self._save()
            log.info(f"ocop pieces: {self.path.name}: {self.kept} kept, {self.made} made")
        else:
            self._discard()

    def get(self, inputs: tuple[Any, ...], make: Callable[[], Parts]) -> Parts:
        """The parts made of ``inputs`` (``make()``), from the store when it holds
        them as they would be made today."""
        if self.path is None:
            return make()
        key = file_key(self.settings, self.path.name, inputs)
        stored = self._stored(key)
        if stored is None:
            with reads.recording() as seen:
                parts = make()
            assert self.world is not None
            self._keep(key, b"".join(parts), tuple(len(part) for part in parts),
                       read_lines(reads_list(seen, self.world.digest_of)))
            self.made += 1
            return parts
        data, sizes, lines, mac = stored
        self._keep(key, data, sizes, lines, mac)
        self.kept += 1
        parts, at = [], 0
        for size in sizes:
            parts.append(data[at:at + size])
            at += size
        return tuple(parts)

    # --- the old store -----------------------------------------------------------

    def _read_index(self) -> None:
        """The old store's index, when its file is ours and verifies; else none."""
        assert self.path is not None and self.key is not None
        try:
            opened = open_cache_file(self.path)
        except OSError:
            return
        if opened is None:
            return
        handle, length = opened
        try:
            if length < _FOOTER:
                raise ValueError("not a store")
            handle.seek(length - _FOOTER)
            footer = handle.read(_FOOTER)
            size = int.from_bytes(footer[:8], "little")
            if not 0 < size <= min(MAX_INDEX, length - _FOOTER):
                raise ValueError("no index")
            handle.seek(length - _FOOTER - size)
            index = handle.read(size)
            if not hmac.compare_digest(footer[8:], self._index_mac(index)):
                raise ValueError("index not signed")
            form, lines, entries = marshal.loads(index)
            if form != FORMAT or not isinstance(lines, list) or not isinstance(entries, dict):
                raise ValueError("another format")
        except (OSError, ValueError, EOFError, TypeError):
            handle.close()
            return
        self._old, self._lines, self._entries = handle, lines, entries

    def _stored(self, key: str) -> tuple[bytes, tuple[int, ...], list[str], bytes] | None:
        """The stored bytes of ``key``, its parts' sizes, its reads' lines and its
        signature, when its reads hold today."""
        entry = self._entries.get(key)
        if entry is None or self._old is None:
            return None
        assert self.world is not None
        try:
            offset, sizes, mac, ids = entry
            lines = [self._lines[i] for i in ids]
            if not self.world.still_true(lines):
                return None
            self._old.seek(offset)
            data = self._old.read(sum(sizes))
            if not hmac.compare_digest(mac, self._piece_mac(key, sizes, data)):
                return None
        # A damaged entry or read is a piece made again (the index verified: rare).
        except (OSError, ValueError, TypeError, IndexError, KeyError, RecursionError):
            return None
        return data, sizes, lines, mac

    def _close_old(self) -> None:
        # Before the new store takes its name (Windows renames no open file).
        if self._old is not None:
            self._old.close()
            self._old = None
        self._entries, self._lines = {}, []

    # --- the new store -----------------------------------------------------------

    def _keep(self, key: str, data: bytes, sizes: tuple[int, ...], lines: list[str],
              mac: bytes = b"") -> None:
        """Append a piece (its parts' bytes, one after another, and their sizes) to
        the new store (``mac``: its signature, when it was checked against it;
        nothing is kept when the store cannot be written)."""
        if self._failed:
            return
        if self._new is None:
            try:
                assert self.path is not None
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, self._new_path = tempfile.mkstemp(prefix=f".{self.path.name}.",
                                                      dir=self.path.parent)
                self._new = os.fdopen(fd, "wb")
            except OSError:
                self._failed = True
                return
        ids = tuple(self._new_lines.setdefault(line, len(self._new_lines)) for line in lines)
        self._new_entries[key] = (self._offset, sizes, mac or self._piece_mac(key, sizes, data),
                                  ids)
        try:
            self._new.write(data)
        except OSError:
            self._discard()
            return
        self._offset += len(data)

    def _save(self) -> None:
        """The new store, indexed and signed, in the old one's place."""
        if self._new is None:
            return
        assert self.path is not None
        index = marshal.dumps((FORMAT, list(self._new_lines), self._new_entries), 4)
        try:
            self._new.write(index + len(index).to_bytes(8, "little") + self._index_mac(index))
            self._new.close()
            self._new = None
            os.replace(self._new_path, self.path)
            self._new_path = ""
        except OSError:
            self._discard()
        else:
            self._remove_leftovers()
        self._new_entries, self._new_lines = {}, {}

    def _remove_leftovers(self) -> None:
        """New stores a build left unfinished (killed, out of power) more than
        ``LEFTOVER_S`` ago: as big as the store; a newer one may be another build's."""
        assert self.path is not None
        now = time.time()
        for path in self.path.parent.glob(f".{self.path.name}.*"):
            with contextlib.suppress(OSError):
                if path.lstat().st_mtime < now - LEFTOVER_S:
                    path.unlink()

    def _discard(self) -> None:
        self._failed = True
        if self._new is not None:
            with contextlib.suppress(OSError):
                self._new.close()
            self._new = None
        if self._new_path:
            with contextlib.suppress(OSError):
                os.unlink(self._new_path)

    # --- signatures --------------------------------------------------------------

    def _piece_mac(self, key: str, sizes: tuple[int, ...], data: bytes) -> bytes:
        h = hashlib.blake2b(key=self.key or b"", digest_size=16, person=_PIECE_PERSON)
        h.update(key.encode() + b"\0" + ",".join(map(str, sizes)).encode() + b"\0")
        h.update(data)
        return h.digest()

    def _index_mac(self, index: bytes) -> bytes:
        h = hashlib.blake2b(key=self.key or b"", digest_size=32, person=_INDEX_PERSON)
        h.update(index)
        return h.digest()
