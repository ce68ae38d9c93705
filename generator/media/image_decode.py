"""Reading and decoding an untrusted photo: size, format by content, pixel
limit, animation, full decode, orientation, colour profile (see ``images``)."""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import stat
import warnings
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from PIL import ExifTags, Image, ImageCms

from .image_types import (
    WEBP_MAX_SIDE,
    ImageError,
    ImageSettings,
    megapixels,
    mib,
    scaled,
    why,
)

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


def read_source(path: Path, settings: ImageSettings) -> bytes:
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
        actual, allowed = mib(size), mib(limit)
        if actual == allowed:  # too close to tell apart in MiB
            actual, allowed = f"{size:,} bytes", f"{limit:,} bytes"
        raise ImageError(path, f"file is {actual}, over the size limit of {allowed}")
    if not data:
        raise ImageError(path, "file is empty")
    return data


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
def opened(data: bytes, path: Path, settings: ImageSettings) -> Iterator[Image.Image]:
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
            # Pillow refuses before saying the size; its message holds the pixel count.
            found = re.search(r"\((\d+) pixels\)", str(exc))
            size = f" ({megapixels(int(found.group(1)))} megapixels)" if found else ""
            raise ImageError(
                path,
                f"image is over the pixel limit of {megapixels(settings.max_pixels)} "
                f"megapixels{size}",
            ) from exc
        except Image.UnidentifiedImageError as exc:
            # Pillow's own message names a memory address; say what it means.
            raise ImageError(path, f"truncated or corrupt {_ALLOWED[kind]} image data "
                             "(its header cannot be read)") from exc
        except Exception as exc:  # untrusted data: any parser failure is the file's
            raise ImageError(path, f"cannot read {_ALLOWED[kind]} image ({why(exc)})") from exc
        with im:
            width, height = im.size
            if width * height > settings.max_pixels:
                raise ImageError(
                    path,
                    f"image is {width}x{height} pixels ({megapixels(width * height)} megapixels), "
                    f"over the pixel limit of {megapixels(settings.max_pixels)} megapixels",
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


def decode(im: Image.Image, path: Path, max_width: int) -> tuple[Image.Image, tuple[int, int]]:
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
        raise ImageError(path, f"truncated or corrupt {kind} image data ({why(exc)})") from exc

    # PNG may keep EXIF after the pixel data, so read the orientation after load.
    orientation = _orientation(im)
    upright = _oriented(stored, orientation)
    icc = im.info.get("icc_profile")
    width, height = scaled(upright, min(max_width, upright[0]))
    try:
        image: Image.Image = _to_resizable(im)
        # Shrink first, in stored orientation, then turn the small image upright.
        size = _oriented((width, height), orientation)
        if image.size != size:
            image = image.resize(size, Image.Resampling.BICUBIC)
        if orientation in _TRANSPOSE:
            image = image.transpose(_TRANSPOSE[orientation])
    except Exception as exc:  # an exotic pixel mode from the file
        raise ImageError(path, f"cannot convert {im.mode} pixels ({why(exc)})") from exc
    return _to_srgb(image, icc, path), upright


def check_shape(upright: tuple[int, int], settings: ImageSettings, path: Path) -> None:
    """Refuse shapes whose variants WebP cannot encode (a side over 16383 px)."""
    width = min(upright[0], settings.widths[-1])
    height = scaled(upright, width)[1]
    if height > WEBP_MAX_SIDE:
        raise ImageError(
            path,
            f"image is {upright[0]}x{upright[1]} pixels; at {width} px wide it would be "
            f"{height} px tall, over the WebP limit of {WEBP_MAX_SIDE}",
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
                path, f"invalid or unsupported ICC colour profile ({why(exc)})"
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


