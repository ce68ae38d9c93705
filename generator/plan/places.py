"""``dia-phuong/``: the communes with producers, or, at national scale, the
provinces, each with a page of its communes (``dia-phuong/tinh/<province>/``).
The communes' own product listings are planned with the other listings
(``products``)."""

from __future__ import annotations

from ..language import Language
from ..link.catalogue import Catalogue
from ..link.regions import province_level, regions
from .pages import PageSpec
from .urls import Urls


def plan_place_pages(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    """The places index and, with several provinces, a page of communes per province."""
    _ = lang.gettext
    several = province_level(catalogue)
    by_slug = {r.slug: r for r in regions(catalogue)} if several else {}
    pages = [PageSpec(
        url=Urls.places, template="ocop/index-places.html",
        title=_("Sản phẩm theo địa phương"), kind="index",
        description=_("Sản phẩm OCOP theo tỉnh, thành phố và xã, phường.") if several
        else _("Sản phẩm OCOP theo xã, phường."),
        context={"provinces": list(catalogue.provinces.values()) if several else [],
                 "places": [] if several else list(catalogue.places.values())},
    )]
    for province in catalogue.provinces.values() if several else ():
        region = by_slug[province.slug]
        pages.append(PageSpec(
            url=Urls.province(province.slug), template="ocop/province.html",
            title=province.name, kind="province",
            description=_("Sản phẩm OCOP của %(province)s: %(products)s sản phẩm ở "
                          "%(places)s xã, phường.") % {
                "province": province.name, "products": province.product_count,
                "places": len(province.places)},
            context={"province": province, "region": region, "places": list(province.places)},
        ))
    return pages
