"""`ocop import`: from the annex of a certification decision to record files.

The spreadsheets are written by the libraries made for it (openpyxl for .xlsx,
odfpy for .ods), or as bytes in the code page Excel uses, as staff receive them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import run_ocop as run
from hypothesis import given
from hypothesis import strategies as st

from generator.source.records import Rating
from generator.source.yamlsafe import parse
from generator.staff.annex import field_of_header, parse_score, parse_stars, split_address
from generator.staff.record_text import RecordEditError, add_certificate, verify
from generator.staff.scaffold import yaml_scalar
from generator.staff.spreadsheets import read_sheets

HEADER = ["STT", "Tên SP", "TÊN CHỦ THỂ", "Địa chỉ", "Số sao", "Điểm", "Nhóm / Phân nhóm",
          "Số GCN"]
ROWS = [
    # re-certified with the same stars; the producer written short ("HTX")
    [1, "Đường thốt nốt nguyên chất", 'HTX Thốt Nốt Mẫu <&"Test">', "Xã Ô Lâm, An Giang",
     "4 sao", 80, "Thực phẩm / Thực phẩm chế biến", "AG-4S-0001/2026"],
    # upgraded from 3 stars; stars as symbols
    [2, "Rượu thốt nốt", 'HTX Thốt Nốt Mẫu <&"Test">', "Xã Ô Lâm, An Giang", "★★★★", 75,
     "Đồ uống có cồn", None],
    # two producers of that name in that ward
    [3, "Mắm cá linh Châu Đốc", "Cơ sở Mắm Mẫu", "Phường Châu Đốc, An Giang", 5, 91, "Gia vị",
     None],
    # a new producer and its product; stars in words, the province written "tỉnh …"
    [4, "Trà sen", "Tổ hợp tác Sen Quê", "Ấp Mỹ An, Xã Mỹ Hòa Hưng, tỉnh An Giang", "Bốn sao",
     70, "Chè", None],
    # not in the catalogue, and no address to start it with
    [5, "Bánh pía", "Cơ sở Bánh Pía Năm Lợi", None, "3*", 60, None, None],
    # half a star
    [6, "Khô cá lóc", "Cơ sở Khô Sáu Hậu", "Phường Châu Đốc, An Giang", "3,5", 66, None, None],
]
OPTIONS = ["--decision", "45/QĐ-UBND", "--issued", "10/11/2026", "--level", "province"]


def write_xlsx(path: Path, header: list, rows: list[list], sheet: str = "Phụ lục") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(["DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN SẢN PHẨM OCOP"])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


@pytest.fixture
def project(mini_project: Path) -> Path:
    # A second "Cơ sở Mắm Mẫu" in the same ward: a row naming it cannot be placed.
    twin = mini_project / "products/co-so-mam-mau-2"
    twin.mkdir()
    shutil.copy(mini_project / "products/co-so-mam-mau/producer.yaml", twin)
    shutil.copy(mini_project / "products/co-so-mam-mau/mam.png", twin)
    return mini_project


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "products").rglob("*")) if p.is_file()}


PLAN = "".join(line + "\n" for line in (
    "decision.xlsx: sheet Phụ lục, header on row 3: number=A, product=B, producer=C,"
    " address=D, stars=E, score=F, category=G, certificate=H",
    "1 new producer(s), 1 new product(s), 2 re-certified, 0 already imported, 1"
    " unmatched, 1 ambiguous, 1 problem(s)",
    "New producers (1):",
    "  decision.xlsx:Phụ lục:R7: Tổ hợp tác Sen Quê, Xã Mỹ Hòa Hưng, An Giang ->"
    " products/tht-sen-que/producer.yaml",
    "New products (1):",
    "  decision.xlsx:Phụ lục:R7: Trà sen (4 sao) -> products/tht-sen-que/tra-sen.yaml",
    "Re-certified (2):",
    "  decision.xlsx:Phụ lục:R4: Đường thốt nốt nguyên chất — Hợp tác xã Thốt Nốt"
    " Mẫu <&\"Test\">: 4 sao -> 4 sao (products/htx-thot-not-mau/duong-thot-not.yaml)",
    "  decision.xlsx:Phụ lục:R5: Rượu thốt nốt — Hợp tác xã Thốt Nốt Mẫu <&\"Test\">:"
    " 3 sao -> 4 sao (upgraded) (products/htx-thot-not-mau/ruou-thot-not.yaml)",
    "Unmatched (1):",
    "  decision.xlsx:Phụ lục:R8: Bánh pía — Cơ sở Bánh Pía Năm Lợi: producer 'Cơ sở"
    " Bánh Pía Năm Lợi' is not in the catalogue and the table gives no commune and"
    " province for a new one (add an Địa chỉ column, or --map the columns that hold"
    " them)",
    "Ambiguous (1):",
    "  decision.xlsx:Phụ lục:R6: Mắm cá linh Châu Đốc — Cơ sở Mắm Mẫu: producer 'Cơ"
    " sở Mắm Mẫu' (Phường Châu Đốc, An Giang) matches 2 producers:"
    " products/co-so-mam-mau-2/producer.yaml, products/co-so-mam-mau/producer.yaml;"
    " add a Mã sản phẩm / Mã chủ thể column",
    "Problems (1):",
    "  decision.xlsx:Phụ lục:R9:C5: stars: must be 3, 4 or 5; found \"3,5\"",
    "To fill in by hand (ocop check reports these until done) (2):",
    "  products/tht-sen-que/tra-sen.yaml:35:5: photos[0].file: required field has no"
    " value; fill it in",
    "  products/tht-sen-que/tra-sen.yaml:36:5: photos[0].alt: required field has no"
    " value; fill it in",
))


def test_dry_run_prints_the_plan_and_writes_nothing(project: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     fixed_date: None):
    table = write_xlsx(tmp_path / "decision.xlsx", HEADER, ROWS)
    before = snapshot(project)
    status, out, err = run(project, capsys, "import", str(table), *OPTIONS)
    assert (status, err) == (1, "")
    assert out == PLAN + "Dry run: nothing written. Run again with --write to write 4 file(s).\n"
    assert snapshot(project) == before


def test_write_then_check_then_import_again(project: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            fixed_date: None):
    table = write_xlsx(tmp_path / "decision.xlsx", HEADER, ROWS)
    status, out, _ = run(project, capsys, "import", str(table), *OPTIONS, "--write")
    assert status == 1
    assert out == PLAN + ("Wrote 4 file(s). Next: fill in what is listed, run ocop check, "
                          "then open a pull request.\n")
    # The upgraded product keeps its history and gains the new certificate, last.
    ruou = yaml.safe_load((project / "products/htx-thot-not-mau/ruou-thot-not.yaml")
                          .read_text(encoding="utf-8"))
    assert [(c["stars"], c["issued"], c["decision"]) for c in ruou["certificates"]] == [
        (3, dt.date(2018, 3, 1), "7/QĐ-UBND"), (3, dt.date(2022, 1, 10), "12/QĐ-UBND"),
        (4, dt.date(2026, 11, 10), "45/QĐ-UBND")]
    assert ruou["certificates"][-1] == {"stars": 4, "issued": dt.date(2026, 11, 10),
                                        "decision": "45/QĐ-UBND", "score": 75,
                                        "level": "province"}
    producer = yaml.safe_load((project / "products/tht-sen-que/producer.yaml")
                              .read_text(encoding="utf-8"))
    assert producer == {"name": "Tổ hợp tác Sen Quê", "type": "cooperative_group",
                        "address": {"commune": "Xã Mỹ Hòa Hưng", "province": "An Giang",
                                    "street": "Ấp Mỹ An"}}
    product_text = (project / "products/tht-sen-que/tra-sen.yaml").read_text(encoding="utf-8")
    assert product_text.startswith(
        "# yaml-language-server: $schema=../../generator/schemas/product.schema.json\n")

    # ocop check says exactly what the import listed to fill in.
    status, _, err = run(project, capsys, "check")
    assert status == 1
    assert [line for line in err.splitlines() if ": warning: " not in line] == [
        "products/tht-sen-que/tra-sen.yaml:35:5: photos[0].file: required field has no value; "
        "fill it in",
        "products/tht-sen-que/tra-sen.yaml:36:5: photos[0].alt: required field has no value; "
        "fill it in",
        "2 error(s), 0 warning(s)"]

    # A second import of the same table changes nothing, even before the photos are in.
    written = snapshot(project)
    status, out, _ = run(project, capsys, "import", str(table), *OPTIONS, "--write")
    assert snapshot(project) == written
    assert "0 new producer(s), 0 new product(s), 0 re-certified, 3 already imported" in out
    assert out.endswith("Nothing to write.\n")  # the unreadable rows are still there

    # Photos added: the catalogue checks clean and the product page shows the history.
    shutil.copy(project / "products/co-so-mam-mau/mam.png", project / "products/tht-sen-que")
    (project / "products/tht-sen-que/tra-sen.yaml").write_text(
        product_text.replace("  - file:  ", "  - file: mam.png")
        .replace("    alt:   ", "    alt: Hộp trà sen"), encoding="utf-8")
    status, out, err = run(project, capsys, "check")
    assert (status, err) == (0, "")
    from generator.adapter.publish import build_site

    build_site(project / "mkdocs.yml", project / "site")
    page = (project / "site/san-pham/ruou-thot-not/index.html").read_text(encoding="utf-8")
    assert "OCOP 4 sao</span>" in page  # the new certificate is the current one
    start = page.index('id="lich-su-chung-nhan"')
    assert page.count("<li", start, page.index("</ol>", start)) == 3


def test_rows_without_photos_added_are_already_imported(project: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        fixed_date: None):
    """A file an import wrote does not load until staff finish it; it still counts."""
    table = write_xlsx(tmp_path / "decision.xlsx", HEADER, ROWS[3:4])
    assert run(project, capsys, "import", str(table), *OPTIONS, "--write")[0] == 0
    status, out, _ = run(project, capsys, "import", str(table), *OPTIONS)
    assert status == 0
    assert "Already imported (1):\n  decision.xlsx:Phụ lục:R4: Trà sen " \
           "(products/tht-sen-que/tra-sen.yaml)\n" in out


# --- reading the table ---------------------------------------------------------------

@pytest.mark.parametrize(("written", "stars"), [
    (4, 4), (4.0, 4), ("4", 4), ("4 sao", 4), ("4 SAO", 4), ("4*", 4), ("4 *", 4),
    ("★★★★", 4), ("★★★", 3), ("Bốn sao", 4), ("bốn", 4), ("Năm sao", 5), ("ba sao", 3),
    ("tư sao", 4), (" 5 ", 5), ("★★★★☆", 4), ("★★★☆☆", 3),
])
def test_star_spellings(written, stars):
    assert parse_stars(written) == stars


@pytest.mark.parametrize(("written", "message"), [
    ("3,5", 'must be 3, 4 or 5; found "3,5"'),
    (3.5, 'must be 3, 4 or 5; found "3.5"'),
    (2, 'must be 3, 4 or 5; found "2"'),
    ("★★", 'must be 3, 4 or 5; found "★★"'),
    ("☆☆☆", 'must be 3, 4 or 5; found "☆☆☆"'),
    ("", "must be 3, 4 or 5; found nothing"),
    ("tốt", 'must be 3, 4 or 5; found "tốt"'),
])
def test_star_spellings_refused(written, message):
    assert parse_stars(written) == message


def test_scores():
    assert [parse_score(v) for v in (85, 85.0, "85", "85 điểm", "85/100")] == [85] * 5
    assert parse_score("85,5") == 'must be a whole number from 0 to 100; found "85,5"'


@pytest.mark.parametrize(("header", "field"), [
    ("Tên sản phẩm", "product"), ("TEN SAN PHAM", "product"), ("Tên  SP", "product"),
    ("tên sp ocop", "product"), ("Chủ thể", "producer"), ("CHU THE SAN XUAT", "producer"),
    ("Phân hạng / Số sao", "stars"), ("Số sao (phân hạng)", "stars"), ("Hạng sao", "stars"),
    ("Điểm", "score"), ("Tổng điểm", "score"), ("Nhóm / Phân nhóm", "category"),
    ("Số GCN", "certificate"), ("Địa chỉ", "address"), ("Xã/phường", "commune"),
    ("Tỉnh/thành phố", "province"), ("STT", "number"), ("Ghi chú", None), ("", None),
])
def test_headers_with_or_without_diacritics(header, field):
    assert field_of_header(header) == field


def test_addresses():
    assert split_address("Ấp Phước Lộc, Xã Ô Lâm, tỉnh An Giang") == (
        "Ấp Phước Lộc", "Xã Ô Lâm", "tỉnh An Giang")
    assert split_address("Khóm 3, Phường Châu Đốc, An Giang") == (
        "Khóm 3", "Phường Châu Đốc", "An Giang")
    assert split_address("Ô Lâm, An Giang") == (None, "Ô Lâm", "An Giang")
    # No province: the last part is the commune. A pre-2025 district is left out.
    assert split_address("Ấp Phước Lộc, xã Ô Lâm") == ("Ấp Phước Lộc", "xã Ô Lâm", None)
    assert split_address("xã Lương Phi, huyện Tri Tôn, tỉnh An Giang") == (
        None, "xã Lương Phi", "tỉnh An Giang")


def windows_1258(text: str) -> bytes:
    """``text`` as Windows writes it in code page 1258: letters with their shape marks
    (â, ơ, ư …) whole, tone marks as separate combining characters."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        shape = "".join(c for c in parts if c not in tones)
        out.append(unicodedata.normalize("NFC", shape) + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_csv_in_the_windows_code_page(project: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str], fixed_date: None):
    """Excel on a Vietnamese Windows saves 'CSV' in code page 1258, separated by ';'."""
    text = ("TEN SAN PHAM;Chủ thể;Xã/phường;Tỉnh;Phân hạng;Ngày cấp;Số quyết định\r\n"
            "Rượu thốt nốt;Hợp tác xã Thốt Nốt Mẫu <&\"Test\">;Xã Ô Lâm;An Giang;4 SAO;"
            "10/11/2026;45/QĐ-UBND\r\n")
    data = windows_1258(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = tmp_path / "qd.csv"
    table.write_bytes(data)
    status, out, _ = run(project, capsys, "import", str(table))
    assert status == 0
    assert out.splitlines()[:5] == [
        "qd.csv: sheet qd, header on row 1: product=A, producer=B, commune=C, province=D, "
        "stars=E, issued=F, decision=G",
        "0 new producer(s), 0 new product(s), 1 re-certified, 0 already imported, 0 unmatched, "
        "0 ambiguous, 0 problem(s)",
        "Re-certified (1):",
        "  qd.csv:qd:R2: Rượu thốt nốt — Hợp tác xã Thốt Nốt Mẫu <&\"Test\">: 3 sao -> 4 sao "
        "(upgraded) (products/htx-thot-not-mau/ruou-thot-not.yaml)",
        "Dry run: nothing written. Run again with --write to write 1 file(s).",
    ]


def test_csv_utf8_with_bom_and_an_ods_workbook(tmp_path: Path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    (tmp_path / "a.csv").write_bytes("\ufeffTên SP,Số sao\r\nMắm,4\r\n".encode())
    assert read_sheets(tmp_path / "a.csv")[0].rows == [["Tên SP", "Số sao"], ["Mắm", "4"]]
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Danh sách")
    for values in (["Tên SP", "Số sao"], ["Mắm", 4]):
        row = TableRow()
        for value in values:
            cell = (TableCell(valuetype="float", value=value) if isinstance(value, int)
                    else TableCell(valuetype="string"))
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(tmp_path / "b.ods"))
    sheet = read_sheets(tmp_path / "b.ods")[0]
    assert (sheet.name, sheet.rows) == ("Danh sách", [["Tên SP", "Số sao"], ["Mắm", 4.0]])


def test_map_names_a_column_the_words_do_not(project: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             fixed_date: None):
    header = ["TT", "Tên hàng hóa", "Cơ sở", "Kết quả"]
    table = write_xlsx(tmp_path / "t.xlsx", header,
                       [[1, "Rượu thốt nốt", 'HTX Thốt Nốt Mẫu <&"Test">', "4 sao"]])
    status, _, err = run(project, capsys, "import", str(table), *OPTIONS)
    assert status == 2
    assert err.startswith("error: t.xlsx: no header row found in the first 30 rows")
    status, out, _ = run(project, capsys, "import", str(table), *OPTIONS,
                         "--map", "Tên hàng hóa=product", "--map", "C=producer",
                         "--map", "kết quả=stars")
    assert status == 0
    assert "3 sao -> 4 sao (upgraded)" in out
    status, _, err = run(project, capsys, "import", str(table), "--map", "C=chu_the")
    assert (status, err.split(";")[0]) == (2, "error: --map 'C=chu_the': unknown field "
                                              "'chu_the'")


def test_headings_inside_the_table_give_the_group(project: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  fixed_date: None):
    rows = [["I", "NHÓM GIA VỊ"],
            [1, "Nước chấm", "Tổ hợp tác Sen Quê", "Xã Mỹ Hòa Hưng, An Giang", 3, 60, None, None],
            ["", "Tổng cộng: 1 sản phẩm"]]
    table = write_xlsx(tmp_path / "t.xlsx", HEADER, rows)
    assert run(project, capsys, "import", str(table), *OPTIONS, "--write")[0] == 0
    assert "category: gia-vi " in (project / "products/tht-sen-que/nuoc-cham.yaml").read_text(
        encoding="utf-8")


# --- adding a certificate to a file ----------------------------------------------------

NEW = Rating(stars=5, issued=dt.date(2026, 11, 10), decision="45/QĐ-UBND", score=91)


@pytest.mark.parametrize("before", [
    "name: A\ncategory: gia-vi\nocop:\n  stars: 4\n  issued: 2024-05-12\n  decision: 1/QĐ\n"
    "photos:\n  - {file: a.png, alt: b}\n",
    "name: A\ncategory: gia-vi\nocop: {stars: 4, issued: 2024-05-12, decision: 1/QĐ}\n"
    "photos:\n  - {file: a.png, alt: b}\n",
    "# kept\nname: A\r\ncategory: gia-vi\r\nocop:   # one certificate\r\n    stars: 4\r\n"
    "    # the first\r\n    issued: 2024-05-12\r\n    decision: 1/QĐ\r\n\r\n# photos\r\n"
    "photos:\r\n  - {file: a.png, alt: b}\r\n",
    "name: A\ncategory: gia-vi\ncertificates:\n- stars: 3\n  issued: 2021-01-01\n  decision: x\n"
    "- stars: 4\n  issued: 2024-05-12\n  decision: 1/QĐ\nphotos:\n  - {file: a.png, alt: b}\n",
])
def test_a_certificate_is_added_and_nothing_else_changes(before: str):
    after = add_certificate(before, NEW)
    verify("a.yaml", before, after, NEW)  # raises when anything else changed
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    assert all(line.strip().startswith(("ocop:", "stars", "issued", "decision", "# the first"))
               for line in removed), removed
    assert ("\r\n" in after) == ("\r\n" in before)


def test_a_list_on_one_line_is_left_to_staff():
    text = ("name: A\ncategory: gia-vi\ncertificates: [{stars: 4, issued: 2024-05-12, "
            "decision: x}]\nphotos:\n  - {file: a.png, alt: b}\n")
    with pytest.raises(RecordEditError, match="on one line"):
        add_certificate(text, NEW)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1))
def test_scalars_read_back_as_written(text: str):
    line = f"k: {yaml_scalar(text)}\n"
    # Written in NFC, the form our reader gives any text (a compatibility ideograph such
    # as U+F900 becomes its unified twin, U+8C48), so PyYAML reads the NFC text back.
    assert yaml.safe_load(line)["k"] == unicodedata.normalize("NFC", text)
    # Our own reader (stricter: text stays text) reads the same.
    node = parse("a.yaml", line.encode("utf-8")).items["k"][1]
    assert unicodedata.normalize("NFC", text) == node.value



# --- what an outside review tried ------------------------------------------------------

def plan_of(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: list,
            *extra: str) -> tuple[int, str]:
    table = write_xlsx(tmp_path / "t.xlsx", HEADER, rows)
    status, out, _ = run(project, capsys, "import", str(table), *OPTIONS, *extra)
    return status, out


def row(product: str, producer: str, address: str | None, stars: object = 4) -> list:
    return [1, product, producer, address, stars, None, "Gia vị", None]


def test_a_known_producer_with_an_old_or_partial_address_is_not_duplicated(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    status, out = plan_of(project, tmp_path, capsys, [
        # no province: the commune alone finds the producer
        row("Kẹo thốt nốt", 'HTX Thốt Nốt Mẫu <&"Test">', "Ấp Phước Lộc, xã Ô Lâm"),
        # a pre-2025 address: the producer is known by name, the place cannot tell
        row("Mật thốt nốt", 'HTX Thốt Nốt Mẫu <&"Test">',
            "Thị trấn Ba Chúc, huyện Tri Tôn, tỉnh An Giang")], "--write")
    assert status == 1
    assert ("  t.xlsx:Phụ lục:R4: Kẹo thốt nốt (4 sao) -> "
            "products/htx-thot-not-mau/keo-thot-not.yaml\n") in out
    assert ("Ambiguous (1):\n  t.xlsx:Phụ lục:R5: Mật thốt nốt — HTX Thốt Nốt Mẫu <&\"Test\">: "
            "producer 'HTX Thốt Nốt Mẫu <&\"Test\">' is in the catalogue at Xã Ô Lâm, An "
            "Giang, the table says 'Thị trấn Ba Chúc, An Giang': "
            "products/htx-thot-not-mau/producer.yaml") in out
    assert not list((project / "products").glob("htx-thot-not-mau-*"))


def test_a_neighbours_product_of_the_same_name_is_not_taken(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    status, out = plan_of(project, tmp_path, capsys, [
        row("Rượu thốt nốt", "Hộ kinh doanh Năm Sang", "Xã Ô Lâm, An Giang")])
    assert status == 1
    assert ("Rượu thốt nốt — Hộ kinh doanh Năm Sang: no producer named 'Hộ kinh doanh Năm Sang' "
            "in Xã Ô Lâm, An Giang, but a product of that name there belongs to Hợp tác xã "
            "Thốt Nốt Mẫu <&\"Test\">: products/htx-thot-not-mau/ruou-thot-not.yaml") in out


def test_a_new_producer_needs_an_address_of_today(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    status, out = plan_of(project, tmp_path, capsys, [
        row("Nước mắm", "Cơ sở Nước Mắm Hai Lúa", "Phường Dương Đông, Kiên Giang"),
        row("Mắm tôm", "Cơ sở Mắm Tôm Ba Lúa", "Xã O Lam, An Giang")])
    assert status == 1
    assert ("producer 'Cơ sở Nước Mắm Hai Lúa' is not in the catalogue, and a new one needs an "
            "address of today: 'Kiên Giang' became part of An Giang on 1/7/2025") in out
    assert ("a new one needs an address of today: 'Xã O Lam' is not a commune, ward or special "
            "zone of An Giang; did you mean 'Xã Ô Lâm', 'Xã Phú Lâm' or 'Xã Hòa Lạc'?") in out
    assert "New producers" not in out


def test_a_file_that_cannot_be_read_stops_the_write(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    broken = project / "products/htx-thot-not-mau/keo.yaml"
    broken.write_text('name: "Kẹo thốt nốt\ncategory: gia-vi\n', encoding="utf-8")
    before = snapshot(project)
    status, out = plan_of(project, tmp_path, capsys, [
        row("Kẹo thốt nốt", 'HTX Thốt Nốt Mẫu <&"Test">', "Xã Ô Lâm, An Giang")], "--write")
    assert status == 1
    assert out.endswith(
        "Record files that cannot be read (fix them first: ocop check); nothing is written "
        "while they are broken, as a row may be theirs (1):\n"
        "  products/htx-thot-not-mau/keo.yaml\n"
        "Nothing written: fix the files that cannot be read, then import again.\n")
    assert snapshot(project) == before


def test_the_same_decision_spelt_without_diacritics_is_already_imported(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    rows = [row("Rượu thốt nốt", 'HTX Thốt Nốt Mẫu <&"Test">', "Xã Ô Lâm, An Giang")]
    assert plan_of(project, tmp_path, capsys, rows, "--write")[0] == 0
    written = snapshot(project)
    table = write_xlsx(tmp_path / "t2.xlsx", HEADER, rows)
    status, out, _ = run(project, capsys, "import", str(table), "--decision", "45/QD-UBND",
                         "--issued", "2026-11-10")
    assert status == 0
    assert "1 already imported" in out and snapshot(project) == written


def test_a_product_on_two_rows_is_imported_from_neither(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    status, out = plan_of(project, tmp_path, capsys, [
        row("Rượu thốt nốt", 'HTX Thốt Nốt Mẫu <&"Test">', "Xã Ô Lâm, An Giang", 4),
        row("Rượu thốt nốt", 'HTX Thốt Nốt Mẫu <&"Test">', "Xã Ô Lâm, An Giang", 3),
        row("Trà sen", "Tổ hợp tác Sen Quê", "Xã Mỹ Hòa Hưng, An Giang"),
        row("Trà sen", "Tổ hợp tác Sen Quê", "Xã Mỹ Hòa Hưng, An Giang")])
    assert status == 1
    assert out.splitlines()[1].startswith("0 new producer(s), 0 new product(s), 0 re-certified")
    assert ("  t.xlsx:Phụ lục:R5: product: products/htx-thot-not-mau/ruou-thot-not.yaml is also "
            "on row 4; give each product once (neither row is imported)\n") in out
    assert ("  t.xlsx:Phụ lục:R7: product: 'Trà sen' of 'Tổ hợp tác Sen Quê' is also on row 6; "
            "give each product once (neither row is imported)\n") in out


def test_line_endings_and_links_are_kept(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    path = project / "products/htx-thot-not-mau/ruou-thot-not.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    for name in (".ruou-thot-not.yaml.import", ".ruou-thot-not.yaml.tmp"):
        (path.parent / name).symlink_to(outside)
    assert plan_of(project, tmp_path, capsys, [
        row("Rượu thốt nốt", 'HTX Thốt Nốt Mẫu <&"Test">', "Xã Ô Lâm, An Giang")],
        "--write")[0] == 0
    data = path.read_bytes()
    assert b"45/Q" in data and data.count(b"\r\n") == data.count(b"\n")
    assert outside.read_text(encoding="utf-8") == "keep" and not path.is_symlink()


def test_control_characters_and_a_product_named_producer(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    table = tmp_path / "t.csv"
    table.write_text("Tên SP,Chủ thể,Địa chỉ,Số sao\n"
                     "Bánh\x07 Z\u200b,Tổ hợp tác Sen Quê,\"Xã Mỹ Hòa Hưng, An Giang\",4\n"
                     "Producer,Tổ hợp tác Sen Quê,\"Xã Mỹ Hòa Hưng, An Giang\",4\n",
                     encoding="utf-8")
    status, out, _ = run(project, capsys, "import", str(table), *OPTIONS, "--write")
    assert status == 0
    assert "Bánh Z (4 sao) -> products/tht-sen-que/banh-z.yaml" in out
    assert "Producer (4 sao) -> products/tht-sen-que/producer-2.yaml" in out
    assert "name: Tổ hợp tác Sen Quê " in (project / "products/tht-sen-que/producer.yaml"
                                          ).read_text(encoding="utf-8")


def test_column_letters_do_not_make_the_title_a_header(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    _, out = plan_of(project, tmp_path, capsys, [
        row("Rượu thốt nốt", 'HTX Thốt Nốt Mẫu <&"Test">', "Xã Ô Lâm, An Giang")],
        "--map", "B=product", "--map", "C=producer", "--map", "E=stars")
    assert out.splitlines()[0].startswith("t.xlsx: sheet Phụ lục, header on row 3: ")
    assert "address=D" in out.splitlines()[0]


def test_an_unclosed_quote_in_a_csv(project: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]):
    table = tmp_path / "t.csv"
    table.write_text('Tên SP,Chủ thể,Số sao\n"Mắm' + "x" * 200_000 + "\n", encoding="utf-8")
    status, _, err = run(project, capsys, "import", str(table))
    assert status == 2
    assert err.startswith("error: t.csv: cannot be read as CSV (field larger than field limit")
