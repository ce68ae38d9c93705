"""Producer pages, a big producer's full list of products, and all producers."""

from __future__ import annotations

from ..link.catalogue import Catalogue
from ..source.records import PRODUCER_TYPE_LABELS
from .pages import PAGE_SIZE, PageSpec, listing
from .urls import Urls


def plan_producer_pages(catalogue: Catalogue) -> list[PageSpec]:
    """A page per producer; ``chu-the/<id>/san-pham/`` beyond a page of products."""
    pages = [PageSpec(
        url=Urls.producer(producer), template="ocop/producer.html", title=producer.name,
        kind="producer", context={"producer": producer},
        description=f"{PRODUCER_TYPE_LABELS[producer.type]} {producer.name}, "
                    f"{producer.address.commune}, {producer.address.province}: "
                    f"{len(producer.products)} sản phẩm OCOP.",
    ) for producer in catalogue.producers_sorted]
    for producer in catalogue.producers_sorted:
        # The producer page shows one page of cards; a big producer's full list is paged.
        if len(producer.products) > PAGE_SIZE:
            pages += listing(
                "producer-products", f"Sản phẩm của {producer.name}", producer.products,
                lambda n, p=producer: Urls.producer_products(p, n),
                f"Tất cả sản phẩm OCOP của {producer.name}.", producer=producer)
    pages += listing("producers", "Chủ thể OCOP", catalogue.producers_sorted, Urls.producers,
                     "Hợp tác xã, doanh nghiệp, hộ sản xuất có sản phẩm OCOP.",
                     cards="producers")
    return pages
