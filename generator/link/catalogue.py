"""Link: one ``Catalogue`` resolves references, derives facts and builds indexes.

Everything a page needs is computed here, once per build, before anything is
rendered or written (the Pelican rule). Problems found while linking are
collected with the position of the offending field.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..source.fields import Source
from ..source.groups import Category, ProductGroups
from ..source.load import LoadedRecords, SourceLayout, load_records
from ..source.problems import Problems
from ..source.records import Fair, PointOfSale, Producer, Product
from .certificates import certificate_status
from .checks import check_trade_records
from .text import slugify, sorted_vi

#: Rough bounding box of Vietnam, islands included.
VIETNAM_LAT = (8.0, 23.5)
VIETNAM_LON = (102.0, 117.5)

STAR_LEVELS = (3, 4, 5)


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


def _check_product(product: Product, groups: ProductGroups, today: dt.date,
                   problems: Problems) -> None:
    src = product.source
    category = groups.by_id.get(product.category)
    if category is None or category.parent is None:
        hint = (f"'{product.category}' is a group; give one of its sub-groups: "
                + ", ".join(c.id for c in groups.subgroups.get(product.category, []))
                if category else
                f"unknown product group '{product.category}'; see the list in "
                "generator/data/product-groups.yaml")
        problems.error(src.at("category"), "category", hint)
    else:
        product.subgroup = category
        product.group = groups.by_id[category.parent]
    rating = product.ocop
    if rating.expires and rating.expires <= rating.issued:
        problems.error(src.at("ocop.expires"), "ocop.expires",
                       "expiry date must be after the issue date")
    if rating.revoked and rating.revoked.date < rating.issued:
        problems.error(src.at("ocop.revoked.date"), "ocop.revoked.date",
                       "revocation date is before the issue date")
    if rating.issued > today:
        problems.error(src.at("ocop.issued"), "ocop.issued",
                       f"issue date {rating.issued:%d/%m/%Y} is after the build date")
    if rating.score is not None:
        expected = stars_for_score(rating.score)
        if expected != rating.stars:
            problems.warning(src.at("ocop.score"), "ocop.score",
                             f"a score of {rating.score} gives {expected} stars, "
                             f"not {rating.stars}")
    product.status = certificate_status(
        rating.stars, rating.issued, rating.expires,
        rating.revoked.date if rating.revoked else None, today,
    )
    if product.status.code == "expiring":
        problems.warning(src.at("ocop.issued"), "ocop",
                         f"certificate expires on {product.status.expires:%d/%m/%Y} "
                         f"({product.status.days_left} days)")


def stars_for_score(score: int) -> int:
    """OCOP stars for a score out of 100 (Decision 148/QĐ-TTg thresholds)."""
    for stars, low in ((5, 90), (4, 70), (3, 50), (2, 30)):
        if score >= low:
            return stars
    return 1


def _check_location(record: Producer | PointOfSale, problems: Problems) -> None:
    loc = record.location
    if loc is None:
        return
    if not (VIETNAM_LAT[0] <= loc.lat <= VIETNAM_LAT[1]
            and VIETNAM_LON[0] <= loc.lon <= VIETNAM_LON[1]):
        problems.error(record.source.at("location"), "location",
                       f"coordinates {loc.lat:g}, {loc.lon:g} are outside Vietnam "
                       f"(latitude {VIETNAM_LAT[0]:g}–{VIETNAM_LAT[1]:g}, longitude "
                       f"{VIETNAM_LON[0]:g}–{VIETNAM_LON[1]:g}); are lat and lon swapped?")


@dataclass
class _Refs:
    """Resolves ids written in points of sale and fairs to linked records."""

    products: dict[str, Product]
    producers: dict[str, Producer]
    #: Ids whose own file has a reported problem: no second "unknown" error.
    reported: set[str]
    problems: Problems

    def product(self, product_id: str, source: Source, where: str) -> Product | None:
        product = self.products.get(product_id)
        if product is None and product_id not in self.reported:
            self.problems.error(source.at(where), where, f"unknown product '{product_id}'")
        return product

    def producer(self, producer_id: str, source: Source, where: str) -> Producer | None:
        producer = self.producers.get(producer_id)
        if producer is None and producer_id not in self.reported:
            self.problems.error(source.at(where), where, f"unknown producer '{producer_id}'")
        return producer


def _link_point_of_sale(pos: PointOfSale, refs: _Refs, problems: Problems) -> None:
    src = pos.source
    carried: dict[str, Product] = {}
    if not pos.carries.producers and not pos.carries.products:
        problems.error(src.at("carries"), "carries", "list at least one producer or product")
    if pos.kind != "online" and pos.address is None:
        problems.error(src.at(""), "address", "required field is missing (only online shops "
                       "may leave it out)")
    for i, producer_id in enumerate(pos.carries.producers):
        producer = refs.producer(producer_id, src, f"carries.producers[{i}]")
        if producer is not None:
            carried.update((product.id, product) for product in producer.products)
    for i, product_id in enumerate(pos.carries.products):
        product = refs.product(product_id, src, f"carries.products[{i}]")
        if product is not None:
            carried[product.id] = product
    pos.products = sorted_vi(carried.values(), key=lambda p: p.name)
    for product in pos.products:
        product.points_of_sale.append(pos)
    _check_location(pos, problems)


def _link_fair(fair: Fair, refs: _Refs, problems: Problems) -> None:
    src = fair.source
    if fair.ends < fair.starts:
        problems.error(src.at("ends"), "ends",
                       f"the fair ends ({fair.ends:%d/%m/%Y}) before it starts "
                       f"({fair.starts:%d/%m/%Y})")
    seen: set[str] = set()
    for i, exhibitor in enumerate(fair.exhibitors):
        where = f"exhibitors[{i}]"
        producer = refs.producer(exhibitor.producer, src, f"{where}.producer")
        if producer is None:
            continue
        if producer.id in seen:
            problems.error(src.at(f"{where}.producer"), f"{where}.producer",
                           f"producer '{producer.id}' is listed twice")
        seen.add(producer.id)
        exhibitor.producer_record = producer
        for j, product_id in enumerate(exhibitor.products):
            product = refs.product(product_id, src, f"{where}.products[{j}]")
            if product is None:
                continue
            if product.producer_id != producer.id:
                problems.error(src.at(f"{where}.products[{j}]"), f"{where}.products[{j}]",
                               f"product '{product_id}' belongs to '{product.producer_id}', "
                               f"not to '{producer.id}'")
            else:
                exhibitor.product_records.append(product)
        shown = exhibitor.product_records or producer.products
        for product in shown:
            product.fairs.append(fair)


def link(loaded: LoadedRecords, today: dt.date, problems: Problems) -> Catalogue:
    """Resolve references and derive facts; problems are collected, never raised."""
    groups = loaded.groups
    for product in loaded.products.values():
        producer = loaded.producers.get(product.producer_id)
        if producer is None:
            continue  # its producer.yaml failed to load and was reported
        product.producer = producer
        producer.products.append(product)
        _check_product(product, groups, today, problems)
    # Products without a producer or group cannot be placed on any page.
    products = {pid: p for pid, p in loaded.products.items()
                if p.producer is not None and p.subgroup is not None and p.status is not None}
    for producer in loaded.producers.values():
        producer.products = sorted_vi(
            (p for p in producer.products if p.id in products), key=lambda p: p.name)
        _check_location(producer, problems)
    # Records that failed (their own problems are reported) are left out quietly.
    refs = _Refs(products, loaded.producers,
                 loaded.unreadable | (loaded.products.keys() - products.keys()), problems)
    for pos in loaded.points_of_sale.values():
        _link_point_of_sale(pos, refs, problems)
    fairs_by_date = sorted(loaded.fairs.values(), key=lambda f: (f.starts, f.id))
    for fair in fairs_by_date:
        _link_fair(fair, refs, problems)
    check_trade_records(loaded, problems)

    catalogue = Catalogue(
        build_date=today,
        groups=groups,
        producers=loaded.producers,
        products=products,
        points_of_sale=loaded.points_of_sale,
        fairs={f.id: f for f in fairs_by_date},
    )
    _check_slugs(catalogue, problems)
    _index(catalogue)
    return catalogue


def _check_slugs(catalogue: Catalogue, problems: Problems) -> None:
    """Place pages are named by slug; two spellings of one commune must not collide."""
    seen: dict[str, tuple[str, str]] = {}
    provinces: dict[str, str] = {}
    for producer in catalogue.producers.values():
        a = producer.address
        slug = place_slug(a.commune, a.province)
        key = (a.commune, a.province)
        if slug in seen and seen[slug] != key:
            problems.error(producer.source.at("address.commune"), "address.commune",
                           f"'{a.commune}, {a.province}' and '{seen[slug][0]}, {seen[slug][1]}' "
                           "differ only in accents or case; spell the commune one way")
        seen.setdefault(slug, key)
        if seen[slug] == key:  # a clash above already names the spelling to fix
            _check_province(producer, provinces, problems)


def _check_province(producer: Producer, provinces: dict[str, str], problems: Problems) -> None:
    """Province pages are named by slug too; their names must slug to something."""
    a = producer.address
    for name, value in (("address.commune", a.commune), ("address.province", a.province)):
        if not slugify(value):
            problems.error(producer.source.at(name), name,
                           f"'{value}' has no letters or digits; write the name in full")
    slug = province_slug(a.province)
    if slug and provinces.setdefault(slug, a.province) != a.province:
        problems.error(producer.source.at("address.province"), "address.province",
                       f"'{a.province}' and '{provinces[slug]}' differ only in accents or case; "
                       "spell the province one way")


def place_slug(commune: str, province: str) -> str:
    return slugify(f"{commune} {province}")


def province_slug(province: str) -> str:
    return slugify(province)


def _index(catalogue: Catalogue) -> None:
    catalogue.products_sorted = sorted_vi(catalogue.products.values(), key=lambda p: p.name)
    catalogue.producers_sorted = sorted_vi(catalogue.producers.values(), key=lambda p: p.name)
    by_stars: dict[int, list[Product]] = {s: [] for s in STAR_LEVELS}
    by_category: dict[str, list[Product]] = defaultdict(list)
    by_place: dict[str, list[Product]] = defaultdict(list)
    for product in catalogue.products_sorted:
        if product.status.certified and product.ocop.stars in by_stars:
            by_stars[product.ocop.stars].append(product)
        by_category[product.group.id].append(product)
        by_category[product.subgroup.id].append(product)
        a = product.producer.address
        by_place[place_slug(a.commune, a.province)].append(product)
    catalogue.by_stars = by_stars
    catalogue.by_category = dict(by_category)
    producers_by_place: dict[str, list[Producer]] = defaultdict(list)
    for producer in catalogue.producers_sorted:
        a = producer.address
        producer.place_slug = place_slug(a.commune, a.province)
        producers_by_place[producer.place_slug].append(producer)
    places = []
    for slug, producers in producers_by_place.items():
        a = producers[0].address
        places.append(Place(slug, a.commune, a.province, tuple(by_place.get(slug, ())),
                            tuple(producers)))
    catalogue.places = {p.slug: p for p in sorted_vi(places, key=lambda p: p.commune)}
    by_province: dict[str, list[Place]] = defaultdict(list)
    for place in catalogue.places.values():
        by_province[province_slug(place.province)].append(place)
    provinces = [
        Province(slug, members[0].province, tuple(members),
                 sum(len(p.products) for p in members), sum(len(p.producers) for p in members))
        for slug, members in by_province.items()
    ]
    catalogue.provinces = {p.slug: p for p in sorted_vi(provinces, key=lambda p: p.name)}


def build_catalogue(layout: SourceLayout, today: dt.date, problems: Problems,
                    workers: int = 1) -> Catalogue:
    """Load and link a catalogue; check ``problems`` before using the result."""
    return link(load_records(layout, problems, workers), today, problems)
