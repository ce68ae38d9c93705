"""Printable QR codes (SVG) for the short verification URL of each product.

A shopper scans the code on a label or a shelf and lands on the product page,
which shows the certificate status on the build date. Error correction level M
(15 %) survives a scuffed label; a module is 0.5 mm, so a typical code prints
about 2 cm wide, which phones read from a hand's distance.
"""

from __future__ import annotations

import io

import segno

#: Size of one module when printed.
MODULE_MM = 0.5
#: Quiet zone around the code, in modules (the QR standard's minimum is 4).
QUIET_ZONE = 4


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` (never a Micro QR: phones' cameras do not all read them)."""
    return segno.make(url, error="m", micro=False, boost_error=False)


def qr_svg(url: str, title: str, description: str) -> bytes:
    """A standalone SVG with a white background, printable at its real size (mm).

    ``title`` and ``description`` become the SVG's <title> and <desc>, which
    screen readers announce; segno escapes them.
    """
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", scale=MODULE_MM, unit="mm", border=QUIET_ZONE,
                      dark="#000", light="#fff", title=title, desc=description,
                      xmldecl=True, svgclass="ocop-qr", lineclass=None)
    return out.getvalue()
