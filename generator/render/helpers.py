"""What templates call besides filters: the Jinja global ``ocop_trade``.

Derived views of fairs and points of sale (``link.fairs``,
``link.where_to_buy``) and the labels of their kinds, so that templates stay
declarative: they loop over what these return, they do not compute it.
"""

from __future__ import annotations

from ..link.fairs import (
    FAIR_PHASE_LABELS,
    FairAppearance,
    FairPhase,
    producer_fairs,
    product_fairs,
    shown_products,
)
from ..link.where_to_buy import (
    carried_count,
    carried_producers,
    online,
    physical,
    producer_online_shops,
    producer_points_of_sale,
)
from ..source.records import POINT_OF_SALE_KINDS, Fair, Producer, Product
from ..vietnamese import address_line
from .clock import Clock


class TradeHelpers:
    """Fairs and points of sale as templates see them, on the build date of
    ``clock`` (a page listing fairs depends on their phases, not on the date)."""

    kinds = POINT_OF_SALE_KINDS
    phase_labels = FAIR_PHASE_LABELS

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def fair_phase(self, fair: Fair) -> FairPhase:
        return self._clock.fair_phase(fair)

    def product_fairs(self, product: Product) -> list[FairAppearance]:
        """Fairs to come or open that show ``product`` (``link.fairs.product_fairs``)."""
        for fair in product.fairs:  # which of them are shown depends on their phases
            self._clock.fair_phase(fair)
        return product_fairs(product, self._clock.unnoted_today())

    def producer_fairs(self, producer: Producer, past: bool = False) -> list[FairAppearance]:
        """``link.fairs.producer_fairs`` on the build date."""
        for product in producer.products:
            for fair in product.fairs:
                self._clock.fair_phase(fair)
        return producer_fairs(producer, self._clock.unnoted_today(), past)

    producer_points_of_sale = staticmethod(producer_points_of_sale)
    producer_online_shops = staticmethod(producer_online_shops)
    carried_count = staticmethod(carried_count)
    carried_producers = staticmethod(carried_producers)
    shown_products = staticmethod(shown_products)
    physical = staticmethod(physical)
    online = staticmethod(online)
    address_line = staticmethod(address_line)
