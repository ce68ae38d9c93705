"""Product pages and the listings a shopper browses: all products, by star, by
product group and by commune, with the ``sao/`` and ``nhom/`` index pages."""

from __future__ import annotations

from ..language import Language
from ..link.catalogue import STAR_LEVELS, Catalogue
from ..source.records import Product
from .pages import PageSpec, listing
from .urls import Urls


def _product_summary(product: Product, lang: Language) -> str:
    p = product.producer
    return lang.gettext("%(product)s: sản phẩm OCOP %(stars)s sao của %(producer)s, "
                        "%(commune)s, %(province)s.") % {
        "product": lang.text(product, "name"), "stars": product.ocop.stars,
        "producer": lang.text(p, "name"), "commune": p.address.commune,
        "province": p.address.province}


def plan_product_pages(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    """A page per product, in Vietnamese name order."""
    return [PageSpec(
        url=Urls.product(product), template="ocop/product.html",
        title=lang.text(product, "name"), kind="product", context={"product": product},
        description=_product_summary(product, lang),
    ) for product in catalogue.products_sorted]


def plan_product_listings(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    """All products; by star; by group and sub-group; by commune; the two indexes."""
    _ = lang.gettext
    pages = listing(lang, "products", _("Tất cả sản phẩm"), catalogue.products_sorted,
                    Urls.products, _("Danh sách sản phẩm OCOP theo thứ tự tên."))
    for stars in STAR_LEVELS:
        pages += listing(
            lang, "stars", _("Sản phẩm OCOP %(stars)s sao") % {"stars": stars},
            catalogue.by_stars[stars], lambda n, s=stars: Urls.stars(s, n),
            _("Sản phẩm OCOP %(stars)s sao có giấy chứng nhận còn hiệu lực.") % {"stars": stars},
        )
    for group in catalogue.groups.groups:
        subgroups = catalogue.groups.subgroups[group.id]
        for category in (group, *subgroups):
            items = catalogue.by_category.get(category.id, [])
            if not items and category.parent is not None:
                continue
            name = lang.text(category, "name")
            pages += listing(
                lang, "category", name, items,
                lambda n, c=category: Urls.category(c, n),
                _("Sản phẩm OCOP nhóm %(group)s.") % {"group": name},
                category=category, group=group,
                subgroups=[s for s in subgroups if catalogue.by_category.get(s.id)]
                if category.parent is None else [],
            )
    for place in catalogue.places.values():
        pages += listing(
            lang, "place", f"{place.commune}, {place.province}", place.products,
            lambda n, s=place.slug: Urls.place(s, n),
            _("Sản phẩm OCOP của %(place)s.") % {"place": f"{place.commune}, {place.province}"},
            place=place,
        )
    pages.append(PageSpec(url=Urls.stars_index, template="ocop/index-stars.html",
                          title=_("Sản phẩm theo hạng sao"), kind="index",
                          description=_("Sản phẩm OCOP 3, 4 và 5 sao.")))
    pages.append(PageSpec(url=Urls.groups_index, template="ocop/index-groups.html",
                          title=_("Sản phẩm theo nhóm"), kind="index",
                          description=_("Sáu nhóm sản phẩm OCOP theo Quyết định 148/QĐ-TTg.")))
    return pages
