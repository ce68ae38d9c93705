"""Stage 4a, plan: which pages the catalogue produces, at which URLs, with which
template and which records (``PageSpec``). Pure data, decided before anything
is rendered; the MkDocs adapter turns each spec into a page.

One planner per page family, run in this order (the order of the site's files).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..language import VIETNAMESE, Language
from ..link.catalogue import Catalogue
from .fairs import plan_fair_pages
from .finder import plan_finder_pages
from .maps import plan_map_pages
from .open_data import plan_open_data_page
from .pages import PageSpec
from .places import plan_place_pages
from .points_of_sale import plan_point_of_sale_pages
from .producers import plan_producer_pages
from .products import plan_product_listings, plan_product_pages
from .statistics import plan_statistics_page
from .suppliers import plan_supplier_pages

Planner = Callable[[Catalogue, Language], list[PageSpec]]

#: Page planners, in order. A module that adds a family of pages adds its planner here.
PLANNERS: list[Planner] = [
    plan_product_pages,
    plan_producer_pages,
    plan_product_listings,
    plan_place_pages,
    plan_point_of_sale_pages,
    plan_fair_pages,
    plan_map_pages,
    plan_finder_pages,
    plan_supplier_pages,
    plan_statistics_page,
    plan_open_data_page,
]


def plan_pages(catalogue: Catalogue, languages: tuple[Language, ...] = (VIETNAMESE,),
               ) -> list[PageSpec]:
    """Every generated page of the catalogue in each of ``languages``, in a stable
    order. Planners write a page's text in the language they are given and its URL
    in the default language; a language's pages sit in its folder (``en/…``).

    Where a planner gives the same URLs in the same order in every language (all do
    today), a page's versions follow one another (a product's Vietnamese page, then
    its English one): in a full render the same worker renders them in turn and
    converts a description the English page shows untranslated once
    (``render_markdown``). Otherwise that family's pages come language by language."""
    if not languages:
        return []
    specs = []
    for planner in PLANNERS:
        planned = [planner(catalogue, language) for language in languages]
        urls = [spec.url for spec in planned[0]]
        if all([spec.url for spec in other] == urls for other in planned[1:]):
            order = [(language, spec) for versions in zip(*planned, strict=True)
                     for language, spec in zip(languages, versions, strict=True)]
        else:  # not the same pages in each language: one language after another
            order = [(language, spec)
                     for language, of_language in zip(languages, planned, strict=True)
                     for spec in of_language]
        for language, spec in order:
            if language.prefix:
                spec = replace(spec, url=language.prefix + spec.url, language=language.code)
            specs.append(spec)
    return specs
