"""Places: the communes (and provinces) of the producers, named by slug.

Commune pages are ``dia-phuong/<commune-province-slug>/`` and province pages
``dia-phuong/tinh/<province-slug>/``. A commune of the official list is one
place under its official name; the eight pairs of official communes whose names
differ only in accents (Xã Sơn Hà, Xã Sơn Hạ) have their official code in the
slug, so both have a page and neither slug changes when the other gains a
producer. For names not in the list, the linker checks that two spellings of one
place cannot collide on a slug.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..source.records import Address, Producer, Product
from ..vietnamese import slugify, sorted_vi


def place_slug(address: Address) -> str:
    """'xa-o-lam-an-giang'; 'xa-son-ha-quang-ngai-21289' for a commune with a twin."""
    slug = slugify(f"{address.commune} {address.province}")
    official = address.official_commune
    return f"{slug}-{official.code}" if official is not None and official.has_twin else slug


def province_slug(province: str) -> str:
    return slugify(province)


@dataclass(frozen=True)
class Place:
    """A commune or ward (current administrative unit) with its products."""

    slug: str
    commune: str
    province: str
    products: tuple[Product, ...]
    producers: tuple[Producer, ...]


@dataclass(frozen=True)
class Province:
    """A province or centrally-run city with its communes that have producers."""

    slug: str
    name: str
    #: Its communes and wards, in Vietnamese order.
    places: tuple[Place, ...]
    product_count: int
    producer_count: int


def index_places(products: Iterable[Product], producers: Iterable[Producer]
                 ) -> tuple[dict[str, Place], dict[str, Province]]:
    """Communes and provinces of the producers, in Vietnamese name order.

    ``products`` and ``producers`` come in name order; each producer's
    ``place_slug`` is set here.
    """
    by_place: dict[str, list[Product]] = defaultdict(list)
    for product in products:
        by_place[place_slug(product.producer.address)].append(product)
    producers_by_place: dict[str, list[Producer]] = defaultdict(list)
    for producer in producers:
        producer.place_slug = place_slug(producer.address)
        producers_by_place[producer.place_slug].append(producer)
    places = []
    for slug, members in producers_by_place.items():
        a = members[0].address
        places.append(Place(slug, a.commune, a.province, tuple(by_place.get(slug, ())),
                            tuple(members)))
    by_slug = {p.slug: p for p in sorted_vi(places, key=lambda p: p.commune)}
    by_province: dict[str, list[Place]] = defaultdict(list)
    for place in by_slug.values():
        by_province[province_slug(place.province)].append(place)
    provinces = [
        Province(slug, members[0].province, tuple(members),
                 sum(len(p.products) for p in members), sum(len(p.producers) for p in members))
        for slug, members in by_province.items()
    ]
    return by_slug, {p.slug: p for p in sorted_vi(provinces, key=lambda p: p.name)}
