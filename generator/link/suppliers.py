"""Producers as buyers see them: the product groups, stars and standards they are
found by (the supplier directory, its filter, the exports and the vCards).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..source.groups import Category
from ..source.records import Producer
from ..vietnamese import fold
from .catalogue import Catalogue

_YEAR_SUFFIX = re.compile(r"\s*:\s*(19|20)\d\d\s*$")


def standard_label(text: str) -> str:
    """The facet a standard is filed under: the name without its edition year.

    Staff write 'ISO 22000:2018' or 'ISO 22000'; a buyer asks for ISO 22000.
    The producer page and the exports keep the text as written.
    """
    return " ".join(_YEAR_SUFFIX.sub("", text).split())


@dataclass(frozen=True)
class Supplier:
    """A producer seen by a buyer: its facts plus the facets it is found by."""

    producer: Producer
    #: Product groups of its products, in the order of the decision.
    groups: tuple[Category, ...]
    #: Star levels of its currently certified products, highest first.
    stars: tuple[int, ...]
    #: Standards held, as facet labels (``standard_label``), without repeats in any case.
    standards: tuple[str, ...]


def supplier(producer: Producer, group_order: dict[str, int]) -> Supplier:
    groups = {p.group.id: p.group for p in producer.products}
    stars = {p.ocop.stars for p in producer.products if p.status.certified}
    standards: dict[str, str] = {}
    for text in producer.supplier.standards:
        label = standard_label(text)
        if label:
            standards.setdefault(fold(label), label)
    return Supplier(
        producer=producer,
        groups=tuple(sorted(groups.values(), key=lambda g: group_order[g.id])),
        stars=tuple(sorted(stars, reverse=True)),
        standards=tuple(standards.values()),
    )


def suppliers(catalogue: Catalogue) -> list[Supplier]:
    """Every producer as a supplier, in Vietnamese name order."""
    order = {g.id: i for i, g in enumerate(catalogue.groups.groups)}
    return [supplier(p, order) for p in catalogue.producers_sorted]
