"""Reports for staff: ``ocop report expiring --within 90``.

Certificates last 36 months; staff need to know in time which producers to
remind to apply for re-assessment. The report lists, for the build date (so it
follows ``SOURCE_DATE_EPOCH`` too), every certified product whose certificate
ends within the given number of days, earliest first, each line pointing at the
file and line where the date comes from. With a certificate history only the
current certificate counts: a product renewed in time is not listed, one whose
certificate ended with no renewal is (``--include-expired``). The CSV is sorted
by province and commune, the way the office divides the reminders.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from ..link.catalogue import Catalogue
from ..source.problems import Position
from ..source.records import Product
from ..vietnamese import sorted_vi
from ..write.text_formats import csv_cell


@dataclass(frozen=True)
class ExpiringCertificate:
    """One product whose OCOP certificate ends soon (or has ended)."""

    product: Product
    expires: dt.date
    #: Days from the build date to expiry; negative once expired.
    days_left: int
    #: Where the expiry comes from: ``ocop.expires``, else ``ocop.issued`` (+ 36 months)
    #: (``certificates[2].expires`` … for a product with a history).
    position: Position


def expiring(catalogue: Catalogue, within_days: int,
             include_expired: bool = False) -> list[ExpiringCertificate]:
    """Certificates ending within ``within_days`` of the build date, earliest first.

    Revoked certificates and products below three stars (never certified) are
    left out; ended ones only with ``include_expired``.
    """
    out = []
    for product in catalogue.products.values():
        status = product.status
        if status.code == "revoked":
            continue
        days_left = (status.expires - catalogue.build_date).days
        if days_left > within_days or (days_left < 0 and not include_expired):
            continue
        field = "expires" if product.ocop.expires else "issued"
        out.append(ExpiringCertificate(product, status.expires, days_left,
                                       product.source.at(f"{product.ocop_path}.{field}")))
    return sorted(out, key=lambda e: (e.expires, e.product.id))


def _when(item: ExpiringCertificate) -> str:
    if item.days_left < 0:
        return (f"expired on {item.expires:%d/%m/%Y} ({-item.days_left} days ago), "
                "not renewed")
    return f"expires on {item.expires:%d/%m/%Y} ({item.days_left} days)"


def format_text(items: list[ExpiringCertificate], within_days: int, today: dt.date) -> str:
    """One line per certificate, ``path:line:col: ocop: …`` like other messages."""
    lines = []
    for item in items:
        p = item.product
        lines.append(f"{item.position}: {p.ocop_path}: {_when(item)}: {p.name} — {p.producer.name} "
                     f"({p.ocop.stars} stars, decision {p.ocop.decision})")
    lines.append(f"{len(items)} certificate(s) ending within {within_days} days of "
                 f"{today:%d/%m/%Y}")
    return "\n".join(lines)


def format_csv(items: list[ExpiringCertificate]) -> str:
    """The same list as CSV (UTF-8) for a spreadsheet, by province and commune."""
    def place(item: ExpiringCertificate) -> str:
        address = item.product.producer.address
        return f"{address.province}\n{address.commune}"

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180, as the exports
    writer.writerow(["province", "commune", "expires", "days_left", "status", "product_id",
                     "product", "producer_id", "producer", "stars", "decision", "phone",
                     "file"])
    # sorted_vi is stable: within a commune the earliest expiry stays first.
    for item in sorted_vi(items, key=place):
        p = item.product
        a = p.producer.address
        writer.writerow([csv_cell(a.province), csv_cell(a.commune), item.expires.isoformat(),
                         item.days_left, "expired" if item.days_left < 0 else "expiring",
                         p.id, csv_cell(p.name), p.producer.id, csv_cell(p.producer.name),
                         p.ocop.stars, csv_cell(p.ocop.decision),
                         csv_cell(p.producer.contacts.phone or ""), str(item.position)])
    return buf.getvalue()
