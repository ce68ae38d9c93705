"""Certificate status on the build date: a pure derivation from the rating."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ..language import N_

#: A certificate is valid for 36 months from its issue date (Decision 148/QĐ-TTg).
VALIDITY_MONTHS = 36
#: Products whose certificate ends within this many days are flagged.
EXPIRING_WITHIN_DAYS = 90

StatusCode = Literal["valid", "expiring", "expired", "revoked"]

LABELS: dict[str, str] = {
    "valid": N_("Còn hiệu lực"),
    "expiring": N_("Sắp hết hạn"),
    "expired": N_("Đã hết hạn"),
    "revoked": N_("Đã thu hồi"),
}
#: The badge of a product card, where "OCOP đã hết hạn" would not fit a phone's
#: two-column grid: "OCOP hết hạn", "OCOP thu hồi". Only statuses without stars.
CARD_LABELS: dict[str, str] = {"expired": N_("hết hạn"), "revoked": N_("thu hồi")}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (29/2 → 28/2)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class CertificateStatus:
    """What a visitor should believe about a product's OCOP claim today."""

    code: StatusCode
    expires: dt.date
    # No count of days left: it changes every day, and a page showing a product
    # (a card, a listing) would then change every day with it. Pages that print the
    # count ask ``render.clock.Clock.days_until``, which notes that they show the date.

    @property
    def label(self) -> str:
        return LABELS[self.code]

    @property
    def certified(self) -> bool:
        """True when the star claim may be shown as a current certification."""
        return self.code in ("valid", "expiring")


def certificate_status(
    issued: dt.date,
    expires: dt.date | None,
    revoked_on: dt.date | None,
    today: dt.date,
) -> CertificateStatus:
    """Status on ``today`` of a certificate issued on ``issued`` (3–5 stars: the
    schema refuses any other rating, which would certify nothing)."""
    end = expires or add_months(issued, VALIDITY_MONTHS)
    days_left = (end - today).days
    if revoked_on is not None and revoked_on <= today:
        return CertificateStatus("revoked", end)
    if days_left < 0:
        return CertificateStatus("expired", end)
    if days_left <= EXPIRING_WITHIN_DAYS:
        return CertificateStatus("expiring", end)
    return CertificateStatus("valid", end)
