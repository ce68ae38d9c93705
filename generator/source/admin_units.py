"""The official administrative units since 1 July 2025: 34 provinces, 3,321 communes.

The list is the one the General Statistics Office published for the reform, as
carried offline by the pinned PyPI package ``vietnam-provinces``; only its JSON
file is read (importing the package would load 10,000 lines of enums). A
commune's identity is its official code: eight pairs of communes in one province
differ only in accents (Xã Sơn Hà and Xã Sơn Hạ in Quảng Ngãi), so names folded
for search or slugs cannot tell them apart.

Names match as a person would read them (``vietnamese.name_key``: case, spacing,
Unicode form and tone placement do not count; letters and tones do). A province
may be written with or without "Thành phố"/"TP." ("Hồ Chí Minh", "TP. Hồ Chí
Minh"); a commune with its kind ("Xã Ô Lâm", not "Ô Lâm").
"""

from __future__ import annotations

import difflib
import importlib.metadata
import importlib.util
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..vietnamese import fold, name_key

PACKAGE = "vietnam-provinces"
#: Kinds of commune-level unit: today's, then the pre-2025 ones staff still write
#: (a name of those kinds is compared without them, for suggestions).
#: Provinces merged into another on 1 July 2025 (Nghị quyết 202/2025/QH15), for the
#: message a pre-2025 address gets; the list itself knows only today's 34.
FORMER_PROVINCES: dict[str, str] = {
    "Hà Giang": "Tuyên Quang", "Yên Bái": "Lào Cai", "Bắc Kạn": "Thái Nguyên",
    "Vĩnh Phúc": "Phú Thọ", "Hòa Bình": "Phú Thọ", "Bắc Giang": "Bắc Ninh",
    "Thái Bình": "Hưng Yên", "Hải Dương": "Hải Phòng", "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình", "Quảng Bình": "Quảng Trị", "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi", "Bình Định": "Gia Lai", "Ninh Thuận": "Khánh Hòa",
    "Đắk Nông": "Lâm Đồng", "Bình Thuận": "Lâm Đồng", "Phú Yên": "Đắk Lắk",
    "Bình Dương": "Hồ Chí Minh", "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Bình Phước": "Đồng Nai", "Long An": "Tây Ninh", "Sóc Trăng": "Cần Thơ",
    "Hậu Giang": "Cần Thơ", "Bến Tre": "Vĩnh Long", "Trà Vinh": "Vĩnh Long",
    "Tiền Giang": "Đồng Tháp", "Bạc Liêu": "Cà Mau", "Kiên Giang": "An Giang",
}
_KIND_PREFIX = re.compile(r"^(xa|phuong|dac khu|thi tran|huyen|thi xa|thanh pho) ")


@dataclass(frozen=True)
class OfficialCommune:
    """A commune, ward or special zone (xã, phường, đặc khu) of the official list."""

    code: int
    name: str
    province_code: int
    #: Another commune of its province has the same name but for accents.
    has_twin: bool = False


@dataclass(frozen=True)
class OfficialProvince:
    """A province or centrally-run city, with its communes."""

    code: int
    #: As the list writes it: "An Giang", "Thành phố Hồ Chí Minh".
    name: str
    communes: tuple[OfficialCommune, ...]
    by_key: dict[str, OfficialCommune] = field(default_factory=dict, compare=False, repr=False)

    @property
    def short_name(self) -> str:
        """Without "Thành phố": "Hồ Chí Minh"."""
        return self.name.removeprefix("Thành phố ")


@dataclass(frozen=True)
class AdminUnits:
    """The official list, with lookups by name as staff write them."""

    #: Version of the package the list comes from, stated on the open-data page.
    version: str
    provinces: tuple[OfficialProvince, ...]
    #: Provinces by their key (``_province_key``). Kept on the instance: a cache keyed
    #: by the instance would hash all 3,321 communes on every lookup.
    by_key: dict[str, OfficialProvince] = field(default_factory=dict, compare=False,
                                                repr=False)

    @property
    def source(self) -> str:
        return f"{PACKAGE} {self.version}"

    def province(self, written: str) -> OfficialProvince | None:
        """The province a name means, or None: "TP. Hồ Chí Minh" → Thành phố Hồ Chí Minh."""
        return self.by_key.get(_province_key(written))

    def commune(self, province: OfficialProvince, written: str) -> OfficialCommune | None:
        """The commune of ``province`` a name means, or None."""
        return province.by_key.get(name_key(written))

    def merged_into(self, written: str) -> OfficialProvince | None:
        """The province a pre-2025 province became part of: "Kiên Giang" → An Giang."""
        key = _province_key(written).replace("-", " ")
        for former, today in FORMER_PROVINCES.items():
            if _province_key(former).replace("-", " ") == key:
                return self.province(today)
        return None

    def suggest_provinces(self, written: str, n: int = 3) -> list[str]:
        """Official province names closest to a name that is not one (accents ignored)."""
        names = {_bare(p.short_name): p.short_name for p in self.provinces}
        return [names[m] for m in difflib.get_close_matches(_bare(written), names, n, 0.6)]

    def suggest_communes(self, province: OfficialProvince, written: str, n: int = 3
                         ) -> list[str]:
        """Communes of ``province`` whose names are closest to ``written``.

        Compared without accents or the kind of unit, so that a typo ("Xã O Lam"),
        a missing kind ("Ô Lâm") and a pre-2025 name ("Thị trấn Tri Tôn") all find
        today's commune; twins are both offered.
        """
        bare: dict[str, list[str]] = defaultdict(list)
        for commune in province.communes:
            bare[_bare(commune.name)].append(commune.name)
        matches = difflib.get_close_matches(_bare(written), bare, n, 0.6)
        return [name for m in matches for name in bare[m]][:n + 1]

    def provinces_with(self, written: str) -> list[OfficialProvince]:
        """Provinces that have a commune of exactly this name."""
        key = name_key(written)
        return [p for p in self.provinces if key in p.by_key]


def _bare(name: str) -> str:
    """A name for suggestions: folded, without the kind of unit."""
    return _KIND_PREFIX.sub("", fold(" ".join(name.split())))


def _province_key(name: str) -> str:
    """Without "Thành phố", "TP.", "TP" or "Tỉnh" in front."""
    words = name.split()
    if fold(" ".join(words[:2])) == "thanh pho":
        words = words[2:]
    elif words and fold(words[0]).rstrip(".") in ("tp", "tinh"):
        words = words[1:]
    return name_key(" ".join(words))


def data_file() -> Path:
    """The package's nested JSON list, found without importing the package."""
    spec = importlib.util.find_spec("vietnam_provinces")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {PACKAGE} package is not installed (make installs it)")
    return Path(spec.submodule_search_locations[0]) / "data" / "nested-divisions.json"


def read_units(path: Path, version: str) -> AdminUnits:
    """The official list from the package's ``nested-divisions.json``."""
    provinces = []
    for p in json.loads(path.read_text(encoding="utf-8")):
        keys: dict[str, list[dict]] = defaultdict(list)
        for ward in p["wards"]:
            keys[fold(ward["name"])].append(ward)
        communes = tuple(
            OfficialCommune(w["code"], w["name"], p["code"], len(keys[fold(w["name"])]) > 1)
            for w in p["wards"])
        provinces.append(OfficialProvince(
            p["code"], p["name"], communes, {name_key(c.name): c for c in communes}))
    return AdminUnits(version, tuple(provinces),
                      {_province_key(p.name): p for p in provinces})


@lru_cache(maxsize=1)
def official_units() -> AdminUnits:
    """The installed list (read once per process)."""
    return read_units(data_file(), importlib.metadata.version(PACKAGE))
