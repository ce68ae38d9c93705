"""What the photo pipeline takes and gives: settings, variants, errors."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import PIL
from PIL import features

# Bump whenever a change to the pipeline changes output bytes or names, so
# every cached variant is rebuilt.
PIPELINE_VERSION = 2

# libwebp cannot encode a side longer than this.
WEBP_MAX_SIDE = 16383


def plain_name(name: object) -> bool:
    """Whether ``name`` can only name a file inside a folder, on every system: a
    variant's file name, which the cache's manifests give and the site's photos
    folder holds (string tests, not ``Path``: 160,000 names nationally)."""
    return (isinstance(name, str) and name not in ("", ".", "..") and "/" not in name
            and "\\" not in name and ":" not in name and "\0" not in name)


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

    #: 128 px: the search results' and the finder's 48 px thumbnails on a 2× screen
    #: (cropped to a square from 4:3, so 128 wide); a quarter of the 320 px bytes, and
    #: a phone fetches a new row of them at every letter typed.
    widths: tuple[int, ...] = (128, 320, 640, 1280)
    #: Quality 75 at method 1 gives files no larger than 78 at method 6, at a third of
    #: the encoding time (tools/bench_photos.py: bytes, SSIM and CPU per photo).
    webp_quality: int = 75
    #: libwebp's effort, 0 (fastest) to 6 (smallest); encoding is most of a photo's cost.
    webp_method: int = 1
    jpeg_quality: int = 80
    max_bytes: int = 20 * 1024 * 1024
    # 108 MP phone cameras are common; JPEGs are decoded at reduced scale, so this
    # costs little memory. A 200 MP photo gets a clear error instead.
    max_pixels: int = 120_000_000

    def __post_init__(self) -> None:
        widths = tuple(sorted(set(self.widths)))
        if not widths or any(not 0 < w <= WEBP_MAX_SIDE for w in widths):
            raise ValueError(f"widths must be between 1 and {WEBP_MAX_SIDE}: {self.widths}")
        # Normalised so that (640, 320) and (320, 640) share one cache key.
        object.__setattr__(self, "widths", widths)
        for name in ("webp_quality", "jpeg_quality"):
            if not 1 <= getattr(self, name) <= 100:
                raise ValueError(f"{name} must be between 1 and 100")
        if not 0 <= self.webp_method <= 6:
            raise ValueError("webp_method must be between 0 and 6")
        if self.max_bytes <= 0 or self.max_pixels <= 0:
            raise ValueError("max_bytes and max_pixels must be positive")

    def key(self) -> str:
        """Stable digest of everything that determines the output bytes."""
        material = {
            "pipeline": PIPELINE_VERSION,
            "widths": list(self.widths),
            "webp_quality": self.webp_quality,
            "webp_method": self.webp_method,
            "jpeg_quality": self.jpeg_quality,
            "libraries": _library_versions(),
        }
        text = json.dumps(material, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def fallback_width(self) -> int:
        """The configured width the JPEG/PNG fallback aims for: the middle one, the
        upper of two middles (640 of 128/320/640/1280, big enough for a social card)."""
        return self.widths[len(self.widths) // 2]


@dataclass(frozen=True, slots=True)
class ImageVariant:
    """One output file."""

    width: int
    height: int
    format: str  # "webp" | "jpeg" | "png"
    name: str


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    """Everything a page needs to reference one processed source image."""

    digest: str
    width: int
    height: int
    variants: tuple[ImageVariant, ...]
    fallback: ImageVariant

    def srcset(self, prefix: str) -> str:
        """``srcset`` value for the WebP variants, URLs under ``prefix``."""
        return ", ".join(f"{join_url(prefix, v.name)} {v.width}w" for v in self.variants)

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


@lru_cache(maxsize=1)
def _library_versions() -> dict[str, str | None]:
    # The encoders' versions decide the output bytes as much as our settings do.
    versions: dict[str, str | None] = {"pillow": PIL.__version__}
    for name in ("webp", "jpg", "zlib", "littlecms2"):
        versions[name] = features.version(name)
    return versions


def mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}"


def why(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def scaled(upright: tuple[int, int], width: int) -> tuple[int, int]:
    """The size of an upright image shrunk to ``width`` (never enlarged)."""
    source_width, source_height = upright
    if width >= source_width:
        return source_width, source_height
    return width, max(1, round(source_height * width / source_width))


def join_url(prefix: str, name: str) -> str:
    if not prefix:
        return name
    return prefix + name if prefix.endswith("/") else f"{prefix}/{name}"
