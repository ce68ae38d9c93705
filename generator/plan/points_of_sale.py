"""Point-of-sale pages and the ``diem-ban/`` index (by commune, then kind).

A one-province catalogue lists every point of sale on ``diem-ban/``; with
several provinces that page lists the provinces and the online shops, and each
province's points of sale get their own pages. Every list is paginated, a
commune running on over the next page when it must.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..language import VIETNAMESE, Language
from ..link.catalogue import Catalogue
from ..link.places import place_slug
from ..link.regions import Region, province_level, regions
from ..link.where_to_buy import carried_producers
from ..source.records import POINT_OF_SALE_KINDS, PointOfSale
from ..vietnamese import sorted_vi
from .maps import marker_pages
from .pages import Pager, PageSpec, page_suffix, paginate
from .urls import Urls

#: Size of the cards grid on a point-of-sale page before it is split into pages.
CARRIED_PAGE_SIZE = 48
#: Lines on one page of the points-of-sale lists. Measured at national scale: a line
#: is about 450 bytes of HTML over about 15 KB of page, so every such page stays
#: under the product page's 40 KB.
POINTS_PAGE_SIZE = 50


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


def points_of_sale_by_commune(points: Iterable[PointOfSale], lang: Language = VIETNAMESE,
                              ) -> list[CommuneGroup]:
    """Points of sale by commune (Vietnamese order), then kind; addressless ones last."""
    by_commune: dict[str, list[PointOfSale]] = defaultdict(list)
    headings: dict[str, tuple[str, str]] = {}
    for pos in points:
        if pos.address is None:
            slug = ONLINE_GROUP
        else:
            slug = place_slug(pos.address)
            headings.setdefault(slug, (pos.address.commune, pos.address.province))
        by_commune[slug].append(pos)

    def kinds(items: list[PointOfSale]) -> tuple[KindGroup, ...]:
        return tuple(
            KindGroup(kind, lang.gettext(label), tuple(sorted_vi(
                (p for p in items if p.kind == kind), key=lambda p: p.name)))
            for kind, label in POINT_OF_SALE_KINDS.items()
            if any(p.kind == kind for p in items)
        )

    groups = [CommuneGroup(slug, f"{commune}, {province}", kinds(by_commune[slug]))
              for slug, (commune, province) in headings.items()]
    groups = sorted_vi(groups, key=lambda g: g.heading)
    if ONLINE_GROUP in by_commune:
        groups.append(CommuneGroup(ONLINE_GROUP, lang.gettext("Bán trực tuyến"),
                                   kinds(by_commune[ONLINE_GROUP])))
    return groups


@dataclass(frozen=True)
class PointsPage:
    """One page of a points-of-sale list: its lines grouped by commune, then kind."""

    pager: Pager
    groups: tuple[CommuneGroup, ...]
    #: Slugs of the groups begun on an earlier page (their heading says so).
    continued: frozenset[str]


def points_of_sale_pages(points: Iterable[PointOfSale], url_of: Any,
                         lang: Language = VIETNAMESE) -> list[PointsPage]:
    """The list of ``points`` by commune then kind, cut into pages of ``POINTS_PAGE_SIZE``.

    Pages cut the one ordered list, so a commune may run on over the next page.
    """
    ordered = [pos for g in points_of_sale_by_commune(points, lang) for k in g.kinds
               for pos in k.points]
    pages = []
    seen: set[str] = set()
    for pager in paginate(ordered, url_of, POINTS_PAGE_SIZE):
        groups = tuple(points_of_sale_by_commune(pager.items, lang))
        pages.append(PointsPage(pager, groups, frozenset(g.slug for g in groups) & seen))
        seen.update(g.slug for g in groups)
    return pages


def _pos_summary(pos: PointOfSale, lang: Language) -> str:
    where = f", {pos.address.commune}, {pos.address.province}" if pos.address else ""
    return lang.gettext("%(name)s (%(kind)s%(where)s): bán %(count)s sản phẩm OCOP.") % {
        "name": lang.text(pos, "name"), "kind": lang.gettext(POINT_OF_SALE_KINDS[pos.kind]).lower(),
        "where": where, "count": len(pos.products)}


def _points_of_sale_indexes(points: list[PointOfSale], areas: list[Region],
                            several: bool, lang: Language) -> list[PageSpec]:
    """``diem-ban/``: every point of sale by commune; with several provinces, the
    provinces and the online shops, each province's points on its own pages."""
    _ = lang.gettext
    pages: list[PageSpec] = []
    listed = [p for p in points if p.address is None] if several else points
    with_points = [r for r in areas if r.points_of_sale] if several else []
    for page in points_of_sale_pages(listed, Urls.points_of_sale, lang):
        pages.append(PageSpec(
            url=Urls.points_of_sale(page.pager.number),
            template="ocop/index-points-of-sale.html",
            title=_("Nơi mua sản phẩm OCOP") + page_suffix(page.pager, lang), kind="index",
            description=_("Điểm giới thiệu sản phẩm OCOP, cửa hàng, siêu thị, chợ và cửa hàng "
                          "trực tuyến bán sản phẩm OCOP, theo xã, phường."),
            context={"listing": page, "pager": page.pager, "total": len(points), "region": None,
                     "regions": with_points if page.pager.number == 1 else []},
        ))
    for region in with_points:
        for page in points_of_sale_pages(
                region.points_of_sale,
                lambda n, s=region.slug: Urls.province_points_of_sale(s, n), lang):
            pages.append(PageSpec(
                url=Urls.province_points_of_sale(region.slug, page.pager.number),
                template="ocop/index-points-of-sale.html",
                title=_("Nơi mua sản phẩm OCOP ở %(place)s") % {"place": region.name}
                + page_suffix(page.pager, lang),
                kind="index",
                description=_("Điểm bán sản phẩm OCOP ở %(place)s, theo xã, phường.") % {
                    "place": region.name},
                context={"listing": page, "pager": page.pager, "total": len(region.points_of_sale),
                         "region": region, "regions": []},
            ))
    return pages


def plan_point_of_sale_pages(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    """A page per point of sale (its products paginated), then the indexes."""
    on_map = marker_pages(catalogue)
    pages: list[PageSpec] = []
    points = sorted_vi(catalogue.points_of_sale.values(), key=lambda p: p.name)
    for pos in points:
        for pager in paginate(pos.products, lambda n, p=pos: Urls.point_of_sale(p, n),
                              CARRIED_PAGE_SIZE):
            pages.append(PageSpec(
                url=Urls.point_of_sale(pos, pager.number),
                template="ocop/point-of-sale.html",
                title=lang.text(pos, "name") + page_suffix(pager, lang),
                kind="point-of-sale", description=_pos_summary(pos, lang),
                context={"pos": pos, "pager": pager, "pager_number": pager.number,
                         "producers": carried_producers(pos),
                         "map_url": on_map.get(f"diem-ban-{pos.id}")},
            ))
    several = province_level(catalogue)
    pages += _points_of_sale_indexes(points, regions(catalogue) if several else [], several,
                                     lang)
    return pages
