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
    def certificates(self) -> list[dict[str, Any]]:
        """Every certificate as written, oldest first."""
        return self.data["certificates"] if "certificates" in self.data else [self.data["ocop"]]

    @property
    def ocop(self) -> dict[str, Any]:
        """The current certificate: the last one in force on the build date, else the last."""
        in_force = [c for c in self.certificates if _status(c) in ("valid", "expiring")]
        return (in_force or self.certificates)[-1]

    @property
    def stars(self) -> int:
        return int(self.ocop["stars"])

    @property
    def issued(self) -> dt.date:
        return self.ocop["issued"]

    @property
    def expires(self) -> dt.date:
        return _expires(self.ocop)

    @property
    def revoked(self) -> bool:
        return _status(self.ocop) == "revoked"

    @property
    def certified(self) -> bool:
        return self.status() in ("valid", "expiring")

    def status(self) -> str:
        return _status(self.ocop)


def _expires(certificate: dict[str, Any]) -> dt.date:
    return certificate.get("expires") or _months_later(certificate["issued"], 36)


def _status(certificate: dict[str, Any]) -> str:
    revoked = certificate.get("revoked")
    if revoked and revoked["date"] <= BUILD_DATE:
        return "revoked"
    expires = _expires(certificate)
    if expires < BUILD_DATE or int(certificate["stars"]) < 3:
        return "expired"
    return "expiring" if (expires - BUILD_DATE).days <= 90 else "valid"


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
