"""Verification QR codes: a short stable URL per product and its printable QR code.

``q/<product-id>/`` is a tiny page that states the certificate status on the
build date (and, for a product certified more than once, every earlier
certificate) and forwards to the product page; ``q/<product-id>/qr.svg`` is the
QR code of that URL. The URL only depends on the product id, so a printed label
keeps working when pages move: only the forwarding page has to follow.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from html import escape

from ..language import VIETNAMESE, Language
from ..media.qr_codes import FORMAT as QR_FORMAT
from ..media.qr_codes import QrCodes, QrRequest
from ..plan.urls import Urls
from ..render.clock import Clock
from ..source.record_cache import signing_key
from ..source.records import Product
from .context import OutputContext
from .kept_files import holds, watched, write_made

log = logging.getLogger("mkdocs.plugins.ocop")


def status_sentence(product: Product, lang: Language = VIETNAMESE) -> str:
    """The certificate claim a shopper may believe, in one sentence."""
    _, date = lang.gettext, lang.date
    s, r = product.status, product.ocop
    if s.code == "valid":
        return _("Sản phẩm OCOP %(stars)s sao, giấy chứng nhận còn hiệu lực đến %(date)s.") % {
            "stars": r.stars, "date": date(s.expires)}
    if s.code == "expiring":
        return _("Sản phẩm OCOP %(stars)s sao, giấy chứng nhận sắp hết hạn: %(date)s.") % {
            "stars": r.stars, "date": date(s.expires)}
    if s.code == "revoked" and r.revoked is not None:
        return _("Giấy chứng nhận OCOP đã bị thu hồi ngày %(date)s.") % {
            "date": date(r.revoked.date)}
    return _("Giấy chứng nhận OCOP đã hết hạn từ %(date)s.") % {"date": date(s.expires)}


def history_items(product: Product, lang: Language = VIETNAMESE) -> list[str]:
    """One sentence per certificate, newest first; [] for a product certified once."""
    if len(product.history) < 2:
        return []
    _, date = lang.gettext, lang.date
    items = []
    for c in reversed(product.history):
        r = c.rating
        line = _("%(stars)s sao, cấp ngày %(date)s, quyết định %(decision)s: ") % {
            "stars": r.stars, "date": date(r.issued), "decision": r.decision}
        if c.state == "revoked" and r.revoked is not None:
            line += _("đã thu hồi ngày %(date)s.") % {"date": date(r.revoked.date)}
        elif c.state == "current":
            line += _("giấy chứng nhận hiện tại.")
        elif c.state == "superseded":
            line += _("được thay bằng lần công nhận sau.")
        else:
            line += _("hết hạn ngày %(date)s.") % {"date": date(c.status.expires)}
        items.append(line)
    return items


def verify_page(product: Product, site_url: str, build_date: dt.date,
                lang: Language = VIETNAMESE, others: tuple[Language, ...] = ()) -> str:
    """The forwarding page at the short URL (plain HTML: it must be tiny and instant),
    in ``lang``. The default language's page, which the printed QR code opens, sends a
    browser set to another of the site's languages (``others``) to that language's
    product page; without scripts it forwards to its own and links the others."""
    _ = lang.gettext
    page = lang.prefix + Urls.product(product)
    up = "../../" + "../" * lang.prefix.count("/")  # from q/<id>/ to the site's root

    def product_page(language: Language) -> str:
        return escape(up + language.prefix + Urls.product(product))

    head = "".join(f'<link rel="alternate" hreflang="{o.code}" href="{product_page(o)}">\n'
                   for o in others)
    if others:
        # The browser's language, when it is one of the others: that language's page.
        routes = ", ".join(f'"{o.code}": "{product_page(o)}"' for o in others)
        head += ("<script>(function(){var r={" + routes + "},"
                 "l=(navigator.language||'').slice(0,2).toLowerCase();"
                 "if(r[l])location.replace(r[l]);})();</script>\n")
    # For a reader of another language whose browser did not say so, in that language.
    links = "".join(f'<p lang="{o.code}"><a href="{product_page(o)}" hreflang="{o.code}">'
                    f"{escape(_view(o))} ({escape(o.name)})</a></p>\n" for o in others)
    target = up + page
    name = escape(lang.text(product, "name"))
    title = _("Kiểm tra chứng nhận OCOP: %(name)s") % {"name": lang.text(product, "name")}
    data_date = _("(Dữ liệu ngày %(date)s.)") % {"date": lang.date(build_date)}
    return (
        "<!doctype html>\n"
        f'<html lang="{lang.code}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{escape(site_url + page)}">\n'
        + head +
        f'<meta http-equiv="refresh" content="0; url={escape(target)}">\n'
        "</head>\n<body>\n<main>\n"
        f'<h1><a href="{escape(target)}">{name}</a></h1>\n'
        f"<p>{escape(status_sentence(product, lang))} {escape(data_date)}</p>\n"
        + _history_html(product, lang) + links
        + "</main>\n</body>\n</html>\n"
    )


def _view(lang: Language) -> str:
    """The link to the product page, in ``lang`` (outside an f-string: Babel reads it)."""
    return lang.gettext("Xem trang sản phẩm")


def _history_html(product: Product, lang: Language) -> str:
    items = history_items(product, lang)
    if not items:
        return ""
    return (f"<h2>{escape(lang.gettext('Lịch sử chứng nhận'))}</h2>\n<ol reversed>\n"
            + "".join(f"<li>{escape(item)}</li>\n" for item in items) + "</ol>\n")


def qr_request(product: Product, site_url: str) -> QrRequest:
    url = site_url + Urls.verify(product)
    return QrRequest(url, f"Mã QR kiểm tra chứng nhận OCOP: {product.name}",
                     f"Quét để mở {url}, trang sản phẩm {product.name} của "
                     f"{product.producer.name} với tình trạng giấy chứng nhận.")


def write(context: OutputContext) -> list[str]:
    catalogue = context.catalogue
    default, *others = context.languages
    absolute = context.site_url.startswith(("https://", "http://"))
    if not absolute:
        log.warning("site_url is not set in mkdocs.yml: QR codes need an absolute address "
                    "and were not written")
    written = []
    codes = QrCodes(context.cache_dir, jobs=context.workers, secret=(
        signing_key(context.layout.root) if context.cache_dir and context.layout else None))
    requests = {p.id: qr_request(p, context.site_url) for p in catalogue.products_sorted}
    # The pages note the date, not the catalogue they would read it from (whose digest
    # changes with any product added, certified or renamed).
    clock = Clock(catalogue.build_date)
    with watched(context):
        if absolute:
            # Codes are made only for the files the kept site does not hold. A code is
            # made of its request and of how codes are drawn (``FORMAT``: segno's version).
            codes.prepare(requests.values(), [
                requests[p.id] for p in catalogue.products_sorted
                if not holds(context, Urls.qr_svg(p), (requests[p.id], QR_FORMAT))])
        for product in catalogue.products_sorted:
            written.append(write_made(
                context, Urls.verify(product) + "index.html", (product,),
                partial(_page_bytes, product, context.site_url, clock, default,
                        tuple(others))))
            for lang in others:
                written.append(write_made(
                    context, lang.prefix + Urls.verify(product) + "index.html", (product,),
                    partial(_page_bytes, product, context.site_url, clock, lang, ())))
            if absolute:
                request = requests[product.id]
                written.append(write_made(context, Urls.qr_svg(product), (request, QR_FORMAT),
                                          partial(codes.svg, request)))
    return written


def _page_bytes(product: Product, site_url: str, clock: Clock, lang: Language,
                others: tuple[Language, ...]) -> bytes:
    # The date is read here, while the page's reads are noted (write/kept_files.py).
    return verify_page(product, site_url, clock.today, lang, others).encode("utf-8")
