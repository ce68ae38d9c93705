"""Declared record models: one dataclass per record kind is the whole schema.

A record class's fields carry their documentation and constraints (``spec``).
From that single declaration this module

* converts a positioned YAML node tree into typed records, collecting every
  problem as ``path:line:col: field: message`` instead of stopping at the first;
* writes the JSON Schema that editors use to autocomplete and underline.

Fields declared with ``derived()`` are filled by the linker, never by staff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

from .problems import Position, Problems
from .yamlsafe import Mapping, Node, Scalar, Sequence

_MISSING = dataclasses.MISSING

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


def spec(
    doc: str,
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | Any = _MISSING,
    minimum: float | None = None,
    maximum: float | None = None,
    fmt: str | None = None,
    min_items: int | None = None,
    min_length: int | None = 1,
    example: Any = None,
) -> Any:
    """Declare a field staff write, with its documentation and constraints."""
    metadata = {
        "doc": doc,
        "minimum": minimum,
        "maximum": maximum,
        "format": fmt,
        "min_items": min_items,
        "min_length": min_length,
        "example": example,
    }
    if default_factory is not _MISSING:
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


@dataclasses.dataclass
class Source:
    """Where a record came from, so later checks can point at the right line."""

    path: str
    positions: dict[str, Position] = dataclasses.field(default_factory=dict)

    def at(self, field_path: str) -> Position:
        """Position of a field (or of its nearest written parent)."""
        key = field_path
        while key:
            if key in self.positions:
                return self.positions[key]
            key = key.rpartition(".")[0]
        return self.positions.get("", Position(self.path, 1, 1))


@functools.cache
def schema_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    """The fields staff write, in declaration order."""
    return tuple(f for f in dataclasses.fields(cls) if not f.metadata.get("derived") and f.init
                 and "doc" in f.metadata)


@functools.cache
def _field_map(cls: type) -> dict[str, dataclasses.Field[Any]]:
    return {f.name: f for f in schema_fields(cls)}


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    # Resolving string annotations is slow; records are converted by the thousand.
    return typing.get_type_hints(cls)


@functools.cache
def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


@functools.cache
def _kind(tp: Any) -> tuple[str, Any]:
    """How to convert a field type: ("record" | "list" | "scalar", detail)."""
    tp, _ = _unwrap_optional(tp)
    if dataclasses.is_dataclass(tp):
        return "record", tp
    if typing.get_origin(tp) is list:
        return "list", typing.get_args(tp)[0]
    return "scalar", tp


def _describe(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a group of fields"
    if isinstance(node, Sequence):
        return "a list"
    assert isinstance(node, Scalar)
    return repr(node.value)


class _Converter:
    def __init__(self, source: Source, problems: Problems) -> None:
        self.source = source
        self.problems = problems

    def fail(self, node: Node, name: str, message: str) -> None:
        self.problems.error(node.position, name, message)

    def record(self, cls: type, node: Node, name: str) -> Any:
        """Build ``cls`` from a mapping node; ``None`` if anything is wrong."""
        if not isinstance(node, Mapping):
            self.fail(node, name or "-", f"expected a group of fields, found {_describe(node)}")
            return None
        hints = _hints(cls)
        fields = _field_map(cls)
        values: dict[str, Any] = {}
        given: set[str] = set()  # written but invalid: already reported
        ok = True
        #: Fields written with no value: a missing required one is reported at its key.
        empty: dict[str, Scalar] = {}
        for key, (key_node, value_node) in node.items.items():
            path = f"{name}.{key}" if name else key
            if key not in fields:
                close = difflib.get_close_matches(key, list(fields), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else (
                    f"; known fields: {', '.join(fields)}"
                )
                self.fail(key_node, path, f"unknown field{hint}")
                ok = False
                continue
            self.source.positions[path] = value_node.position
            if isinstance(value_node, Scalar) and value_node.is_null:
                empty[key] = key_node
                continue  # an empty value is the same as leaving the field out
            value = self.value(hints[key], fields[key], value_node, path)
            if value is _INVALID:
                ok = False
                given.add(key)
            else:
                values[key] = value
        for key, f in fields.items():
            if key in values or key in given:
                continue
            if f.default is _MISSING and f.default_factory is _MISSING:
                path = f"{name}.{key}" if name else key
                if key in empty:
                    self.fail(empty[key], path, "required field has no value; fill it in")
                else:
                    self.fail(node, path, "required field is missing")
                ok = False
        if not ok:
            return _INVALID
        return cls(**values)

    def value(self, tp: Any, f: dataclasses.Field[Any], node: Node, name: str) -> Any:
        kind, arg = _kind(tp)
        meta = f.metadata
        if kind == "record":
            result = self.record(arg, node, name)
            return _INVALID if result is None else result
        if kind == "list":
            if not isinstance(node, Sequence):
                self.fail(node, name, f"expected a list, found {_describe(node)}")
                return _INVALID
            if meta.get("min_items") and len(node.items) < meta["min_items"]:
                self.fail(node, name, f"needs at least {meta['min_items']} item(s)")
                return _INVALID
            items = []
            for i, item in enumerate(node.items):
                item_name = f"{name}[{i}]"
                self.source.positions[item_name] = item.position
                items.append(self.value(arg, f, item, item_name))
            return _INVALID if any(v is _INVALID for v in items) else items
        if not isinstance(node, Scalar):
            self.fail(node, name, f"expected a single value, found {_describe(node)}")
            return _INVALID
        return self.scalar(arg, meta, node, name)

    def scalar(self, tp: Any, meta: typing.Mapping[str, Any], node: Scalar, name: str) -> Any:
        text = node.value.strip()
        if typing.get_origin(tp) is Literal:
            choices = typing.get_args(tp)
            if text in choices:
                return text
            self.fail(node, name, f"must be one of {', '.join(choices)}; found {text!r}")
            return _INVALID
        if tp is bool:
            if text in ("true", "false"):
                return text == "true"
            self.fail(node, name, f"must be true or false; found {text!r}")
            return _INVALID
        if tp is int:
            if not re.fullmatch(r"-?[0-9]+", text):
                self.fail(node, name,
                          f"must be a whole number written with digits only; found {text!r}")
                return _INVALID
            number = int(text)
            return number if self.in_range(number, meta, node, name) else _INVALID
        if tp is float:
            try:
                number = float(text)
            except ValueError:
                self.fail(node, name, f"must be a number like 10.3759; found {text!r}")
                return _INVALID
            return number if self.in_range(number, meta, node, name) else _INVALID
        if tp is dt.date:
            try:
                if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                    raise ValueError
                return dt.date.fromisoformat(text)
            except ValueError:
                self.fail(node, name, f"must be a date written YYYY-MM-DD; found {text!r}")
                return _INVALID
        assert tp is str, tp
        if meta.get("min_length") and not text:
            self.fail(node, name, "must not be empty")
            return _INVALID
        fmt = meta.get("format")
        if fmt == "file" and (reason := file_name_problem(text)):
            self.fail(node, name, f"{reason}; found {text!r}")
            return _INVALID
        if fmt in FORMATS:
            pattern, what = FORMATS[fmt]
            if not pattern.match(text):
                self.fail(node, name, f"must be {what}; found {text!r}")
                return _INVALID
        # Multi-line Markdown keeps its line breaks; single-line text is trimmed.
        return node.value if fmt == "markdown" else text

    def in_range(self, number: float, meta: typing.Mapping[str, Any], node: Scalar,
                 name: str) -> bool:
        low, high = meta.get("minimum"), meta.get("maximum")
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                self.fail(node, name, f"must be between {low:g} and {high:g}; found {node.value}")
            elif low is not None:
                self.fail(node, name, f"must be at least {low:g}; found {node.value}")
            else:
                self.fail(node, name, f"must be at most {high:g}; found {node.value}")
            return False
        return True


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


_INVALID: Any = _Invalid()


def build_record(cls: type, root: Mapping, path: str, problems: Problems) -> Any:
    """Typed record from a parsed file, or ``None`` after reporting problems.

    The returned record's ``source`` attribute (a derived field) is set.
    """
    source = Source(path, {"": root.position})
    result = _Converter(source, problems).record(cls, root, "")
    if result is None or result is _INVALID:
        return None
    result.source = source
    return result


# --- JSON Schema -----------------------------------------------------------------

def _json_type(tp: Any, f: dataclasses.Field[Any], defs: dict[str, Any]) -> dict[str, Any]:
    tp, _ = _unwrap_optional(tp)
    meta = f.metadata
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # reserve first: records may refer to themselves
            defs[name] = object_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        out: dict[str, Any] = {"type": "array", "items": _json_type(item_tp, f, defs)}
        if meta.get("min_items"):
            out["minItems"] = meta["min_items"]
        return out
    if origin is Literal:
        return {"enum": list(typing.get_args(tp))}
    if tp is bool:
        return {"type": "boolean"}
    if tp in (int, float):
        out = {"type": "integer" if tp is int else "number"}
        if meta.get("minimum") is not None:
            out["minimum"] = meta["minimum"]
        if meta.get("maximum") is not None:
            out["maximum"] = meta["maximum"]
        return out
    if tp is dt.date:
        # Staff write dates unquoted; YAML editors see a string or a date.
        return {"type": "string", "format": "date"}
    out = {"type": "string"}
    fmt = meta.get("format")
    if fmt in FORMATS:
        out["pattern"] = FORMATS[fmt][0].pattern
    if fmt == "email":
        out["format"] = "email"
    if fmt == "url":
        out["format"] = "uri"
    if meta.get("min_length"):
        out["minLength"] = 1
    return out


def object_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = _hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in schema_fields(cls):
        prop = _json_type(hints[f.name], f, defs)
        prop = {"description": f.metadata["doc"], **prop} if "$ref" not in prop else {
            "description": f.metadata["doc"], "allOf": [prop]}
        if f.metadata.get("example") is not None:
            prop["examples"] = [f.metadata["example"]]
        properties[f.name] = prop
        if f.default is _MISSING and f.default_factory is _MISSING:
            required.append(f.name)
    out: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    return out


def json_schema(cls: type, schema_id: str, title: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a top-level record kind."""
    defs: dict[str, Any] = {}
    body = object_schema(cls, defs)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        **body,
    }
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema
