"""The write step: the writers' files (``write.WRITERS``), made after the pages in
the build's process or, when asked for (``OCOP_WRITERS_APART=1``: it costs memory,
see ``can_fork``), some of them in a forked process of their own while the build's
process writes the pages.

After one edit of a national catalogue the writers took 4.6 s of a 16.8 s build,
one after the other, while the build's second core sat idle; they need the
catalogue, the photos and the reuse check's answers, all in memory once the pages'
event (``on_env``) has run. Where ``ocop build`` writes the pages itself (it keeps
its site: the first build into an empty folder too), a child can inherit them (the
start method is ``fork``: Linux by default), more than one process is allowed and
nothing else runs in the build's process (no thread: a fork copies none, and a lock
held by one would stay held; so no page workers, whose pool has one), a child runs
every writer but ``AFTER_PAGES`` (the search index reads the hand-written pages
MkDocs writes meanwhile; the sitemap shares the work), one process itself (the QR
codes' workers are not started from it), while the build's process writes the pages
and then runs those. The child sends back what the build needs of its writers: the
site paths they wrote, the files a kept site holds for the next build
(``KeptFiles``), their times, their log lines (logged by the build's process, where
MkDocs counts the warnings a strict build stops for), which wrote a path MkDocs
writes too (run again here, after MkDocs) and their error, if any. What else a
child's writer leaves in memory is lost; its files in the cache folder stay.

By default, and wherever no child may fork (Windows, macOS,
``OCOP_START_METHOD=spawn``, ``mkdocs serve``'s threads, one worker, page workers
running), the writers run in the build's process, in the same order, after the
pages: the site is the same byte for byte (tested).
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import pickle
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from .. import reads
from ..workers import WorkerDied
from ..workers import can_fork as workers_can_fork
from ..write import OutputContext, Writer, search_files, sitemap
from ..write import photos as write_photos
from ..written import FileEntry

log = logging.getLogger("mkdocs.plugins.ocop")

#: Writers run in the build's process, after the pages: the search index reads the
#: hand-written pages MkDocs writes meanwhile; the sitemap, to share the work evenly
#: (after one edit of a national catalogue, the child's writers took 2.9 s and these
#: 2.2 s, with 0.9 s of pages written before them).
AFTER_PAGES: tuple[Writer, ...] = (search_files.write, sitemap.write)
#: What the child's writers are called in its errors.
_WHAT = "writing the site's files"


@dataclass
class Written:
    """What writers did, for the build: kept until the site is finished."""

    #: Site paths written (or left as they were), not the photos' (``photos.write``
    #: lists 160,000 of a national site; the media library lists them again).
    produced: set[str] = field(default_factory=set)
    #: Seconds each writer took, by name (the module's).
    timings: dict[str, float] = field(default_factory=dict)
    #: The child's ``KeptFiles``: entries, files left, paths written.
    kept: tuple[dict[str, FileEntry], int, list[str]] | None = None
    #: The child's log lines: logger, level, message.
    lines: list[tuple[str, int, str]] = field(default_factory=list)
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


def can_fork(workers: int) -> bool:
    """Whether a forked child may run writers (``workers.can_fork``): only when asked
    for (``OCOP_WRITERS_APART=1``). The child copies most of what it reads (reference
    counts): national one-edit builds peaked at 1,148-1,172 MiB with it and 807-809
    MiB without (issue 17's bar: 954 MiB), for about 2 s more (12.2 / 14.1 s against
    14.2 / 15.7 s, alternated; history, fifteenth section)."""
    return os.environ.get("OCOP_WRITERS_APART", "0") == "1" and workers_can_fork(workers)


class WritersApart:
    """``writers`` but ``AFTER_PAGES``, started now in a forked child (``can_fork``);
    ``finish`` runs those of ``AFTER_PAGES`` here and waits for the child."""

    def __init__(self, context: OutputContext, writers: Sequence[Writer],
                 mkdocs_paths: frozenset[str]) -> None:
        self.context = context
        self.writers = list(writers)
        fork = multiprocessing.get_context("fork")
        self._answer, answer = fork.Pipe(duplex=False)
        # One process: the child runs beside this one, and a daemon (ended with the
        # build, whatever ends it) may not start workers of its own.
        alone = dataclasses.replace(context, workers=1)
        self._process = fork.Process(target=_child,
                                     args=(alone, before_pages(self.writers), mkdocs_paths, answer),
                                     name="ocop-writers", daemon=True)
        try:
            self._process.start()
        except BaseException:
            self._answer.close()
            raise
        finally:
            answer.close()  # the child's end: once it is gone, a read ends

    def stop(self) -> None:
        """End the child at once (the build failed)."""
        if self._process.exitcode is None:
            self._process.terminate()
        self._process.join()
        self._answer.close()

    def finish(self) -> Written:
        """Run ``AFTER_PAGES`` here, then take the child's work (its log lines logged,
        its error raised); ``WorkerDied`` if it stopped without an answer."""
        written = Written()
        try:
            run(self.context, [w for w in self.writers if w in AFTER_PAGES], written)
            found = self._answer.recv()
        except EOFError:
            found = None
        except BaseException:
            self._process.terminate()  # an error here, or Ctrl-C: not its work
            raise
        finally:
            self._answer.close()
            self._process.join()
        if not isinstance(found, tuple) or len(found) != 2:
            raise WorkerDied(_WHAT)
        theirs, error = found
        for name, level, message in theirs.lines:
            logging.getLogger(name).log(level, "%s", message)
        if error is not None:
            raise error
        kept = self.context.kept_files
        if kept is not None and theirs.kept is not None:
            kept.adopt(*theirs.kept)
        written.timings = {**theirs.timings, **written.timings}
        written.produced |= theirs.produced
        # MkDocs writes its files meanwhile: where one of them is a writer's too (a
        # file put by hand at a writer's path), which of the two the site holds is a
        # race.
        _again(self.context, self.writers, theirs.clashed, written)
        return written


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
    the pages are written, while its reuse check runs in a child
    (``render/check_apart.py``); ``finish`` runs the others after the pages. Only
    where the build writes the pages itself (``writes_pages``: no other plugin sees
    a page), as for ``WritersApart``."""

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
    """The writers that need no page (a child's, ``BeforePages``'): all but
    ``AFTER_PAGES``, in order."""
    return [writer for writer in writers if writer not in AFTER_PAGES]


class _Lines(logging.Handler):
    """Keeps every log line instead of showing it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.name, record.levelno, record.getMessage()))


def _child(context: OutputContext, writers: list[Writer], mkdocs_paths: frozenset[str],
           to: Connection) -> None:
    """In the forked child: run the writers, send back what they did and any error."""
    # Every line ends with this handler (the build's handlers, MkDocs' warning count
    # among them, see them when the build logs them again).
    keep = _Lines()
    for logger in (logging.getLogger("mkdocs"), logging.getLogger("mkdocs.plugins.ocop")):
        logger.handlers, logger.propagate = [], True
    logging.getLogger().handlers = [keep]
    written, error = Written(), None
    reads.unwatch()  # the writers read every record: plain attribute access
    try:
        run(context, writers, written, mkdocs_paths)
    except Exception as exc:  # sent to the build, which raises it
        where = traceback.format_exc().rstrip()  # where, in this process
        error = exc if _travels(exc) else RuntimeError(f"{type(exc).__name__}: {exc}")
        error.add_note(where)
    kept = context.kept_files
    if kept is not None:
        written.kept = (kept.entries, kept.left, kept.written)
    written.lines = keep.lines
    try:
        to.send((written, error))
    except Exception as exc:  # what it did does not pickle: a bug, said as one
        to.send((Written(lines=keep.lines), RuntimeError(
            f"the writers' process could not send back what they did ({exc!r})")))
    to.close()


def _travels(error: Exception) -> bool:
    """Whether ``error`` is itself again once sent through a pipe (pickled)."""
    try:
        again = pickle.loads(pickle.dumps(error))
    except Exception:
        return False
    return type(again) is type(error) and str(again) == str(error)


def start(context: OutputContext, writers: Sequence[Writer],
          mkdocs_paths: frozenset[str]) -> WritersApart | None:
    """``WritersApart`` of ``context`` and ``writers`` (``mkdocs_paths``: the site paths
    MkDocs writes in this build), or None when the system will not start the child
    (the writers then run in this process)."""
    try:
        return WritersApart(context, writers, mkdocs_paths)
    except OSError as error:
        log.info(f"ocop: a worker process for {_WHAT} could not start ({error}); "
                 "working in this process")
        return None

