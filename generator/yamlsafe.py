"""Strict YAML reading for untrusted records.

PyYAML's event parser (libyaml when available) is used, but not its
constructor: we build our own small node tree so that

* every value keeps its position for error messages;
* scalars stay text until the schema says what they are, so an unquoted phone
  ``0296 3 871 234``, ``NO`` or ``1.10`` is never turned into a number or a
  boolean behind the writer's back;
* anchors, aliases, tags, duplicate keys, several documents and deep nesting are
  refused before they can cost memory or time (an alias bomb never expands).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from .errors import Position

try:  # libyaml is ~10x faster; fall back to the pure-Python parser.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

#: Records are small; anything bigger is a mistake or an attack.
MAX_FILE_BYTES = 256 * 1024
#: Our records nest four levels at most; this leaves room without recursion risk.
MAX_DEPTH = 16
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


class YamlError(Exception):
    """A file that cannot be read as one YAML record."""

    def __init__(self, position: Position, message: str, field_name: str = "") -> None:
        self.position = position
        self.message = message
        self.field = field_name
        super().__init__(f"{position}: {field_name or '-'}: {message}")


@dataclass
class Node:
    position: Position


@dataclass
class Scalar(Node):
    """A text value exactly as written (NFC-normalised)."""

    value: str
    #: True when written without quotes; only plain scalars can mean null.
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULL_WORDS


@dataclass
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


@dataclass
class Mapping(Node):
    items: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)


def _position(path: str, mark: yaml.Mark | None) -> Position:
    if mark is None:
        return Position(path)
    return Position(path, mark.line + 1, mark.column + 1)


def _locate(text: bytes, offset: int) -> tuple[int, int]:
    line = text.count(b"\n", 0, offset) + 1
    col = offset - (text.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def decode(path: str, data: bytes) -> str:
    """UTF-8 text of a record file, or a positioned error."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlError(
            Position(path),
            f"file is too large ({len(data)} bytes; the limit is {MAX_FILE_BYTES} bytes)",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        raise YamlError(Position(path, *_locate(data, nul)), "the file contains a NUL byte")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(
            Position(path, *_locate(data, exc.start)),
            "the file is not valid UTF-8 text (save it as UTF-8)",
        ) from None


def _char_at(text: str, mark: yaml.Mark) -> str:
    lines = text.split("\n")
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _events(path: str, text: str) -> Iterator[yaml.Event]:
    try:
        yield from yaml.parse(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if mark is not None and _char_at(text, mark) == "\t":
            message = "a tab character cannot be used for indentation; use spaces"
        raise YamlError(_position(path, mark), f"YAML syntax error: {message}") from None
    except yaml.YAMLError as exc:  # reader errors (control characters …)
        mark = getattr(exc, "problem_mark", None)
        raise YamlError(_position(path, mark), f"YAML error: {exc}") from None


def parse(path: str, data: bytes) -> Mapping:
    """Read one record file (bytes) into a positioned node tree.

    ``path`` is only used in messages; it should be relative to the project.
    """
    text = decode(path, data)
    root: Node | None = None
    stack: list[Node] = []
    pending_key: list[Scalar | None] = []
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        assert isinstance(parent, Mapping)
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise YamlError(node.position, "a field name must be plain text")
            pending_key[-1] = node
            return
        pending_key[-1] = None
        if key.value in parent.items:
            first = parent.items[key.value][0].position
            raise YamlError(
                key.position,
                f"duplicate field (first given at line {first.line})",
                key.value,
            )
        parent.items[key.value] = (key, node)

    for event in _events(path, text):
        pos = _position(path, event.start_mark)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlError(
                    pos, "several YAML documents in one file; keep one record per file"
                )
            continue
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(pos, "anchors and aliases (&, *) are not allowed; write values out")
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise YamlError(pos, "anchors and aliases (&, *) are not allowed; write values out")
        tag = getattr(event, "tag", None)
        if isinstance(event, yaml.NodeEvent) and tag is not None and tag != "!":
            raise YamlError(pos, f"YAML tags are not allowed (found {_short_tag(tag)})")
        if isinstance(event, yaml.ScalarEvent):
            value = unicodedata.normalize("NFC", event.value)
            attach(Scalar(pos, value, plain=event.style in (None, "")))
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise YamlError(pos, f"nesting is deeper than {MAX_DEPTH} levels")
            node: Node = (
                Sequence(pos) if isinstance(event, yaml.SequenceStartEvent) else Mapping(pos)
            )
            attach(node)
            stack.append(node)
            pending_key.append(None)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            stack.pop()
            pending_key.pop()

    if root is None or (isinstance(root, Scalar) and root.is_null):
        raise YamlError(Position(path, 1, 1), "the file is empty")
    if not isinstance(root, Mapping):
        kind = "a list" if isinstance(root, Sequence) else "a single value"
        raise YamlError(
            root.position, f"expected fields (name: value) at the top level, found {kind}"
        )
    return root
