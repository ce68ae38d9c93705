"""Synthetic catalogues: a complete, valid project of any size, for benchmarks and tests.

``ocop synth --products 20000 --producers 9000 --points-of-sale 700 --fairs 300
--seed 1 --out DIR`` writes ``DIR/products/…`` (producer.yaml, product files and one
small JPEG each), ``DIR/content/points-of-sale``, ``DIR/content/fairs``, a home page
and ``DIR/mkdocs.yml`` that uses this repository's theme and the ``ocop`` plugin.

Proportions follow OCOP-FACTS.md: about 75 % three-star, 24 % four-star, 1 %
five-star; most certificates valid, some expiring, expired or revoked; producers
32 % cooperatives, 22 % enterprises, 32 % households, the rest cooperative groups;
mostly food. Names are built from real Vietnamese parts ("Mắm cá linh", "Đường thốt
nốt", "Gạo ST25" …) so that search at scale meets realistic words. The same options
and seed always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

from ..source.certificates import add_months
from ..vietnamese import slugify
from .geo import POINT_OF_SALE_SHARE, PRODUCER_SHARE, location_lines
from .names import commune_names, person, producer_name, short_place, unique
from .photos import camera_photo
from .project import HOME, copy_pages, mkdocs_yml
from .vocabulary import (
    BRANDS,
    COMMUNES_PER_PROVINCE,
    DESCRIPTION_SENTENCES,
    KINDS,
    PLACE_PARTS,
    POINT_OF_SALE_KINDS,
    PRODUCER_TYPES,
    PROVINCES,
    QUALIFIERS,
    STANDARDS,
    STAR_WEIGHTS,
    STATUS_WEIGHTS,
)

SCHEMA_LINE = "# yaml-language-server: $schema=../../generator/schemas/{}.schema.json\n"


@dataclass(frozen=True)
class SynthOptions:
    """What to generate."""

    products: int
    producers: int
    points_of_sale: int = 0
    fairs: int = 0
    seed: int = 1
    #: Number of provinces; 0 = one for at most 2,000 products, else all 34.
    provinces: int = 0
    #: Certificates are dated relative to this day (the build date of the site).
    today: dt.date = dt.date(2026, 11, 18)
    #: Camera-like photos of this size (``synth.photos``); None: one small drawing each.
    photo_size: tuple[int, int] | None = None
    #: How many photos a product gets, at least and at most (camera-like photos only).
    photos: tuple[int, int] = (1, 1)
    #: Length of each product's description in words, at least and at most; None: two
    #: short lines (the shape benchmarks used before issue 17).
    words: tuple[int, int] | None = None
    #: The shape of a real catalogue (issue 17): every official commune of a province
    #: may have producers, no producer has more than 30 products, and one product in ten
    #: has a certificate history. Descriptions and photos are set by the options above.
    realistic: bool = False

    def province_count(self) -> int:
        if self.provinces:
            return max(1, min(self.provinces, len(PROVINCES)))
        return 1 if self.products <= 2000 else len(PROVINCES)


@dataclass
class _Producer:
    id: str
    name: str
    type: str
    province: str
    commune: str
    kind: str
    brand: str
    products: list[str] = field(default_factory=list)


@dataclass
class SynthSummary:
    """What was written."""

    products: int
    producers: int
    points_of_sale: int
    fairs: int
    provinces: int
    communes: int
    stars: dict[int, int]
    statuses: dict[str, int]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...] | list) -> str:
    values = [v for v, _ in weighted]
    return rng.choices(values, weights=[w for _, w in weighted])[0]


def _photo(seed_text: str) -> bytes:
    """A small deterministic JPEG: a coloured ground, a product shape and a label band."""
    local = random.Random(seed_text)
    width = local.randint(64, 200)
    height = max(48, width * 3 // 4)
    ground = tuple(local.randint(150, 245) for _ in range(3))
    ink = tuple(local.randint(20, 140) for _ in range(3))
    image = Image.new("RGB", (width, height), ground)
    draw = ImageDraw.Draw(image)
    box = (width // 5, height // 6, width * 4 // 5, height * 5 // 6)
    if local.random() < 0.5:
        draw.ellipse(box, fill=ink)
    else:
        draw.rounded_rectangle(box, radius=max(2, width // 12), fill=ink)
    draw.rectangle((0, height * 5 // 6, width, height), fill=tuple(255 - c for c in ink))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=75)
    return out.getvalue()


def _rating(rng: random.Random, stars: int, status: str, today: dt.date) -> list[str]:
    """YAML lines of the ``ocop:`` mapping for a wanted star level and status."""
    low = {3: 50, 4: 70, 5: 90}[stars]
    score = rng.randint(low, low + (10 if stars == 5 else 19))
    if status == "expiring":
        expires = today + dt.timedelta(days=rng.randint(5, 85))
        issued = add_months(expires, -36)
    elif status == "expired":
        expires = today - dt.timedelta(days=rng.randint(1, 900))
        issued = add_months(expires, -36)
    else:
        # Valid for at least another 100 days on ``today``.
        latest_start = (today - add_months(today, -36)).days - 100
        issued = today - dt.timedelta(days=rng.randint(0, latest_start))
    if stars == 5:
        level, authority = "central", "QĐ-BNNMT"
    elif stars == 4 or issued >= dt.date(2025, 7, 1):
        level, authority = "province", "QĐ-UBND"
    else:
        level, authority = "district", "QĐ-UBND"
    lines = ["ocop:", f"  stars: {stars}", f"  score: {score}", f"  level: {level}",
             f"  decision: {_q(f'{rng.randint(12, 3999)}/{authority}')}",
             f"  issued: {issued.isoformat()}"]
    if status == "revoked":
        revoked = issued + dt.timedelta(days=rng.randint(30, max(31, (today - issued).days)))
        revoked = min(revoked, today)
        lines += ["  revoked:", f"    date: {revoked.isoformat()}",
                  f"    decision: {_q(f'{rng.randint(12, 3999)}/QĐ-UBND')}",
                  f"    reason: {_q('Không duy trì chất lượng sản phẩm theo tiêu chuẩn công bố')}"]
    return lines


def _long_text(rng: random.Random, words: int, name: str, place: str, producer: str) -> str:
    """Paragraphs of about ``words`` words, Markdown as staff write it (bold, a list)."""
    sentences: list[str] = []
    count = 0
    while count < words:
        sentence = rng.choice(DESCRIPTION_SENTENCES).format(name=name, place=place,
                                                             producer=producer)
        sentences.append(sentence)
        count += len(sentence.split())
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
    paragraphs[0] = paragraphs[0].replace(name, f"**{name}**", 1)
    if len(paragraphs) > 2:
        paragraphs.insert(2, "\n".join(f"- {s}" for s in sentences[:2]))
    return "\n\n".join(paragraphs)


#: A real catalogue's producers have 1-30 products (most 1-4).
MAX_PRODUCTS_PER_PRODUCER = 30
#: Share of products with more than one certificate in the realistic shape.
HISTORY_SHARE = 0.1


def _cap(rng: random.Random, owners: list[int], producers: int, cap: int) -> list[int]:
    """Products over ``cap`` for one producer moved to small producers (fewer than 5
    products when there are such, else fewer than ``cap``)."""
    counts = [0] * producers
    for owner in owners:
        counts[owner] += 1
    out = []
    for owner in owners:
        if counts[owner] > cap:
            small = ([p for p in range(producers) if counts[p] < 5]
                     or [p for p in range(producers) if counts[p] < cap])
            if small:
                counts[owner] -= 1
                owner = rng.choice(small)
                counts[owner] += 1
        out.append(owner)
    return out


def _history(rng: random.Random, stars: int, status: str, today: dt.date) -> list[str]:
    """``certificates:`` with an older certificate (often fewer stars) before the one
    ``_rating`` makes: an upgrade or a renewal."""
    current = _rating(rng, stars, status, today)
    issued = dt.date.fromisoformat(next(line.split(": ")[1] for line in current
                                        if line.startswith("  issued: ")))
    old_issued = add_months(issued, -36) - dt.timedelta(days=rng.randint(0, 300))
    old_stars = max(3, stars - (1 if rng.random() < 0.4 else 0))
    low = {3: 50, 4: 70, 5: 90}[old_stars]
    older = ["ocop:", f"  stars: {old_stars}", f"  score: {rng.randint(low, low + 9)}",
             f"  decision: {_q(f'{rng.randint(12, 3999)}/QĐ-UBND')}",
             f"  issued: {old_issued.isoformat()}"]
    return ["certificates:", *_as_item(older), *_as_item(current)]


def _as_item(lines: list[str]) -> list[str]:
    """The fields of an ``ocop:`` block as one item of ``certificates:``."""
    out = []
    for i, line in enumerate(lines[1:]):
        indent = len(line) - len(line.lstrip())
        out.append(" " * indent + ("- " if i == 0 else "  ") + line.lstrip())
    return out


def _block(text: str) -> list[str]:
    return ["description: |", *(f"  {line}" if line else "" for line in text.splitlines())]


def synthesize(out: Path, options: SynthOptions) -> SynthSummary:
    """Write a synthetic project into ``out`` (which must be empty or missing)."""
    if options.products < 1 or options.producers < 1:
        raise ValueError("need at least one product and one producer")
    if options.producers > options.products:
        raise ValueError("every producer needs a product: --producers must be at most "
                         "--products")
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise ValueError(f"{out} is not empty")
    rng = random.Random(options.seed)
    today = options.today

    # Places: provinces, then communes per province (only those with producers show up).
    provinces = PROVINCES[:options.province_count()]
    per_province = (10_000 if options.realistic  # all of them
                    else 102 if len(provinces) == 1 else COMMUNES_PER_PROVINCE)
    communes = {p: commune_names(rng, p, per_province) for p in provinces}
    province_weights = [rng.uniform(0.5, 2.0) for _ in provinces]

    kinds = list(KINDS)
    kind_weights = [KINDS[k][0] for k in kinds]
    taken_producers: set[str] = set()
    producers: list[_Producer] = []
    for _ in range(options.producers):
        province = rng.choices(provinces, weights=province_weights)[0]
        commune = rng.choice(communes[province])
        kind = rng.choices(kinds, weights=kind_weights)[0]
        ptype = _pick(rng, PRODUCER_TYPES)
        brand = rng.choice(BRANDS)
        name = producer_name(rng, kind, ptype, short_place(commune), brand)
        pid = unique(slugify(name), taken_producers)
        producers.append(_Producer(pid, name, ptype, province, commune, kind, brand))

    # Every producer gets one product; the rest go to a few producers more than others.
    owners = list(range(len(producers)))
    weights = [rng.paretovariate(1.6) for _ in producers]
    owners += rng.choices(range(len(producers)), weights=weights,
                          k=options.products - len(producers))
    if options.realistic:
        owners = _cap(rng, owners, len(producers), MAX_PRODUCTS_PER_PRODUCER)
    rng.shuffle(owners)

    taken_products: set[str] = set()
    stars_count: dict[int, int] = defaultdict(int)
    status_count: dict[str, int] = defaultdict(int)
    folders: dict[str, Path] = {}
    for owner in owners:
        producer = producers[owner]
        kind = producer.kind if rng.random() < 0.8 else rng.choices(kinds, kind_weights)[0]
        _, (low, high), units, bases = KINDS[kind]
        name = rng.choice(bases)
        if rng.random() < 0.35:
            name += " " + rng.choice(QUALIFIERS)
        roll = rng.random()
        if roll < 0.5:
            name += " " + short_place(producer.commune)
        elif roll < 0.75:
            name += " " + producer.brand
        product_id = unique(slugify(name), taken_products)
        producer.products.append(product_id)
        stars = int(_pick(rng, STAR_WEIGHTS))
        status = _pick(rng, STATUS_WEIGHTS)
        stars_count[stars] += 1
        status_count[status] += 1
        folder = folders.get(producer.id)
        if folder is None:
            folder = folders[producer.id] = out / "products" / producer.id
            folder.mkdir(parents=True)
        photo_lines = []
        count = rng.randint(*options.photos) if options.photo_size else 1
        for n in range(1, count + 1):
            photo = f"{product_id}.jpg" if count == 1 else f"{product_id}-{n}.jpg"
            seed = f"{options.seed}:{product_id}:{n}"
            (folder / photo).write_bytes(camera_photo(seed, options.photo_size)
                                         if options.photo_size else _photo(seed))
            photo_lines += [f"  - file: {photo}", f"    alt: {_q(f'Ảnh {n} của {name}')}"]
        place = short_place(producer.commune)
        description = (
            f"{name} là đặc sản của {place}, {producer.province}, do {producer.name} "
            f"sản xuất theo quy trình {rng.choice(('truyền thống', 'khép kín', 'hữu cơ'))}.\n"
            f"Sản phẩm được đánh giá, phân hạng OCOP {stars} sao."
        )
        if options.words:
            description += "\n\n" + _long_text(rng, rng.randint(*options.words), name, place,
                                                producer.name)
        lines = [SCHEMA_LINE.format("product").rstrip("\n"), f"name: {_q(name)}",
                 f"category: {kind}",
                 *(_history(rng, stars, status, today)
                   if options.realistic and rng.random() < HISTORY_SHARE
                   else _rating(rng, stars, status, today)),
                 "photos:", *photo_lines,
                 *_block(description)]
        if rng.random() < 0.95:
            amount = rng.randint(low, high) * 1000
            lines += ["price:", f"  amount: {amount}", f"  unit: {_q(rng.choice(units))}"]
        if rng.random() < 0.3:
            lines.append(f"standards: [{_q(rng.choice(STANDARDS))}]")
        (folder / f"{product_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    for producer in producers:
        lines = [SCHEMA_LINE.format("producer").rstrip("\n"), f"name: {_q(producer.name)}",
                 f"type: {producer.type}", "address:",
                 f"  street: {_q('Ấp ' + rng.choice(PLACE_PARTS) + ' ' + rng.choice(PLACE_PARTS))}",
                 f"  commune: {_q(producer.commune)}", f"  province: {_q(producer.province)}",
                 *location_lines(options.seed, producer.id, producer.province, producer.commune,
                                 PRODUCER_SHARE),
                 "contacts:",
                 f"  phone: \"0{rng.randint(200, 299)} {rng.randint(1000, 9999)} "
                 f"{rng.randint(100, 999)}\"",
                 f"representative: {_q(person(rng))}"]
        if rng.random() < 0.4:
            lines += ["supplier:", f"  wholesale: {'true' if rng.random() < 0.6 else 'false'}",
                      f"  standards: [{_q(rng.choice(STANDARDS))}]"]
        (folders[producer.id] / "producer.yaml").write_text("\n".join(lines) + "\n",
                                                              encoding="utf-8")

    by_province: dict[str, list[_Producer]] = defaultdict(list)
    for producer in producers:
        by_province[producer.province].append(producer)
    pos_dir = out / "content" / "points-of-sale"
    pos_dir.mkdir(parents=True)
    taken_pos: set[str] = set()
    for _ in range(options.points_of_sale):
        province = rng.choices(provinces, weights=province_weights)[0]
        local = by_province.get(province) or producers
        kind = _pick(rng, POINT_OF_SALE_KINDS)
        commune = rng.choice(communes[province])
        place = short_place(commune)
        brand = rng.choice(BRANDS)
        name = {
            "showroom": f"Điểm giới thiệu và bán sản phẩm OCOP {place}",
            "shop": f"Cửa hàng đặc sản {brand} {place}",
            "supermarket": f"Siêu thị {brand} {place}",
            "market": f"Chợ phiên OCOP {place}",
            "online": f"Gian hàng OCOP {province} trực tuyến {brand}",
        }[kind]
        pos_id = unique(slugify(name), taken_pos)
        carried = rng.sample(local, min(len(local), rng.randint(3, 25)))
        lines = [SCHEMA_LINE.format("point-of-sale").rstrip("\n"), f"name: {_q(name)}",
                 f"kind: {kind}"]
        if kind != "online":
            street = f"Số {rng.randint(1, 300)} đường {rng.choice(PLACE_PARTS)}"
            lines += ["address:", f"  street: {_q(street)}",
                      f"  commune: {_q(commune)}", f"  province: {_q(province)}",
                      *location_lines(options.seed, pos_id, province, commune,
                                      POINT_OF_SALE_SHARE),
                      f"opening_hours: {_q('7:30–17:00, thứ Hai đến thứ Bảy')}"]
        lines += ["carries:", "  producers:", *(f"    - {p.id}" for p in carried)]
        (pos_dir / f"{pos_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    fair_dir = out / "content" / "fairs"
    fair_dir.mkdir(parents=True)
    taken_fairs: set[str] = set()
    for _ in range(options.fairs):
        province = rng.choices(provinces, weights=province_weights)[0]
        starts = today + dt.timedelta(days=rng.randint(-730, 365))
        ends = starts + dt.timedelta(days=rng.randint(0, 6))
        name = rng.choice((f"Hội chợ OCOP {province} {starts.year}",
                           f"Tuần lễ sản phẩm OCOP {province} {starts.year}",
                           f"Phiên chợ đặc sản {short_place(rng.choice(communes[province]))} "
                           f"{starts.year}"))
        fair_id = unique(slugify(name), taken_fairs)
        local = by_province.get(province) or producers
        exhibitors = rng.sample(local, min(len(local), rng.randint(3, 20)))
        lines = [SCHEMA_LINE.format("fair").rstrip("\n"), f"name: {_q(name)}",
                 f"starts: {starts.isoformat()}", f"ends: {ends.isoformat()}",
                 f"venue: {_q('Trung tâm Hội chợ Triển lãm ' + province)}",
                 f"city: {_q(province)}", f"organiser: {_q('Sở Công Thương ' + province)}",
                 "exhibitors:"]
        for i, producer in enumerate(exhibitors, 1):
            lines += [f"  - producer: {producer.id}", f"    booth: \"{'ABCD'[i % 4]}{i:02d}\""]
            shown = producer.products[:rng.randint(0, 2)]
            if shown:
                lines.append(f"    products: [{', '.join(shown)}]")
        (fair_dir / f"{fair_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    config_text = mkdocs_yml(out, options.products)
    (out / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    (out / "content" / "index.md").write_text(HOME.format(
        products=options.products, producers=options.producers, provinces=len(provinces)),
        encoding="utf-8")
    copy_pages(out, config_text)
    used = {(p.province, p.commune) for p in producers}
    return SynthSummary(
        products=options.products, producers=options.producers,
        points_of_sale=options.points_of_sale, fairs=options.fairs,
        provinces=len({p for p, _ in used}), communes=len(used),
        stars=dict(sorted(stars_count.items())), statuses=dict(sorted(status_count.items())),
    )
