"""The digests a build's reuse check compares, made in a forked child: every
record's (``World.take_digests``) and every planned page's spec (``page_keys``).

Once linked, a catalogue's records no longer change. After one edit of a national
catalogue the build's process made these digests one after the other (about a
second for 124,000 records, half a second for 70,600 specs) while its second core
sat idle through the photo step. A child forked once the pages are planned makes
both meanwhile (it planned them again before: about 1.2 s and, in a national
one-edit build, a peak of 942 MiB, the child's specs being its own memory); the
build takes them where they are this build's, and makes them itself otherwise (a
child that failed or could not start).
Only where a child may fork (``workers.can_fork``: Linux, two processes or more,
no thread running), unless ``OCOP_DIGESTS_APART`` is 0."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from ..elsewhere import Elsewhere, answer
from ..link.catalogue import Catalogue
from ..workers import can_fork
from .page_cache import record_digests, spec_digests

#: What the child's job is called in its errors.
WHAT = "the digests of the records and pages"
#: Seconds the build waits for them past the planning (a national catalogue's take
#: about 2 s): a child that hangs must not hold the build up.
WAIT = 120.0


@dataclass(frozen=True)
class Digests:
    """What the child made."""

    #: ``record_digests`` of the catalogue: in ``World``'s order.
    records: list[str]
    #: Each planned page's URL -> its spec's digest (``spec_digests``).
    pages: dict[str, str]

    def of_pages(self, specs: Sequence[Any]) -> list[str] | None:
        """The digests of ``specs``, in their order; None unless the child planned
        exactly these pages."""
        if len(specs) != len(self.pages) or len({spec.url for spec in specs}) != len(specs):
            return None
        found = [self.pages.get(spec.url) for spec in specs]
        return None if None in found else found  # type: ignore[return-value]


def make(catalogue: Catalogue, specs: Sequence[Any]) -> Digests:
    """The digests of ``catalogue``'s records and of the pages ``specs`` plan."""
    return Digests(record_digests(catalogue),
                   dict(zip((spec.url for spec in specs), spec_digests(specs), strict=True)))


def start(catalogue: Catalogue, specs: Sequence[Any], workers: int) -> Elsewhere | None:
    """``make`` in a forked child; None where none can be forked, it will not start
    or ``OCOP_DIGESTS_APART`` is 0 (to measure a build without it)."""
    if os.environ.get("OCOP_DIGESTS_APART", "1") == "0" or not can_fork(workers):
        return None
    try:
        return Elsewhere(_answer, (catalogue, specs), WHAT,
                         lambda found: isinstance(found, Digests), method="fork")
    except OSError:
        return None


def _answer(catalogue: Catalogue, specs: Sequence[Any], to: Connection) -> None:
    # The build's log handlers were inherited: its warnings are the build's to give
    # (MkDocs counts them for --strict), not a copy from the child.
    logging.disable(logging.CRITICAL)
    answer(make, (catalogue, specs), WHAT, to)
