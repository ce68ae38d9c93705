"""Atom feed (RFC 4287) of fairs: hoi-cho/feed.xml.

Built with ``atom`` (``xml.etree``).
Entries: fairs still to come, soonest first, then past fairs, latest first, at
most ``FEED_LIMIT`` so the file stays small at national scale. The feed is a
snapshot of the catalogue on the build date: every ``updated`` is midnight of
the build date in Vietnam, never the clock, so two builds are byte-identical.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from ..link.fairs import FAIR_PHASE_LABELS, fair_phase, fair_schedule
from ..plan.urls import Urls
from ..render.sanitize import render_markdown
from ..source.records import Fair
from .atom import document, feed_element, sub, timestamp
from .context import OutputContext
from .files import write_bytes

FEED_LIMIT = 50
FEED_TITLE = "Hội chợ, triển lãm OCOP"
AUTHOR = "Danh mục sản phẩm OCOP"


def _link(site_url: str, path: str) -> str:
    return site_url + path


def _id(site_url: str, path: str) -> str:
    """An absolute URL when the site has one, else a stable tag URI (RFC 4151)."""
    if urlsplit(site_url).scheme in ("http", "https"):
        return site_url + path
    return f"tag:ocop-catalogue,2026:{path}"


def feed_fairs(fairs: list[Fair], today: dt.date) -> list[Fair]:
    """The fairs the feed lists, in order."""
    schedule = fair_schedule(fairs, today)
    ordered = list(schedule.current)
    for year in schedule.past_by_year:
        ordered += year.fairs
    return ordered[:FEED_LIMIT]


def _summary(fair: Fair) -> str:
    parts = [f"{fair.starts:%d/%m/%Y} – {fair.ends:%d/%m/%Y}", f"{fair.venue}, {fair.city}"]
    if fair.organiser:
        parts.append(f"Đơn vị tổ chức: {fair.organiser}")
    if fair.exhibitors:
        parts.append(f"{len(fair.exhibitors)} chủ thể OCOP tham gia")
    return " · ".join(parts)


def feed(fairs: list[Fair], site_url: str, today: dt.date) -> bytes:
    """The Atom document as UTF-8 bytes."""
    updated = timestamp(today)
    root = feed_element()
    sub(root, "id", _id(site_url, Urls.fair_feed))
    sub(root, "title", FEED_TITLE)
    sub(root, "subtitle", "Hội chợ, triển lãm có sản phẩm OCOP: sắp diễn ra và đã diễn ra.")
    sub(root, "updated", updated)
    sub(root, "link", rel="self", type="application/atom+xml",
         href=_link(site_url, Urls.fair_feed))
    sub(root, "link", rel="alternate", type="text/html", href=_link(site_url, Urls.fairs()))
    author = sub(root, "author")
    sub(author, "name", AUTHOR)
    for fair in feed_fairs(fairs, today):
        entry = sub(root, "entry")
        sub(entry, "id", _id(site_url, Urls.fair(fair)))
        sub(entry, "title", fair.name)
        sub(entry, "updated", updated)
        sub(entry, "link", rel="alternate", type="text/html",
             href=_link(site_url, Urls.fair(fair)))
        sub(entry, "link", rel="related", type="text/calendar", title="Thêm vào lịch",
             href=_link(site_url, Urls.fair_calendar(fair)))
        phase = fair_phase(fair, today)
        sub(entry, "category", term=phase, label=FAIR_PHASE_LABELS[phase])
        sub(entry, "summary", _summary(fair), type="text")
        if fair.description:
            # Sanitised HTML, the same as on the fair's page; ElementTree escapes it.
            sub(entry, "content", str(render_markdown(fair.description)), type="html")
    return document(root)


def write(context: OutputContext) -> list[str]:
    catalogue = context.catalogue
    return [write_bytes(context, Urls.fair_feed,
                        feed(list(catalogue.fairs.values()), context.site_url,
                             catalogue.build_date))]
