"""The build date as pages see it: what a page shows of it is noted.

A page that printed the date, or anything derived from it, had to be rendered again
the next day; one that did not could be reused. Before, the date was in every page's
key, so the first build of each day rendered every page (the daily build of a
national catalogue: 70,000 pages). Now templates reach the date only through a
``Clock``, which notes what the page asked (``reads.note``):

* ``today``: the date itself (``("date",)``): the page changes every day;
* ``days_until(day)``: a count of days, so the date too;
* ``fair_phase(fair)``: whether a fair is to come, open or over
  (``("fair-phase", id)``): the page changes on the days a phase does.

A certificate's status (valid, expiring, expired, revoked) is part of its product
record, whose digest the page cache keeps anyway. The plugin answers the same
questions for the page cache's check (``facts``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from .. import reads
from ..link.catalogue import Catalogue
from ..link.fairs import FairPhase, fair_phase
from ..source.records import Fair

#: The fact a page notes when it shows the date (``reads.note``); ``page_cache``
#: notes the catalogue's date under the same name.
DATE = "date"


class Clock:
    """The build date, noted where a page reads it."""

    def __init__(self, today: dt.date) -> None:
        self._today = today

    @property
    def today(self) -> dt.date:
        """The build date (the page shows it, or something that changes with it)."""
        reads.note((DATE,), self._today.isoformat())
        return self._today

    def days_until(self, day: dt.date) -> int:
        """Days from the build date to ``day`` (negative once past)."""
        return (day - self.today).days

    def fair_phase(self, fair: Fair) -> FairPhase:
        """Where ``fair`` stands on the build date."""
        phase = fair_phase(fair, self._today)
        reads.note(("fair-phase", fair.id), phase)
        return phase

    def unnoted_today(self) -> dt.date:
        """The date, for helpers that note what they derive from it themselves."""
        return self._today


def facts(catalogue: Catalogue, today: dt.date) -> Mapping[str, Callable[..., str | None]]:
    """Today's answers to what ``Clock`` notes, for the page cache's check."""
    def phase(fair_id: str) -> str | None:
        fair = catalogue.fairs.get(fair_id)
        return None if fair is None else fair_phase(fair, today)

    return {DATE: today.isoformat, "fair-phase": phase}
