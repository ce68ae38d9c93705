"""The sample catalogue read straight from its YAML files, without the generator.

Tests compare the generator's figures and exports with what is computed here
independently (plain PyYAML, own date arithmetic), so a bug in the linker or in
a writer cannot make both sides agree by construction.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
#: The build date of the sample site in tests (FIXED_EPOCH in conftest, in Vietnam).
BUILD_DATE = dt.date(2026, 11, 18)


def _months_later(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class RawProduct:
    id: str
    producer: str
    data: dict[str, Any]

    @property
    def stars(self) -> int:
        return int(self.data["ocop"]["stars"])

    @property
    def issued(self) -> dt.date:
        return self.data["ocop"]["issued"]

    @property
    def expires(self) -> dt.date:
        return self.data["ocop"].get("expires") or _months_later(self.issued, 36)

    @property
    def revoked(self) -> bool:
        revoked = self.data["ocop"].get("revoked")
        return bool(revoked) and revoked["date"] <= BUILD_DATE

    @property
    def certified(self) -> bool:
        return self.stars >= 3 and not self.revoked and self.expires >= BUILD_DATE

    def status(self) -> str:
        if self.revoked:
            return "revoked"
        if self.expires < BUILD_DATE or self.stars < 3:
            return "expired"
        return "expiring" if (self.expires - BUILD_DATE).days <= 90 else "valid"


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def producers(root: Path = ROOT) -> dict[str, dict[str, Any]]:
    return {p.parent.name: _load(p) for p in sorted((root / "products").glob("*/producer.yaml"))}


def products(root: Path = ROOT) -> dict[str, RawProduct]:
    out = {}
    for path in sorted((root / "products").glob("*/*.yaml")):
        if path.name != "producer.yaml":
            out[path.stem] = RawProduct(path.stem, path.parent.name, _load(path))
    return out


def records(folder: str, root: Path = ROOT) -> dict[str, dict[str, Any]]:
    return {p.stem: _load(p) for p in sorted((root / "content" / folder).glob("*.yaml"))}


def group_of_subgroup() -> dict[str, str]:
    data = _load(ROOT / "generator" / "data" / "product-groups.yaml")
    return {s["id"]: g["id"] for g in data["groups"] for s in g.get("subgroups", [])}


def group_names() -> dict[str, str]:
    data = _load(ROOT / "generator" / "data" / "product-groups.yaml")
    return {g["id"]: g["name"] for g in data["groups"]}
