"""Worker processes, for every pool of the build: loading, rendering, photos, QR codes.

How many: ``OCOP_WORKERS`` (or the plugin's ``workers`` option), by default one
per CPU this process may run on. How they start: ``fork`` on Linux, where a
child inherits the loaded catalogue for free; ``spawn`` elsewhere (Windows has
no fork, and macOS' is unsafe), where each pool's work is passed by argument or
re-loaded. ``OCOP_START_METHOD=spawn`` forces spawn on Linux too (the test
suite does, to prove both give the same site). A worker that dies (killed by
the system for lack of memory) stops the build with ``WorkerDied``, never a hang.
When the system will not start a worker at all (no memory for another process, a
limit on processes), the work is done in this process instead, and the build says
so; the pages' workers do the same (``adapter/parallel.py``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from threading import Thread
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

START_METHODS = ("fork", "spawn")
#: How long a terminated worker is waited for before it is left to the system.
JOIN_SECONDS = 10

log = logging.getLogger("mkdocs.plugins.ocop")


class WorkerDied(RuntimeError):
    """A worker process ended without finishing its work."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"a worker process {what} stopped unexpectedly (the system may have ended it for "
            "lack of memory); build again with OCOP_WORKERS=1 to use one process")

    def __reduce__(self) -> tuple[type[WorkerDied], tuple[str]]:
        # Sent from a process to the build (adapter/write_step.py): made again of what
        # it names, not of its message.
        return (WorkerDied, (self.what,))


def cpu_count() -> int:
    """CPUs this process may use (respects CPU pinning in containers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows and macOS have no affinity call
        return os.cpu_count() or 1


def worker_count(configured: int = 0) -> int:
    """Processes to use: ``OCOP_WORKERS``, else ``configured`` (0: one per CPU)."""
    return max(1, int(os.environ.get("OCOP_WORKERS") or configured or cpu_count()))


def start_method() -> str:
    """``fork`` on Linux, ``spawn`` elsewhere; ``OCOP_START_METHOD`` overrides."""
    forced = os.environ.get("OCOP_START_METHOD", "")
    if forced:
        if forced not in START_METHODS:
            raise ValueError(f"OCOP_START_METHOD must be one of {', '.join(START_METHODS)}; "
                             f"found {forced!r}")
        return forced
    return "fork" if sys.platform.startswith("linux") else "spawn"


def can_fork(workers: int) -> bool:
    """Whether a job may run in a forked child of this process beside it: ``fork`` is
    this build's start method, more than one process is allowed and no thread runs
    here (a fork copies none, and a lock one holds would stay held in the child)."""
    return workers > 1 and start_method() == "fork" and not threads_running()


def threads_running() -> bool:
    """Whether a thread besides this one runs in the process (``mkdocs serve``'s)."""
    return threading.active_count() > 1


def new_pool(workers: int, *, method: str | None = None,
             initializer: Callable[..., Any] | None = None,
             initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started with ``method`` (default
    ``start_method()``); pools whose work travels entirely by argument may ask
    for ``spawn`` everywhere. Callers turn ``BrokenProcessPool`` into ``WorkerDied``."""
    context = multiprocessing.get_context(method or start_method())
    return ProcessPoolExecutor(workers, mp_context=context, initializer=initializer,
                               initargs=initargs)


@dataclass
class Ending:
    """A pool told to finish the work it holds and stop (``end_pool``): its processes
    and its thread, which the pool no longer lists once told."""

    processes: list[Any]
    manager: Thread | None

    def wait(self) -> None:
        """Wait until the pool has stopped (its work done, its processes reaped), at
        most ``JOIN_SECONDS``: for a pool whose work is all done."""
        # The pool's thread reaps the processes once their work is done.
        if self.manager is not None and self.manager.is_alive():
            self.manager.join(timeout=JOIN_SECONDS)

    def stop(self) -> None:
        """End its processes at once and reap them."""
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.join(timeout=JOIN_SECONDS)
        # The pool's own thread reaps the processes too: two waits on one process race
        # (the loser sees no exit code yet). Once it has ended, every exit code is known.
        self.wait()


def _ending(pool: ProcessPoolExecutor) -> Ending:
    # Before shutdown forgets them; a broken pool has none left.
    return Ending(list((getattr(pool, "_processes", None) or {}).values()),
                  getattr(pool, "_executor_manager_thread", None))


def end_pool(pool: ProcessPoolExecutor) -> Ending:
    """Tell ``pool`` to finish the work it holds and stop, without waiting for it."""
    ending = _ending(pool)
    pool.shutdown(wait=False)
    return ending


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """End ``pool``'s processes at once, dropping its queued work, and reap them (a
    build under ``mkdocs serve`` may live for hours: no zombie left until it ends)."""
    ending = _ending(pool)
    pool.shutdown(wait=False, cancel_futures=True)
    ending.stop()


#: What Python raises when the system will not start a thread (on Linux a limit on
#: processes counts threads too).
NO_THREAD = "can't start new thread"


def refused(error: BaseException) -> bool:
    """Whether ``error`` is the system refusing a process or a thread (no memory for
    it, a limit on processes), not a fault of the work."""
    return isinstance(error, OSError) or (type(error) is RuntimeError
                                          and str(error) == NO_THREAD)


def start_pool(make: Callable[[], ProcessPoolExecutor],
               hand_out: Callable[[ProcessPoolExecutor], R],
               what: str) -> tuple[ProcessPoolExecutor, R] | None:
    """The pool ``make`` makes, and what ``hand_out`` gives once it has handed the
    pool its jobs (starting its processes: as each job is handed out, or all at the
    first). None when the system would not start a process or thread for it: those
    that did start are ended, the build says so, and the caller does the work itself.
    A worker that died raises ``WorkerDied``."""
    pool = None
    try:
        # A spawn pool may start multiprocessing's resource tracker as it is made.
        pool = make()
        return pool, hand_out(pool)
    except BaseException as error:
        if pool is not None:
            stop_pool(pool)
        if isinstance(error, BrokenProcessPool):
            raise WorkerDied(what) from None
        if not refused(error):
            raise
        # Not a warning: a strict build would stop at its end for it.
        log.info(f"ocop: worker processes for {what} could not start ({error}); "
                 "working in this process")
        return None


def map_in_pool(fn: Callable[[T], R], items: Iterable[T], workers: int, what: str, *,
                method: str | None = None, chunksize: int = 1) -> list[R]:
    """``[fn(item) for item in items]`` on ``workers`` processes, in order; in this
    process when the system will not start them (``fn`` must not mind being called
    again for an item: a worker that did start may have begun on it). A worker that
    dies raises ``WorkerDied``, whose message names the work (``what``)."""
    items = list(items)
    started = start_pool(lambda: new_pool(workers, method=method),
                         lambda pool: pool.map(fn, items, chunksize=chunksize), what)
    if started is None:
        return [fn(item) for item in items]
    pool, results = started
    try:
        return list(results)
    except BrokenProcessPool:
        raise WorkerDied(what) from None
    finally:
        # On an error or Ctrl-C, do not sit through the queued work first.
        pool.shutdown(wait=True, cancel_futures=True)
