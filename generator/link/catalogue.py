"""Link: one ``Catalogue`` resolves references, derives facts and builds indexes.

Everything a page needs is computed here, once per build, before anything is
rendered or written (the Pelican rule). Problems found while linking are
collected with the position of the offending field.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..source.admin_units import official_units
from ..source.groups import Category, ProductGroups
from ..source.load import LoadedRecords
from ..source.problems import Problems
from ..source.records import Fair, PointOfSale, Producer, Product
from ..vietnamese import sorted_vi
from .addresses import resolve_addresses
from .checks import check_location, check_place_names, check_product, check_trade_records
from .places import Place, Province, index_places
from .references import References, link_fair, link_point_of_sale

STAR_LEVELS = (3, 4, 5)


@dataclass
class Catalogue:
    """The whole linked catalogue on one build date."""

    build_date: dt.date
    groups: ProductGroups
    producers: dict[str, Producer]
    products: dict[str, Product]
    points_of_sale: dict[str, PointOfSale]
    fairs: dict[str, Fair]
    #: Products in Vietnamese name order.
    products_sorted: list[Product] = field(default_factory=list)
    producers_sorted: list[Producer] = field(default_factory=list)
    #: Currently certified products by star level (3, 4, 5).
    by_stars: dict[int, list[Product]] = field(default_factory=dict)
    #: Products by group id and by sub-group id.
    by_category: dict[str, list[Product]] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    #: Provinces of the producers by slug, in Vietnamese name order.
    provinces: dict[str, Province] = field(default_factory=dict)

    # --- figures (computed, never typed) ---------------------------------------
    def count_by_stars(self, certified_only: bool = True) -> dict[int, int]:
        counts = Counter(
            p.ocop.stars for p in self.products.values()
            if p.ocop.stars >= 3 and (p.status.certified or not certified_only)
        )
        return {stars: counts.get(stars, 0) for stars in STAR_LEVELS}

    def count_by_status(self) -> dict[str, int]:
        counts = Counter(p.status.code for p in self.products.values())
        return {code: counts.get(code, 0) for code in ("valid", "expiring", "expired", "revoked")}

    def count_by_group(self) -> list[tuple[Category, int]]:
        return [(g, len(self.by_category.get(g.id, []))) for g in self.groups.groups]

    def count_producers_by_type(self) -> dict[str, int]:
        counts = Counter(p.type for p in self.producers.values())
        order = ("cooperative", "cooperative_group", "enterprise", "household")
        return {kind: counts.get(kind, 0) for kind in order}


def link(loaded: LoadedRecords, today: dt.date, problems: Problems) -> Catalogue:
    """Resolve references and derive facts; problems are collected, never raised."""
    groups = loaded.groups
    for product in loaded.products.values():
        producer = loaded.producers.get(product.producer_id)
        if producer is None:
            continue  # its producer.yaml failed to load and was reported
        product.producer = producer
        producer.products.append(product)
        check_product(product, groups, today, problems)
    # Products without a producer or group cannot be placed on any page.
    products = {pid: p for pid, p in loaded.products.items()
                if p.producer is not None and p.subgroup is not None and p.status is not None}
    for producer in loaded.producers.values():
        producer.products = sorted_vi(
            (p for p in producer.products if p.id in products), key=lambda p: p.name)
        check_location(producer, problems)
    # Records that failed (their own problems are reported) are left out quietly.
    refs = References(products, loaded.producers,
                 loaded.unreadable | (loaded.products.keys() - products.keys()), problems)
    for pos in loaded.points_of_sale.values():
        link_point_of_sale(pos, refs, problems)
    fairs_by_date = sorted(loaded.fairs.values(), key=lambda f: (f.starts, f.id))
    for fair in fairs_by_date:
        link_fair(fair, refs, problems)
    check_trade_records(loaded, problems)
    resolve_addresses(
        [(r.address, r.source, "address") for r in loaded.producers.values()]
        + [(r.address, r.source, "address") for r in loaded.points_of_sale.values()
           if r.address is not None],
        official_units(), problems)

    catalogue = Catalogue(
        build_date=today,
        groups=groups,
        producers=loaded.producers,
        products=products,
        points_of_sale=loaded.points_of_sale,
        fairs={f.id: f for f in fairs_by_date},
    )
    check_place_names(catalogue.producers.values(), problems)
    _index(catalogue)
    return catalogue


def _index(catalogue: Catalogue) -> None:
    catalogue.products_sorted = sorted_vi(catalogue.products.values(), key=lambda p: p.name)
    catalogue.producers_sorted = sorted_vi(catalogue.producers.values(), key=lambda p: p.name)
    by_stars: dict[int, list[Product]] = {s: [] for s in STAR_LEVELS}
    by_category: dict[str, list[Product]] = defaultdict(list)
    for product in catalogue.products_sorted:
        if product.status.certified and product.ocop.stars in by_stars:
            by_stars[product.ocop.stars].append(product)
        by_category[product.group.id].append(product)
        by_category[product.subgroup.id].append(product)
    catalogue.by_stars = by_stars
    catalogue.by_category = dict(by_category)
    catalogue.places, catalogue.provinces = index_places(catalogue.products_sorted,
                                                         catalogue.producers_sorted)
