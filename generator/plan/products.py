"""Product pages and the listings a shopper browses: all products, by star, by
product group and by commune, with the ``sao/`` and ``nhom/`` index pages."""

from __future__ import annotations

from ..link.catalogue import STAR_LEVELS, Catalogue
from ..source.records import Product
from .pages import PageSpec, listing
from .urls import Urls


def _product_summary(product: Product) -> str:
    p = product.producer
    return (f"{product.name}: sản phẩm OCOP {product.ocop.stars} sao của {p.name}, "
            f"{p.address.commune}, {p.address.province}.")


def plan_product_pages(catalogue: Catalogue) -> list[PageSpec]:
    """A page per product, in Vietnamese name order."""
    return [PageSpec(
        url=Urls.product(product), template="ocop/product.html", title=product.name,
        kind="product", context={"product": product},
        description=_product_summary(product),
    ) for product in catalogue.products_sorted]


def plan_product_listings(catalogue: Catalogue) -> list[PageSpec]:
    """All products; by star; by group and sub-group; by commune; the two indexes."""
    pages = listing("products", "Tất cả sản phẩm", catalogue.products_sorted, Urls.products,
                    "Danh sách sản phẩm OCOP theo thứ tự tên.")
    for stars in STAR_LEVELS:
        pages += listing(
            "stars", f"Sản phẩm OCOP {stars} sao", catalogue.by_stars[stars],
            lambda n, s=stars: Urls.stars(s, n),
            f"Sản phẩm OCOP {stars} sao có giấy chứng nhận còn hiệu lực.",
        )
    for group in catalogue.groups.groups:
        subgroups = catalogue.groups.subgroups[group.id]
        for category in (group, *subgroups):
            items = catalogue.by_category.get(category.id, [])
            if not items and category.parent is not None:
                continue
            pages += listing(
                "category", category.name, items,
                lambda n, c=category: Urls.category(c, n),
                f"Sản phẩm OCOP nhóm {category.name}.",
                category=category, group=group,
                subgroups=[s for s in subgroups if catalogue.by_category.get(s.id)]
                if category.parent is None else [],
            )
    for place in catalogue.places.values():
        pages += listing(
            "place", f"{place.commune}, {place.province}", place.products,
            lambda n, s=place.slug: Urls.place(s, n),
            f"Sản phẩm OCOP của {place.commune}, {place.province}.",
            place=place,
        )
    pages.append(PageSpec(url=Urls.stars_index, template="ocop/index-stars.html",
                          title="Sản phẩm theo hạng sao", kind="index",
                          description="Sản phẩm OCOP 3, 4 và 5 sao."))
    pages.append(PageSpec(url=Urls.groups_index, template="ocop/index-groups.html",
                          title="Sản phẩm theo nhóm", kind="index",
                          description="Sáu nhóm sản phẩm OCOP theo Quyết định 148/QĐ-TTg."))
    return pages
