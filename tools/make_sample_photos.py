#!/usr/bin/env python3
"""Draw the illustrative photos and logos of the sample catalogue.

The sample producers and products are invented, so their "photos" are simple
drawings: a background coloured by OCOP product group, a shape hinting at the
packaging (jar, bottle, bag, cloth ...) or a landscape, and the product name
written with a font that has Vietnamese glyphs. Logos are round badges with
the producer's initials.

The script reads the YAML records to learn which files to make:

* ``products/<producer>/producer.yaml`` -> ``logo`` (PNG, 256 x 256);
* ``products/<producer>/<product>.yaml`` -> every ``photos[].file``
  (JPEG 800 x 600, kept under about 40 KB).

It needs only Pillow and PyYAML, never touches the network and is
deterministic: the same records always give byte-identical files. By default
it only creates missing files, so real photos that staff put in place of a
sample are never overwritten; ``--force`` redraws every referenced file (a
file is rewritten only when its bytes change). ``--check`` makes nothing and
exits with status 1 when a referenced file is missing.

Usage::

    python tools/make_sample_photos.py [--force | --check] [REPO_ROOT]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

PHOTO_SIZE = (800, 600)
LOGO_SIZE = 256
MAX_JPEG_BYTES = 40_000
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}

#: Sub-group id (``category``) -> product group, after Decision 148/QĐ-TTg.
GROUP_OF_CATEGORY = {
    "nong-san-tuoi-song": "food",
    "nong-san-so-che": "food",
    "thuc-pham-che-bien": "food",
    "gia-vi": "food",
    "che": "food",
    "ca-phe-ca-cao": "food",
    "do-uong-co-con": "drinks",
    "do-uong-khong-con": "drinks",
    "thuc-pham-chuc-nang-duoc-lieu": "herbs",
    "my-pham-thao-duoc": "herbs",
    "tinh-dau-thao-duoc-khac": "herbs",
    "thu-cong-gia-dung-trang-tri": "crafts",
    "vai-may-mac": "crafts",
    "hoa": "ornamental",
    "cay-canh": "ornamental",
    "dong-vat-canh": "ornamental",
    "du-lich-nong-thon": "tourism",
}

#: Group -> (background, panel, accent) colours.
PALETTES = {
    "food": ((196, 112, 46), (243, 221, 186), (120, 62, 20)),
    "drinks": ((38, 110, 150), (204, 230, 240), (18, 64, 92)),
    "herbs": ((62, 128, 74), (214, 236, 206), (28, 80, 40)),
    "crafts": ((142, 48, 82), (240, 214, 224), (90, 22, 50)),
    "ornamental": ((112, 140, 40), (232, 240, 200), (60, 80, 16)),
    "tourism": ((40, 120, 120), (206, 236, 232), (16, 72, 72)),
    "other": ((110, 110, 110), (228, 228, 228), (60, 60, 60)),
}

#: Words in a product name or packaging -> the shape drawn for it.
SHAPE_WORDS = [
    ("cloth", ("khăn", "xà rông", "lụa", "vải", "thổ cẩm", "áo")),
    ("bag", ("túi xách",)),
    ("can", ("lon",)),
    ("bottle", ("chai", "rượu", "vang", "nước mắm", "tinh dầu", "mật ong")),
    ("fruit", ("xoài", "trái", "quả", "nấm")),
    ("jar", ("hũ", "mắm", "tương", "tiêu", "chà bông", "đường")),
    ("box", ("hộp", "trà", "bánh", "kẹo", "linh chi")),
    ("bag", ("túi", "gạo", "nếp", "khô", "mực", "chuối", "lạp xưởng")),
]

#: Leading words of a producer name that say what kind of body it is.
NAME_PREFIXES = (
    "công ty cổ phần", "công ty tnhh mtv", "công ty tnhh", "công ty", "hợp tác xã nông nghiệp",
    "hợp tác xã", "tổ hợp tác", "hộ kinh doanh", "cơ sở sản xuất", "cơ sở", "doanh nghiệp tư nhân",
)


@dataclass(frozen=True)
class Job:
    """One image to make."""

    path: Path
    kind: str  # "photo" or "logo"
    title: str
    subtitle: str
    group: str
    shape: str
    index: int


def nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text or ""))


def seed_of(*parts: str) -> int:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def load_font(size: int, bold: bool = False) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for candidate in (FONT_DIR / name, FONT_DIR / "DejaVuSans.ttf"):
        if candidate.is_file():
            return ImageFont.truetype(str(candidate), size)
    return ImageFont.load_default(size=size)


def read_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return data if isinstance(data, dict) else {}


def safe_target(folder: Path, name: object) -> Path | None:
    """The file ``name`` inside ``folder``, or None if it is not a plain file name."""
    text = nfc(name)
    if not text or "/" in text or "\\" in text or text.startswith("."):
        return None
    if Path(text).suffix.lower() not in PHOTO_SUFFIXES:
        return None
    return folder / text


def shape_for(name: str, packaging: str, category: str) -> str:
    text = f"{name} {packaging}".lower()
    if category in ("vai-may-mac",):
        return "cloth"
    for shape, words in SHAPE_WORDS:
        if any(word in text for word in words):
            return shape
    return "box"


def collect_jobs(root: Path) -> list[Job]:
    jobs: list[Job] = []
    products_dir = root / "products"
    if not products_dir.is_dir():
        return jobs
    for folder in sorted(p for p in products_dir.iterdir() if p.is_dir() and not p.is_symlink()):
        producer_file = folder / "producer.yaml"
        producer = read_yaml(producer_file) if producer_file.is_file() else {}
        producer_name = nfc(producer.get("name")) or folder.name
        logo = safe_target(folder, producer.get("logo")) if producer.get("logo") else None
        if logo is not None:
            jobs.append(Job(logo, "logo", producer_name, "", "other", "logo", 0))
        for record in sorted(folder.glob("*.yaml")):
            if record.name == "producer.yaml" or record.is_symlink():
                continue
            product = read_yaml(record)
            category = nfc(product.get("category"))
            group = GROUP_OF_CATEGORY.get(category, "other")
            name = nfc(product.get("name")) or record.stem
            shape = shape_for(name, nfc(product.get("packaging")), category)
            photos = product.get("photos") or []
            for index, photo in enumerate(photos, start=1):
                if not isinstance(photo, dict):
                    continue
                target = safe_target(folder, photo.get("file"))
                if target is not None:
                    jobs.append(Job(target, "photo", name, producer_name, group, shape, index))
    return jobs


# ------------------------------------------------------------------ drawing


def wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def draw_object(draw: ImageDraw.ImageDraw, shape: str, box: tuple[int, int, int, int],
                colours: tuple, rng: random.Random) -> None:
    bg, panel, accent = colours
    x0, y0, x1, y1 = box
    cx = (x0 + x1) // 2
    light = mix(bg, (255, 255, 255), 0.35)
    if shape == "jar":
        draw.rounded_rectangle((cx - 95, y0 + 60, cx + 95, y1), radius=28, fill=light,
                               outline=accent, width=5)
        draw.rectangle((cx - 80, y0 + 25, cx + 80, y0 + 62), fill=accent)
        draw.rectangle((cx - 95, y0 + 130, cx + 95, y0 + 200), fill=panel)
        draw.ellipse((cx - 22, y0 + 143, cx + 22, y0 + 187), outline=accent, width=4)
    elif shape == "bottle":
        draw.rounded_rectangle((cx - 60, y0 + 90, cx + 60, y1), radius=22, fill=light,
                               outline=accent, width=5)
        draw.rectangle((cx - 20, y0 + 20, cx + 20, y0 + 95), fill=light, outline=accent, width=5)
        draw.rectangle((cx - 24, y0 + 8, cx + 24, y0 + 30), fill=accent)
        draw.rectangle((cx - 60, y0 + 150, cx + 60, y0 + 215), fill=panel)
    elif shape == "can":
        for dx in (-90, 90):
            draw.rounded_rectangle((cx + dx - 55, y0 + 50, cx + dx + 55, y1), radius=14, fill=light,
                                   outline=accent, width=5)
            draw.rectangle((cx + dx - 55, y0 + 110, cx + dx + 55, y0 + 170), fill=panel)
    elif shape == "bag":
        draw.polygon([(cx - 110, y0 + 40), (cx + 110, y0 + 40), (cx + 130, y1), (cx - 130, y1)],
                     fill=light, outline=accent)
        draw.rectangle((cx - 110, y0 + 30, cx + 110, y0 + 52), fill=accent)
        draw.rectangle((cx - 90, y0 + 110, cx + 90, y0 + 190), fill=panel)
    elif shape == "box":
        draw.rectangle((cx - 140, y0 + 50, cx + 140, y1), fill=light, outline=accent, width=5)
        draw.polygon([(cx - 140, y0 + 50), (cx - 100, y0 + 15), (cx + 180, y0 + 15),
                      (cx + 140, y0 + 50)],
                     fill=mix(light, (255, 255, 255), 0.3), outline=accent)
        draw.rectangle((cx - 100, y0 + 100, cx + 100, y0 + 180), fill=panel)
    elif shape == "fruit":
        for _ in range(5):
            r = rng.randint(45, 70)
            fx = rng.randint(x0 + r, x1 - r)
            fy = rng.randint(y0 + r + 20, y1 - r)
            draw.ellipse((fx - r, fy - r, fx + r, fy + r), fill=light, outline=accent, width=4)
    elif shape == "cloth":
        band = 26
        for i, y in enumerate(range(y0 + 20, y1, band)):
            fill = (accent, panel, light)[i % 3]
            draw.rectangle((x0 + 40, y, x1 - 40, y + band - 4), fill=fill)
        for x in range(x0 + 70, x1 - 60, 60):
            ym = (y0 + y1) // 2
            draw.polygon([(x, ym - 24), (x + 24, ym), (x, ym + 24), (x - 24, ym)], fill=bg)
    else:
        draw.ellipse((cx - 110, y0 + 20, cx + 110, y1), fill=light, outline=accent, width=5)


def draw_scene(draw: ImageDraw.ImageDraw, colours: tuple, rng: random.Random) -> None:
    """A second photo: a landscape (sun, hills, palm trees) in the group's colours."""
    bg, panel, accent = colours
    width, _ = PHOTO_SIZE
    draw.rectangle((0, 0, width, 300), fill=mix(panel, (255, 255, 255), 0.4))
    draw.ellipse((600, 50, 700, 150), fill=(250, 210, 90))
    hills = mix(bg, (40, 90, 40), 0.5)
    draw.polygon([(0, 330), (180, 150), (360, 330)], fill=hills)
    draw.polygon([(240, 330), (460, 190), (680, 330)], fill=mix(hills, (0, 0, 0), 0.2))
    draw.rectangle((0, 320, width, 450), fill=mix(bg, (255, 255, 255), 0.2))
    for _ in range(4):
        x = rng.randint(60, width - 60)
        draw.line((x, 420, x + 6, 250), fill=accent, width=8)
        for dx, dy in ((-50, -10), (50, -10), (-35, 25), (35, 25), (0, -40)):
            draw.line((x + 6, 250, x + 6 + dx, 250 + dy), fill=accent, width=7)


def render_photo(job: Job) -> bytes:
    colours = PALETTES.get(job.group, PALETTES["other"])
    bg, panel, accent = colours
    rng = random.Random(seed_of(job.path.parent.name, job.path.name, job.title))
    image = Image.new("RGB", PHOTO_SIZE, bg)
    draw = ImageDraw.Draw(image)
    if job.index % 2 == 0:
        draw_scene(draw, colours, rng)
    else:
        draw.rounded_rectangle((40, 30, 760, 440), radius=24, fill=mix(bg, panel, 0.25))
        draw_object(draw, job.shape, (200, 50, 600, 420), colours, rng)
    # caption band
    draw.rectangle((0, 450, PHOTO_SIZE[0], PHOTO_SIZE[1]), fill=accent)
    title_font = load_font(38, bold=True)
    small_font = load_font(20)
    lines = wrap(draw, job.title, title_font, 740)[:2]
    y = 462 if len(lines) == 2 else 480
    for line in lines:
        draw.text((30, y), line, font=title_font, fill=(255, 255, 255))
        y += 46
    if job.subtitle:
        draw.text((30, 566), job.subtitle[:70], font=small_font, fill=panel)
    draw.rounded_rectangle((626, 10, 786, 42), radius=8, fill=accent)
    draw.text((640, 14), "Ảnh minh họa", font=small_font, fill=(255, 255, 255))
    for quality in (72, 62, 52, 42, 32):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True)
        if buffer.tell() <= MAX_JPEG_BYTES:
            break
    return buffer.getvalue()


def initials(name: str) -> str:
    lowered = name.lower()
    for prefix in NAME_PREFIXES:
        if lowered.startswith(prefix + " "):
            name = name[len(prefix) + 1:]
            break
    letters = [word[0] for word in name.split() if word[0].isalpha()]
    return "".join(letters[:3]).upper() or "?"


def render_logo(job: Job) -> bytes:
    rng = random.Random(seed_of("logo", job.path.parent.name, job.title))
    hue_colours = [c[0] for c in PALETTES.values()]
    ring = hue_colours[rng.randrange(len(hue_colours))]
    image = Image.new("RGB", (LOGO_SIZE, LOGO_SIZE), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, LOGO_SIZE - 8, LOGO_SIZE - 8), fill=ring)
    draw.ellipse((26, 26, LOGO_SIZE - 26, LOGO_SIZE - 26), fill=(255, 255, 255))
    draw.ellipse((40, 40, LOGO_SIZE - 40, LOGO_SIZE - 40), fill=ring)
    text = initials(job.title)
    font = load_font(72 if len(text) < 3 else 58, bold=True)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(((LOGO_SIZE - (right - left)) / 2 - left, (LOGO_SIZE - (bottom - top)) / 2 - top),
              text, font=font, fill=(255, 255, 255))
    palette_image = image.quantize(colors=32, method=Image.Quantize.MEDIANCUT,
                                   dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette_image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def render(job: Job) -> bytes:
    return render_logo(job) if job.kind == "logo" else render_photo(job)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parent.parent),
                        help="repository root (default: the folder above tools/)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--force", action="store_true", help="redraw every referenced image")
    mode.add_argument("--check", action="store_true", help="only report missing images")
    args = parser.parse_args(argv)

    root = Path(args.root).resolve()
    jobs = collect_jobs(root)
    missing = [job for job in jobs if not job.path.exists()]
    if args.check:
        for job in missing:
            print(f"missing: {job.path.relative_to(root)}")
        return 1 if missing else 0

    written = 0
    for job in jobs if args.force else missing:
        if job.path.is_symlink():
            print(f"skipped symlink: {job.path.relative_to(root)}", file=sys.stderr)
            continue
        data = render(job)
        if job.path.exists() and job.path.read_bytes() == data:
            continue
        job.path.write_bytes(data)
        written += 1
    total = sum(job.path.stat().st_size for job in jobs if job.path.exists())
    print(f"{len(jobs)} images referenced, {written} written, {total:,} bytes in total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
