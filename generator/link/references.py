"""Resolve the ids staff write in points of sale and fairs to linked records.

Fills the reverse links too: a product's points of sale and fairs, an
exhibitor's producer and products.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source.fields import Source
from ..source.problems import Problems
from ..source.records import Fair, PointOfSale, Producer, Product
from ..vietnamese import sorted_vi
from .checks import check_location


@dataclass
class References:
    """Resolves ids written in points of sale and fairs to linked records."""

    products: dict[str, Product]
    producers: dict[str, Producer]
    #: Ids whose own file has a reported problem: no second "unknown" error.
    reported: set[str]
    problems: Problems

    def product(self, product_id: str, source: Source, where: str) -> Product | None:
        product = self.products.get(product_id)
        if product is None and product_id not in self.reported:
            self.problems.error(source.at(where), where, f"unknown product '{product_id}'")
        return product

    def producer(self, producer_id: str, source: Source, where: str) -> Producer | None:
        producer = self.producers.get(producer_id)
        if producer is None and producer_id not in self.reported:
            self.problems.error(source.at(where), where, f"unknown producer '{producer_id}'")
        return producer


def link_point_of_sale(pos: PointOfSale, refs: References, problems: Problems) -> None:
    src = pos.source
    carried: dict[str, Product] = {}
    if not pos.carries.producers and not pos.carries.products:
        problems.error(src.at("carries"), "carries", "list at least one producer or product")
    if pos.kind != "online" and pos.address is None:
        problems.error(src.at(""), "address", "required field is missing (only online shops "
                       "may leave it out)")
    for i, producer_id in enumerate(pos.carries.producers):
        producer = refs.producer(producer_id, src, f"carries.producers[{i}]")
        if producer is not None:
            carried.update((product.id, product) for product in producer.products)
    for i, product_id in enumerate(pos.carries.products):
        product = refs.product(product_id, src, f"carries.products[{i}]")
        if product is not None:
            carried[product.id] = product
    pos.products = sorted_vi(carried.values(), key=lambda p: p.name)
    for product in pos.products:
        product.points_of_sale.append(pos)
    check_location(pos, problems)


def link_fair(fair: Fair, refs: References, problems: Problems) -> None:
    src = fair.source
    if fair.ends < fair.starts:
        problems.error(src.at("ends"), "ends",
                       f"the fair ends ({fair.ends:%d/%m/%Y}) before it starts "
                       f"({fair.starts:%d/%m/%Y})")
    seen: set[str] = set()
    for i, exhibitor in enumerate(fair.exhibitors):
        where = f"exhibitors[{i}]"
        producer = refs.producer(exhibitor.producer, src, f"{where}.producer")
        if producer is None:
            continue
        if producer.id in seen:
            problems.error(src.at(f"{where}.producer"), f"{where}.producer",
                           f"producer '{producer.id}' is listed twice")
        seen.add(producer.id)
        exhibitor.producer_record = producer
        for j, product_id in enumerate(exhibitor.products):
            product = refs.product(product_id, src, f"{where}.products[{j}]")
            if product is None:
                continue
            if product.producer_id != producer.id:
                problems.error(src.at(f"{where}.products[{j}]"), f"{where}.products[{j}]",
                               f"product '{product_id}' belongs to '{product.producer_id}', "
                               f"not to '{producer.id}'")
            else:
                exhibitor.product_records.append(product)
        shown = exhibitor.product_records or producer.products
        for product in shown:
            product.fairs.append(fair)
