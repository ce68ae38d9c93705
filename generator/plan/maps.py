"""The map pages (``ban-do/``) and the markers they draw.

A map page holds one page of the address list (which is also what a visitor
without JavaScript gets); the script draws every marker of the map from
``vi-tri.json`` beside it (``map_data``, written by ``write.map_data``), so no
page grows with the number of located places.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..language import VIETNAMESE, Language
from ..link.catalogue import Catalogue
from ..link.regions import Region, province_level, regions
from ..source.records import POINT_OF_SALE_KINDS, PRODUCER_TYPE_LABELS, PointOfSale, Producer
from ..vietnamese import address_line, sorted_vi
from .pages import PageSpec, page_suffix, paginate
from .urls import Urls

#: Lines on one page of a map's address list. A line is about 470 bytes of HTML over
#: about 22 KB of page (header, navigation, skip link, scripts): 36 lines keep the
#: page under the 40 KB every index page is held to (tests/test_scale.py).
MAP_PAGE_SIZE = 36


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
    #: The English name staff gave, if any.
    name_en: str | None = None


def _point_marker(pos: PointOfSale) -> MapMarker:
    assert pos.location is not None
    return MapMarker("point-of-sale", f"diem-ban-{pos.id}", pos.name,
                     POINT_OF_SALE_KINDS[pos.kind], Urls.point_of_sale(pos),
                     address_line(pos.address), pos.location.lat, pos.location.lon,
                     Urls.openstreetmap(pos.location), pos.name_en)


def _producer_marker(p: Producer) -> MapMarker:
    assert p.location is not None
    return MapMarker("producer", f"chu-the-{p.id}", p.name, PRODUCER_TYPE_LABELS[p.type],
                     Urls.producer(p), address_line(p.address), p.location.lat, p.location.lon,
                     Urls.openstreetmap(p.location), p.name_en)


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
        return Urls.province_map(self.slug, page) if self.slug else Urls.map(page)

    @property
    def data_url(self) -> str:
        return Urls.map_data(self.slug)

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


def map_data(scope: MapScope, lang: Language = VIETNAMESE) -> dict[str, Any]:
    """The JSON the map script draws: every marker of ``scope``, links relative to the
    file. In ``lang``: the file sits in the language's folder, as its pages do, so the
    same relative links lead to the language's pages."""
    folder = posixpath.dirname(scope.data_url)

    def rel(url: str) -> str:
        return posixpath.relpath(url, folder) + "/"

    return {"markers": [
        {"kind": m.kind, "anchor": m.anchor, "name": lang.text(m, "name"),
         "label": lang.gettext(m.label),
         "address": m.address, "url": rel(m.url), "lat": m.lat, "lon": m.lon}
        for m in scope.markers
    ]}


def _map_pages(scopes: list[MapScope], several: bool, lang: Language = VIETNAMESE,
               ) -> tuple[list[PageSpec], dict[str, str]]:
    """The map pages, and the page whose address list holds each marker (by anchor)."""
    _ = lang.gettext
    pages = []
    where: dict[str, str] = {}
    for scope in scopes:
        title = (_("Bản đồ nơi mua ở %(place)s") % {"place": scope.name} if scope.slug
                 else _("Bản đồ nơi mua"))
        description = (
            _("Bản đồ các điểm bán và chủ thể OCOP có vị trí, kèm danh sách địa chỉ ở "
              "%(place)s.") % {"place": scope.name} if scope.slug else
            _("Bản đồ các điểm bán và chủ thể OCOP có vị trí, kèm danh sách địa chỉ."))
        for pager in paginate(scope.markers, scope.url, MAP_PAGE_SIZE):
            url = scope.url(pager.number)
            where.update((m.anchor, url) for m in pager.items)
            pages.append(PageSpec(
                url=url, template="ocop/map.html", title=title + page_suffix(pager, lang),
                kind="map", description=description,
                context={"scope": scope, "pager": pager,
                         "point_markers": [m for m in pager.items if m.kind == "point-of-sale"],
                         "producer_markers": [m for m in pager.items if m.kind == "producer"]},
            ))
    if several:
        pages.append(PageSpec(
            url=Urls.map(), template="ocop/index-map.html", title=_("Bản đồ nơi mua"),
            kind="index",
            description=_("Bản đồ các điểm bán và chủ thể OCOP theo tỉnh, thành phố."),
            context={"scopes": scopes},
        ))
    return pages, where


def marker_pages(catalogue: Catalogue) -> dict[str, str]:
    """The map page whose address list holds each marker, by the marker's anchor."""
    return _map_pages(map_scopes(catalogue), province_level(catalogue))[1]


def plan_map_pages(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    """One map (a one-province catalogue), or one per province and their index."""
    several = province_level(catalogue)
    return _map_pages(map_scopes(catalogue, regions(catalogue) if several else []), several,
                      lang)[0]
