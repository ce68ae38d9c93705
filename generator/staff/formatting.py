"""``ocop fmt``: rewrite record files in their canonical form (``source.canonical``).

A file is rewritten only when the new text means exactly what the old one did
(the same values, field by field); otherwise it is left alone and the problem is
reported, so formatting can never cost anyone their data.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..source.canonical import (
    canonical_but_comments,
    canonical_text_of,
    comment_count,
    values,
)
from ..source.layout import SourceLayout
from ..source.problems import Position, Problems
from ..source.walk import PRODUCER_FILE
from ..source.yamlsafe import YamlError, parse


@dataclass(frozen=True)
class Formatted:
    """What ``ocop fmt`` did, or would do, to one file."""

    #: The file, relative to the project.
    path: str
    #: Its text differs from the canonical form.
    changed: bool
    #: Comments the canonical form drops (the ``$schema`` line is always kept).
    comments_dropped: int = 0
    #: It differs from the canonical form by its comments (and blank lines) only.
    only_comments: bool = False


def record_kind(layout: SourceLayout, path: Path) -> str | None:
    """The record kind a file at ``path`` holds, by where it is; None if it is no record."""
    if path.suffix.lower() != ".yaml":
        return None
    folder = path.parent.resolve()
    if folder.parent == layout.products_dir.resolve():
        return "producer" if path.name == PRODUCER_FILE else "product"
    if folder == layout.points_of_sale_dir.resolve():
        return "point-of-sale"
    if folder == layout.fairs_dir.resolve():
        return "fair"
    return None


def record_paths(layout: SourceLayout) -> list[Path]:
    """Every record file of the project, producers' folders first."""
    found = [*layout.products_dir.glob("*/*"), *layout.points_of_sale_dir.glob("*"),
             *layout.fairs_dir.glob("*")]
    return sorted(p for p in found if p.is_file() and not p.is_symlink()
                  and record_kind(layout, p) is not None)


def format_file(layout: SourceLayout, path: Path, kind: str, problems: Problems,
                write: bool) -> Formatted | None:
    """Put one record file in canonical form (``write``) or only compare it with it.

    Returns None, with the problem recorded, when the file cannot be read as YAML.
    """
    rel = layout.rel(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(Position(rel), "-", f"cannot read file: {exc.strerror}")
        return None
    try:
        root = parse(rel, data)
        text = canonical_text_of(kind, root)
        if values(parse(rel, text.encode("utf-8"))) != values(root):
            # A bug of ours, never the staff's: say so and touch nothing.
            problems.error(Position(rel, 1, 1), "-",
                           "ocop fmt could not keep every value of this file as it is; "
                           "the file was left unchanged (please report this)")
            return None
    except YamlError as exc:
        problems.error(exc.position, exc.field or "-", exc.message)
        return None
    # CRLF line ends are a difference: .gitattributes checks records out with LF on
    # every system, and the web editor writes LF (a CRLF file would change on every line).
    new = text.encode("utf-8")
    if new == data:
        return Formatted(rel, False)
    old = data.decode("utf-8")
    dropped = comment_count(old.lstrip("\ufeff").replace("\r\n", "\n"))
    only_comments = "\r" not in old and canonical_but_comments(old, text)
    if write:
        # A file of our own beside the target, then one rename: never half a record.
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(new)
        os.replace(temporary, path)
    return Formatted(rel, True, dropped, only_comments)


def format_files(layout: SourceLayout, paths: list[Path], problems: Problems,
                 write: bool) -> list[Formatted]:
    """``format_file`` for each of ``paths`` (every record file when empty)."""
    results = []
    for path in paths or record_paths(layout):
        path = path if path.is_absolute() else Path.cwd() / path
        if path.is_symlink():  # as ocop check: never read what a link points at
            problems.error(Position(layout.rel(path)), "-",
                           "symbolic links are not allowed; commit the file itself")
            continue
        kind = record_kind(layout, path)
        if kind is None or not path.is_file():
            problems.error(Position(layout.rel(path)), "-",
                           "not a record file (products/<producer>/*.yaml, "
                           "content/points-of-sale/*.yaml or content/fairs/*.yaml)")
            continue
        result = format_file(layout, path, kind, problems, write)
        if result is not None:
            results.append(result)
    return results
