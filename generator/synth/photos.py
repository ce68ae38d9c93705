"""Camera-like photos for synthetic catalogues and the photo benchmark.

A phone photo of a product costs the photo pipeline far more than a flat drawing:
its detail and sensor noise make every encoder work. These pictures imitate that
cheaply and deterministically: value noise in four octaves (the 1/f spectrum of
natural images), a product-shaped blob, a slight blur and grain, saved as a JPEG
at a camera's quality.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

#: (cells across, weight) of each noise octave, coarse to fine.
_OCTAVES = ((3, 0.45), (12, 0.25), (48, 0.15), (192, 0.1))


def camera_photo(seed: str, size: tuple[int, int] = (1200, 900), quality: int = 88) -> bytes:
    """A deterministic JPEG of ``size`` with the statistics of a photograph."""
    rng = random.Random(seed)
    width, height = size
    picture: Image.Image | None = None
    for cells, weight in _OCTAVES:
        across, down = cells, max(1, cells * height // width)
        noise = Image.frombytes("RGB", (across, down), rng.randbytes(3 * across * down))
        layer = noise.resize(size, Image.Resampling.BICUBIC)
        picture = layer if picture is None else Image.blend(picture, layer,
                                                            weight / (weight + 0.5))
    assert picture is not None
    draw = ImageDraw.Draw(picture)
    box = (width // 4, height // 5, width * 3 // 4, height * 4 // 5)
    ink = tuple(rng.randint(20, 200) for _ in range(3))
    if rng.random() < 0.5:
        draw.ellipse(box, fill=ink)
    else:
        draw.rounded_rectangle(box, radius=max(2, width // 20), fill=ink)
    picture = picture.filter(ImageFilter.GaussianBlur(1.2))
    # Sensor grain from the seeded generator (Image.effect_noise is not reproducible).
    grain = Image.frombytes("L", size, rng.randbytes(width * height)).convert("RGB")
    picture = Image.blend(picture, grain, 0.06)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality)
    return out.getvalue()
