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
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

from ..link.certificates import add_months
from ..link.text import slugify
from .geo import POINT_OF_SALE_SHARE, PRODUCER_SHARE, location_lines

REPO_ROOT = Path(__file__).resolve().parent.parent.parent

# --- places ------------------------------------------------------------------------

#: The 34 provinces and cities from 1 July 2025 (An Giang first: province scale).
PROVINCES = (
    "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng",
    "Hồ Chí Minh", "Huế", "Hưng Yên", "Khánh Hòa", "Lai Châu", "Lâm Đồng", "Lạng Sơn",
    "Lào Cai", "Nghệ An", "Ninh Bình", "Phú Thọ", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên", "Thanh Hóa", "Tuyên Quang",
    "Vĩnh Long",
)
#: Real commune and ward names of An Giang, used first for that province.
AN_GIANG_PLACES = (
    "Phường Châu Đốc", "Phường Long Xuyên", "Phường Rạch Giá", "Phường Tân Châu",
    "Phường Tịnh Biên", "Đặc khu Phú Quốc", "Xã Tri Tôn", "Xã Ô Lâm", "Xã Núi Cấm",
    "Xã Chợ Mới", "Xã Thoại Sơn", "Xã Óc Eo", "Xã Phú Tân", "Xã An Cư", "Xã Châu Phong",
    "Xã Vĩnh Tế", "Xã Mỹ Hòa Hưng", "Xã Hòn Đất", "Xã Kiên Lương", "Xã Ba Chúc",
)
#: Syllables of commune names ("Tân Phú", "Vĩnh Lợi" …).
PLACE_PARTS = (
    "An", "Bình", "Phú", "Tân", "Long", "Mỹ", "Hòa", "Thạnh", "Vĩnh", "Phước", "Thới",
    "Hưng", "Lộc", "Châu", "Đông", "Tây", "Nam", "Bắc", "Hiệp", "Thuận", "Khánh", "Định",
    "Lợi", "Thành", "Trung", "Hải", "Quang", "Sơn", "Đức", "Nghĩa", "Hội", "Xuân", "Thọ",
    "Kim", "Ngọc", "Cát", "Lâm", "Điền", "Hà", "Yên", "Tiến", "Thắng", "Lạc", "Đồng",
    "Cẩm", "Gia", "Vân", "Tường", "Hậu", "Giang", "Hồng", "Minh", "Đại", "Thủy", "Liên",
)
COMMUNES_PER_PROVINCE = 98

# --- products ----------------------------------------------------------------------

#: Sub-group → (weight in the catalogue, price range in thousand đồng, units, base names).
#: Weights give about 75 % food, as in An Giang (506 of 582) and nationally.
KINDS: dict[str, tuple[float, tuple[int, int], tuple[str, ...], tuple[str, ...]]] = {
    "nong-san-tuoi-song": (10, (30, 250), ("kg", "thùng 5 kg", "hộp 1 kg", "chục"), (
        "Bưởi da xanh", "Bưởi Năm Roi", "Xoài cát Hòa Lộc", "Thanh long ruột đỏ", "Dưa lưới",
        "Sầu riêng Ri6", "Nhãn xuồng cơm vàng", "Chôm chôm", "Cam sành", "Quýt hồng",
        "Khoai lang tím", "Nấm rơm", "Trứng gà ta", "Cá lóc đồng", "Tôm càng xanh",
        "Vú sữa Lò Rèn", "Măng cụt", "Bơ sáp", "Mít Thái", "Rau má", "Ổi ruột hồng")),
    "nong-san-so-che": (11, (25, 400), ("túi 5 kg", "túi 2 kg", "chai 500 ml", "hũ 1 kg"), (
        "Gạo ST25", "Gạo thơm Jasmine", "Gạo nàng hoa", "Gạo tím than", "Nếp cẩm",
        "Gạo lứt đỏ", "Mật ong hoa tràm", "Mật ong hoa cà phê", "Mật ong rừng", "Đậu phộng",
        "Mè đen", "Hạt sen khô", "Bột sắn dây", "Gạo lài", "Gạo nếp than")),
    "thuc-pham-che-bien": (30, (20, 450), ("hũ 500 g", "túi 500 g", "hộp 300 g", "kg"), (
        "Đường thốt nốt", "Khô cá lóc", "Khô cá sặc", "Khô cá tra phồng", "Khô bò",
        "Lạp xưởng tươi", "Chà bông cá lóc", "Bánh phồng tôm", "Bánh tráng phơi sương",
        "Bánh phồng nếp", "Bánh pía", "Bánh tét lá cẩm", "Kẹo dừa", "Mứt gừng",
        "Chuối sấy dẻo", "Xoài sấy dẻo", "Hạt điều rang muối", "Chả lụa", "Nem chua",
        "Bún khô", "Hủ tiếu khô", "Phở khô", "Bánh đa", "Cốm dẹp", "Trứng vịt muối",
        "Khô ếch", "Lạp xưởng bò", "Kẹo thốt nốt", "Bánh bò thốt nốt", "Tré")),
    "gia-vi": (12, (25, 250), ("chai 500 ml", "hũ 500 g", "hũ 250 g", "túi 100 g"), (
        "Nước mắm cá cơm", "Nước mắm truyền thống", "Mắm cá linh", "Mắm cá lóc",
        "Mắm cá sặc", "Mắm thái", "Mắm tôm chua", "Tương hột", "Tương ớt", "Muối ớt",
        "Muối tôm", "Tiêu đen", "Tiêu sọ", "Ớt bột", "Sa tế", "Bột nghệ", "Mắm ruốc",
        "Mắm cá trèn")),
    "che": (7, (40, 600), ("hộp 100 g", "túi 200 g", "hộp 25 túi lọc"), (
        "Trà Shan tuyết", "Trà xanh", "Trà ô long", "Trà atiso", "Trà mãng cầu",
        "Trà gạo lứt", "Trà hoa sen", "Trà khổ qua rừng", "Trà lá sen", "Trà hoa vàng",
        "Trà đinh", "Trà móc câu", "Chè búp")),
    "ca-phe-ca-cao": (4, (60, 500), ("túi 500 g", "hộp 250 g", "hộp 20 gói"), (
        "Cà phê rang xay", "Cà phê Robusta", "Cà phê Arabica", "Cà phê hòa tan",
        "Ca cao bột", "Sô cô la đen", "Cà phê hạt mộc")),
    "do-uong-co-con": (6, (60, 800), ("chai 500 ml", "chai 750 ml", "bình 2 lít"), (
        "Rượu nếp", "Rượu thốt nốt", "Rượu sim", "Rượu chuối hột", "Rượu đế",
        "Rượu nếp cẩm", "Rượu mơ", "Rượu ngô men lá", "Rượu Bàu Đá", "Rượu cần",
        "Vang nho", "Vang thốt nốt", "Rượu mận")),
    "do-uong-khong-con": (4, (10, 300), ("chai 330 ml", "thùng 24 chai", "hộp 6 lon"), (
        "Nước ép thanh long", "Nước yến sào", "Nước khoáng", "Nước uống đóng chai",
        "Nước cốt chanh", "Nước dừa", "Siro chanh dây", "Nước gạo rang", "Nước sâm")),
    "thuc-pham-chuc-nang-duoc-lieu": (3, (80, 1500), ("hộp 60 viên", "hũ 100 g", "hộp 10 gói"), (
        "Cao atiso", "Viên nghệ mật ong", "Tinh bột nghệ", "Nấm linh chi", "Sâm Ngọc Linh",
        "Đông trùng hạ thảo", "Cao dược liệu", "Hà thủ ô", "Cao khổ qua")),
    "my-pham-thao-duoc": (2, (50, 400), ("hộp 100 g", "chai 250 ml", "lọ 10 g"), (
        "Xà bông thảo dược", "Dầu gội bồ kết", "Son môi dầu gấc", "Sữa rửa mặt nghệ",
        "Nước hoa hồng", "Muối tắm thảo dược", "Kem nghệ")),
    "tinh-dau-thao-duoc-khac": (2, (50, 350), ("lọ 10 ml", "lọ 50 ml", "chai 100 ml"), (
        "Tinh dầu tràm", "Tinh dầu sả chanh", "Tinh dầu bưởi", "Tinh dầu quế",
        "Tinh dầu hồi", "Tinh dầu bạc hà", "Dầu gió", "Túi thơm thảo mộc")),
    "thu-cong-gia-dung-trang-tri": (4, (50, 2500), ("cái", "bộ", "chiếc"), (
        "Giỏ lục bình", "Túi xách cói", "Thảm cói", "Tranh Đông Hồ", "Nón lá",
        "Chiếu cói", "Đũa tre", "Khay mây tre", "Đèn lồng", "Tượng gỗ", "Ống hút cỏ bàng",
        "Bình gốm", "Giỏ mây tre đan")),
    "vai-may-mac": (2, (100, 3000), ("tấm", "chiếc", "mét"), (
        "Lụa tơ tằm", "Khăn lụa", "Thổ cẩm", "Xà rông", "Áo bà ba", "Khăn rằn",
        "Vải lanh", "Túi thổ cẩm", "Áo dài lụa")),
    "hoa": (1, (80, 1500), ("chậu", "cành", "bó"), (
        "Lan hồ điệp", "Hoa cúc mâm xôi", "Hoa hồng", "Mai vàng", "Đào phai",
        "Hoa lan rừng", "Hoa sen")),
    "cay-canh": (0.6, (200, 5000), ("chậu", "cây"), (
        "Bonsai", "Mai chiếu thủy", "Cây kiểng lá", "Sen đá", "Bonsai sanh")),
    "dong-vat-canh": (0.4, (100, 3000), ("con", "cặp"), (
        "Cá Koi", "Cá cảnh Betta", "Cá dĩa", "Chim chào mào")),
    "du-lich-nong-thon": (1, (50, 900), ("người", "vé", "đêm"), (
        "Du lịch cộng đồng", "Điểm du lịch sinh thái", "Homestay", "Làng nghề",
        "Du lịch miệt vườn", "Tour trải nghiệm làng quê")),
}
QUALIFIERS = ("nguyên chất", "đặc biệt", "hữu cơ", "loại 1", "truyền thống", "thượng hạng",
              "cao cấp", "gia truyền", "sạch")
BRANDS = ("Phù Sa", "Hương Quê", "Sen Vàng", "Đất Việt", "Miền Tây", "Cửu Long", "Thiên Phú",
          "An Khang", "Hồng Phát", "Mekong", "Bảy Núi", "Tây Bắc", "Sông Hậu", "Hoa Sen",
          "Làng Xưa", "Nắng Mới", "Quê Nhà", "Kim Long", "Ngọc Lan", "Phúc Lộc", "Đồng Xanh",
          "Bốn Mùa", "Trường Sơn", "Sao Mai", "Thảo Nguyên", "Hạt Ngọc", "Mùa Vàng")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Châu", "Đinh", "Lâm")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hiền", "Hùng", "Lan", "Mai", "Nam",
         "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Hòa", "Lộc",
         "Đạt", "Đông", "Nhung", "Khoa", "Thư", "Út", "Sáu", "Bảy")
NICK = ("Út", "Bảy", "Sáu", "Năm", "Tư", "Ba", "Chín", "Mười")
#: Producer types and their shares (OCOP-FACTS: 32 % HTX, 22 % enterprises, 32 % households).
PRODUCER_TYPES = (("cooperative", 32), ("enterprise", 22), ("household", 32),
                  ("cooperative_group", 14))
POINT_OF_SALE_KINDS = (("showroom", 25), ("shop", 40), ("supermarket", 15), ("market", 5),
                       ("online", 15))
STANDARDS = ("VietGAP", "HACCP", "ISO 22000", "GlobalGAP", "Hữu cơ TCVN 11041")
#: Star shares nationally: about 75 % three-star, 24 % four-star, 1 % five-star.
STAR_WEIGHTS = ((3, 75), (4, 24), (5, 1))
#: Certificate status shares: mostly valid, some expiring, expired or revoked.
STATUS_WEIGHTS = (("valid", 82), ("expiring", 4), ("expired", 11), ("revoked", 3))

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


def _short(place: str) -> str:
    """'Xã Ô Lâm' → 'Ô Lâm'."""
    for prefix in ("Đặc khu ", "Phường ", "Xã "):
        if place.startswith(prefix):
            return place[len(prefix):]
    return place


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _communes(rng: random.Random, province: str, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    if province == "An Giang":
        for name in AN_GIANG_PLACES[:count]:
            names.append(name)
            seen.add(slugify(name))
    while len(names) < count:
        prefix = "Phường" if rng.random() < 0.15 else "Xã"
        a, b = rng.sample(PLACE_PARTS, 2)
        name = f"{prefix} {a} {b}"
        if slugify(_short(name)) in {slugify(_short(n)) for n in names} or slugify(name) in seen:
            continue
        seen.add(slugify(name))
        names.append(name)
    return names


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


_PRODUCER_WORDS = {
    "nong-san-tuoi-song": ("Trái cây", "Nông sản", "Vườn"),
    "nong-san-so-che": ("Lúa gạo", "Nông sản", "Mật ong"),
    "thuc-pham-che-bien": ("Thực phẩm", "Chế biến nông sản", "Đặc sản"),
    "gia-vi": ("Nước mắm", "Mắm", "Gia vị"),
    "che": ("Trà", "Chè"),
    "ca-phe-ca-cao": ("Cà phê", "Ca cao"),
    "do-uong-co-con": ("Rượu", "Làng nghề rượu"),
    "do-uong-khong-con": ("Nước giải khát", "Đồ uống"),
    "thuc-pham-chuc-nang-duoc-lieu": ("Dược liệu", "Thảo dược"),
    "my-pham-thao-duoc": ("Mỹ phẩm thiên nhiên", "Thảo mộc"),
    "tinh-dau-thao-duoc-khac": ("Tinh dầu", "Thảo dược"),
    "thu-cong-gia-dung-trang-tri": ("Thủ công mỹ nghệ", "Mây tre đan"),
    "vai-may-mac": ("Dệt", "Lụa", "Thổ cẩm"),
    "hoa": ("Hoa kiểng", "Hoa lan"),
    "cay-canh": ("Cây kiểng", "Bonsai"),
    "dong-vat-canh": ("Cá cảnh", "Sinh vật cảnh"),
    "du-lich-nong-thon": ("Du lịch cộng đồng", "Du lịch sinh thái"),
}


def _producer_name(rng: random.Random, kind: str, ptype: str, place: str, brand: str) -> str:
    word = rng.choice(_PRODUCER_WORDS[kind])
    if ptype == "cooperative":
        return rng.choice((f"Hợp tác xã {word} {place}", f"Hợp tác xã Nông nghiệp {place}",
                           f"Hợp tác xã {word} {brand}"))
    if ptype == "cooperative_group":
        return f"Tổ hợp tác {word} {place}"
    if ptype == "enterprise":
        return rng.choice((f"Công ty TNHH {word} {brand}", f"Công ty Cổ phần {brand} {place}",
                           f"Công ty TNHH {brand}"))
    return rng.choice((f"Cơ sở {word} {rng.choice(NICK)} {rng.choice(GIVEN)}",
                       f"Hộ kinh doanh {word} {place}", f"Cơ sở sản xuất {word} {brand}"))


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


def _block(text: str) -> list[str]:
    return ["description: |", *(f"  {line}" for line in text.splitlines())]


def _mkdocs_yml(out: Path, options: SynthOptions) -> str:
    """The project's mkdocs.yml: the repository's theme, assets, Markdown and nav."""
    config: dict[str, object] = {}
    source = REPO_ROOT / "mkdocs.yml"
    try:
        loaded = yaml.safe_load(source.read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            config = loaded
    except (OSError, yaml.YAMLError):
        config = {}
    theme = dict(config.get("theme") or {"name": "material", "language": "vi", "font": False})
    theme["custom_dir"] = str(REPO_ROOT / "theme")
    result: dict[str, object] = {
        "site_name": "Sản phẩm OCOP (dữ liệu tổng hợp)",
        "site_description": f"Danh mục tổng hợp {options.products} sản phẩm để đo hiệu năng",
        "site_url": "https://ocop.example.vn/",
        "docs_dir": "content",
        "site_dir": "site",
        "use_directory_urls": True,
        "strict": True,
        "exclude_docs": "points-of-sale/\nfairs/\n*.yaml\n*.yml\n",
        "theme": theme,
    }
    for key in ("extra_css", "extra_javascript", "markdown_extensions", "extra"):
        if key in config:
            result[key] = config[key]
    result["plugins"] = [{"ocop": {
        "notice": "Dữ liệu tổng hợp: mọi tên, địa chỉ và giấy chứng nhận đều hư cấu."}}]
    if "nav" in config:
        result["nav"] = config["nav"]
    return yaml.dump(result, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


class _Dumper(yaml.SafeDumper):
    """Safe YAML with multi-line strings as literal blocks (readable exclude_docs)."""


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def _copy_pages(out: Path, config_text: str) -> None:
    """Hand-written pages the nav names (except the home page) come from the repository."""
    content = out / "content"
    for page in sorted((REPO_ROOT / "content").glob("*.md")):
        if page.name != "index.md" and page.name in config_text:
            shutil.copyfile(page, content / page.name)


HOME = """# Sản phẩm OCOP (dữ liệu tổng hợp)

Danh mục tổng hợp để đo hiệu năng: {products} sản phẩm đặc sản của {producers} chủ thể
OCOP ở {provinces} tỉnh, thành phố. Tên sản phẩm, cơ sở, địa chỉ và giấy chứng nhận
đều hư cấu.

- [Tất cả sản phẩm](san-pham.md)
- [Theo hạng sao](sao.md) · [theo nhóm](nhom.md) · [theo địa phương](dia-phuong.md)
"""


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
    per_province = 102 if len(provinces) == 1 else COMMUNES_PER_PROVINCE
    communes = {p: _communes(rng, p, per_province) for p in provinces}
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
        name = _producer_name(rng, kind, ptype, _short(commune), brand)
        pid = _unique(slugify(name), taken_producers)
        producers.append(_Producer(pid, name, ptype, province, commune, kind, brand))

    # Every producer gets one product; the rest go to a few producers more than others.
    owners = list(range(len(producers)))
    weights = [rng.paretovariate(1.6) for _ in producers]
    owners += rng.choices(range(len(producers)), weights=weights,
                          k=options.products - len(producers))
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
            name += " " + _short(producer.commune)
        elif roll < 0.75:
            name += " " + producer.brand
        product_id = _unique(slugify(name), taken_products)
        producer.products.append(product_id)
        stars = int(_pick(rng, STAR_WEIGHTS))
        status = _pick(rng, STATUS_WEIGHTS)
        stars_count[stars] += 1
        status_count[status] += 1
        folder = folders.get(producer.id)
        if folder is None:
            folder = folders[producer.id] = out / "products" / producer.id
            folder.mkdir(parents=True)
        photo = f"{product_id}.jpg"
        (folder / photo).write_bytes(_photo(f"{options.seed}:{product_id}"))
        place = _short(producer.commune)
        description = (
            f"{name} là đặc sản của {place}, {producer.province}, do {producer.name} "
            f"sản xuất theo quy trình {rng.choice(('truyền thống', 'khép kín', 'hữu cơ'))}.\n"
            f"Sản phẩm được đánh giá, phân hạng OCOP {stars} sao."
        )
        lines = [SCHEMA_LINE.format("product").rstrip("\n"), f"name: {_q(name)}",
                 f"category: {kind}", *_rating(rng, stars, status, today),
                 "photos:", f"  - file: {photo}", f"    alt: {_q('Ảnh ' + name)}",
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
                 f"representative: {_q(_person(rng))}"]
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
        place = _short(commune)
        brand = rng.choice(BRANDS)
        name = {
            "showroom": f"Điểm giới thiệu và bán sản phẩm OCOP {place}",
            "shop": f"Cửa hàng đặc sản {brand} {place}",
            "supermarket": f"Siêu thị {brand} {place}",
            "market": f"Chợ phiên OCOP {place}",
            "online": f"Gian hàng OCOP {province} trực tuyến {brand}",
        }[kind]
        pos_id = _unique(slugify(name), taken_pos)
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
                           f"Phiên chợ đặc sản {_short(rng.choice(communes[province]))} "
                           f"{starts.year}"))
        fair_id = _unique(slugify(name), taken_fairs)
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

    config_text = _mkdocs_yml(out, options)
    (out / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    (out / "content" / "index.md").write_text(HOME.format(
        products=options.products, producers=options.producers, provinces=len(provinces)),
        encoding="utf-8")
    _copy_pages(out, config_text)
    used = {(p.province, p.commune) for p in producers}
    return SynthSummary(
        products=options.products, producers=options.producers,
        points_of_sale=options.points_of_sale, fairs=options.fairs,
        provinces=len({p for p, _ in used}), communes=len(used),
        stars=dict(sorted(stars_count.items())), statuses=dict(sorted(status_count.items())),
    )
