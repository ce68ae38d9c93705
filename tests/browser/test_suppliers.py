"""A buyer filters the sample catalogue's suppliers and downloads the list."""

from __future__ import annotations

import csv
import io
import re

import rawdata
from playwright.sync_api import expect

from generator.plan.data_contract import PRODUCER_COLUMNS


def producers_with(standard: str | None = None, type_: str | None = None,
                   commune: str | None = None) -> list[str]:
    out = []
    for p in rawdata.producers().values():
        standards = {s.split(":")[0].strip().casefold()
                     for s in p.get("supplier", {}).get("standards", [])}
        if standard and standard.casefold() not in standards:
            continue
        if type_ and p["type"] != type_:
            continue
        if commune and p["address"]["commune"] != commune:
            continue
        out.append(p["name"])
    return sorted(out)


def choose(select, prefix: str) -> None:
    """Select the option whose text starts with ``prefix`` (texts end with a count)."""
    # Options arrive with the filter data, after the page has loaded.
    expect(select.locator("option").nth(1)).to_be_attached()
    label = next(t for t in select.locator("option").all_inner_texts() if t.startswith(prefix))
    select.select_option(label=label)


def shown_names(page) -> list[str]:
    return sorted(page.locator("#ocop-supplier-results .ocop-supplier__name").all_inner_texts())


def test_filter_by_standard_type_and_commune_then_download(page, site_url):
    page.goto(site_url + "nha-cung-cap/")
    form = page.locator("#ocop-supplier-filter")
    expect(form).to_be_visible()
    standard = page.get_by_label("Tiêu chuẩn")
    choose(standard, "HACCP (")
    expected = producers_with("HACCP")
    assert expected
    count = page.locator(".ocop-filter__count")
    expect(count).to_have_text(f"{len(expected)} nhà cung cấp phù hợp")
    assert shown_names(page) == expected
    expect(page.locator("#ocop-supplier-listing")).to_be_hidden()
    assert "tieu-chuan=HACCP" in page.url

    choose(page.get_by_label("Loại chủ thể"), "Doanh nghiệp (")
    expected = producers_with("HACCP", "enterprise")
    assert shown_names(page) == expected

    with page.expect_download() as info:
        page.get_by_role("button", name="Tải danh sách đang xem (CSV)").click()
    download = info.value
    assert download.suggested_filename == "nha-cung-cap-ocop.csv"
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert sorted(r["name"] for r in rows) == expected
    assert all(r["type_label"] == "Doanh nghiệp" and "HACCP" in r["standards"] for r in rows)
    assert all(r["url"].startswith(site_url + "chu-the/") for r in rows)
    # The same column names as producers.csv, documented on the open-data page.
    assert set(rows[0]) <= {c.name for c in PRODUCER_COLUMNS}

    # The filter travels in the URL: reopening it shows the same list.
    page.goto(page.url)
    expect(page.locator("#ocop-supplier-results")).to_be_visible()
    assert shown_names(page) == expected

    page.get_by_role("button", name="Xóa bộ lọc").click()
    expect(page.locator("#ocop-supplier-listing")).to_be_visible()
    assert "?" not in page.url


def test_filter_by_commune_and_name_without_diacritics(page, site_url):
    page.goto(site_url + "nha-cung-cap/")
    choose(page.get_by_label("Xã, phường"), "Phường Châu Đốc (")
    expected = producers_with(commune="Phường Châu Đốc")
    assert len(expected) > 1
    assert shown_names(page) == expected
    page.get_by_label("Tên nhà cung cấp").fill("mắm")
    narrowed = [n for n in expected if "Mắm" in n or "mắm" in n]
    assert narrowed and shown_names(page) == sorted(narrowed)
    assert "q=m%E1%BA%AFm" in page.url
    # Typed without tones, as on many phones, it finds the same producers.
    page.get_by_label("Tên nhà cung cấp").fill("MAM")
    assert shown_names(page) == sorted(narrowed)
    first = page.locator("#ocop-supplier-results .ocop-supplier__name a").first
    first.click()
    page.wait_for_url(re.compile(r"/chu-the/[a-z0-9-]+/$"))
    expect(page.locator("#danh-cho-nguoi-mua")).to_be_visible()


def test_directory_works_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "nha-cung-cap/")
    expect(page.locator("#ocop-supplier-filter")).to_be_hidden()
    cards = page.locator("#ocop-supplier-listing .ocop-supplier")
    assert cards.count() == len(rawdata.producers())
    assert page.get_by_role("link", name="CSV (mở bằng Excel)").get_attribute("href") == \
        "../du-lieu/producers.csv"
    context.close()


def test_directory_and_statistics_fit_a_phone(phone, site_url):
    for path in ("nha-cung-cap/", "thong-ke/"):
        phone.goto(site_url + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_vcard_downloads_from_the_producer_page(page, site_url):
    page.goto(site_url + "chu-the/htx-thot-not-phuoc-hoa/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải danh thiếp liên hệ (vCard)").click()
    text = info.value.path().read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert "FN:Hợp tác xã Thốt Nốt Phước Hòa\r\n" in text


def test_short_url_opens_the_product_page(page, site_url):
    page.goto(site_url + "q/mam-ca-sac-chau-doc/")
    page.wait_for_url(re.compile(r"/san-pham/mam-ca-sac-chau-doc/$"))
    assert "Đã thu hồi" in page.locator(".ocop-claim").inner_text()


CELLS = ["=HYPERLINK(\"x\")", "+84 296 3 871 234", "-5", "@SUM(A1)", "\tTab", "\rCR", "a,b",
         'say "hi"', "line\nbreak", "Mắm Châu Đốc", "", None, 85000, "0296 3 871 234"]


def test_browser_csv_cells_are_the_python_cells(page, site_url):
    """The download in the browser defuses and quotes cells as the exports do."""
    from generator.write.text_formats import csv_cell

    page.goto(site_url)
    got = page.evaluate("cells => cells.map(c => window.ocopText.csvCell(c))", CELLS)
    for value, js in zip(CELLS, got, strict=True):
        out = io.StringIO(newline="")
        # As the exports write a row (a row of one empty cell alone would be '""').
        csv.writer(out, lineterminator="\r\n").writerow([csv_cell(value), "x"])
        assert js + ",x\r\n" == out.getvalue(), value
