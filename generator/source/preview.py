"""Preview a part of a large catalogue, so `make serve` stays quick at national scale.

The selection is written ``province:<name>`` (that province's producers, their
products, and the points of sale and fairs among them) or ``products:<n>`` (the
first producers, in id order, until they hold at least n products). Records left
out are treated like records that failed to load: references to them are not
reported as unknown.
"""

from __future__ import annotations

from .load import LoadedRecords


class PreviewError(ValueError):
    """The preview selection cannot be understood."""


def restrict(loaded: LoadedRecords, selection: str) -> LoadedRecords:
    """Drop every producer (and its products) outside ``selection``, in place."""
    kind, _, value = selection.partition(":")
    kind, value = kind.strip(), value.strip()
    if kind == "province" and value:
        keep = {pid for pid, p in loaded.producers.items()
                if p.address.province.casefold() == value.casefold()}
        if not keep:
            provinces = sorted({p.address.province for p in loaded.producers.values()})
            raise PreviewError(f"no producer in province '{value}'; provinces: "
                               + ", ".join(provinces))
    elif kind == "products" and value.isdigit():
        wanted, count, keep = int(value), 0, set()
        by_producer: dict[str, int] = {}
        for product in loaded.products.values():
            by_producer[product.producer_id] = by_producer.get(product.producer_id, 0) + 1
        for pid in sorted(loaded.producers):
            if count >= wanted:
                break
            keep.add(pid)
            count += by_producer.get(pid, 0)
    else:
        raise PreviewError(f"preview selection '{selection}' is not understood; write "
                           "province:<name> or products:<number>")
    dropped_producers = loaded.producers.keys() - keep
    dropped_products = {pid for pid, p in loaded.products.items() if p.producer_id not in keep}
    loaded.unreadable |= dropped_producers | dropped_products
    loaded.producers = {k: v for k, v in loaded.producers.items() if k in keep}
    loaded.products = {k: v for k, v in loaded.products.items() if k not in dropped_products}
    for pos in loaded.points_of_sale.values():
        pos.carries.producers = [p for p in pos.carries.producers if p in keep]
        pos.carries.products = [p for p in pos.carries.products if p not in dropped_products]
    loaded.points_of_sale = {k: v for k, v in loaded.points_of_sale.items()
                             if v.carries.producers or v.carries.products}
    for fair in loaded.fairs.values():
        fair.exhibitors = [e for e in fair.exhibitors if e.producer in keep]
    return loaded
