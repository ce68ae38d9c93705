"""The page cache's scan (``PageCache.scan``) in a process of its own, while the
build's process runs the writers that need no page (``adapter/write_step.py``).

After one edit of a national catalogue the reuse check took 1.5-2.1 s and the
writers 2-3 s, one after the other in the build's process, while the second core
sat idle (CPU timeline, 06/12/2026). Most of the check is the scan: hashing the
183,000 lines the world lists and reading the 70,600 stored pages' rows. It needs
no record: a spawned process (on every system) is sent the pages' keys and the
listed lines, and answers with what it found (``Scan``); the build settles the few
reads that were not listed (``PageCache.settle``). Spawned, not forked: a forked
child would share the build's memory, and every page of it the build writes to
meanwhile (reference counts, while the writers read every record) would be copied;
so it was, 1,175 MiB at the peak of a national one-edit build, against 830. The
process is started before the keys are made, so that it has started by the time
they are sent. A process that fails, hangs or cannot start leaves the check to
the build, as before. Only for a site of ``MIN_PAGES`` pages or more, where more
than one process is allowed and ``ocop build`` writes the pages itself (no other
plugin sees a page), unless ``OCOP_CHECK_APART`` is 0.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from .page_cache import PageCache, Scan, open_read_only

#: What the process's job is called in what the build says.
WHAT = "the reuse check's scan"
#: Seconds the build waits for the answer (a national one-edit scan takes about one):
#: a process that hangs must not hold the build up.
WAIT = 120.0
#: Pages looked up before: when none is stored with its key, the build checks itself
#: (``World.listed`` is asked only when a stored page's key is this build's: after
#: mkdocs.yml was edited, its 183,000 lines held 26 MiB more at the build's peak).
SAMPLE = 32
#: Pages below which the build scans itself: starting a process costs about 0.3 s
#: of CPU, a scan of 5,000 pages about 0.1 s.
MIN_PAGES = 5_000


class Scanning:
    """The spawned process: ``send`` it what to scan, then ``collect`` or ``result``."""

    def __init__(self, path: Path, key: bytes) -> None:
        spawn = multiprocessing.get_context("spawn")
        self._conn, theirs = spawn.Pipe()
        self._process = spawn.Process(target=_serve, args=(path, key, theirs),
                                      name="ocop-reuse-check", daemon=True)
        try:
            self._process.start()
        except BaseException:
            self._conn.close()
            raise
        finally:
            theirs.close()  # the process's end: once it is gone, a read ends
        #: Whether the answer was read, and the answer (None: none came).
        self.answered = False
        self.scan: Scan | None = None

    def send(self, keys: Mapping[str, str], listed: Sequence[str]) -> bool:
        """Send the pages' keys (URL -> key) and the listed lines once the process says
        it is ready (waited for up to ``WAIT``: 25 MB nationally, more than a pipe
        holds, would wait for a process that never reads); False when it is not, or
        is gone (it is ended then)."""
        try:
            ready = multiprocessing.connection.wait([self._conn, self._process.sentinel],
                                                    WAIT)
            if self._conn not in ready or self._conn.recv() != _READY:
                raise OSError("not ready")
            self._conn.send((keys, listed))
        except (OSError, EOFError, ValueError):
            self.close()
            return False
        return True

    def collect(self, timeout: float = 0) -> None:
        """Read the answer if it has come, waiting at most ``timeout`` seconds."""
        if self.answered:
            return
        try:
            ready = self._conn.poll(timeout)
        except (OSError, ValueError):
            ready = True  # gone: the read below finds no answer
        if not ready:
            return
        found = None
        with contextlib.suppress(Exception):  # ended, or an answer that does not unpickle
            found = self._conn.recv()
        self.answered = True
        self.scan = found if isinstance(found, Scan) else None
        self.close()

    def result(self, said: Callable[[str], None]) -> Scan | None:
        """The answer, waited for up to ``WAIT``; None, and why ``said``, when none came
        (the build then checks itself)."""
        self.collect(WAIT)
        if not self.answered:
            said(f"ocop: {WHAT} gave no answer in {WAIT:g} s; checked in this process")
            self.close()
        elif self.scan is None:
            said(f"ocop: {WHAT} stopped without an answer; checked in this process")
        return self.scan

    def close(self) -> None:
        """End the process (its answer read, or not needed)."""
        self._conn.close()
        if self._process.exitcode is None:
            self._process.terminate()
        self._process.join()


def start(cache: PageCache | None, pages: int, workers: int) -> Scanning | None:
    """The process started, for a site of ``pages`` pages whose cache is ``cache``;
    None where the build scans itself (no cache, a small site, one process allowed,
    ``OCOP_CHECK_APART`` 0) or the process would not start."""
    if (cache is None or cache.path is None or pages < MIN_PAGES or workers < 2
            or os.environ.get("OCOP_CHECK_APART", "1") == "0"):
        return None
    try:
        return Scanning(cache.path, cache.key)
    except OSError:
        return None


#: What the process says once it has started.
_READY = b"ready"


def _serve(path: Path, key: bytes, conn: Connection) -> None:
    """In the process: say it is ready, wait for what to scan, scan it, answer."""
    logging.disable(logging.CRITICAL)  # what is said is the build's to say
    # Ctrl-C is the build's: it ends this process (``close``), with no traceback here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send(_READY)
        keys, listed = conn.recv()
    except (EOFError, OSError):
        return  # the build needed it no more
    db = None
    try:
        # Read only: the file is the build's (a file not ours is the build's to start
        # again, not this process's).
        db = open_read_only(path)
        found = None if db is None else PageCache(db, key, path).scan(keys, lambda: listed)
    except Exception:
        found = None  # the build checks itself
    finally:
        if db is not None:
            db.close()
    with contextlib.suppress(OSError):
        conn.send(found)
    conn.close()
