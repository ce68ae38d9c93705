"""The digests a build's reuse check compares, made in forked children: every
record's (``World.take_digests``) and every planned page's spec (``page_keys``).

Once linked, a catalogue's records no longer change. After one edit of a national
catalogue the build's process made these digests one after the other (about a
second for 124,000 records, half a second for 70,600 specs) while its second core
sat idle through the planning and the photo step. Two children make them meanwhile:
one forked once the catalogue is linked (the records'), one once the pages are
planned (their specs', shared with the build). A forked child copies every page of
memory that it or the build writes to while it lives (reference counts, in
CPython): one child that planned the pages again and made both peaked a national
one-edit build at 886-902 MiB; two short-lived ones, each reading only what it
digests, cost less (history, fifteenth section). The build takes their answers
where they are this build's, and makes them itself otherwise (a child that failed
or could not start). Only where a child may fork (``workers.can_fork``: Linux, two
processes or more, no thread running), unless ``OCOP_DIGESTS_APART`` is 0.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from ..elsewhere import Elsewhere, answer
from ..link.catalogue import Catalogue
from ..workers import can_fork
from .page_cache import record_digests, spec_digests

#: What each child's job is called in its errors.
RECORDS = "the records' digests"
PAGES = "the pages' digests"
#: Seconds the build waits for each child at the reuse check (a national catalogue's
#: take about a second each, done by then): a child that hangs must not hold the build
#: up (two that hang: twice this).
WAIT = 120.0


@dataclass(frozen=True)
class Digests:
    """What the children made (None: what one did not give)."""

    #: ``record_digests`` of the catalogue: in ``World``'s order.
    records: list[str] | None
    #: Each planned page's URL -> its spec's digest (``spec_digests``).
    pages: dict[str, str] | None

    def of_pages(self, specs: Sequence[Any]) -> list[str] | None:
        """The digests of ``specs``, in their order; None unless the child digested
        exactly these pages."""
        if self.pages is None or len(specs) != len(self.pages) \
                or len({spec.url for spec in specs}) != len(specs):
            return None
        found = [self.pages.get(spec.url) for spec in specs]
        return None if None in found else found  # type: ignore[return-value]


def make_records(catalogue: Catalogue) -> list[str]:
    """The records' child's job: ``record_digests``."""
    return record_digests(catalogue)


def make_pages(specs: Sequence[Any]) -> dict[str, str]:
    """The pages' child's job: each page's URL -> its spec's digest."""
    return dict(zip((spec.url for spec in specs), spec_digests(specs), strict=True))


class Digesting:
    """The children at work: the records' forked at once, the pages' by ``planned``;
    ``answers`` waits for what they made."""

    def __init__(self, catalogue: Catalogue, workers: int) -> None:
        self.workers = workers
        self.records = _fork(_records_answer, (catalogue,), RECORDS, list)
        self.pages: Elsewhere | None = None
        #: Children ended for giving no answer within ``WAIT`` (said by ``answers``).
        self._unanswered: list[str] = []

    def planned(self, specs: Sequence[Any]) -> None:
        """Fork the pages' child, given the build's ``specs`` (if a child may fork),
        once the records' child has answered (waiting for it up to ``WAIT``; one that
        has not answered by then is ended, and its digests made by the build)."""
        # Never both at once: each keeps its copies of the build's memory while it
        # lives. In a national build after mkdocs.yml was edited, the records' child
        # had not answered when the pages were planned: both children were alive and
        # the summed PSS peaked at 1,092 MiB (06/12/2026). This process waits then:
        # the child shares two cores with it and the photo cache's look.
        if self.pages is not None or not can_fork(self.workers):
            self.collect()
            return
        if self.records is not None:
            self.records.collect(WAIT)
            if self.records.pending:
                # Ended now, not waited for again at the reuse check.
                self.records.close()
                self.records = None
                self._unanswered.append(RECORDS)
        self.pages = _fork(_pages_answer, (specs,), PAGES, dict)

    def collect(self) -> None:
        """Read what the children have given, without waiting (``Elsewhere.collect``):
        a child waits to send its answer (larger than a pipe holds) until it is read,
        and keeps its copies of the build's memory meanwhile."""
        for job in (self.records, self.pages):
            if job is not None:
                job.collect()

    def answers(self, said: Callable[[str], None]) -> Digests:
        """What each child made, each waited for at most ``WAIT`` seconds; why one
        gave nothing is ``said`` (the build then makes those digests itself)."""
        for what in self._unanswered:
            said(f"ocop: {what} gave no answer in {WAIT:g} s; they are made in this process")
        self._unanswered = []
        try:
            records = _taken(self.records, said)
            self.records = None
            pages = _taken(self.pages, said)
            self.pages = None
        finally:
            self.close()  # interrupted (Ctrl-C): the other child is ended too
        return Digests(records, pages)

    def close(self) -> None:
        """End the children unless their answers were taken (the build stopped)."""
        records, pages = self.records, self.pages
        self.records = self.pages = None
        try:
            if records is not None:
                records.close()
        finally:
            if pages is not None:
                pages.close()


def start(catalogue: Catalogue, workers: int) -> Digesting | None:
    """The records' child forked; None where none can be forked or
    ``OCOP_DIGESTS_APART`` is 0 (to measure a build without them)."""
    if os.environ.get("OCOP_DIGESTS_APART", "1") == "0" or not can_fork(workers):
        return None
    return Digesting(catalogue, workers)


def _fork(run: Callable[..., None], args: tuple[Any, ...], what: str,
          kind: type) -> Elsewhere | None:
    try:
        return Elsewhere(run, args, what, lambda found: isinstance(found, kind), method="fork")
    except OSError:
        return None


def _taken(job: Elsewhere | None, said: Callable[[str], None]) -> Any:
    if job is None:
        return None
    try:
        return job.result(WAIT)
    except OSError as error:  # an accelerator only: the reuse check makes them
        said(f"ocop: {error}; they are made in this process")
        return None


def _records_answer(catalogue: Catalogue, to: Connection) -> None:
    # The build's log handlers were inherited: its warnings are the build's to give
    # (MkDocs counts them for --strict), not a copy from the child.
    logging.disable(logging.CRITICAL)
    answer(make_records, (catalogue,), RECORDS, to)


def _pages_answer(specs: Sequence[Any], to: Connection) -> None:
    logging.disable(logging.CRITICAL)
    answer(make_pages, (specs,), PAGES, to)
