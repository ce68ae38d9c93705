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
#: Names Windows keeps for devices: no folder or file can be called so there, so a
#: staff member on Windows could neither check out nor open such a record.
WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")
#: Files operating systems leave in folders by themselves; skipped without a word.
SYSTEM_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep", ".gitignore"})


@dataclass
class Entry:
    name: str  # NFC-normalised
    path: Path
    is_dir: bool


def scan(folder: Path, layout: SourceLayout, problems: Problems,
          links: set[str] | None = None) -> list[Entry]:
    """A folder's entries, NFC names, refusing links, special files, hidden files and
    ambiguous names; the files operating systems add by themselves are skipped.

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
        if entry.name in SYSTEM_FILES or entry.name.startswith("._"):  # macOS resource forks
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            problems.error(Position(layout.rel(path)), "-",
                           "symbolic links are not allowed; commit the file itself")
            if links is not None:
                links.add(unicodedata.normalize("NFC", entry.name))
            continue
        if entry.name.startswith("."):
            problems.error(Position(layout.rel(path)), "-",
                           "hidden file (its name starts with '.'): it would not be read; "
                           "rename or remove it")
            continue
        if not entry.is_dir(follow_symlinks=False) and not entry.is_file(follow_symlinks=False):
            problems.error(Position(layout.rel(path)), "-",
                           "not a regular file or folder (a pipe or device); remove it")
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
    """(id, path) of a ``<id>.yaml`` record file (the extension in any case); every
    other name is reported, never skipped."""
    pos = Position(layout.rel(entry.path))
    stem, dot, suffix = entry.name.rpartition(".")
    if entry.is_dir:
        problems.error(pos, "-", f"unexpected folder; {kind} records are files named <id>.yaml")
        return
    if dot and suffix.lower() == "yml":
        problems.error(pos, "-", f"record files end in .yaml, not .{suffix}; rename the file")
        return
    if not dot or suffix.lower() != "yaml":
        problems.error(pos, "-", f"unexpected file; {kind} records are files named <id>.yaml")
        return
    if not SLUG.match(stem):
        problems.error(pos, "-", f"file name '{entry.name}' is not a valid id: use lower-case "
                       "ASCII letters, digits and '-' (e.g. duong-thot-not.yaml)")
        return
    if reserved := reserved_id_problem(stem, "file"):
        problems.error(pos, "-", reserved)
        return
    yield stem, entry.path


def reserved_id_problem(record_id: str, what: str) -> str | None:
    """Why the slug ``record_id`` (a file or folder name) cannot be an id, if it cannot."""
    if RESERVED_ID.match(record_id):
        return f"id '{record_id}' is reserved for the pages of listings; choose another {what} name"
    if WINDOWS_RESERVED.match(record_id):
        return (f"id '{record_id}' is a device name on Windows, where no {what} can have it; "
                f"choose another {what} name")
    return None


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
