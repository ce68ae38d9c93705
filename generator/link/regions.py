"""Provinces: the level above communes that keeps index pages small at national scale.

A province-sized catalogue lists its communes, points of sale and map markers on
its index pages directly, as it always did. Once producers sit in more than one
province, those indexes list the provinces instead and each province gets its own
pages (its communes here; its points of sale and its map in ``trade``), so no
index grows with the number of records (DESIGN §4: only paginated listings grow).

Province pages live at ``dia-phuong/tinh/<province-slug>/``. Commune pages are
``dia-phuong/<commune-province-slug>/``: both names have letters (checked by the
linker), so a commune slug always has a '-' and can never be 'tinh'.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..plan.pages import PageSpec, Urls
from ..source.records import PointOfSale, Producer
from .catalogue import Catalogue, Province, province_slug
from .text import sorted_vi


def province_level(catalogue: Catalogue) -> bool:
    """Whether indexes list provinces (producers in several) rather than their contents."""
    return len(catalogue.provinces) > 1


@dataclass(frozen=True)
class Region:
    """One province as every page family sees it: communes, points of sale, map markers."""

    slug: str
    name: str
    #: Its producers' communes; None when only points of sale name the province.
    province: Province | None
    #: Points of sale with an address in the province, in name order.
    points_of_sale: tuple[PointOfSale, ...]
    #: Those of its points of sale and producers that have coordinates, in name order.
    located_points: tuple[PointOfSale, ...]
    located_producers: tuple[Producer, ...]


def regions(catalogue: Catalogue) -> list[Region]:
    """Every province named by a producer or a point of sale, in Vietnamese name order."""
    points: dict[str, list[PointOfSale]] = defaultdict(list)
    spellings: dict[str, list[str]] = defaultdict(list)
    for pos in catalogue.points_of_sale.values():
        if pos.address is not None:
            slug = province_slug(pos.address.province)
            points[slug].append(pos)
            spellings[slug].append(pos.address.province)
    producers: dict[str, list[Producer]] = defaultdict(list)
    for producer in catalogue.producers_sorted:
        if producer.location is not None:
            producers[province_slug(producer.address.province)].append(producer)
    out = []
    for slug in catalogue.provinces.keys() | points.keys():
        province = catalogue.provinces.get(slug)
        # Producers' spelling wins; otherwise the first in Vietnamese order.
        name = province.name if province else sorted_vi(spellings[slug], key=str)[0]
        mine = sorted_vi(points.get(slug, ()), key=lambda p: p.name)
        out.append(Region(slug, name, province, tuple(mine),
                          tuple(p for p in mine if p.location is not None),
                          tuple(producers.get(slug, ()))))
    return sorted_vi(out, key=lambda r: r.name)


class RegionUrls:
    """Site-root-relative URLs of the province pages of places."""

    @staticmethod
    def province(slug: str) -> str:
        return f"dia-phuong/tinh/{slug}/"

    @staticmethod
    def places() -> str:
        return "dia-phuong/"


def plan_region_pages(catalogue: Catalogue) -> list[PageSpec]:
    """The places index and, with several provinces, a page of communes per province."""
    several = province_level(catalogue)
    by_slug = {r.slug: r for r in regions(catalogue)} if several else {}
    pages = [PageSpec(
        url=RegionUrls.places(), template="ocop/index-places.html",
        title="Sản phẩm theo địa phương", kind="index",
        description="Sản phẩm OCOP theo tỉnh, thành phố và xã, phường." if several
        else "Sản phẩm OCOP theo xã, phường.",
        context={"provinces": list(catalogue.provinces.values()) if several else [],
                 "places": [] if several else list(catalogue.places.values()),
                 "province_url": RegionUrls.province},
    )]
    for province in catalogue.provinces.values() if several else ():
        region = by_slug[province.slug]
        pages.append(PageSpec(
            url=RegionUrls.province(province.slug), template="ocop/province.html",
            title=province.name, kind="province",
            description=f"Sản phẩm OCOP của {province.name}: {province.product_count} sản "
                        f"phẩm ở {len(province.places)} xã, phường.",
            context={"province": province, "region": region, "places": list(province.places),
                     "place_url": Urls.place},
        ))
    return pages
