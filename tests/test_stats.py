"""Statistics: every figure equals a count made independently from the YAML files,
and every chart on the page is an accessible SVG with its data table."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
import rawdata

from generator.plan.statistics import CHART_WIDTH, PADDING, VALUE_ROOM, Chart, Row, statistics

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def stats(sample_catalogue):
    assert sample_catalogue.build_date == rawdata.BUILD_DATE
    return statistics(sample_catalogue)


def chart(stats, chart_id: str) -> dict[str, int]:
    found = next(c for c in stats.charts if c.id == chart_id)
    return {row.label: row.value for row in found.rows}


def test_products_by_star(stats):
    products = rawdata.products().values()
    certified = Counter(p.stars for p in products if p.certified)
    rated = Counter(p.stars for p in products)
    assert chart(stats, "theo-hang-sao") == {f"{n} sao": certified[n] for n in (5, 4, 3)}
    found = next(c for c in stats.charts if c.id == "theo-hang-sao")
    assert {r.label: r.extra[0] for r in found.rows} == {f"{n} sao": rated[n] for n in (5, 4, 3)}
    # The founding plan's figures, which the sample reproduces: 26 + 11 + 5 rated.
    assert (stats.summary.rated_by_stars[3], stats.summary.rated_by_stars[4],
            stats.summary.rated_by_stars[5]) == (rated[3], rated[4], rated[5]) == (26, 11, 5)


def test_certificate_status(stats):
    counts = Counter(p.status() for p in rawdata.products().values())
    assert chart(stats, "tinh-trang") == {
        "Còn hiệu lực": counts["valid"], "Sắp hết hạn": counts["expiring"],
        "Đã hết hạn": counts["expired"], "Đã thu hồi": counts["revoked"]}


def test_products_by_group(stats):
    group_of = rawdata.group_of_subgroup()
    counts = Counter(group_of[p.data["category"]] for p in rawdata.products().values())
    names = rawdata.group_names()
    assert chart(stats, "theo-nhom") == {names[g]: counts.get(g, 0) for g in names}


def test_products_by_commune(stats):
    producers = rawdata.producers()
    counts = Counter(
        f"{producers[p.producer]['address']['commune']}, "
        f"{producers[p.producer]['address']['province']}"
        for p in rawdata.products().values())
    by_commune = chart(stats, "theo-xa-phuong")
    # Communes with producers but no product would show 0; the sample has none.
    assert {k: v for k, v in by_commune.items() if v} == dict(counts)
    values = list(by_commune.values())
    assert values == sorted(values, reverse=True)


def test_producers_by_type(stats):
    counts = Counter(p["type"] for p in rawdata.producers().values())
    assert chart(stats, "chu-the-theo-loai") == {
        "Hợp tác xã": counts["cooperative"], "Tổ hợp tác": counts["cooperative_group"],
        "Doanh nghiệp": counts["enterprise"], "Hộ sản xuất kinh doanh": counts["household"]}
    # The founding plan: 12 household businesses, 13 enterprises, 3 cooperatives.
    assert (counts["household"], counts["enterprise"], counts["cooperative"]) == (12, 13, 3)


def test_certificates_by_year_issued(stats):
    counts = Counter(p.issued.year for p in rawdata.products().values())
    years = range(min(counts), max(counts) + 1)
    assert chart(stats, "cap-theo-nam") == {str(y): counts.get(y, 0) for y in years}


def test_certificates_expiring_in_next_12_months(stats):
    today = rawdata.BUILD_DATE
    end = dt.date(today.year + 1, today.month, today.day)
    counts = Counter(f"{p.expires.month:02d}/{p.expires.year}"
                     for p in rawdata.products().values()
                     if p.certified and today <= p.expires <= end)
    months = []
    year, month = today.year, today.month
    for _ in range(13):
        months.append(f"{month:02d}/{year}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    expected = {m: counts.get(m, 0) for m in months}
    assert chart(stats, "het-han-12-thang") == expected
    assert stats.summary.expiring_12_months == sum(counts.values()) > 0


def test_bars_are_proportional():
    c = Chart("x", "X", "Hàng", "Sản phẩm",
              (Row("a", 10), Row("b", 5), Row("c", 0),
               Row("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", 1)))
    bars = c.bars()
    room = CHART_WIDTH - 2 * PADDING - VALUE_ROOM
    assert [b.width for b in bars] == [room, room / 2, 0, round(room / 10, 1)]
    assert len(bars[3].label_lines) == 2
    tops = [b.bar_y for b in bars]
    assert tops == sorted(tops)
    assert c.height >= bars[-1].bar_y + 16


def test_statistics_page_has_accessible_charts_with_tables(sample_site, stats):
    html = (sample_site / "thong-ke" / "index.html").read_text(encoding="utf-8")
    svgs = re.findall(r"<svg class=\"ocop-chart__svg\".*?</svg>", html, re.S)
    tables = re.findall(r"<table class=\"ocop-chart__table\">.*?</table>", html, re.S)
    assert len(svgs) == len(tables) == len(stats.charts) >= 7
    for svg_text, table_text, c in zip(svgs, tables, stats.charts, strict=True):
        svg = ET.fromstring(svg_text)
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.text == c.title
        assert desc is not None and desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "ocop-chart__value"]
        assert values == [f"{r.value:,}".replace(",", ".") for r in c.rows]
        cells = re.findall(r"<tr><th scope=\"row\">(?:<a [^>]*>)?(.*?)(?:</a>)?</th><td>(\d+)</td>",
                           table_text)
        assert cells[:-1] == [(r.label, str(r.value)) for r in c.rows]
        assert cells[-1] == ("Tổng", str(c.total))
