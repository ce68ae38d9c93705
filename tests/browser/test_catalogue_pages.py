"""What a visitor sees on catalogue pages, in a real browser."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT


def test_home_links_to_a_product_with_its_badge(page, site_url):
    page.goto(site_url)
    page.get_by_role("link", name=re.compile("Xem tất cả sản phẩm 5 sao")).click()
    page.wait_for_url(re.compile(r"/sao/5/$"))
    cards = page.locator(".ocop-card")
    assert cards.count() == 5
    first = cards.first
    name = first.locator(".ocop-card__name").inner_text()
    first.locator("a.ocop-card__link").click()
    assert page.locator("h1").inner_text() == name
    assert page.locator(".ocop-claim .ocop-badge").inner_text().endswith("OCOP 5 sao")


def test_every_product_file_has_a_page(sample_site):
    product_files = [p for p in (ROOT / "products").glob("*/*.yaml") if p.name != "producer.yaml"]
    pages = list((sample_site / "san-pham").glob("*/index.html"))
    # san-pham/trang-N/ listing pages are not product pages.
    pages = [p for p in pages if not p.parent.name.startswith("trang-")]
    assert len(pages) == len(product_files)
    largest = max(p.stat().st_size for p in pages)
    assert largest < 40_000


def test_revoked_product_shows_no_star_claim(page, site_url):
    page.goto(site_url + "san-pham/mam-ca-sac-chau-doc/")
    claim = page.locator(".ocop-claim")
    assert "★" not in claim.inner_text()
    assert "Đã thu hồi" in claim.inner_text()


def test_product_page_fits_a_phone(phone, site_url):
    phone.goto(site_url + "san-pham/banh-bo-thot-not-tinh-bien/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    img = phone.locator(".ocop-gallery img").first
    natural = img.evaluate("i => i.naturalWidth")
    # 360 CSS px at 2x density needs at most the 640 px variant.
    assert natural <= 640


def test_gallery_lightbox_works_by_keyboard(page, site_url):
    page.goto(site_url + "san-pham/banh-bo-thot-not-tinh-bien/")
    zoom = page.locator("a.ocop-zoom").first
    zoom.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.ocop-lightbox")
    assert dialog.evaluate("d => d.open")
    first_src = dialog.locator("img").get_attribute("src")
    assert first_src.endswith(".webp")
    page.keyboard.press("ArrowRight")
    assert dialog.locator("img").get_attribute("src") != first_src
    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    # Focus returns to a photo link so keyboard users keep their place.
    assert page.evaluate("document.activeElement.classList.contains('ocop-zoom')")


def test_product_page_has_social_card(page, site_url):
    page.goto(site_url + "san-pham/banh-bo-thot-not-tinh-bien/")
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert image.startswith("https://ocop.example.vn/anh/") and image.endswith(".jpg")
    response = page.request.get(site_url + image.removeprefix("https://ocop.example.vn/"))
    assert response.ok and response.headers["content-type"] == "image/jpeg"


def test_no_page_is_wider_than_a_phone(phone, site_url, sample_site):
    """Every page of the sample site fits a 360 px screen without sideways scrolling."""
    too_wide = []
    for html in sorted(sample_site.rglob("index.html")):
        if 'http-equiv="refresh"' in html.read_text(encoding="utf-8"):
            continue  # short verification URLs (q/<id>/) forward to the product page
        path = html.parent.relative_to(sample_site).as_posix()
        phone.goto(site_url + ("" if path == "." else path + "/"))
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide.append((path, width))
    assert too_wide == []


BADGE_LAYOUT = """() => [...document.querySelectorAll('.ocop-badge')].map(b => {
  const r = b.getBoundingClientRect(), box = b.closest('.ocop-card, .md-content');
  const lineHeight = parseFloat(getComputedStyle(b).lineHeight);
  return {text: b.textContent.trim(), lines: Math.round(b.clientHeight / lineHeight),
          overflow: Math.round(r.right - box.getBoundingClientRect().right)};
})"""


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_every_badge_is_one_line_inside_its_card(browser, site_url, width):
    """Stars, "OCOP" and a lapsed certificate's words fit the narrowest card."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    page = context.new_page()
    seen: set[str] = set()
    # Every product card of the sample site (san-pham/ lists them all, on two pages),
    # the finder's cards drawn by its script, and a product's own badge.
    for path in ("san-pham/", "san-pham/trang-2/", "tim-kiem/?tt=tat-ca",
                 "san-pham/duong-thot-not-nguyen-chat-o-lam/"):
        page.goto(site_url + path)
        if path.startswith("tim-kiem"):
            page.wait_for_selector("[data-ocop-finder][data-state=ready]:not([aria-busy])")
        for badge in page.evaluate(BADGE_LAYOUT):
            seen.add(badge["text"])
            assert (badge["lines"], badge["overflow"] <= 0) == (1, True), (path, badge)
    context.close()
    # Not vacuous: every kind of badge was measured.
    assert {"OCOP ★★★★★ 5 sao", "OCOP ★★★ 3 sao", "OCOP hết hạn", "OCOP thu hồi",
            "★★★★ OCOP 4 sao"} <= seen


def test_no_page_scrolls_sideways_at_320_px(browser, site_url, sample_site):
    """WCAG 1.4.10 (reflow): every page of the sample site fits a 320 px screen."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="vi-VN")
    page = context.new_page()
    # The q/ pages only forward to the product page (checked there).
    pages = sorted(p.parent.relative_to(sample_site).as_posix() + "/"
                   for p in sample_site.rglob("index.html") if p.parts[-3:-2] != ("q",))
    assert len(pages) > 100
    wide = {}
    for path in pages:
        page.goto(site_url + path.removeprefix("./"), wait_until="domcontentloaded")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    context.close()
    assert wide == {}


@pytest.mark.parametrize(("locale", "lands_on"), [
    ("en-US", "en/san-pham/nuoc-mam-ca-com-phu-quoc/"),
    ("en-GB", "en/san-pham/nuoc-mam-ca-com-phu-quoc/"),
    ("fr-FR", None),  # a language the site has not: the printed page, Vietnamese
])
def test_the_printed_qr_code_opens_the_product_in_the_browsers_language(
        browser, site_url, locale, lands_on):
    context = browser.new_context(locale=locale)
    try:
        page = context.new_page()
        page.goto(site_url + "q/nuoc-mam-ca-com-phu-quoc/")
        if lands_on:
            page.wait_for_url(site_url + lands_on)
            assert page.locator("html").get_attribute("lang") == "en"
        else:
            page.wait_for_timeout(500)
            assert "/en/" not in page.url
    finally:
        context.close()
