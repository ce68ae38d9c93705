"""Provinces as every page family sees them, once a catalogue has several.

A province-sized catalogue lists its communes, points of sale and map markers on
its index pages directly. Once producers sit in more than one province
(``province_level``), those indexes list the provinces instead and each province
gets its own pages, so no index grows with the number of records (DESIGN §4:
only paginated listings grow). A ``Region`` brings what those pages need of one
province: its communes, its points of sale, its located places.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..source.records import PointOfSale, Producer
from ..vietnamese import sorted_vi
from .catalogue import Catalogue
from .places import Province, province_slug


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
