"""Where to buy: the points of sale and online shops of a product or producer.

Reverse links (a product's points of sale) are filled by the linker; these
functions are the views pages need of them, computed in Python so templates
stay declarative.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..source.records import OnlineShop, PointOfSale, Producer, Product
from ..vietnamese import sorted_vi


def physical(points: Iterable[PointOfSale]) -> list[PointOfSale]:
    """Places a buyer can walk into."""
    return [p for p in points if p.kind != "online"]


def online(points: Iterable[PointOfSale]) -> list[PointOfSale]:
    return [p for p in points if p.kind == "online"]


def producer_points_of_sale(producer: Producer) -> list[PointOfSale]:
    """Points of sale carrying at least one of ``producer``'s products, by name."""
    points = {pos.id: pos for product in producer.products for pos in product.points_of_sale}
    return sorted_vi(points.values(), key=lambda p: p.name)


def producer_online_shops(producer: Producer) -> list[tuple[OnlineShop, list[Product]]]:
    """The online shops of ``producer``'s products, once per address, with their products."""
    shops: dict[str, tuple[OnlineShop, list[Product]]] = {}
    for product in producer.products:
        for shop in product.online_shops:
            shops.setdefault(shop.url, (shop, []))[1].append(product)
    return list(shops.values())


def carried_count(pos: PointOfSale, producer: Producer) -> int:
    """How many of ``producer``'s products ``pos`` carries."""
    return sum(1 for p in pos.products if p.producer_id == producer.id)


def carried_producers(pos: PointOfSale) -> list[Producer]:
    """The producers whose products ``pos`` carries, by name."""
    producers = {p.producer.id: p.producer for p in pos.products}
    return sorted_vi(producers.values(), key=lambda p: p.name)
