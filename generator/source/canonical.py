"""The canonical text of a record file, which ``ocop fmt`` writes and the web editor keeps.

One form for every record, so that once a file is in it, a change made by hand or by
the web editor (``theme/assets/javascripts/ocop-cms.js``, which mirrors these rules in
JavaScript) touches only the lines of the fields that changed:

* line 1 is the ``# yaml-language-server: $schema=…`` line editors read; no other
  comment is kept;
* fields in the order the record declares them (``records``), unknown ones after,
  as written; empty values (``~``, ``""``, ``[]``, a group with nothing in it) left out;
* two spaces of indentation, lists indented under their field;
* numbers, dates and ``true``/``false`` bare where the field is of that type; text
  bare when every YAML reader reads it back as that text, else in double quotes;
  phone numbers always in double quotes; text of several lines as a ``|`` block.

The rules work on ``yamlsafe``'s node tree (text exactly as written), never on
converted values, so formatting cannot change what a file means.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import typing
from typing import Any, Literal

import yaml

from .fields import schema_fields, type_hints, unwrap_optional
from .yamlsafe import Mapping, Node, Scalar, Sequence, parse, scan_tokens

#: Where record files point their editor at the published schemas (two folders up:
#: ``products/<producer>/`` and ``content/<kind>/`` alike).
SCHEMA_LINE = "# yaml-language-server: $schema=../../generator/schemas/{kind}.schema.json"
INDENT = "  "

#: A value shape: "str", "phone", "int", "float", "bool", "date", or
#: ["list", shape], or ["record", [[name, shape], ...]] (JSON-ready for the browser).
Shape = Any


def _shape_of(tp: Any, fmt: str | None) -> Shape:
    tp, _ = unwrap_optional(tp)
    if dataclasses.is_dataclass(tp):
        return ["record", record_shape(tp)]  # type: ignore[arg-type]
    if typing.get_origin(tp) is list:
        return ["list", _shape_of(typing.get_args(tp)[0], fmt)]
    if typing.get_origin(tp) is Literal:
        return "str"
    for scalar, name in ((bool, "bool"), (int, "int"), (float, "float"), (dt.date, "date")):
        if tp is scalar:
            return name
    if tp is str:
        return "phone" if fmt == "phone" else "str"
    # A new kind of field needs its written form decided here (and in ocop-cms.js).
    raise TypeError(f"no canonical form for fields of type {tp!r}")


@functools.cache
def record_shape(cls: type) -> list[list[Any]]:
    """``[[field name, shape], ...]`` of a record kind, in declared order."""
    hints = type_hints(cls)
    return [[f.name, _shape_of(hints[f.name], f.metadata.get("format"))]
            for f in schema_fields(cls)]


# -- scalars ---------------------------------------------------------------------------

#: Text that a YAML 1.1 or 1.2 reader (PyYAML, js-yaml, VS Code) would turn into
#: something else when written bare: null, booleans, numbers, dates, merge keys.
_RESOLVED = re.compile(
    r"^(?:~|null|Null|NULL"
    r"|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|[-+]?(?:0b[0-1_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)"
    r"|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9].*)?"
    r"|<<|=)$"
)
#: What may start a bare value, and what it may contain.
_PLAIN = re.compile(r"^[^\s#&*!|>'\"%@`{}\[\],?:\-][^#\n]*$")
#: Characters that are never written raw: C0/C1 controls, DEL, line separators, BOM,
#: and the two non-characters YAML readers refuse.
_ESCAPED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
#: What double quotes escape: the backslash, the quote and every _ESCAPED character.
_QUOTED = re.compile('[\\\\"' + _ESCAPED.pattern[1:])
_SHORT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n",
                  "\f": "\\f", "\r": "\\r"}
_TYPED = {
    "int": re.compile(r"^-?[0-9]+$"),
    "float": re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$"),
    "bool": re.compile(r"^(?:true|false)$"),
    "date": re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
}


def quoted(text: str) -> str:
    """``text`` in YAML double quotes (JSON's escapes, which YAML shares)."""
    def escape(m: re.Match[str]) -> str:
        ch = m.group()
        return _SHORT_ESCAPES.get(ch) or f"\\u{ord(ch):04x}"
    return '"' + _QUOTED.sub(escape, text) + '"'


def is_plain(text: str) -> bool:
    """Whether ``text`` reads back as itself, as text, when written bare."""
    return (bool(_PLAIN.match(text)) and text == text.strip() and "\t" not in text
            and ": " not in text and not text.endswith(":")
            and not _ESCAPED.search(text) and not _RESOLVED.match(text))


def text_lines(text: str, indent: str) -> list[str]:
    """``text`` as the value part of a line (``["|", "  line", ...]`` for a block)."""
    if "\n" in text and "\r" not in text and not _ESCAPED.search(text.replace("\n", "")) \
            and text.strip() and not text.lstrip("\n").startswith((" ", "\t")):
        chomp = "" if text.endswith("\n") and not text.endswith("\n\n") else (
            "+" if text.endswith("\n") else "-")
        body = text[:-1] if text.endswith("\n") else text
        return ["|" + chomp] + [indent + line if line else "" for line in body.split("\n")]
    return [text if is_plain(text) else quoted(text)]


def scalar_lines(text: str, shape: Shape, indent: str) -> list[str]:
    if shape == "phone":
        return [quoted(text)]
    pattern = _TYPED.get(shape) if isinstance(shape, str) else None
    if pattern is not None and pattern.match(text):
        return [text]
    return text_lines(text, indent)


# -- the tree --------------------------------------------------------------------------

def values(node: Node) -> Any:
    """The values a node tree holds, without the way they were written: text, lists and
    dicts; empty values, which the canonical form leaves out, are None (a group or list
    of nothing but empty values is empty too)."""
    if isinstance(node, Scalar):
        return None if node.is_null or node.value == "" else node.value
    if isinstance(node, Sequence):
        items = [item for item in map(values, node.items) if item is not None]
        return items or None
    assert isinstance(node, Mapping)
    fields = {key: values(value) for key, (_, value) in node.items.items()}
    return {key: value for key, value in fields.items() if value is not None} or None


def _is_empty(node: Node) -> bool:
    return values(node) is None


def _key(name: str) -> str:
    return name if is_plain(name) else quoted(name)


def _value_lines(node: Node, shape: Shape, depth: int) -> list[str]:
    """Lines of a field's value; the first continues the ``key:`` line."""
    inner = INDENT * (depth + 1)
    if isinstance(node, Scalar):
        first, *rest = scalar_lines(node.value, shape, inner)
        return [" " + first, *rest]
    if isinstance(node, Sequence):
        item_shape = shape[1] if isinstance(shape, list) and shape[0] == "list" else "str"
        out = [""]
        for item in node.items:
            if _is_empty(item):
                continue
            lines = _item_lines(item, item_shape, depth + 2)
            out.append(f"{inner}-{lines[0]}")
            out.extend(lines[1:])
        return out
    assert isinstance(node, Mapping)
    fields = shape[1] if isinstance(shape, list) and shape[0] == "record" else []
    return ["", *mapping_lines(node, fields, depth + 1)]


def _item_lines(node: Node, shape: Shape, depth: int) -> list[str]:
    """A list item: its first line follows ``- ``, the rest sit at ``depth``."""
    if isinstance(node, Mapping):
        fields = shape[1] if isinstance(shape, list) and shape[0] == "record" else []
        lines = mapping_lines(node, fields, depth)
        return [" " + lines[0][len(INDENT * depth):], *lines[1:]]
    return _value_lines(node, shape, depth - 1)


def mapping_lines(node: Mapping, fields: list[list[Any]], depth: int) -> list[str]:
    """Lines of a group of fields at ``depth``: declared fields first, in order."""
    known = {name: shape for name, shape in fields}
    order = [name for name, _ in fields if name in node.items]
    order += [name for name in node.items if name not in known]
    out: list[str] = []
    for name in order:
        _, value = node.items[name]
        if _is_empty(value):
            continue
        out.append(INDENT * depth + _key(name) + ":")
        first, *rest = _value_lines(value, known.get(name, "str"), depth)
        out[-1] += first
        out.extend(rest)
    return out


def canonical_text(kind: str, path: str, data: bytes) -> str:
    """The canonical text of a ``kind`` record file (raises ``YamlError`` if unreadable)."""
    return canonical_text_of(kind, parse(path, data))


def canonical_text_of(kind: str, root: Mapping) -> str:
    """The canonical text of a ``kind`` record already read by ``yamlsafe.parse``."""
    from .records import RECORD_KINDS

    fields = record_shape(RECORD_KINDS[kind])
    lines = [SCHEMA_LINE.format(kind=kind), *mapping_lines(root, fields, 0)]
    return "\n".join(lines) + "\n"


def _comments(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Where each comment of ``text`` starts (its ``#``), and the spans of its ``|``/``>``
    blocks. A ``#`` inside a value (a Markdown heading in a block, quoted text) is not a
    comment; one after a block's ``|`` is, though the block's token spans it."""
    scalars = [t for t in scan_tokens(text) if isinstance(t, yaml.ScalarToken)]
    spans = [(t.start_mark.index, t.end_mark.index) for t in scalars]
    blocks = [span for t, span in zip(scalars, spans, strict=True) if t.style in ("|", ">")]
    starts = [m.start() for m in re.finditer("#", text)
              if not any(begin <= m.start() < end for begin, end in spans)]
    for begin, end in blocks:
        header_end = text.find("\n", begin)
        header = re.search(r"[ \t]#", text[begin:header_end if 0 <= header_end < end else end])
        if header:
            starts.append(begin + header.start() + 1)
    return sorted(starts), blocks


def comment_count(text: str) -> int:
    """How many lines hold a comment ``ocop fmt`` drops (the ``$schema`` line aside)."""
    starts, _ = _comments(text)
    schema = 0 if text.startswith("# yaml-language-server:") else -1
    return len({text.count("\n", 0, at) for at in starts if at != schema})


def without_comments(text: str) -> str:
    """``text`` with its comments, trailing spaces and the blank lines between fields
    removed (the lines of a ``|`` block, blank ones included, are kept as they are)."""
    starts, blocks = _comments(text)
    out = []
    offset = 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if any(begin < start < end for begin, end in blocks):  # a line of a block's text
            out.append(line)
            continue
        cut = next((at - start for at in starts if start <= at < offset), None)
        line = (line if cut is None else line[:cut]).rstrip()
        if line:
            out.append(line)
    return "\n".join(out)


def canonical_but_comments(text: str, canonical: str) -> bool:
    """Whether ``text`` is ``canonical`` with comments, blank lines between fields and
    trailing spaces added: what ``ocop new`` and ``ocop import`` write, and what staff add
    by hand. Its first line must be the canonical ``$schema`` line (the web editor sorts
    records by it), and a file YAML's scanner refuses is never "only comments"."""
    if text.split("\n", 1)[0] != canonical.split("\n", 1)[0]:
        return False
    try:
        return without_comments(text) == without_comments(canonical)
    except yaml.YAMLError:
        return False
