"""JSON Schemas of the record kinds, for staff's editors (VS Code's YAML extension).

Written from the same declarations that validate the records (``fields``), so
what the editor underlines is what ``ocop check`` reports.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import typing
from pathlib import Path
from typing import Any, Literal

from .fields import FORMATS, MISSING, alternatives, schema_fields, type_hints, unwrap_optional


def _json_type(tp: Any, f: dataclasses.Field[Any], defs: dict[str, Any]) -> dict[str, Any]:
    tp, _ = unwrap_optional(tp)
    meta = f.metadata
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # reserve first: records may refer to themselves
            defs[name] = object_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        out: dict[str, Any] = {"type": "array", "items": _json_type(item_tp, f, defs)}
        if meta.get("min_items"):
            out["minItems"] = meta["min_items"]
        return out
    if origin is Literal:
        return {"enum": list(typing.get_args(tp))}
    if tp is bool:
        return {"type": "boolean"}
    if tp in (int, float):
        out = {"type": "integer" if tp is int else "number"}
        if meta.get("minimum") is not None:
            out["minimum"] = meta["minimum"]
        if meta.get("maximum") is not None:
            out["maximum"] = meta["maximum"]
        return out
    if tp is dt.date:
        # Staff write dates unquoted; YAML editors see a string or a date.
        return {"type": "string", "format": "date"}
    out = {"type": "string"}
    fmt = meta.get("format")
    if fmt in FORMATS:
        out["pattern"] = FORMATS[fmt][0].pattern
    if fmt == "email":
        out["format"] = "email"
    if fmt == "url":
        out["format"] = "uri"
    if meta.get("min_length"):
        out["minLength"] = 1
    return out


def object_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in schema_fields(cls):
        prop = _json_type(hints[f.name], f, defs)
        prop = {"description": f.metadata["doc"], **prop} if "$ref" not in prop else {
            "description": f.metadata["doc"], "allOf": [prop]}
        if f.metadata.get("example") is not None:
            prop["examples"] = [f.metadata["example"]]
        properties[f.name] = prop
        if f.default is MISSING and f.default_factory is MISSING:
            required.append(f.name)
    out: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    choices = [[{"required": [name]} for name in names]
               for names in alternatives(cls).values()]
    if len(choices) == 1:
        out["oneOf"] = choices[0]
    elif choices:
        out["allOf"] = [{"oneOf": c} for c in choices]
    return out


def json_schema(cls: type, schema_id: str, title: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a top-level record kind."""
    defs: dict[str, Any] = {}
    body = object_schema(cls, defs)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        **body,
    }
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


#: Where the published schemas live (the ``$schema`` line of every record file points here).
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
SCHEMA_BASE = "https://ocop.example.vn/schemas/"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write one JSON Schema per record kind; the product one lists the sub-group ids."""
    from .groups import load_groups
    from .layout import DEFAULT_GROUPS_FILE, SourceLayout
    from .problems import Problems
    from .records import RECORD_KINDS

    groups = load_groups(DEFAULT_GROUPS_FILE, SourceLayout.default(Path.cwd()), Problems())
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, cls in RECORD_KINDS.items():
        schema = json_schema(cls, f"{SCHEMA_BASE}{name}.schema.json", cls.__doc__ or name)
        if name == "product" and groups.subgroup_ids():
            # Editors then offer the official sub-groups as completions.
            category = schema["properties"]["category"]
            category["enum"] = groups.subgroup_ids()
            category["description"] += ": " + "; ".join(
                f"{c.id} = {c.name}" for c in groups.by_id.values() if c.parent)
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
