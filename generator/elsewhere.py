"""A job run in a process of its own while the build goes on: the walk that makes a
kept site safe, the look at a big photo cache (spawned), the digests of a loaded
catalogue's records and of its pages' specs (forked: they inherit them).

A plain process and a pipe: no helper thread lives in the build's process meanwhile
(the loading may fork its workers, and a fork while threads run is unsafe). Such
jobs mostly wait on the disk, or work on what this process does not need yet; in a
thread their Python code waited on the interpreter lock the build holds.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any


class Elsewhere:
    """``job(*args)`` in a process started by ``method`` (spawned: ``args`` are
    pickled; forked: inherited, on Linux only; ``run`` is a module-level function
    that calls ``answer`` with it, so that a test can replace the job); ``result``
    waits for its answer, or raises its OSError. ``what`` names the job in errors."""

    def __init__(self, run: Callable[..., None], args: tuple[Any, ...], what: str,
                 valid: Callable[[Any], bool], method: str = "spawn") -> None:
        self.what = what
        self._valid = valid
        #: Whether the job answered, and its answer, once read (``collect``), until
        #: ``result`` gives it.
        self._taken: tuple[bool, Any] | None = None
        context = multiprocessing.get_context(method)
        self._answer, answer = context.Pipe(duplex=False)
        self._process = context.Process(target=run, args=(*args, answer),
                                        name="ocop-" + what.replace(" ", "-"), daemon=True)
        try:
            self._process.start()
        finally:
            answer.close()  # the child's end: once it is gone, a read ends

    def close(self) -> None:
        """End the job unless its result was taken (the build stopped before it needed
        it): no process is left behind a long ``mkdocs serve``."""
        if not self._answer.closed:
            self._process.terminate()
            self._answer.close()
            self._process.join()

    def collect(self, timeout: float = 0) -> None:
        """Read the answer now if the job has given it, waiting at most ``timeout``
        seconds for it: a job whose answer is larger than a pipe holds (a national
        kept site's listing, the digests) waits with what it made until the answer is
        read, and ends then."""
        if self._taken is None and not self._answer.closed:
            try:
                ready = self._answer.poll(timeout)
            except Exception:
                return  # ``result`` tells
            if ready:
                self._taken = self._read(True)

    @property
    def pending(self) -> bool:
        """True while the job may still be at work: its answer not read, nor the job
        ended (``collect``, ``result``, ``close``)."""
        return self._taken is None and not self._answer.closed

    def result(self, timeout: float | None = None) -> Any:
        """The job's answer; an OSError if it gives none within ``timeout`` seconds
        (None: however long it takes), and then the job is ended."""
        taken, self._taken = self._taken, None
        if taken is None:
            try:
                answered = timeout is None or self._answer.poll(timeout)
            except Exception:
                answered = True  # a broken pipe: the read below finds no answer
            except BaseException:
                self._read(False)  # Ctrl-C here only: do not wait for the job
                raise
            taken = self._read(answered)
        answered, found = taken
        if not answered:
            raise OSError(f"{self.what} gave no answer in {timeout:g} s")
        if isinstance(found, BaseException):
            raise found
        if not self._valid(found):
            raise OSError(f"{self.what} stopped (exit code {self._process.exitcode})")
        return found

    def _read(self, answered: bool) -> tuple[bool, Any]:
        """The answer, read when ``answered`` (None if the job ended without one or it
        does not unpickle); the job is ended then (once it is read, it has ended)."""
        found = None
        try:
            if answered:
                found = self._answer.recv()
        except Exception:  # ended, or an answer that does not unpickle
            found = None
        except BaseException:
            answered = False  # Ctrl-C here only: do not wait for the job
            raise
        finally:
            if not answered:
                self._process.terminate()
            self._answer.close()
            self._process.join()
        return answered, found


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
