"""Pages reach the build date only through the clock, which notes what they showed.

A page that read the date without it being noted would be reused the next day and
show yesterday's date or fairs (``test_page_cache`` checks whole builds across days).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import material

from generator import reads
from generator.link.catalogue import Catalogue
from generator.render.clock import Clock, facts
from generator.render.helpers import TradeHelpers
from generator.render.page_cache import fingerprint, watch_records
from generator.source.groups import ProductGroups

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 18)


def _fair(fair_id: str, starts: dt.date, ends: dt.date) -> SimpleNamespace:
    return SimpleNamespace(id=fair_id, starts=starts, ends=ends,
                           exhibitors=[SimpleNamespace(producer="p1", booth="A1")])


FAIRS = [_fair("past", dt.date(2026, 1, 1), dt.date(2026, 1, 3)),
         _fair("open", dt.date(2026, 11, 17), dt.date(2026, 11, 19)),
         _fair("next", dt.date(2027, 3, 10), dt.date(2027, 3, 14))]


def test_fairs_on_a_page_note_their_phases_not_the_date():
    product = SimpleNamespace(fairs=FAIRS, producer_id="p1")
    producer = SimpleNamespace(id="p1", products=[product])
    trade = TradeHelpers(Clock(TODAY))
    with reads.recording() as seen:
        shown = [a.fair.id for a in trade.product_fairs(product)]
        past = [a.fair.id for a in trade.producer_fairs(producer, True)]
    assert (shown, past) == (["open", "next"], ["past"])
    assert seen.facts == {("fair-phase", "past"): "past", ("fair-phase", "open"): "ongoing",
                          ("fair-phase", "next"): "upcoming"}


def test_the_date_or_a_count_of_days_notes_the_date():
    clock = Clock(TODAY)
    with reads.recording() as seen:
        assert clock.days_until(dt.date(2026, 12, 18)) == 30
    assert seen.facts == {("date",): "2026-11-18"}
    with reads.recording() as seen:
        assert clock.today == TODAY
    assert seen.facts == {("date",): "2026-11-18"}


def test_the_check_answers_what_the_clock_noted():
    catalogue = SimpleNamespace(fairs={f.id: f for f in FAIRS})
    answers = facts(catalogue, TODAY)  # type: ignore[arg-type]
    assert answers["date"]() == "2026-11-18"
    assert [answers["fair-phase"](f.id) for f in FAIRS] == ["past", "ongoing", "upcoming"]
    assert answers["fair-phase"]("gone") is None
    later = facts(catalogue, dt.date(2026, 11, 20))  # type: ignore[arg-type]
    assert [later["fair-phase"](f.id) for f in FAIRS] == ["past", "past", "upcoming"]


def test_templates_reach_the_date_only_through_the_clock():
    """No template reads a date from the page's context (ours had ``build_date``,
    gone; MkDocs gives ``build_date_utc`` and ``page.update_date``) or the clock's
    date without noting it. ``catalogue.build_date`` is allowed: reading it notes
    the date (``page_cache.FACT_FIELDS``)."""
    found = []
    folders = [ROOT / "theme", Path(material.__file__).parent / "templates"]
    for path in sorted(p for folder in folders for p in folder.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(?<![\w.])(build_date_utc|build_date)\b|\bupdate_date\b"
                                 r"|\bunnoted_today\b|\bocop_(clock|trade)\._", text):
            found.append(f"{path.name}: {match.group(0)}")
    assert found == []


def _catalogue(day: dt.date) -> Catalogue:
    return Catalogue(build_date=day, groups=ProductGroups(decision=""), producers={},
                     products={}, points_of_sale={}, fairs={})


def test_the_catalogue_date_is_noted_as_the_date_not_in_the_catalogue_digest():
    """Pages that read the catalogue (a group's listing counts its products) do not
    change with the date; one that reads the catalogue's date does."""
    assert fingerprint(_catalogue(TODAY)) == fingerprint(_catalogue(TODAY + dt.timedelta(1)))
    catalogue = _catalogue(TODAY)
    watch_records()
    try:
        with reads.recording() as counts:
            assert catalogue.products == {}
        with reads.recording() as dated:
            assert catalogue.build_date == TODAY
    finally:
        reads.unwatch()
    assert (list(counts.records.values()), counts.facts) == ([catalogue], {})
    assert (list(dated.records.values()), dated.facts) == ([catalogue], {("date",): "2026-11-18"})
