"""Breadcrumbs of generated pages: where a page sits in the catalogue, home first.

Derived from the page's kind and records in one place, so that planners stay about
what each page shows; templates print the trail (partials/ocop/breadcrumb.html).
"""

from __future__ import annotations

from dataclasses import dataclass

from .pages import PageSpec
from .urls import Urls


@dataclass(frozen=True)
class Crumb:
    label: str
    #: Site-root-relative URL ('' for the home page).
    url: str


HOME = Crumb("Trang chủ", "")
PRODUCTS = Crumb("Sản phẩm", Urls.products())
PRODUCERS = Crumb("Chủ thể OCOP", Urls.producers())
WHERE_TO_BUY = Crumb("Nơi mua", Urls.points_of_sale())
FAIRS = Crumb("Hội chợ", Urls.fairs())
BY_STARS = Crumb("Theo hạng sao", Urls.stars_index)
BY_GROUP = Crumb("Theo nhóm", Urls.groups_index)
BY_PLACE = Crumb("Theo địa phương", Urls.places)


def breadcrumbs(spec: PageSpec) -> tuple[Crumb, ...]:
    """The pages above ``spec``, home first (the page itself is not in the trail)."""
    context = spec.context
    kind = spec.kind
    if kind == "product":
        product = context["product"]
        return (HOME, PRODUCTS, Crumb(product.group.name, Urls.category(product.group)),
                Crumb(product.subgroup.name, Urls.category(product.subgroup)))
    if kind == "producer":
        return (HOME, PRODUCERS)
    if kind == "producer-products":
        producer = context["producer"]
        return (HOME, PRODUCERS, Crumb(producer.name, Urls.producer(producer)))
    if kind == "stars":
        return (HOME, PRODUCTS, BY_STARS)
    if kind == "category":
        group = context["group"]
        trail = (HOME, PRODUCTS, BY_GROUP)
        return trail if group is context["category"] else (
            *trail, Crumb(group.name, Urls.category(group)))
    if kind in ("place", "province"):
        return (HOME, PRODUCTS, BY_PLACE)
    if kind == "index" and spec.url in (Urls.stars_index, Urls.groups_index, Urls.places):
        return (HOME, PRODUCTS)
    if spec.url in (Urls.points_of_sale(), Urls.fairs()):
        return (HOME,)
    if kind in ("point-of-sale", "map") or spec.url.startswith(Urls.points_of_sale()):
        return (HOME, WHERE_TO_BUY)
    if kind == "fair" or spec.url.startswith(Urls.fairs()):
        return (HOME, FAIRS)
    return (HOME,)
