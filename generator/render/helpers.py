"""What templates call besides filters: the Jinja global ``ocop_trade``.

Derived views of fairs and points of sale (``link.fairs``,
``link.where_to_buy``) and the labels of their kinds, so that templates stay
declarative: they loop over what these return, they do not compute it.
"""

from __future__ import annotations

from ..link.fairs import (
    FAIR_PHASE_LABELS,
    fair_phase,
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
from ..source.records import POINT_OF_SALE_KINDS
from ..vietnamese import address_line


class TradeHelpers:
    """Fairs and points of sale as templates see them."""

    kinds = POINT_OF_SALE_KINDS
    phase_labels = FAIR_PHASE_LABELS
    fair_phase = staticmethod(fair_phase)
    product_fairs = staticmethod(product_fairs)
    producer_fairs = staticmethod(producer_fairs)
    producer_points_of_sale = staticmethod(producer_points_of_sale)
    producer_online_shops = staticmethod(producer_online_shops)
    carried_count = staticmethod(carried_count)
    carried_producers = staticmethod(carried_producers)
    shown_products = staticmethod(shown_products)
    physical = staticmethod(physical)
    online = staticmethod(online)
    address_line = staticmethod(address_line)
