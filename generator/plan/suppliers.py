"""Supplier directory for retailers and buyers: its pages.

A buyer filters producers by product group, commune, star level of their
products, producer type, the standards they hold and wholesale. The filter runs
in the browser over a compact JSON (``filter_data``), loaded separately from the
page, so every page's HTML stays bounded whatever the catalogue's size; without
JavaScript the directory is a paginated listing and the full list is a download.
"""

from __future__ import annotations

from ..language import Language
from ..link.catalogue import Catalogue
from ..link.suppliers import suppliers
from .pages import PageSpec, page_suffix, paginate
from .urls import Urls


def plan_supplier_pages(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    """The supplier directory: a paginated listing that the filter script takes over."""
    _ = lang.gettext
    entries = suppliers(catalogue)
    wholesale = sum(1 for s in entries if s.producer.supplier.wholesale)
    pages = []
    for pager in paginate(entries, Urls.suppliers):
        pages.append(PageSpec(
            url=Urls.suppliers(pager.number), template="ocop/suppliers.html",
            title=_("Nhà cung cấp") + page_suffix(pager, lang), kind="suppliers",
            description=_("Tìm nhà cung cấp sản phẩm OCOP theo nhóm hàng, xã phường, hạng sao, "
                          "loại chủ thể và tiêu chuẩn; năng lực, đơn hàng tối thiểu, liên hệ."),
            context={"pager": pager, "wholesale_count": wholesale},
        ))
    return pages
