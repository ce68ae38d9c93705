"""Stage 4a, plan: which pages the catalogue produces, at which URLs, with which
template and which records (``PageSpec``). Pure data, decided before anything
is rendered; the MkDocs adapter turns each spec into a page.

One planner per page family, run in this order (the order of the site's files).
"""

from __future__ import annotations

from collections.abc import Callable

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

Planner = Callable[[Catalogue], list[PageSpec]]

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


def plan_pages(catalogue: Catalogue) -> list[PageSpec]:
    """Every generated page of the catalogue, in a stable order."""
    return [spec for planner in PLANNERS for spec in planner(catalogue)]
