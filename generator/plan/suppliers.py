"""Supplier directory for retailers and buyers: facets, filter data and pages.

A buyer filters producers by product group, commune, star level of their
products, producer type, the standards they hold and wholesale. The filter runs
in the browser over a compact JSON (``filter_data``), loaded separately from the
page, so every page's HTML stays bounded whatever the catalogue's size; without
JavaScript the directory is a paginated listing and the full list is a download.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..link.catalogue import STAR_LEVELS, Catalogue
from ..link.text import fold, sort_key
from ..source.groups import Category
from ..source.records import Producer
from .pages import PRODUCER_TYPE_LABELS, PageSpec, paginate
from .urls import DataUrls

#: Version of the filter data's layout; the script refuses data of another major.
FILTER_DATA_VERSION = 1

#: Columns of one producer row in the filter data, in order (indexes refer to the
#: facet tables of the same file).
FILTER_FIELDS = (
    "id", "name", "type", "place", "groups", "stars", "standards", "wholesale",
    "capacity", "minimum_order", "phone", "email", "zalo", "website", "products",
)

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


@dataclass(frozen=True)
class FacetOption:
    """One value a buyer can filter by, with the number of producers that have it."""

    key: str
    label: str
    count: int
    #: Province of a commune option (the filter groups communes by province).
    group: str = ""


@dataclass(frozen=True)
class Facets:
    groups: tuple[FacetOption, ...]
    places: tuple[FacetOption, ...]
    stars: tuple[FacetOption, ...]
    types: tuple[FacetOption, ...]
    standards: tuple[FacetOption, ...]
    wholesale: int


def facets(catalogue: Catalogue, entries: list[Supplier]) -> Facets:
    """The filter's options; only values some producer has, each with its count."""
    group_counts = Counter(g.id for s in entries for g in s.groups)
    star_counts = Counter(n for s in entries for n in s.stars)
    type_counts = Counter(s.producer.type for s in entries)
    # A standard is one facet whatever the case it is written in: 'haccp' is HACCP.
    standard_counts = Counter(fold(label) for s in entries for label in s.standards)
    standard_names: dict[str, str] = {}
    for s in entries:
        for label in s.standards:
            standard_names.setdefault(fold(label), label)
    places = [
        FacetOption(place.slug, place.commune, len(place.producers), place.province)
        for place in catalogue.places.values()
    ]
    return Facets(
        groups=tuple(FacetOption(g.id, g.name, group_counts[g.id])
                     for g in catalogue.groups.groups if group_counts[g.id]),
        places=tuple(sorted(places, key=lambda o: (sort_key(o.group), sort_key(o.label)))),
        stars=tuple(FacetOption(str(n), f"{n} sao", star_counts[n])
                    for n in sorted(STAR_LEVELS, reverse=True) if star_counts[n]),
        types=tuple(FacetOption(kind, label, type_counts[kind])
                    for kind, label in PRODUCER_TYPE_LABELS.items() if type_counts[kind]),
        standards=tuple(FacetOption(key, standard_names[key], count)
                        for key, count in sorted(standard_counts.items(),
                                                 key=lambda kv: (-kv[1], kv[0]))),
        wholesale=sum(1 for s in entries if s.producer.supplier.wholesale),
    )


def filter_data(catalogue: Catalogue) -> dict[str, Any]:
    """The supplier filter's JSON: facet tables plus one compact row per producer.

    Rows are arrays (``FILTER_FIELDS``) with facets as indexes into the tables:
    at national scale (9,000 producers) repeating keys and names would triple
    the download.
    """
    entries = suppliers(catalogue)
    f = facets(catalogue, entries)
    index = {
        "types": {o.key: i for i, o in enumerate(f.types)},
        "places": {o.key: i for i, o in enumerate(f.places)},
        "groups": {o.key: i for i, o in enumerate(f.groups)},
        "standards": {o.key: i for i, o in enumerate(f.standards)},
    }
    rows = []
    for s in entries:
        p = s.producer
        c = p.contacts
        rows.append([
            p.id, p.name, index["types"][p.type], index["places"][p.place_slug],
            [index["groups"][g.id] for g in s.groups], list(s.stars),
            sorted(index["standards"][fold(label)] for label in s.standards),
            1 if p.supplier.wholesale else 0,
            p.supplier.capacity, p.supplier.minimum_order,
            c.phone, c.email, c.zalo, c.website, len(p.products),
        ])
    return {
        "version": FILTER_DATA_VERSION,
        "build_date": catalogue.build_date.isoformat(),
        "fields": list(FILTER_FIELDS),
        "types": [[o.key, o.label, o.count] for o in f.types],
        "places": [[o.key, o.label, o.group, o.count] for o in f.places],
        "groups": [[o.key, o.label, o.count] for o in f.groups],
        "stars": [[int(o.key), o.count] for o in f.stars],
        "standards": [[o.label, o.count] for o in f.standards],
        "producers": rows,
    }


def plan_supplier_pages(catalogue: Catalogue) -> list[PageSpec]:
    """The supplier directory: a paginated listing that the filter script takes over."""
    entries = suppliers(catalogue)
    wholesale = sum(1 for s in entries if s.producer.supplier.wholesale)
    pages = []
    for pager in paginate(entries, DataUrls.suppliers):
        suffix = f" – trang {pager.number}" if pager.number > 1 else ""
        pages.append(PageSpec(
            url=DataUrls.suppliers(pager.number), template="ocop/suppliers.html",
            title="Nhà cung cấp" + suffix, kind="suppliers",
            description="Tìm nhà cung cấp sản phẩm OCOP theo nhóm hàng, xã phường, hạng sao, "
                        "loại chủ thể và tiêu chuẩn; năng lực, đơn hàng tối thiểu, liên hệ.",
            context={"pager": pager, "wholesale_count": wholesale},
        ))
    return pages
