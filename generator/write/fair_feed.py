"""Atom feed (RFC 4287) of fairs: hoi-cho/feed.xml.

Written with ``xml.etree`` (escaping is the library's job, no new dependency).
Entries: fairs still to come, soonest first, then past fairs, latest first, at
most ``FEED_LIMIT`` so the file stays small at national scale. The feed is a
snapshot of the catalogue on the build date: every ``updated`` is midnight of
the build date in Vietnam, never the clock, so two builds are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from ..link.clock import VIETNAM
from ..plan.pages import Urls
from ..plan.trade import FAIR_PHASE_LABELS, TradeUrls, fair_phase, fair_schedule
from ..render.markdown import render_markdown
from ..source.records import Fair
from .context import OutputContext

ATOM = "http://www.w3.org/2005/Atom"
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


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


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
    updated = dt.datetime.combine(today, dt.time(0), VIETNAM).isoformat()
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "vi"})
    _sub(root, "id", _id(site_url, TradeUrls.fair_feed()))
    _sub(root, "title", FEED_TITLE)
    _sub(root, "subtitle", "Hội chợ, triển lãm có sản phẩm OCOP: sắp diễn ra và đã diễn ra.")
    _sub(root, "updated", updated)
    _sub(root, "link", rel="self", type="application/atom+xml",
         href=_link(site_url, TradeUrls.fair_feed()))
    _sub(root, "link", rel="alternate", type="text/html", href=_link(site_url, TradeUrls.fairs()))
    author = _sub(root, "author")
    _sub(author, "name", AUTHOR)
    for fair in feed_fairs(fairs, today):
        entry = _sub(root, "entry")
        _sub(entry, "id", _id(site_url, Urls.fair(fair)))
        _sub(entry, "title", fair.name)
        _sub(entry, "updated", updated)
        _sub(entry, "link", rel="alternate", type="text/html",
             href=_link(site_url, Urls.fair(fair)))
        _sub(entry, "link", rel="related", type="text/calendar", title="Thêm vào lịch",
             href=_link(site_url, TradeUrls.fair_calendar(fair)))
        phase = fair_phase(fair, today)
        _sub(entry, "category", term=phase, label=FAIR_PHASE_LABELS[phase])
        _sub(entry, "summary", _summary(fair), type="text")
        if fair.description:
            # Sanitised HTML, the same as on the fair's page; ElementTree escapes it.
            _sub(entry, "content", str(render_markdown(fair.description)), type="html")
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def write(context: OutputContext) -> list[str]:
    catalogue = context.catalogue
    path = TradeUrls.fair_feed()
    target = Path(context.site_dir) / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(feed(list(catalogue.fairs.values()), context.site_url,
                            catalogue.build_date))
    return [path]
