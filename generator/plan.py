"""Render plan: every generated page of the site, from each page planner."""

from __future__ import annotations

from collections.abc import Callable

from .catalogue import Catalogue
from .pages import PageSpec, plan_catalogue_pages
from .regions import plan_region_pages
from .trade import plan_trade_pages

Planner = Callable[[Catalogue], list[PageSpec]]

#: Page planners, in order. A module that adds a kind of page adds its planner here.
PLANNERS: list[Planner] = [plan_catalogue_pages]
PLANNERS.append(plan_trade_pages)
PLANNERS.append(plan_region_pages)


def plan_pages(catalogue: Catalogue) -> list[PageSpec]:
    """Every generated page of the catalogue, in a stable order."""
    return [spec for planner in PLANNERS for spec in planner(catalogue)]
