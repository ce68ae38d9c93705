"""Points of sale, fairs and the map: derived views, plan, JSON-LD and the built pages."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from generator.link import fairs as link_fairs
from generator.link import where_to_buy
from generator.link.catalogue import Catalogue
from generator.pipeline import build_catalogue
from generator.plan import maps as plan_maps
from generator.plan import plan_pages
from generator.plan import points_of_sale as plan_pos
from generator.render import jsonld
from generator.source.layout import SourceLayout
from generator.source.problems import Problems
from generator.source.records import Fair

FIXED = dt.date(2026, 11, 18)


def sample(today: dt.date = FIXED) -> Catalogue:
    problems = Problems()
    catalogue = build_catalogue(SourceLayout.default(ROOT), today, problems)
    assert problems.errors == []
    return catalogue


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return sample()


def fair(starts: str, ends: str, fair_id: str = "f") -> Fair:
    record = Fair(name=fair_id, starts=dt.date.fromisoformat(starts),
                  ends=dt.date.fromisoformat(ends), venue="V", city="C")
    record.id = fair_id
    return record


# --- fairs on the build date ---------------------------------------------------------

@pytest.mark.parametrize(("today", "phase"), [
    ("2027-03-09", "upcoming"),
    ("2027-03-10", "ongoing"),
    ("2027-03-14", "ongoing"),
    ("2027-03-15", "past"),
])
def test_fair_phase_counts_first_and_last_day_as_open(today, phase):
    f = fair("2027-03-10", "2027-03-14")
    assert link_fairs.fair_phase(f, dt.date.fromisoformat(today)) == phase
    assert link_fairs.is_current(f, dt.date.fromisoformat(today)) == (phase != "past")


def test_schedule_splits_on_build_date_and_groups_past_by_year():
    fairs = [fair("2020-01-08", "2020-01-12", "a"), fair("2021-05-01", "2021-05-02", "b"),
             fair("2020-12-24", "2020-12-28", "c"), fair("2026-11-17", "2026-11-19", "d"),
             fair("2027-03-10", "2027-03-14", "e"), fair("2026-12-01", "2026-12-01", "f")]
    schedule = link_fairs.fair_schedule(fairs, FIXED)
    assert [f.id for f in schedule.current] == ["d", "f", "e"]
    assert [(y.year, [f.id for f in y.fairs]) for y in schedule.past_by_year] == [
        (2021, ["b"]), (2020, ["c", "a"])]


def test_sample_fairs_follow_the_build_date():
    """Six 2020 fairs from the plan are past, at least four are still to come."""
    schedule = link_fairs.fair_schedule(sample().fairs.values(), FIXED)
    assert len(schedule.current) == 5
    assert all(f.starts > FIXED for f in schedule.current)
    assert [(y.year, len(y.fairs)) for y in schedule.past_by_year] == [(2020, 6)]
    cities = {f.city for f in schedule.past_by_year[0].fairs}
    assert cities == {"TP. Hồ Chí Minh", "Bến Tre", "Bạc Liêu", "Nam Định", "Hà Nội",
                      "Cao Lãnh, Đồng Tháp"}
    # A later build date moves fairs from upcoming to past, with no data change.
    later = link_fairs.fair_schedule(sample(dt.date(2027, 3, 12)).fairs.values(),
                                dt.date(2027, 3, 12))
    assert later.current[0].id == "hoi-cho-ocop-an-giang-2027"
    assert link_fairs.fair_phase(later.current[0], dt.date(2027, 3, 12)) == "ongoing"
    after_all = link_fairs.fair_schedule(sample(dt.date(2028, 1, 1)).fairs.values(),
                                    dt.date(2028, 1, 1))
    assert after_all.current == ()
    assert [y.year for y in after_all.past_by_year] == [2027, 2020]


def test_product_and_producer_upcoming_fairs(cat):
    product = cat.products["mam-ca-linh-chau-doc"]
    appearances = link_fairs.product_fairs(product, FIXED)
    assert [(a.fair.id, a.exhibitor.booth) for a in appearances] == [
        ("hoi-cho-ocop-an-giang-2027", "A01"), ("hoi-cho-ocop-toan-quoc-ha-noi-2027", "AG-01")]
    # Past fairs showing the product are not "upcoming".
    assert any(f.ends < FIXED for f in product.fairs)
    producer = cat.producers["mam-kenh-dao-vinh-te"]
    assert [a.fair.id for a in link_fairs.producer_fairs(producer, FIXED)] == [
        "hoi-cho-ocop-an-giang-2027", "hoi-cho-ocop-dac-san-vung-mien-tp-hcm-2027",
        "hoi-cho-ocop-toan-quoc-ha-noi-2027"]


# --- points of sale ----------------------------------------------------------------

def test_sample_has_the_two_showrooms_and_six_more(cat):
    showrooms = [p for p in cat.points_of_sale.values() if p.kind == "showroom"]
    assert sorted(p.address.commune for p in showrooms) == ["Phường Long Xuyên",
                                                            "Phường Tịnh Biên"]
    assert len(cat.points_of_sale) - len(showrooms) >= 6
    for pos in cat.points_of_sale.values():
        assert "Dữ liệu mẫu" in (pos.description or ""), pos.id
    for f in cat.fairs.values():
        assert "Dữ liệu mẫu" in (f.description or ""), f.id


def test_index_groups_by_commune_then_kind_online_last(cat):
    groups = plan_pos.points_of_sale_by_commune(cat.points_of_sale.values())
    headings = [g.heading for g in groups]
    assert headings[-1] == "Bán trực tuyến"
    assert headings[:-1] == sorted(set(headings[:-1]), key=headings.index)  # no repeats
    long_xuyen = next(g for g in groups if g.heading == "Phường Long Xuyên, An Giang")
    assert [(k.kind, [p.id for p in k.points]) for k in long_xuyen.kinds] == [
        ("showroom", ["diem-ocop-long-xuyen"]),
        ("supermarket", ["sieu-thi-hau-dien-long-xuyen"]),
    ]
    assert sum(len(k.points) for g in groups for k in g.kinds) == len(cat.points_of_sale)


def test_producer_points_of_sale_and_counts(cat):
    producer = cat.producers["mam-kenh-dao-vinh-te"]
    points = where_to_buy.producer_points_of_sale(producer)
    ids = [p.id for p in points]
    assert len(ids) == len(set(ids))
    for pos in cat.points_of_sale.values():
        carries = any(p.producer_id == producer.id for p in pos.products)
        assert (pos.id in ids) == carries
    tinh_bien = cat.points_of_sale["diem-ocop-tinh-bien"]
    assert where_to_buy.carried_count(tinh_bien, producer) == 2


def test_product_sold_nowhere_has_no_points_of_sale(write_catalogue):
    from test_validation import catalogue as mini

    root = mini(write_catalogue)
    problems = Problems()
    cat = build_catalogue(SourceLayout.default(root), FIXED, problems)
    product = cat.products["duong"]
    assert product.points_of_sale == [] and product.online_shops == []
    assert where_to_buy.producer_points_of_sale(product.producer) == []


def test_map_markers_are_every_record_with_coordinates(cat):
    points, producers = plan_maps.map_markers(cat)
    assert {m.anchor for m in points} == {
        f"diem-ban-{p.id}" for p in cat.points_of_sale.values() if p.location}
    assert len(producers) == sum(1 for p in cat.producers.values() if p.location)
    online = cat.points_of_sale["cho-ocop-an-giang-truc-tuyen"]
    assert online.location is None
    marker = next(m for m in points if m.anchor == "diem-ban-diem-ocop-long-xuyen")
    assert marker.url == "diem-ban/diem-ocop-long-xuyen/"
    assert marker.osm_url == ("https://www.openstreetmap.org/?mlat=10.38620&mlon=105.43710"
                              "#map=17/10.38620/105.43710")


# --- plan and JSON-LD ------------------------------------------------------------------

def test_plan_has_a_page_per_point_of_sale_and_fair(cat):
    specs = plan_pages(cat)
    urls = [s.url for s in specs]
    assert len(urls) == len(set(urls))
    for pos in cat.points_of_sale.values():
        assert f"diem-ban/{pos.id}/" in urls
    for f in cat.fairs.values():
        assert f"hoi-cho/{f.id}/" in urls
    assert {"diem-ban/", "hoi-cho/", "ban-do/"} <= set(urls)


def test_point_of_sale_pages_are_paginated(cat, monkeypatch):
    monkeypatch.setattr(plan_pos, "CARRIED_PAGE_SIZE", 10)
    pos = cat.points_of_sale["diem-ocop-long-xuyen"]
    specs = [s for s in plan_pages(cat)
             if s.kind == "point-of-sale" and s.context["pos"] is pos]
    count = -(-len(pos.products) // 10)
    assert count > 1
    assert [s.url for s in specs] == ["diem-ban/diem-ocop-long-xuyen/"] + [
        f"diem-ban/diem-ocop-long-xuyen/trang-{n}/" for n in range(2, count + 1)]
    assert sum(len(s.context["pager"].items) for s in specs) == len(pos.products)
    # Only the first page describes the store to search engines.
    assert jsonld.page_data(specs[0], "https://x.vn/", None)["@type"] == "Store"
    assert jsonld.page_data(specs[1], "https://x.vn/", None) is None


def test_store_and_event_jsonld(cat):
    showroom = jsonld.store(cat.points_of_sale["diem-ocop-long-xuyen"], "https://x.vn/a/")
    assert showroom["@type"] == "Store"
    assert showroom["address"]["addressLocality"] == "Phường Long Xuyên"
    assert showroom["geo"] == {"@type": "GeoCoordinates", "latitude": 10.3862,
                               "longitude": 105.4371}
    supermarket = jsonld.store(cat.points_of_sale["sieu-thi-hau-dien-long-xuyen"], "u")
    assert supermarket["@type"] == "GroceryStore"
    online = jsonld.store(cat.points_of_sale["cho-ocop-an-giang-truc-tuyen"], "u")
    assert online["@type"] == "OnlineStore" and "address" not in online and "geo" not in online
    event = jsonld.event(cat.fairs["hoi-cho-ocop-an-giang-2027"], "https://x.vn/f/")
    assert event["@type"] == "Event"
    assert (event["startDate"], event["endDate"]) == ("2027-03-10", "2027-03-14")
    assert event["location"]["address"]["addressLocality"] == "Long Xuyên"
    assert event["organizer"] == {"@type": "Organization", "name": "Sở Công Thương An Giang"}


# --- the built sample site: every page there, links both ways ---------------------------

def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"#]+)', html))


def _resolve(page_dir: str, href: str) -> str:
    """Site path of a relative link found on page ``page_dir`` ('diem-ban/x/')."""
    parts = [p for p in page_dir.split("/") if p]
    for piece in href.split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts) + ("/" if href.endswith("/") else "")


def test_every_point_of_sale_links_both_ways(sample_site: Path, cat):
    for pos in cat.points_of_sale.values():
        page = f"diem-ban/{pos.id}/"
        html = (sample_site / page / "index.html").read_text(encoding="utf-8")
        targets = {_resolve(page, h) for h in _links(html)}
        for product in pos.products:
            assert f"san-pham/{product.id}/" in targets, (pos.id, product.id)
            back = (sample_site / "san-pham" / product.id / "index.html").read_text("utf-8")
            assert f'href="../../diem-ban/{pos.id}/"' in back, (product.id, pos.id)
        index = (sample_site / "diem-ban" / "index.html").read_text(encoding="utf-8")
        assert page in {_resolve("diem-ban/", h) for h in _links(index)}


def test_every_fair_links_both_ways(sample_site: Path, cat):
    index = (sample_site / "hoi-cho" / "index.html").read_text(encoding="utf-8")
    listed = {_resolve("hoi-cho/", h) for h in _links(index)}
    for f in cat.fairs.values():
        page = f"hoi-cho/{f.id}/"
        html = (sample_site / page / "index.html").read_text(encoding="utf-8")
        assert page in listed
        targets = {_resolve(page, h) for h in _links(html)}
        for exhibitor in f.exhibitors:
            assert f"chu-the/{exhibitor.producer}/" in targets
            producer_page = (sample_site / "chu-the" / exhibitor.producer / "index.html")
            producer_html = producer_page.read_text(encoding="utf-8")
            upcoming, _, past = producer_html.partition('id="hoi-cho-da-tham-gia"')
            # Fairs to come under "Hội chợ sắp tới", past ones under "đã tham gia".
            link = f'href="../../hoi-cho/{f.id}/"'
            assert link in (past if f.ends < FIXED else upcoming), (f.id, exhibitor.producer)
        assert (sample_site / page / f"{f.id}.ics").is_file()


def test_fairs_index_splits_upcoming_and_past(sample_site: Path):
    html = (sample_site / "hoi-cho" / "index.html").read_text(encoding="utf-8")
    upcoming, past = html.split('id="da-dien-ra"')
    past = past.split("</article>")[0]
    assert upcoming.count('class="ocop-fair-item"') == 5
    assert past.count('class="ocop-fair-item"') == 6
    assert re.findall(r'<h3 id="(nam-\d+)"', past) == ["nam-2020"]
    assert "2027" not in past


def test_trade_pages_carry_their_jsonld(sample_site: Path):
    def jsonld(path: str) -> dict:
        html = (sample_site / path).read_text(encoding="utf-8")
        found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert found, path
        return json.loads(found.group(1))

    assert jsonld("diem-ban/diem-ocop-tinh-bien/index.html")["@type"] == "Store"
    event = jsonld("hoi-cho/hoi-cho-ocop-dbscl-ben-tre-2020/index.html")
    assert event["@type"] == "Event" and event["startDate"] == "2020-07-22"


def test_map_page_lists_every_place_with_coordinates(sample_site: Path, cat):
    html = (sample_site / "ban-do" / "index.html").read_text(encoding="utf-8")
    points, producers = plan_maps.map_markers(cat)
    assert html.count('class="ocop-marker"') == len(points) + len(producers)
    assert html.count('href="https://www.openstreetmap.org/?mlat=') == len(points) + len(
        producers)
    assert 'src="../assets/vendor/leaflet/leaflet.js"' in html
    assert (sample_site / "assets" / "vendor" / "leaflet" / "leaflet.js").is_file()
    assert (sample_site / "assets" / "vendor" / "leaflet" / "LICENSE").is_file()
    # Leaflet is loaded by the map page only.
    product = (sample_site / "san-pham" / "mam-ca-linh-chau-doc" / "index.html").read_text(
        encoding="utf-8")
    assert "leaflet" not in product


def test_vendored_libraries_match_their_manifests(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("vendor", ROOT / "tools" / "vendor.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "vendor", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    for package in module.PACKAGES.values():
        assert module.check(package) == []
    # A stray edit of a vendored file is caught.
    shutil.copytree(module.VENDOR / "js-yaml", tmp_path / "js-yaml")
    module.VENDOR = tmp_path
    with (tmp_path / "js-yaml" / "js-yaml.min.js").open("a") as script:
        script.write("\n")
    (tmp_path / "js-yaml" / "extra.js").write_text("alert(1)")
    assert module.check(module.PACKAGES["js-yaml"]) == [
        "js-yaml/extra.js is not in MANIFEST (not from js-yaml@4.3.2)",
        "js-yaml/js-yaml.min.js differs from js-yaml@4.3.2"]

