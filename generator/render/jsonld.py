"""schema.org JSON-LD of generated pages: Product, Organization, Store, Event.

Each page kind that describes one thing says so to search engines; the block is
built from the record and serialised so that data cannot break out of it.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..language import BY_CODE, VIETNAMESE, Language
from ..media.library import MediaLibrary
from ..plan.pages import PageSpec
from ..plan.urls import Urls
from ..source.records import Address, Fair, PointOfSale, Producer, Product

#: schema.org type of each point-of-sale kind (all are LocalBusiness/Store kinds).
SCHEMA_ORG_STORE: dict[str, str] = {
    "showroom": "Store",
    "supermarket": "GroceryStore",
    "shop": "Store",
    "market": "Store",
    "online": "OnlineStore",
}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Without empty values: schema.org validators flag empty strings and lists."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def postal_address(address: Address | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return _clean({
        "@type": "PostalAddress",
        "streetAddress": address.street,
        "addressLocality": address.commune,
        "addressRegion": address.province,
        "addressCountry": "VN",
    })


def organization(producer: Producer, url: str, lang: Language = VIETNAMESE) -> dict[str, Any]:
    c = producer.contacts
    return _clean({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": lang.text(producer, "name"),
        "url": url,
        "address": postal_address(producer.address),
        "telephone": c.phone,
        "email": c.email,
        "sameAs": [c.website] if c.website else None,
    })


def product(item: Product, url: str, image_urls: list[str],
            producer_url: str, lang: Language = VIETNAMESE) -> dict[str, Any] | None:
    """schema.org Product, for a product with a price: search engines refuse a Product
    without an offer (or reviews, which the catalogue has not), so none is made then."""
    if item.price is None:
        return None
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": lang.text(item, "name"),
        "url": url,
        "image": image_urls,
        "category": f"{lang.text(item.group, 'name')} › {lang.text(item.subgroup, 'name')}",
        "brand": {"@type": "Organization", "name": lang.text(item.producer, "name"),
                  "url": producer_url},
        "manufacturer": {"@type": "Organization", "name": lang.text(item.producer, "name"),
                         "address": postal_address(item.producer.address)},
    }
    if item.status.certified:
        data["award"] = lang.gettext("OCOP %(stars)s sao") % {"stars": item.ocop.stars}
    data["offers"] = {"@type": "Offer", "price": str(item.price.amount), "priceCurrency": "VND"}
    return _clean(data)


def store(pos: PointOfSale, url: str, lang: Language = VIETNAMESE) -> dict[str, Any]:
    """schema.org Store (GroceryStore, OnlineStore) of a point of sale."""
    c = pos.contacts
    geo = None
    if pos.location is not None:
        geo = {"@type": "GeoCoordinates", "latitude": pos.location.lat,
               "longitude": pos.location.lon}
    return _clean({
        "@context": "https://schema.org",
        "@type": SCHEMA_ORG_STORE[pos.kind],
        "name": lang.text(pos, "name"),
        "url": url,
        "address": postal_address(pos.address),
        "geo": geo,
        "telephone": c.phone,
        "email": c.email,
        "sameAs": [c.website] if c.website else None,
    })


def event(fair: Fair, url: str, lang: Language = VIETNAMESE) -> dict[str, Any]:
    """schema.org Event of a fair: all-day dates, an offline event at its venue."""
    return _clean({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": lang.text(fair, "name"),
        "url": url,
        "startDate": fair.starts.isoformat(),
        "endDate": fair.ends.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": fair.venue,
            "address": {"@type": "PostalAddress", "addressLocality": fair.city,
                        "addressCountry": "VN"},
        },
        "organizer": {"@type": "Organization", "name": fair.organiser} if fair.organiser else None,
        "sameAs": [fair.link] if fair.link else None,
    })


def page_data(spec: PageSpec, site_url: str, media: MediaLibrary | None
              ) -> dict[str, Any] | None:
    """The JSON-LD of a generated page (``site_url`` ends with '/'), or None: the
    thing the page is about, in the page's language, the page itself (with its
    language, ``inLanguage``) as its ``mainEntityOfPage``."""
    lang = BY_CODE[spec.language]
    site = site_url + lang.prefix  # links to pages in the same language
    data: dict[str, Any] | None = None
    if spec.kind == "product":
        item = spec.context["product"]
        images = [site_url + media.picture(p).src for p in item.photos] if media else []
        data = product(item, site + Urls.product(item), images,
                       site + Urls.producer(item.producer), lang)
    elif spec.kind == "producer":
        producer = spec.context["producer"]
        data = organization(producer, site + Urls.producer(producer), lang)
    elif spec.kind == "point-of-sale" and spec.context.get("pager_number", 1) == 1:
        pos = spec.context["pos"]
        data = store(pos, site + Urls.point_of_sale(pos), lang)
    elif spec.kind == "fair":
        fair = spec.context["fair"]
        data = event(fair, site + Urls.fair(fair), lang)
    if data is not None:
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": site_url + spec.url,
                                    "inLanguage": lang.code}
    return data


def script(data: dict[str, Any] | None) -> Markup:
    """A <script type="application/ld+json"> block that data cannot break out of."""
    if data is None:
        return Markup("")
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # '<', '>' and '&' escaped as JSON unicode escapes: no '</script>' can appear.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')
