"""Convert a positioned YAML node tree into a typed record.

Every problem is collected as ``path:line:col: field: message`` instead of
stopping at the first one; the record is built only when nothing is wrong.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import typing
from typing import Any, Literal

from .fields import (
    FORMATS,
    MISSING,
    Source,
    alternatives,
    field_kind,
    field_map,
    file_name_problem,
    type_hints,
)
from .problems import Problems
from .yamlsafe import Mapping, Node, Scalar, Sequence

#: Numbers staff write: digits, an optional sign, for decimals a point.
_INTEGER = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")
#: No field's bound needs more digits (a price in đồng has at most 11).
MAX_DIGITS = 15
#: C0 and C1 control characters, except tab and line feed: never text staff mean to write
#: (a double-quoted "\x01" makes one), and invalid in XML feeds.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Characters of a found value shown in a message.
SHOWN_CHARS = 60


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
        hints = type_hints(cls)
        fields = field_map(cls)
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
                if _FIELD_NAME.match(key):
                    self.fail(key_node, path, f"unknown field{hint}")
                else:  # a name no field could have (':', spaces …): quoted in the message
                    self.fail(key_node, name or "-", f"unknown field {shown(key)}{hint}")
                ok = False
                continue
            self.source.add(path, value_node.position)
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
            if f.default is MISSING and f.default_factory is MISSING:
                path = f"{name}.{key}" if name else key
                if key in empty:
                    self.fail(empty[key], path, "required field has no value; fill it in")
                else:
                    self.fail(node, path, "required field is missing")
                ok = False
        for group in alternatives(cls).values():
            ok = self.one_of(group, node, name, given | values.keys(), empty) and ok
        if not ok:
            return _INVALID
        return cls(**values)

    def one_of(self, group: list[str], node: Mapping, name: str, written: set[str],
               empty: dict[str, Scalar]) -> bool:
        """Exactly one field of ``group`` (alternatives such as ocop / certificates)."""
        path = f"{name}.{group[0]}" if name else group[0]
        others = " or ".join(f"'{key}'" for key in group[1:])
        chosen = [key for key in group if key in written]
        if len(chosen) > 1:
            key_node = node.items[chosen[1]][0]
            self.fail(key_node, f"{name}.{chosen[1]}" if name else chosen[1],
                      f"give either '{chosen[0]}' or '{chosen[1]}', not both")
            return False
        if chosen:
            return True
        if group[0] in empty:
            self.fail(empty[group[0]], path, "required field has no value; fill it in")
        else:
            self.fail(node, path, f"required field is missing (or give {others} instead)")
        return False

    def value(self, tp: Any, f: dataclasses.Field[Any], node: Node, name: str) -> Any:
        kind, arg = field_kind(tp)
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
                self.source.add(item_name, item.position)
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
            self.fail(node, name, f"must be one of {', '.join(choices)}; found {shown(text)}")
            return _INVALID
        if tp is bool:
            if text in ("true", "false"):
                return text == "true"
            self.fail(node, name, f"must be true or false; found {shown(text)}")
            return _INVALID
        if tp is int:
            if not _INTEGER.fullmatch(text):
                self.fail(node, name, "must be a whole number written with digits only; "
                          f"found {shown(text)}")
                return _INVALID
            return self.number(int, text, meta, node, name)
        if tp is float:
            if not _DECIMAL.fullmatch(text):
                self.fail(node, name, f"must be a number like 10.3759; found {shown(text)}")
                return _INVALID
            return self.number(float, text, meta, node, name)
        if tp is dt.date:
            try:
                if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                    raise ValueError
                return dt.date.fromisoformat(text)
            except ValueError:
                self.fail(node, name, f"must be a date written YYYY-MM-DD; found {shown(text)}")
                return _INVALID
        assert tp is str, tp
        if control := _CONTROL.search(node.value):
            self.fail(node, name, "must not contain control characters; found "
                      f"U+{ord(control.group()):04X} at character {control.start() + 1}")
            return _INVALID
        if meta.get("min_length") and not text:
            self.fail(node, name, "must not be empty")
            return _INVALID
        fmt = meta.get("format")
        if fmt == "file" and (reason := file_name_problem(text)):
            self.fail(node, name, f"{reason}; found {shown(text)}")
            return _INVALID
        if fmt in FORMATS:
            pattern, what = FORMATS[fmt]
            if not pattern.match(text):
                self.fail(node, name, f"must be {what}; found {shown(text)}")
                return _INVALID
        # Multi-line Markdown keeps its line breaks; single-line text is trimmed.
        return node.value if fmt == "markdown" else text

    def number(self, kind: type, text: str, meta: typing.Mapping[str, Any], node: Scalar,
               name: str) -> Any:
        """``text`` (digits already checked) as a number within the field's bounds."""
        low, high = meta["minimum"], meta["maximum"]
        digits = len(text.lstrip("+-").partition(".")[0].lstrip("0"))
        # Past MAX_DIGITS no bound can hold it; int() would refuse past 4,300 digits.
        number = kind(text) if digits <= MAX_DIGITS else None
        if number is None or not low <= number <= high:
            found = (f"a number of {digits:,} digits" if digits > MAX_DIGITS else
                     text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…")
            self.fail(node, name, f"must be between {_bound(low)} and {_bound(high)}; "
                      f"found {found}")
            return _INVALID
        return number


#: What a field name looks like in messages (``path: field: message``).
_FIELD_NAME = re.compile(r"^[\w-]+$")


def shown(text: str) -> str:
    """A found value quoted for a message, cut short when long."""
    return repr(text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…")


def _bound(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


_INVALID: Any = _Invalid()


def build_record(cls: type, root: Mapping, path: str, problems: Problems) -> Any:
    """Typed record from a parsed file, or ``None`` after reporting problems.

    The returned record's ``source`` (a derived field) is set, when its class has one
    (a file's record does; a part of one, such as a ``Rating``, has none: records have
    slots, so no attribute can be added).
    """
    source = Source(path, {"": root.position})
    result = _Converter(source, problems).record(cls, root, "")
    if result is None or result is _INVALID:
        return None
    if hasattr(result, "source"):
        result.source = source
    return result

