"""Producer pages, a big producer's full list of products, and all producers."""

from __future__ import annotations

from ..language import Language
from ..link.catalogue import Catalogue
from ..source.records import PRODUCER_TYPE_LABELS
from .pages import PAGE_SIZE, PageSpec, listing
from .urls import Urls


def plan_producer_pages(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    """A page per producer; ``chu-the/<id>/san-pham/`` beyond a page of products."""
    _ = lang.gettext
    pages = [PageSpec(
        url=Urls.producer(producer), template="ocop/producer.html",
        title=lang.text(producer, "name"), kind="producer", context={"producer": producer},
        description=_("%(type)s %(producer)s, %(commune)s, %(province)s: "
                      "%(count)s sản phẩm OCOP.") % {
            "type": _(PRODUCER_TYPE_LABELS[producer.type]),
            "producer": lang.text(producer, "name"), "commune": producer.address.commune,
            "province": producer.address.province, "count": len(producer.products)},
    ) for producer in catalogue.producers_sorted]
    for producer in catalogue.producers_sorted:
        # The producer page shows one page of cards; a big producer's full list is paged.
        if len(producer.products) > PAGE_SIZE:
            name = lang.text(producer, "name")
            pages += listing(
                lang, "producer-products", _("Sản phẩm của %(producer)s") % {"producer": name},
                producer.products, lambda n, p=producer: Urls.producer_products(p, n),
                _("Tất cả sản phẩm OCOP của %(producer)s.") % {"producer": name},
                producer=producer)
    pages += listing(lang, "producers", _("Chủ thể OCOP"), catalogue.producers_sorted,
                     Urls.producers, _("Hợp tác xã, doanh nghiệp, hộ sản xuất có sản phẩm OCOP."),
                     cards="producers")
    return pages
