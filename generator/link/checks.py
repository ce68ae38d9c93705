"""Checks of records beyond their own schema, run by the linker.

* a product's group must be one of the official sub-groups; its dates must make
  sense on the build date; its score should match its stars (a warning);
* coordinates must be in Vietnam (swapped lat/lon is the usual mistake);
* two spellings of one commune or province must not collide on a slug (names
  outside the official list; official communes are told apart by their code);
* ids of points of sale and fairs: unique across the catalogue, not reserved
  for index pages, no repeats in their lists (see below).


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

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from itertools import pairwise

from ..source.certificates import EXPIRING_WITHIN_DAYS, certificate_status
from ..source.fields import Source
from ..source.groups import ProductGroups
from ..source.load import LoadedRecords
from ..source.problems import Problems
from ..source.records import Certificate, PointOfSale, Producer, Product, Rating
from ..vietnamese import slugify
from .places import place_slug, province_slug

#: Rough bounding box of Vietnam, islands included.
VIETNAM_LAT = (8.0, 23.5)
VIETNAM_LON = (102.0, 117.5)


def check_product(product: Product, groups: ProductGroups, today: dt.date,
                   problems: Problems) -> None:
    src = product.source
    category = groups.by_id.get(product.category)
    if category is None or category.parent is None:
        hint = (f"'{product.category}' is a group; give one of its sub-groups: "
                + ", ".join(c.id for c in groups.subgroups.get(product.category, []))
                if category else
                f"unknown product group '{product.category}'; see the list in "
                "generator/data/product-groups.yaml")
        problems.error(src.at("category"), "category", hint)
    else:
        product.subgroup = category
        product.group = groups.by_id[category.parent]
    certificates = _certificates(product, problems)
    if not certificates:
        return
    history = []
    for path, rating in certificates:
        _check_rating(rating, path, src, today, problems)
        history.append((path, rating, certificate_status(
            rating.issued, rating.expires,
            rating.revoked.date if rating.revoked else None, today)))
    # The latest certificate in force is what the product may claim today; when none
    # is, the newest says why (expired, revoked).
    in_force = [i for i, (_, _, status) in enumerate(history) if status.certified]
    current = in_force[-1] if in_force else len(history) - 1
    product.ocop_path, product.ocop, product.status = history[current]
    product.history = [
        Certificate(rating, status, i == current,
                    superseded=(i != current and i + 1 < len(history)
                                and history[i + 1][1].issued <= status.expires))
        for i, (_, rating, status) in enumerate(history)]
    if product.status.code == "expiring":
        problems.warning(src.at(f"{product.ocop_path}.issued"), product.ocop_path,
                         f"certificate expires on {product.status.expires:%d/%m/%Y} "
                         f"({(product.status.expires - today).days} days)",
                         kind=f"certificates end within {EXPIRING_WITHIN_DAYS} days")


def _certificates(product: Product, problems: Problems) -> list[tuple[str, Rating]]:
    """(field path, certificate) of a product, oldest first; [] after an error.

    The loader has made sure exactly one of ``ocop`` and ``certificates`` is given.
    """
    src = product.source
    if product.ocop is not None:
        return [("ocop", product.ocop)]
    listed = [(f"certificates[{i}]", r) for i, r in enumerate(product.certificates)]
    for (_, before), (path, after) in pairwise(listed):
        if after.issued < before.issued:
            problems.error(src.at(f"{path}.issued"), f"{path}.issued",
                           f"issued {after.issued:%d/%m/%Y}, before the certificate above it "
                           f"({before.issued:%d/%m/%Y}): list the certificates oldest first")
            return []
    return listed


def _check_rating(rating: Rating, path: str, src: Source, today: dt.date,
                  problems: Problems) -> None:
    if rating.expires and rating.expires <= rating.issued:
        problems.error(src.at(f"{path}.expires"), f"{path}.expires",
                       "expiry date must be after the issue date")
    if rating.revoked and rating.revoked.date < rating.issued:
        problems.error(src.at(f"{path}.revoked.date"), f"{path}.revoked.date",
                       "revocation date is before the issue date")
    if rating.issued > today:
        problems.error(src.at(f"{path}.issued"), f"{path}.issued",
                       f"issue date {rating.issued:%d/%m/%Y} is after the build date")
    if rating.score is not None:
        expected = stars_for_score(rating.score)
        if expected != rating.stars:
            problems.warning(src.at(f"{path}.score"), f"{path}.score",
                             f"a score of {rating.score} gives {expected} stars, "
                             f"not {rating.stars}", kind="scores that give other stars")


def stars_for_score(score: int) -> int:
    """OCOP stars for a score out of 100 (Decision 148/QĐ-TTg thresholds)."""
    for stars, low in ((5, 90), (4, 70), (3, 50), (2, 30)):
        if score >= low:
            return stars
    return 1


def check_location(record: Producer | PointOfSale, problems: Problems) -> None:
    loc = record.location
    if loc is None:
        return
    if not (VIETNAM_LAT[0] <= loc.lat <= VIETNAM_LAT[1]
            and VIETNAM_LON[0] <= loc.lon <= VIETNAM_LON[1]):
        problems.error(record.source.at("location"), "location",
                       f"coordinates {loc.lat:g}, {loc.lon:g} are outside Vietnam "
                       f"(latitude {VIETNAM_LAT[0]:g}–{VIETNAM_LAT[1]:g}, longitude "
                       f"{VIETNAM_LON[0]:g}–{VIETNAM_LON[1]:g}); are lat and lon swapped?")


def check_place_names(producers: Iterable[Producer], problems: Problems) -> None:
    """Place pages are named by slug; two spellings of one commune must not collide.

    Official communes have distinct slugs by construction (``places.place_slug``);
    a name not in the official list must not take the slug of another spelling.
    """
    producers = list(producers)
    seen: dict[str, tuple[str, str]] = {}
    provinces: dict[str, str] = {}
    for producer in producers:
        if producer.address.official_commune is not None:
            seen.setdefault(place_slug(producer.address), _written(producer))
    for producer in producers:
        a = producer.address
        slug = place_slug(a)
        key = _written(producer)
        if a.official_commune is None and slug in seen and seen[slug] != key:
            problems.error(producer.source.at("address.commune"), "address.commune",
                           f"'{a.commune}, {a.province}' and '{seen[slug][0]}, {seen[slug][1]}' "
                           "differ only in accents or case; spell the commune one way")
        seen.setdefault(slug, key)
        if seen[slug] == key:  # a clash above already names the spelling to fix
            _check_province(producer, provinces, problems)


def _written(producer: Producer) -> tuple[str, str]:
    return producer.address.commune, producer.address.province


def _check_province(producer: Producer, provinces: dict[str, str], problems: Problems) -> None:
    """Province pages are named by slug too; their names must slug to something."""
    a = producer.address
    for name, value in (("address.commune", a.commune), ("address.province", a.province)):
        if not slugify(value):
            problems.error(producer.source.at(name), name,
                           f"'{value}' has no letters or digits; write the name in full")
    slug = province_slug(a.province)
    if slug and provinces.setdefault(slug, a.province) != a.province:
        problems.error(producer.source.at("address.province"), "address.province",
                       f"'{a.province}' and '{provinces[slug]}' differ only in accents or case; "
                       "spell the province one way")


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
