"""Names of synthetic places, people and producers, drawn from ``vocabulary``."""

from __future__ import annotations

import random

from ..source.admin_units import official_units
from .vocabulary import AN_GIANG_PLACES, FAMILY, GIVEN, MIDDLE, NICK


def short_place(place: str) -> str:
    """'Xã Ô Lâm' → 'Ô Lâm'."""
    for prefix in ("Đặc khu ", "Phường ", "Xã "):
        if place.startswith(prefix):
            return place[len(prefix):]
    return place


def unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def commune_names(rng: random.Random, province: str, count: int) -> list[str]:
    """``count`` official communes of ``province`` (all it has, if fewer).

    From the official list, so that synthetic catalogues meet the real names,
    accent twins included; An Giang's best-known places come first.
    """
    official = official_units().province(province)
    if official is None:
        raise ValueError(f"'{province}' is not in the official list of provinces")
    names = [c.name for c in official.communes]
    first = [n for n in AN_GIANG_PLACES if n in names] if province == "An Giang" else []
    rest = [n for n in names if n not in first]
    return (first + rng.sample(rest, min(len(rest), max(0, count - len(first)))))[:count]


def person(rng: random.Random) -> str:
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


def producer_name(rng: random.Random, kind: str, ptype: str, place: str, brand: str) -> str:
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
