"""The published JSON Schemas match the declared records, and sample files use them."""

from __future__ import annotations

import json

from conftest import ROOT

from generator.source.jsonschema import write_schemas


def test_published_schemas_are_up_to_date(tmp_path):
    for path in write_schemas(tmp_path):
        published = ROOT / "generator" / "schemas" / path.name
        assert published.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"{published.name} is stale: run `make schemas`")


def test_product_schema_lists_official_subgroups():
    schema = json.loads((ROOT / "generator/schemas/product.schema.json").read_text("utf-8"))
    enum = schema["properties"]["category"]["enum"]
    assert "thuc-pham-che-bien" in enum and "thuc-pham" not in enum
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["name", "category", "photos"]
    # One certificate or a history of them, never both, never neither.
    assert schema["oneOf"] == [{"required": ["ocop"]}, {"required": ["certificates"]}]


def _records(cls: type, seen: set[type]) -> None:
    """``cls`` and every record class its fields hold, into ``seen``."""
    from generator.source.fields import field_kind, schema_fields, type_hints

    if cls in seen:
        return
    seen.add(cls)
    for f in schema_fields(cls):
        kind, arg = field_kind(type_hints(cls)[f.name])
        if kind == "list":
            kind, arg = field_kind(arg)
        if kind == "record":
            _records(arg, seen)


def test_every_number_staff_write_has_both_bounds():
    """A number without a bound reaches int() or a page unchecked (4,300-digit stars)."""
    from generator.source.fields import field_kind, schema_fields, type_hints
    from generator.source.records import RECORD_KINDS

    classes: set[type] = set()
    for cls in RECORD_KINDS.values():
        _records(cls, classes)
    numbers = []
    for cls in classes:
        for f in schema_fields(cls):
            kind, arg = field_kind(type_hints(cls)[f.name])
            if kind == "scalar" and arg in (int, float):
                numbers.append(f"{cls.__name__}.{f.name}")
                assert f.metadata["minimum"] is not None, f.name
                assert f.metadata["maximum"] is not None, f.name
    assert sorted(numbers) == ["Location.lat", "Location.lon", "Price.amount", "Rating.score",
                               "Rating.stars"]
