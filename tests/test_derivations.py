"""Pure derivations: folding, slugs, collation, money, dates, certificate status."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from generator.language import ENGLISH, VIETNAMESE
from generator.link.checks import stars_for_score
from generator.source.certificates import add_months, certificate_status
from generator.vietnamese import fold, slugify, sorted_vi


@pytest.mark.parametrize(("text", "folded"), [
    ("Mắm Châu Đốc", "mam chau doc"),
    ("MẮM CHÂU ĐỐC", "mam chau doc"),
    ("đặc sản", "dac san"),
    ("Đường thốt nốt", "duong thot not"),
    ("Ưu đãi Ơn", "uu dai on"),
])
def test_fold(text, folded):
    assert fold(text) == folded
    assert fold(unicodedata.normalize("NFD", text)) == folded


def test_slugify():
    assert slugify("Đường thốt nốt") == "duong-thot-not"
    assert slugify("  Xã Ô Lâm, An Giang ") == "xa-o-lam-an-giang"
    assert slugify(unicodedata.normalize("NFD", "Tương Tân Châu")) == "tuong-tan-chau"


def test_vietnamese_collation():
    words = ["Ếch", "Đường", "Dừa", "dưa", "Bánh", "Ăn", "Az", "An", "Âu"]
    assert sorted_vi(words, key=str) == ["An", "Az", "Ăn", "Âu", "Bánh", "dưa", "Dừa", "Đường",
                                         "Ếch"]


def test_prices_by_language():
    assert VIETNAMESE.price(85000) == "85.000\u00a0₫"
    assert VIETNAMESE.price(12345678) == "12.345.678\u00a0₫"
    assert VIETNAMESE.price(0) == "0\u00a0₫"
    assert ENGLISH.price(85000) == "VND\u00a085,000"


def test_dates_and_numbers_by_language():
    assert VIETNAMESE.date(dt.date(2024, 5, 2)) == "02/05/2024"
    assert ENGLISH.date(dt.date(2029, 5, 20)) == "20 May 2029"
    assert (VIETNAMESE.number(12345), ENGLISH.number(12345)) == ("12.345", "12,345")


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2024, 2, 29), 36) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(("issued", "revoked", "code", "days_left"), [
    (dt.date(2024, 5, 12), None, "valid", 175),
    (dt.date(2023, 12, 20), None, "expiring", 32),
    (dt.date(2023, 11, 18), None, "expiring", 0),
    (dt.date(2023, 11, 17), None, "expired", -1),
    (dt.date(2025, 1, 1), dt.date(2026, 1, 1), "revoked", 409),
    (dt.date(2025, 1, 1), dt.date(2027, 1, 1), "valid", 409),
])
def test_certificate_status(issued, revoked, code, days_left):
    today = dt.date(2026, 11, 18)
    status = certificate_status(issued, None, revoked, today)
    assert (status.code, (status.expires - today).days) == (code, days_left)
    assert status.certified == (code in ("valid", "expiring"))


def test_explicit_expiry_wins():
    status = certificate_status(dt.date(2024, 1, 1), dt.date(2025, 1, 1), None,
                                dt.date(2026, 11, 18))
    assert status.code == "expired"
    assert status.expires == dt.date(2025, 1, 1)


@pytest.mark.parametrize(("score", "stars"), [(100, 5), (90, 5), (89, 4), (70, 4), (69, 3),
                                              (50, 3), (49, 2), (30, 2), (29, 1), (0, 1)])
def test_stars_for_score(score, stars):
    assert stars_for_score(score) == stars
