"""Open-data exports parsed back: JSON against the published schema, CSV as Excel
reads it, vCards with a vCard parser; all compared with the YAML sources."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import unicodedata
from itertools import pairwise
from pathlib import Path

import jsonschema
import pytest
import rawdata
import vobject

from generator.adapter.publish import build_site
from generator.link.suppliers import standard_label
from generator.plan.data_contract import CSV_COLUMNS
from generator.write.files import json_bytes, json_list_chunks
from generator.write.text_formats import csv_cell, escape_text, fold_line
from generator.write.vcards import tel_uri

SITE_URL = "https://ocop.example.vn/"
KINDS = {"products": "products.json", "producers": "producers.json",
         "points_of_sale": "points-of-sale.json", "fairs": "fairs.json"}


def load_json(site: Path, name: str) -> dict:
    return json.loads((site / "du-lieu" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema(sample_site: Path) -> dict:
    return load_json(sample_site, "ocop-export.schema.json")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_json_export_is_valid_against_published_schema(sample_site, schema, kind):
    data = load_json(sample_site, KINDS[kind])
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    assert data["kind"] == kind
    assert data["version"].startswith("1.")
    assert data["build_date"] == rawdata.BUILD_DATE.isoformat()
    assert data["count"] == len(data["items"])
    assert data["$schema"] == SITE_URL + "du-lieu/ocop-export.schema.json"
    ids = [item["id"] for item in data["items"]]
    assert ids == sorted(ids)


def test_schema_rejects_a_broken_item(sample_site, schema):
    data = load_json(sample_site, "products.json")
    del data["items"][0]["ocop"]["stars"]
    data["items"][1]["unexpected"] = 1
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    messages = sorted(e.message for e in errors)
    assert messages == ["'stars' is a required property",
                        "Additional properties are not allowed ('unexpected' was unexpected)"]


def test_sample_has_certificate_histories():
    """An upgrade (3 to 4 stars while the old one ran) and a renewal after a lapse."""
    histories = {pid: [(c["stars"], c["issued"], rawdata._expires(c)) for c in p.certificates]
                 for pid, p in rawdata.products().items() if len(p.certificates) > 1}
    assert len(histories) >= 3
    assert any(old[0] == 3 and new[0] == 4 and new[1] <= old[2]
               for h in histories.values() for old, new in pairwise(h))
    assert any(new[1] > old[2] for h in histories.values() for old, new in pairwise(h))


def test_products_json_matches_yaml(sample_site):
    raw = rawdata.products()
    items = {i["id"]: i for i in load_json(sample_site, "products.json")["items"]}
    assert set(items) == set(raw)
    for pid, product in raw.items():
        item = items[pid]
        assert item["name"] == product.data["name"]
        assert item["url"] == f"{SITE_URL}san-pham/{pid}/"
        assert (sample_site / "san-pham" / pid / "index.html").exists()
        assert item["producer"]["id"] == product.producer
        assert item["ocop"]["stars"] == product.stars
        assert item["ocop"]["issued"] == product.issued.isoformat()
        assert item["ocop"]["expires"] == product.expires.isoformat()
        assert item["ocop"]["status"] == product.status()
        assert item["ocop"]["certified"] == product.certified
        # The history as written, oldest first; the current one marked and equal to ocop.
        assert [(c["issued"], c["stars"], c["decision"]) for c in item["certificates"]] == [
            (c["issued"].isoformat(), c["stars"], c["decision"]) for c in product.certificates]
        assert [c for c in item["certificates"] if c["current"]] == [item["ocop"]]
        price = product.data.get("price")
        assert item["price"] == (None if price is None else {**price, "currency": "VND"})
        assert len(item["photos"]) == len(product.data["photos"])
        for photo in item["photos"]:
            assert (sample_site / photo["url"].removeprefix(SITE_URL)).is_file()


def test_producers_json_matches_yaml(sample_site):
    raw = rawdata.producers()
    items = {i["id"]: i for i in load_json(sample_site, "producers.json")["items"]}
    assert set(items) == set(raw)
    by_producer: dict[str, list[str]] = {}
    for product in rawdata.products().values():
        by_producer.setdefault(product.producer, []).append(product.id)
    for pid, producer in raw.items():
        item = items[pid]
        assert item["name"] == producer["name"]
        assert item["type"] == producer["type"]
        assert item["address"]["commune"] == producer["address"]["commune"]
        supplier = producer.get("supplier", {})
        assert item["supplier"]["wholesale"] == supplier.get("wholesale", False)
        assert item["supplier"]["standards"] == supplier.get("standards", [])
        assert sorted(item["products"]) == sorted(by_producer.get(pid, []))
        assert (sample_site / "chu-the" / pid / "index.html").exists()
        assert (sample_site / item["vcard_url"].removeprefix(SITE_URL)).is_file()


def test_points_of_sale_and_fairs_json_match_yaml(sample_site):
    pos = {i["id"]: i for i in load_json(sample_site, "points-of-sale.json")["items"]}
    raw_pos = rawdata.records("points-of-sale")
    assert set(pos) == set(raw_pos)
    for pid, record in raw_pos.items():
        assert pos[pid]["name"] == record["name"]
        assert pos[pid]["url"] == f"{SITE_URL}diem-ban/{pid}/"
        carried = set(record["carries"].get("products", []))
        for producer in record["carries"].get("producers", []):
            carried |= {p.id for p in rawdata.products().values() if p.producer == producer}
        assert set(pos[pid]["products"]) == carried
    fairs = {i["id"]: i for i in load_json(sample_site, "fairs.json")["items"]}
    raw_fairs = rawdata.records("fairs")
    assert set(fairs) == set(raw_fairs)
    for fid, record in raw_fairs.items():
        assert fairs[fid]["starts"] == record["starts"].isoformat()
        assert fairs[fid]["url"] == f"{SITE_URL}hoi-cho/{fid}/"
        assert [e["producer"] for e in fairs[fid]["exhibitors"]] == \
            [e["producer"] for e in record.get("exhibitors", [])]


def read_csv(path: Path) -> tuple[bytes, list[dict[str, str]]]:
    data = path.read_bytes()
    # Excel needs the BOM to read UTF-8; 'utf-8-sig' is how Python reads such a file.
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return data, rows


@pytest.mark.parametrize("kind", ["products", "producers"])
def test_csv_opens_in_excel_with_vietnamese_text(sample_site, kind):
    data, rows = read_csv(sample_site / "du-lieu" / f"{kind}.csv")
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert header.split(",") == [c.name for c in CSV_COLUMNS[kind]]
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    raw = rawdata.products() if kind == "products" else rawdata.producers()
    assert len(rows) == len(raw)
    names = {row["id"]: row["name"] for row in rows}
    for rid, record in raw.items():
        expected = record.data["name"] if kind == "products" else record["name"]
        assert names[rid] == expected
        assert unicodedata.is_normalized("NFC", names[rid])


def test_csv_cells_with_commas_quotes_and_lists(sample_site):
    _, rows = read_csv(sample_site / "du-lieu" / "producers.csv")
    by_id = {row["id"]: row for row in rows}
    producer = rawdata.producers()["htx-thot-not-phuoc-hoa"]
    row = by_id["htx-thot-not-phuoc-hoa"]
    assert row["standards"] == "; ".join(producer["supplier"]["standards"])
    assert row["wholesale"] == "true"
    assert row["capacity"] == producer["supplier"]["capacity"]
    assert row["phone"] == producer["contacts"]["phone"]


def test_csv_cell_defuses_formulas():
    assert csv_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert csv_cell("+84 912 345 678") == "'+84 912 345 678"
    assert csv_cell("@SUM(1)") == "'@SUM(1)"
    assert csv_cell("0296 3 871 234") == "0296 3 871 234"
    assert csv_cell(None) == ""
    assert csv_cell(12) == "12"


def test_supplier_filter_data_is_compact_and_complete(sample_site):
    folder = sample_site / "nha-cung-cap"
    plain = (folder / "bo-loc.json").read_bytes()
    assert gzip.decompress((folder / "bo-loc.json.gz").read_bytes()) == plain
    data = json.loads(plain)
    assert data["version"] == 1
    rows = data["producers"]
    assert len(rows) == len(rawdata.producers())
    col = {name: i for i, name in enumerate(data["fields"])}
    haccp = next(i for i, s in enumerate(data["standards"]) if s[0] == "HACCP")
    holding = sorted(row[col["id"]] for row in rows if haccp in row[col["standards"]])
    expected = sorted(pid for pid, p in rawdata.producers().items()
                      if "HACCP" in p.get("supplier", {}).get("standards", []))
    assert holding == expected
    assert data["standards"][haccp][1] == len(expected)


def test_standard_label_files_editions_under_one_name():
    assert standard_label("ISO 22000:2018") == "ISO 22000"
    assert standard_label(" ISO  22000 ") == "ISO 22000"
    assert standard_label("TCVN 5603:2008") == "TCVN 5603"
    assert standard_label("HACCP") == "HACCP"


# --- vCards -----------------------------------------------------------------------

def test_every_producer_has_a_vcard_that_parses(sample_site):
    for pid, producer in rawdata.producers().items():
        path = sample_site / "chu-the" / pid / f"{pid}.vcf"
        data = path.read_bytes()
        text = data.decode("utf-8")
        lines = text.split("\r\n")
        assert lines[:2] == ["BEGIN:VCARD", "VERSION:4.0"]
        assert lines[-2:] == ["END:VCARD", ""]
        assert "\n" not in text.replace("\r\n", "")
        assert max(len(line.encode("utf-8")) for line in lines) <= 75
        card = vobject.readOne(text)
        assert card.fn.value == producer["name"]
        assert card.kind.value == "org"
        contacts = producer.get("contacts", {})
        if contacts.get("email"):
            assert card.email.value == contacts["email"]
        if contacts.get("phone"):
            digits = "".join(c for c in contacts["phone"] if c.isdigit())
            tels = [t.value for t in card.contents["tel"]]
            assert f"tel:+84{digits[1:]}" in tels
        adr = card.adr.value
        assert adr.city == producer["address"]["commune"]
        assert adr.region == producer["address"]["province"]


def test_vcard_of_producer_with_every_field(sample_site):
    text = (sample_site / "chu-the/htx-thot-not-phuoc-hoa/htx-thot-not-phuoc-hoa.vcf"
            ).read_text(encoding="utf-8")
    card = vobject.readOne(text)
    assert card.org.value == ["Hợp tác xã Thốt Nốt Phước Hòa"]
    assert card.adr.value.street == "Ấp Phước Lộc"
    assert card.geo.value == "geo:10.3801,104.9902"
    urls = sorted(u.value for u in card.contents["url"])
    assert urls == ["https://ocop.example.vn/chu-the/htx-thot-not-phuoc-hoa/",
                    "https://thotnotphuochoa.example.vn", "https://zalo.me/0912345678"]
    note = card.note.value
    assert "Năng lực: 30 tấn/năm." in note
    assert "Đơn tối thiểu: 100 hũ." in note
    assert "Tiêu chuẩn: VietGAP, HACCP." in note
    assert card.uid.value.startswith("urn:uuid:")


def test_vcard_text_escaping_and_folding():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "NOTE:" + "Đường thốt nốt " * 10
    folded = fold_line(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line
    assert all(len(p.encode("utf-8")) <= 74 for p in parts[1:])
    assert len(parts[0].encode("utf-8")) <= 75
    # No part starts with half of a multi-byte character: each decodes on its own.
    assert all(p.encode("utf-8").decode("utf-8") == p for p in parts)


def test_tel_uri():
    assert tel_uri("0296 3 871 234") == "tel:+842963871234"
    assert tel_uri("0912.345.678") == "tel:+84912345678"
    assert tel_uri("+84 912 345 678") == "tel:+84912345678"
    assert tel_uri("1900 1234") is None


# --- licence, page, determinism -----------------------------------------------------

def test_open_data_page_documents_every_field_and_the_licence(sample_site, schema):
    html = (sample_site / "du-lieu" / "index.html").read_text(encoding="utf-8")
    assert 'rel="license">CC BY 4.0</a>' in html
    for name in ("product", "producer", "point_of_sale", "fair"):
        for field in schema["$defs"][name]["properties"]:
            assert f"<code>{field}</code>" in html, (name, field)
    for columns in CSV_COLUMNS.values():
        for column in columns:
            assert f"<code>{column.name}</code>" in html
    for name in KINDS.values():
        assert f'href="../du-lieu/{name}"' in html


def test_licence_is_configurable(mini_project, fixed_date):
    config = mini_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(
        '      notice: "Dữ liệu thử nghiệm"',
        '      notice: "Dữ liệu thử nghiệm"\n      data_licence: "ODC-BY 1.0"\n'
        '      data_licence_url: "https://opendatacommons.org/licenses/by/1-0/"'),
        encoding="utf-8")
    site = build_site(config, mini_project / "site", strict=True)
    data = load_json(site, "producers.json")
    assert data["licence"] == {"name": "ODC-BY 1.0",
                               "url": "https://opendatacommons.org/licenses/by/1-0/"}
    html = (site / "du-lieu" / "index.html").read_text(encoding="utf-8")
    assert 'rel="license">ODC-BY 1.0</a>' in html


def test_outputs_are_byte_identical_across_builds(mini_project, fixed_date, tmp_path):
    config = mini_project / "mkdocs.yml"
    first = build_site(config, tmp_path / "one", strict=True)
    shutil.rmtree(mini_project / ".cache", ignore_errors=True)
    second = build_site(config, tmp_path / "two", strict=True)
    wanted = ["du-lieu", "nha-cung-cap", "q", "chu-the"]
    files = sorted(p.relative_to(first) for folder in wanted
                   for p in (first / folder).rglob("*") if p.is_file())
    assert any(str(f).endswith(".vcf") for f in files)
    assert any(str(f).endswith("qr.svg") for f in files)
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_output_paths_cannot_leave_the_site(tmp_path):
    from types import SimpleNamespace

    from generator.write.files import write_bytes

    context = SimpleNamespace(site_dir=tmp_path, made_folders=set(), kept_site=False,
                              kept_files=None)
    assert write_bytes(context, "q/x/index.html", b"ok") == "q/x/index.html"
    assert (tmp_path / "q/x/index.html").read_bytes() == b"ok"
    for bad in ("../x", "/etc/x", "a/../b", "a\\b/c", "c:/x", "a//b"):
        with pytest.raises(ValueError, match="output path leaves the site folder"):
            write_bytes(context, bad, b"")


def test_addresses_carry_the_official_codes(sample_site):
    """Codes as the official list gives them (read here from the package's other file)."""
    import json as json_module

    from generator.source.admin_units import data_file

    flat = json_module.loads((data_file().parent / "flat-divisions.json").read_text("utf-8"))
    # That file writes "Tỉnh An Giang", "Thành phố Cần Thơ"; addresses say "An Giang".
    codes = {(w["province_name"].removeprefix("Tỉnh ").removeprefix("Thành phố "), w["name"]):
             w["code"] for w in flat}
    producers = load_json(sample_site, "producers.json")["items"]
    for item in producers:
        a = item["address"]
        assert a["commune_code"] == codes[(a["province"], a["commune"])], item["id"]
    assert {i["address"]["province_code"] for i in producers} == {91}  # An Giang
    products = load_json(sample_site, "products.json")["items"]
    by_producer = {i["id"]: i["address"]["commune_code"] for i in producers}
    assert all(p["commune_code"] == by_producer[p["producer"]["id"]] for p in products)
    _, rows = read_csv(sample_site / "du-lieu" / "producers.csv")
    assert {r["id"]: int(r["commune_code"]) for r in rows} == by_producer


@pytest.mark.parametrize("items", [[], [{"name": "Mắm cá linh", "tags": ["Châu Đốc", None]}],
                                   [{"a": 1}, {"b": "\"quoted\"\n"}, [1.5, True]]])
def test_an_export_written_item_by_item_is_byte_for_byte_the_whole(items):
    head = {"$schema": "https://x.vn/du-lieu/s.json", "kind": "products", "count": len(items),
            "licence": {"name": "CC BY 4.0", "url": None}}
    whole = json_bytes({**head, "items": items})
    assert b"".join(json_list_chunks(head, "items", items)) == whole
    assert b"".join(json_list_chunks({}, "items", items)) == json_bytes({"items": items})


def test_an_export_written_item_by_item_refuses_a_second_list():
    with pytest.raises(ValueError, match="'items' is already in the data"):
        list(json_list_chunks({"items": 5, "count": 1}, "items", [1]))


def test_every_csv_kind_is_a_json_kind():
    """The exports writer goes through the JSON kinds and adds a CSV where there is one."""
    from generator.plan.data_contract import CSV_COLUMNS
    from generator.plan.urls import EXPORT_FILES

    assert set(CSV_COLUMNS) <= set(EXPORT_FILES)
