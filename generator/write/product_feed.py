"""Atom feed (RFC 4287) of newly certified products, newest certificate first.

Entries are the currently certified products with the latest certificate issue
dates. An entry's id names the product and its issue date, so a product that is
certified again (a new certificate after expiry) appears as a new entry.
Built with ``atom`` (``xml.etree``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..language import VIETNAMESE
from ..link.catalogue import Catalogue
from ..plan.urls import Urls
from ..source.records import Product
from .atom import document, feed_element, sub, timestamp
from .context import OutputContext
from .files import write_bytes

#: Entries in the feed: the most recent certificates.
FEED_SIZE = 50
FEED_TITLE = "Sản phẩm OCOP mới được chứng nhận"


def newly_certified(catalogue: Catalogue, limit: int = FEED_SIZE) -> list[Product]:
    """Currently certified products, latest issue date first (ties by id), at most ``limit``."""
    certified = [p for p in catalogue.products.values() if p.status.certified]
    certified.sort(key=lambda p: p.id)
    certified.sort(key=lambda p: p.ocop.issued, reverse=True)
    return certified[:limit]


def _tag_authority(site_url: str) -> str:
    return urlsplit(site_url).hostname or "localhost"


def _summary(product: Product) -> str:
    p, r = product.producer, product.ocop
    number = f" số {r.certificate}" if r.certificate else ""
    date = VIETNAMESE.date  # the feed is the Vietnamese open data's
    return (f"Sản phẩm OCOP {r.stars} sao của {p.name}, {p.address.commune}, "
            f"{p.address.province}. Giấy chứng nhận{number} cấp ngày {date(r.issued)} "
            f"theo quyết định {r.decision}, hiệu lực đến {date(product.status.expires)}.")


def feed_xml(context: OutputContext, products: list[Product]) -> bytes:
    site = context.site_url
    catalogue = context.catalogue
    authority = _tag_authority(site)
    feed = feed_element()
    sub(feed, "id", site + Urls.product_feed)
    title = FEED_TITLE + (f" – {context.site_name}" if context.site_name else "")
    sub(feed, "title", title)
    sub(feed, "subtitle", "Sản phẩm mới được công nhận OCOP, theo ngày cấp giấy chứng nhận.")
    sub(feed, "link", rel="self", type="application/atom+xml", href=site + Urls.product_feed)
    sub(feed, "link", rel="alternate", type="text/html", href=site)
    # The newest certificate dates the feed: no wall clock, so builds reproduce.
    updated = products[0].ocop.issued if products else catalogue.build_date
    sub(feed, "updated", timestamp(updated))
    author = sub(feed, "author")
    sub(author, "name", context.site_name or "Danh mục sản phẩm OCOP")
    sub(author, "uri", site)
    sub(feed, "rights", f"Dữ liệu theo giấy phép {context.data_licence}")
    sub(feed, "generator", "OCOP catalogue generator")
    for product in products:
        entry = sub(feed, "entry")
        issued = product.ocop.issued
        sub(entry, "id", f"tag:{authority},{issued.isoformat()}:ocop/{product.id}")
        sub(entry, "title", f"{product.name} – OCOP {product.ocop.stars} sao")
        sub(entry, "link", rel="alternate", type="text/html", href=site + Urls.product(product))
        sub(entry, "published", timestamp(issued))
        sub(entry, "updated", timestamp(issued))
        who = sub(entry, "author")
        sub(who, "name", product.producer.name)
        sub(who, "uri", site + Urls.producer(product.producer))
        sub(entry, "category", term=product.group.id, label=product.group.name)
        sub(entry, "category", term=f"ocop-{product.ocop.stars}-sao",
             label=f"OCOP {product.ocop.stars} sao")
        sub(entry, "summary", _summary(product), type="text")
    return document(feed)


def write(context: OutputContext) -> list[str]:
    data = feed_xml(context, newly_certified(context.catalogue))
    return [write_bytes(context, Urls.product_feed, data)]
