"""The write step: the writers' files (``write.WRITERS``), made in the build's
process after the pages or, while the reuse check's scan runs in a process of its
own (``render/check_apart.py``), most of them before the pages (``BeforePages``).

After one edit of a national catalogue the writers took 2-3 s of a 13 s build, one
after the other after the pages, while the build's second core sat idle. They need
the catalogue, the photos and the reuse check's world, all in memory once the
pages' event (``on_env``) has run; all but ``AFTER_PAGES`` (the search index reads
the hand-written pages MkDocs writes meanwhile; the sitemap lists the pages) need no
page. Where ``ocop build`` writes the pages itself (no other plugin sees a page) and
the scan runs apart, those run while it does. A writer that wrote a path MkDocs
writes too (a file put by hand at a writer's path) runs again after MkDocs, so that
the site is the one a build whose writers all run after the pages makes, byte for
byte (tested).

Tried before and removed (06/12/2026): most writers in a forked child while the
build wrote the pages (``OCOP_WRITERS_APART=1``, off by default). Reading every
record, the child copied most of the build's memory (reference counts): national
one-edit builds peaked at 1,148-1,172 MiB with it and 807-809 MiB without (issue
17's bar: 954 MiB; history, fifteenth section).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..write import OutputContext, Writer, search_files, sitemap
from ..write import photos as write_photos

log = logging.getLogger("mkdocs.plugins.ocop")

#: Writers run after the pages: the search index reads the hand-written pages MkDocs
#: writes meanwhile; the sitemap lists the pages.
AFTER_PAGES: tuple[Writer, ...] = (search_files.write, sitemap.write)


@dataclass
class Written:
    """What writers did, for the build: kept until the site is finished."""

    #: Site paths written (or left as they were), not the photos' (``photos.write``
    #: lists 160,000 of a national site; the media library lists them again).
    produced: set[str] = field(default_factory=set)
    #: Seconds each writer took, by name (the module's).
    timings: dict[str, float] = field(default_factory=dict)
    #: Writers (by name) that wrote a path MkDocs writes too in this build.
    clashed: list[str] = field(default_factory=list)


def run(context: OutputContext, writers: Sequence[Writer], written: Written,
        mkdocs_paths: frozenset[str] = frozenset()) -> None:
    """Run ``writers`` in this process, in order, noting what they wrote in ``written``
    (and which wrote one of ``mkdocs_paths``)."""
    for writer in writers:
        start = time.perf_counter()
        paths = writer(context)
        name = _name(writer)
        if mkdocs_paths and not mkdocs_paths.isdisjoint(paths):
            written.clashed.append(name)
        if writer is not write_photos.write:
            written.produced.update(paths)
        written.timings[name] = time.perf_counter() - start


def _name(writer: Writer) -> str:
    return writer.__module__.rsplit(".", 1)[-1]


def _again(context: OutputContext, writers: Sequence[Writer], clashed: list[str],
           written: Written) -> None:
    """Run again, here and last, the ``clashed`` writers (by name), which wrote a path
    MkDocs writes too before it did: the site holds the writer's file, as in a build
    whose writers all run after the pages. Then ``written``'s timings in ``writers``'
    order, as such a build times them."""
    again = [w for w in writers if _name(w) in clashed]
    for writer in again:
        log.info(f"ocop: {_name(writer)} wrote where MkDocs writes a file too: "
                 "written again after it")
    run(context, again, written)
    names = [_name(w) for w in writers]
    written.timings = {name: written.timings[name] for name in names
                       if name in written.timings}


@dataclass
class BeforePages:
    """Writers that need no page (``before_pages``) run in the build's process before
    the pages are written, while the reuse check's scan runs in a process of its own
    (``render/check_apart.py``); ``finish`` runs the others after the pages. Only
    where the build writes the pages itself (``writes_pages``: no other plugin sees
    a page)."""

    context: OutputContext
    #: The site paths MkDocs writes in this build (a writer that wrote one of them
    #: runs again after it).
    mkdocs_paths: frozenset[str]
    written: Written = field(default_factory=Written)
    #: The writers run so far, in order.
    ran: list[Writer] = field(default_factory=list)

    def run(self, writer: Writer) -> None:
        """Run ``writer`` now (the records unwatched: writers read every record)."""
        run(self.context, [writer], self.written, self.mkdocs_paths)
        self.ran.append(writer)

    def finish(self, writers: Sequence[Writer]) -> Written:
        """Run those of ``writers`` not run yet, in order, then the clashed again."""
        written = self.written
        run(self.context, [w for w in writers if w not in self.ran], written)
        _again(self.context, writers, written.clashed, written)
        return written


def before_pages(writers: Sequence[Writer]) -> list[Writer]:
    """The writers that need no page (``BeforePages``'): all but ``AFTER_PAGES``, in
    order."""
    return [writer for writer in writers if writer not in AFTER_PAGES]
