"""``ocop check`` of photos and logos: every check the build makes (size, format by
content, pixel limit, animation, full decode, colour profile), without writing
any variant.

A photo is read and checked once: its verdict is kept in the cache folder under
the hash of its bytes (and the image settings), and a photo the build has
already processed counts as checked. The stat index the build uses too
(``image_cache.SourceIndex``: path, size, modification time → hash) spares
reading and hashing unchanged files again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..link.catalogue import Catalogue
from ..source.layout import SourceLayout
from ..source.problems import Problems
from ..workers import map_in_pool
from .image_cache import ManifestIndex, SourceIndex, lookup, write_atomic
from .image_types import ImageError, ImageSettings
from .images import check_image
from .library import wanted_images

#: Below this many unchecked photos, starting worker processes costs more than it saves.
PARALLEL_FROM = 32
_CHECKED = "checked"


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
    index = SourceIndex(cache_dir, settings)
    manifests = ManifestIndex(cache_dir)  # read only: a build keeps it
    unchecked: dict[Path, str] = {}
    for path in sorted(wanted):
        position, field_name = wanted[path]
        try:
            digest = index.digest(path)
            if (marks / digest).exists() or lookup(cache_dir, digest, path, settings, manifests):
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
    index.save()
