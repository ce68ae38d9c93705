"""Where to buy, fairs and the map, as a visitor sees them in a real browser."""

from __future__ import annotations

import re


def test_where_to_buy_reaches_the_point_of_sale_and_back(page, site_url):
    page.goto(site_url + "san-pham/mam-ca-linh-chau-doc/")
    product_name = page.locator("h1").inner_text()
    section = page.locator("section.ocop-where")
    assert section.locator("h2").inner_text() == "Nơi mua"
    link = section.get_by_role("link", name="Cửa hàng Đặc sản Sen Vàng Châu Đốc")
    link.click()
    page.wait_for_url(re.compile(r"/diem-ban/cua-hang-dac-san-sen-vang-chau-doc/$"))
    assert page.locator("h1").inner_text() == "Cửa hàng Đặc sản Sen Vàng Châu Đốc"
    card = page.locator(".ocop-card").filter(has_text=product_name)
    # Seen: OCOP and five stars; heard (the stars are hidden from it): "OCOP 5 sao".
    badge = card.locator(".ocop-badge")
    assert badge.evaluate("b => b.textContent") == "OCOP ★★★★★ 5 sao"
    assert badge.evaluate("b => b.querySelector('[aria-hidden]').textContent") == "★★★★★"
    card.locator("a.ocop-card__link").click()
    page.wait_for_url(re.compile(r"/san-pham/mam-ca-linh-chau-doc/$"))
    assert page.locator("h1").inner_text() == product_name


def test_online_shops_sit_beside_points_of_sale(page, site_url):
    page.goto(site_url + "san-pham/mam-thai-du-du-chau-doc/")
    section = page.locator("section.ocop-where")
    headings = section.locator("h3").all_inner_texts()
    assert headings[:2] == [headings[0], "Mua trực tuyến"] and headings[0].startswith("Điểm bán")
    shop = section.get_by_role("link", name="Gian hàng Shopee")
    assert shop.get_attribute("href").startswith("https://")
    assert "noopener" in shop.get_attribute("rel")


def test_fair_from_producer_page_and_back(page, site_url):
    page.goto(site_url + "chu-the/mam-kenh-dao-vinh-te/")
    fairs = page.locator("#hoi-cho-sap-toi + ul li")
    assert fairs.count() == 3
    fairs.first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/hoi-cho/hoi-cho-ocop-an-giang-2027/$"))
    assert page.locator(".ocop-phase").first.inner_text() == "Sắp diễn ra"
    calendar = page.get_by_role("link", name=re.compile("Thêm vào lịch"))
    response = page.request.get(calendar.evaluate("a => a.href"))
    assert response.ok and response.body().startswith(b"BEGIN:VCALENDAR\r\n")
    page.locator(".ocop-exhibitors > li").first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/chu-the/mam-kenh-dao-vinh-te/$"))


def test_map_draws_markers_without_tiles(offline_page, site_url):
    page = offline_page
    page.goto(site_url + "ban-do/")
    items = page.locator(".ocop-marker")
    count = items.count()
    assert count > 9
    page.locator("#ocop-map").wait_for(state="visible")
    markers = page.locator("#ocop-map path.leaflet-interactive")
    markers.first.wait_for()
    assert markers.count() == count
    # The list stays on the page under the map.
    assert page.locator("#diem-ban-diem-ocop-tinh-bien").is_visible()
    # A marker's popup links to the place's page.
    page.goto(site_url + "ban-do/#diem-ban-diem-ocop-tinh-bien")
    popup = page.locator(".leaflet-popup-content a")
    popup.wait_for()
    assert popup.inner_text().endswith("tại Tịnh Biên")
    popup.click()
    page.wait_for_url(re.compile(r"/diem-ban/diem-ocop-tinh-bien/$"))


def test_point_of_sale_links_to_its_marker(offline_page, site_url):
    page = offline_page
    page.goto(site_url + "diem-ban/diem-ocop-long-xuyen/")
    page.get_by_role("link", name="Xem trên bản đồ nơi mua").click()
    page.wait_for_url(re.compile(r"/ban-do/#diem-ban-diem-ocop-long-xuyen$"))
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Long Xuyên" in popup.inner_text()


def test_map_without_javascript_is_an_address_list(no_js_page, site_url):
    page = no_js_page
    page.goto(site_url + "ban-do/")
    assert not page.locator(".ocop-map-box").is_visible()
    items = page.locator(".ocop-marker")
    assert items.count() > 9
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    first = items.first
    assert first.is_visible()
    assert first.locator(".ocop-marker__address").inner_text()
    osm = first.locator("a.ocop-marker__osm")
    assert osm.get_attribute("href").startswith("https://www.openstreetmap.org/?mlat=")
    first.locator("a.ocop-marker__page").click()
    page.wait_for_url(re.compile(r"/(diem-ban|chu-the)/[a-z0-9-]+/$"))


def test_fairs_index_on_a_phone(phone, site_url):
    phone.goto(site_url + "hoi-cho/")
    assert phone.locator("#sap-dien-ra").inner_text() == "Sắp diễn ra (5)"
    assert phone.locator("#nam-2020").inner_text() == "Năm 2020"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
