"""``dia-phuong/``: the communes with producers, or, at national scale, the
provinces, each with a page of its communes (``dia-phuong/tinh/<province>/``).
The communes' own product listings are planned with the other listings
(``products``)."""

from __future__ import annotations

from ..link.catalogue import Catalogue
from ..link.regions import province_level, regions
from .pages import PageSpec
from .urls import Urls


def plan_place_pages(catalogue: Catalogue) -> list[PageSpec]:
    """The places index and, with several provinces, a page of communes per province."""
    several = province_level(catalogue)
    by_slug = {r.slug: r for r in regions(catalogue)} if several else {}
    pages = [PageSpec(
        url=Urls.places, template="ocop/index-places.html",
        title="Sản phẩm theo địa phương", kind="index",
        description="Sản phẩm OCOP theo tỉnh, thành phố và xã, phường." if several
        else "Sản phẩm OCOP theo xã, phường.",
        context={"provinces": list(catalogue.provinces.values()) if several else [],
                 "places": [] if several else list(catalogue.places.values())},
    )]
    for province in catalogue.provinces.values() if several else ():
        region = by_slug[province.slug]
        pages.append(PageSpec(
            url=Urls.province(province.slug), template="ocop/province.html",
            title=province.name, kind="province",
            description=f"Sản phẩm OCOP của {province.name}: {province.product_count} sản "
                        f"phẩm ở {len(province.places)} xã, phường.",
            context={"province": province, "region": region, "places": list(province.places)},
        ))
    return pages
