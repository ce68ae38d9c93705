"""Add a certificate to a product file as text, keeping everything else as it was.

Staff's files carry comments, their own order and spacing; re-dumping the YAML
would lose them. So the new certificate is written into the text: a file with
one ``ocop:`` group has it turned into the first item of ``certificates:`` (its
lines re-indented, comments kept) and the new one added after it; a file with
``certificates:`` gains an item at the end of the list. The caller reads the
result back with the strict loader before writing it (``verify``).
"""

from __future__ import annotations

import dataclasses
import re

from ..source.convert import build_record
from ..source.fields import field_map, schema_fields
from ..source.problems import Problems
from ..source.records import Product, Rating
from ..source.yamlsafe import YamlError, parse
from .scaffold import yaml_scalar

_OCOP_DOC = field_map(Product)["ocop"].metadata["doc"]
_TOP_KEY = re.compile(r"^(ocop|certificates)[ \t]*:[ \t]*(.*?)[ \t]*$")
#: A line that starts a top-level key (a list item may start at column 0 too).
_ANY_TOP_KEY = re.compile(r"^(?!-(?:\s|$))[^\s#]")


class RecordEditError(Exception):
    """The file's certificate cannot be extended safely; staff edit it by hand."""


def certificate_lines(rating: Rating, indent: int) -> list[str]:
    """The certificate as a list item at ``indent``, fields in declared order."""
    lines = []
    for f in schema_fields(Rating):
        value = getattr(rating, f.name)
        if value is None or dataclasses.is_dataclass(value):
            continue  # a new certificate has no revocation
        lines.append(f"{f.name}: {yaml_scalar(value)}")
    return [" " * indent + ("- " if i == 0 else "  ") + line for i, line in enumerate(lines)]


def _block_end(lines: list[str], start: int) -> int:
    """Index after the last line of the group whose key is on line ``start``: up to
    the next top-level key, less the blank and top-level comment lines before it."""
    end = start + 1
    while end < len(lines) and not _ANY_TOP_KEY.match(lines[end]):
        end += 1
    # Comments closing the group belong to what follows (the scaffold's commented-out
    # "# certificates:" help after "ocop:").
    while end > start + 1 and (not lines[end - 1].strip()
                               or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def add_certificate(text: str, rating: Rating) -> str:
    """``text`` of a product file with ``rating`` added as its newest certificate."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    found = [(i, m) for i, line in enumerate(lines) if (m := _TOP_KEY.match(line))]
    if len(found) != 1:
        raise RecordEditError("has no single top-level 'ocop' or 'certificates' group")
    start, match = found[0]
    key, rest = match.group(1), match.group(2)
    end = _block_end(lines, start)
    body = lines[start + 1:end]
    if rest and not rest.startswith("#"):
        if key == "certificates":
            raise RecordEditError("writes 'certificates' on one line ([…]); write it as a list "
                                  "of items, one '- ' per certificate, then import again")
        # ocop: {stars: 4, …} on one line
        new = ["certificates:", f"  - {rest}", *certificate_lines(rating, 2)]
    elif key == "ocop":
        content = [line for line in body if line.strip() and not line.lstrip().startswith("#")]
        if not content:
            raise RecordEditError("has an empty 'ocop' group")
        indent = len(content[0]) - len(content[0].lstrip())
        moved, first = [], True
        for line in body:
            if not line.strip():
                moved.append("")
                continue
            inner = line[indent:] if line[:indent].strip() == "" else line.lstrip()
            if first and not inner.startswith("#"):
                moved.append("  - " + inner)
                first = False
            else:
                moved.append("    " + inner)
        # The scaffold's note on "ocop:" ("một lần công nhận") would now be wrong.
        comment = f" {rest}" if rest and not rest.startswith(f"# {_OCOP_DOC}") else ""
        new = [f"certificates:{comment}", *moved, *certificate_lines(rating, 2)]
    else:
        items = [line for line in body if line.lstrip().startswith("- ")]
        if not items:
            raise RecordEditError("has a 'certificates' group without '- ' items")
        dash = len(items[0]) - len(items[0].lstrip())
        new = [lines[start], *body, *certificate_lines(rating, dash)]
    out = lines[:start] + new + lines[end:]
    return newline.join(out) + (newline if text.endswith(("\n", "\r")) else "")


def _read(path: str, text: str) -> Product:
    problems = Problems()
    try:
        product = build_record(Product, parse(path, text.encode("utf-8")), path, problems)
    except YamlError as exc:
        raise RecordEditError(f"would not be valid YAML ({exc})") from exc
    if product is None:
        raise RecordEditError("would not load: " + "; ".join(str(p) for p in problems.errors))
    return product


def _certificates(product: Product) -> list[Rating]:
    return [product.ocop] if product.ocop is not None else list(product.certificates)


def verify(path: str, before: str, after: str, rating: Rating) -> None:
    """Read both texts with the strict loader: ``after`` must be ``before`` with
    ``rating`` appended to its certificates and nothing else changed."""
    old, new = _read(path, before), _read(path, after)
    others = [f.name for f in schema_fields(Product) if f.name not in ("ocop", "certificates")]
    if (_certificates(new) != [*_certificates(old), rating]
            or any(getattr(new, name) != getattr(old, name) for name in others)):
        raise RecordEditError("could not be extended without changing other fields")
