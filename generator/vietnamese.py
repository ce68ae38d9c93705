"""Vietnamese text rules, in one place: search folding, slugs, collation, and how
numbers, dates and addresses are written (OCOP-FACTS.md, "Text")."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

import icu

if TYPE_CHECKING:
    from .source.records import Address

T = TypeVar("T")

# đ/Đ have no Unicode decomposition, so NFD alone leaves them in place.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Lower-case text without tones or diacritics: 'Mắm Châu Đốc' → 'mam chau doc'.

    Works the same on NFC and NFD input.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold()


def slugify(text: str) -> str:
    """URL slug from Vietnamese text: 'Đường thốt nốt' → 'duong-thot-not'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@lru_cache(maxsize=1)
def _collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale("vi_VN"))


def sort_key(text: str) -> bytes:
    """Vietnamese collation key (ICU 'vi'): Đ after D, a < ă < â, base letters before tones."""
    return bytes(_collator().getSortKey(unicodedata.normalize("NFC", text)))


def sorted_vi(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """Items in Vietnamese alphabetical order of ``key(item)``."""
    return sorted(items, key=lambda item: sort_key(key(item)))


# Latin text (Vietnamese included) decomposes to ASCII plus these marks, all of
# combining class ≠ 0 (U+034F, the one exception in the block, is left out).
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")


def fast_fold(text: str) -> str:
    """``fold`` with a fast path for Latin script; the same result for any input.

    When decomposed text is ASCII once the Latin marks are gone, NFC leaves it
    alone and case folding is ``lower()``; anything else takes ``fold`` itself.
    """
    stripped = _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text.translate(_D_STROKE)))
    return stripped.lower() if stripped.isascii() else fold(text)


# --- how numbers, dates and addresses are written ------------------------------------

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
