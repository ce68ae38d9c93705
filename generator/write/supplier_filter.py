"""The supplier filter's data: a compact JSON beside the directory, plain and gzipped.

A buyer filters producers by product group, commune, star level of their
products, producer type, the standards they hold and wholesale. The filter runs
in the browser (``ocop-suppliers.js``) over this file, loaded separately from
the page, so every page's HTML stays bounded whatever the catalogue's size.
The script fetches the gzipped copy and inflates it in the browser, so the
download stays small on any static host, even one that does not compress
responses; browsers without ``DecompressionStream`` fetch the plain copy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..language import VIETNAMESE, Language
from ..link.catalogue import STAR_LEVELS, Catalogue
from ..link.suppliers import Supplier, suppliers
from ..plan.urls import Urls
from ..source.records import PRODUCER_TYPE_LABELS
from ..vietnamese import fold, sort_key
from .context import OutputContext
from .files import gzip_bytes, json_bytes, write_bytes

#: Version of the filter data's layout; the script refuses data of another major.
FILTER_DATA_VERSION = 1

#: Columns of one producer row in the filter data, in order (indexes refer to the
#: facet tables of the same file).
FILTER_FIELDS = (
    "id", "name", "type", "place", "groups", "stars", "standards", "wholesale",
    "capacity", "minimum_order", "phone", "email", "zalo", "website", "products",
)


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


def facets(catalogue: Catalogue, entries: list[Supplier],
           lang: Language = VIETNAMESE) -> Facets:
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
        groups=tuple(FacetOption(g.id, lang.text(g, "name"), group_counts[g.id])
                     for g in catalogue.groups.groups if group_counts[g.id]),
        places=tuple(sorted(places, key=lambda o: (sort_key(o.group), sort_key(o.label)))),
        stars=tuple(FacetOption(str(n), lang.gettext("%(stars)s sao") % {"stars": n},
                                star_counts[n])
                    for n in sorted(STAR_LEVELS, reverse=True) if star_counts[n]),
        types=tuple(FacetOption(kind, lang.gettext(label), type_counts[kind])
                    for kind, label in PRODUCER_TYPE_LABELS.items() if type_counts[kind]),
        standards=tuple(FacetOption(key, standard_names[key], count)
                        for key, count in sorted(standard_counts.items(),
                                                 key=lambda kv: (-kv[1], kv[0]))),
        wholesale=sum(1 for s in entries if s.producer.supplier.wholesale),
    )


def filter_data(catalogue: Catalogue, lang: Language = VIETNAMESE) -> dict[str, Any]:
    """The supplier filter's JSON: facet tables plus one compact row per producer.

    Rows are arrays (``FILTER_FIELDS``) with facets as indexes into the tables:
    at national scale (9,000 producers) repeating keys and names would triple
    the download.
    """
    entries = suppliers(catalogue)
    f = facets(catalogue, entries, lang)
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
            p.id, lang.text(p, "name"), index["types"][p.type], index["places"][p.place_slug],
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


def write(context: OutputContext) -> list[str]:
    """The filter's data for each language, in the language's folder."""
    written = []
    for lang in context.languages:
        data = json_bytes(filter_data(context.catalogue, lang))
        written += [write_bytes(context, lang.prefix + Urls.suppliers_filter, data),
                    write_bytes(context, lang.prefix + Urls.suppliers_filter_gz,
                                gzip_bytes(data))]
    return written
