"""Walk the record folders: names, links and extensions, before any file is read.

Nothing is followed through a symbolic link; names are NFC-normalised and must
not clash by case or by accent encoding; record files are named ``<id>.yaml``
with a valid id. Every refusal is a problem naming the file.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .fields import FORMATS
from .layout import SourceLayout
from .problems import Position, Problems

PRODUCER_FILE = "producer.yaml"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
SLUG = FORMATS["slug"][0]
#: Ids that would take the URL of a listing page ("san-pham/trang-2/").
RESERVED_ID = re.compile(r"^trang-[0-9]+$")


@dataclass
class Entry:
    name: str  # NFC-normalised
    path: Path
    is_dir: bool


def scan(folder: Path, layout: SourceLayout, problems: Problems,
          links: set[str] | None = None) -> list[Entry]:
    """A folder's entries, NFC names, refusing links and ambiguous names.

    The (NFC) names of refused symbolic links are added to ``links`` when given.
    """
    entries: list[Entry] = []
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
        entries.append(Entry(name, path, entry.is_dir(follow_symlinks=False)))
    return entries


def record_files(folder: Path, layout: SourceLayout, problems: Problems,
                  kind: str) -> Iterator[tuple[str, Path]]:
    """(id, path) of each ``<id>.yaml`` in a flat record folder."""
    if not folder.is_dir():
        return
    for entry in scan(folder, layout, problems):
        yield from record_file(entry, layout, problems, kind)


def record_file(entry: Entry, layout: SourceLayout, problems: Problems,
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
    if not SLUG.match(stem):
        problems.error(pos, "-", f"file name '{entry.name}' is not a valid id: use lower-case "
                       "ASCII letters, digits and '-' (e.g. duong-thot-not.yaml)")
        return
    if RESERVED_ID.match(stem):
        problems.error(pos, "-", f"id '{stem}' is reserved for the pages of listings; "
                       "choose another file name")
        return
    yield stem, entry.path


def resolve_file(name: str, folder_names: dict[str, Path], field_name: str,
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
