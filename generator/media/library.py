"""Photos and logos: processed once (see ``images``) and described for templates."""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from .. import reads
from ..elsewhere import Elsewhere
from ..link.catalogue import Catalogue
from ..source.layout import SourceLayout
from ..source.problems import Position, Problems
from ..source.records import Photo
from .image_cache import start_stamps
from .image_types import ImageError, ImageSettings, ProcessedImage, plain_name
from .images import ImageProcessor

log = logging.getLogger("mkdocs.plugins.ocop")

#: Site folder of processed images (content-addressed names, cacheable forever).
MEDIA_DIR = "anh"


@dataclass(frozen=True, slots=True)
class SourceVariant:
    """One responsive variant: its site-root-relative URL and pixel width."""

    url: str
    width: int


@dataclass(frozen=True, slots=True)
class Picture:
    """What a template needs to show one photo without layout shift."""

    src: str
    mime: str
    width: int
    height: int
    webp: tuple[SourceVariant, ...]
    #: Pixel size of the ``src`` fallback (JPEG or PNG), for social cards.
    fallback_width: int = 0
    fallback_height: int = 0

    def upto(self, max_width: int | None) -> tuple[SourceVariant, ...]:
        """Variants no wider than ``max_width`` (at least the narrowest one).

        Cards never need the 1280 px photo; leaving it out of their srcset stops
        a high-density phone from downloading it for a 180 px card.
        """
        if not max_width:
            return self.webp
        return tuple(s for s in self.webp if s.width <= max_width) or self.webp[:1]

    @property
    def largest(self) -> SourceVariant:
        return self.webp[-1]

    def smallest(self, min_width: int) -> SourceVariant:
        """The narrowest WebP variant at least ``min_width`` wide (or the widest)."""
        for source in self.webp:
            if source.width >= min_width:
                return source
        return self.webp[-1]


def wanted_images(catalogue: Catalogue) -> dict[Path, tuple[Position, str]]:
    """Every photo and logo file of the catalogue, with the field that first names it."""
    wanted: dict[Path, tuple[Position, str]] = {}
    for product in catalogue.products.values():
        for i, photo in enumerate(product.photos):
            if photo.abs_path is not None:
                where = f"photos[{i}].file"
                wanted.setdefault(photo.abs_path, (product.source.at(where), where))
    for producer in catalogue.producers.values():
        if producer.logo_path is not None:
            wanted.setdefault(producer.logo_path, (producer.source.at("logo"), "logo"))
    return wanted


def _picture(image: ProcessedImage) -> Picture:
    fallback = image.fallback
    return Picture(
        src=f"{MEDIA_DIR}/{fallback.name}",
        mime=sys.intern(f"image/{fallback.format}"),
        width=image.width,
        height=image.height,
        webp=tuple(SourceVariant(f"{MEDIA_DIR}/{v.name}", v.width) for v in image.variants),
        fallback_width=fallback.width,
        fallback_height=fallback.height,
    )


def _plain(picture: Picture) -> tuple[object, ...]:
    """``picture``'s fields as plain values, for its digest (``repr`` of the
    dataclasses took 0.3 s of a national one-edit build)."""
    return tuple(tuple((v.url, v.width) for v in value) if name == "webp"
                 else value for name, value in
                 ((name, getattr(picture, name)) for name in _PICTURE_FIELDS))


_PICTURE_FIELDS = tuple(f.name for f in fields(Picture))
# _plain writes a variant as these two: a field added to SourceVariant must be added there.
assert tuple(f.name for f in fields(SourceVariant)) == ("url", "width")


class MediaLibrary:
    """Processes every photo and logo of a catalogue and maps them to pictures."""

    def __init__(self, cache_dir: Path, layout: SourceLayout,
                 settings: ImageSettings | None = None, jobs: int | None = None) -> None:
        self.processor = ImageProcessor(cache_dir, settings or ImageSettings(), jobs=jobs)
        self.layout = layout
        self._pictures: dict[Path, Picture] = {}
        self._images: dict[Path, ProcessedImage] = {}
        self._digests: dict[Path, str] = {}
        self._by_rel: dict[str, Path] | None = None
        self._look: Elsewhere | None = None

    def begin(self) -> None:
        """Start the look at the photo cache (``image_cache.start_stamps``: a big
        cache's, in a process of its own) while the catalogue loads; ``prepare`` takes
        it, ``end`` ends it if the build stops first."""
        if self.processor.jobs > 1:  # one process asked for: none of its own
            self._look = start_stamps(self.processor.cache_dir, self.processor.settings)

    def collect(self) -> None:
        """Take the look's answer if it has come (``Elsewhere.collect``), so that its
        process ends; ``prepare`` still waits for it otherwise."""
        if self._look is not None:
            self._look.collect()

    def end(self) -> None:
        if self._look is not None:
            self._look.close()
            self._look = None

    def prepare(self, catalogue: Catalogue, problems: Problems) -> None:
        """Process all images; a bad image is reported at the field naming it."""
        wanted = wanted_images(catalogue)
        self._by_rel = None
        stamps = None
        if self._look is not None:
            look, self._look = self._look, None
            try:
                stamps = look.result()
            except OSError as error:  # an accelerator only: every file is checked here
                log.info(f"ocop: {error}; the photo cache is checked in this process")
        results = self.processor.process_many(sorted(wanted), stamps)
        for path, result in results.items():
            if isinstance(result, ImageError):
                position, field_name = wanted[path]
                problems.error(position, field_name,
                               f"{self.layout.rel(path)}: {result.message}")
                continue
            self._images[path] = result
            self._pictures[path] = _picture(result)

    def picture(self, item: Photo | Path) -> Picture:
        path = item.abs_path if isinstance(item, Photo) else item
        picture = self._pictures[path]
        # Only while something records (a page, a writer's file or piece: the exports'
        # pieces depend on it); not for the search index: 37,000 photos of a nation.
        if reads.recording_now():
            # Relative: a checkout moved elsewhere keeps its cached pages.
            reads.note(("picture", self.layout.rel(path)), self.picture_digest(path) or "")
        return picture

    def picture_digest(self, path: Path) -> str | None:
        """What a page shows of the photo at ``path`` (its variants' names and sizes),
        as a digest; None for a photo the catalogue does not have."""
        digest = self._digests.get(path)
        if digest is None:
            picture = self._pictures.get(path)
            if picture is None:
                return None
            digest = self._digests[path] = hashlib.blake2b(
                marshal.dumps(_plain(picture), 2), digest_size=12).hexdigest()
        return digest

    def picture_digest_of(self, rel: str) -> str | None:
        """``picture_digest`` of the photo at ``rel`` (relative to the project, as
        ``picture`` notes it): what the page cache's check asks for each photo noted
        (by string: a Path for each of a national catalogue's 37,000 cost 0.5 s)."""
        path = self._paths_by_rel().get(rel)
        return None if path is None else self.picture_digest(path)

    def listed(self) -> Iterator[tuple[tuple[str], str]]:
        """What ``picture`` notes for every photo: ((rel,), ``picture_digest_of(rel)``)
        each (the page cache's check lists them: ``World``)."""
        for rel, path in self._paths_by_rel().items():
            digest = self.picture_digest(path)
            if digest is not None:
                yield (rel,), digest

    def _paths_by_rel(self) -> dict[str, Path]:
        if self._by_rel is None:
            self._by_rel = {self.layout.rel(path): path for path in self._pictures}
        return self._by_rel

    def site_paths(self) -> set[str]:
        """``anh/<name>`` for each of ``variant_names`` (unchecked and unsorted: the
        sweep only looks them up)."""
        return {f"{MEDIA_DIR}/{name}" for name in self._names()}

    def cache_folder(self) -> str:
        """The folder of the processed photos' files (``variant_names``)."""
        return os.fspath(self.processor.cache_dir)

    def variant_names(self) -> list[str]:
        """The file name of every variant, each once, sorted: a file of
        ``cache_folder``, and in the site at ``anh/<name>``. Names, not paths (a
        national site has 160,000 variants: a Path for each cost 3 s, a pair of
        joined strings 0.6 s in a profile)."""
        names = sorted(self._names())
        # Made here, never written by staff: checked all the same, as the cache's
        # manifests are read.
        for name in names:
            if not plain_name(name):
                raise ValueError(f"not a variant file name: {name!r}")
        return names

    def _names(self) -> set[str]:
        return {variant.name for image in self._images.values()
                for variant in (*image.variants, image.fallback)}
