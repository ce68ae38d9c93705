"""How numbers, dates and addresses are written for Vietnamese readers."""

from __future__ import annotations

import datetime as dt

from ..source.records import Address

NBSP = "\u00a0"


def vnd(amount: int) -> str:
    """85000 → '85.000 ₫' (dot thousands separator, no-break space before ₫)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + f"{NBSP}₫"


def thousands(number: int) -> str:
    """12345 → '12.345'."""
    return f"{number:,}".replace(",", ".")


def date_vi(day: dt.date) -> str:
    """2024-05-12 → '12/05/2024'."""
    return day.strftime("%d/%m/%Y")


def address_line(address: Address | None) -> str:
    """'Street, Commune, Province' on one line ('' without an address)."""
    if address is None:
        return ""
    parts = [address.street, address.commune, address.province]
    return ", ".join(p for p in parts if p)
