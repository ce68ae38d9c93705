"""Where to buy and where to meet: point-of-sale, fair, index and map pages.

The planner here adds these pages to the render plan (see ``plan.PLANNERS``);
the helpers are the derived views templates need (fairs still to come on the
build date, a producer's points of sale, map markers), computed in Python so
the templates stay declarative. Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from ..link.catalogue import Catalogue, place_slug
from ..link.regions import Region, RegionUrls, province_level, regions
from ..link.text import sorted_vi
from ..source.records import (
    Address,
    Exhibitor,
    Fair,
    Location,
    OnlineShop,
    PointOfSale,
    Producer,
    Product,
)
from .pages import PRODUCER_TYPE_LABELS, Pager, PageSpec, Urls, paged_url, paginate

#: Point-of-sale kinds in the order the index shows them, with their Vietnamese names.
POINT_OF_SALE_KINDS: dict[str, str] = {
    "showroom": "Điểm giới thiệu và bán sản phẩm OCOP",
    "supermarket": "Siêu thị",
    "shop": "Cửa hàng",
    "market": "Chợ",
    "online": "Cửa hàng trực tuyến",
}

#: schema.org type of each point-of-sale kind (all are LocalBusiness/Store kinds).
SCHEMA_ORG_STORE: dict[str, str] = {
    "showroom": "Store",
    "supermarket": "GroceryStore",
    "shop": "Store",
    "market": "Store",
    "online": "OnlineStore",
}

FairPhase = Literal["upcoming", "ongoing", "past"]

FAIR_PHASE_LABELS: dict[str, str] = {
    "upcoming": "Sắp diễn ra",
    "ongoing": "Đang diễn ra",
    "past": "Đã diễn ra",
}

#: Size of the cards grid on a point-of-sale page before it is split into pages.
CARRIED_PAGE_SIZE = 48
#: Lines on one page of the points-of-sale lists, the fair lists and the map's address list.
#: Measured at national scale: a line is about 450 bytes of HTML (a map line 550) over about
#: 15 KB of page, so every such page stays under the product page's 40 KB.
POINTS_PAGE_SIZE = 50
FAIRS_PAGE_SIZE = 50
MAP_PAGE_SIZE = 40


class TradeUrls:
    """Site-root-relative URLs of the pages and files this module adds."""

    @staticmethod
    def points_of_sale(page: int = 1) -> str:
        return paged_url("diem-ban/", page)

    @staticmethod
    def province_points_of_sale(slug: str, page: int = 1) -> str:
        # Point-of-sale ids cannot be 'tinh' (trade_checks), so no page can sit here.
        return paged_url(f"diem-ban/tinh/{slug}/", page)

    @staticmethod
    def point_of_sale(pos: PointOfSale, page: int = 1) -> str:
        return paged_url(Urls.point_of_sale(pos), page)

    @staticmethod
    def fairs(page: int = 1) -> str:
        return paged_url("hoi-cho/", page)

    @staticmethod
    def fair_year(year: int, page: int = 1) -> str:
        # Fair ids cannot be 'nam-<digits>' (trade_checks), so no fair page sits here.
        return paged_url(f"hoi-cho/nam-{year}/", page)

    @staticmethod
    def map(page: int = 1) -> str:
        return paged_url("ban-do/", page)

    @staticmethod
    def province_map(slug: str, page: int = 1) -> str:
        return paged_url(f"ban-do/tinh/{slug}/", page)

    @staticmethod
    def map_data(slug: str | None = None) -> str:
        """The markers of one map (the whole catalogue's, or a province's) as JSON."""
        return f"{TradeUrls.province_map(slug) if slug else TradeUrls.map()}vi-tri.json"

    @staticmethod
    def fair_calendar(fair: Fair) -> str:
        # Inside the fair's own folder, so no fair id can collide with it.
        return f"{Urls.fair(fair)}{fair.id}.ics"

    @staticmethod
    def upcoming_calendar() -> str:
        # A file, not a folder: fair pages are folders hoi-cho/<id>/, so no clash.
        return "hoi-cho/sap-dien-ra.ics"

    @staticmethod
    def fair_feed() -> str:
        return "hoi-cho/feed.xml"

    @staticmethod
    def openstreetmap(location: Location) -> str:
        """An OpenStreetMap link with a marker: works without our map or JavaScript."""
        query = urlencode({"mlat": f"{location.lat:.5f}", "mlon": f"{location.lon:.5f}"})
        return (f"https://www.openstreetmap.org/?{query}"
                f"#map=17/{location.lat:.5f}/{location.lon:.5f}")


# --- fairs on the build date -----------------------------------------------------

def fair_phase(fair: Fair, today: dt.date) -> FairPhase:
    """Where a fair stands on ``today`` (both its first and last day count as open)."""
    if fair.ends < today:
        return "past"
    if fair.starts > today:
        return "upcoming"
    return "ongoing"


def is_current(fair: Fair, today: dt.date) -> bool:
    """Still worth going to: not over yet (upcoming or ongoing)."""
    return fair.ends >= today


def current_fairs(fairs: Iterable[Fair], today: dt.date) -> list[Fair]:
    """Fairs not over on ``today``, soonest first."""
    return sorted((f for f in fairs if is_current(f, today)), key=lambda f: (f.starts, f.id))


@dataclass(frozen=True)
class FairYear:
    year: int
    fairs: tuple[Fair, ...]


@dataclass(frozen=True)
class FairSchedule:
    """The fairs index on one build date."""

    #: Upcoming and ongoing fairs, soonest first.
    current: tuple[Fair, ...]
    #: Past fairs by year of their start, latest year first, latest fair first.
    past_by_year: tuple[FairYear, ...]


def fair_schedule(fairs: Iterable[Fair], today: dt.date) -> FairSchedule:
    fairs = list(fairs)
    past: dict[int, list[Fair]] = defaultdict(list)
    for fair in fairs:
        if not is_current(fair, today):
            past[fair.starts.year].append(fair)
    years = tuple(
        FairYear(year, tuple(sorted(past[year], key=lambda f: (f.starts, f.id), reverse=True)))
        for year in sorted(past, reverse=True)
    )
    return FairSchedule(tuple(current_fairs(fairs, today)), years)


@dataclass(frozen=True)
class FairAppearance:
    """A producer at a fair: where to find its booth and what it shows."""

    fair: Fair
    exhibitor: Exhibitor


def producer_fairs(producer: Producer, today: dt.date, past: bool = False
                   ) -> list[FairAppearance]:
    """Fairs not over on ``today`` where ``producer`` exhibits, soonest first; with
    ``past``, the fairs it took part in instead, latest first.

    Uses the products' reverse links (filled by the linker), so the cost is that
    of the producer's own fairs, not of every fair in the catalogue.
    """
    fairs = {f.id: f for product in producer.products for f in product.fairs}
    if past:
        chosen = sorted((f for f in fairs.values() if not is_current(f, today)),
                        key=lambda f: (f.starts, f.id), reverse=True)
    else:
        chosen = current_fairs(fairs.values(), today)
    appearances = []
    for fair in chosen:
        for exhibitor in fair.exhibitors:
            if exhibitor.producer == producer.id:
                appearances.append(FairAppearance(fair, exhibitor))
                break
    return appearances


def product_fairs(product: Product, today: dt.date) -> list[FairAppearance]:
    """Fairs not over on ``today`` that show ``product``, with its producer's booth."""
    appearances = []
    for fair in current_fairs(product.fairs, today):
        for exhibitor in fair.exhibitors:
            if exhibitor.producer == product.producer_id:
                appearances.append(FairAppearance(fair, exhibitor))
                break
    return appearances


def shown_products(exhibitor: Exhibitor) -> list[Product]:
    """What an exhibitor shows: the products listed, else all of the producer's."""
    return list(exhibitor.product_records or exhibitor.producer_record.products)


# --- points of sale ------------------------------------------------------------

def physical(points: Iterable[PointOfSale]) -> list[PointOfSale]:
    """Places a buyer can walk into."""
    return [p for p in points if p.kind != "online"]


def online(points: Iterable[PointOfSale]) -> list[PointOfSale]:
    return [p for p in points if p.kind == "online"]


def producer_points_of_sale(producer: Producer) -> list[PointOfSale]:
    """Points of sale carrying at least one of ``producer``'s products, by name."""
    points = {pos.id: pos for product in producer.products for pos in product.points_of_sale}
    return sorted_vi(points.values(), key=lambda p: p.name)


def producer_online_shops(producer: Producer) -> list[tuple[OnlineShop, list[Product]]]:
    """The online shops of ``producer``'s products, once per address, with their products."""
    shops: dict[str, tuple[OnlineShop, list[Product]]] = {}
    for product in producer.products:
        for shop in product.online_shops:
            shops.setdefault(shop.url, (shop, []))[1].append(product)
    return list(shops.values())


def carried_count(pos: PointOfSale, producer: Producer) -> int:
    """How many of ``producer``'s products ``pos`` carries."""
    return sum(1 for p in pos.products if p.producer_id == producer.id)


def carried_producers(pos: PointOfSale) -> list[Producer]:
    """The producers whose products ``pos`` carries, by name."""
    producers = {p.producer.id: p.producer for p in pos.products}
    return sorted_vi(producers.values(), key=lambda p: p.name)


def address_line(address: Address | None) -> str:
    """'Street, Commune, Province' on one line ('' without an address)."""
    if address is None:
        return ""
    parts = [address.street, address.commune, address.province]
    return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class KindGroup:
    kind: str
    label: str
    points: tuple[PointOfSale, ...]


@dataclass(frozen=True)
class CommuneGroup:
    """Points of sale of one commune (or, without an address, the online ones)."""

    #: Anchor on the index page.
    slug: str
    heading: str
    kinds: tuple[KindGroup, ...]


ONLINE_GROUP = "truc-tuyen"


def points_of_sale_by_commune(points: Iterable[PointOfSale]) -> list[CommuneGroup]:
    """Points of sale by commune (Vietnamese order), then kind; addressless ones last."""
    by_commune: dict[str, list[PointOfSale]] = defaultdict(list)
    headings: dict[str, tuple[str, str]] = {}
    for pos in points:
        if pos.address is None:
            slug = ONLINE_GROUP
        else:
            slug = place_slug(pos.address.commune, pos.address.province)
            headings.setdefault(slug, (pos.address.commune, pos.address.province))
        by_commune[slug].append(pos)

    def kinds(items: list[PointOfSale]) -> tuple[KindGroup, ...]:
        return tuple(
            KindGroup(kind, label, tuple(sorted_vi(
                (p for p in items if p.kind == kind), key=lambda p: p.name)))
            for kind, label in POINT_OF_SALE_KINDS.items()
            if any(p.kind == kind for p in items)
        )

    groups = [CommuneGroup(slug, f"{commune}, {province}", kinds(by_commune[slug]))
              for slug, (commune, province) in headings.items()]
    groups = sorted_vi(groups, key=lambda g: g.heading)
    if ONLINE_GROUP in by_commune:
        groups.append(CommuneGroup(ONLINE_GROUP, "Bán trực tuyến", kinds(by_commune[ONLINE_GROUP])))
    return groups


@dataclass(frozen=True)
class PointsPage:
    """One page of a points-of-sale list: its lines grouped by commune, then kind."""

    pager: Pager
    groups: tuple[CommuneGroup, ...]
    #: Slugs of the groups begun on an earlier page (their heading says so).
    continued: frozenset[str]


def points_of_sale_pages(points: Iterable[PointOfSale], url_of: Any) -> list[PointsPage]:
    """The list of ``points`` by commune then kind, cut into pages of ``POINTS_PAGE_SIZE``.

    Pages cut the one ordered list, so a commune may run on over the next page.
    """
    ordered = [pos for g in points_of_sale_by_commune(points) for k in g.kinds
               for pos in k.points]
    pages = []
    seen: set[str] = set()
    for pager in paginate(ordered, url_of, POINTS_PAGE_SIZE):
        groups = tuple(points_of_sale_by_commune(pager.items))
        pages.append(PointsPage(pager, groups, frozenset(g.slug for g in groups) & seen))
        seen.update(g.slug for g in groups)
    return pages


# --- the map -----------------------------------------------------------------------

@dataclass(frozen=True)
class MapMarker:
    """One place on the map page, also its line in the no-JavaScript list."""

    kind: Literal["point-of-sale", "producer"]
    #: Fragment id of its line in the list, e.g. 'diem-ban-<id>' (pages link to it).
    anchor: str
    name: str
    #: What it is: a point-of-sale kind or a producer type, in Vietnamese.
    label: str
    url: str
    address: str
    lat: float
    lon: float
    osm_url: str


def _point_marker(pos: PointOfSale) -> MapMarker:
    assert pos.location is not None
    return MapMarker("point-of-sale", f"diem-ban-{pos.id}", pos.name,
                     POINT_OF_SALE_KINDS[pos.kind], Urls.point_of_sale(pos),
                     address_line(pos.address), pos.location.lat, pos.location.lon,
                     TradeUrls.openstreetmap(pos.location))


def _producer_marker(p: Producer) -> MapMarker:
    assert p.location is not None
    return MapMarker("producer", f"chu-the-{p.id}", p.name, PRODUCER_TYPE_LABELS[p.type],
                     Urls.producer(p), address_line(p.address), p.location.lat, p.location.lon,
                     TradeUrls.openstreetmap(p.location))


def map_markers(catalogue: Catalogue) -> tuple[list[MapMarker], list[MapMarker]]:
    """(points of sale, producers) that have coordinates, each in name order."""
    points = [_point_marker(pos) for pos in catalogue.points_of_sale.values()
              if pos.location is not None]
    producers = [_producer_marker(p) for p in catalogue.producers_sorted
                 if p.location is not None]
    return sorted_vi(points, key=lambda m: m.name), producers


@dataclass(frozen=True)
class MapScope:
    """The places one map shows: the whole catalogue's, or one province's."""

    #: Province slug; None for the whole catalogue (a one-province catalogue).
    slug: str | None
    name: str
    points: tuple[MapMarker, ...]
    producers: tuple[MapMarker, ...]

    def url(self, page: int = 1) -> str:
        return TradeUrls.province_map(self.slug, page) if self.slug else TradeUrls.map(page)

    @property
    def data_url(self) -> str:
        return TradeUrls.map_data(self.slug)

    @property
    def markers(self) -> tuple[MapMarker, ...]:
        """Points of sale first, then producers: the order of the address list."""
        return self.points + self.producers


def map_scopes(catalogue: Catalogue, areas: Iterable[Region] | None = None) -> list[MapScope]:
    """One map for a one-province catalogue; else one per province with located places.

    With several provinces, a located point of sale without an address (an online
    shop) belongs to no province and is on no map.
    """
    if not province_level(catalogue):
        points, producers = map_markers(catalogue)
        return [MapScope(None, "", tuple(points), tuple(producers))]
    return [
        MapScope(r.slug, r.name, tuple(_point_marker(p) for p in r.located_points),
                 tuple(_producer_marker(p) for p in r.located_producers))
        for r in (regions(catalogue) if areas is None else areas)
        if r.located_points or r.located_producers
    ]


def map_data(scope: MapScope) -> dict[str, Any]:
    """The JSON the map script draws: every marker of ``scope``, links relative to the file."""
    folder = posixpath.dirname(scope.data_url)

    def rel(url: str) -> str:
        return posixpath.relpath(url, folder) + "/"

    return {"markers": [
        {"kind": m.kind, "anchor": m.anchor, "name": m.name, "label": m.label,
         "address": m.address, "url": rel(m.url), "lat": m.lat, "lon": m.lon}
        for m in scope.markers
    ]}


# --- schema.org ---------------------------------------------------------------------

def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _postal_address(address: Address | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return _clean({
        "@type": "PostalAddress",
        "streetAddress": address.street,
        "addressLocality": address.commune,
        "addressRegion": address.province,
        "addressCountry": "VN",
    })


def store_jsonld(pos: PointOfSale, url: str) -> dict[str, Any]:
    """schema.org Store (GroceryStore, OnlineStore) of a point of sale."""
    c = pos.contacts
    geo = None
    if pos.location is not None:
        geo = {"@type": "GeoCoordinates", "latitude": pos.location.lat,
               "longitude": pos.location.lon}
    return _clean({
        "@context": "https://schema.org",
        "@type": SCHEMA_ORG_STORE[pos.kind],
        "name": pos.name,
        "url": url,
        "address": _postal_address(pos.address),
        "geo": geo,
        "telephone": c.phone,
        "email": c.email,
        "sameAs": [c.website] if c.website else None,
    })


def event_jsonld(fair: Fair, url: str) -> dict[str, Any]:
    """schema.org Event of a fair: all-day dates, an offline event at its venue."""
    return _clean({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": fair.name,
        "url": url,
        "startDate": fair.starts.isoformat(),
        "endDate": fair.ends.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": fair.venue,
            "address": {"@type": "PostalAddress", "addressLocality": fair.city,
                        "addressCountry": "VN"},
        },
        "organizer": {"@type": "Organization", "name": fair.organiser} if fair.organiser else None,
        "sameAs": [fair.link] if fair.link else None,
    })


def jsonld_for(spec: PageSpec, site_url: str) -> dict[str, Any] | None:
    """JSON-LD of a page this module planned (``site_url`` ends with '/'), else None."""
    if spec.kind == "point-of-sale" and spec.context.get("pager_number", 1) == 1:
        pos = spec.context["pos"]
        return store_jsonld(pos, site_url + Urls.point_of_sale(pos))
    if spec.kind == "fair":
        fair = spec.context["fair"]
        return event_jsonld(fair, site_url + Urls.fair(fair))
    return None


# --- template helpers -----------------------------------------------------------------

class TradeHelpers:
    """What templates call (registered as the Jinja global ``ocop_trade``)."""

    urls = TradeUrls
    kinds = POINT_OF_SALE_KINDS
    phase_labels = FAIR_PHASE_LABELS
    fair_phase = staticmethod(fair_phase)
    product_fairs = staticmethod(product_fairs)
    producer_fairs = staticmethod(producer_fairs)
    producer_points_of_sale = staticmethod(producer_points_of_sale)
    producer_online_shops = staticmethod(producer_online_shops)
    carried_count = staticmethod(carried_count)
    carried_producers = staticmethod(carried_producers)
    shown_products = staticmethod(shown_products)
    physical = staticmethod(physical)
    online = staticmethod(online)
    address_line = staticmethod(address_line)


# --- the planner ----------------------------------------------------------------------

def _fair_summary(fair: Fair) -> str:
    return (f"{fair.name}: {fair.starts:%d/%m/%Y}–{fair.ends:%d/%m/%Y}, {fair.venue}, "
            f"{fair.city}; {len(fair.exhibitors)} chủ thể OCOP tham gia.")


def _pos_summary(pos: PointOfSale) -> str:
    where = f", {pos.address.commune}, {pos.address.province}" if pos.address else ""
    return (f"{pos.name} ({POINT_OF_SALE_KINDS[pos.kind].lower()}{where}): "
            f"bán {len(pos.products)} sản phẩm OCOP.")


def _suffix(pager: Pager) -> str:
    return f" – trang {pager.number}" if pager.number > 1 else ""


POINTS_DESCRIPTION = ("Điểm giới thiệu sản phẩm OCOP, cửa hàng, siêu thị, chợ và cửa hàng "
                      "trực tuyến bán sản phẩm OCOP, theo xã, phường.")


def _points_of_sale_indexes(points: list[PointOfSale], areas: list[Region],
                            several: bool) -> list[PageSpec]:
    """``diem-ban/``: every point of sale by commune; with several provinces, the
    provinces and the online shops, each province's points on its own pages."""
    pages: list[PageSpec] = []
    listed = [p for p in points if p.address is None] if several else points
    with_points = [r for r in areas if r.points_of_sale] if several else []
    for page in points_of_sale_pages(listed, TradeUrls.points_of_sale):
        pages.append(PageSpec(
            url=TradeUrls.points_of_sale(page.pager.number),
            template="ocop/index-points-of-sale.html",
            title="Nơi mua sản phẩm OCOP" + _suffix(page.pager), kind="index",
            description=POINTS_DESCRIPTION,
            context={"listing": page, "pager": page.pager, "total": len(points), "region": None,
                     "regions": with_points if page.pager.number == 1 else []},
        ))
    for region in with_points:
        for page in points_of_sale_pages(
                region.points_of_sale,
                lambda n, s=region.slug: TradeUrls.province_points_of_sale(s, n)):
            pages.append(PageSpec(
                url=TradeUrls.province_points_of_sale(region.slug, page.pager.number),
                template="ocop/index-points-of-sale.html",
                title=f"Nơi mua sản phẩm OCOP ở {region.name}" + _suffix(page.pager),
                kind="index",
                description=f"Điểm bán sản phẩm OCOP ở {region.name}, theo xã, phường.",
                context={"listing": page, "pager": page.pager, "total": len(region.points_of_sale),
                         "region": region, "regions": [], "province_url": RegionUrls.province},
            ))
    return pages


def _fair_indexes(catalogue: Catalogue) -> list[PageSpec]:
    """``hoi-cho/``: fairs to come (paginated); past fairs there too while they are
    few, else on a page per year (``hoi-cho/nam-YYYY/``, paginated)."""
    schedule = fair_schedule(catalogue.fairs.values(), catalogue.build_date)
    past_inline = sum(len(y.fairs) for y in schedule.past_by_year) <= FAIRS_PAGE_SIZE
    pages = []
    for pager in paginate(schedule.current, TradeUrls.fairs, FAIRS_PAGE_SIZE):
        pages.append(PageSpec(
            url=TradeUrls.fairs(pager.number), template="ocop/index-fairs.html",
            title="Hội chợ, triển lãm OCOP" + _suffix(pager), kind="index",
            description="Hội chợ, triển lãm có sản phẩm OCOP: sắp diễn ra và đã diễn ra.",
            context={"schedule": schedule, "pager": pager, "past_inline": past_inline},
        ))
    for year in () if past_inline else schedule.past_by_year:
        for pager in paginate(year.fairs, lambda n, y=year.year: TradeUrls.fair_year(y, n),
                              FAIRS_PAGE_SIZE):
            pages.append(PageSpec(
                url=TradeUrls.fair_year(year.year, pager.number), template="ocop/fairs-year.html",
                title=f"Hội chợ, triển lãm OCOP năm {year.year}" + _suffix(pager), kind="index",
                description=f"Hội chợ, triển lãm có sản phẩm OCOP đã diễn ra năm {year.year}.",
                context={"year": year, "pager": pager},
            ))
    return pages


def _map_pages(scopes: list[MapScope], several: bool) -> tuple[list[PageSpec], dict[str, str]]:
    """The map pages, and the page whose address list holds each marker (by anchor)."""
    pages = []
    where: dict[str, str] = {}
    for scope in scopes:
        title = f"Bản đồ nơi mua ở {scope.name}" if scope.slug else "Bản đồ nơi mua"
        for pager in paginate(scope.markers, scope.url, MAP_PAGE_SIZE):
            url = scope.url(pager.number)
            where.update((m.anchor, url) for m in pager.items)
            pages.append(PageSpec(
                url=url, template="ocop/map.html", title=title + _suffix(pager), kind="map",
                description="Bản đồ các điểm bán và chủ thể OCOP có vị trí, kèm danh sách "
                            "địa chỉ" + (f" ở {scope.name}." if scope.slug else "."),
                context={"scope": scope, "pager": pager,
                         "point_markers": [m for m in pager.items if m.kind == "point-of-sale"],
                         "producer_markers": [m for m in pager.items if m.kind == "producer"]},
            ))
    if several:
        pages.append(PageSpec(
            url=TradeUrls.map(), template="ocop/index-map.html", title="Bản đồ nơi mua",
            kind="index", description="Bản đồ các điểm bán và chủ thể OCOP theo tỉnh, thành phố.",
            context={"scopes": scopes},
        ))
    return pages, where


def plan_trade_pages(catalogue: Catalogue) -> list[PageSpec]:
    """A page per point of sale and fair, their indexes and the maps."""
    today = catalogue.build_date
    several = province_level(catalogue)
    areas = regions(catalogue) if several else []
    map_pages, map_pages_of = _map_pages(map_scopes(catalogue, areas), several)
    pages: list[PageSpec] = []
    points = sorted_vi(catalogue.points_of_sale.values(), key=lambda p: p.name)
    for pos in points:
        for pager in paginate(pos.products, lambda n, p=pos: TradeUrls.point_of_sale(p, n),
                              CARRIED_PAGE_SIZE):
            pages.append(PageSpec(
                url=TradeUrls.point_of_sale(pos, pager.number),
                template="ocop/point-of-sale.html", title=pos.name + _suffix(pager),
                kind="point-of-sale", description=_pos_summary(pos),
                context={"pos": pos, "pager": pager, "pager_number": pager.number,
                         "producers": carried_producers(pos),
                         "map_url": map_pages_of.get(f"diem-ban-{pos.id}")},
            ))
    for fair in catalogue.fairs.values():
        pages.append(PageSpec(
            url=Urls.fair(fair), template="ocop/fair.html", title=fair.name, kind="fair",
            description=_fair_summary(fair),
            context={"fair": fair, "phase": fair_phase(fair, today)},
        ))
    pages += _points_of_sale_indexes(points, areas, several)
    pages += _fair_indexes(catalogue)
    pages += map_pages
    return pages
