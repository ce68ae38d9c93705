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
    assert schema["required"] == ["name", "category", "ocop", "photos"]
