"""Open-data exports written on every build: JSON of every record kind, CSV for Excel.

The shape, its JSON Schema and the CSV columns are declared in
``plan.data_contract``; this module fills them from the catalogue.

CSV files (products, producers) are UTF-8 with a byte order mark, comma
separated, CRLF line ends (RFC 4180): Excel then opens Vietnamese text
correctly. Lists are joined with '; '. A cell that would start with = + - @
gets a leading apostrophe so that Excel shows it instead of running it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..link.catalogue import Catalogue
from ..link.suppliers import Supplier, suppliers
from ..plan.data_contract import CSV_COLUMNS, EXPORT_VERSION, Column, export_schema
from ..plan.urls import EXPORT_FILES, Urls
from ..source.records import (
    PRODUCER_TYPE_LABELS,
    Address,
    Certificate,
    Contacts,
    Fair,
    Location,
    PointOfSale,
    Product,
)
from .context import OutputContext
from .files import json_bytes, json_item, json_list_of_encoded, write_bytes, write_chunks
from .pieces import Pieces
from .pieces import runs as pieces_runs
from .text_formats import csv_cell


@dataclass(frozen=True)
class Exporter:
    """Absolute URLs and photo addresses for one build."""

    site_url: str
    context: OutputContext

    def url(self, path: str) -> str:
        return self.site_url + path

    def picture_url(self, path: Any) -> dict[str, Any] | None:
        media = self.context.media
        if media is None:
            return None
        picture = media.picture(path)
        return {"url": self.url(picture.src), "width": picture.width, "height": picture.height}


def _address(a: Address | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"street": a.street, "commune": a.commune, "province": a.province,
            **_codes(a), "district_before_2025": a.district_before_2025}


def _codes(a: Address) -> dict[str, int | None]:
    """Official codes of the address's units (None when a name is not in the list)."""
    return {"commune_code": a.official_commune.code if a.official_commune else None,
            "province_code": a.official_province.code if a.official_province else None}


def _location(loc: Location | None) -> dict[str, Any] | None:
    return None if loc is None else {"lat": loc.lat, "lon": loc.lon}


def _contacts(c: Contacts) -> dict[str, Any]:
    return {"phone": c.phone, "email": c.email, "website": c.website, "zalo": c.zalo}


def _certificate(c: Certificate) -> dict[str, Any]:
    r, status = c.rating, c.status
    return {
        "stars": r.stars, "score": r.score, "level": r.level, "decision": r.decision,
        "certificate": r.certificate, "issued": r.issued.isoformat(),
        "expires": status.expires.isoformat(), "status": status.code,
        "certified": status.certified,
        "revoked": None if r.revoked is None else {
            "date": r.revoked.date.isoformat(), "decision": r.revoked.decision,
            "reason": r.revoked.reason},
        "current": c.current,
    }


def product_item(product: Product, ex: Exporter) -> dict[str, Any]:
    photos = []
    for photo in product.photos:
        picture = ex.picture_url(photo)
        if picture is not None:
            photos.append({"url": picture["url"], "alt": photo.alt,
                           "width": picture["width"], "height": picture["height"]})
    return {
        "id": product.id,
        "url": ex.url(Urls.product(product)),
        "name": product.name,
        "name_en": product.name_en,
        "group": {"id": product.group.id, "name": product.group.name},
        "subgroup": {"id": product.subgroup.id, "name": product.subgroup.name},
        "producer": {"id": product.producer.id, "name": product.producer.name,
                     "url": ex.url(Urls.producer(product.producer))},
        "commune": product.producer.address.commune,
        "province": product.producer.address.province,
        **_codes(product.producer.address),
        "ocop": _certificate(next(c for c in product.history if c.current)),
        "certificates": [_certificate(c) for c in product.history],
        "price": None if product.price is None else {
            "amount": product.price.amount, "currency": "VND", "unit": product.price.unit},
        "packaging": product.packaging,
        "net_quantity": product.net_quantity,
        "shelf_life": product.shelf_life,
        "ingredients": product.ingredients,
        "standards": list(product.standards),
        "traceability": product.traceability,
        "online_shops": [{"name": s.name, "url": s.url} for s in product.online_shops],
        "photos": photos,
        "description": product.description,
        "description_en": product.description_en,
        "points_of_sale": sorted(pos.id for pos in product.points_of_sale),
        "fairs": [fair.id for fair in product.fairs],
        "verify_url": ex.url(Urls.verify(product)),
        "qr_code_url": ex.url(Urls.qr_svg(product)),
    }


def producer_item(entry: Supplier, ex: Exporter) -> dict[str, Any]:
    p = entry.producer
    logo = ex.picture_url(p.logo_path) if p.logo_path is not None else None
    return {
        "id": p.id,
        "url": ex.url(Urls.producer(p)),
        "name": p.name,
        "name_en": p.name_en,
        "type": p.type,
        "type_label": PRODUCER_TYPE_LABELS[p.type],
        "address": _address(p.address),
        "location": _location(p.location),
        "contacts": _contacts(p.contacts),
        "representative": p.representative,
        "logo_url": logo["url"] if logo else None,
        "supplier": {
            "capacity": p.supplier.capacity, "minimum_order": p.supplier.minimum_order,
            "wholesale": p.supplier.wholesale, "standards": list(p.supplier.standards),
        },
        "product_groups": [{"id": g.id, "name": g.name} for g in entry.groups],
        "stars": list(entry.stars),
        "products": [product.id for product in p.products],
        "story": p.story,
        "story_en": p.story_en,
        "vcard_url": ex.url(Urls.vcard(p)),
    }


def point_of_sale_item(pos: PointOfSale, ex: Exporter) -> dict[str, Any]:
    return {
        "id": pos.id,
        "url": ex.url(Urls.point_of_sale(pos)),
        "name": pos.name,
        "name_en": pos.name_en,
        "kind": pos.kind,
        "address": _address(pos.address),
        "location": _location(pos.location),
        "opening_hours": pos.opening_hours,
        "contacts": _contacts(pos.contacts),
        "producers": list(pos.carries.producers),
        "products": sorted(product.id for product in pos.products),
        "description": pos.description,
    }


def fair_item(fair: Fair, ex: Exporter) -> dict[str, Any]:
    return {
        "id": fair.id,
        "url": ex.url(Urls.fair(fair)),
        "name": fair.name,
        "name_en": fair.name_en,
        "starts": fair.starts.isoformat(),
        "ends": fair.ends.isoformat(),
        "venue": fair.venue,
        "city": fair.city,
        "organiser": fair.organiser,
        "link": fair.link,
        "exhibitors": [{"producer": e.producer, "booth": e.booth, "products": list(e.products)}
                       for e in fair.exhibitors],
        "description": fair.description,
    }


#: How each kind's items are made (``EXPORT_FILES``' kinds).
ITEMS: dict[str, Callable[[Any, Exporter], dict[str, Any]]] = {
    "products": product_item,
    "producers": producer_item,
    "points_of_sale": point_of_sale_item,
    "fairs": fair_item,
}


def export_sources(kind: str, catalogue: Catalogue) -> list[Any]:
    """What each item of ``kind`` (a key of ``EXPORT_FILES``) is made of, in id order
    (stable across builds): a record, or a producer as a supplier."""
    if kind == "products":
        return [catalogue.products[i] for i in sorted(catalogue.products)]
    if kind == "producers":
        return sorted(suppliers(catalogue), key=lambda s: s.producer.id)
    if kind == "points_of_sale":
        return [catalogue.points_of_sale[i] for i in sorted(catalogue.points_of_sale)]
    if kind == "fairs":
        return [catalogue.fairs[i] for i in sorted(catalogue.fairs)]
    raise ValueError(f"no export of kind {kind!r}")


def export_items(kind: str, catalogue: Catalogue, ex: Exporter) -> list[dict[str, Any]]:
    """Every record of ``kind`` (a key of ``EXPORT_FILES``) as an export item, in id
    order (stable across builds)."""
    sources = export_sources(kind, catalogue)  # raises for an unknown kind
    return [ITEMS[kind](source, ex) for source in sources]


def envelope(kind: str, count: int, context: OutputContext) -> dict[str, Any]:
    """An export file's members before its ``items``."""
    return {
        "version": EXPORT_VERSION,
        "kind": kind,
        "build_date": context.catalogue.build_date.isoformat(),
        "site": context.site_url,
        "licence": {"name": context.data_licence, "url": context.data_licence_url or None},
        "count": count,
    }


# --- CSV -------------------------------------------------------------------------------

def csv_bytes(columns: Iterable[Column], items: Iterable[dict[str, Any]]) -> bytes:
    """UTF-8 with BOM, comma separated, CRLF, quoted where needed (RFC 4180)."""
    columns = tuple(columns)
    return csv_head(columns) + b"".join(csv_row(columns, item) for item in items)


def csv_head(columns: tuple[Column, ...]) -> bytes:
    """The byte order mark and the header row of ``csv_bytes``."""
    return "\ufeff".encode() + _csv_line([c.name for c in columns])


def csv_row(columns: tuple[Column, ...], item: dict[str, Any]) -> bytes:
    """One item's row of ``csv_bytes``."""
    return _csv_line([csv_cell(c.value(item)) for c in columns])


def _csv_line(cells: list[str]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue().encode("utf-8")


# --- the writer ------------------------------------------------------------------------

def runs(kind: str, sources: list[Any]) -> list[list[Any]]:
    """``export_sources`` of ``kind`` in runs (``pieces.runs``), by record id."""
    if kind == "producers":
        return pieces_runs(sources, lambda source: source.producer.id)
    return pieces_runs(sources, lambda source: source.id)


def write(context: OutputContext) -> list[str]:
    ex = Exporter(context.site_url, context)
    written = []
    # The items' JSON and CSV rows come from the build's pieces (``Pieces``), a run of
    # records a piece: kept from the last build while what they read is unchanged. One
    # kind at a time, written as it comes: a national catalogue's products held as
    # items, as JSON text and as UTF-8 at once cost 370 MB at the build's peak.
    # Every CSV kind is a JSON kind too (tests/test_exports.py).
    with Pieces.open(context, "exports") as pieces:
        for kind in EXPORT_FILES:
            sources = export_sources(kind, context.catalogue)
            found = runs(kind, sources)
            columns = CSV_COLUMNS.get(kind)
            rows: list[bytes] = []
            head = {"$schema": ex.url(Urls.export_schema),
                    **envelope(kind, len(sources), context)}
            written.append(write_chunks(context, Urls.export(kind), json_list_of_encoded(
                head, "items", _json_runs(pieces, kind, found, ex, columns, rows))))
            if columns is not None:
                if len(rows) != len(found):  # a CSV of some rows only is never written
                    raise RuntimeError(f"exports: the JSON of {kind} was not written whole")
                written.append(write_bytes(context, Urls.csv(kind),
                                           csv_head(columns) + b"".join(rows)))
    schema = export_schema(ex.url(Urls.export_schema))
    written.append(write_bytes(context, Urls.export_schema, json_bytes(schema, indent=2)))
    return written


def _json_runs(pieces: Pieces, kind: str, found: list[list[Any]], ex: Exporter,
               columns: tuple[Column, ...] | None, rows: list[bytes]) -> Iterator[bytes]:
    """Each run's items as JSON, from ``pieces``; its CSV rows, when ``kind`` has a
    CSV file, added to ``rows`` as the JSON is written."""
    for run in found:
        parts = pieces.get((kind, *run), partial(_parts, kind, run, ex, columns))
        if columns is not None:
            rows.append(parts[1])
        yield parts[0]


def _parts(kind: str, run: list[Any], ex: Exporter,
           columns: tuple[Column, ...] | None) -> tuple[bytes, ...]:
    """A run's items as JSON (joined by commas), and its CSV rows when ``kind`` has a
    CSV file."""
    items = [ITEMS[kind](source, ex) for source in run]
    text = b",".join(json_item(item) for item in items)
    if columns is None:
        return (text,)
    return text, b"".join(csv_row(columns, item) for item in items)
