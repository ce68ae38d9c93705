"""Loader and schema: each bad input gives one exact, positioned message."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image

from generator.pipeline import build_catalogue
from generator.source.layout import SourceLayout
from generator.source.problems import Problems

TODAY = dt.date(2026, 11, 18)

PRODUCER = """\
name: Hợp tác xã Thử
type: cooperative
address:
  commune: Xã Ô Lâm
  province: An Giang
contacts:
  phone: "0296 3 871 234"
"""

PRODUCT = """\
name: Đường thốt nốt
category: thuc-pham-che-bien
ocop:
  stars: 4
  decision: 86/QĐ-UBND
  issued: 2024-05-12
photos:
  - file: photo.png
    alt: Hũ đường
"""


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(buf, "PNG")
    return buf.getvalue()


def problems_of(root: Path) -> list[str]:
    problems = Problems()
    build_catalogue(SourceLayout.default(root), TODAY, problems)
    return [str(p) for p in problems.sorted()]


def catalogue(write_catalogue, producer: str | bytes = PRODUCER, product: str | bytes = PRODUCT,
              extra: dict[str, str | bytes] | None = None) -> Path:
    files: dict[str, str | bytes] = {
        "products/htx-thu/producer.yaml": producer,
        "products/htx-thu/duong.yaml": product,
        "products/htx-thu/photo.png": png(),
    }
    files.update(extra or {})
    return write_catalogue(files)


def test_valid_catalogue_has_no_problems(write_catalogue):
    assert problems_of(catalogue(write_catalogue)) == []


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        pytest.param(PRODUCT.replace("stars: 4", "stars: [4"),
                     "products/htx-thu/duong.yaml:5:11: -: YAML syntax error: "
                     "did not find expected ',' or ']' (in the [ ] list that starts at line 4, "
                     "column 10)",
                     id="syntax-error"),
        pytest.param(PRODUCT + "name: Khác\n",
                     "products/htx-thu/duong.yaml:10:1: name: duplicate field "
                     "(first given at line 1)",
                     id="duplicate-key"),
        pytest.param(PRODUCT.replace("name: Đường thốt nốt", "name: &n Đường")
                     + "name_en: *n\n",
                     "products/htx-thu/duong.yaml:1:7: -: anchors and aliases (&, *) are not "
                     "allowed; write values out",
                     id="alias"),
        pytest.param(PRODUCT + "colour: đỏ\n",
                     "products/htx-thu/duong.yaml:10:1: colour: unknown field; known fields: "
                     "name, name_en, category, ocop, certificates, photos, description, "
                     "description_en, price, packaging, net_quantity, shelf_life, ingredients, "
                     "standards, traceability, online_shops",
                     id="unknown-field"),
        pytest.param(PRODUCT + '"màu: sắc": đỏ\n',
                     "products/htx-thu/duong.yaml:10:1: -: unknown field 'màu: sắc'; known "
                     "fields: name, name_en, category, ocop, certificates, photos, description, "
                     "description_en, price, packaging, net_quantity, shelf_life, ingredients, "
                     "standards, traceability, online_shops",
                     id="unknown-field-odd-name"),
        pytest.param(PRODUCT + "standard: [HACCP]\n",
                     "products/htx-thu/duong.yaml:10:1: standard: unknown field; "
                     "did you mean 'standards'?",
                     id="misspelt-field"),
        pytest.param(PRODUCT.replace("stars: 4", "stars: 7"),
                     "products/htx-thu/duong.yaml:4:10: ocop.stars: must be between 3 and 5; "
                     "found 7",
                     id="stars-7"),
        pytest.param(PRODUCT.replace("issued: 2024-05-12", "issued: 12/05/2024"),
                     "products/htx-thu/duong.yaml:6:11: ocop.issued: must be a date written "
                     "YYYY-MM-DD; found '12/05/2024'",
                     id="bad-date"),
        pytest.param(PRODUCT.replace("issued: 2024-05-12", "issued: 2024-02-30"),
                     "products/htx-thu/duong.yaml:6:11: ocop.issued: must be a date written "
                     "YYYY-MM-DD; found '2024-02-30'",
                     id="impossible-date"),
        pytest.param(PRODUCT.replace("thuc-pham-che-bien", "banh-keo"),
                     "products/htx-thu/duong.yaml:2:11: category: unknown product group "
                     "'banh-keo'; see the list in generator/data/product-groups.yaml",
                     id="unknown-group"),
        pytest.param(PRODUCT.replace("thuc-pham-che-bien", "thuc-pham"),
                     "products/htx-thu/duong.yaml:2:11: category: 'thuc-pham' is a group; give "
                     "one of its sub-groups: nong-san-tuoi-song, nong-san-so-che, "
                     "thuc-pham-che-bien, gia-vi, che, ca-phe-ca-cao",
                     id="group-not-subgroup"),
        pytest.param(PRODUCT.replace("photo.png", "missing.png"),
                     "products/htx-thu/duong.yaml:8:11: photos[0].file: file 'missing.png' not "
                     "found in the producer's folder",
                     id="image-missing"),
        pytest.param(PRODUCT.replace("photo.png", "Photo.PNG"),
                     "products/htx-thu/duong.yaml:8:11: photos[0].file: file 'Photo.PNG' not "
                     "found; the folder has 'photo.png' (file names are case-sensitive)",
                     id="image-wrong-case"),
        pytest.param(PRODUCT + "price:\n  amount: 85.000\n  unit: hũ\n",
                     "products/htx-thu/duong.yaml:11:11: price.amount: must be a whole number "
                     "written with digits only; found '85.000'",
                     id="price-with-separators"),
        pytest.param(PRODUCT.replace("    alt: Hũ đường\n", ""),
                     "products/htx-thu/duong.yaml:8:5: photos[0].alt: required field is missing",
                     id="alt-missing"),
    ],
)
def test_bad_product(write_catalogue, product: str, expected: str):
    assert problems_of(catalogue(write_catalogue, product=product)) == [expected]


def test_unquoted_phone_keeps_its_leading_zero(write_catalogue):
    """An unquoted phone is text as written, never a number that loses its 0."""
    from generator.link.catalogue import link
    from generator.source.load import load_records

    root = catalogue(write_catalogue,
                     producer=PRODUCER.replace('"0296 3 871 234"', "0296 3 871 234"))
    problems = Problems()
    cat = link(load_records(SourceLayout.default(root), problems), TODAY, problems)
    assert problems.items == []
    assert cat.producers["htx-thu"].contacts.phone == "0296 3 871 234"


@pytest.mark.parametrize(
    ("producer", "expected"),
    [
        pytest.param(PRODUCER.replace('"0296 3 871 234"', "NO"),
                     "products/htx-thu/producer.yaml:7:10: contacts.phone: must be a phone "
                     "number of digits, spaces, dots or dashes (e.g. \"0296 3 871 234\"); "
                     "found 'NO'",
                     id="phone-NO"),
        pytest.param(PRODUCER + "supplier:\n  wholesale: yes\n",
                     "products/htx-thu/producer.yaml:9:14: supplier.wholesale: must be true or "
                     "false; found 'yes'",
                     id="boolean-yes"),
        pytest.param(PRODUCER.replace("cooperative", "company"),
                     "products/htx-thu/producer.yaml:2:7: type: must be one of cooperative, "
                     "cooperative_group, enterprise, household; found 'company'",
                     id="producer-type"),
        pytest.param(PRODUCER.replace("  province: An Giang\n", ""),
                     "products/htx-thu/producer.yaml:4:3: address.province: required field is "
                     "missing",
                     id="required-nested"),
    ],
)
def test_bad_producer(write_catalogue, producer: str, expected: str):
    assert problems_of(catalogue(write_catalogue, producer=producer)) == [expected]


def test_missing_producer_file(write_catalogue):
    root = write_catalogue({"products/htx-thu/duong.yaml": PRODUCT,
                            "products/htx-thu/photo.png": png()})
    assert problems_of(root) == [
        "products/htx-thu: -: missing producer.yaml: every producer folder needs one"
    ]


def test_all_problems_reported_in_one_run(write_catalogue):
    root = catalogue(
        write_catalogue,
        product=PRODUCT.replace("stars: 4", "stars: 9"),
        producer=PRODUCER.replace("cooperative", "company"),
        extra={"products/Bad Folder/producer.yaml": PRODUCER,
               "products/htx-thu/mam.yaml": PRODUCT.replace("photo.png", "x.png")},
    )
    assert problems_of(root) == [
        "products/Bad Folder: -: folder name 'Bad Folder' is not a valid producer id: use "
        "lower-case ASCII letters, digits and '-'",
        "products/htx-thu/duong.yaml:4:10: ocop.stars: must be between 3 and 5; found 9",
        "products/htx-thu/mam.yaml:8:11: photos[0].file: file 'x.png' not found in the "
        "producer's folder",
        "products/htx-thu/producer.yaml:2:7: type: must be one of cooperative, "
        "cooperative_group, enterprise, household; found 'company'",
    ]


def test_check_command_prints_errors_and_fails(write_catalogue, capsys):
    from generator.cli import main

    root = catalogue(write_catalogue, product=PRODUCT.replace("stars: 4", "stars: 7"))
    (root / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: content\nplugins:\n  - ocop\n", encoding="utf-8")
    (root / "content").mkdir()
    assert main(["-f", str(root / "mkdocs.yml"), "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "products/htx-thu/duong.yaml:4:10: ocop.stars: must be between 3 and 5; found 7",
        "1 error(s), 0 warning(s)",
    ]
