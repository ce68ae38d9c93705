"""Read one record file: size check, strict YAML, typed record."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from .convert import build_record
from .layout import SourceLayout
from .problems import Position, Problems
from .record_cache import RecordCache, file_digest, stamp_of
from .yamlsafe import MAX_FILE_BYTES, YamlError, parse


def read_record(cls: type, path: Path, layout: SourceLayout, problems: Problems,
                cache: RecordCache | None = None) -> Any:
    """The typed record of ``path``, or None after reporting its problems; from
    ``cache`` when the file's bytes were read before, or, unread, when it has the
    size, times and inode it was read with (``record_cache.stamp_of``)."""
    rel = layout.rel(path)
    try:
        # Refuse an oversized file before reading it, not only before parsing it.
        st = path.stat(follow_symlinks=False)
        if st.st_size > MAX_FILE_BYTES:
            problems.error(Position(rel), "-", f"file is too large ({st.st_size} bytes; the "
                           f"limit is {MAX_FILE_BYTES} bytes)")
            return None
        hit = None if cache is None else cache.unchanged(rel, stamp_of(cls, st))
        if hit is not None:
            problems.items.extend(hit[1])
            return hit[0]
        with open(path, "rb") as file:
            data = file.read()
            # The stamp kept is that of the file these bytes came from.
            stamp = stamp_of(cls, os.fstat(file.fileno())) if stat.S_ISREG(st.st_mode) else None
    except OSError as exc:
        problems.error(Position(rel), "-", f"cannot read file: {exc.strerror}")
        return None
    if cache is None:
        return _read(cls, rel, data, problems)
    digest = file_digest(cls, data)
    hit = cache.get(rel, digest, stamp)
    if hit is not None:
        record, found = hit
        problems.items.extend(found)
        return record
    found = Problems()
    record = _read(cls, rel, data, found)
    cache.put(rel, digest, record, found.items, stamp)
    problems.extend(found)
    return record


def _read(cls: type, rel: str, data: bytes, problems: Problems) -> Any:
    try:
        root = parse(rel, data)
    except YamlError as exc:
        problems.error(exc.position, exc.field or "-", exc.message)
        return None
    return build_record(cls, root, rel, problems)
