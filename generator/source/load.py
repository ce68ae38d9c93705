"""Load: read every record file of a catalogue from disk, safely.

Walks ``products/`` and the record folders under ``content/`` (see ``walk``),
reads each YAML file strictly into a typed record (``read``) and resolves the
photo and logo files each record names. Cross-references between records are
checked later, by the link stage.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..workers import map_in_pool
from .groups import ProductGroups, load_groups
from .layout import SourceLayout
from .problems import Position, Problem, Problems
from .read import read_record
from .record_cache import RecordCache, folder_stamp
from .records import Fair, PointOfSale, Producer, Product
from .walk import (
    IMAGE_SUFFIXES,
    PRODUCER_FILE,
    SLUG,
    Entry,
    record_file,
    record_files,
    reserved_id_problem,
    resolve_file,
    scan,
)


@dataclass
class LoadedRecords:
    """Everything read from disk, before linking."""

    groups: ProductGroups
    producers: dict[str, Producer] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    points_of_sale: dict[str, PointOfSale] = field(default_factory=dict)
    fairs: dict[str, Fair] = field(default_factory=dict)
    #: Ids of producer and product files that exist but failed to load. Their
    #: problems are reported already; references to them are not "unknown".
    unreadable: set[str] = field(default_factory=set)


def _load_producer_folder(entry: Entry, layout: SourceLayout, problems: Problems,
                          out: LoadedRecords, cache: RecordCache | None = None) -> None:
    folder_pos = Position(layout.rel(entry.path))
    if not SLUG.match(entry.name):
        problems.error(folder_pos, "-", f"folder name '{entry.name}' is not a valid producer id: "
                       "use lower-case ASCII letters, digits and '-'")
        return
    if reserved := reserved_id_problem(entry.name, "folder"):
        problems.error(folder_pos, "-", reserved)
        return
    found_links: set[str] = set()
    entries = scan(entry.path, layout, problems, found_links)
    links = frozenset(found_links)
    files = {e.name: e.path for e in entries if not e.is_dir}
    if PRODUCER_FILE not in files:
        problems.error(folder_pos, "-", f"missing {PRODUCER_FILE}: every producer folder needs one")
        return
    producer = read_record(Producer, files[PRODUCER_FILE], layout, problems, cache)
    if producer is None:
        out.unreadable.add(entry.name)
    else:
        producer.id = entry.name
        if producer.logo:
            producer.logo_path = resolve_file(
                producer.logo, files, "logo", producer.source.at("logo"), problems, links)
        out.producers[producer.id] = producer
    for sub in entries:
        suffix = Path(sub.name).suffix.lower()
        if sub.name == PRODUCER_FILE or (suffix in IMAGE_SUFFIXES and not sub.is_dir):
            continue
        if sub.name.lower() in (PRODUCER_FILE, "producer.yml"):
            problems.error(Position(layout.rel(sub.path)), "-",
                           f"the producer's file is named {PRODUCER_FILE} exactly (lower case); "
                           "rename it")
            continue
        if sub.is_dir or suffix not in (".yaml", ".yml"):
            problems.error(Position(layout.rel(sub.path)), "-",
                           "unexpected file: a producer folder holds producer.yaml, product "
                           ".yaml files and .jpg/.png/.webp images")
            continue
        for product_id, path in record_file(sub, layout, problems, "product"):
            product = read_record(Product, path, layout, problems, cache)
            if product is None:
                out.unreadable.add(product_id)
                continue
            product.id = product_id
            product.producer_id = entry.name
            # Photos before the id check: a duplicate found across worker processes has
            # had its photos checked, so one process must check them too (same output).
            for i, photo in enumerate(product.photos):
                photo.abs_path = resolve_file(
                    photo.file, files, f"photos[{i}].file",
                    product.source.at(f"photos[{i}].file"), problems, links)
            if product_id in out.products:
                other = out.products[product_id].source.path
                problems.error(Position(layout.rel(path)), "-",
                               f"product id '{product_id}' is already used by {other}")
                continue
            out.products[product_id] = product


#: Files a folder's load reads by name only (``folder_stamp``): the photos.
_PHOTO_SUFFIXES = tuple(sorted(IMAGE_SUFFIXES))
#: A producer folder as loaded: its producer (none if unreadable), products, the ids
#: of its unreadable files, and its problems (before the check of ids across folders).
FolderLoad = tuple[dict[str, Producer], dict[str, Product], set[str], list[Problem]]


def _load_folder(entry: Entry, layout: SourceLayout, problems: Problems, out: LoadedRecords,
                 cache: RecordCache | None) -> None:
    """One producer folder into ``out``: taken whole from ``cache`` while its listing
    and the files it reads are as they were (``folder_stamp``), else read (and kept)."""
    if cache is None:
        _load_producer_folder(entry, layout, problems, out)
        return
    rel = layout.rel(entry.path) + "/"
    stamp = folder_stamp(os.fspath(entry.path), _PHOTO_SUFFIXES)
    loaded: FolderLoad | None = cache.unchanged_folder(rel, stamp)
    if loaded is None:
        part, found = LoadedRecords(groups=ProductGroups(decision="")), Problems()
        _load_producer_folder(entry, layout, found, part, cache)
        loaded = (part.producers, part.products, part.unreadable, found.items)
        if stamp is not None:
            cache.put_folder(rel, stamp, loaded)
    producers, products, unreadable, items = loaded
    problems.items.extend(items)
    _merge(producers, products, unreadable, out, problems)


def _merge(producers: dict[str, Producer], products: dict[str, Product], unreadable: set[str],
           out: LoadedRecords, problems: Problems) -> None:
    """Producer folders read apart into ``out``: a product id taken already by another
    folder is reported, and the product left out."""
    out.producers.update(producers)
    out.unreadable |= unreadable
    for product_id, product in products.items():
        if product_id in out.products:  # the same id in another folder
            other = out.products[product_id].source.path
            problems.error(Position(product.source.path), "-",
                           f"product id '{product_id}' is already used by {other}")
            continue
        out.products[product_id] = product


#: Below this many producer folders, reading in one process is quicker than starting
#: worker processes.
PARALLEL_MIN_FOLDERS = 1000


def _load_chunk(job: tuple[list[Entry], SourceLayout, RecordCache | None]
                ) -> tuple[LoadedRecords, Problems, RecordCache | None]:
    """Worker: the records of some producer folders (by argument: fork or spawn alike),
    and the cache entries of their files."""
    folders, layout, cache = job
    part, problems = LoadedRecords(groups=ProductGroups(decision="")), Problems()
    for entry in folders:
        _load_folder(entry, layout, problems, part, cache)
    if cache is not None:
        cache.travel_back()
    return part, problems, cache


def _load_folders(folders: list[Entry], layout: SourceLayout, problems: Problems,
                  out: LoadedRecords, workers: int, cache: RecordCache | None) -> None:
    """Read producer folders, in worker processes for a big catalogue.

    Parsing and validating tens of thousands of small files is CPU work that
    splits cleanly by folder; results are merged in folder order, so what is
    loaded and reported is what one process would load and report.
    """
    # Records taken from the cache cost less than sending them between processes: in
    # workers only when many folders have no entry (a cold cache; not one folder
    # whose file changed too recently to be kept by its times).
    warm = cache is not None and len(cache.folders_old) + PARALLEL_MIN_FOLDERS > len(folders)
    if workers < 2 or len(folders) < PARALLEL_MIN_FOLDERS or warm:
        for entry in folders:
            _load_folder(entry, layout, problems, out, cache)
        return
    size = max(1, len(folders) // (workers * 8))
    jobs = []
    for i in range(0, len(folders), size):
        chunk = folders[i:i + size]
        part_cache = None if cache is None else cache.part(
            [layout.rel(entry.path) + "/" for entry in chunk])
        jobs.append((chunk, layout, part_cache))
    parts = map_in_pool(_load_chunk, jobs, workers, "reading producer folders")
    for part, part_problems, part_cache in parts:
        problems.extend(part_problems)
        if cache is not None and part_cache is not None:
            cache.merge(part_cache)
        _merge(part.producers, part.products, part.unreadable, out, problems)


def load_records(layout: SourceLayout, problems: Problems, workers: int = 1,
                 cache_dir: Path | None = None) -> LoadedRecords:
    """Read every record; problems are collected, never raised.

    ``workers`` > 1 reads a large catalogue in that many processes (see ``workers``;
    never from a threaded program such as ``mkdocs serve``). With a ``cache_dir``,
    files read before are taken from the record cache (``record_cache``).
    """
    cache = RecordCache.open(cache_dir, layout.root)
    out = LoadedRecords(groups=load_groups(layout.groups_file, layout, problems))
    if not layout.products_dir.is_dir():
        problems.error(Position(layout.rel(layout.products_dir)), "-", "products folder not found")
    elif layout.check_inside(layout.products_dir, problems, "plugins.ocop.products_dir"):
        folders = []
        for entry in scan(layout.products_dir, layout, problems):
            if not entry.is_dir:
                if not entry.name.lower().endswith((".md", ".txt")):
                    problems.error(Position(layout.rel(entry.path)), "-",
                                   "unexpected file: products/ holds one folder per producer")
                continue
            folders.append(entry)
        _load_folders(folders, layout, problems, out, workers, cache)
    for kind, cls, folder, target, option in (
        ("point of sale", PointOfSale, layout.points_of_sale_dir, out.points_of_sale,
         "plugins.ocop.points_of_sale_dir"),
        ("fair", Fair, layout.fairs_dir, out.fairs, "plugins.ocop.fairs_dir"),
    ):
        if folder.exists() and not layout.check_inside(folder, problems, option):
            continue
        for record_id, path in record_files(folder, layout, problems, kind):
            record = read_record(cls, path, layout, problems, cache)
            if record is not None:
                record.id = record_id
                target[record_id] = record
    if cache is not None and cache_dir is not None:
        cache.save(cache_dir)
    return out
