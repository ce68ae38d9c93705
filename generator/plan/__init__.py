"""Render plan: every generated page of the site, from each page planner."""

from __future__ import annotations

from collections.abc import Callable

from ..link.catalogue import Catalogue
from ..link.regions import plan_region_pages
from .finder import plan_finder_pages
from .open_data import plan_open_data_page
from .pages import PageSpec, plan_catalogue_pages
from .statistics import plan_statistics_page
from .suppliers import plan_supplier_pages
from .trade import plan_trade_pages

Planner = Callable[[Catalogue], list[PageSpec]]

#: Page planners, in order. A module that adds a kind of page adds its planner here.
PLANNERS: list[Planner] = [
    plan_catalogue_pages,
    plan_trade_pages,
    plan_region_pages,
    plan_finder_pages,
    plan_supplier_pages,
    plan_statistics_page,
    plan_open_data_page,
]


def plan_pages(catalogue: Catalogue) -> list[PageSpec]:
    """Every generated page of the catalogue, in a stable order."""
    return [spec for planner in PLANNERS for spec in planner(catalogue)]
