"""The web editor's configuration and file format (the browser tests drive the editor
itself: tests/browser/test_web_editor.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import re
import shutil
import subprocess
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from conftest import ROOT

from generator.media.image_types import ImageSettings
from generator.source.canonical import canonical_text
from generator.source.fields import schema_fields, type_hints, unwrap_optional
from generator.source.groups import load_groups
from generator.source.layout import DEFAULT_GROUPS_FILE, SourceLayout
from generator.source.problems import Problems
from generator.source.records import RECORD_KINDS
from generator.staff.formatting import record_kind, record_paths
from generator.write.web_editor import editor_config, editor_json

SCRIPT = ROOT / "theme" / "assets" / "javascripts" / "ocop-cms.js"
JS_YAML = ROOT / "theme" / "assets" / "vendor" / "js-yaml" / "js-yaml.min.js"
COLLECTION_OF = {"producer": "producers", "product": "products",
                 "point-of-sale": "points-of-sale", "fair": "fairs"}


@pytest.fixture(scope="module")
def groups():
    return load_groups(DEFAULT_GROUPS_FILE, SourceLayout.default(ROOT), Problems())


@pytest.fixture(scope="module")
def config(groups) -> dict[str, Any]:
    return editor_config(groups, repo="so-nn/ocop", branch="main", auth_url="",
                         site_url="https://ocop.example.vn/", products_dir="products",
                         points_of_sale_dir="content/points-of-sale",
                         fairs_dir="content/fairs", content_dir="content")


def _check_fields(cls: type, fields: list[dict[str, Any]], where: str) -> None:
    """Every declared field has a widget, in declared order, typed like the schema."""
    hints = type_hints(cls)
    declared = schema_fields(cls)
    assert [f["name"] for f in fields] == [f.name for f in declared], where
    for f, widget in zip(declared, fields, strict=True):
        path = f"{where}.{f.name}"
        assert widget.get("widget"), f"{path} has no widget"
        assert widget["label"], path
        tp, _ = unwrap_optional(hints[f.name])
        item = typing.get_args(tp)[0] if typing.get_origin(tp) is list else None
        if dataclasses.is_dataclass(tp):
            assert widget["widget"] == "object", path
            _check_fields(tp, widget["fields"], path)  # type: ignore[arg-type]
        elif item is not None and dataclasses.is_dataclass(item):
            assert widget["widget"] == "list", path
            _check_fields(item, widget["fields"], path)  # type: ignore[arg-type]
        elif typing.get_origin(tp) is Literal:
            assert [o["value"] for o in widget["options"]] == list(typing.get_args(tp)), path
        elif tp in (int, float):
            assert (widget["widget"], widget["value_type"]) == (
                "number", "int" if tp is int else "float"), path
            assert widget.get("min") == f.metadata["minimum"], path
            assert widget.get("max") == f.metadata["maximum"], path
        elif tp is bool:
            assert widget["widget"] == "boolean", path
        elif tp is dt.date:
            assert (widget["widget"], widget["format"]) == ("datetime", "YYYY-MM-DD"), path
        elif item is not None:
            assert widget["widget"] in ("list", "relation"), path
        else:
            assert tp is str, path
            expected = {"markdown": "markdown", "file": "image"}.get(
                f.metadata.get("format"), "string")
            assert widget["widget"] in (expected, "select"), path


def test_every_record_field_has_a_widget(config):
    collections = {c["name"]: c for c in config["collections"]}
    for kind, cls in RECORD_KINDS.items():
        fields = collections[COLLECTION_OF[kind]]["fields"]
        if kind == "product":  # the producer chooser comes first; files never hold it
            assert fields[0]["name"] == "producer" and fields[0]["required"] is False
            fields = fields[1:]
        _check_fields(cls, fields, kind)


def test_a_field_of_a_new_kind_needs_its_widget_chosen(groups):
    """No silent text box for a type the editor was never taught."""
    from generator.source.canonical import record_shape
    from generator.source.fields import spec
    from generator.write.web_editor import record_fields

    @dataclasses.dataclass
    class Harvest:
        """Mùa vụ."""

        months: dict[str, int] = spec("Tháng thu hoạch", default_factory=dict)

    with pytest.raises(TypeError, match=r"Harvest.months: no web-editor widget for dict"):
        record_fields(Harvest, True, groups, ImageSettings())
    with pytest.raises(TypeError, match=r"no canonical form for fields of type dict"):
        record_shape(Harvest)


def test_the_form_enforces_what_the_schema_does(config, groups):
    products = {c["name"]: c for c in config["collections"]}["products"]
    fields = {f["name"]: f for f in products["fields"]}
    assert fields["name"]["required"] is True
    assert fields["name_en"]["required"] is False
    # The official sub-groups, by id, in the decision's order.
    assert [o["value"] for o in fields["category"]["options"]] == groups.subgroup_ids()
    assert fields["category"]["options"][0]["label"].endswith(")")
    # `ocop` and `certificates` are alternatives: neither is required by the form,
    # but the stars are held to 3-5 wherever they are given.
    ocop = {f["name"]: f for f in fields["ocop"]["fields"]}
    assert fields["ocop"]["required"] is False
    assert (ocop["stars"]["min"], ocop["stars"]["max"]) == (3, 5)
    photos = {f["name"]: f for f in fields["photos"]["fields"]}
    assert fields["photos"]["required"] is True and fields["photos"]["min"] == 1
    assert photos["alt"]["required"] is True
    assert photos["file"]["widget"] == "image"
    assert "tối đa 20 MB" in photos["file"]["hint"]
    assert photos["file"]["media_library"] == {"config": {"max_file_size": 20 * 1024 * 1024}}
    assert fields["price"]["fields"][0]["value_type"] == "int"
    assert fields["traceability"]["pattern"][1] == "một địa chỉ web bắt đầu bằng https://"
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"] == {
        "name": "github", "repo": "so-nn/ocop", "branch": "main",
        "commit_messages": config["backend"]["commit_messages"]}
    assert config["locale"] == "vi"


def test_producer_contacts_keep_their_patterns(config):
    producers = {c["name"]: c for c in config["collections"]}["producers"]
    contacts = {f["name"]: f for f in producers["fields"]}["contacts"]
    phone = {f["name"]: f for f in contacts["fields"]}["phone"]
    assert phone["pattern"][0] == r"^\+?[0-9][0-9 .\-()]{5,22}[0-9]$"
    # Optional group: nothing inside it blocks saving when it is left empty.
    location = {f["name"]: f for f in producers["fields"]}["location"]
    assert [f["required"] for f in location["fields"]] == [False, False]


def test_the_site_serves_the_editor(sample_site: Path):
    page = (sample_site / "quan-tri" / "index.html").read_text(encoding="utf-8")
    scripts = [line for line in page.splitlines() if "<script" in line]
    assert scripts == [
        '<script src="../assets/vendor/js-yaml/js-yaml.min.js"></script>',
        '<script src="../assets/javascripts/ocop-cms.js"></script>',
        '<script src="../assets/vendor/decap-cms/decap-cms.js"></script>',
    ]
    assert '<meta name="robots" content="noindex, nofollow">' in page
    for name in scripts:
        src = name.split('"')[1].replace("../", "")
        assert (sample_site / src).is_file(), src
    config = yaml.safe_load((sample_site / "quan-tri" / "config.yml").read_text("utf-8"))
    assert [c["name"] for c in config["collections"]] == [
        "producers", "products", "points-of-sale", "fairs", "pages"]
    settings = json.loads((sample_site / "quan-tri" / "editor.json").read_text("utf-8"))
    assert settings == editor_json("products")


# --- the browser's writer agrees with ocop fmt ----------------------------------------

def _node(files: list[tuple[str, str]]) -> dict[str, str]:
    """What ocop-cms.js writes for each (text, kind) after reading it, via Node."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for this test (.ci/run installs it)")
    program = f"""
const ocop = require({json.dumps(str(SCRIPT))});
const jsyaml = require({json.dumps(str(JS_YAML))});
const settings = JSON.parse(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(input.map(([text, kind]) => {{
  const format = ocop.formatter(kind, settings.records[kind], jsyaml, 'producer');
  return format.toFile(format.fromFile(text));
}})));
"""
    out = subprocess.run([node, "-e", program, json.dumps(editor_json("products"))],
                         input=json.dumps(files), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _sample_files() -> list[tuple[Path, str]]:
    layout = SourceLayout.default(ROOT)
    return [(path, record_kind(layout, path) or "") for path in record_paths(layout)]


def test_the_editor_writes_every_sample_file_back_unchanged():
    files = _sample_files()
    texts = [(path.read_text(encoding="utf-8"), kind) for path, kind in files]
    written = _node(texts)
    assert len(written) == len(files) == 90
    for (path, _), (text, _), out in zip(files, texts, written, strict=True):
        assert out == text, path.relative_to(ROOT)


AWKWARD = ["yes", "No", "~", "null", "12", "007", "1.5", "1e3", "0x1f", "2025-10-08",
           "2025-10-08 10:00", ".inf", "1:20", "<<", "=", "a: b", "a #b", "a#b", "-x", "- x",
           "#x", " x", "x ", "[x]", "{x}", "'x'", '"x"', "x:", "x:y", "@x", "`x", "%x", "!x",
           "&x", "*x", "|x", ">x", "?x", ",x", "tab\there", "nbsp\u00a0", "\u00a0lead",
           "Trà “sen”", "back\\slash", "dòng một\ndòng hai", "hai dòng\n", "ba\n\n",
           "\nđầu trống", "\n thụt lề", "  \n", "a\rb", "bell\x07", "del\x7f", "c1\x85",
           "ls\u2028ps", "bom\ufeff", "emoji 🍯", "ISO 22000:2018", "7:30–17:00",
           "https://a.vn/x?y=1#z", "Ấp Mỹ Thạnh, xã Ô Lâm", "\t", "a\n  b\n",
           "non\ufffechar\uffff", "Tra\u0300 sen", "Mo\u0302\u0301c"]


def _random_texts(n: int) -> list[str]:
    pieces = ["a", "Ố", " ", "\n", ":", "#", "-", "'", '"', "\\", "1", "0", ".", "\t", "y",
              "es", "[", "{", ",", "|", ">", "~", "\u00a0", "\x1f", "🍯", "e"]
    rng = random.Random(148)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(n)]


def test_the_editor_and_ocop_fmt_write_any_text_alike():
    """Python and JavaScript, same text → same bytes (the rules are written twice)."""
    texts = AWKWARD + _random_texts(600)
    files = []
    for text in texts:
        record = {"name": text, "category": "x", "packaging": text,
                  "standards": [text, "b"], "price": {"amount": 1, "unit": text}}
        # JSON is YAML both readers read alike (PyYAML folds a raw U+0085 as a line
        # break, YAML 1.2 readers do not): the writers are compared, not the readers.
        source = re.sub("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]",
                        lambda m: f"\\u{ord(m.group()):04x}",
                        json.dumps(record, ensure_ascii=False))
        files.append((source, "product"))
    written = _node(files)
    for text, (source, _), out in zip(texts, files, written, strict=True):
        expected = canonical_text("product", "x.yaml", source.encode("utf-8"))
        assert out == expected, repr(text)


@pytest.mark.parametrize("number", ["10.380", "105.40", "-0.0", "0120000", "1e3", "abc",
                                    "123456789012345678901", "", "~", '"12"'])
def test_the_editor_writes_numbers_as_they_were_written(number: str):
    """Saving another field must not rewrite a number: "10.380" stays "10.380"."""
    text = (f"name: A\ntype: household\naddress: {{commune: Xã B, province: An Giang}}\n"
            f"location: {{lat: {number}, lon: {number}}}\n"
            f"supplier: {{wholesale: {number}}}\n")
    (out,) = _node([(text, "producer")])
    assert out == canonical_text("producer", "p.yaml", text.encode())


def test_the_editor_keeps_numbers_dates_and_phones_typed():
    text = ("name: Cơ sở A\ntype: household\naddress:\n  commune: Xã B\n  province: An Giang\n"
            "location: {lat: '10.38', lon: 105.4}\ncontacts: {phone: 02963871234}\n"
            "supplier: {wholesale: true, standards: [VietGAP]}\n")
    (out,) = _node([(text, "producer")])
    assert out.splitlines()[6:] == [
        "location:", "  lat: 10.38", "  lon: 105.4",
        "contacts:", '  phone: "02963871234"',
        "supplier:", "  wholesale: true", "  standards:", "    - VietGAP"]
    assert out == canonical_text("producer", "p.yaml", text.encode())


# --- the pull request's job summary ----------------------------------------------------

def test_the_job_summary_names_the_pages_a_change_touches(sample_catalogue):
    from generator.staff.change_summary import (
        PageChange,
        page_changes,
        parse_name_status,
        summary_markdown,
    )

    diff = ("M\tproducts/banh-bo-thot-not-neang-sa-rinh/banh-bo-thot-not-tinh-bien.yaml\n"
            "A\tproducts/banh-bo-thot-not-neang-sa-rinh/banh-bo-thot-not-tinh-bien-2.jpg\n"
            "M\tproducts/banh-bo-thot-not-neang-sa-rinh/logo.png\n"
            "D\tproducts/htx-cu/producer.yaml\n"
            "R100\tcontent/fairs/cu.yaml\tcontent/fairs/hoi-cho-ocop-an-giang-2027.yaml\n"
            "M\tcontent/gioi-thieu-ocop.md\n"
            "M\tgenerator/cli.py\n")
    changes = page_changes(sample_catalogue, SourceLayout.default(ROOT), parse_name_status(diff))
    assert summary_markdown(changes, "https://ocop.example.vn/").splitlines()[4:] == [
        "| Tệp | Thay đổi | Trang |",
        "|---|---|---|",
        "| products/banh-bo-thot-not-neang-sa-rinh/banh-bo-thot-not-tinh-bien.yaml | sửa | "
        "[Bánh bò thốt nốt](https://ocop.example.vn/san-pham/banh-bo-thot-not-tinh-bien/) |",
        "| products/banh-bo-thot-not-neang-sa-rinh/banh-bo-thot-not-tinh-bien-2.jpg | thêm | "
        "[Bánh bò thốt nốt](https://ocop.example.vn/san-pham/banh-bo-thot-not-tinh-bien/) |",
        "| products/banh-bo-thot-not-neang-sa-rinh/logo.png | sửa | "
        "[Cơ sở Bánh Bò Thốt Nốt Néang Sa Rinh](https://ocop.example.vn/chu-the/"
        "banh-bo-thot-not-neang-sa-rinh/) |",
        "| products/htx-cu/producer.yaml | xóa | (không có trang) |",
        "| content/fairs/hoi-cho-ocop-an-giang-2027.yaml | đổi tên | [Hội chợ OCOP An Giang "
        "2027](https://ocop.example.vn/hoi-cho/hoi-cho-ocop-an-giang-2027/) |",
        "| content/gioi-thieu-ocop.md | sửa | "
        "[gioi-thieu-ocop.md](https://ocop.example.vn/gioi-thieu-ocop/) |",
    ]
    # Names and paths come from pull requests: never markup in the summary.
    hostile = [PageChange("products/a|b/x.yaml", "sửa", "Mắm](javascript:alert(1)) <img src=x>",
                          "san-pham/x/")]
    assert summary_markdown(hostile, "https://ocop.example.vn/").splitlines()[-1] == (
        "| products/a\\|b/x.yaml | sửa | [Mắm\\](javascript:alert(1)) \\<img src=x\\>]"
        "(https://ocop.example.vn/san-pham/x/) |")
    assert "không đổi dữ liệu" in summary_markdown([], "https://ocop.example.vn/")
    # What the workflow feeds it: git diff -z --name-status, paths unquoted.
    z = "M\0content/tên (mới).md\0R090\0a.yaml\0content/fairs/b.yaml\0A\0products/x/y.yaml\0"
    assert parse_name_status(z) == [("sửa", "content/tên (mới).md"),
                                    ("đổi tên", "content/fairs/b.yaml"),
                                    ("thêm", "products/x/y.yaml")]
    (page,) = page_changes(sample_catalogue, SourceLayout.default(ROOT), parse_name_status(z)[:1])
    assert summary_markdown([page], "https://a.vn/").splitlines()[-1] == (
        "| content/tên (mới).md | sửa | "
        "[tên (mới).md](https://a.vn/t%C3%AAn%20%28m%E1%BB%9Bi%29/) |")
