"""A job run in a process of its own while the build goes on: the walk that makes a
kept site safe, the look at a big photo cache (spawned), the digests of a loaded
catalogue's records (forked: it inherits the catalogue).

A plain process and a pipe: no helper thread lives in the build's process meanwhile
(the loading may fork its workers, and a fork while threads run is unsafe). Such
jobs mostly wait on the disk, or work on what this process does not need yet; in a
thread their Python code waited on the interpreter lock the build holds.

A job that has finished holds its answer until it is read (it waits to send it
through the pipe), and the memory it made meanwhile with it: in a national one-edit
build, the walk's process held 97 MiB for five seconds and the digests' child
(forked) 340 MiB, beside the build's. The build takes answers as they come
(``take_finished``, between its stages), so that each process ends as soon as its
answer is read.
"""

from __future__ import annotations

import multiprocessing
import os
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

#: The jobs started whose answer is not yet taken (``take_finished``).
_running: weakref.WeakSet[Elsewhere] = weakref.WeakSet()
if hasattr(os, "register_at_fork"):  # a forked child's jobs are its parent's to take
    os.register_at_fork(after_in_child=_running.clear)


class Elsewhere:
    """``job(*args)`` in a process started by ``method`` (spawned: ``args`` are
    pickled; forked: inherited, on Linux only; ``run`` is a module-level function
    that calls ``answer`` with it, so that a test can replace the job); ``result``
    waits for its answer, or raises its OSError. ``what`` names the job in errors."""

    def __init__(self, run: Callable[..., None], args: tuple[Any, ...], what: str,
                 valid: Callable[[Any], bool], method: str = "spawn") -> None:
        self.what = what
        self._valid = valid
        #: The answer, once taken before ``result`` asked (``take_if_done``).
        self._taken: tuple[bool, Any] | None = None
        context = multiprocessing.get_context(method)
        self._answer, answer = context.Pipe(duplex=False)
        self._process = context.Process(target=run, args=(*args, answer),
                                        name="ocop-" + what.replace(" ", "-"), daemon=True)
        try:
            self._process.start()
        finally:
            answer.close()  # the child's end: once it is gone, a read ends
        _running.add(self)

    def close(self) -> None:
        """End the job unless its result was taken (the build stopped before it needed
        it): no process is left behind a long ``mkdocs serve``."""
        _running.discard(self)
        if not self._answer.closed:
            self._process.terminate()
            self._answer.close()
        self._process.join()

    def take_if_done(self) -> None:
        """Take the answer now if the job has given it, without waiting (its process
        then ends); ``result`` gives it."""
        if self._taken is None and not self._answer.closed and self._answer.poll():
            self._taken = self._receive(None)

    def _receive(self, timeout: float | None) -> tuple[bool, Any]:
        """Whether the job answered within ``timeout`` seconds (None: however long it
        takes), and its answer (None if it ended without one); the pipe is closed."""
        _running.discard(self)
        try:
            answered = timeout is None or self._answer.poll(timeout)
            return answered, self._answer.recv() if answered else None
        except Exception:  # ended, or an answer that does not unpickle
            return True, None
        except BaseException:  # Ctrl-C here only: do not wait for the job
            self._process.terminate()
            self._process.join()
            raise
        finally:
            self._answer.close()

    def result(self, timeout: float | None = None) -> Any:
        """The job's answer; an OSError if it gives none within ``timeout`` seconds
        (None: however long it takes), and then the job is ended."""
        taken, self._taken = self._taken, None
        answered, found = taken if taken is not None else self._receive(timeout)
        if not answered:
            self._process.terminate()
        self._process.join()
        if not answered:
            raise OSError(f"{self.what} gave no answer in {timeout:g} s")
        if isinstance(found, BaseException):
            raise found
        if not self._valid(found):
            raise OSError(f"{self.what} stopped (exit code {self._process.exitcode})")
        return found


def take_finished() -> None:
    """Take the answer of every job that has given it (``Elsewhere.take_if_done``):
    called between a build's stages, it lets each job's process end as soon as it
    is done rather than when the build needs its answer."""
    for job in list(_running):
        job.take_if_done()


def answer(job: Callable[..., Any], args: tuple[Any, ...], what: str,
           to: Connection) -> None:
    """In the job's process: its result, or its error as an OSError, through ``to``
    (an error that is a bug makes the build do without the job, never stop)."""
    try:
        result = job(*args)
    except OSError as exc:  # sent back as a plain OSError (of the same errno subclass)
        result = OSError(exc.errno, exc.strerror, exc.filename)
    except Exception as exc:
        result = OSError(f"{what} failed: {exc!r}")
    to.send(result)
    to.close()
