"""Tests for generator.media.images: real images are generated in tmp_path."""

from __future__ import annotations

import io
import itertools
import json
import math
import os
import pickle
import re
import shutil
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile

from generator.media import image_cache, images
from generator.media.image_types import ImageError, ImageSettings, ImageVariant, ProcessedImage
from generator.media.images import ImageProcessor, check_image

RED = (220, 20, 20)
BLUE = (20, 20, 220)

# --- fixture builders -------------------------------------------------------


def save(path: Path, im: Image.Image, fmt: str, **params: object) -> Path:
    im.save(path, fmt, **params)
    return path


def noise(size: tuple[int, int], blend: int = 1) -> Image.Image:
    """Noise over a gradient: compresses poorly, so truncation bites; ``blend`` 0-10."""
    im = Image.effect_noise(size, 60).convert("RGB")
    return Image.blend(im, Image.linear_gradient("L").resize(size).convert("RGB"), blend / 10)


def halves(size: tuple[int, int], left: tuple[int, ...], right: tuple[int, ...]) -> Image.Image:
    """Left half one colour, right half another."""
    mode = "RGBA" if len(left) == 4 else "RGB"
    im = Image.new(mode, size, left)
    im.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return im


def png_bytes(width: int, height: int, bit_depth: int, colour_type: int, raw: bytes) -> bytes:
    """A PNG written by hand: lets us make bombs and 16-bit RGB cheaply."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def bomb(path: Path, width: int, height: int) -> Path:
    """A 1-bit all-black PNG: tiny on disk, huge once decoded."""
    row = 1 + math.ceil(width / 8)  # filter byte + packed bits
    path.write_bytes(png_bytes(width, height, 1, 0, bytes(row * height)))
    return path


# Minimal ICC v2 profiles, so colour management is tested with known answers.


def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def _icc(device_class: bytes, space: bytes, pcs: bytes, tags: list[tuple[bytes, bytes]]) -> bytes:
    desc_text = b"test profile\0"
    desc = (
        b"desc"
        + bytes(4)
        + struct.pack(">I", len(desc_text))
        + desc_text
        + bytes(8 + 3 + 67)  # empty Unicode and ScriptCode descriptions
    )
    white = b"XYZ " + bytes(4) + _s15(0.9642) + _s15(1.0) + _s15(0.8249)
    tags = [(b"desc", desc), (b"wtpt", white), *tags]
    start = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, data in tags:
        data += bytes(-len(data) % 4)
        table += sig + struct.pack(">II", start + len(body), len(data))
        body += data
    header = (
        struct.pack(">I", start + len(body))
        + bytes(4)
        + struct.pack(">I", 0x02100000)
        + device_class
        + space
        + pcs
        + bytes(12)
        + b"acsp"
        + bytes(28)
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + bytes(48)
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def swapped_rgb_profile() -> bytes:
    """An RGB profile whose red primary is sRGB's green and vice versa."""

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + _s15(x) + _s15(y) + _s15(z)

    gamma = b"curv" + bytes(4) + struct.pack(">IH", 1, round(2.2 * 256)) + bytes(2)
    return _icc(
        b"mntr",
        b"RGB ",
        b"XYZ ",
        [
            (b"rXYZ", xyz(0.3851, 0.7169, 0.0971)),  # sRGB green (D50)
            (b"gXYZ", xyz(0.4361, 0.2225, 0.0139)),  # sRGB red (D50)
            (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
            (b"rTRC", gamma),
            (b"gTRC", gamma),
            (b"bTRC", gamma),
        ],
    )


def yellow_cmyk_profile() -> bytes:
    """A CMYK profile: paper (0,0,0,0) is white, any ink at all prints yellow."""

    def lab(lightness: float, a: float, b: float) -> bytes:
        # ICC v2 16-bit Lab encoding.
        return struct.pack(
            ">HHH", round(lightness / 100 * 0xFF00), round((a + 128) * 256), round((b + 128) * 256)
        )

    nodes = b"".join(
        lab(100, 0, 0) if not any(node) else lab(97, -21, 94)
        for node in itertools.product((0, 1), repeat=4)
    )
    identity = b"".join(_s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))
    lut = (
        b"mft2"
        + bytes(4)
        + bytes([4, 3, 2, 0])  # 4 in, 3 out, 2 grid points
        + identity
        + struct.pack(">HH", 2, 2)
        + struct.pack(">HH", 0, 65535) * 4
        + nodes
        + struct.pack(">HH", 0, 65535) * 3
    )
    return _icc(b"prtr", b"CMYK", b"Lab ", [(b"A2B0", lut)])


# --- output inspection ------------------------------------------------------


def jpeg_markers(data: bytes) -> set[int]:
    """Markers before the image data."""
    assert data[:2] == b"\xff\xd8"
    found, pos = set(), 2
    while True:
        marker = data[pos + 1]
        found.add(marker)
        if marker == 0xDA:  # start of scan
            return found
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]


def png_chunks(data: bytes) -> set[bytes]:
    found, pos = set(), 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        found.add(data[pos + 4 : pos + 8])
        pos += 12 + length
    return found


def webp_chunks(data: bytes) -> set[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    found, pos = set(), 12
    while pos < len(data):
        kind = data[pos : pos + 4]
        length = struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        found.add(kind)
        if kind == b"VP8X":
            flags = data[pos + 8]
            assert not flags & (0x20 | 0x08 | 0x04), "VP8X says ICC/EXIF/XMP present"
        pos += 8 + length + (length & 1)
    return found


def outputs(result: ProcessedImage) -> list[ImageVariant]:
    return [*result.variants, result.fallback]


def open_variant(proc: ImageProcessor, variant: ImageVariant) -> Image.Image:
    im = Image.open(proc.output_path(variant.name))
    im.load()
    return im


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=False))


@pytest.fixture
def proc(tmp_path: Path) -> ImageProcessor:
    return ImageProcessor(tmp_path / "cache", jobs=1)


# --- orientation, colour, modes ---------------------------------------------


@pytest.mark.parametrize(("orientation", "red_at_top"), [(6, True), (8, False)])
def test_exif_orientation_is_applied(
    tmp_path: Path, proc: ImageProcessor, orientation: int, red_at_top: bool
) -> None:
    # Stored 400x200, red left and blue right; 6 turns it clockwise, 8 anticlockwise.
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    src = save(tmp_path / "p.jpg", halves((400, 200), RED, BLUE), "JPEG", exif=exif.tobytes())

    result = proc.process(src)

    assert (result.width, result.height) == (200, 400)
    assert [(v.width, v.height) for v in result.variants] == [(128, 256), (200, 400)]
    assert (result.fallback.width, result.fallback.height) == (200, 400)
    for variant in outputs(result):
        im = open_variant(proc, variant).convert("RGB")
        assert im.size == (variant.width, variant.height)
        w, h = im.size
        top, bottom = im.getpixel((w // 2, h * 3 // 20)), im.getpixel((w // 2, h * 17 // 20))
        assert close(top, RED if red_at_top else BLUE)
        assert close(bottom, BLUE if red_at_top else RED)
    assert check_image(src) == (200, 400)


def test_all_metadata_is_dropped(tmp_path: Path, proc: ImageProcessor) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SECRET-MAKE-9999"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (21.0, 1.0, 42.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 51.0, 0.0)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SECRET-XMP-5678</x:xmpmeta>'
    src = save(
        tmp_path / "gps.jpg",
        noise((900, 600)),
        "JPEG",
        exif=exif.tobytes(),
        comment=b"SECRET-COMMENT-1234",
        icc_profile=srgb,
        xmp=xmp,
    )
    with Image.open(src) as original:  # the fixture really carries it all
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert {"comment", "icc_profile", "xmp", "exif"} <= set(original.info)

    result = proc.process(src)

    for variant in outputs(result):
        data = proc.output_path(variant.name).read_bytes()
        for secret in (b"SECRET", b"Exif\0\0", b"ICC_PROFILE", b"xmpmeta", b"adobe"):
            assert secret not in data, (variant.name, secret)
        im = open_variant(proc, variant)
        assert len(im.getexif()) == 0
        assert not {"exif", "icc_profile", "comment", "xmp", "XML:com.adobe.xmp", "dpi"} & set(
            im.info
        )
        if variant.format == "jpeg":
            # APP0 (JFIF), tables, frame, scan; no APP1 (EXIF/XMP), APP2 (ICC), COM.
            assert jpeg_markers(data) <= {0xE0, 0xDB, 0xC0, 0xC1, 0xC2, 0xC4, 0xDD, 0xDA}
        else:
            assert webp_chunks(data) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}


def test_png_metadata_is_dropped_from_png_fallback(tmp_path: Path, proc: ImageProcessor) -> None:
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "SECRET-TEXT")
    text.add_itxt("Description", "SECRET-ITXT", zip=True)
    exif = Image.Exif()
    exif[ExifTags.Base.Software] = "SECRET-SOFTWARE"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    src = save(
        tmp_path / "logo.png",
        halves((300, 100), (*RED, 255), (0, 0, 0, 0)),
        "PNG",
        pnginfo=text,
        exif=exif.tobytes(),
        icc_profile=srgb,
    )

    result = proc.process(src)

    assert result.fallback.format == "png"
    data = proc.output_path(result.fallback.name).read_bytes()
    assert png_chunks(data) == {b"IHDR", b"IDAT", b"IEND"}
    assert b"SECRET" not in data
    for variant in result.variants:
        vdata = proc.output_path(variant.name).read_bytes()
        assert b"SECRET" not in vdata
        assert webp_chunks(vdata) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}


def test_icc_profile_is_converted_to_srgb(tmp_path: Path, proc: ImageProcessor) -> None:
    # Under this profile the stored "red" pixels are really sRGB green.
    tagged = save(
        tmp_path / "tagged.jpg",
        Image.new("RGB", (64, 64), (255, 0, 0)),
        "JPEG",
        quality=95,
        icc_profile=swapped_rgb_profile(),
    )
    plain = save(
        tmp_path / "plain.jpg", Image.new("RGB", (64, 64), (255, 0, 0)), "JPEG", quality=95
    )

    for src, expected in ((tagged, (0, 255, 0)), (plain, (255, 0, 0))):
        result = proc.process(src)
        for variant in outputs(result):
            im = open_variant(proc, variant)
            assert "icc_profile" not in im.info
            assert close(im.convert("RGB").getpixel((32, 32)), expected), (src, variant)


def test_cmyk_with_icc_profile_uses_the_profile(tmp_path: Path, proc: ImageProcessor) -> None:
    # Full cyan: the profile says that prints yellow; a naive conversion gives cyan.
    src = save(
        tmp_path / "cmyk.jpg",
        Image.new("CMYK", (80, 60), (255, 0, 0, 0)),
        "JPEG",
        quality=95,
        icc_profile=yellow_cmyk_profile(),
    )
    with Image.open(src) as original:
        assert original.mode == "CMYK"

    result = proc.process(src)

    assert result.fallback.format == "jpeg"
    for variant in outputs(result):
        im = open_variant(proc, variant)
        assert im.mode == "RGB"
        red, green, blue = im.getpixel((40, 30))
        assert red > 200 and green > 200 and blue < 120


def test_cmyk_without_profile_is_converted(tmp_path: Path, proc: ImageProcessor) -> None:
    src = save(tmp_path / "cmyk.jpg", Image.new("CMYK", (80, 60), (255, 0, 0, 0)), "JPEG")

    result = proc.process(src)

    for variant in outputs(result):
        im = open_variant(proc, variant)
        assert im.mode == "RGB"
        assert close(im.getpixel((40, 30)), (0, 255, 255))


def test_broken_icc_profile_is_an_error(tmp_path: Path, proc: ImageProcessor) -> None:
    src = save(
        tmp_path / "bad-icc.jpg", Image.new("RGB", (50, 50)), "JPEG", icc_profile=b"junk" * 64
    )
    with pytest.raises(ImageError, match="ICC colour profile"):
        proc.process(src)
    with pytest.raises(ImageError, match="ICC colour profile"):
        check_image(src)


def test_16bit_grey_png_is_scaled_not_clipped(tmp_path: Path, proc: ImageProcessor) -> None:
    src = save(tmp_path / "grey16.png", Image.new("I;16", (120, 80), 40000), "PNG")
    with Image.open(src) as original:
        assert original.mode.startswith("I")

    result = proc.process(src)

    for variant in outputs(result):
        value = open_variant(proc, variant).convert("L").getpixel((60, 40))
        assert abs(value - 40000 // 256) <= 4  # a clipping conversion would give 255


def test_16bit_rgb_png(tmp_path: Path, proc: ImageProcessor) -> None:
    pixel = struct.pack(">HHH", 0x8000, 0x4000, 0xC000)
    raw = (b"\0" + pixel * 40) * 30
    src = tmp_path / "rgb16.png"
    src.write_bytes(png_bytes(40, 30, 16, 2, raw))

    result = proc.process(src)

    im = open_variant(proc, result.fallback)
    assert close(im.getpixel((20, 15)), (128, 64, 192), tolerance=8)


def test_palette_png_with_transparency(tmp_path: Path, proc: ImageProcessor) -> None:
    im = Image.new("P", (400, 200), 0)
    im.putpalette([0, 0, 0, *RED] + [0] * (256 - 2) * 3)
    im.paste(1, (200, 0, 400, 200))  # right half red, left half index 0
    src = save(tmp_path / "logo.png", im, "PNG", transparency=0)

    result = proc.process(src)

    assert result.fallback.format == "png"
    assert result.fallback.name.endswith(".png")
    for variant in outputs(result):
        out = open_variant(proc, variant)
        assert out.mode == "RGBA"
        w, h = out.size
        assert out.getpixel((w // 8, h // 2))[3] == 0
        right = out.getpixel((w * 7 // 8, h // 2))
        assert right[3] == 255 and close(right[:3], RED)


def test_grey_alpha_png_keeps_alpha(tmp_path: Path, proc: ImageProcessor) -> None:
    im = Image.new("LA", (100, 100), (128, 255))
    im.paste((128, 0), (0, 0, 50, 100))
    src = save(tmp_path / "la.png", im, "PNG")

    result = proc.process(src)

    assert result.fallback.format == "png"
    out = open_variant(proc, result.variants[0])
    assert out.mode == "RGBA"
    assert out.getpixel((10, 50))[3] == 0 and out.getpixel((90, 50))[3] == 255


def test_fully_opaque_alpha_gets_jpeg_fallback(tmp_path: Path, proc: ImageProcessor) -> None:
    src = save(tmp_path / "opaque.png", halves((300, 200), (*RED, 255), (*BLUE, 255)), "PNG")

    result = proc.process(src)

    assert result.fallback.format == "jpeg"
    assert result.fallback.name.endswith(".jpg")
    assert open_variant(proc, result.variants[0]).mode == "RGB"


def test_one_bit_png(tmp_path: Path, proc: ImageProcessor) -> None:
    im = Image.new("1", (64, 64), 1)
    im.paste(0, (0, 0, 32, 64))
    src = save(tmp_path / "mono.png", im, "PNG")

    out = open_variant(proc, proc.process(src).fallback).convert("L")

    assert out.getpixel((8, 32)) < 30 and out.getpixel((56, 32)) > 225


# --- hostile and broken input -----------------------------------------------


def test_decompression_bomb_is_refused_before_decoding(
    tmp_path: Path, proc: ImageProcessor, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = bomb(tmp_path / "bomb.png", 12000, 12000)
    assert src.stat().st_size < 100_000  # 144 megapixels in a few kilobytes
    loads: list[object] = []
    real_load = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile) -> object:
        loads.append(self)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    started = time.monotonic()
    with pytest.raises(ImageError, match="pixel limit") as caught:
        proc.process(src)
    assert time.monotonic() - started < 5
    assert loads == []
    assert "12000x12000" in caught.value.message
    with pytest.raises(ImageError, match="pixel limit"):
        check_image(src)
    assert not list((tmp_path / "cache").glob("*.webp"))


def test_bomb_beyond_pillow_limit_becomes_image_error(tmp_path: Path) -> None:
    src = bomb(tmp_path / "huge.png", 20000, 10000)  # over 2 x Pillow's MAX_IMAGE_PIXELS
    before = Image.MAX_IMAGE_PIXELS
    generous = ImageProcessor(tmp_path / "cache", ImageSettings(max_pixels=10**9), jobs=1)

    with pytest.raises(ImageError, match="pixel limit"):
        generous.process(src)
    assert before == Image.MAX_IMAGE_PIXELS  # no global left changed


def test_pixel_limit_is_configurable(tmp_path: Path) -> None:
    src = save(tmp_path / "p.png", Image.new("RGB", (300, 200)), "PNG")

    with pytest.raises(ImageError, match="pixel limit"):
        check_image(src, ImageSettings(max_pixels=50_000))
    assert check_image(src, ImageSettings(max_pixels=60_000)) == (300, 200)


def test_pixel_limit_still_applies_to_cached_images(tmp_path: Path) -> None:
    src = save(tmp_path / "p.png", Image.new("RGB", (300, 200)), "PNG")
    ImageProcessor(tmp_path / "cache", jobs=1).process(src)
    strict = ImageProcessor(tmp_path / "cache", ImageSettings(max_pixels=50_000), jobs=1)

    with pytest.raises(ImageError, match="pixel limit"):
        strict.process(src)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_file_is_an_error(tmp_path: Path, proc: ImageProcessor, fmt: str) -> None:
    whole = io.BytesIO()
    noise((640, 480)).save(whole, fmt)
    src = tmp_path / f"cut.{fmt.lower()}"
    src.write_bytes(whole.getvalue()[: len(whole.getvalue()) * 6 // 10])

    with pytest.raises(ImageError, match="truncated or corrupt") as caught:
        proc.process(src)
    assert caught.value.path == src
    with pytest.raises(ImageError, match="truncated or corrupt"):
        check_image(src)
    assert proc.stats.failed == 1


def test_tiff_renamed_jpg_is_named(tmp_path: Path, proc: ImageProcessor) -> None:
    src = save(tmp_path / "photo.jpg", Image.new("RGB", (50, 50)), "TIFF")

    with pytest.raises(ImageError) as caught:
        proc.process(src)

    assert caught.value.path == src
    assert caught.value.message.startswith(
        "unsupported image format TIFF (allowed: JPEG, PNG, WebP)"
    )
    assert str(caught.value) == f"{src}: {caught.value.message}"


def test_svg_named_png_is_refused(tmp_path: Path, proc: ImageProcessor) -> None:
    src = tmp_path / "logo.png"
    src.write_text(
        '\ufeff<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
        'height="10"><rect width="10" height="10"/></svg>',
        encoding="utf-8",
    )
    with pytest.raises(ImageError, match="unsupported image format SVG"):
        proc.process(src)


@pytest.mark.parametrize("frames", [1, 3])
def test_gif_is_refused(tmp_path: Path, proc: ImageProcessor, frames: int) -> None:
    pictures = [Image.new("P", (40, 40), i) for i in range(frames)]
    src = save(tmp_path / "anim.gif", pictures[0], "GIF", save_all=True, append_images=pictures[1:])

    with pytest.raises(ImageError, match=r"unsupported image format GIF .*convert it to PNG"):
        proc.process(src)


@pytest.mark.parametrize(("fmt", "name"), [("WEBP", "WebP"), ("PNG", "PNG")])
def test_animation_is_refused(tmp_path: Path, proc: ImageProcessor, fmt: str, name: str) -> None:
    frames = [Image.new("RGB", (40, 40), c) for c in (RED, BLUE, (0, 200, 0))]
    src = save(
        tmp_path / f"anim.{fmt.lower()}",
        frames[0],
        fmt,
        save_all=True,
        append_images=frames[1:],
        duration=100,
    )
    with Image.open(src) as original:
        assert original.n_frames == 3

    with pytest.raises(ImageError, match=f"animated {name} images are not supported \\(3 frames"):
        proc.process(src)
    with pytest.raises(ImageError, match="animated"):
        check_image(src)


def test_mpo_uses_the_primary_picture(tmp_path: Path, proc: ImageProcessor) -> None:
    # A JPEG with a second embedded picture (stereo cameras, previews) is no animation.
    src = save(
        tmp_path / "stereo.jpg",
        Image.new("RGB", (300, 200), RED),
        "MPO",
        save_all=True,
        append_images=[Image.new("RGB", (300, 200), BLUE)],
    )
    with Image.open(src) as original:
        assert original.format == "MPO" and original.n_frames == 2

    result = proc.process(src)

    assert close(open_variant(proc, result.fallback).getpixel((150, 100)), RED)


def test_avif_and_heic_are_named(tmp_path: Path, proc: ImageProcessor) -> None:
    avif = save(tmp_path / "a.jpg", Image.new("RGB", (32, 32)), "AVIF")
    heic = tmp_path / "b.jpg"
    heic.write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(100))

    with pytest.raises(ImageError, match="unsupported image format AVIF"):
        proc.process(avif)
    with pytest.raises(ImageError, match="unsupported image format HEIC"):
        proc.process(heic)


def test_unrecognised_bytes(tmp_path: Path, proc: ImageProcessor) -> None:
    src = tmp_path / "x.jpg"
    src.write_bytes(b"hello, this is not an image at all")
    with pytest.raises(ImageError, match="unrecognised file type"):
        proc.process(src)


def test_oversize_file_is_refused_before_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = save(tmp_path / "big.jpg", noise((200, 200)), "JPEG")
    assert src.stat().st_size > 2000
    opened: list[object] = []
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(a))
    small = ImageSettings(max_bytes=2000)

    with pytest.raises(ImageError, match="over the size limit") as caught:
        ImageProcessor(tmp_path / "cache", small, jobs=1).process(src)
    with pytest.raises(ImageError, match="over the size limit"):
        check_image(src, small)

    assert caught.value.path == src
    assert caught.value.message == (
        f"file is {src.stat().st_size:,} bytes, over the size limit of 2,000 bytes"
    )
    assert opened == []


def test_empty_and_missing_files(tmp_path: Path, proc: ImageProcessor) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(ImageError, match="empty"):
        proc.process(empty)
    with pytest.raises(ImageError, match="cannot read file"):
        proc.process(tmp_path / "missing.jpg")
    with pytest.raises(ImageError, match="not a regular file"):
        proc.process(tmp_path)
    fifo = tmp_path / "fifo.jpg"
    os.mkfifo(fifo)  # opening it for reading would block the build forever
    with pytest.raises(ImageError, match="not a regular file"):
        proc.process(fifo)


def test_image_too_tall_for_webp(tmp_path: Path, proc: ImageProcessor) -> None:
    src = save(tmp_path / "strip.png", Image.new("L", (100, 20000)), "PNG")
    with pytest.raises(ImageError, match="WebP limit"):
        proc.process(src)
    with pytest.raises(ImageError, match="WebP limit"):
        check_image(src)


# --- sizes ------------------------------------------------------------------


def assert_files_match(proc: ImageProcessor, result: ProcessedImage) -> None:
    """Every variant file exists with the declared size and format."""
    for variant in outputs(result):
        with Image.open(proc.output_path(variant.name)) as im:
            assert im.size == (variant.width, variant.height)
            assert im.format.lower() == variant.format


@pytest.mark.parametrize(
    ("size", "expected", "fallback"),
    [
        ((200, 150), [(128, 96), (200, 150)], (200, 150)),
        ((500, 250), [(128, 64), (320, 160), (500, 250)], (500, 250)),
        ((640, 480), [(128, 96), (320, 240), (640, 480)], (640, 480)),
        ((2000, 1000), [(128, 64), (320, 160), (640, 320), (1280, 640)], (640, 320)),
        ((1000, 3000), [(128, 384), (320, 960), (640, 1920), (1000, 3000)], (640, 1920)),
    ],
)
def test_variant_sizes_never_upscale(
    tmp_path: Path,
    proc: ImageProcessor,
    size: tuple[int, int],
    expected: list[tuple[int, int]],
    fallback: tuple[int, int],
) -> None:
    src = save(tmp_path / "p.jpg", noise(size), "JPEG")

    result = proc.process(src)

    assert [(v.width, v.height) for v in result.variants] == expected
    assert all(v.format == "webp" for v in result.variants)
    assert (result.width, result.height) == expected[-1]
    assert (result.fallback.width, result.fallback.height) == fallback
    assert result.fallback.format == "jpeg"
    assert_files_match(proc, result)


def test_large_jpeg_uses_reduced_decoding_and_keeps_geometry(
    tmp_path: Path, proc: ImageProcessor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 4000x3000 with orientation 6: decoded at reduced scale, still exact sizes.
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    src = save(tmp_path / "big.jpg", halves((4000, 3000), RED, BLUE), "JPEG", exif=exif.tobytes())
    decoded: list[tuple[int, int]] = []
    real_load = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile) -> object:
        pixels = real_load(self)
        decoded.append(self.size)
        return pixels

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)

    result = proc.process(src)

    # 1280 upright px need 1707x1280 stored px: libjpeg decodes at 1/2 scale.
    assert decoded and set(decoded) == {(2000, 1500)}

    assert [(v.width, v.height) for v in result.variants] == [
        (128, 171),
        (320, 427),
        (640, 853),
        (1280, 1707),
    ]
    assert_files_match(proc, result)
    im = open_variant(proc, result.variants[-1])
    assert close(im.getpixel((640, 100)), RED) and close(im.getpixel((640, 1600)), BLUE)
    assert check_image(src) == (3000, 4000)


def test_srcset_and_smallest_at_least(tmp_path: Path, proc: ImageProcessor) -> None:
    result = proc.process(save(tmp_path / "p.jpg", noise((2000, 1000)), "JPEG"))
    stem = result.digest[:16]

    assert result.srcset("/img") == (
        f"/img/{stem}-128.webp 128w, /img/{stem}-320.webp 320w, /img/{stem}-640.webp 640w, "
        f"/img/{stem}-1280.webp 1280w"
    )
    assert result.srcset("../img/").startswith(f"../img/{stem}-128.webp 128w")
    assert result.smallest_at_least(1).width == 128
    assert result.smallest_at_least(320).width == 320
    assert result.smallest_at_least(321).width == 640
    assert result.smallest_at_least(5000).width == 1280
    assert proc.output_path(result.fallback.name) == proc.cache_dir / f"{stem}-640.jpg"
    assert proc.output_path("x.webp").is_absolute()
    # The cache's rule for a variant's name (``plain_name``), on every system: ".."
    # passed the check this replaced (``Path("..").name == ".."``).
    for name in ("../escape.webp", "..", ".", "", "a\\b.webp", "c:b.webp", "a\0b.webp"):
        with pytest.raises(ValueError, match=r"^not a variant file name: "):
            proc.output_path(name)


# --- cache, determinism, parallelism ----------------------------------------


def make_sources(tmp_path: Path, count: int = 3) -> list[Path]:
    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    return [
        save(folder / f"p{i}.jpg", noise((700 + 100 * i, 500), i), "JPEG") for i in range(count)
    ]


def cache_files(cache: Path) -> dict[str, bytes]:
    """Every cache file's bytes; manifests without the files' modification times
    (when each file was written is the one thing two caches may differ in)."""
    out = {}
    for p in cache.rglob("*"):
        if not p.is_file():
            continue
        data = p.read_bytes()
        if p.suffix == ".json":
            data = re.sub(rb'"mtime_ns": \d+', b'"mtime_ns": 0', data)
            data = re.sub(rb'\\"mtime_ns\\":\d+', b'\\"mtime_ns\\":0', data)  # the index
        out[p.relative_to(cache).as_posix()] = data
    return out


def test_a_photo_edited_in_place_through_a_site_link_is_processed_again(
        tmp_path: Path) -> None:
    """site/ holds hard links to the cache: an edit there must not reach the next site."""
    src = save(tmp_path / "a.png", halves((400, 300), RED, BLUE), "PNG")
    cache = tmp_path / "cache"
    first = ImageProcessor(cache, jobs=1).process(src)
    cached = cache / first.variants[0].name
    good = cached.read_bytes()
    linked = tmp_path / "site.webp"
    os.link(cached, linked)
    with open(linked, "r+b") as f:  # same size, other bytes: an optimiser writing in place
        f.seek(len(good) // 2)
        f.write(b"\x00" * 16)
    assert cached.read_bytes() != good
    again = ImageProcessor(cache, jobs=1)
    assert again.process(src) == first
    assert (again.stats.processed, again.stats.cached) == (1, 0)
    assert cached.read_bytes() == good


def test_a_touched_but_intact_cache_file_is_still_a_hit(tmp_path: Path) -> None:
    src = save(tmp_path / "a.png", halves((400, 300), RED, BLUE), "PNG")
    cache = tmp_path / "cache"
    first = ImageProcessor(cache, jobs=1).process(src)
    os.utime(cache / first.fallback.name, ns=(1, 1))  # e.g. a backup restored the file
    again = ImageProcessor(cache, jobs=1)
    assert again.process(src) == first
    assert (again.stats.processed, again.stats.cached) == (0, 1)


def _manifest_reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Digests of the manifest files read from now on."""
    return _record(monkeypatch, "_read_manifest", 1)


def _processed(tmp_path: Path, count: int) -> tuple[
        list[Path], Path, dict[Path, ProcessedImage | ImageError], ProcessedImage]:
    """``count`` photos processed into ``tmp_path/cache``: their paths, the cache, the
    results, and the first photo's."""
    srcs = make_sources(tmp_path, count)
    cache = tmp_path / "cache"
    results = ImageProcessor(cache, jobs=1).process_many(srcs)
    first = results[srcs[0]]
    assert isinstance(first, ProcessedImage)
    return srcs, cache, results, first


def test_a_rebuild_reads_the_manifests_from_their_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srcs = make_sources(tmp_path)
    cache = tmp_path / "cache"
    results = ImageProcessor(cache, jobs=2).process_many(srcs)
    reads = _manifest_reads(monkeypatch)
    again = ImageProcessor(cache, jobs=1)
    assert again.process_many(srcs) == results
    assert (again.stats.processed, again.stats.cached, reads) == (0, 3, [])


def _edit_through_a_site_link(cached: Path, tmp_path: Path) -> bytes:
    """Edit ``cached`` in place through a hard link, same size (an optimiser run on a
    site): its bytes before."""
    good = cached.read_bytes()
    os.link(cached, tmp_path / "site.webp")
    with open(tmp_path / "site.webp", "r+b") as f:
        f.seek(len(good) // 2)
        f.write(b"\x00" * 16)
    return good


def test_an_index_entry_is_trusted_only_while_its_files_are_untouched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srcs, cache, results, first = _processed(tmp_path, 2)
    # Edited in place through a site's hard link, same size: the index's size and time
    # no longer match, the manifest file's hash does not either: processed again.
    cached = cache / first.variants[0].name
    good = _edit_through_a_site_link(cached, tmp_path)
    edited = ImageProcessor(cache, jobs=1)
    assert edited.process_many(srcs) == results
    assert (edited.stats.processed, edited.stats.cached) == (1, 1)
    assert cached.read_bytes() == good
    # Touched only (a backup restored it): the hash in the manifest file says intact,
    # and the index learns the new time, so the next build reads no manifest file.
    os.utime(cache / first.fallback.name, ns=(1, 1))
    reads = _manifest_reads(monkeypatch)
    touched = ImageProcessor(cache, jobs=1)
    assert touched.process_many(srcs) == results
    assert (touched.stats.processed, touched.stats.cached, reads) == (0, 2, [first.digest])
    reads.clear()
    assert ImageProcessor(cache, jobs=1).process_many(srcs) == results
    assert reads == []


def test_a_variant_gone_from_the_cache_is_made_again_despite_the_index(
        tmp_path: Path) -> None:
    srcs, cache, results, first = _processed(tmp_path, 1)
    (cache / first.variants[-1].name).unlink()
    again = ImageProcessor(cache, jobs=1)
    assert again.process_many(srcs) == results
    assert (again.stats.processed, again.stats.cached) == (1, 0)
    assert (cache / first.variants[-1].name).is_file()


def test_a_link_in_the_cache_is_never_a_cached_file(tmp_path: Path) -> None:
    """A pull request can add a symbolic link under the cache folder: followed, it
    would publish (or hang on) whatever it points to."""
    srcs, cache, results, first = _processed(tmp_path, 1)
    variant = cache / first.variants[0].name
    outside = tmp_path / "outside.webp"
    outside.write_bytes(variant.read_bytes())  # same bytes: size and hash match
    written = variant.stat().st_mtime_ns
    os.utime(outside, ns=(written, written))  # and the time the index recorded
    variant.unlink()
    try:
        variant.symlink_to(outside)
    except OSError:
        pytest.skip("this system does not let a test make symbolic links")
    for _ in range(2):  # through the index, then through the manifest file
        again = ImageProcessor(cache, jobs=1)
        assert again.process_many(srcs) == results
        assert (again.stats.processed, again.stats.cached) == (1, 0)
        assert not variant.is_symlink()
        variant.unlink()
        variant.symlink_to(outside)
        (cache / "photo-manifests.json").unlink()


def test_a_damaged_or_forged_index_is_not_trusted(tmp_path: Path) -> None:
    srcs, cache, results, first = _processed(tmp_path, 2)
    index = cache / "photo-manifests.json"
    text = index.read_text("utf-8")
    index.write_text("{not json")
    damaged = ImageProcessor(cache, jobs=1)
    assert damaged.process_many(srcs) == results
    assert (damaged.stats.processed, damaged.stats.cached) == (0, 2)
    assert index.read_text("utf-8") == text  # written again
    # An entry naming a file outside the cache (same size and time as the real one):
    # never used; the manifest file answers.
    outside = tmp_path / "outside.webp"
    real = cache / first.variants[0].name
    outside.write_bytes(real.read_bytes())
    os.utime(outside, ns=(real.stat().st_atime_ns, real.stat().st_mtime_ns))
    index.write_text(text.replace(first.variants[0].name, "../outside.webp"))
    forged = ImageProcessor(cache, jobs=1)
    assert forged.process_many(srcs) == results
    assert (forged.stats.processed, forged.stats.cached) == (0, 2)
    assert "outside" not in index.read_text("utf-8")


def test_a_manifest_without_hashes_does_not_vouch_for_touched_files(tmp_path: Path) -> None:
    """A manifest a pull request slips into the cache folder names no hash: files
    it names that are not as written (another time) are never taken as intact."""
    src = save(tmp_path / "a.png", halves((400, 300), RED, BLUE), "PNG")
    cache = tmp_path / "cache"
    first = ImageProcessor(cache, jobs=1).process(src)
    manifest = cache / "manifests" / f"{first.digest}.json"
    manifest.write_text(re.sub(r'\s*"sha256": "[0-9a-f]+",', "", manifest.read_text()))
    assert "sha256" not in manifest.read_text()
    fallback = cache / first.fallback.name
    fallback.write_bytes(b"\xff" * fallback.stat().st_size)  # same size, a new time
    again = ImageProcessor(cache, jobs=1)
    assert again.process(src) == first
    assert (again.stats.processed, again.stats.cached) == (1, 0)
    assert fallback.read_bytes()[:2] == b"\xff\xd8"  # a JPEG again


@pytest.mark.parametrize("name", ["evil.html", "{stem}-640.svg", "{stem}-640.html",
                                  "{stem}-x.webp", "0000000000000000-128.webp"])
def test_a_manifest_names_only_the_files_the_pipeline_names(tmp_path: Path, name: str) -> None:
    """The photos folder of the site links the variants by the names their manifest
    gives: a manifest a pull request adds (with the hash of a file it adds as well)
    naming "evil.html" would publish a script on the site's origin. Only
    ``<digest's first 16>-<width>.<webp|jpg|png>`` is taken; the photo is processed
    again."""
    src = save(tmp_path / "a.jpg", noise((700, 500)), "JPEG")
    cache = tmp_path / "cache"
    first = ImageProcessor(cache, jobs=1).process(src)
    (cache / "photo-manifests.json").unlink(missing_ok=True)  # the manifest file answers
    manifest = cache / "manifests" / f"{first.digest}.json"
    forged = name.format(stem=first.digest[:16])
    real = first.variants[0].name
    shutil.copy2(cache / real, cache / forged)
    manifest.write_text(manifest.read_text().replace(f'"{real}"', f'"{forged}"'))
    assert forged in manifest.read_text()
    again = ImageProcessor(cache, jobs=1)
    assert again.process(src) == first
    assert (again.stats.processed, again.stats.cached) == (1, 0)
    assert forged not in manifest.read_text()


def test_output_is_deterministic_across_runs_and_processes(tmp_path: Path) -> None:
    srcs = make_sources(tmp_path)
    inline = ImageProcessor(tmp_path / "a", jobs=1)
    pooled = ImageProcessor(tmp_path / "b", jobs=2)

    first = inline.process_many(srcs)
    second = pooled.process_many(srcs)

    assert first == second
    assert pooled.stats.processed == 3
    assert cache_files(tmp_path / "a") == cache_files(tmp_path / "b")
    # 4 webp + jpeg + manifest for each photo; one index of the manifests
    assert len(cache_files(tmp_path / "a")) == 3 * (5 + 1) + 1


def test_second_run_does_no_image_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srcs = make_sources(tmp_path)
    first = ImageProcessor(tmp_path / "cache", jobs=2)
    results = first.process_many(srcs)
    assert (first.stats.processed, first.stats.cached) == (3, 0)

    # A rebuild: new processor, same cache. Opening any image would be work.
    monkeypatch.setattr(images, "opened", None)
    rebuild = ImageProcessor(tmp_path / "cache", jobs=2)
    again = rebuild.process_many(srcs)
    single = rebuild.process(srcs[0])

    assert again == results
    assert single == results[srcs[0]]
    assert (rebuild.stats.processed, rebuild.stats.cached) == (0, 4)


def _age(paths: list[Path], seconds: float = 60) -> None:
    """Sources last modified a while ago, as in a real checkout (not 'racy')."""
    then = time.time() - seconds
    for path in paths:
        os.utime(path, (then, then))


def _record(monkeypatch: pytest.MonkeyPatch, name: str, arg: int) -> list[object]:
    """Argument ``arg`` of each call of ``image_cache.<name>`` from now on."""
    calls: list[object] = []
    real = getattr(image_cache, name)

    def recorded(*args: object) -> object:
        calls.append(args[arg])
        return real(*args)

    monkeypatch.setattr(image_cache, name, recorded)
    return calls


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Source photos read from now on."""
    return _record(monkeypatch, "read_source", 0)


def test_unchanged_sources_are_not_read_again(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    srcs = make_sources(tmp_path)
    _age(srcs)
    results = ImageProcessor(tmp_path / "cache", jobs=1).process_many(srcs)
    reads = _count_reads(monkeypatch)
    assert ImageProcessor(tmp_path / "cache", jobs=1).process_many(srcs) == results
    assert reads == []

    # Written again (same bytes, a new modification time): read and hashed once more.
    srcs[0].write_bytes(srcs[0].read_bytes())
    _age(srcs[:1], 30)
    assert ImageProcessor(tmp_path / "cache", jobs=1).process_many(srcs) == results
    assert reads == [srcs[0]]

    # A file changed moments ago may change again within its timestamp's tick: not
    # trusted by its timestamp on the next run either.
    reads.clear()
    srcs[1].write_bytes(srcs[1].read_bytes())
    for _ in range(2):
        assert ImageProcessor(tmp_path / "cache", jobs=1).process_many(srcs) == results
    assert reads == [srcs[1], srcs[1]]


def test_a_preview_keeps_the_other_sources_indexed(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    srcs = make_sources(tmp_path)
    _age(srcs)
    ImageProcessor(tmp_path / "cache", jobs=1).process_many(srcs)
    ImageProcessor(tmp_path / "cache", jobs=1).process_many(srcs[:1])  # part of it
    srcs[2].unlink()  # a photo removed from the catalogue leaves the index
    reads = _count_reads(monkeypatch)
    ImageProcessor(tmp_path / "cache", jobs=1).process_many(srcs[:2])
    assert reads == []
    index = image_cache.SourceIndex(tmp_path / "cache", ImageSettings())
    assert sorted(index.known) == [str(srcs[0]), str(srcs[1])]


def test_indexed_sources_still_meet_the_size_limit(tmp_path: Path) -> None:
    srcs = make_sources(tmp_path, 1)
    _age(srcs)
    ImageProcessor(tmp_path / "cache", jobs=1).process_many(srcs)
    size = srcs[0].stat().st_size
    small = ImageProcessor(tmp_path / "cache", ImageSettings(max_bytes=size - 1), jobs=1)
    error = small.process_many(srcs)[srcs[0]]
    assert isinstance(error, ImageError)
    assert error.message == f"file is {size:,} bytes, over the size limit of {size - 1:,} bytes"


def test_changed_settings_invalidate_the_cache(tmp_path: Path) -> None:
    srcs = make_sources(tmp_path, 2)
    base = ImageProcessor(tmp_path / "cache", jobs=1)
    before = base.process_many(srcs)

    requality = ImageProcessor(tmp_path / "cache", ImageSettings(webp_quality=60), jobs=1)
    rewidth = ImageProcessor(tmp_path / "cache", ImageSettings(widths=(300, 600)), jobs=1)
    limits_only = ImageProcessor(tmp_path / "cache", ImageSettings(max_bytes=10**7), jobs=1)
    after_q = requality.process_many(srcs)
    after_w = rewidth.process_many(srcs)
    after_l = limits_only.process_many(srcs)

    assert (requality.stats.processed, requality.stats.cached) == (2, 0)
    assert (rewidth.stats.processed, rewidth.stats.cached) == (2, 0)
    assert (limits_only.stats.processed, limits_only.stats.cached) == (0, 2)
    for src in srcs:
        old, new_q, new_w = before[src], after_q[src], after_w[src]
        assert isinstance(old, ProcessedImage) and isinstance(new_q, ProcessedImage)
        assert isinstance(new_w, ProcessedImage)
        assert old.digest != new_q.digest and old.variants[0].name != new_q.variants[0].name
        assert [v.width for v in new_w.variants] == [300, 600]
        assert after_l[src] == old


def test_damaged_cache_is_repaired(tmp_path: Path, proc: ImageProcessor) -> None:
    src = make_sources(tmp_path, 1)[0]
    result = proc.process(src)

    proc.output_path(result.variants[1].name).unlink()
    assert proc.process(src) == result
    proc.output_path(result.fallback.name).write_bytes(b"")  # e.g. after a power cut
    assert proc.process(src) == result
    manifest = proc.cache_dir / "manifests" / f"{result.digest}.json"
    manifest.write_text("{not json")
    assert proc.process(src) == result
    assert (proc.stats.processed, proc.stats.cached) == (4, 0)
    assert proc.process(src) == result
    assert proc.stats.cached == 1


def test_interrupted_write_leaves_no_partial_files(
    tmp_path: Path, proc: ImageProcessor, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = make_sources(tmp_path, 1)[0]
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(a: str, b: str | Path) -> None:
        calls.append(str(b))
        if len(calls) == 2:
            raise KeyboardInterrupt  # the user pressed Ctrl-C mid-build
        real_replace(a, b)

    monkeypatch.setattr(image_cache.os, "replace", failing_replace)
    with pytest.raises(KeyboardInterrupt):
        proc.process(src)
    monkeypatch.setattr(image_cache.os, "replace", real_replace)

    names = [p.name for p in proc.cache_dir.rglob("*") if p.is_file()]
    assert len(names) == 1  # only the one file that was fully written
    assert not [n for n in names if n.endswith(".tmp")]
    assert not list((proc.cache_dir / "manifests").iterdir())

    result = proc.process(src)
    assert proc.stats.processed == 1
    assert_files_match(proc, result)


def test_cache_files_get_ordinary_permissions(tmp_path: Path, proc: ImageProcessor) -> None:
    # The integrator copies these into the site; a 0600 file would not be served.
    ordinary = tmp_path / "ordinary"
    ordinary.write_bytes(b"")
    result = proc.process(make_sources(tmp_path, 1)[0])
    for variant in outputs(result):
        mode = proc.output_path(variant.name).stat().st_mode & 0o777
        assert mode == ordinary.stat().st_mode & 0o777


def test_process_many_collects_every_error(tmp_path: Path) -> None:
    good = make_sources(tmp_path, 2)
    twin = tmp_path / "twin.jpg"
    twin.write_bytes(good[0].read_bytes())
    tiff = save(tmp_path / "t.jpg", Image.new("RGB", (10, 10)), "TIFF")
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(good[1].read_bytes()[:3000])
    missing = tmp_path / "missing.jpg"
    proc = ImageProcessor(tmp_path / "cache", jobs=2)

    results = proc.process_many([*good, twin, tiff, cut, missing, good[0]])

    assert list(results) == [*good, twin, tiff, cut, missing]
    assert isinstance(results[good[0]], ProcessedImage)
    assert results[twin] == results[good[0]]
    for bad, words in ((tiff, "TIFF"), (cut, "truncated"), (missing, "cannot read")):
        err = results[bad]
        assert isinstance(err, ImageError) and err.path == bad and words in err.message
        assert str(err).startswith(str(bad))
    assert (proc.stats.processed, proc.stats.cached, proc.stats.failed) == (2, 1, 3)


def test_process_many_twin_of_broken_file_names_each_path(tmp_path: Path) -> None:
    a = save(tmp_path / "a.jpg", Image.new("RGB", (5, 5)), "TIFF")
    b = tmp_path / "b.jpg"
    b.write_bytes(a.read_bytes())
    proc = ImageProcessor(tmp_path / "cache", jobs=1)

    results = proc.process_many([a, b])

    errors = [results[a], results[b]]
    assert all(isinstance(e, ImageError) for e in errors)
    assert [e.path for e in errors if isinstance(e, ImageError)] == [a, b]


# --- small interface contracts ----------------------------------------------


def test_image_error_survives_pickling() -> None:
    err = ImageError(Path("photos/x.jpg"), "file is empty")
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.path, copy.message, str(copy)) == (
        err.path,
        err.message,
        "photos/x.jpg: file is empty",
    )


def test_settings_key_is_stable_and_sensitive() -> None:
    def key(**changes: object) -> str:
        return ImageSettings(**changes).key()  # type: ignore[arg-type]

    assert key() == key() == ImageSettings().key()
    assert key(widths=(640, 320)) == key(widths=(320, 640))
    assert len({key(), key(webp_quality=60), key(jpeg_quality=60), key(widths=(320,))}) == 4
    assert key(max_bytes=1) == key() and key(max_pixels=1) == key()
    with pytest.raises(ValueError):
        ImageSettings(widths=())
    with pytest.raises(ValueError):
        ImageSettings(webp_quality=0)
    with pytest.raises(ValueError):
        ImageProcessor(Path("x"), jobs=0)


def test_check_image_writes_nothing(tmp_path: Path) -> None:
    src = save(tmp_path / "p.png", noise((900, 700)), "PNG")
    before = sorted(tmp_path.rglob("*"))
    assert check_image(src) == (900, 700)
    assert sorted(tmp_path.rglob("*")) == before


def test_a_look_at_the_cache_spares_the_build_every_status(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``stamps`` (taken in a process of its own as a build begins) found the sources
    and variant files as the indexes say: the build asks the file system nothing of
    them, and finds what it finds without the look."""
    srcs = make_sources(tmp_path)
    _age(srcs)
    cache = tmp_path / "cache"
    results = ImageProcessor(cache, jobs=1).process_many(srcs)
    stamps = image_cache.stamps(cache, ImageSettings())
    assert stamps.unchanged == {str(src) for src in srcs}
    assert set(stamps.untouched) == {r.digest for r in results.values()}  # type: ignore[union-attr]
    looked = _record(monkeypatch, "_sized_file", 0)
    real_stat = os.stat
    asked: list[object] = []
    monkeypatch.setattr(image_cache.os, "stat",
                        lambda p, *a, **k: asked.append(p) or real_stat(p, *a, **k))
    again = ImageProcessor(cache, jobs=1)
    assert again.process_many(srcs, stamps) == results
    assert (again.stats.cached, looked, [p for p in asked if Path(p) in srcs]) == (3, [], [])


def test_a_look_at_other_indexes_is_not_taken(tmp_path: Path) -> None:
    srcs = make_sources(tmp_path)
    _age(srcs)
    cache = tmp_path / "cache"
    results = ImageProcessor(cache, jobs=1).process_many(srcs[:2])
    stamps = image_cache.stamps(cache, ImageSettings())
    # Another build since (the indexes rewritten), and a variant edited in place
    # through a site's hard link: the look no longer describes the cache.
    ImageProcessor(cache, jobs=1).process_many(srcs)
    first = results[srcs[0]]
    assert isinstance(first, ProcessedImage)
    cached = cache / first.variants[0].name
    good = _edit_through_a_site_link(cached, tmp_path)
    again = ImageProcessor(cache, jobs=1)
    assert again.process_many(srcs[:2], stamps) == results
    assert (again.stats.processed, again.stats.cached) == (1, 1)
    assert cached.read_bytes() == good


def test_a_build_looks_at_a_big_cache_in_a_process_of_its_own(
        mini_project: Path, fixed_date: None, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    from conftest import snapshot

    from generator.adapter.publish import build_site

    monkeypatch.setenv("OCOP_PAGE_CACHE", "0")
    monkeypatch.setenv("OCOP_WORKERS", "2")  # one process asked for: no look
    first = snapshot(build_site(mini_project / "mkdocs.yml", tmp_path / "first"))
    given: list[object] = []
    real = ImageProcessor.process_many
    monkeypatch.setattr(ImageProcessor, "process_many",
                        lambda self, srcs, stamps=None: given.append(stamps) or real(
                            self, srcs, stamps))
    monkeypatch.setattr(image_cache, "STAMPS_FROM_BYTES", 0)
    looked = _record(monkeypatch, "_sized_file", 0)  # in this process, not the look's
    assert snapshot(build_site(mini_project / "mkdocs.yml", tmp_path / "again")) == first
    assert len(given) == 1 and isinstance(given[0], image_cache.Stamps)
    assert given[0].untouched and looked == []  # taken: no variant file looked at again
    monkeypatch.setattr(image_cache, "STAMPS_FROM_BYTES", 1 << 40)
    given.clear()
    build_site(mini_project / "mkdocs.yml", tmp_path / "small")
    assert given == [None]


def test_index_files_nested_too_deep_for_json_are_indexes_not_read(tmp_path: Path) -> None:
    """The cache folder is in a checkout a pull request can add files to: JSON nested
    deeper than the parser goes is a damaged index (every photo checked or made
    again), and a look at it says nothing, never a crash."""
    srcs, cache, results, first = _processed(tmp_path, 2)
    deep = "[" * 200_000 + "]" * 200_000
    manifests = json.loads((cache / "photo-manifests.json").read_text(encoding="utf-8"))
    manifests["manifests"][first.digest] = deep  # one line of the index
    (cache / "photo-manifests.json").write_text(json.dumps(manifests), encoding="utf-8")
    assert first.digest not in image_cache.stamps(cache, ImageSettings()).untouched
    again = ImageProcessor(cache, jobs=1)
    assert again.process_many(srcs) == results
    assert (again.stats.processed, again.stats.cached) == (0, 2)  # its manifest file read
    (cache / "photo-index.json").write_text(deep, encoding="utf-8")
    (cache / "photo-manifests.json").write_text(deep, encoding="utf-8")
    look = image_cache.stamps(cache, ImageSettings())
    assert (look.sources, look.unchanged, look.manifests, look.untouched) == ("", set(), "", {})
    assert ImageProcessor(cache, jobs=1).process_many(srcs) == results
