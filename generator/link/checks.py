"""Checks of point-of-sale and fair records beyond what linking them needs.

Called by ``catalogue.link`` (so problems reach staff through the one
validation path); kept apart from ``trade``, which plans pages and imports
``catalogue``.

What "duplicate id" means here (DESIGN §2: ids are file names, unique across
the catalogue):

* two record files in one folder whose names differ only by case or accent
  encoding: refused by the loader (``load._scan``) before this runs;
* a point of sale or fair whose id is already the id of another record of any
  kind (producer, product, point of sale, fair): reported on the later kind's
  file, in the order producers, products, points of sale, fairs;
* the same id twice in one list (``carries.producers``, ``carries.products``,
  an exhibitor's ``products``): reported on the repeat.

Ids that would take the URL of one of their section's index pages (a point of
sale 'tinh', a fair 'nam-2020') are refused too, like 'trang-2' everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..source.fields import Source
from ..source.load import LoadedRecords
from ..source.problems import Problems

#: Ids that would take the URL of an index page: diem-ban/tinh/<province>/ (points of
#: sale of a province) and hoi-cho/nam-<year>/ (past fairs of a year).
_RESERVED_IDS = {
    "point of sale": (re.compile(r"^tinh$"), "the points of sale of each province"),
    "fair": (re.compile(r"^nam-[0-9]+$"), "the past fairs of each year"),
}

_KIND_NAMES = {"producer": "the producer", "product": "the product",
               "point of sale": "the point of sale", "fair": "the fair"}


def _repeats(ids: Sequence[str], field: str, source: Source, problems: Problems) -> None:
    first: dict[str, int] = {}
    for i, record_id in enumerate(ids):
        if record_id in first:
            problems.error(source.at(f"{field}[{i}]"), f"{field}[{i}]",
                           f"'{record_id}' is listed twice (also {field}[{first[record_id]}])")
        else:
            first[record_id] = i


def check_trade_records(loaded: LoadedRecords, problems: Problems) -> None:
    """Duplicate ids of points of sale and fairs, and repeats in their lists."""
    owners: dict[str, tuple[str, str]] = {}
    for kind, records in (("producer", loaded.producers), ("product", loaded.products)):
        for record_id, record in records.items():
            owners.setdefault(record_id, (kind, record.source.path))
    for kind, records in (("point of sale", loaded.points_of_sale), ("fair", loaded.fairs)):
        for record_id, record in sorted(records.items()):
            if record_id in owners:
                other_kind, other_path = owners[record_id]
                problems.error(record.source.at(""), "-",
                               f"id '{record_id}' is already used by {_KIND_NAMES[other_kind]} "
                               f"{other_path}; ids must be unique across the catalogue "
                               "(rename this file)")
            else:
                owners[record_id] = (kind, record.source.path)
            reserved, pages = _RESERVED_IDS[kind]
            if reserved.match(record_id):
                problems.error(record.source.at(""), "-",
                               f"id '{record_id}' is reserved for the pages of {pages}; "
                               "choose another file name")
    for pos in loaded.points_of_sale.values():
        _repeats(pos.carries.producers, "carries.producers", pos.source, problems)
        _repeats(pos.carries.products, "carries.products", pos.source, problems)
    for fair in loaded.fairs.values():
        for i, exhibitor in enumerate(fair.exhibitors):
            _repeats(exhibitor.products, f"exhibitors[{i}].products", fair.source, problems)
