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

from ..language import N_, VIETNAMESE, Language
from ..link.fairs import FAIR_PHASE_LABELS, fair_phase, fair_schedule
from ..plan.urls import Urls
from ..render.sanitize import render_markdown
from ..source.records import Fair
from .atom import document, feed_element, sub, timestamp
from .context import OutputContext
from .files import write_bytes

FEED_LIMIT = 50
FEED_TITLE = N_("Hội chợ, triển lãm OCOP")
AUTHOR = N_("Danh mục sản phẩm OCOP")


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


def _summary(fair: Fair, lang: Language) -> str:
    _ = lang.gettext
    parts = [f"{lang.date(fair.starts)} – {lang.date(fair.ends)}", f"{fair.venue}, {fair.city}"]
    if fair.organiser:
        parts.append(_("Đơn vị tổ chức: %(organiser)s") % {"organiser": fair.organiser})
    if fair.exhibitors:
        parts.append(_("%(count)s chủ thể OCOP tham gia") % {"count": len(fair.exhibitors)})
    return " · ".join(parts)


def feed(fairs: list[Fair], site_url: str, today: dt.date,
         lang: Language = VIETNAMESE) -> bytes:
    """The Atom document as UTF-8 bytes, in ``lang`` (links to its pages and files)."""
    _, prefix = lang.gettext, lang.prefix
    updated = timestamp(today)
    root = feed_element()
    if prefix:
        root.set("xml:lang", lang.code)
    sub(root, "id", _id(site_url, prefix + Urls.fair_feed))
    sub(root, "title", _(FEED_TITLE))
    sub(root, "subtitle", _("Hội chợ, triển lãm có sản phẩm OCOP: sắp diễn ra và đã diễn ra."))
    sub(root, "updated", updated)
    sub(root, "link", rel="self", type="application/atom+xml",
         href=_link(site_url, prefix + Urls.fair_feed))
    sub(root, "link", rel="alternate", type="text/html",
         href=_link(site_url, prefix + Urls.fairs()))
    author = sub(root, "author")
    sub(author, "name", _(AUTHOR))
    for fair in feed_fairs(fairs, today):
        entry = sub(root, "entry")
        sub(entry, "id", _id(site_url, prefix + Urls.fair(fair)))
        sub(entry, "title", lang.text(fair, "name"))
        sub(entry, "updated", updated)
        sub(entry, "link", rel="alternate", type="text/html",
             href=_link(site_url, prefix + Urls.fair(fair)))
        sub(entry, "link", rel="related", type="text/calendar", title=_("Thêm vào lịch"),
             href=_link(site_url, prefix + Urls.fair_calendar(fair)))
        phase = fair_phase(fair, today)
        sub(entry, "category", term=phase, label=_(FAIR_PHASE_LABELS[phase]))
        sub(entry, "summary", _summary(fair, lang), type="text")
        if fair.description:
            # Sanitised HTML, the same as on the fair's page; ElementTree escapes it.
            sub(entry, "content", str(render_markdown(fair.description)), type="html")
    return document(root)


def write(context: OutputContext) -> list[str]:
    """The feed of each language, in the language's folder."""
    catalogue = context.catalogue
    return [write_bytes(context, lang.prefix + Urls.fair_feed,
                        feed(list(catalogue.fairs.values()), context.site_url,
                             catalogue.build_date, lang))
            for lang in context.languages]
