"""Atom feed (RFC 4287) of newly certified products, newest certificate first.

Entries are the currently certified products with the latest certificate issue
dates. An entry's id names the product and its issue date, so a product that is
certified again (a new certificate after expiry) appears as a new entry.
Written with ``xml.etree`` (no feed library): the format is small and fixed.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from ..link.catalogue import Catalogue
from ..link.clock import VIETNAM
from ..plan.pages import Urls
from ..plan.urls import DataUrls
from ..render.formatting import date_vi
from ..source.records import Product
from .context import OutputContext
from .files import write_bytes

ATOM = "http://www.w3.org/2005/Atom"
#: Entries in the feed: the most recent certificates.
FEED_SIZE = 50
FEED_TITLE = "Sản phẩm OCOP mới được chứng nhận"


def newly_certified(catalogue: Catalogue, limit: int = FEED_SIZE) -> list[Product]:
    """Currently certified products, latest issue date first (ties by id), at most ``limit``."""
    certified = [p for p in catalogue.products.values() if p.status.certified]
    certified.sort(key=lambda p: p.id)
    certified.sort(key=lambda p: p.ocop.issued, reverse=True)
    return certified[:limit]


def _timestamp(day: dt.date) -> str:
    """Midnight in Vietnam on ``day``, as an RFC 3339 date-time."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=VIETNAM).isoformat()


def _tag_authority(site_url: str) -> str:
    return urlsplit(site_url).hostname or "localhost"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _summary(product: Product) -> str:
    p, r = product.producer, product.ocop
    number = f" số {r.certificate}" if r.certificate else ""
    return (f"Sản phẩm OCOP {r.stars} sao của {p.name}, {p.address.commune}, "
            f"{p.address.province}. Giấy chứng nhận{number} cấp ngày {date_vi(r.issued)} "
            f"theo quyết định {r.decision}, hiệu lực đến {date_vi(product.status.expires)}.")


def feed_xml(context: OutputContext, products: list[Product]) -> bytes:
    site = context.site_url
    catalogue = context.catalogue
    authority = _tag_authority(site)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "vi"})
    _sub(feed, "id", site + DataUrls.product_feed)
    title = FEED_TITLE + (f" – {context.site_name}" if context.site_name else "")
    _sub(feed, "title", title)
    _sub(feed, "subtitle", "Sản phẩm mới được công nhận OCOP, theo ngày cấp giấy chứng nhận.")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=site + DataUrls.product_feed)
    _sub(feed, "link", rel="alternate", type="text/html", href=site)
    # The newest certificate dates the feed: no wall clock, so builds reproduce.
    updated = products[0].ocop.issued if products else catalogue.build_date
    _sub(feed, "updated", _timestamp(updated))
    author = _sub(feed, "author")
    _sub(author, "name", context.site_name or "Danh mục sản phẩm OCOP")
    _sub(author, "uri", site)
    _sub(feed, "rights", f"Dữ liệu theo giấy phép {context.data_licence}")
    _sub(feed, "generator", "OCOP catalogue generator")
    for product in products:
        entry = _sub(feed, "entry")
        issued = product.ocop.issued
        _sub(entry, "id", f"tag:{authority},{issued.isoformat()}:ocop/{product.id}")
        _sub(entry, "title", f"{product.name} – OCOP {product.ocop.stars} sao")
        _sub(entry, "link", rel="alternate", type="text/html", href=site + Urls.product(product))
        _sub(entry, "published", _timestamp(issued))
        _sub(entry, "updated", _timestamp(issued))
        who = _sub(entry, "author")
        _sub(who, "name", product.producer.name)
        _sub(who, "uri", site + Urls.producer(product.producer))
        _sub(entry, "category", term=product.group.id, label=product.group.name)
        _sub(entry, "category", term=f"ocop-{product.ocop.stars}-sao",
             label=f"OCOP {product.ocop.stars} sao")
        _sub(entry, "summary", _summary(product), type="text")
    ET.indent(feed)
    text = ET.tostring(feed, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")


def write(context: OutputContext) -> list[str]:
    data = feed_xml(context, newly_certified(context.catalogue))
    return [write_bytes(context, DataUrls.product_feed, data)]
