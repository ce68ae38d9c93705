"""WCAG 2.2 AA in a real browser: axe-core on one page of every page family, at 360 and
1280 px, and what a keyboard alone can do (drawer, search, finder, lightbox, map list).

axe-core is the npm package pinned in tools/a11y/package.json (installed by .ci/run),
injected by Playwright; nothing is fetched from a CDN. The site offers one colour
scheme (light), so that is the one checked.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

AXE = ROOT / "tools" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

#: One page of each family of the sample site.
PAGES = {
    "home": "",
    "product": "san-pham/duong-thot-not-nguyen-chat-o-lam/",
    "product-expired": "san-pham/ruou-sim-rung-phu-quoc/",
    "producer": "chu-the/htx-thot-not-phuoc-hoa/",
    "listing-stars": "sao/4/",
    "listing-group": "nhom/thuc-pham/",
    "listing-place": "dia-phuong/phuong-chau-doc-an-giang/",
    "all-products": "san-pham/",
    "producers": "chu-the/",
    "index-stars": "sao/",
    "index-groups": "nhom/",
    "index-places": "dia-phuong/",
    "finder": "tim-kiem/",
    "suppliers": "nha-cung-cap/",
    "statistics": "thong-ke/",
    "open-data": "du-lieu/",
    "points-of-sale": "diem-ban/",
    "point-of-sale": "diem-ban/diem-ocop-long-xuyen/",
    "fairs": "hoi-cho/",
    "fair": "hoi-cho/hoi-cho-ocop-an-giang-2027/",
    "map": "ban-do/",
    "guide": "huong-dan-dang-tai/",
    "about": "gioi-thieu-ocop/",
    "not-found": "404.html",
    # The English catalogue: its own text, lang="vi" spans, the language switcher.
    "en-home": "en/",
    "en-product": "en/san-pham/nuoc-mam-ca-com-phu-quoc/",
    "en-producer": "en/chu-the/mam-kenh-dao-vinh-te/",
    "en-listing-group": "en/nhom/thuc-pham/",
    "en-finder": "en/tim-kiem/",
    "en-suppliers": "en/nha-cung-cap/",
    "en-fair": "en/hoi-cho/hoi-cho-ocop-an-giang-2027/",
    "en-map": "en/ban-do/",
    "en-statistics": "en/thong-ke/",
    "en-open-data": "en/du-lieu/",
    "en-about": "en/gioi-thieu-ocop/",
}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: npm ci --prefix tools/a11y (.ci/run does it)")
    return AXE.read_text(encoding="utf-8")


def serious(page, axe_source: str) -> list[tuple[str, str, list[str]]]:
    """(rule, impact, targets) of every serious or critical violation on the page."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           TAGS)
    return [(v["id"], v["impact"], [str(n["target"]) for n in v["nodes"]][:5])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("family", sorted(PAGES))
def test_no_serious_violation_at_1280(page, site_url, axe_source, family):
    page.goto(site_url + PAGES[family], wait_until="load")
    assert serious(page, axe_source) == []


@pytest.mark.parametrize("family", sorted(PAGES))
def test_no_serious_violation_at_360(phone, site_url, axe_source, family):
    phone.goto(site_url + PAGES[family], wait_until="load")
    assert serious(phone, axe_source) == []


def test_verification_page_has_its_landmark(page, sample_site, axe_source):
    """q/<id>/ forwards at once; checked as written, before it forwards."""
    html = (sample_site / "q/duong-thot-not-nguyen-chat-o-lam/index.html").read_text("utf-8")
    page.set_content(html.replace('http-equiv="refresh"', 'data-refresh'))
    assert serious(page, axe_source) == []
    assert page.locator("main h1").count() == 1


# --- the keyboard alone ------------------------------------------------------------------

def focused(page) -> str:
    """A short description of the focused element."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
            + (e.getAttribute('href') ? '[' + e.getAttribute('href') + ']' : '');
    }""")


def visible_focus(page) -> bool:
    """Whether the focused element can be seen: on screen, not transparent or hidden
    (a closed drawer, a hidden button), not covered by something else (an open
    drawer over the page)."""
    return page.evaluate("""() => {
        let e = document.activeElement;
        if (e.id === '__drawer') {  // shown on the menu button
            e = document.querySelector('.md-header label[for=__drawer]');
        }
        const r = e.getBoundingClientRect();
        if (!(r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth
              && r.bottom > 0 && r.top < innerHeight)) return false;
        if (getComputedStyle(e).visibility === 'hidden') return false;
        for (let n = e; n; n = n.parentElement) {
            if (+getComputedStyle(n).opacity === 0) return false;
        }
        const x = (Math.max(r.left, 0) + Math.min(r.right, innerWidth)) / 2;
        const y = (Math.max(r.top, 0) + Math.min(r.bottom, innerHeight)) / 2;
        const hit = document.elementFromPoint(x, y);
        // Material's tooltip of the previous stop fades out over it: passing.
        if (hit && hit.closest('.md-tooltip')) return true;
        return !!hit && (e.contains(hit) || hit.contains(e) || !!hit.closest('label') &&
                         hit.closest('label').contains(e));
    }""")


def tab_walk(page, stops: int) -> list[tuple[str, bool]]:
    """Press Tab ``stops`` times: (focused element, whether it can be seen) for each."""
    # Judge where things end up, not how they get there (the skip link fades in).
    page.add_style_tag(content="*, *::before { transition: none !important; "
                               "scroll-behavior: auto !important; }")
    walk = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        walk.append((focused(page), visible_focus(page)))
    return walk


@pytest.mark.parametrize("family", ["home", "product", "finder", "listing-group", "about",
                                    "guide", "not-found", "index-stars", "en-home",
                                    "en-product"])
@pytest.mark.parametrize("screen", ["phone", "page"])
def test_every_tab_stop_can_be_seen(request, site_url, family, screen):
    """40 Tab stops from the top of the page: each one on screen and in sight."""
    page = request.getfixturevalue(screen)
    page.goto(site_url + PAGES[family])
    page.wait_for_load_state("networkidle")
    walk = tab_walk(page, 40)
    assert [stop for stop in walk if not stop[1]] == [], walk


@pytest.mark.parametrize("family", ["product", "about", "guide", "not-found"])
def test_open_phone_menu_keeps_the_focus(phone, site_url, family):
    """Open by keyboard, the menu holds Tab until Escape: nothing behind it takes focus,
    and nothing inside it is out of sight (Material's closed sub-menus included)."""
    phone.goto(site_url + PAGES[family])
    phone.keyboard.press("Tab")
    assert focused(phone) == "input#__drawer"
    phone.keyboard.press("Space")
    phone.wait_for_timeout(400)
    links = phone.locator(".ocop-sidebar a[href]")
    count = links.count()
    first = f"a[{links.first.get_attribute('href')}]"
    last = f"a[{links.nth(count - 1).get_attribute('href')}]"
    assert focused(phone) == first
    walk = []
    for key in ["Tab"] * count + ["Shift+Tab"]:
        phone.keyboard.press(key)
        walk.append((focused(phone), visible_focus(phone), phone.evaluate(
            "() => !!document.activeElement.closest('.ocop-sidebar')")))
    assert [stop for stop in walk if not (stop[1] and stop[2])] == [], walk
    # Past the last link, round to the first; before the first, round to the last.
    assert [name for name, _, _ in walk[-3:]] == [last, first, last]
    phone.keyboard.press("Escape")
    assert focused(phone) == "input#__drawer"


def test_phone_tab_order_reaches_the_menu_and_skips_the_closed_drawer(phone, site_url):
    phone.goto(site_url + PAGES["producer"])
    stops = tab_walk(phone, 12)
    assert stops[0][0] == "input#__drawer"  # the menu button
    assert any(name == "a[#noi-dung]" for name, _ in stops)  # the skip link
    assert all(shown for _, shown in stops), stops


def test_phone_menu_opens_with_space_and_its_links_take_focus(phone, site_url):
    phone.goto(site_url + PAGES["producer"])
    phone.keyboard.press("Tab")
    assert focused(phone) == "input#__drawer"
    phone.keyboard.press("Space")
    drawer = phone.locator(".ocop-sidebar")
    phone.wait_for_timeout(400)
    assert drawer.evaluate("e => getComputedStyle(e).visibility") == "visible"
    assert phone.evaluate("() => !!document.activeElement.closest('.ocop-sidebar')")
    assert visible_focus(phone)
    phone.keyboard.press("Tab")
    assert phone.evaluate("() => !!document.activeElement.closest('.ocop-sidebar')")
    phone.keyboard.press("Escape")  # closes the drawer, back on the menu button
    assert focused(phone) == "input#__drawer"
    assert not phone.locator("#__drawer").is_checked()


def test_skip_link_moves_to_the_content(page, site_url):
    page.goto(site_url + PAGES["product"])
    page.keyboard.press("Tab")
    assert focused(page) == "a[#noi-dung]"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('#noi-dung')")


def test_search_by_keyboard(page, site_url):
    page.goto(site_url)
    page.locator("#ocop-search-q").focus()
    page.keyboard.type("mam chau doc")
    page.wait_for_selector("#ocop-search-list [role=option]")
    page.keyboard.press("ArrowDown")
    active = page.locator("#ocop-search-q").get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").count() == 1
    page.keyboard.press("Enter")
    page.wait_for_url("**/san-pham/**")


def test_finder_filters_by_keyboard(page, site_url):
    page.goto(site_url + PAGES["finder"])
    page.wait_for_selector("[data-results] li")
    before = page.locator("[data-results] li").count()
    box = page.locator("input[name=sao][value='5']")
    box.focus()
    page.keyboard.press("Space")
    page.wait_for_function("n => document.querySelectorAll('[data-results] li').length < n",
                           arg=before)
    assert "sao=5" in page.url


def test_lightbox_by_keyboard(page, site_url):
    page.goto(site_url + PAGES["product"])
    zoom = page.locator("a.ocop-zoom").first
    zoom.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.ocop-lightbox")
    assert dialog.evaluate("d => d.open")
    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert page.evaluate("() => document.activeElement.classList.contains('ocop-zoom')")


def test_map_list_by_keyboard(offline_page, site_url):
    """Without tiles, the address list is the map: each place's page is a Tab away."""
    offline_page.goto(site_url + PAGES["map"])
    first = offline_page.locator(".ocop-marker__page").first
    first.focus()
    assert visible_focus(offline_page)
    href = first.get_attribute("href")
    offline_page.keyboard.press("Enter")
    offline_page.wait_for_url("**" + href.lstrip("."))
