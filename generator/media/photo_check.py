"""``ocop check`` of photos and logos: every check the build makes (size, format by
content, pixel limit, animation, full decode, colour profile), without writing
any variant.

A photo is read and checked once: its verdict is kept in the cache folder under
the hash of its bytes (and the image settings), and a photo the build has
already processed counts as checked. A stat index (path, size, modification
time → hash) spares hashing unchanged files again.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..link.catalogue import Catalogue
from ..source.layout import SourceLayout
from ..source.problems import Problems
from ..workers import map_in_pool
from .image_cache import lookup, source_digest, write_atomic
from .image_decode import read_source
from .image_types import ImageError, ImageSettings
from .images import check_image
from .library import wanted_images

#: Below this many unchecked photos, starting worker processes costs more than it saves.
PARALLEL_FROM = 32
_CHECKED = "checked"
_INDEX = "photo-index.json"


@dataclass(frozen=True)
class _Job:
    path: Path
    settings: ImageSettings


def _check(job: _Job) -> str | None:
    """Worker: the problem with one photo, or None."""
    try:
        check_image(job.path, job.settings)
    except ImageError as err:
        return err.message
    return None


def check_photos(catalogue: Catalogue, layout: SourceLayout, cache_dir: Path,
                 problems: Problems, workers: int = 1,
                 settings: ImageSettings | None = None) -> None:
    """Report every photo or logo the build would refuse, at the field naming it."""
    settings = settings or ImageSettings()
    wanted = wanted_images(catalogue)
    marks = cache_dir / _CHECKED
    index = _read_index(cache_dir)
    fresh: dict[str, list[object]] = {}
    unchecked: dict[Path, str] = {}
    for path in sorted(wanted):
        position, field_name = wanted[path]
        try:
            info = os.stat(path)
            key = [info.st_size, info.st_mtime_ns]
            known = index.get(str(path))
            if known and known[:2] == key:
                digest = str(known[2])
            else:
                digest = source_digest(read_source(path, settings), settings)
            fresh[str(path)] = [*key, digest]
            if (marks / digest).exists() or lookup(cache_dir, digest, path, settings):
                continue
        except (OSError, ImageError) as err:
            message = err.message if isinstance(err, ImageError) else f"cannot read file ({err})"
            problems.error(position, field_name, f"{layout.rel(path)}: {message}")
            continue
        unchecked[path] = digest
    jobs = [_Job(path, settings) for path in unchecked]
    if workers > 1 and len(jobs) >= PARALLEL_FROM:
        verdicts = map_in_pool(_check, jobs, workers, "checking photos", method="spawn",
                               chunksize=8)
    else:
        verdicts = [_check(job) for job in jobs]
    for job, verdict in zip(jobs, verdicts, strict=True):
        if verdict is None:
            marks.mkdir(parents=True, exist_ok=True)
            write_atomic(marks / unchecked[job.path], b"")
        else:
            position, field_name = wanted[job.path]
            problems.error(position, field_name, f"{layout.rel(job.path)}: {verdict}")
    _write_index(cache_dir, fresh)


def _read_index(cache_dir: Path) -> dict[str, list[object]]:
    try:
        data = json.loads((cache_dir / _INDEX).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_index(cache_dir: Path, entries: dict[str, list[object]]) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(entries, sort_keys=True, separators=(",", ":"))
    write_atomic(cache_dir / _INDEX, text.encode("utf-8"))
