"""Breadcrumbs of generated pages: where a page sits in the catalogue, home first.

Derived from the page's kind and records in one place, so that planners stay about
what each page shows; templates print the trail (partials/ocop/breadcrumb.html).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..language import BY_CODE, N_, Language
from .pages import PageSpec
from .urls import Urls


@dataclass(frozen=True)
class Crumb:
    label: str
    #: Site-root-relative URL ('' for the home page).
    url: str
    #: The label is interface text (translated), not a record's name.
    translate: bool = True


HOME = Crumb(N_("Trang chủ"), "")
PRODUCTS = Crumb(N_("Sản phẩm"), Urls.products())
PRODUCERS = Crumb(N_("Chủ thể OCOP"), Urls.producers())
WHERE_TO_BUY = Crumb(N_("Nơi mua"), Urls.points_of_sale())
FAIRS = Crumb(N_("Hội chợ"), Urls.fairs())
BY_STARS = Crumb(N_("Theo hạng sao"), Urls.stars_index)
BY_GROUP = Crumb(N_("Theo nhóm"), Urls.groups_index)
BY_PLACE = Crumb(N_("Theo địa phương"), Urls.places)


def breadcrumbs(spec: PageSpec) -> tuple[Crumb, ...]:
    """The pages above ``spec``, home first (the page itself is not in the trail), in
    the page's language; URLs in the default language (templates link them with
    ``root``, which finds the page's language)."""
    lang = BY_CODE[spec.language]
    return tuple(Crumb(lang.gettext(c.label) if c.translate else c.label, c.url)
                 for c in _trail(spec, lang))


def _trail(spec: PageSpec, lang: Language) -> tuple[Crumb, ...]:
    context = spec.context
    kind = spec.kind
    url = spec.url.removeprefix(lang.prefix)
    if kind == "product":
        product = context["product"]
        return (HOME, PRODUCTS,
                Crumb(lang.text(product.group, "name"), Urls.category(product.group), False),
                Crumb(lang.text(product.subgroup, "name"), Urls.category(product.subgroup),
                      False))
    if kind == "producer":
        return (HOME, PRODUCERS)
    if kind == "producer-products":
        producer = context["producer"]
        return (HOME, PRODUCERS, Crumb(lang.text(producer, "name"), Urls.producer(producer), False))
    if kind == "stars":
        return (HOME, PRODUCTS, BY_STARS)
    if kind == "category":
        group = context["group"]
        trail = (HOME, PRODUCTS, BY_GROUP)
        return trail if group is context["category"] else (
            *trail, Crumb(lang.text(group, "name"), Urls.category(group), False))
    if kind in ("place", "province"):
        return (HOME, PRODUCTS, BY_PLACE)
    if kind == "index" and url in (Urls.stars_index, Urls.groups_index, Urls.places):
        return (HOME, PRODUCTS)
    if url in (Urls.points_of_sale(), Urls.fairs()):
        return (HOME,)
    if kind in ("point-of-sale", "map") or url.startswith(Urls.points_of_sale()):
        return (HOME, WHERE_TO_BUY)
    if kind == "fair" or url.startswith(Urls.fairs()):
        return (HOME, FAIRS)
    return (HOME,)
