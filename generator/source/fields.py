"""Declared record models: one dataclass per record kind is the whole schema.

A record class's fields carry their documentation and constraints (``spec``);
fields declared with ``derived()`` are filled by the linker, never by staff.
From that single declaration ``convert`` builds typed records out of YAML and
``jsonschema`` writes the JSON Schemas staff's editors use.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
import types
import typing
from array import array
from collections.abc import Callable, Mapping
from typing import Any

from .problems import Position

MISSING = dataclasses.MISSING

#: Formats with a check; the JSON Schema gets a matching pattern/format.
FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "slug": (re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$"), "lower-case ASCII words joined by '-'"),
    "phone": (
        re.compile(r"^\+?[0-9][0-9 .\-()]{5,22}[0-9]$"),
        "a phone number of digits, spaces, dots or dashes (e.g. \"0296 3 871 234\")",
    ),
    "email": (re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}$"), "an e-mail address"),
    "url": (re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE), "a web address starting with https://"),
    "file": (
        re.compile(r"^[A-Za-z0-9À-ỹ_][A-Za-z0-9À-ỹ_.\- ]*\.[A-Za-z0-9]{2,5}$"),
        "a file name in the same folder (no folders, no '..')",
    ),
}


_URL_LIKE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]+:|//)")
_ABSOLUTE = re.compile(r"^(?:[/\\]|[A-Za-z]:)")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def file_name_problem(text: str) -> str | None:
    """Why ``text`` cannot name a file in the record's own folder, if a clear reason exists.

    The ``file`` pattern alone would refuse all of these; a specific reason tells
    staff what to change (and shows reviewers what was attempted).
    """
    if _URL_LIKE.match(text):
        return ("must be a file in the producer's folder, not a web address or link "
                "(download the photo and commit it)")
    if _ABSOLUTE.match(text):
        return "must be a file name in the same folder, not an absolute path"
    if ".." in re.split(r"[/\\]", text):
        return "must be a file name in the same folder; '..' (parent folder) is not allowed"
    if "\\" in text:
        return "must be a file name in the same folder; '\\' (folder separator) is not allowed"
    if "/" in text:
        return "must be a file name in the same folder; '/' (folder separator) is not allowed"
    if _PERCENT.search(text):
        return "must be written as plain characters; %-escapes such as %2e are not allowed"
    return None


@functools.cache
def alternatives(cls: type) -> dict[str, list[str]]:
    """The ``one_of`` groups of ``cls``: group name -> field names, in declared order."""
    groups: dict[str, list[str]] = {}
    for f in dataclasses.fields(cls):
        if f.metadata.get("one_of"):
            groups.setdefault(f.metadata["one_of"], []).append(f.name)
    return groups


def spec(
    doc: str,
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    minimum: float | None = None,
    maximum: float | None = None,
    fmt: str | None = None,
    min_items: int | None = None,
    min_length: int | None = 1,
    example: Any = None,
    one_of: str | None = None,
    label: str | None = None,
) -> Any:
    """Declare a field staff write, with its documentation and constraints.

    ``label`` names the field in the web editor's form when the first phrase of
    ``doc`` would not. Fields sharing a ``one_of`` name are alternatives: a record
    gives exactly one of them (the first declared is the usual one, which the
    scaffold writes out).
    """
    metadata = {
        "one_of": one_of,
        "doc": doc,
        "minimum": minimum,
        "maximum": maximum,
        "format": fmt,
        "min_items": min_items,
        "min_length": min_length,
        "example": example,
        "label": label,
    }
    if default_factory is not MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def derived(default: Any = None, *, factory: Callable[[], Any] | None = None) -> Any:
    """Declare a field computed at build time (not part of the YAML schema)."""
    if factory is not None:
        return dataclasses.field(
            default_factory=factory, init=False, repr=False, compare=False,
            metadata={"derived": True},
        )
    return dataclasses.field(
        default=default, init=False, repr=False, compare=False, metadata={"derived": True}
    )


class Source:
    """Where a record came from, so later checks can point at the right line.

    Every value of every record has a position: 580,000 in a national catalogue. Kept
    as a dict of named tuples they were 84 MB of the catalogue's 193 MB in each process
    of a build (forked workers copy what they touch). Here the field paths are a list of
    interned strings (all records share them: 215 distinct in that catalogue) and the
    lines and columns one array: 15.9 MB. A ``Position`` is made when one is asked for.
    """

    __slots__ = ("_keys", "_places", "path")

    def __init__(self, path: str, positions: Mapping[str, Position] | None = None) -> None:
        #: The file, relative to the project (as positions name it).
        self.path = path
        self._keys: list[str] = []
        # line, column of each key, in turn (unsigned: both count from 1, 0 unknown).
        self._places = array("I")
        for key, position in (positions or {}).items():
            self.add(key, position)

    def add(self, field_path: str, position: Position) -> None:
        """Note where ``field_path`` is written (in ``path``; again: the later place)."""
        if position.path != self.path or "\0" in field_path:  # never from a YAML file
            raise ValueError(f"{field_path!r} at {position}: not a field of {self.path}")
        place = array("I", (position.line, position.col))  # first: it may overflow
        found = self._find(field_path)
        if found < 0:
            self._keys.append(sys.intern(field_path))
            self._places.extend(place)
        else:
            self._places[2 * found:2 * found + 2] = place

    def at(self, field_path: str) -> Position:
        """Position of a field (or of its nearest written parent)."""
        key = field_path
        while key:
            found = self._find(key)
            if found >= 0:
                return self._position(found)
            key = key.rpartition(".")[0]
        found = self._find("")
        return self._position(found) if found >= 0 else Position(self.path, 1, 1)

    @property
    def positions(self) -> dict[str, Position]:
        """Every noted field path and its position (a copy)."""
        return {key: self._position(i) for i, key in enumerate(self._keys)}

    def _find(self, key: str) -> int:
        try:
            return self._keys.index(key)
        except ValueError:
            return -1

    def _position(self, index: int) -> Position:
        return Position(self.path, self._places[2 * index], self._places[2 * index + 1])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Source):
            return NotImplemented
        return self.path == other.path and self.positions == other.positions

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaced

    def __repr__(self) -> str:
        return f"Source({self.path!r}, {self.positions!r})"

    # Pickled compactly (the record cache holds 30,000); the keys interned again on
    # loading, so that every record shares them.
    def __getstate__(self) -> tuple[str, str, bytes]:
        return self.path, "\0".join(self._keys), self._places.tobytes()

    def __setstate__(self, state: tuple[str, str, bytes]) -> None:
        path, keys, places = state
        self.path = path
        # No key and no place: an empty source (the root alone is the key "").
        self._keys = [sys.intern(k) for k in keys.split("\0")] if keys or places else []
        self._places = array("I")
        self._places.frombytes(places)
        if len(self._places) != 2 * len(self._keys):
            raise ValueError(f"a damaged source of {path}")


@functools.cache
def schema_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    """The fields staff write, in declaration order."""
    return tuple(f for f in dataclasses.fields(cls) if not f.metadata.get("derived") and f.init
                 and "doc" in f.metadata)


@functools.cache
def field_map(cls: type) -> dict[str, dataclasses.Field[Any]]:
    return {f.name: f for f in schema_fields(cls)}


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    """The resolved types of the fields staff write (cached: resolving is slow).

    Only those: derived fields are never converted, and their types need not be
    importable here.
    """
    written = type(cls.__name__, (), {
        "__module__": cls.__module__,
        "__annotations__": {f.name: f.type for f in schema_fields(cls)},
    })
    return typing.get_type_hints(written)


@functools.cache
def unwrap_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


@functools.cache
def field_kind(tp: Any) -> tuple[str, Any]:
    """How to convert a field type: ("record" | "list" | "scalar", detail)."""
    tp, _ = unwrap_optional(tp)
    if dataclasses.is_dataclass(tp):
        return "record", tp
    if typing.get_origin(tp) is list:
        return "list", typing.get_args(tp)[0]
    return "scalar", tp

