"""iCalendar files (RFC 5545) of fairs: one per fair, one of all fairs to come.

Written by hand rather than with a library: the format is small, and owning it
keeps the output byte-stable (sorted, no wall-clock stamps) and dependency-free.
Tests parse the files back with the ``icalendar`` library.

What calendar apps need and get here:
* ``UID`` stable across builds (fair id @ site host), so a re-import updates
  the event instead of duplicating it;
* ``DTSTAMP`` from the build date (``SOURCE_DATE_EPOCH``), never the clock;
* all-day dates (``VALUE=DATE``) with an exclusive ``DTEND`` (the day after the
  fair ends), as Google Calendar and Apple Calendar expect;
* the Vietnam time zone as the calendar's zone (``X-WR-TIMEZONE`` and a
  ``VTIMEZONE`` for Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving);
* CRLF line ends, text escaped, lines folded at 75 octets on character bounds
  (``text_formats``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..language import N_, VIETNAMESE, Language
from ..link.clock import VIETNAM
from ..link.fairs import current_fairs
from ..plan.urls import Urls
from ..source.records import Fair
from .context import OutputContext
from .files import write_bytes
from .text_formats import escape_text, fold_line

PRODID = "-//OCOP catalogue//Hoi cho OCOP//VI"
TZID = "Asia/Ho_Chi_Minh"
CATEGORY = N_("Hội chợ OCOP")
#: Vietnam has kept UTC+7 without daylight saving since 1975.
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19750613T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0700",
    "TZNAME:ICT",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def stamp(build_date: dt.date) -> str:
    """DTSTAMP: midnight of the build date in Vietnam, as UTC."""
    moment = dt.datetime.combine(build_date, dt.time(0), VIETNAM).astimezone(dt.UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _host(site_url: str) -> str:
    return urlsplit(site_url).hostname or "ocop-catalogue.invalid"


def _absolute(site_url: str, path: str) -> str | None:
    return site_url + path if urlsplit(site_url).scheme in ("http", "https") else None


def event_lines(fair: Fair, site_url: str, build_date: dt.date,
                lang: Language = VIETNAMESE) -> list[str]:
    """The VEVENT of one fair (unfolded content lines), in ``lang``."""
    _ = lang.gettext
    page = _absolute(site_url, lang.prefix + Urls.fair(fair))
    details = [f"{lang.date(fair.starts)} – {lang.date(fair.ends)}, {fair.venue}, {fair.city}."]
    if fair.organiser:
        details.append(_("Đơn vị tổ chức: %(organiser)s.") % {"organiser": fair.organiser})
    if fair.exhibitors:
        details.append(_("%(count)s chủ thể OCOP tham gia.") % {"count": len(fair.exhibitors)})
    if page:
        details.append(_("Xem chi tiết: %(url)s") % {"url": page})
    if fair.description:
        details.append("")
        details.append(fair.description.strip())
    lines = [
        "BEGIN:VEVENT",
        f"UID:{fair.id}@{_host(site_url)}",
        f"DTSTAMP:{stamp(build_date)}",
        f"DTSTART;VALUE=DATE:{fair.starts:%Y%m%d}",
        f"DTEND;VALUE=DATE:{fair.ends + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(lang.text(fair, 'name'))}",
        f"LOCATION:{escape_text(f'{fair.venue}, {fair.city}')}",
        f"DESCRIPTION:{escape_text(chr(10).join(details))}",
        f"CATEGORIES:{escape_text(_(CATEGORY))}",
        "CLASS:PUBLIC",
        "STATUS:CONFIRMED",
        # An all-day fair should not mark the whole day busy.
        "TRANSP:TRANSPARENT",
    ]
    if page:
        lines.append(f"URL;VALUE=URI:{page}")
    lines.append("END:VEVENT")
    return lines


def calendar(fairs: Iterable[Fair], name: str, site_url: str, build_date: dt.date,
             refresh: bool = False, lang: Language = VIETNAMESE) -> bytes:
    """A whole VCALENDAR as bytes (UTF-8, CRLF, folded)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(name)}",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
    ]
    if refresh:
        # Subscribed calendars: ask apps to check for new fairs daily (RFC 7986).
        lines += ["REFRESH-INTERVAL;VALUE=DURATION:P1D", "X-PUBLISHED-TTL:P1D"]
    # The VTIMEZONE also keeps a calendar with no fair valid (one component at least).
    lines += VTIMEZONE
    for fair in fairs:
        lines += event_lines(fair, site_url, build_date, lang)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold_line(line) for line in lines) + "\r\n").encode("utf-8")


def write(context: OutputContext) -> list[str]:
    """One .ics per fair in its folder, and hoi-cho/sap-dien-ra.ics of fairs to come;
    for each language, in the language's folder."""
    catalogue = context.catalogue
    today = catalogue.build_date
    upcoming = current_fairs(catalogue.fairs.values(), today)
    written = []
    for lang in context.languages:
        for fair in catalogue.fairs.values():
            written.append(write_bytes(
                context, lang.prefix + Urls.fair_calendar(fair),
                calendar([fair], lang.text(fair, "name"), context.site_url, today, lang=lang)))
        written.append(write_bytes(
            context, lang.prefix + Urls.upcoming_calendar,
            calendar(upcoming, lang.gettext("Hội chợ OCOP sắp diễn ra"), context.site_url,
                     today, refresh=True, lang=lang)))
    return written
