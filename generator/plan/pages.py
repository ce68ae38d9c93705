"""Render plan: which pages the catalogue produces, at which URLs, with which
template and which records. Pure data; the MkDocs adapter turns it into pages.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..link.catalogue import STAR_LEVELS, Catalogue
from ..source.groups import Category
from ..source.records import Fair, PointOfSale, Producer, Product

#: At most this many cards on one listing page.
PAGE_SIZE = 48

PRODUCER_TYPE_LABELS = {
    "cooperative": "Hợp tác xã",
    "cooperative_group": "Tổ hợp tác",
    "enterprise": "Doanh nghiệp",
    "household": "Hộ sản xuất kinh doanh",
}


class Urls:
    """Site-root-relative URLs (directory style) of every catalogue page."""

    @staticmethod
    def product(product: Product) -> str:
        return f"san-pham/{product.id}/"

    @staticmethod
    def producer(producer: Producer) -> str:
        return f"chu-the/{producer.id}/"

    @staticmethod
    def stars(stars: int, page: int = 1) -> str:
        return paged_url(f"sao/{stars}/", page)

    @staticmethod
    def category(category: Category, page: int = 1) -> str:
        return paged_url(f"nhom/{category.id}/", page)

    @staticmethod
    def place(slug: str, page: int = 1) -> str:
        return paged_url(f"dia-phuong/{slug}/", page)

    @staticmethod
    def products(page: int = 1) -> str:
        return paged_url("san-pham/", page)

    @staticmethod
    def producers(page: int = 1) -> str:
        return paged_url("chu-the/", page)

    @staticmethod
    def producer_products(producer: Producer, page: int = 1) -> str:
        """All products of a producer with more than a page of them."""
        return paged_url(f"chu-the/{producer.id}/san-pham/", page)

    @staticmethod
    def point_of_sale(pos: PointOfSale) -> str:
        return f"diem-ban/{pos.id}/"

    @staticmethod
    def fair(fair: Fair) -> str:
        return f"hoi-cho/{fair.id}/"


def paged_url(base: str, page: int) -> str:
    """URL of page ``page`` of a listing at ``base``: base, then base/trang-2/ …"""
    return base if page == 1 else f"{base}trang-{page}/"


def src_uri(url: str) -> str:
    """The virtual source file of a directory URL: 'san-pham/x/' → 'san-pham/x.md'.

    Section pages ('san-pham/') become 'san-pham.md', served at the same URL.
    """
    return url.rstrip("/") + ".md"


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str


@dataclass(frozen=True)
class Pager:
    """One page of a paginated listing."""

    items: Sequence[Any]
    number: int
    count: int
    total_items: int
    links: tuple[PageLink, ...]

    @property
    def previous(self) -> PageLink | None:
        return self.links[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> PageLink | None:
        return self.links[self.number] if self.number < self.count else None


@dataclass(frozen=True)
class PageSpec:
    """One generated page: where it goes, how it looks, what it shows."""

    url: str
    template: str
    title: str
    kind: str
    context: dict[str, Any] = field(default_factory=dict)
    #: One-sentence summary for <meta name="description"> and social cards.
    description: str = ""

    @property
    def src_uri(self) -> str:
        return src_uri(self.url)


def paginate(items: Sequence[Any], url_of: Any, size: int = PAGE_SIZE) -> list[Pager]:
    count = max(1, math.ceil(len(items) / size))
    links = tuple(PageLink(n, url_of(n)) for n in range(1, count + 1))
    return [Pager(items[(n - 1) * size: n * size], n, count, len(items), links)
            for n in range(1, count + 1)]


def _listing(kind: str, title: str, items: Sequence[Any], url_of: Any, description: str,
             **context: Any) -> list[PageSpec]:
    pages = []
    for pager in paginate(items, url_of):
        suffix = f" – trang {pager.number}" if pager.number > 1 else ""
        pages.append(PageSpec(
            url=url_of(pager.number), template="ocop/listing.html", title=title + suffix,
            kind=kind, description=description,
            context={"pager": pager, "heading": title, **context},
        ))
    return pages


def _product_summary(product: Product) -> str:
    p = product.producer
    return (f"{product.name}: sản phẩm OCOP {product.ocop.stars} sao của {p.name}, "
            f"{p.address.commune}, {p.address.province}.")


def plan_catalogue_pages(catalogue: Catalogue) -> list[PageSpec]:
    """Products, producers and the browse listings."""
    pages: list[PageSpec] = []
    for product in catalogue.products_sorted:
        pages.append(PageSpec(
            url=Urls.product(product), template="ocop/product.html", title=product.name,
            kind="product", context={"product": product},
            description=_product_summary(product),
        ))
    for producer in catalogue.producers_sorted:
        pages.append(PageSpec(
            url=Urls.producer(producer), template="ocop/producer.html", title=producer.name,
            kind="producer", context={"producer": producer},
            description=f"{PRODUCER_TYPE_LABELS[producer.type]} {producer.name}, "
                        f"{producer.address.commune}, {producer.address.province}: "
                        f"{len(producer.products)} sản phẩm OCOP.",
        ))
    for producer in catalogue.producers_sorted:
        # The producer page shows one page of cards; a big producer's full list is paged.
        if len(producer.products) > PAGE_SIZE:
            pages += _listing(
                "producer-products", f"Sản phẩm của {producer.name}", producer.products,
                lambda n, p=producer: Urls.producer_products(p, n),
                f"Tất cả sản phẩm OCOP của {producer.name}.", producer=producer)
    pages += _listing("products", "Tất cả sản phẩm", catalogue.products_sorted, Urls.products,
                      "Danh sách sản phẩm OCOP theo thứ tự tên.")
    pages += _listing("producers", "Chủ thể OCOP", catalogue.producers_sorted, Urls.producers,
                      "Hợp tác xã, doanh nghiệp, hộ sản xuất có sản phẩm OCOP.",
                      cards="producers")
    for stars in STAR_LEVELS:
        pages += _listing(
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
            pages += _listing(
                "category", category.name, items,
                lambda n, c=category: Urls.category(c, n),
                f"Sản phẩm OCOP nhóm {category.name}.",
                category=category,
                subgroups=[s for s in subgroups if catalogue.by_category.get(s.id)]
                if category.parent is None else [],
            )
    for place in catalogue.places.values():
        pages += _listing(
            "place", f"{place.commune}, {place.province}", place.products,
            lambda n, s=place.slug: Urls.place(s, n),
            f"Sản phẩm OCOP của {place.commune}, {place.province}.",
            place=place,
        )
    pages.append(PageSpec(url="sao/", template="ocop/index-stars.html",
                          title="Sản phẩm theo hạng sao", kind="index",
                          description="Sản phẩm OCOP 3, 4 và 5 sao."))
    pages.append(PageSpec(url="nhom/", template="ocop/index-groups.html",
                          title="Sản phẩm theo nhóm", kind="index",
                          description="Sáu nhóm sản phẩm OCOP theo Quyết định 148/QĐ-TTg."))
    # dia-phuong/ (communes or provinces) is planned by regions.plan_region_pages.
    return pages
