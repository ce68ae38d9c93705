"""Load: read every record file of a catalogue from disk, safely.

Walks ``products/`` and the record folders under ``content/`` without following
symbolic links, checks names and paths, parses each YAML file strictly and
builds typed records. Cross-references are checked later, by ``catalogue``.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .groups import Category, ProductGroups
from .problems import Position, Problems
from .records import Fair, PointOfSale, Producer, Product
from .schema import FORMATS, build_record, spec
from .yamlsafe import MAX_FILE_BYTES, YamlError, parse

PRODUCER_FILE = "producer.yaml"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
_SLUG = FORMATS["slug"][0]
#: Ids that would take the URL of a listing page ("san-pham/trang-2/").
_RESERVED_ID = re.compile(r"^trang-[0-9]+$")


@dataclass(frozen=True)
class SourceLayout:
    """Where a catalogue's sources live; every path is inside ``root``."""

    root: Path
    products_dir: Path
    points_of_sale_dir: Path
    fairs_dir: Path
    groups_file: Path

    @classmethod
    def default(cls, root: Path, groups_file: Path | None = None) -> SourceLayout:
        from .groups import DEFAULT_GROUPS_FILE

        root = root.resolve()
        return cls(
            root=root,
            products_dir=root / "products",
            points_of_sale_dir=root / "content" / "points-of-sale",
            fairs_dir=root / "content" / "fairs",
            groups_file=groups_file or DEFAULT_GROUPS_FILE,
        )

    def rel(self, path: Path) -> str:
        """Path as shown to staff: relative to the project, with forward slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


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


@dataclass
class _Entry:
    name: str  # NFC-normalised
    path: Path
    is_dir: bool


def _scan(folder: Path, layout: SourceLayout, problems: Problems,
          links: set[str] | None = None) -> list[_Entry]:
    """A folder's entries, NFC names, refusing links and ambiguous names.

    The (NFC) names of refused symbolic links are added to ``links`` when given.
    """
    entries: list[_Entry] = []
    seen: dict[str, str] = {}
    try:
        with os.scandir(folder) as it:
            raw = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        problems.error(Position(layout.rel(folder)), "-", f"cannot read folder: {exc.strerror}")
        return entries
    for entry in raw:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            problems.error(Position(layout.rel(path)), "-",
                           "symbolic links are not allowed; commit the file itself")
            if links is not None:
                links.add(unicodedata.normalize("NFC", entry.name))
            continue
        name = unicodedata.normalize("NFC", entry.name)
        folded = name.casefold()
        if folded in seen:
            other = seen[folded]
            if unicodedata.normalize("NFC", other) == name:
                # Same name, accents encoded twice (NFC and NFD): only one can be used.
                problems.error(
                    Position(layout.rel(path.with_name(name))), "-",
                    f"two files are named '{name}', with the accents encoded differently "
                    "(Unicode NFC and NFD, as some computers save them); keep only one",
                )
                continue
            problems.error(
                Position(layout.rel(path)), "-",
                f"file name clashes with '{other}' (names must differ by more than "
                "upper/lower case)",
            )
        else:
            seen[folded] = name
        entries.append(_Entry(name, path, entry.is_dir(follow_symlinks=False)))
    return entries


def _read(cls: type, path: Path, layout: SourceLayout, problems: Problems) -> Any:
    rel = layout.rel(path)
    try:
        # Refuse an oversized file before reading it, not only before parsing it.
        size = path.stat(follow_symlinks=False).st_size
        if size > MAX_FILE_BYTES:
            problems.error(Position(rel), "-", f"file is too large ({size} bytes; the limit is "
                           f"{MAX_FILE_BYTES} bytes)")
            return None
        data = path.read_bytes()
        root = parse(rel, data)
    except YamlError as exc:
        problems.error(exc.position, exc.field or "-", exc.message)
        return None
    except OSError as exc:
        problems.error(Position(rel), "-", f"cannot read file: {exc.strerror}")
        return None
    return build_record(cls, root, rel, problems)


def _record_files(folder: Path, layout: SourceLayout, problems: Problems,
                  kind: str) -> Iterator[tuple[str, Path]]:
    """(id, path) of each ``<id>.yaml`` in a flat record folder."""
    if not folder.is_dir():
        return
    for entry in _scan(folder, layout, problems):
        yield from _record_file(entry, layout, problems, kind)


def _record_file(entry: _Entry, layout: SourceLayout, problems: Problems,
                 kind: str) -> Iterator[tuple[str, Path]]:
    pos = Position(layout.rel(entry.path))
    stem, dot, suffix = entry.name.rpartition(".")
    if entry.is_dir:
        problems.error(pos, "-", f"unexpected folder; {kind} records are files named <id>.yaml")
        return
    if suffix == "yml":
        problems.error(pos, "-", "record files end in .yaml, not .yml")
        return
    if not dot or suffix != "yaml":
        return
    if not _SLUG.match(stem):
        problems.error(pos, "-", f"file name '{entry.name}' is not a valid id: use lower-case "
                       "ASCII letters, digits and '-' (e.g. duong-thot-not.yaml)")
        return
    if _RESERVED_ID.match(stem):
        problems.error(pos, "-", f"id '{stem}' is reserved for the pages of listings; "
                       "choose another file name")
        return
    yield stem, entry.path


def _resolve_file(name: str, folder_names: dict[str, Path], field_name: str,
                  source_pos: Position, problems: Problems,
                  links: frozenset[str] = frozenset()) -> Path | None:
    """The photo/logo file ``name`` inside its record's folder, matched exactly."""
    if name in folder_names:
        return folder_names[name]
    if name in links:
        problems.error(source_pos, field_name,
                       f"file '{name}' is a symbolic link, which is not allowed")
        return None
    near = [n for n in folder_names if n.casefold() == name.casefold()]
    if near:
        problems.error(source_pos, field_name,
                       f"file '{name}' not found; the folder has '{near[0]}' "
                       "(file names are case-sensitive)")
    else:
        problems.error(source_pos, field_name, f"file '{name}' not found in the producer's folder")
    return None


def _load_producer_folder(entry: _Entry, layout: SourceLayout, problems: Problems,
                          out: LoadedRecords) -> None:
    folder_pos = Position(layout.rel(entry.path))
    if not _SLUG.match(entry.name):
        problems.error(folder_pos, "-", f"folder name '{entry.name}' is not a valid producer id: "
                       "use lower-case ASCII letters, digits and '-'")
        return
    if _RESERVED_ID.match(entry.name):
        problems.error(folder_pos, "-", f"id '{entry.name}' is reserved for the pages of "
                       "listings; choose another folder name")
        return
    found_links: set[str] = set()
    entries = _scan(entry.path, layout, problems, found_links)
    links = frozenset(found_links)
    files = {e.name: e.path for e in entries if not e.is_dir}
    if PRODUCER_FILE not in files:
        problems.error(folder_pos, "-", f"missing {PRODUCER_FILE}: every producer folder needs one")
        return
    producer = _read(Producer, files[PRODUCER_FILE], layout, problems)
    if producer is None:
        out.unreadable.add(entry.name)
    else:
        producer.id = entry.name
        if producer.logo:
            producer.logo_path = _resolve_file(
                producer.logo, files, "logo", producer.source.at("logo"), problems, links)
        out.producers[producer.id] = producer
    for sub in entries:
        suffix = Path(sub.name).suffix.lower()
        if sub.name == PRODUCER_FILE or (suffix in IMAGE_SUFFIXES and not sub.is_dir):
            continue
        if sub.is_dir or suffix not in (".yaml", ".yml"):
            problems.error(Position(layout.rel(sub.path)), "-",
                           "unexpected file: a producer folder holds producer.yaml, product "
                           ".yaml files and .jpg/.png/.webp images")
            continue
        for product_id, path in _record_file(sub, layout, problems, "product"):
            product = _read(Product, path, layout, problems)
            if product is None:
                out.unreadable.add(product_id)
                continue
            product.id = product_id
            product.producer_id = entry.name
            if product_id in out.products:
                other = out.products[product_id].source.path
                problems.error(Position(layout.rel(path)), "-",
                               f"product id '{product_id}' is already used by {other}")
                continue
            for i, photo in enumerate(product.photos):
                photo.abs_path = _resolve_file(
                    photo.file, files, f"photos[{i}].file",
                    product.source.at(f"photos[{i}].file"), problems, links)
            out.products[product_id] = product


def _check_inside(path: Path, layout: SourceLayout, problems: Problems) -> bool:
    """Refuse configured folders that resolve outside the project (e.g. via a link)."""
    resolved = path.resolve()
    if resolved != layout.root and layout.root not in resolved.parents:
        problems.error(Position(path.as_posix()), "-", "folder is outside the project")
        return False
    return True


# --- product groups -------------------------------------------------------------

@dataclass
class _SubgroupDef:
    """Một phân nhóm."""

    id: str = spec("Mã phân nhóm", fmt="slug")
    name: str = spec("Tên phân nhóm")
    note: str | None = spec("Ghi chú", default=None)


@dataclass
class _GroupDef:
    """Một nhóm sản phẩm."""

    id: str = spec("Mã nhóm", fmt="slug")
    name: str = spec("Tên nhóm")
    subgroups: list[_SubgroupDef] = spec("Các phân nhóm", min_items=1)
    name_en: str | None = spec("Tên tiếng Anh", default=None)


@dataclass
class _GroupsFile:
    """Bộ phân nhóm sản phẩm OCOP."""

    decision: str = spec("Văn bản quy định")
    groups: list[_GroupDef] = spec("Các nhóm", min_items=1)


def load_groups(path: Path, layout: SourceLayout, problems: Problems) -> ProductGroups:
    data = _read(_GroupsFile, path, layout, problems)
    groups = ProductGroups(decision=data.decision if data else "")
    if data is None:
        return groups
    for g in data.groups:
        groups.add(Category(g.id, g.name, None, g.name_en))
        for s in g.subgroups:
            if s.id in groups.by_id:
                problems.error(Position(layout.rel(path)), "groups",
                               f"group id '{s.id}' is used twice")
                continue
            groups.add(Category(s.id, s.name, g.id, None, s.note))
    return groups


#: Below this many producer folders, reading in one process is quicker than forking.
PARALLEL_MIN_FOLDERS = 1000

# Set in the parent just before forking loader workers; read by them.
_FOLDERS: tuple[list[list[_Entry]], SourceLayout] | None = None


def _load_chunk(index: int) -> tuple[LoadedRecords, Problems]:
    assert _FOLDERS is not None
    chunks, layout = _FOLDERS
    part, problems = LoadedRecords(groups=ProductGroups(decision="")), Problems()
    for entry in chunks[index]:
        _load_producer_folder(entry, layout, problems, part)
    return part, problems


def _load_folders(folders: list[_Entry], layout: SourceLayout, problems: Problems,
                  out: LoadedRecords, workers: int) -> None:
    """Read producer folders, in forked worker processes for a big catalogue.

    Parsing and validating tens of thousands of small files is CPU work that
    splits cleanly by folder; results are merged in folder order, so what is
    loaded and reported is what one process would load and report.
    """
    global _FOLDERS
    if workers < 2 or len(folders) < PARALLEL_MIN_FOLDERS:
        for entry in folders:
            _load_producer_folder(entry, layout, problems, out)
        return
    size = max(1, len(folders) // (workers * 8))
    chunks = [folders[i:i + size] for i in range(0, len(folders), size)]
    _FOLDERS = (chunks, layout)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_load_chunk, range(len(chunks)))
    finally:
        _FOLDERS = None
    for part, part_problems in parts:
        problems.extend(part_problems)
        out.producers.update(part.producers)
        out.unreadable |= part.unreadable
        for product_id, product in part.products.items():
            if product_id in out.products:  # the same id in two chunks
                other = out.products[product_id].source.path
                problems.error(Position(product.source.path), "-",
                               f"product id '{product_id}' is already used by {other}")
                continue
            out.products[product_id] = product


def load_records(layout: SourceLayout, problems: Problems, workers: int = 1) -> LoadedRecords:
    """Read every record; problems are collected, never raised.

    ``workers`` > 1 reads a large catalogue in that many forked processes (never
    from a threaded program such as ``mkdocs serve``).
    """
    out = LoadedRecords(groups=load_groups(layout.groups_file, layout, problems))
    if not layout.products_dir.is_dir():
        problems.error(Position(layout.rel(layout.products_dir)), "-", "products folder not found")
    elif _check_inside(layout.products_dir, layout, problems):
        folders = []
        for entry in _scan(layout.products_dir, layout, problems):
            if not entry.is_dir:
                if not entry.name.lower().endswith((".md", ".txt")):
                    problems.error(Position(layout.rel(entry.path)), "-",
                                   "unexpected file: products/ holds one folder per producer")
                continue
            folders.append(entry)
        _load_folders(folders, layout, problems, out, workers)
    for kind, cls, folder, target in (
        ("point of sale", PointOfSale, layout.points_of_sale_dir, out.points_of_sale),
        ("fair", Fair, layout.fairs_dir, out.fairs),
    ):
        if folder.exists() and not _check_inside(folder, layout, problems):
            continue
        for record_id, path in _record_files(folder, layout, problems, kind):
            record = _read(cls, path, layout, problems)
            if record is not None:
                record.id = record_id
                target[record_id] = record
    return out
