"""Map coordinates for synthetic catalogues (``ocop synth``).

Real catalogues locate only part of their records: many household producers
give an address but no map point. The synthetic catalogue does the same, so the
map pages meet a realistic number of markers at national scale: about 60 % of
producers and 85 % of walk-in points of sale get a location.

Each province has its approximate centre (provinces from 1 July 2025); each
commune a fixed centre near it; each record a point near its commune. Every
value comes from a hash of the names and the seed, never from the main random
stream, so adding coordinates leaves the rest of a synthetic catalogue
byte-for-byte as it was.
"""

from __future__ import annotations

import hashlib
import random

#: Approximate centre (latitude, longitude) of each of the 34 provinces and cities.
PROVINCE_CENTRES: dict[str, tuple[float, float]] = {
    "An Giang": (10.30, 105.20), "Bắc Ninh": (21.25, 106.20), "Cà Mau": (9.18, 105.15),
    "Cao Bằng": (22.67, 106.26), "Cần Thơ": (9.95, 105.78), "Đà Nẵng": (15.80, 108.10),
    "Đắk Lắk": (12.90, 108.50), "Điện Biên": (21.39, 103.02), "Đồng Nai": (11.30, 106.90),
    "Đồng Tháp": (10.40, 106.00), "Gia Lai": (13.90, 108.50), "Hà Nội": (21.03, 105.85),
    "Hà Tĩnh": (18.34, 105.90), "Hải Phòng": (20.90, 106.50), "Hồ Chí Minh": (10.80, 106.70),
    "Huế": (16.46, 107.59), "Hưng Yên": (20.65, 106.20), "Khánh Hòa": (12.10, 109.00),
    "Lai Châu": (22.40, 103.46), "Lâm Đồng": (11.70, 108.00), "Lạng Sơn": (21.85, 106.76),
    "Lào Cai": (22.10, 104.30), "Nghệ An": (18.90, 105.20), "Ninh Bình": (20.25, 105.97),
    "Phú Thọ": (21.20, 105.30), "Quảng Ngãi": (14.90, 108.40), "Quảng Ninh": (21.10, 107.30),
    "Quảng Trị": (17.00, 106.80), "Sơn La": (21.20, 104.00), "Tây Ninh": (11.00, 106.20),
    "Thái Nguyên": (21.59, 105.85), "Thanh Hóa": (19.90, 105.50),
    "Tuyên Quang": (22.00, 105.10), "Vĩnh Long": (10.10, 106.20),
}
#: Where a province not in the table is put (the centre of the country).
DEFAULT_CENTRE = (16.0, 107.0)
PRODUCER_SHARE = 0.60
POINT_OF_SALE_SHARE = 0.85
#: How far (degrees) a commune centre lies from its province centre, a record from its commune.
PROVINCE_SPREAD = 0.35
COMMUNE_SPREAD = 0.02


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def commune_centre(seed: int, province: str, commune: str) -> tuple[float, float]:
    """The fixed centre of a commune, near its province's centre."""
    lat, lon = PROVINCE_CENTRES.get(province, DEFAULT_CENTRE)
    rng = _rng(seed, "commune", province, commune)
    return (lat + rng.uniform(-PROVINCE_SPREAD, PROVINCE_SPREAD),
            lon + rng.uniform(-PROVINCE_SPREAD, PROVINCE_SPREAD))


def location_lines(seed: int, record_id: str, province: str, commune: str,
                   share: float) -> list[str]:
    """The YAML lines of a ``location:`` near the commune, or none (``1 - share`` of ids)."""
    rng = _rng(seed, "location", record_id)
    if rng.random() >= share:
        return []
    lat, lon = commune_centre(seed, province, commune)
    lat += rng.uniform(-COMMUNE_SPREAD, COMMUNE_SPREAD)
    lon += rng.uniform(-COMMUNE_SPREAD, COMMUNE_SPREAD)
    return ["location:", f"  lat: {lat:.5f}", f"  lon: {lon:.5f}"]
