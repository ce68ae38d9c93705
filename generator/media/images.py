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
import contextlib
import hashlib
import io
import json
import math
import multiprocessing
import os
import secrets
import stat
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import PIL
from PIL import ExifTags, Image, ImageCms, features

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

# Bump whenever a change to this module changes output bytes or names, so
# every cached variant is rebuilt.
PIPELINE_VERSION = 1

# Pillow format id -> name used in messages.
_ALLOWED: dict[str, str] = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
_ALLOWED_TEXT = ", ".join(_ALLOWED.values())

# What to tell the uploader for formats people actually send.
_HINTS: dict[str, str] = {
    "GIF": "convert it to PNG",
    "SVG": "export it as PNG",
    "HEIC": "export it as JPEG",
    "HEIF": "export it as JPEG",
    "AVIF": "export it as JPEG or WebP",
    "TIFF": "export it as JPEG",
    "PDF": "export the picture as JPEG or PNG",
}

# libwebp cannot encode a side longer than this.
_WEBP_MAX_SIDE = 16383

_MANIFESTS = "manifests"


class ImageError(Exception):
    """A source image that cannot be published; ``str()`` is ``path: message``."""

    def __init__(self, path: str | os.PathLike[str], message: str) -> None:
        super().__init__(path, message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries in process_many.
        return (type(self), (self.path, self.message))


@dataclass(frozen=True)
class ImageSettings:
    """What to produce and what to accept."""

    widths: tuple[int, ...] = (320, 640, 1280)
    webp_quality: int = 78
    jpeg_quality: int = 80
    max_bytes: int = 20 * 1024 * 1024
    # 108 MP phone cameras are common; JPEGs are decoded at reduced scale, so this
    # costs little memory. A 200 MP photo gets a clear error instead.
    max_pixels: int = 120_000_000

    def __post_init__(self) -> None:
        widths = tuple(sorted(set(self.widths)))
        if not widths or any(not 0 < w <= _WEBP_MAX_SIDE for w in widths):
            raise ValueError(f"widths must be between 1 and {_WEBP_MAX_SIDE}: {self.widths}")
        # Normalised so that (640, 320) and (320, 640) share one cache key.
        object.__setattr__(self, "widths", widths)
        for name in ("webp_quality", "jpeg_quality"):
            if not 1 <= getattr(self, name) <= 100:
                raise ValueError(f"{name} must be between 1 and 100")
        if self.max_bytes <= 0 or self.max_pixels <= 0:
            raise ValueError("max_bytes and max_pixels must be positive")

    def key(self) -> str:
        """Stable digest of everything that determines the output bytes."""
        material = {
            "pipeline": PIPELINE_VERSION,
            "widths": list(self.widths),
            "webp_quality": self.webp_quality,
            "jpeg_quality": self.jpeg_quality,
            "libraries": _library_versions(),
        }
        text = json.dumps(material, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def fallback_width(self) -> int:
        """The configured width the JPEG/PNG fallback aims for."""
        return self.widths[(len(self.widths) - 1) // 2]


@dataclass(frozen=True)
class ImageVariant:
    """One output file."""

    width: int
    height: int
    format: str  # "webp" | "jpeg" | "png"
    name: str


@dataclass(frozen=True)
class ProcessedImage:
    """Everything a page needs to reference one processed source image."""

    digest: str
    width: int
    height: int
    variants: tuple[ImageVariant, ...]
    fallback: ImageVariant

    def srcset(self, prefix: str) -> str:
        """``srcset`` value for the WebP variants, URLs under ``prefix``."""
        return ", ".join(f"{_join(prefix, v.name)} {v.width}w" for v in self.variants)

    def smallest_at_least(self, width: int) -> ImageVariant:
        """Smallest WebP variant at least ``width`` wide, else the largest."""
        for variant in self.variants:
            if variant.width >= width:
                return variant
        return self.variants[-1]


@dataclass
class ImageStats:
    """Counters for one processor: sources processed, served from cache, refused."""

    processed: int = 0
    cached: int = 0
    failed: int = 0


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
        self.jobs = jobs if jobs is not None else _cpu_count()
        self.stats = ImageStats()

    def output_path(self, name: str) -> Path:
        """Absolute path of a variant file in the cache."""
        if not name or Path(name).name != name:
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

    def process_many(self, srcs: Sequence[Path]) -> dict[Path, ProcessedImage | ImageError]:
        """Process many images on ``jobs`` processes, collecting every error.

        Cache hits are resolved here without starting workers, and identical
        files are processed once.
        """
        results: dict[Path, ProcessedImage | ImageError] = {}
        pending: dict[str, list[Path]] = {}  # digest -> sources with those bytes
        for src in dict.fromkeys(srcs):
            try:
                data = _read_source(src, self.settings)
                digest = _digest(data, self.settings)
                hit = _lookup(self.cache_dir, digest, src, self.settings)
            except ImageError as err:
                results[src] = err
                self.stats.failed += 1
                continue
            if hit is not None:
                results[src] = hit
                self.stats.cached += 1
            else:
                pending.setdefault(digest, []).append(src)

        for digest_srcs, outcome, cached in self._run(list(pending.values())):
            for i, src in enumerate(digest_srcs):
                if isinstance(outcome, ImageError):
                    results[src] = ImageError(src, outcome.message)
                    self.stats.failed += 1
                else:
                    results[src] = outcome
                    # Duplicates of a processed file cost nothing: count them as cached.
                    self._count(cached or i > 0)
        return {src: results[src] for src in dict.fromkeys(srcs)}

    def _run(
        self, groups: list[list[Path]]
    ) -> list[tuple[list[Path], ProcessedImage | ImageError, bool]]:
        """Process the first source of each group, in parallel when worthwhile."""
        if self.jobs == 1 or len(groups) <= 1:
            return [(g, *_worker(g[0], self.cache_dir, self.settings)) for g in groups]
        out: list[tuple[list[Path], ProcessedImage | ImageError, bool]] = []
        # spawn, not fork: the host (MkDocs serve) runs threads, and forking a
        # threaded process can deadlock; spawn also behaves the same on every OS.
        context = multiprocessing.get_context("spawn")
        workers = min(self.jobs, len(groups))
        pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)
        try:
            futures = {pool.submit(_worker, g[0], self.cache_dir, self.settings): g for g in groups}
            for future in concurrent.futures.as_completed(futures):
                group = futures[future]
                try:
                    outcome, cached = future.result()
                except concurrent.futures.process.BrokenProcessPool:
                    outcome = ImageError(
                        group[0],
                        "image worker process died (out of memory?); "
                        "run with jobs=1 to find the image responsible",
                    )
                    cached = False
                out.append((group, outcome, cached))
        finally:
            # On Ctrl-C or a bug, do not sit through every queued image first.
            pool.shutdown(wait=True, cancel_futures=True)
        return out

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
    data = _read_source(path, limits)
    with _opened(data, path, limits) as im:
        # Decode for the smallest width only: same checks, a fraction of the work.
        _, upright = _decode(im, path, limits.widths[0])
    _check_shape(upright, limits, path)
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
    data = _read_source(src, settings)
    digest = _digest(data, settings)
    hit = _lookup(cache_dir, digest, src, settings)
    if hit is not None:
        return hit, True
    with _opened(data, src, settings) as im:
        base, upright = _decode(im, src, settings.widths[-1])
    _check_shape(upright, settings, src)
    widths = _variant_widths(upright[0], settings.widths)
    encoded, processed = _render(base, upright, widths, digest, src, settings)
    _store(cache_dir, encoded, processed, upright)
    return processed, False


def _read_source(path: Path, settings: ImageSettings) -> bytes:
    """The file's bytes, refusing oversize files before reading them."""
    limit = settings.max_bytes
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or device (perhaps via a committed symlink) would hang or never end.
            raise ImageError(path, "not a regular file")
        size = info.st_size
        if size <= limit:
            with open(path, "rb") as f:
                # Read one byte more than allowed: the file may grow after stat.
                data = f.read(limit + 1)
            size = len(data)
    except OSError as exc:
        raise ImageError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if size > limit:
        actual, allowed = _mib(size), _mib(limit)
        if actual == allowed:  # too close to tell apart in MiB
            actual, allowed = f"{size:,} bytes", f"{limit:,} bytes"
        raise ImageError(path, f"file is {actual}, over the size limit of {allowed}")
    if not data:
        raise ImageError(path, "file is empty")
    return data


def _digest(data: bytes, settings: ImageSettings) -> str:
    h = hashlib.sha256(settings.key().encode())
    h.update(b"\0")
    h.update(data)
    return h.hexdigest()


def _sniff(data: bytes) -> str | None:
    """Name the format of ``data`` from its magic bytes (None if unknown)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] in (b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"):
        return "TIFF"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"):
            return "HEIC"
        if brand in (b"mif1", b"msf1"):
            return "HEIF"
        return "MP4/QuickTime"
    simple = {
        b"BM": "BMP",
        b"%PDF": "PDF",
        b"8BPS": "PSD",
        b"\0\0\1\0": "ICO",
        b"\xff\x0a": "JPEG XL",
        b"\0\0\0\x0cJXL ": "JPEG XL",
        b"\0\0\0\x0cjP  ": "JPEG 2000",
        b"\xff\x4f\xff\x51": "JPEG 2000",
        b"\x1f\x8b": "gzip (SVGZ?)",
        b"PK\3\4": "ZIP",
    }
    for magic, name in simple.items():
        if data.startswith(magic):
            return name
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<"):
        if b"<svg" in head:
            return "SVG"
        return "HTML" if b"<html" in head else "XML"
    return None


@contextlib.contextmanager
def _opened(data: bytes, path: Path, settings: ImageSettings) -> Iterator[Image.Image]:
    """The image opened header-only, after the cheap checks; closed on exit."""
    kind = _sniff(data)
    if kind not in _ALLOWED:
        what = f"unsupported image format {kind}" if kind else "unrecognised file type"
        hint = f"; {_HINTS[kind]}" if kind in _HINTS else ""
        raise ImageError(path, f"{what} (allowed: {_ALLOWED_TEXT}){hint}")
    with warnings.catch_warnings():
        # Our max_pixels check below is the authority; Pillow's warning is noise.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=[kind])
        except Image.DecompressionBombError as exc:
            raise ImageError(
                path,
                f"image is over the pixel limit of {_mp(settings.max_pixels)} megapixels ({exc})",
            ) from exc
        except Exception as exc:  # untrusted data: any parser failure is the file's
            raise ImageError(path, f"cannot read {_ALLOWED[kind]} image ({_why(exc)})") from exc
        with im:
            width, height = im.size
            if width * height > settings.max_pixels:
                raise ImageError(
                    path,
                    f"image is {width}x{height} pixels ({_mp(width * height)} megapixels), "
                    f"over the pixel limit of {_mp(settings.max_pixels)} megapixels",
                )
            frames = getattr(im, "n_frames", 1)
            # MPO (a JPEG with extra pictures) is not animation: use the primary one.
            if frames > 1 and im.format != "MPO":
                raise ImageError(
                    path,
                    f"animated {_ALLOWED[kind]} images are not supported ({frames} frames); "
                    "upload a still image",
                )
            yield im


# EXIF orientation -> the transposition that makes the picture upright.
_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:  # unreadable EXIF: treat the picture as upright
        return 1
    return value if value in range(1, 9) else 1


def _oriented(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    """``size`` as displayed after applying the EXIF ``orientation``."""
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def _decode(im: Image.Image, path: Path, max_width: int) -> tuple[Image.Image, tuple[int, int]]:
    """Decode, shrink to at most ``max_width``, orient, convert to sRGB RGB/RGBA.

    Returns the image and the upright size of the source.
    """
    kind = "JPEG" if im.format == "MPO" else _ALLOWED.get(im.format or "", "image")
    stored = im.size
    try:
        if im.format in ("JPEG", "MPO"):
            # EXIF sits in the JPEG header, so the orientation is known before load.
            upright = _oriented(stored, _orientation(im))
            if max_width < upright[0]:
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that is still
                # at least as large as we need: much faster, far less memory.
                scale = max_width / upright[0]
                im.draft(None, (math.ceil(stored[0] * scale), math.ceil(stored[1] * scale)))
        im.load()
    except Exception as exc:  # untrusted data: any decoder failure is the file's
        raise ImageError(path, f"truncated or corrupt {kind} image data ({_why(exc)})") from exc

    # PNG may keep EXIF after the pixel data, so read the orientation after load.
    orientation = _orientation(im)
    upright = _oriented(stored, orientation)
    icc = im.info.get("icc_profile")
    width, height = _scaled(upright, min(max_width, upright[0]))
    try:
        image: Image.Image = _to_resizable(im)
        # Shrink first, in stored orientation, then turn the small image upright.
        size = _oriented((width, height), orientation)
        if image.size != size:
            image = image.resize(size, Image.Resampling.LANCZOS)
        if orientation in _TRANSPOSE:
            image = image.transpose(_TRANSPOSE[orientation])
    except Exception as exc:  # an exotic pixel mode from the file
        raise ImageError(path, f"cannot convert {im.mode} pixels ({_why(exc)})") from exc
    return _to_srgb(image, icc, path), upright


def _check_shape(upright: tuple[int, int], settings: ImageSettings, path: Path) -> None:
    """Refuse shapes whose variants WebP cannot encode (a side over 16383 px)."""
    width = min(upright[0], settings.widths[-1])
    height = _scaled(upright, width)[1]
    if height > _WEBP_MAX_SIDE:
        raise ImageError(
            path,
            f"image is {upright[0]}x{upright[1]} pixels; at {width} px wide it would be "
            f"{height} px tall, over the WebP limit of {_WEBP_MAX_SIDE}",
        )


def _to_resizable(im: Image.Image) -> Image.Image:
    """Normalise exotic modes to L, LA, RGB, RGBA or CMYK (8-bit)."""
    mode = im.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        if "transparency" in im.info and mode in ("L", "RGB"):
            # A tRNS colour key: turn it into a real alpha channel.
            return im.convert("LA" if mode == "L" else "RGBA")
        return im
    if mode in ("P", "PA"):
        transparent = mode == "PA" or "transparency" in im.info
        return im.convert("RGBA" if transparent else "RGB")
    if mode == "1":
        return im.convert("L")
    if mode.startswith("I"):
        # 16-bit samples: scale to 8 bits (convert() alone would clip at 255).
        wide = im if mode == "I" else im.convert("I")
        return wide.point(lambda v: v * (1 / 256)).convert("L")
    return im.convert("RGBA" if "A" in im.getbands() else "RGB")


@lru_cache(maxsize=1)
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(im: Image.Image, icc: bytes | None, path: Path) -> Image.Image:
    """Apply the embedded profile (if any) and return RGB or RGBA."""
    alpha = im.getchannel("A") if im.mode in ("LA", "RGBA") else None
    colour = im.convert(im.mode[:-1]) if alpha is not None else im
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(
                colour,
                profile,
                _srgb(),
                renderingIntent=ImageCms.Intent.PERCEPTUAL,
                outputMode="RGB",
            )
        except Exception as exc:  # broken or mismatched profile from the file
            raise ImageError(
                path, f"invalid or unsupported ICC colour profile ({_why(exc)})"
            ) from exc
        assert converted is not None  # only None when inPlace=True
        rgb = converted
    else:
        rgb = colour.convert("RGB")
    if alpha is None or alpha.getextrema() == (255, 255):
        # A fully opaque alpha channel is common in exports and only costs bytes.
        return rgb
    rgb.putalpha(alpha)
    return rgb


def _variant_widths(source_width: int, widths: tuple[int, ...]) -> list[int]:
    """Configured widths up to the source width, plus the source width if smaller."""
    chosen = [w for w in widths if w <= source_width]
    if source_width < widths[-1] and source_width not in chosen:
        chosen.append(source_width)
    return chosen


def _scaled(upright: tuple[int, int], width: int) -> tuple[int, int]:
    source_width, source_height = upright
    if width >= source_width:
        return source_width, source_height
    return width, max(1, round(source_height * width / source_width))


def _render(
    base: Image.Image,
    upright: tuple[int, int],
    widths: list[int],
    digest: str,
    path: Path,
    settings: ImageSettings,
) -> tuple[dict[str, bytes], ProcessedImage]:
    """Encode every variant; return file bytes by name and the description."""
    stem = digest[:16]
    fallback_width = min(settings.fallback_width, upright[0])
    transparent = base.mode == "RGBA"
    files: dict[str, bytes] = {}
    variants: list[ImageVariant] = []
    fallback: ImageVariant | None = None
    for width in widths:
        size = _scaled(upright, width)
        image = base if base.size == size else base.resize(size, Image.Resampling.LANCZOS)
        # A fresh buffer carries no info/EXIF/ICC that a saver could copy out.
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        variant = ImageVariant(size[0], size[1], "webp", f"{stem}-{width}.webp")
        files[variant.name] = _encode(clean, variant, path, settings)
        variants.append(variant)
        if width == fallback_width:
            fmt, ext = ("png", "png") if transparent else ("jpeg", "jpg")
            fallback = ImageVariant(size[0], size[1], fmt, f"{stem}-{width}.{ext}")
            files[fallback.name] = _encode(clean, fallback, path, settings)
    assert fallback is not None  # fallback_width is always one of the widths
    largest = variants[-1]
    processed = ProcessedImage(digest, largest.width, largest.height, tuple(variants), fallback)
    return files, processed


def _encode(
    image: Image.Image, variant: ImageVariant, path: Path, settings: ImageSettings
) -> bytes:
    buf = io.BytesIO()
    try:
        if variant.format == "webp":
            # method=6: slowest, smallest; paid once per photo thanks to the cache.
            image.save(buf, "WEBP", quality=settings.webp_quality, method=6)
        elif variant.format == "jpeg":
            image.save(
                buf,
                "JPEG",
                quality=settings.jpeg_quality,
                optimize=True,
                progressive=True,
                subsampling="4:2:0",
            )
        else:
            image.save(buf, "PNG", optimize=True)
    except Exception as exc:  # e.g. a side too long for WebP
        raise ImageError(
            path,
            f"cannot encode {variant.format} variant {variant.width}x{variant.height} "
            f"({_why(exc)})",
        ) from exc
    return buf.getvalue()


# --- cache ------------------------------------------------------------------


def _manifest_path(cache_dir: Path, digest: str) -> Path:
    return cache_dir / _MANIFESTS / f"{digest}.json"


def _variant_json(v: ImageVariant, size: int) -> dict[str, Any]:
    return {"width": v.width, "height": v.height, "format": v.format, "name": v.name, "bytes": size}


def _store(
    cache_dir: Path, files: dict[str, bytes], processed: ProcessedImage, upright: tuple[int, int]
) -> None:
    """Write variants, then the manifest that makes them a cache hit."""
    (cache_dir / _MANIFESTS).mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        _write_atomic(cache_dir / name, data)
    manifest = {
        "pipeline": PIPELINE_VERSION,
        "digest": processed.digest,
        "source": {"width": upright[0], "height": upright[1]},
        "variants": [_variant_json(v, len(files[v.name])) for v in processed.variants],
        "fallback": _variant_json(processed.fallback, len(files[processed.fallback.name])),
    }
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    _write_atomic(_manifest_path(cache_dir, processed.digest), text.encode())


def _write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it into place."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # os.open with 0o666 lets the umask decide, as for any other file
    # (mkstemp would make 0600 files that a copied site could not serve).
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _lookup(
    cache_dir: Path, digest: str, path: Path, settings: ImageSettings
) -> ProcessedImage | None:
    """The cached result for ``digest`` if the manifest and all its files are intact."""
    try:
        manifest = json.loads(_manifest_path(cache_dir, digest).read_text("utf-8"))
        if manifest["digest"] != digest or manifest["pipeline"] != PIPELINE_VERSION:
            return None
        entries = [*manifest["variants"], manifest["fallback"]]
        for entry in entries:
            if (cache_dir / entry["name"]).stat().st_size != entry["bytes"]:
                return None
        variants = tuple(_variant_from_json(e) for e in manifest["variants"])
        fallback = _variant_from_json(manifest["fallback"])
        width, height = int(manifest["source"]["width"]), int(manifest["source"]["height"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: just process again
    if not variants:
        return None
    # The pixel limit is not part of the key, so re-apply it to cached sources.
    if width * height > settings.max_pixels:
        raise ImageError(
            path,
            f"image is {width}x{height} pixels ({_mp(width * height)} megapixels), "
            f"over the pixel limit of {_mp(settings.max_pixels)} megapixels",
        )
    largest = variants[-1]
    return ProcessedImage(digest, largest.width, largest.height, variants, fallback)


def _variant_from_json(entry: dict[str, Any]) -> ImageVariant:
    name = str(entry["name"])
    if Path(name).name != name:  # never trust a path out of a file
        raise ValueError(name)
    return ImageVariant(int(entry["width"]), int(entry["height"]), str(entry["format"]), name)


# --- small helpers ----------------------------------------------------------


@lru_cache(maxsize=1)
def _library_versions() -> dict[str, str | None]:
    # The encoders' versions decide the output bytes as much as our settings do.
    versions: dict[str, str | None] = {"pillow": PIL.__version__}
    for name in ("webp", "jpg", "zlib", "littlecms2"):
        versions[name] = features.version(name)
    return versions


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # respects CPU pinning in containers
    except AttributeError:
        return os.cpu_count() or 1


def _join(prefix: str, name: str) -> str:
    if not prefix:
        return name
    return prefix + name if prefix.endswith("/") else f"{prefix}/{name}"


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def _mp(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}"


def _why(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
