"""A several-province catalogue in a real browser: province maps draw every marker
from their JSON while the address list is cut into pages; no-JS browsing still works."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXED_EPOCH, fixed_build_date

from generator.link.clock import VIETNAM
from generator.plan import maps as plan_maps
from generator.synth.catalogue import SynthOptions, synthesize

TODAY = dt.datetime.fromtimestamp(int(FIXED_EPOCH), VIETNAM).date()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def provinces_site(tmp_path_factory) -> Path:
    """Three provinces; map lists of 8 lines, so each province's map has several pages."""
    from generator.adapter.publish import build_site

    project = tmp_path_factory.mktemp("provinces") / "p"
    synthesize(project, SynthOptions(products=120, producers=90, points_of_sale=45, fairs=6,
                                     provinces=3, seed=11, today=TODAY))
    with fixed_build_date(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(plan_maps, "MAP_PAGE_SIZE", 8)
        return build_site(project / "mkdocs.yml", project / "site", strict=True)


@pytest.fixture(scope="module")
def provinces_url(provinces_site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(provinces_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_province_map_draws_all_its_markers_from_json(offline_page, provinces_site,
                                                      provinces_url):
    page = offline_page
    page.goto(provinces_url + "ban-do/")
    provinces = page.locator("article ul.ocop-index > li > a")
    assert provinces.count() == 3
    provinces.first.click()
    page.wait_for_url(re.compile(r"/ban-do/tinh/[a-z0-9-]+/$"))
    slug = page.url.rstrip("/").rsplit("/", 1)[1]
    data = json.loads((provinces_site / "ban-do" / "tinh" / slug / "vi-tri.json").read_text())
    total = len(data["markers"])
    assert total > 8
    assert page.locator(".ocop-marker").count() == 8  # one page of the address list
    page.locator("#ocop-map").wait_for(state="visible")
    markers = page.locator("#ocop-map path.leaflet-interactive")
    markers.first.wait_for()
    assert markers.count() == total
    # The popup links, resolved from the JSON file, reach the place's page.
    last = data["markers"][-1]
    page.goto(page.url + f"#{last['anchor']}")
    page.reload()
    popup = page.locator(".leaflet-popup-content a")
    popup.wait_for()
    assert popup.inner_text() == last["name"]
    popup.click()
    page.wait_for_url(re.compile(r"/(chu-the|diem-ban)/[a-z0-9-]+/$"))
    assert page.locator("h1").inner_text() == last["name"]


def test_point_of_sale_opens_its_marker_on_the_right_list_page(offline_page, provinces_site,
                                                               provinces_url):
    page = offline_page
    # The last located point of sale of a province sits on a later page of its list.
    for pos_page in sorted((provinces_site / "diem-ban").glob("*/index.html")):
        html = pos_page.read_text(encoding="utf-8")
        if "/trang-" in html and "Xem trên bản đồ nơi mua" in html:
            match = re.search(r'href="([^"]*/trang-\d+/)#diem-ban-[^"]+">Xem trên bản đồ', html)
            if match:
                break
    else:
        pytest.fail("no point of sale on a later map page")
    page.goto(provinces_url + pos_page.parent.relative_to(provinces_site).as_posix() + "/")
    name = page.locator("h1").inner_text()
    page.get_by_role("link", name="Xem trên bản đồ nơi mua").click()
    page.wait_for_url(re.compile(r"/ban-do/tinh/[a-z0-9-]+/trang-\d+/#diem-ban-"))
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert name in popup.inner_text()


def test_without_javascript_every_province_page_is_a_list(no_js_page, provinces_url):
    page = no_js_page
    page.goto(provinces_url + "dia-phuong/")
    page.locator("article ul.ocop-index a").first.click()
    page.wait_for_url(re.compile(r"/dia-phuong/tinh/[a-z0-9-]+/$"))
    # The province page links its communes, its points of sale and its map.
    assert page.locator("article ul.ocop-index a").count() > 1
    page.get_by_role("link", name=re.compile("^Bản đồ ")).click()
    page.wait_for_url(re.compile(r"/ban-do/tinh/[a-z0-9-]+/$"))
    assert not page.locator(".ocop-map-box").is_visible()
    first = page.locator(".ocop-marker").first.locator("a.ocop-marker__page").inner_text()
    page.locator("nav.ocop-pager").get_by_role("link", name="Trang sau ›").click()
    page.wait_for_url(re.compile(r"/ban-do/tinh/[a-z0-9-]+/trang-2/$"))
    assert page.locator(".ocop-marker").count() > 0
    assert page.locator(".ocop-marker").first.locator("a.ocop-marker__page").inner_text() != first
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
