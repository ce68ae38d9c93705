"""Bad point-of-sale and fair records: each gives one exact, positioned message."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_validation import PRODUCER, PRODUCT, png, problems_of

POS = """\
name: Cửa hàng thử
kind: shop
address:
  commune: Phường Long Xuyên
  province: An Giang
location:
  lat: 10.38
  lon: 105.43
carries:
  producers: [htx-thu]
  products: [duong]
"""

FAIR = """\
name: Hội chợ thử
starts: 2027-03-10
ends: 2027-03-14
venue: Nhà văn hóa
city: Long Xuyên
exhibitors:
  - producer: htx-thu
    booth: A1
    products: [duong]
"""

POS_FILE = "content/points-of-sale/cua-hang.yaml"
FAIR_FILE = "content/fairs/hoi-cho.yaml"


def project(write_catalogue, files: dict[str, str | bytes]) -> Path:
    base: dict[str, str | bytes] = {
        "products/htx-thu/producer.yaml": PRODUCER,
        "products/htx-thu/duong.yaml": PRODUCT,
        "products/htx-thu/photo.png": png(),
    }
    base.update(files)
    return write_catalogue(base)


def test_valid_point_of_sale_and_fair(write_catalogue):
    assert problems_of(project(write_catalogue, {POS_FILE: POS, FAIR_FILE: FAIR})) == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {FAIR_FILE: FAIR.replace("ends: 2027-03-14", "ends: 2027-03-09")},
            ["content/fairs/hoi-cho.yaml:3:7: ends: the fair ends (09/03/2027) before it "
             "starts (10/03/2027)"],
            id="fair-ends-before-it-starts"),
        pytest.param(
            {FAIR_FILE: FAIR.replace("producer: htx-thu", "producer: htx-khac")},
            ["content/fairs/hoi-cho.yaml:7:15: exhibitors[0].producer: unknown producer "
             "'htx-khac'"],
            id="unknown-exhibitor"),
        pytest.param(
            {FAIR_FILE: FAIR.replace("[duong]", "[duong-khac]")},
            ["content/fairs/hoi-cho.yaml:9:16: exhibitors[0].products[0]: unknown product "
             "'duong-khac'"],
            id="unknown-exhibited-product"),
        pytest.param(
            {FAIR_FILE: FAIR.replace("[duong]", "[mam]"),
             "products/co-so-mam/producer.yaml": PRODUCER,
             "products/co-so-mam/mam.yaml": PRODUCT,
             "products/co-so-mam/photo.png": png()},
            ["content/fairs/hoi-cho.yaml:9:16: exhibitors[0].products[0]: product 'mam' "
             "belongs to 'co-so-mam', not to 'htx-thu'"],
            id="exhibited-product-of-another-producer"),
        pytest.param(
            {POS_FILE: POS.replace("products: [duong]", "products: [duong, mam]")},
            ["content/points-of-sale/cua-hang.yaml:11:21: carries.products[1]: unknown "
             "product 'mam'"],
            id="unknown-carried-product"),
        pytest.param(
            {POS_FILE: POS.replace("producers: [htx-thu]", "producers: [htx-thu, htx-x]")},
            ["content/points-of-sale/cua-hang.yaml:10:24: carries.producers[1]: unknown "
             "producer 'htx-x'"],
            id="unknown-carried-producer"),
        pytest.param(
            {POS_FILE: POS.replace("lat: 10.38", "lat: 1.35").replace("lon: 105.43",
                                                                     "lon: 103.82")},
            ["content/points-of-sale/cua-hang.yaml:7:3: location: coordinates 1.35, 103.82 are "
             "outside Vietnam (latitude 8–23.5, longitude 102–117.5); are lat and lon swapped?"],
            id="coordinates-in-singapore"),
        pytest.param(
            {POS_FILE: POS.replace("lon: 105.43", "lon: 100.5")},
            ["content/points-of-sale/cua-hang.yaml:7:3: location: coordinates 10.38, 100.5 are "
             "outside Vietnam (latitude 8–23.5, longitude 102–117.5); are lat and lon swapped?"],
            id="coordinates-in-thailand"),
        pytest.param(
            {POS_FILE: POS.replace("lat: 10.38", "lat: 105.43").replace("lon: 105.43",
                                                                       "lon: 10.38")},
            ["content/points-of-sale/cua-hang.yaml:7:8: location.lat: must be between -90 and "
             "90; found 105.43"],
            id="coordinates-swapped"),
        pytest.param(
            {POS_FILE: POS.replace("address:\n  commune: Phường Long Xuyên\n"
                                   "  province: An Giang\n", "")},
            ["content/points-of-sale/cua-hang.yaml:1:1: address: required field is missing "
             "(only online shops may leave it out)"],
            id="shop-without-address"),
        pytest.param(
            {POS_FILE: POS.replace("  producers: [htx-thu]\n  products: [duong]\n",
                                   "  producers: []\n")},
            ["content/points-of-sale/cua-hang.yaml:10:3: carries: list at least one producer "
             "or product"],
            id="carries-nothing"),
        pytest.param(
            {POS_FILE: POS.replace("kind: shop", "kind: kiosk")},
            ["content/points-of-sale/cua-hang.yaml:2:7: kind: must be one of showroom, shop, "
             "supermarket, market, online; found 'kiosk'"],
            id="unknown-kind"),
        pytest.param(
            {FAIR_FILE: FAIR.replace("starts: 2027-03-10", "starts: 10/03/2027")},
            ["content/fairs/hoi-cho.yaml:2:9: starts: must be a date written YYYY-MM-DD; "
             "found '10/03/2027'"],
            id="fair-date-format"),
    ],
)
def test_bad_trade_record(write_catalogue, files, expected):
    assert problems_of(project(write_catalogue, files)) == expected


# --- duplicate ids ---------------------------------------------------------------------
# Ids are file names, unique across the catalogue (DESIGN §2). A duplicate is
# two files of one folder differing only in case, an id already used by a record
# of another kind, or one id listed twice in a record's list.

@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {POS_FILE: POS, "content/points-of-sale/Cua-hang.yaml": POS},
            ["content/points-of-sale/Cua-hang.yaml: -: file name 'Cua-hang.yaml' is not a "
             "valid id: use lower-case ASCII letters, digits and '-' (e.g. "
             "duong-thot-not.yaml)",
             "content/points-of-sale/cua-hang.yaml: -: file name clashes with 'Cua-hang.yaml' "
             "(names must differ by more than upper/lower case)"],
            id="same-folder-differing-in-case"),
        pytest.param(
            {"content/points-of-sale/hoi-cho.yaml": POS, FAIR_FILE: FAIR},
            ["content/fairs/hoi-cho.yaml:1:1: -: id 'hoi-cho' is already used by the point "
             "of sale content/points-of-sale/hoi-cho.yaml; ids must be unique across the "
             "catalogue (rename this file)"],
            id="fair-id-of-a-point-of-sale"),
        pytest.param(
            {"content/points-of-sale/htx-thu.yaml": POS},
            ["content/points-of-sale/htx-thu.yaml:1:1: -: id 'htx-thu' is already used by "
             "the producer products/htx-thu/producer.yaml; ids must be unique across the "
             "catalogue (rename this file)"],
            id="point-of-sale-id-of-a-producer"),
        pytest.param(
            {"content/fairs/duong.yaml": FAIR},
            ["content/fairs/duong.yaml:1:1: -: id 'duong' is already used by the product "
             "products/htx-thu/duong.yaml; ids must be unique across the catalogue (rename "
             "this file)"],
            id="fair-id-of-a-product"),
        pytest.param(
            {POS_FILE: POS.replace("products: [duong]", "products: [duong, duong]")},
            ["content/points-of-sale/cua-hang.yaml:11:21: carries.products[1]: 'duong' is "
             "listed twice (also carries.products[0])"],
            id="carried-product-twice"),
        pytest.param(
            {POS_FILE: POS.replace("producers: [htx-thu]", "producers: [htx-thu, htx-thu]")},
            ["content/points-of-sale/cua-hang.yaml:10:24: carries.producers[1]: 'htx-thu' is "
             "listed twice (also carries.producers[0])"],
            id="carried-producer-twice"),
        pytest.param(
            {FAIR_FILE: FAIR.replace("[duong]", "[duong, duong]")},
            ["content/fairs/hoi-cho.yaml:9:23: exhibitors[0].products[1]: 'duong' is listed "
             "twice (also exhibitors[0].products[0])"],
            id="exhibited-product-twice"),
        pytest.param(
            {FAIR_FILE: FAIR + "  - producer: htx-thu\n"},
            ["content/fairs/hoi-cho.yaml:10:15: exhibitors[1].producer: producer 'htx-thu' is "
             "listed twice"],
            id="exhibitor-twice"),
    ],
)
def test_duplicate_ids(write_catalogue, files, expected):
    assert problems_of(project(write_catalogue, files)) == expected


def test_every_trade_problem_in_one_run(write_catalogue):
    root = project(write_catalogue, {
        POS_FILE: POS.replace("products: [duong]", "products: [mam]"),
        FAIR_FILE: FAIR.replace("ends: 2027-03-14", "ends: 2027-03-01")
                       .replace("producer: htx-thu", "producer: htx-khac"),
    })
    assert problems_of(root) == [
        "content/fairs/hoi-cho.yaml:3:7: ends: the fair ends (01/03/2027) before it starts "
        "(10/03/2027)",
        "content/fairs/hoi-cho.yaml:7:15: exhibitors[0].producer: unknown producer 'htx-khac'",
        "content/points-of-sale/cua-hang.yaml:11:14: carries.products[0]: unknown product "
        "'mam'",
    ]
