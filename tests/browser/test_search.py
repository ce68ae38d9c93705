"""Search and the product finder in a real browser, checked against the catalogue data."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import FIXED_EPOCH, ROOT

from generator.link.catalogue import Catalogue
from generator.link.clock import VIETNAM
from generator.pipeline import build_catalogue
from generator.source.layout import SourceLayout
from generator.source.problems import Problems
from generator.source.records import Product
from generator.vietnamese import fold
from generator.write.search_index import (
    MANIFEST,
    TEXT,
    decode_postings,
    key_file,
    product_doc,
    tokens,
)

CERTIFIED = ("valid", "expiring")
FINDER = "tim-kiem/"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    today = dt.datetime.fromtimestamp(int(FIXED_EPOCH), VIETNAM).date()
    problems = Problems()
    return build_catalogue(SourceLayout.default(ROOT), today, problems)


def matches(product: Product, query: str) -> bool:
    """The search rule: every word found; the last one, while typing, as a prefix of
    a word of the name or the facts (descriptions match whole words only)."""
    words = tokens(query)
    if len(words) > 1 and len(words[-1]) < 2:
        words = words[:-1]  # a last letter alone is not searched yet
    fields = product_doc(product, "").fields
    have = {t for _, text in fields for t in tokens(text)}
    strong = {t for weight, text in fields if weight > TEXT for t in tokens(text)}
    *complete, last = words
    return all(w in have for w in complete) and (
        last in have or (len(last) >= 2 and any(t.startswith(last) for t in strong)))


def expected(catalogue: Catalogue, query: str = "", **where: object) -> list[str]:
    """Names of the certified products a finder view should list, in name order."""
    out = []
    for p in catalogue.products_sorted:
        if p.status.code not in where.get("status", CERTIFIED):
            continue
        if query and not matches(p, query):
            continue
        if "stars" in where and p.ocop.stars not in where["stars"]:
            continue
        if "group" in where and where["group"] not in (p.group.id, p.subgroup.id):
            continue
        if "below" in where and not (p.price and p.price.amount < where["below"]):
            continue
        if "place" in where and p.producer.place_slug != where["place"]:
            continue
        out.append(p.name)
    return out


# --- helpers -------------------------------------------------------------------------------

def header_search(page, query: str) -> list[str]:
    page.fill("#ocop-search-q", query)
    # The list is busy from the keystroke until this query's answer is shown; the status
    # alone still holds the previous query's answer during the pause before searching.
    page.wait_for_function(
        "q => document.querySelector('#ocop-search-q').value === q &&"
        " !document.querySelector('#ocop-search-list').hasAttribute('aria-busy')", arg=query)
    return page.locator(".ocop-result__name").all_inner_texts()


def wait_finder(page) -> None:
    page.wait_for_selector("[data-ocop-finder][data-state=ready]:not([aria-busy])")


def finder_count(page) -> int:
    text = page.locator("[data-result-count]").inner_text()
    match = re.match(r"([\d.]+) sản phẩm", text)
    return int(match.group(1).replace(".", "")) if match else 0


def finder_names(page) -> list[str]:
    return page.locator("[data-results] .ocop-card__name").all_inner_texts()


def open_finder(page, site_url: str, query: str = "") -> None:
    page.goto(site_url + FINDER + (f"?q={query}" if query else ""))
    wait_finder(page)


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


# --- folding ---------------------------------------------------------------------------------

TRICKY = [
    "Mắm Châu Đốc", "MẮM CHÂU ĐỐC", unicodedata.normalize("NFD", "Mắm châu đốc"),
    "ĐƯỜNG THỐT NỐT", "đặc sản", "Ưu đãi ơn", "Tương Tân Châu", "Quảng Trị – Huế",
    "a\u0323\u0302", "e\u0301\u0302", "Straße ẞ", "ΟΔΟΣ ὀδός", "İstanbul ı", "Ǆemal ǅ",
    "ﬁne ﬂour", "Ꭰ ꭰ", "µ", "Å Ω K", "한국어", "日本語", "x\u0338", "\u0130\u0307",
    "ŉ ſ", "st25 ISO 22000", "cà phê_sữa-đá", "  nhiều   khoảng  trắng ",
]


def test_fold_agrees_with_python_on_every_character(page, site_url):
    """Every character of the table's Unicode version, whatever this Python's."""
    table = json.loads((ROOT / "generator/data/fold-table.json").read_text(encoding="utf-8"))
    page.goto(site_url)
    chars = [chr(cp) for start, end in table["assigned"] for cp in range(start, end + 1)]
    folded = page.evaluate("cs => cs.map(c => window.ocopText.fold(c))", chars)
    wrong = [(f"U+{ord(c):04X}", fold(c), js) for c, js in zip(chars, folded, strict=True)
             if fold(c) != js]
    assert wrong == []


def test_fold_and_tokens_agree_on_tricky_text(page, site_url):
    page.goto(site_url)
    got = page.evaluate(
        "ts => ts.map(t => [window.ocopText.fold(t), window.ocopText.tokens(t)])", TRICKY)
    assert got == [[fold(t), list(tokens(t))] for t in TRICKY]


# --- header search box ----------------------------------------------------------------------

def test_header_search_finds_the_same_products_however_typed(page, site_url):
    page.goto(site_url)
    spellings = ["mam chau doc", "MẮM CHÂU ĐỐC", "Mắm châu đốc",
                 unicodedata.normalize("NFD", "Mắm Châu Đốc")]
    results = [header_search(page, q) for q in spellings]
    assert all(r == results[0] for r in results)
    # Name matches first: the three "Mắm … Châu Đốc" products, in Vietnamese order.
    assert results[0][:3] == ["Mắm cá linh Châu Đốc", "Mắm cá lóc Châu Đốc",
                              "Mắm thái đu đủ Châu Đốc"]


@pytest.mark.parametrize(("query", "first"), [
    ("duong thot not", "Đường thốt nốt dạng bột hữu cơ"),
    ("ĐƯỜNG THỐT NỐT", "Đường thốt nốt dạng bột hữu cơ"),
    ("gao", "Gạo lứt huyết rồng"),
    ("tuong tan chau", "Tương hột Tân Châu"),
])
def test_header_search_without_diacritics(page, site_url, query, first):
    page.goto(site_url)
    names = header_search(page, query)
    assert names[0] == first
    assert all(all(w in fold(n) for w in tokens(query)) for n in names[:2])


def test_header_search_finds_pages_by_words_without_diacritics(page, site_url):
    page.goto(site_url)
    names = header_search(page, "dac san")
    assert names and all("đặc sản" in n.lower() or "dac san" in fold(n) for n in names[:3])
    page.goto(site_url)
    names = header_search(page, "moi xa mot san pham")
    # "Mỗi xã một sản phẩm" is written on the page about the OCOP programme.
    assert "Về chương trình OCOP" in names
    kinds = page.locator(".ocop-result__kind").all_inner_texts()
    assert "Trang" in kinds


def test_header_result_shows_photo_name_badge_and_place(page, site_url):
    # Not the home page: its cards put the 320 px photo in the cache, and Chromium
    # then shows that one instead of fetching the 128 px file.
    page.goto(site_url + "gioi-thieu-ocop/")
    header_search(page, "mam ca linh chau doc")
    first = page.locator(".ocop-result").first
    assert first.locator(".ocop-result__name").inner_text() == "Mắm cá linh Châu Đốc"
    assert first.locator(".ocop-badge").inner_text().endswith("OCOP 5 sao")
    assert first.locator(".ocop-result__place").inner_text() == "Phường Châu Đốc, An Giang"
    img = first.locator("img.ocop-result__thumb")
    img.scroll_into_view_if_needed()
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle())
    assert img.get_attribute("alt") == ""
    # A 48 px row fetches the 128 px file, not the card's 320 px one.
    assert img.evaluate("i => i.currentSrc").endswith("-128.webp")


def test_header_search_by_keyboard(page, site_url):
    page.goto(site_url)
    page.locator("#ocop-search-q").focus()
    names = header_search(page, "duong thot not")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = page.locator("#ocop-search-q").get_attribute("aria-activedescendant")
    assert page.locator(f"#{active} .ocop-result__name").inner_text() == names[1]
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/san-pham/[^/]+/$"))
    assert page.locator("h1").inner_text() == names[1]


def test_header_enter_opens_the_finder_with_the_query(page, site_url, catalogue):
    page.goto(site_url)
    header_search(page, "thot not")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=thot\+not$"))
    wait_finder(page)
    assert finder_count(page) == len(expected(catalogue, "thot not"))


def test_header_waits_for_a_second_letter(page, site_url):
    page.goto(site_url)
    assert header_search(page, "m") == []
    assert page.locator(".ocop-search__status").inner_text() == "Gõ thêm chữ để tìm…"
    # A last single letter is not searched yet: the complete words still are.
    assert header_search(page, "mam chau d") == header_search(page, "mam chau")


def test_header_list_is_busy_until_the_answer_is_shown(page, site_url):
    page.goto(site_url)
    busy = "document.querySelector('#ocop-search-list').getAttribute('aria-busy')"
    for query in ("mam", "m", "xyzzy", ""):
        # Set by the keystroke itself, before the pause that precedes searching (read in
        # the same turn: a slow machine may have answered by the next round trip).
        assert page.evaluate(
            "q => { const input = document.querySelector('#ocop-search-q');"
            " input.value = q; input.dispatchEvent(new Event('input', {bubbles: true}));"
            f" return {busy}; }}", query) == "true"
        page.wait_for_function(f"{busy} === null")
    assert header_search(page, "mam chau doc")


def test_header_no_result_says_so(page, site_url):
    page.goto(site_url)
    assert header_search(page, "xyzzy") == []
    status = page.locator(".ocop-search__status").inner_text()
    assert status == "Không tìm thấy kết quả cho “xyzzy”."


def test_a_script_meeting_an_index_of_another_format_says_it_could_not_load(
        page, site_url, sample_site):
    # After a deploy that changes the index format, a browser may run the previous
    # ocop-search.js from its cache: it asks for its own format's manifest, which the new
    # site does not have. The format-1 name is gone from this site for the same reason.
    assert not (sample_site / "assets/ocop-search/manifest.json").exists()
    page.route(f"**/assets/ocop-search/{MANIFEST}*", lambda route: route.fulfill(status=404))
    page.goto(site_url)
    assert header_search(page, "mam") == []
    assert page.locator(".ocop-search__status").inner_text() == (
        "Không tải được dữ liệu tìm kiếm. Hãy thử lại.")


# --- finder ------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "mam chau doc", "MẮM CHÂU ĐỐC", unicodedata.normalize("NFD", "Mắm châu đốc"),
    "duong thot not", "dac san", "gao", "thot",
])
def test_finder_text_query_lists_the_matching_products(page, site_url, catalogue, query):
    open_finder(page, site_url, query)
    names = expected(catalogue, query)
    assert names, "the query should find something in the sample catalogue"
    assert finder_count(page) == len(names)
    # Ranked by relevance: same products, every one of them.
    assert sorted(finder_names(page)) == sorted(names)


def test_finder_default_view_is_certified_products_in_name_order(page, site_url, catalogue):
    open_finder(page, site_url)
    names = expected(catalogue)
    assert finder_count(page) == len(names) == 37
    assert finder_names(page) == names[:24]
    assert page.locator("[data-pager] a", has_text="2").count() == 1


def test_finder_keeps_the_first_page_it_came_with(page, site_url, catalogue):
    """The default view arrives rendered; the script must not rebuild it (layout shift)."""
    page.add_init_script("""
        window.__rebuilt = 0;
        document.addEventListener("DOMContentLoaded", () => {
          const list = document.querySelector("[data-results]");
          window.__served = list.children.length;
          new MutationObserver(() => { window.__rebuilt += 1; })
            .observe(list, { childList: true });
        });
    """)
    open_finder(page, site_url)
    assert page.evaluate("window.__served") == 24
    assert page.evaluate("window.__rebuilt") == 0
    assert finder_names(page) == expected(catalogue)[:24]
    assert page.locator(".ocop-finder__filters").evaluate("d => d.open")  # side column
    page.fill("#ocop-finder-q", "gao")
    page.wait_for_function("window.__rebuilt > 0")
    wait_finder(page)
    assert sorted(finder_names(page)) == sorted(expected(catalogue, "gao"))


def test_finder_filters_combine_with_counts_and_url_state(page, site_url, catalogue):
    open_finder(page, site_url)
    page.check("input[name=sao][value='4']")
    wait_finder(page)
    assert params(page)["sao"] == ["4"]
    four = expected(catalogue, stars={4})
    assert finder_count(page) == len(four)
    assert finder_names(page) == four
    page.check("input[name=nhom][value='thuc-pham']")
    wait_finder(page)
    both = expected(catalogue, stars={4}, group="thuc-pham")
    assert finder_count(page) == len(both)
    assert finder_names(page) == both
    # Each facet counts under the other facets' filters, not its own.
    for stars in (3, 4, 5):
        count = page.locator(f"[data-facet=sao] [data-count='{stars}']").inner_text()
        assert count == f"({len(expected(catalogue, stars={stars}, group='thuc-pham'))})"
    drinks = page.locator("[data-facet=nhom] [data-count='do-uong']").inner_text()
    assert drinks == f"({len(expected(catalogue, stars={4}, group='do-uong'))})"
    shared = page.url
    assert params(page) == {"sao": ["4"], "nhom": ["thuc-pham"]}

    # The back button returns to "4 sao" only.
    page.go_back()
    wait_finder(page)
    assert params(page) == {"sao": ["4"]}
    assert not page.is_checked("input[name=nhom][value='thuc-pham']")
    assert finder_names(page) == four

    # A shared link opens the same view.
    page.goto(shared)
    wait_finder(page)
    assert page.is_checked("input[name=sao][value='4']")
    assert page.is_checked("input[name=nhom][value='thuc-pham']")
    assert finder_names(page) == both


def test_finder_status_price_place_and_sort(page, site_url, catalogue):
    open_finder(page, site_url, "mam")
    assert "Mắm cá sặc" not in finder_names(page)  # revoked: hidden by default
    page.check("input[name=tt][value='revoked']")
    wait_finder(page)
    assert "Mắm cá sặc" in finder_names(page)
    assert params(page)["tt"] == ["valid,expiring,revoked"]

    open_finder(page, site_url)
    page.check("input[name=gia][value='0-49999']")
    wait_finder(page)
    cheap = expected(catalogue, below=50_000)
    assert finder_count(page) == len(cheap)
    assert set(finder_names(page)) == set(cheap)
    page.select_option("select[name=sx]", "gia-giam")
    wait_finder(page)
    prices = [int(re.sub(r"\D", "", t.split("₫")[0]))
              for t in page.locator("[data-results] .ocop-card__price").all_inner_texts()]
    assert prices == sorted(prices, reverse=True) and prices[0] < 50_000
    assert params(page) == {"gia": ["0-49999"], "sx": ["gia-giam"]}

    open_finder(page, site_url)
    page.select_option("select[name=xa]", "phuong-chau-doc-an-giang")
    wait_finder(page)
    chau_doc = expected(catalogue, place="phuong-chau-doc-an-giang")
    assert finder_names(page) == chau_doc
    label = page.locator("select[name=xa] option:checked").inner_text()
    assert label == f"Phường Châu Đốc ({len(chau_doc)})"


def test_finder_custom_price_range_and_reset(page, site_url, catalogue):
    open_finder(page, site_url)
    page.fill("#ocop-finder-min", "100000")
    page.fill("#ocop-finder-max", "150000")
    page.locator("#ocop-finder-max").dispatch_event("change")
    wait_finder(page)
    names = [p.name for p in catalogue.products_sorted if p.status.code in CERTIFIED
             and p.price and 100_000 <= p.price.amount <= 150_000]
    assert finder_names(page) == names
    assert params(page)["gia"] == ["100000-150000"]
    page.click("[data-reset]")
    wait_finder(page)
    assert finder_count(page) == 37
    assert params(page) == {}


def test_finder_on_a_phone(phone, site_url, catalogue):
    open_finder(phone, site_url, "gao")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # Cards are half the screen: the 320 px photo on a 2× phone, never the 128 px one.
    card = phone.locator("[data-results] img.ocop-card__img").first
    phone.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=card.element_handle())
    assert card.evaluate("i => i.currentSrc").endswith("-320.webp")
    # Results first; the filters are folded away until asked for.
    assert not phone.locator("[data-facet=sao]").is_visible()
    assert sorted(finder_names(phone)) == sorted(expected(catalogue, "gao"))
    phone.click(".ocop-finder__filters > summary")
    phone.check("input[name=sao][value='3']")
    wait_finder(phone)
    found = len(expected(catalogue, "gao", stars={3}))
    assert finder_count(phone) == found
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    show = phone.locator("[data-show-results]")
    assert show.inner_text() == f"Xem {found} sản phẩm"
    show.click()
    assert not phone.locator("[data-facet=sao]").is_visible()
    assert phone.locator("[data-results] .ocop-card").first.is_visible()


def test_header_search_on_a_phone(phone, site_url):
    phone.goto(site_url + "san-pham/")
    assert not phone.locator("#ocop-search-q").is_visible()
    phone.click(".ocop-search__open")
    box = phone.locator("#ocop-search-q")
    assert box.is_visible()
    assert phone.evaluate("document.activeElement.id") == "ocop-search-q"
    names = header_search(phone, "mam")
    assert names
    panel = phone.locator(".ocop-search__panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 360
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.keyboard.press("Escape")
    phone.keyboard.press("Escape")
    phone.keyboard.press("Escape")
    assert not box.is_visible()


def test_inputs_are_labelled_and_focus_is_visible(page, site_url):
    open_finder(page, site_url)
    unlabelled = page.evaluate(
        "() => Array.from(document.querySelectorAll("
        "'.ocop-finder input, .ocop-finder select, .ocop-search input'))"
        ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))"
        ".map(e => e.outerHTML)")
    assert unlabelled == []
    page.locator("#ocop-finder-q").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.id, s.outlineStyle, s.outlineWidth]; }")
    assert focused[0] == "ocop-finder-sort"
    assert focused[1] != "none" and focused[2] != "0px"
    page.locator("#ocop-search-q").focus()
    style = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert style != "none"


def test_without_javascript_the_listings_remain(browser, site_url, catalogue):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + FINDER)
        assert not page.locator(".ocop-finder").is_visible()
        links = page.locator(".ocop-finder__nojs a")
        assert links.count() >= 5
        # The header's magnifier leads to this page; every product is reachable by
        # following the "all products" pages.
        assert page.locator(".ocop-search__open").is_visible()
        page.locator(".ocop-finder__nojs a", has_text="Tất cả sản phẩm").click()
        seen = []
        while True:
            seen += page.locator(".ocop-card__name").all_inner_texts()
            following = page.locator(".ocop-pager a[rel=next]")
            if not following.count():
                break
            following.click()
        assert seen == [p.name for p in catalogue.products_sorted]
    finally:
        context.close()


def test_index_data_is_what_the_browser_loads(page, site_url, sample_site):
    """The browser reads the index the build wrote, and nothing from elsewhere."""
    hosts = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.goto(site_url)
    header_search(page, "tra")
    version = page.evaluate("() => window.ocopSearch.manifest().then(m => m.v)")
    written = json.loads((sample_site / "assets/ocop-search" / MANIFEST).read_bytes())
    assert version == written["v"]
    assert hosts == {urlsplit(site_url).netloc}


# --- two tiers: names and facts first, descriptions when needed ------------------------------

def index_matches(site: Path, words: list[str]) -> tuple[set[int], set[int]]:
    """(documents with every word in a name or the facts, documents with every word
    anywhere) for whole words, read from the index files the build wrote."""
    folder = site / "assets/ocop-search"
    manifest = json.loads((folder / MANIFEST).read_bytes())

    def docs(tier: str, keys: list[str], word: str) -> set[int]:
        key = max((k for k in keys if word.startswith(k)), key=len, default=None)
        if key is None:
            return set()
        chunk = json.loads((folder / tier / f"{key_file(key)}.json").read_bytes())
        return {d for d, _ in decode_postings(chunk.get(word, []))}

    strong = [docs("t", manifest["keys"], w) for w in words]
    weak = [docs("x", manifest["xkeys"], w) for w in words]
    return (set.intersection(*strong),
            set.intersection(*(s | x for s, x in zip(strong, weak, strict=True))))


def test_header_reads_descriptions_only_when_names_and_facts_are_not_enough(
        page, site_url, sample_site):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path))
    page.goto(site_url)
    # Every product's facts say An Giang: far more than the eight shown.
    strong, everywhere = index_matches(sample_site, ["an", "giang"])
    assert len(strong) > 8
    header_search(page, "an giang ")
    status = page.locator(".ocop-search__status").inner_text()
    assert status == f"Ít nhất {len(strong)} kết quả, hiện 8 kết quả đầu"
    assert page.locator(".ocop-search__all").inner_text() == "Xem và lọc mọi sản phẩm tìm được"
    assert not [p for p in requested if "/ocop-search/x/" in p]
    # "tự nhiên" is only in descriptions: the second tier is read, the count is exact.
    strong, everywhere = index_matches(sample_site, ["tu", "nhien"])
    assert not strong and 0 < len(everywhere) <= 8
    page.goto(site_url)
    header_search(page, "tu nhien ")
    status = page.locator(".ocop-search__status").inner_text()
    assert status == f"{len(everywhere)} kết quả"
    assert [p for p in requested if "/ocop-search/x/" in p]


def test_header_and_finder_rank_name_and_fact_matches_first(page, site_url, catalogue):
    # "chau duoc": the mushroom has both words in its facts (score 4 + 4); the Châu
    # Đốc products have "Châu" in their names and "được" only in their descriptions
    # (6 + 2), and come first in name order: a ranking by score alone, then name,
    # would put them first.
    page.goto(site_url)
    names = header_search(page, "chau duoc ")
    assert names[0] == "Nấm linh chi đỏ thái lát"
    assert "Mắm cá linh Châu Đốc" in names[1:]
    open_finder(page, site_url, "chau+duoc+")
    listed = finder_names(page)
    assert listed[0] == "Nấm linh chi đỏ thái lát"
    # Beyond the first, the finder's order is the header's (certified products only).
    certified = {p.name for p in catalogue.products_sorted if p.status.code in CERTIFIED}
    assert listed == [n for n in names if n in certified][:len(listed)]


def test_header_fetches_photos_only_of_the_rows_left_on_screen(page, site_url):
    photos: list[str] = []
    page.on("request", lambda r: photos.append(urlsplit(r.url).path)
            if r.url.endswith(".webp") else None)
    page.goto(site_url + "gioi-thieu-ocop/")
    page.wait_for_load_state("networkidle")
    photos.clear()
    # A key every 150 ms: each prefix is searched (120 ms after its key), and no list
    # stays for 300 ms.
    page.locator("#ocop-search-q").press_sequentially("duong thot not", delay=150)
    page.wait_for_function(
        "() => { const imgs = [...document.querySelectorAll('.ocop-result img')];"
        " return imgs.length > 0 && imgs.every(i => i.currentSrc && i.complete); }")
    page.wait_for_load_state("networkidle")
    shown = page.locator(".ocop-result img").evaluate_all(
        "imgs => imgs.map(i => new URL(i.currentSrc).pathname)")
    assert shown and sorted(set(photos)) == sorted(set(shown))


# --- the English catalogue (/en/) ------------------------------------------------------

@pytest.mark.parametrize(("query", "wanted"), [
    ("fish sauce", {"Premium anchovy fish sauce, 40°N", "Mud carp fish sauce"}),
    ("palm sugar", {"Pure palm sugar", "Palm sugar cakes", "Palm sugar candy"}),
])
def test_english_search_finds_english_names(page, site_url, query, wanted):
    page.goto(site_url + "en/")
    names = header_search(page, query)
    assert wanted <= set(names[:8]), names
    status = page.locator(".ocop-search__status").inner_text()
    assert re.fullmatch(r"(At least )?\d+ results?(, showing the first \d+)?", status), status
    # Results lead to the English pages.
    hrefs = page.locator(".ocop-result a").evaluate_all("as => as.map(a => a.href)")
    assert hrefs and all("/en/" in h for h in hrefs), hrefs


def test_english_search_still_folds_vietnamese(page, site_url):
    """A visitor who knows the Vietnamese name types it without tones on /en/ too."""
    page.goto(site_url + "en/")
    names = header_search(page, "mam chau doc")
    # The three "Mắm … Châu Đốc" products first, shown by their English names.
    assert set(names[:3]) == {"Chau Doc fermented mud carp", "Chau Doc fermented snakehead fish",
                              "Chau Doc fermented snakehead fish with papaya"}, names


def test_english_finder_counts_in_english(page, site_url):
    page.goto(site_url + "en/tim-kiem/?q=palm+sugar")
    wait_finder(page)
    text = page.locator("[data-result-count]").inner_text()
    assert re.match(r"\d+ products?\b", text), text
    hrefs = page.locator(".ocop-finder__results a.ocop-card__link, [data-results] a").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all("en/san-pham/" in h for h in hrefs), hrefs
