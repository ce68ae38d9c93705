"""Safe, cached, responsive processing of product photos and logos.

Photos are most of the catalogue's weight, readers are on phones with slow
mobile data, and the files come from pull requests, so they are untrusted.
Every source image goes through one pipeline that either yields a small set of
clean, deterministic variants or raises :class:`ImageError` naming the file.

Policy decisions
----------------
Input safety
    * Only regular files are read (a FIFO or device reached through a
      committed symlink would hang the build).  Whether symlinks may point
      outside the repository is for the caller's path resolution to decide.
    * The file size is checked with ``stat`` and again while reading (at most
      ``max_bytes + 1`` bytes are read), before any decoder sees the data.
    * The format is identified from the file's first bytes, never its name, and
      only JPEG, PNG and WebP are decoded (``Image.open(formats=[...])`` with
      the one format the bytes claim to be).  Anything else -- TIFF, SVG,
      HEIC/AVIF, BMP, PDF, GIF -- is an error that names the detected format,
      so "a TIFF renamed .jpg" reads as exactly that.  A PNG named ``.jpg`` is
      accepted: the content decides, and camera/phone exports get names wrong.
    * GIF is refused.  It holds at most 256 colours (poor for photos), PNG
      does everything a still GIF logo can, and GIF is the usual carrier of
      animation, which we do not publish (below).  The message says to convert
      it to PNG.
    * Pixel count is checked against ``max_pixels`` right after
      ``Image.open``, which only reads the header, so a decompression bomb is
      refused before any pixel is decoded.  Pillow's global
      ``Image.MAX_IMAGE_PIXELS`` is *not* changed: its warning is silenced
      inside our own ``warnings.catch_warnings`` block (our limit is the
      stricter one by default), and its ``DecompressionBombError`` (above twice
      Pillow's limit, ~179 MP) is translated into our pixel-limit error.  So
      ``max_pixels`` above ~179 MP has no effect unless the application raises
      Pillow's global itself.  ``catch_warnings`` is process-global state: in
      worker processes that is harmless; callers that run :meth:`process` from
      several threads may see Pillow's warning leak, nothing worse.
    * The whole image is decoded (``load()``), so a truncated file fails the
      build instead of showing grey bands on the site.
Animation
    Animated WebP and animated PNG (APNG) are refused with a clear error: a
    catalogue photo is a still, and silently publishing frame one may pick a
    blank or transitional frame.  A JPEG carrying extra pictures (MPO: stereo
    pairs, previews, depth maps) is not animation; its primary picture is used.
Colour and metadata
    EXIF orientation is applied (after shrinking, which is cheaper; unreadable
    EXIF counts as upright).  JPEGs are decoded by libjpeg at 1/2, 1/4 or 1/8
    scale when that still covers the largest variant.  An embedded ICC profile
    is converted to sRGB with LittleCMS (perceptual intent); a profile that
    cannot be read or does not match the pixels is an error rather than
    silently wrong colours.  CMYK
    without a profile is converted naively.  Palette, 1-bit, 16-bit and
    transparent inputs are normalised to 8-bit RGB or RGBA; an alpha channel
    that is fully opaque is dropped.  Outputs are written from fresh pixel
    buffers with no ``info``, so no EXIF, GPS, XMP, comment or ICC reaches them
    (browsers assume sRGB when no profile is present).  PNG gAMA/cHRM chunks
    are ignored.
Outputs
    WebP at each configured width not exceeding the upright source width, plus
    the source width itself when it is below the largest configured width
    (never upscaled: a 500 px source with widths 320/640/1280 yields 320 and
    500).  One fallback at the lower-middle configured width (640 by default),
    capped at the source width: JPEG, or PNG when the image has transparency.
    Heights are ``round(width * source_height / source_width)``.
Cache
    Outputs are content-addressed: ``digest`` is SHA-256 over the settings key
    and the source bytes; files are named ``<digest[:16]>-<width>.<ext>``.  The
    settings key covers widths, qualities, :data:`PIPELINE_VERSION` and the
    Pillow/codec versions (they determine the output bytes), but not the
    size/pixel limits (they decide acceptance, not output; a cache hit still
    re-checks both).  A manifest ``manifests/<digest>.json`` is written last;
    a hit needs the manifest plus every variant file at its recorded size.
    ``process_many`` keeps the manifests it found in ``photo-manifests.json``
    and reads them from there first (one file instead of one per photo).
    Every file is written to a temporary name and ``os.replace``d into place,
    so an interrupted build never leaves a half-written file under a real name
    (no fsync: the cache is disposable, and the size check catches the
    zero-length files a power cut can leave).  Encoders get fixed parameters
    and no timestamps, so the same source and settings give byte-identical
    files on the same library versions.
Concurrency
    ``process_many`` hashes every source and resolves cache hits in the calling
    process, then sends each distinct miss to a ``spawn`` process pool (forking
    a threaded host such as ``mkdocs serve`` can deadlock); ``jobs=1`` or a
    single miss runs inline.  Errors are returned per source, never raised.
    :class:`ImageStats` counters are not thread-safe: use one processor per
    thread, or ``process_many``.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Sequence
from pathlib import Path

from ..workers import new_pool, start_pool, worker_count
from .image_cache import ManifestIndex, SourceIndex, Stamps, lookup, source_digest, store
from .image_decode import check_shape, decode, opened, read_source
from .image_encode import render, variant_widths
from .image_types import (
    PIPELINE_VERSION,
    ImageError,
    ImageSettings,
    ImageStats,
    ImageVariant,
    ProcessedImage,
    plain_name,
)

__all__ = [
    "PIPELINE_VERSION",
    "ImageError",
    "ImageProcessor",
    "ImageSettings",
    "ImageStats",
    "ImageVariant",
    "ProcessedImage",
    "check_image",
]


class ImageProcessor:
    """Turns source images into cached responsive variants."""

    def __init__(
        self,
        cache_dir: Path,
        settings: ImageSettings = ImageSettings(),
        jobs: int | None = None,
    ) -> None:
        if jobs is not None and jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.cache_dir = Path(cache_dir).absolute()
        self.settings = settings
        self.jobs = jobs if jobs is not None else worker_count()
        self.stats = ImageStats()

    def output_path(self, name: str) -> Path:
        """Absolute path of a variant file in the cache."""
        if not plain_name(name):
            raise ValueError(f"not a variant file name: {name!r}")
        return self.cache_dir / name

    def process(self, src: Path) -> ProcessedImage:
        """Process one image inline (or take it from the cache)."""
        try:
            result, cached = _process_file(src, self.cache_dir, self.settings)
        except ImageError:
            self.stats.failed += 1
            raise
        self._count(cached)
        return result

    def process_many(self, srcs: Sequence[Path], stamps: Stamps | None = None,
                     ) -> dict[Path, ProcessedImage | ImageError]:
        """Process many images on ``jobs`` processes, collecting every error.

        Cache hits are resolved here without starting workers (``stamps``: what a look
        at the cache's indexes found, taken for the indexes it read), and identical
        files are processed once.
        """
        results: dict[Path, ProcessedImage | ImageError] = {}
        pending: dict[str, list[Path]] = {}  # digest -> sources with those bytes
        index = SourceIndex(self.cache_dir, self.settings)
        manifests = ManifestIndex(self.cache_dir)
        index.trust(stamps)
        manifests.trust(stamps)
        for src in dict.fromkeys(srcs):
            try:
                digest = index.digest(src)
                hit = lookup(self.cache_dir, digest, src, self.settings, manifests)
            except ImageError as err:
                results[src] = err
                self.stats.failed += 1
                continue
            if hit is not None:
                results[src] = hit
                self.stats.cached += 1
            else:
                pending.setdefault(digest, []).append(src)

        index.save()
        for digest_srcs, outcome, cached in self._run(list(pending.values())):
            for i, src in enumerate(digest_srcs):
                if isinstance(outcome, ImageError):
                    results[src] = ImageError(src, outcome.message)
                    self.stats.failed += 1
                else:
                    results[src] = outcome
                    # Duplicates of a processed file cost nothing: count them as cached.
                    self._count(cached or i > 0)
                    if i == 0:
                        manifests.add(outcome.digest)
        manifests.save()
        return {src: results[src] for src in dict.fromkeys(srcs)}

    def _run(
        self, groups: list[list[Path]]
    ) -> list[tuple[list[Path], ProcessedImage | ImageError, bool]]:
        """Process the first source of each group, in parallel when worthwhile."""
        if self.jobs == 1 or len(groups) <= 1:
            return self._run_here(groups)
        out: list[tuple[list[Path], ProcessedImage | ImageError, bool]] = []
        # spawn, not fork: the host (MkDocs serve) runs threads, and forking a
        # threaded process can deadlock; spawn also behaves the same on every OS.
        started = start_pool(
            lambda: new_pool(min(self.jobs, len(groups)), method="spawn"),
            lambda pool: {pool.submit(_worker, g[0], self.cache_dir, self.settings): g
                          for g in groups},
            "processing photos")
        if started is None:
            # A photo made twice is made the same, and written atomically.
            return self._run_here(groups)
        pool, futures = started
        try:
            for future in concurrent.futures.as_completed(futures):
                group = futures[future]
                try:
                    outcome, cached = future.result()
                except concurrent.futures.process.BrokenProcessPool:
                    outcome = ImageError(
                        group[0],
                        "the image worker process stopped unexpectedly (out of memory?); "
                        "build again with OCOP_WORKERS=1 to find the image responsible",
                    )
                    cached = False
                out.append((group, outcome, cached))
        finally:
            # On Ctrl-C or a bug, do not sit through every queued image first.
            pool.shutdown(wait=True, cancel_futures=True)
        return out

    def _run_here(
        self, groups: list[list[Path]]
    ) -> list[tuple[list[Path], ProcessedImage | ImageError, bool]]:
        return [(g, *_worker(g[0], self.cache_dir, self.settings)) for g in groups]

    def _count(self, cached: bool) -> None:
        if cached:
            self.stats.cached += 1
        else:
            self.stats.processed += 1


def check_image(
    path: Path,
    limits: ImageSettings = ImageSettings(),
) -> tuple[int, int]:
    """Validate a source image without writing anything; return its upright size.

    Runs every check the build runs (size, format, pixels, animation, full
    decode, colour profile); JPEGs are decoded at reduced scale to be quick.
    """
    data = read_source(path, limits)
    with opened(data, path, limits) as im:
        # Decode for the smallest width only: same checks, a fraction of the work.
        _, upright = decode(im, path, limits.widths[0])
    check_shape(upright, limits, path)
    return upright


# --- pipeline ---------------------------------------------------------------


def _worker(
    src: Path, cache_dir: Path, settings: ImageSettings
) -> tuple[ProcessedImage | ImageError, bool]:
    """Process entry point that returns errors instead of raising them."""
    try:
        return _process_file(src, cache_dir, settings)
    except ImageError as err:
        return err, False


def _process_file(
    src: Path, cache_dir: Path, settings: ImageSettings
) -> tuple[ProcessedImage, bool]:
    """Return the processed image and whether it came from the cache."""
    data = read_source(src, settings)
    digest = source_digest(data, settings)
    hit = lookup(cache_dir, digest, src, settings)
    if hit is not None:
        return hit, True
    with opened(data, src, settings) as im:
        base, upright = decode(im, src, settings.widths[-1])
    check_shape(upright, settings, src)
    widths = variant_widths(upright[0], settings.widths)
    encoded, processed = render(base, upright, widths, digest, src, settings)
    store(cache_dir, encoded, processed, upright)
    return processed, False
