"""Fairs on the build date: which are to come, which are over, who shows what.

Pure derivations from the linked records; templates call them through
``ocop_trade`` and planners and writers import them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..language import N_
from ..source.records import Exhibitor, Fair, Producer, Product

FairPhase = Literal["upcoming", "ongoing", "past"]

FAIR_PHASE_LABELS: dict[str, str] = {
    "upcoming": N_("Sắp diễn ra"),
    "ongoing": N_("Đang diễn ra"),
    "past": N_("Đã diễn ra"),
}


def fair_phase(fair: Fair, today: dt.date) -> FairPhase:
    """Where a fair stands on ``today`` (both its first and last day count as open)."""
    if fair.ends < today:
        return "past"
    if fair.starts > today:
        return "upcoming"
    return "ongoing"


def is_current(fair: Fair, today: dt.date) -> bool:
    """Still worth going to: not over yet (upcoming or ongoing)."""
    return fair.ends >= today


def current_fairs(fairs: Iterable[Fair], today: dt.date) -> list[Fair]:
    """Fairs not over on ``today``, soonest first."""
    return sorted((f for f in fairs if is_current(f, today)), key=lambda f: (f.starts, f.id))


@dataclass(frozen=True)
class FairYear:
    year: int
    fairs: tuple[Fair, ...]


@dataclass(frozen=True)
class FairSchedule:
    """The fairs index on one build date."""

    #: Upcoming and ongoing fairs, soonest first.
    current: tuple[Fair, ...]
    #: Past fairs by year of their start, latest year first, latest fair first.
    past_by_year: tuple[FairYear, ...]


def fair_schedule(fairs: Iterable[Fair], today: dt.date) -> FairSchedule:
    fairs = list(fairs)
    past: dict[int, list[Fair]] = defaultdict(list)
    for fair in fairs:
        if not is_current(fair, today):
            past[fair.starts.year].append(fair)
    years = tuple(
        FairYear(year, tuple(sorted(past[year], key=lambda f: (f.starts, f.id), reverse=True)))
        for year in sorted(past, reverse=True)
    )
    return FairSchedule(tuple(current_fairs(fairs, today)), years)


@dataclass(frozen=True)
class FairAppearance:
    """A producer at a fair: where to find its booth and what it shows."""

    fair: Fair
    exhibitor: Exhibitor


def producer_fairs(producer: Producer, today: dt.date, past: bool = False
                   ) -> list[FairAppearance]:
    """Fairs not over on ``today`` where ``producer`` exhibits, soonest first; with
    ``past``, the fairs it took part in instead, latest first.

    Uses the products' reverse links (filled by the linker), so the cost is that
    of the producer's own fairs, not of every fair in the catalogue.
    """
    fairs = {f.id: f for product in producer.products for f in product.fairs}
    if past:
        chosen = sorted((f for f in fairs.values() if not is_current(f, today)),
                        key=lambda f: (f.starts, f.id), reverse=True)
    else:
        chosen = current_fairs(fairs.values(), today)
    appearances = []
    for fair in chosen:
        for exhibitor in fair.exhibitors:
            if exhibitor.producer == producer.id:
                appearances.append(FairAppearance(fair, exhibitor))
                break
    return appearances


def product_fairs(product: Product, today: dt.date) -> list[FairAppearance]:
    """Fairs not over on ``today`` that show ``product``, with its producer's booth."""
    appearances = []
    for fair in current_fairs(product.fairs, today):
        for exhibitor in fair.exhibitors:
            if exhibitor.producer == product.producer_id:
                appearances.append(FairAppearance(fair, exhibitor))
                break
    return appearances


def shown_products(exhibitor: Exhibitor) -> list[Product]:
    """What an exhibitor shows: the products listed, else all of the producer's."""
    return list(exhibitor.product_records or exhibitor.producer_record.products)
