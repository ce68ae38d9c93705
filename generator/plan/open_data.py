"""The open-data page: what files the catalogue publishes, their fields, their licence.

The field tables are read from the published JSON Schema and the CSV column
declarations, the same objects the writers use, so the documentation cannot
drift from the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..language import N_, VIETNAMESE, Language
from ..link.catalogue import Catalogue
from ..source.admin_units import official_units
from .data_contract import CSV_COLUMNS, EXPORT_VERSION, KIND_LABELS, Column, export_schema
from .pages import PageSpec
from .urls import CSV_FILES, EXPORT_FILES, Urls

_TYPE_NAMES = {
    "string": N_("chuỗi"), "integer": N_("số nguyên"), "number": N_("số"), "boolean": "true/false",
    "array": N_("danh sách"), "object": N_("đối tượng"), "null": "null",
}
_FORMAT_NAMES = {"date": N_("ngày YYYY-MM-DD"), "uri": N_("địa chỉ web")}
_ITEM_DEFS = {"products": "product", "producers": "producer",
              "points_of_sale": "point_of_sale", "fairs": "fair"}


@dataclass(frozen=True)
class FieldDoc:
    """One documented field: its dotted path ('ocop.stars', 'photos[].url')."""

    path: str
    type: str
    description: str
    depth: int


@dataclass(frozen=True)
class ExportDoc:
    kind: str
    label: str
    json_url: str
    csv_url: str | None
    count: int
    fields: tuple[FieldDoc, ...]
    columns: tuple[Column, ...]


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The node behind a $ref or a nullable anyOf, and whether null is allowed."""
    nullable = False
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        nullable = len(options) < len(node["anyOf"])
        node = {**options[0], "description": node.get("description", "")}
    if "$ref" in node:
        target = defs[node["$ref"].rsplit("/", 1)[1]]
        node = {**target, "description": node.get("description") or target["description"]}
    return node, nullable


def _type_name(node: dict[str, Any], nullable: bool, lang: Language) -> str:
    _ = lang.gettext
    kinds = node.get("type", "object")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    if "null" in kinds:
        nullable = True
        kinds.remove("null")
    name = _(" hoặc ").join(_(_TYPE_NAMES[k]) for k in kinds)
    if node.get("format") in _FORMAT_NAMES:
        name = _(_FORMAT_NAMES[node["format"]])
    if "enum" in node:
        name += ": " + ", ".join(str(v) for v in node["enum"] if v is not None)
    return name + (_(" hoặc null") if nullable else "")


def field_docs(node: dict[str, Any], defs: dict[str, Any], lang: Language = VIETNAMESE,
               prefix: str = "", depth: int = 0) -> list[FieldDoc]:
    """Every property under ``node``, depth first, in declaration order."""
    docs = []
    for name, child in node.get("properties", {}).items():
        child, nullable = _resolve(child, defs)
        path = f"{prefix}{name}"
        description = child.get("description", "")
        docs.append(FieldDoc(path, _type_name(child, nullable, lang),
                             lang.gettext(description) if description else "", depth))
        if "properties" in child:
            docs += field_docs(child, defs, lang, path + ".", depth + 1)
        items = child.get("items")
        if isinstance(items, dict):
            items, _ = _resolve(items, defs)
            if "properties" in items:
                docs += field_docs(items, defs, lang, path + "[].", depth + 1)
    return docs


def export_docs(catalogue: Catalogue, lang: Language = VIETNAMESE,
                ) -> tuple[list[FieldDoc], list[ExportDoc]]:
    """The envelope's fields, then each export file with its fields and CSV columns."""
    schema = export_schema(Urls.export_schema)
    defs = schema["$defs"]
    envelope = [f for f in field_docs(schema, defs, lang) if f.path != "$schema"]
    counts = {"products": len(catalogue.products), "producers": len(catalogue.producers),
              "points_of_sale": len(catalogue.points_of_sale), "fairs": len(catalogue.fairs)}
    exports = [
        ExportDoc(
            kind=kind, label=lang.gettext(KIND_LABELS[kind]), json_url=Urls.export(kind),
            csv_url=Urls.csv(kind) if kind in CSV_FILES else None,
            count=counts[kind], fields=tuple(field_docs(defs[_ITEM_DEFS[kind]], defs, lang)),
            columns=CSV_COLUMNS.get(kind, ()),
        )
        for kind in EXPORT_FILES
    ]
    return envelope, exports


def plan_open_data_page(catalogue: Catalogue, lang: Language) -> list[PageSpec]:
    _ = lang.gettext
    envelope, exports = export_docs(catalogue, lang)
    return [PageSpec(
        url=Urls.open_data, template="ocop/open-data.html", title=_("Dữ liệu mở"),
        kind="open-data",
        context={"envelope": envelope, "exports": exports, "export_version": EXPORT_VERSION,
                 "admin_units": official_units().source},
        description=_("Tải dữ liệu sản phẩm, chủ thể, điểm bán, hội chợ OCOP (JSON, CSV), "
                    "bản tin Atom; mô tả các trường và giấy phép sử dụng."),
    )]
