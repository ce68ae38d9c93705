"""Verification QR codes: a short stable URL per product and its printable QR code.

``q/<product-id>/`` is a tiny page that states the certificate status on the
build date (and, for a product certified more than once, every earlier
certificate) and forwards to the product page; ``q/<product-id>/qr.svg`` is the
QR code of that URL. The URL only depends on the product id, so a printed label
keeps working when pages move: only the forwarding page has to follow.
"""

from __future__ import annotations

import logging
from html import escape

from ..media.qr_codes import QrCodes, QrRequest
from ..plan.urls import Urls
from ..source.records import Product
from ..vietnamese import date_vi
from .context import OutputContext
from .files import write_bytes

log = logging.getLogger("mkdocs.plugins.ocop")


def status_sentence(product: Product) -> str:
    """The certificate claim a shopper may believe, in one sentence."""
    s, r = product.status, product.ocop
    if s.code == "valid":
        return (f"Sản phẩm OCOP {r.stars} sao, giấy chứng nhận còn hiệu lực đến "
                f"{date_vi(s.expires)}.")
    if s.code == "expiring":
        return (f"Sản phẩm OCOP {r.stars} sao, giấy chứng nhận sắp hết hạn: "
                f"{date_vi(s.expires)}.")
    if s.code == "revoked" and r.revoked is not None:
        return f"Giấy chứng nhận OCOP đã bị thu hồi ngày {date_vi(r.revoked.date)}."
    return f"Giấy chứng nhận OCOP đã hết hạn từ {date_vi(s.expires)}."


def history_items(product: Product) -> list[str]:
    """One sentence per certificate, newest first; [] for a product certified once."""
    if len(product.history) < 2:
        return []
    items = []
    for c in reversed(product.history):
        r = c.rating
        line = f"{r.stars} sao, cấp ngày {date_vi(r.issued)}, quyết định {r.decision}: "
        if c.state == "revoked" and r.revoked is not None:
            line += f"đã thu hồi ngày {date_vi(r.revoked.date)}."
        elif c.state == "current":
            line += "giấy chứng nhận hiện tại."
        elif c.state == "superseded":
            line += "được thay bằng lần công nhận sau."
        else:
            line += f"hết hạn ngày {date_vi(c.status.expires)}."
        items.append(line)
    return items


def verify_page(product: Product, site_url: str, build_date: str) -> str:
    """The forwarding page at the short URL (plain HTML: it must be tiny and instant)."""
    target = "../../" + Urls.product(product)
    name = escape(product.name)
    return (
        "<!doctype html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Kiểm tra chứng nhận OCOP: {name}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{escape(site_url + Urls.product(product))}">\n'
        f'<meta http-equiv="refresh" content="0; url={escape(target)}">\n'
        "</head>\n<body>\n<main>\n"
        f'<h1><a href="{escape(target)}">{name}</a></h1>\n'
        f"<p>{escape(status_sentence(product))} (Dữ liệu ngày {escape(build_date)}.)</p>\n"
        + _history_html(product)
        + "</main>\n</body>\n</html>\n"
    )


def _history_html(product: Product) -> str:
    items = history_items(product)
    if not items:
        return ""
    return ("<h2>Lịch sử chứng nhận</h2>\n<ol reversed>\n"
            + "".join(f"<li>{escape(item)}</li>\n" for item in items) + "</ol>\n")


def qr_request(product: Product, site_url: str) -> QrRequest:
    url = site_url + Urls.verify(product)
    return QrRequest(url, f"Mã QR kiểm tra chứng nhận OCOP: {product.name}",
                     f"Quét để mở {url}, trang sản phẩm {product.name} của "
                     f"{product.producer.name} với tình trạng giấy chứng nhận.")


def write(context: OutputContext) -> list[str]:
    catalogue = context.catalogue
    today = date_vi(catalogue.build_date)
    absolute = context.site_url.startswith(("https://", "http://"))
    if not absolute:
        log.warning("site_url is not set in mkdocs.yml: QR codes need an absolute address "
                    "and were not written")
    written = []
    codes = QrCodes(context.cache_dir, jobs=context.workers)
    requests = {p.id: qr_request(p, context.site_url) for p in catalogue.products_sorted}
    if absolute:
        codes.prepare(requests.values())
    for product in catalogue.products_sorted:
        written.append(write_bytes(context, Urls.verify(product) + "index.html",
                                   verify_page(product, context.site_url, today)
                                   .encode("utf-8")))
        if absolute:
            written.append(write_bytes(context, Urls.qr_svg(product),
                                       codes.svg(requests[product.id])))
    return written
