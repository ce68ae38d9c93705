"""``ocop new``: start a record file with every field present and explained.

The file is written from the declared record classes (``records``), so it always
lists exactly the fields the schema knows, with their Vietnamese documentation.
Required fields are written with an empty value (``ocop check`` says which ones
are still empty); optional fields are commented out, ready to be uncommented.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..source.canonical import is_plain, quoted
from ..source.fields import FORMATS, alternatives, schema_fields, type_hints, unwrap_optional
from ..source.layout import SourceLayout
from ..source.records import RECORD_KINDS
from ..source.walk import PRODUCER_FILE, reserved_id_problem

#: Where each kind's schema lives, relative to the repository root.
SCHEMA_FOLDER = "generator/schemas"
#: Inline comments start at this column when the line is shorter.
COMMENT_COLUMN = 24

_FORMAT_HINTS = {
    "slug": "chữ thường không dấu, số và dấu '-'",
    "phone": "viết trong ngoặc kép",
    "email": "ví dụ lienhe@example.vn",
    "url": "bắt đầu bằng https://",
    "file": "đúng tên tệp, kể cả chữ hoa/thường",
    "markdown": "nhiều dòng thì viết | rồi xuống dòng, thụt vào 2 dấu cách",
}
#: A hint is left out when the field's documentation already says it.
_ALREADY_SAID = {"dạng YYYY-MM-DD": "YYYY-MM-DD", "viết trong ngoặc kép": "ngoặc kép",
                 "bắt đầu bằng https://": "https://", "bắt buộc": "bắt buộc",
                 "true hoặc false": "true/false"}


class ScaffoldError(Exception):
    """The file cannot be created (bad id, file already there, unknown producer)."""


@dataclass(frozen=True)
class _Line:
    indent: int
    text: str
    comment: str
    commented: bool


def _is_required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _details(tp: Any, f: dataclasses.Field[Any], requirement: str) -> str:
    """The field's documentation with what it accepts, in Vietnamese."""
    meta = f.metadata
    parts = [meta["doc"].rstrip("."), requirement]
    tp, _ = unwrap_optional(tp)
    origin = typing.get_origin(tp)
    if origin is list:
        (tp,) = typing.get_args(tp)
        origin = typing.get_origin(tp)
        if not dataclasses.is_dataclass(tp):
            parts.append("danh sách, ví dụ [VietGAP, HACCP]")
    if origin is Literal:
        parts.append("một trong: " + ", ".join(typing.get_args(tp)))
    elif tp is bool:
        parts.append("true hoặc false")
    elif tp is dt.date:
        parts.append("dạng YYYY-MM-DD")
    elif tp in (int, float):
        low, high = meta.get("minimum"), meta.get("maximum")
        kind = "số nguyên" if tp is int else "số"
        if low is not None and high is not None:
            parts.append(f"{kind} từ {low:g} đến {high:g}")
        elif low is not None:
            parts.append(f"{kind} từ {low:g} trở lên")
        else:
            parts.append(kind)
    elif meta.get("format") in _FORMAT_HINTS:
        parts.append(_FORMAT_HINTS[meta["format"]])
    if meta.get("example") is not None:
        parts.append(f"ví dụ: {meta['example']}")
    doc = parts[0]
    return "; ".join([doc] + [p for p in parts[1:]
                              if _ALREADY_SAID.get(p, "\0") not in doc])


def yaml_scalar(value: str | int | dt.date) -> str:
    """A value as the files write it: numbers and dates bare, text bare when YAML
    reads it back as that text, else double-quoted (a phone number, "yes", "3") —
    the canonical form's rules (``source.canonical``), so filled-in files are canonical
    but for their comments."""
    if isinstance(value, dt.date | int):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    value = unicodedata.normalize("NFC", value)  # as yamlsafe reads it back
    return value if is_plain(value) else quoted(value)


def _lines(cls: type, indent: int, commented: bool, values: dict[str, Any],
           prefix: str = "") -> list[_Line]:
    """Lines for every schema field of ``cls`` (nested records included)."""
    hints = type_hints(cls)
    out: list[_Line] = []
    # Of alternatives (one_of), the first is written out like a required field.
    others = {name: group for group in alternatives(cls).values() for name in group}
    for f in schema_fields(cls):
        path = f"{prefix}{f.name}"
        group = [name for name in others.get(f.name, []) if name != f.name]
        required = _is_required(f) or (bool(group) and others[f.name][0] == f.name)
        off = commented or not required
        tp, _ = unwrap_optional(hints[f.name])
        requirement = ("bắt buộc" if required else "không bắt buộc") if not group else (
            f"bắt buộc, hoặc dùng {', '.join(group)}" if required
            else f"dùng thay cho {', '.join(group)}")
        comment = _details(hints[f.name], f, requirement)
        origin = typing.get_origin(tp)
        item = typing.get_args(tp)[0] if origin is list else None
        if dataclasses.is_dataclass(tp):
            out.append(_Line(indent, f"{f.name}:", comment, off))
            out.extend(_lines(tp, indent + 2, off, values, f"{path}."))  # type: ignore[arg-type]
        elif item is not None and dataclasses.is_dataclass(item):
            out.append(_Line(indent, f"{f.name}:", comment, off))
            first = _lines(item, indent + 4, off, values, f"{path}[0].")  # type: ignore[arg-type]
            # The first field of a list item carries the "- " marker.
            head = first[0]
            first[0] = _Line(indent + 2, "- " + head.text, head.comment, head.commented)
            out.extend(first)
        elif item is not None:
            out.append(_Line(indent, f"{f.name}: []", comment, off))
        else:
            value = values.get(path)
            given = value is not None and value != ""
            text = f"{f.name}: {yaml_scalar(value)}" if given else f"{f.name}:"
            out.append(_Line(indent, text, comment, off and not given))
    return out


def render(kind: str, values: dict[str, Any] | None = None) -> str:
    """The text of a new ``kind`` record file (``kind`` as in ``RECORD_KINDS``)."""
    cls = RECORD_KINDS[kind]
    header = [
        f"# yaml-language-server: $schema=../../{SCHEMA_FOLDER}/{kind}.schema.json",
        f"# {(cls.__doc__ or kind).strip().splitlines()[0]}",
        "# Điền giá trị sau dấu ':' của mọi trường bắt buộc. Trường không bắt buộc bắt đầu",
        "# bằng '# ': muốn dùng thì xóa '# ' đó (giữ nguyên các dấu cách phía trước).",
        "# Phần sau dấu '#' cuối dòng chỉ là ghi chú. Kiểm tra bằng lệnh: make check",
        "",
    ]
    body = []
    for line in _lines(cls, 0, False, values or {}):
        # "# " sits at the field's own indentation: deleting it is all it takes.
        text = " " * line.indent + ("# " if line.commented else "") + line.text
        body.append(f"{text.ljust(COMMENT_COLUMN - 1)} # {line.comment}")
    return "\n".join(header + body) + "\n"


def _check_id(value: str, what: str) -> None:
    if not FORMATS["slug"][0].match(value):
        raise ScaffoldError(f"'{value}' is not a valid {what} id: use lower-case ASCII letters, "
                            "digits and '-' (e.g. htx-thot-not-o-lam)")
    if reserved := reserved_id_problem(value, "file" if what != "producer" else "folder"):
        raise ScaffoldError(reserved)


def _write(path: Path, text: str, layout: SourceLayout) -> Path:
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{layout.rel(path)} already exists; edit it instead")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")  # LF on Windows too
    return path


def new_producer(layout: SourceLayout, producer_id: str, name: str | None = None) -> Path:
    """Create ``products/<producer_id>/producer.yaml``."""
    _check_id(producer_id, "producer")
    folder = layout.products_dir / producer_id
    if folder.exists():
        raise ScaffoldError(f"{layout.rel(folder)} already exists; edit its {PRODUCER_FILE}")
    return _write(folder / PRODUCER_FILE, render("producer", {"name": name or ""}), layout)


def new_product(layout: SourceLayout, producer_id: str, product_id: str,
                name: str | None = None) -> Path:
    """Create ``products/<producer_id>/<product_id>.yaml`` in an existing producer folder."""
    _check_id(producer_id, "producer")
    _check_id(product_id, "product")
    folder = layout.products_dir / producer_id
    if not (folder / PRODUCER_FILE).is_file():
        raise ScaffoldError(f"{layout.rel(folder / PRODUCER_FILE)} not found; create the "
                            f"producer first: ocop new producer {producer_id}")
    for other in sorted(layout.products_dir.glob(f"*/{product_id}.yaml")):
        raise ScaffoldError(f"product id '{product_id}' is already used by {layout.rel(other)}")
    return _write(folder / f"{product_id}.yaml", render("product", {"name": name or ""}),
                  layout)


def new_record(layout: SourceLayout, kind: str, record_id: str, name: str | None = None) -> Path:
    """Create a point-of-sale or fair record file."""
    _check_id(record_id, kind)
    folder = layout.points_of_sale_dir if kind == "point-of-sale" else layout.fairs_dir
    return _write(folder / f"{record_id}.yaml", render(kind, {"name": name or ""}), layout)
