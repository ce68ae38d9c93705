"""schema.org JSON-LD for product, producer and other pages."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..source.records import Producer, Product


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _address(producer: Producer) -> dict[str, Any]:
    a = producer.address
    return _clean({
        "@type": "PostalAddress",
        "streetAddress": a.street,
        "addressLocality": a.commune,
        "addressRegion": a.province,
        "addressCountry": "VN",
    })


def organization(producer: Producer, url: str) -> dict[str, Any]:
    c = producer.contacts
    return _clean({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": producer.name,
        "url": url,
        "address": _address(producer),
        "telephone": c.phone,
        "email": c.email,
        "sameAs": [c.website] if c.website else None,
    })


def product(item: Product, url: str, image_urls: list[str], producer_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": item.name,
        "url": url,
        "image": image_urls,
        "category": f"{item.group.name} › {item.subgroup.name}",
        "brand": {"@type": "Organization", "name": item.producer.name, "url": producer_url},
        "manufacturer": {"@type": "Organization", "name": item.producer.name,
                         "address": _address(item.producer)},
    }
    if item.status.certified:
        data["award"] = f"OCOP {item.ocop.stars} sao"
    if item.price is not None:
        data["offers"] = {"@type": "Offer", "price": str(item.price.amount),
                          "priceCurrency": "VND"}
    return _clean(data)


def script(data: dict[str, Any]) -> Markup:
    """A <script type="application/ld+json"> block that data cannot break out of."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # '<', '>' and '&' escaped as JSON unicode escapes: no '</script>' can appear.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')
