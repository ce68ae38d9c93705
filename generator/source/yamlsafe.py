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
from dataclasses import dataclass, field

import yaml

from .problems import Position

try:  # libyaml is ~10x faster; fall back to the pure-Python parser.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

#: Records are small; anything bigger is a mistake or an attack.
MAX_FILE_BYTES = 256 * 1024
#: Our records nest four levels at most; this leaves room without recursion risk.
MAX_DEPTH = 16
_NO_ALIASES = "anchors and aliases (&, *) are not allowed; write values out"
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
#: Characters YAML reserves at the start of a plain value.
_RESERVED_STARTS = frozenset("%@`")
#: PyYAML's context of a syntax error, said in staff's words.
_CONTEXTS = {
    "while scanning a quoted scalar": "the quoted value is not closed; it starts",
    "while parsing a flow sequence": "in the [ ] list that starts",
    "while parsing a flow mapping": "in the { } group that starts",
    "while parsing a block mapping": "in the group of fields that starts",
    "while parsing a block collection": "in the list that starts",
}


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
    """Line and column (in characters, as editors count) of a byte offset."""
    line = text.count(b"\n", 0, offset) + 1
    start = text.rfind(b"\n", 0, offset) + 1
    col = len(text[start:offset].decode("utf-8", errors="replace")) + 1
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


def _syntax_error(path: str, text: str, exc: yaml.YAMLError) -> YamlError:
    """A YAML parser error, said in staff's words, at the right place."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        # Reader errors (control characters …) carry no problem_mark.
        mark = getattr(exc, "problem_mark", None)
        return YamlError(_position(path, mark), f"YAML error: {exc}")
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "invalid YAML"
    char = _char_at(text, mark) if mark is not None else ""
    start = exc.context_mark
    if char == "\t":
        message = "a tab character cannot be used for indentation; use spaces"
    elif char in _RESERVED_STARTS and "cannot start any token" in message:
        message = f"a value cannot start with '{char}'; put the value in quotes"
    elif exc.context and start is not None and mark is not None and start.line != mark.line:
        # An unclosed quote or bracket is reported where the file ends; say where it began.
        where = f"line {start.line + 1}, column {start.column + 1}"
        what = _CONTEXTS.get(exc.context, exc.context.removeprefix("while ") + " that starts")
        message += f" ({what} at {where})"
    return YamlError(_position(path, mark), f"YAML syntax error: {message}")


def scan_tokens(text: str) -> list[yaml.Token]:
    """The YAML scanner's tokens of ``text``, by the same scanner ``parse`` reads with
    (PyYAML's pure-Python one refuses tabs libyaml accepts)."""
    loader = _Loader(text)
    try:
        tokens = []
        while loader.check_token():
            tokens.append(loader.get_token())
        return tokens
    finally:
        loader.dispose()


def parse(path: str, data: bytes) -> Mapping:
    """Read one record file (bytes) into a positioned node tree.

    ``path`` is only used in messages; it should be relative to the project.
    """
    text = decode(path, data)
    root: Node | None = None
    stack: list[Node] = []
    pending_key: list[Scalar | None] = []
    #: Field path of each open container ("ocop", "photos[0]"), for messages.
    paths: list[str] = []
    documents = 0

    def attach(node: Node) -> str:
        """Add ``node`` to the open container; returns its field path."""
        nonlocal root
        if not stack:
            root = node
            return ""
        parent, parent_path = stack[-1], paths[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return f"{parent_path}[{len(parent.items) - 1}]"
        assert isinstance(parent, Mapping)
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise YamlError(node.position, "a field name must be plain text")
            pending_key[-1] = node
            return parent_path
        pending_key[-1] = None
        path = f"{parent_path}.{key.value}" if parent_path else key.value
        if key.value in parent.items:
            first = parent.items[key.value][0].position
            raise YamlError(
                key.position,
                f"duplicate field (first given at line {first.line})",
                path,
            )
        parent.items[key.value] = (key, node)
        return path

    # A tight loop over libyaml's events: this runs once per value of every record.
    parser = _Loader(text)
    try:
        while True:
            try:
                event = parser.get_event()
            except yaml.YAMLError as exc:
                raise _syntax_error(path, text, exc) from None
            kind = type(event)
            if kind is yaml.StreamEndEvent:
                break
            mark = event.start_mark
            pos = Position(path, mark.line + 1, mark.column + 1)
            if kind is yaml.ScalarEvent or kind is yaml.MappingStartEvent \
                    or kind is yaml.SequenceStartEvent:
                if event.anchor is not None:
                    raise YamlError(pos, _NO_ALIASES)
                tag = event.tag
                if tag is not None and tag != "!":
                    raise YamlError(pos, f"YAML tags are not allowed (found {_short_tag(tag)})")
            if kind is yaml.ScalarEvent:
                value = event.value
                if not value.isascii():
                    value = unicodedata.normalize("NFC", value)
                attach(Scalar(pos, value, event.style is None or event.style == ""))
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(pos, f"nesting is deeper than {MAX_DEPTH} levels")
                node: Node = Mapping(pos) if kind is yaml.MappingStartEvent else Sequence(pos)
                paths.append(attach(node))
                stack.append(node)
                pending_key.append(None)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                pending_key.pop()
                paths.pop()
            elif kind is yaml.AliasEvent:
                raise YamlError(pos, _NO_ALIASES)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlError(
                        pos, "several YAML documents in one file; keep one record per file"
                    )
    finally:
        parser.dispose()

    if root is None or (isinstance(root, Scalar) and root.is_null):
        raise YamlError(Position(path, 1, 1), "the file is empty")
    if not isinstance(root, Mapping):
        kind = "a list" if isinstance(root, Sequence) else "a single value"
        raise YamlError(
            root.position, f"expected fields (name: value) at the top level, found {kind}"
        )
    return root
