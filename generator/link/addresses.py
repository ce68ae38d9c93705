"""Addresses against the official list of administrative units (since 1/7/2025).

Each producer's and point of sale's address is matched to an official province and
commune (``source.admin_units``); a match sets ``Address.official_province`` and
``Address.official_commune`` and writes the official spelling into the address (a
city without "Thành phố"), so that pages, exports and slugs use one name for one
place. A name that is not in
the list gets a warning with the closest official names of that province: a typo,
a missing "Xã"/"Phường", a pre-2025 name. The record still builds under the name
staff wrote (a list can lag a new merger); ``--strict`` makes it fail.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..source.admin_units import AdminUnits
from ..source.fields import Source
from ..source.problems import Problems
from ..source.records import Address

KIND = "names not in the official list of administrative units"


def resolve_addresses(records: Iterable[tuple[Address, Source, str]], units: AdminUnits,
                      problems: Problems) -> None:
    """Match each (address, its record's source, field prefix) to the official list."""
    for address, source, prefix in records:
        resolve_address(address, source, prefix, units, problems)


def resolve_address(address: Address, source: Source, prefix: str, units: AdminUnits,
                    problems: Problems) -> None:
    province = units.province(address.province)
    if province is None:
        field = f"{prefix}.province"
        merged = units.merged_into(address.province)
        hint = (f"; it became part of {merged.short_name} on 1/7/2025 (Nghị quyết "
                "202/2025/QH15): write the province and commune of today" if merged else
                did_you_mean(units.suggest_provinces(address.province)))
        problems.warning(source.at(field), field,
                         f"'{address.province}' is not a province or city since 1/7/2025 "
                         f"({units.source}){hint}", kind=KIND)
        return
    # "Hồ Chí Minh", not "Thành phố Hồ Chí Minh": lists of provinces sort by the name.
    address.province = province.short_name
    address.official_province = province
    commune = units.commune(province, address.commune)
    if commune is None:
        field = f"{prefix}.commune"
        elsewhere = [p.short_name for p in units.provinces_with(address.commune)]
        hint = (f"; {_or(elsewhere, quote=False)} has a commune of that name" if elsewhere else
                did_you_mean(units.suggest_communes(province, address.commune)))
        problems.warning(source.at(field), field,
                         f"'{address.commune}' is not a commune, ward or special zone of "
                         f"{address.province} in the official list ({units.source}){hint}",
                         kind=KIND)
        return
    address.commune = commune.name
    address.official_commune = commune


def did_you_mean(names: list[str]) -> str:
    return f"; did you mean {_or(names)}?" if names else ""


def _or(names: list[str], quote: bool = True) -> str:
    quoted = [f"'{n}'" if quote else n for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
