"""Files the writers make, left as they are in a kept site while nothing they show changed.

Besides its pages, a national site has about 60,000 small files made one per
record: a verification page per product and language and its QR code
(``verify_pages``), a contact card per supplier (``vcards``). Making and comparing
them all again cost 7 s of a build after one edit. When ``ocop build`` writes into
the kept previous site (adapter/kept_site.py), each of these files is recorded in
the folder's manifest with

* its **key**: the build's settings (code, configuration, site URL, languages: the
  page cache's ``settings_key``), the file's path and the values the writer made it
  of (``page_cache.file_key``: records by identity, anything else by content);
* its **reads**: the records it opened and the facts it noted (the date, a photo),
  each with its digest, observed while it was made (``reads``), as for pages;
* its size and modification time as written.

A later build writing into that folder leaves a file where its key is the same,
every read gives the same digest today (the page cache's ``World``) and the file is
the one written (a regular file with no other link, of the same size and nanosecond
time); otherwise the writer makes it again. As with pages, the site is byte for byte
the one a clean build makes (tested).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .. import reads
from ..render.page_cache import World, file_key, read_lines, reads_list, watch_records
from ..written import FileEntry, Seen, as_written
from .context import OutputContext
from .files import write_bytes


class KeptFiles:
    """The writers' files of a build that keeps its site: those the folder already
    holds as this build would make them are left; the entries of all of them make
    the folder's next manifest."""

    def __init__(self, site_dir: Path, settings: str, before: Mapping[str, FileEntry],
                 world: World, seen: Seen | None = None) -> None:
        self.site_dir = os.fspath(site_dir)
        #: The folder's files as the safety walk saw them (``written.Seen``); each
        #: file written since must be told to it (``wrote``).
        self.seen = seen
        #: What every file depends on besides its inputs and reads (``settings_key``).
        self.settings = settings
        #: The folder's files as its manifest recorded them.
        self.before = before
        #: Today's answers to what the files read.
        self.world = world
        #: This build's files: site path -> entry.
        self.entries: dict[str, FileEntry] = {}
        #: How many files were left as they were.
        self.left = 0
        #: What ``_held`` found: site path -> (key, entry or None).
        self._answers: dict[str, tuple[str, FileEntry | None]] = {}
        self._watching = False

    def wrote(self, site_path: str) -> None:
        """Called for every file a writer writes: the walk's view of it is out of date
        (two writers of one path: the second's file is asked of the folder)."""
        if self.seen is not None:
            self.seen.mark(site_path)

    def holds(self, site_path: str, inputs: tuple[Any, ...]) -> bool:
        """Whether the folder holds ``site_path`` as made of ``inputs`` today."""
        return self._held(site_path, file_key(self.settings, site_path, inputs)) is not None

    def _held(self, site_path: str, key: str) -> FileEntry | None:
        """The entry of ``site_path`` when the folder holds it as made under ``key``
        today (answers kept: a writer may ask before it writes, as the QR codes do)."""
        answer = self._answers.get(site_path)
        if answer is not None and answer[0] == key:
            return answer[1]
        entry = self.before.get(site_path)
        found = None
        if entry is not None and entry[0] == key and self._reads_hold(entry[3]) and (
                as_written(os.path.join(self.site_dir, site_path), entry[1], entry[2])
                if self.seen is None else self.seen.as_written(site_path, entry[1], entry[2])):
            found = entry
        self._answers[site_path] = (key, found)
        return found

    def _reads_hold(self, lines: str) -> bool:
        try:
            return self.world.still_true(lines.split("\n") if lines else [])
        # A damaged manifest is a file made again, as a damaged page cache row is.
        except (ValueError, TypeError, IndexError, KeyError, RecursionError):
            return False

    def write(self, context: OutputContext, site_path: str, inputs: tuple[Any, ...],
              make: Callable[[], bytes | bytearray]) -> str:
        """Leave ``site_path`` if the folder holds it; else write what ``make`` makes
        of ``inputs``, noting what it reads. Only inside ``watching``."""
        if not self._watching:
            # Without it no record read is noted: a file would be left after an edit.
            raise RuntimeError("KeptFiles.write outside KeptFiles.watching()")
        key = file_key(self.settings, site_path, inputs)
        entry = self._held(site_path, key)
        if entry is not None:
            self.entries[site_path] = entry
            self.left += 1
            return site_path
        with reads.recording() as seen:
            data = make()
        write_bytes(context, site_path, data)
        try:
            st = os.lstat(os.path.join(self.site_dir, site_path))
        except OSError:
            return site_path  # no entry: the next build makes it again
        self.entries[site_path] = (key, st.st_size, st.st_mtime_ns,
                                   "\n".join(read_lines(reads_list(seen, self.world.digest_of))))
        return site_path

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        """Records note their readers inside the block (the writers outside it read
        every record with plain attribute access)."""
        watch_records()
        self._watching = True
        try:
            yield
        finally:
            self._watching = False
            reads.unwatch()


def write_made(context: OutputContext, site_path: str, inputs: tuple[Any, ...],
               make: Callable[[], bytes | bytearray]) -> str:
    """``write_bytes(context, site_path, make())``, unless the kept site holds the
    file already (``KeptFiles``; inside ``watched``)."""
    kept = context.kept_files
    if kept is None:
        return write_bytes(context, site_path, make())
    return kept.write(context, site_path, inputs, make)


def holds(context: OutputContext, site_path: str, inputs: tuple[Any, ...]) -> bool:
    """Whether ``write_made`` will leave ``site_path`` as it is."""
    return context.kept_files is not None and context.kept_files.holds(site_path, inputs)


@contextlib.contextmanager
def watched(context: OutputContext) -> Iterator[None]:
    """The block in which a writer calls ``write_made``."""
    if context.kept_files is None:
        yield
    else:
        with context.kept_files.watching():
            yield
