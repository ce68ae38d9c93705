"""The search index and the finder page data (no browser: see tests/browser/test_search.py)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import FIXED_EPOCH, FIXTURES, ROOT

from generator.link.catalogue import Catalogue
from generator.link.clock import VIETNAM
from generator.pipeline import build_catalogue
from generator.plan.finder import DEFAULT_STATUSES, PRICE_RANGES, build_finder
from generator.plan.urls import Urls
from generator.source.layout import SourceLayout
from generator.source.problems import Problems
from generator.vietnamese import fold, sort_key
from generator.write.search_index import (
    ALPHABET,
    INDEX_DIR,
    MANIFEST,
    META,
    NAME,
    TEXT,
    SearchDoc,
    build_search_index,
    catalogue_docs,
    chunk_tokens,
    decode_postings,
    key_file,
    product_doc,
    tier_postings,
    tokens,
)

FIXED_DATE = dt.datetime.fromtimestamp(int(FIXED_EPOCH), VIETNAM).date()


def _catalogue(root: Path) -> Catalogue:
    problems = Problems()
    catalogue = build_catalogue(SourceLayout.default(root), FIXED_DATE, problems)
    assert not problems.failed(False), problems.report()
    return catalogue


@pytest.fixture(scope="module")
def sample(sample_catalogue) -> Catalogue:
    assert sample_catalogue.build_date == FIXED_DATE
    return sample_catalogue


@pytest.fixture(scope="module")
def mini() -> Catalogue:
    return _catalogue(FIXTURES / "mini")


def _docs(catalogue: Catalogue) -> list[SearchDoc]:
    return catalogue_docs(catalogue, (), lambda p: f"anh/{p.id}.webp", lambda p: "")


# --- tokens ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "words"), [
    ("Mắm Châu Đốc", ["mam", "chau", "doc"]),
    ("MẮM CHÂU ĐỐC", ["mam", "chau", "doc"]),
    ("Đường thốt nốt (hũ 500 g)", ["duong", "thot", "not", "hu", "500", "g"]),
    ("đặc sản/đặc_sản", ["dac", "san", "dac", "san"]),
    ("ISO 22000, HACCP", ["iso", "22000", "haccp"]),
    ("  ", []),
])
def test_tokens_fold_and_split(text, words):
    assert list(tokens(text)) == words
    assert list(tokens(unicodedata.normalize("NFD", text))) == words


def _reference_fold(text: str) -> str:
    """The fold's definition, computed with this Python's Unicode tables."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text).casefold()


@pytest.mark.skipif(unicodedata.unidata_version != "14.0.0",
                    reason="the fold is defined on Unicode 14.0 (Python 3.11's tables)")
def test_the_shipped_fold_is_its_definition_on_every_character():
    chars = [chr(cp) for cp in range(0x110000)
             if unicodedata.category(chr(cp)) not in ("Cn", "Cs", "Co")]
    assert [fold(c) for c in chars] == [_reference_fold(c) for c in chars]


@pytest.mark.parametrize("text", [
    "Mắm Châu Đốc", "ĐƯỜNG THỐT NỐT", "a\u034fb", "Straße", "Ǆ ǅ", "İ", "ΟΔΟΣ ὀδός",
    "Phở – 40°", "x\u0338y", "Ꭰ ꭰ", "ﬁne", "한국어",
])
def test_fold_is_the_same_for_nfc_and_nfd_and_on_any_python(text):
    """The table, not this Python's unicodedata, decides: no skip on other versions."""
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)
    expected = {"Mắm Châu Đốc": "mam chau doc", "ĐƯỜNG THỐT NỐT": "duong thot not",
                "Straße": "strasse", "ΟΔΟΣ ὀδός": "οδοσ οδοσ", "Ꭰ ꭰ": "Ꭰ Ꭰ", "ﬁne": "fine",
                "a\u034fb": "a\u034fb", "x\u0338y": "xy"}
    if text in expected:
        assert fold(text) == expected[text]


def test_key_file_is_url_safe():
    assert key_file("ma") == "ma"
    assert key_file("øl") == "_c3b86c"


# --- postings and chunks ---------------------------------------------------------------

def matches(docs: list[SearchDoc], token: str) -> list[tuple[int, int]]:
    """(document, best weight) of every document with ``token``, both tiers."""
    strong, text = tier_postings(docs)
    return sorted(decode_postings(strong.get(token, [])) + decode_postings(text.get(token, [])))


def test_postings_keep_the_best_weight_per_document_in_its_tier():
    docs = [
        SearchDoc("p", "a/", "Mắm cá", fields=((NAME, "Mắm cá"), (TEXT, "mắm ngon"))),
        SearchDoc("p", "b/", "Gạo", fields=((NAME, "Gạo"), (TEXT, "không mắm ngon"))),
        SearchDoc("p", "c/", "Trà", fields=((META, "Mắm"),)),
    ]
    strong, text = tier_postings(docs)
    assert decode_postings(strong["mam"]) == [(0, NAME), (2, META)]
    assert decode_postings(text["mam"]) == [(1, TEXT)]
    # Deltas, not document numbers: small numbers compress well.
    assert strong["mam"] == [0 << 2 | NAME, 2 << 2 | META]
    assert "ngon" not in strong and decode_postings(text["ngon"]) == [(0, TEXT), (1, TEXT)]
    assert decode_postings(strong["gao"]) == [(1, NAME)] and "gao" not in text


def test_every_document_is_in_one_tier_per_token_with_its_best_weight(sample):
    docs = _docs(sample)
    strong, text = tier_postings(docs)
    expected: dict[str, dict[int, int]] = {}
    for number, doc in enumerate(docs):
        for weight, field_text in doc.fields:
            for token in tokens(field_text):
                seen = expected.setdefault(token, {})
                seen[number] = max(seen.get(number, 0), weight)
    assert strong.keys() | text.keys() == expected.keys()
    for token, by_doc in expected.items():
        high = decode_postings(strong.get(token, []))
        low = decode_postings(text.get(token, []))
        assert all(w > TEXT for _, w in high) and all(w == TEXT for _, w in low)
        assert sorted(high + low) == sorted(by_doc.items()), token


def test_every_token_lives_in_the_longest_key_that_prefixes_it():
    docs = [SearchDoc("p", f"{i}/", "x", fields=((NAME, word),))
            for i, word in enumerate(["chau", "chanh", "che", "cho", "ch", "c", "an"] * 40)]
    index, _ = tier_postings(docs)
    chunks = chunk_tokens(index, limit=200)
    assert len(chunks) > 3, "a small limit splits the 'ch' chunk"
    placed = {token: key for key, members in chunks.items() for token in members}
    assert sorted(placed) == sorted(index)
    for token, key in placed.items():
        longest = max((k for k in chunks if token.startswith(k)), key=len)
        assert key == longest, token
    unsplit = chunk_tokens(index, limit=10**9)
    assert sorted(unsplit) == ["an", "c", "ch"]


# --- the index of a catalogue ------------------------------------------------------------

def test_products_come_first_in_vietnamese_name_order(sample):
    docs = _docs(sample)
    products = [d for d in docs if d.kind == "p"]
    assert docs[:len(products)] == products
    names = [d.title for d in products]
    assert names == sorted(names, key=sort_key)
    # Đ sorts after D, not with it: every "Đường…" after every "D…" name.
    first_d_stroke = next(i for i, n in enumerate(names) if n.startswith("Đ"))
    assert all(not n.startswith("D") for n in names[first_d_stroke:])


def test_product_record_shows_name_badge_place_and_thumbnail(sample):
    product = sample.products["duong-thot-not-nguyen-chat-o-lam"]
    doc = product_doc(product, "anh/x-320.webp")
    assert doc.record() == [
        "p", "san-pham/duong-thot-not-nguyen-chat-o-lam/", "Đường thốt nốt nguyên chất",
        "Hợp tác xã Thốt Nốt Phước Hòa", "Xã Ô Lâm, An Giang", 4, "v", 75000, "hũ 500 g",
        "anh/x-320.webp",
    ]


def test_link_targets_and_web_addresses_are_not_indexed(sample):
    """A description's link text is searchable; where it points, and a bare web
    address, are not (tokens nobody types)."""
    product = copy.copy(sample.products["duong-thot-not-nguyen-chat-o-lam"])
    product.description = ("Xem [gian hàng Shopee](https://shopee.vn/thotnot-phuochoa) "
                           "hoặc http://thotnot.example.vn/mua-ngay để đặt.")
    texts = [text for weight, text in product_doc(product, "").fields if weight == TEXT]
    assert texts[0] == "Xem [gian hàng Shopee  hoặc   để đặt."
    product.description = "Đặt tại https://thotnot.example.vn/dat-hang nhé."
    texts = [text for weight, text in product_doc(product, "").fields if weight == TEXT]
    assert texts[0] == "Đặt tại   nhé."
    product.description = "Xem [trang của hợp tác xã](/chu-the/thot-not/) nhé."
    texts = [text for weight, text in product_doc(product, "").fields if weight == TEXT]
    assert texts[0] == "Xem [trang của hợp tác xã  nhé."
    product.description = "Không có liên kết nào."
    texts = [text for weight, text in product_doc(product, "").fields if weight == TEXT]
    assert texts[0] == "Không có liên kết nào."


def test_index_files_and_manifest(sample):
    docs = _docs(sample)
    index = build_search_index(sample, docs)
    manifest = json.loads(index.files[MANIFEST])
    assert manifest["products"] == len(sample.products) == 42
    assert manifest["docs"] == len(docs)
    assert manifest["v"] == index.version
    chunks = {f"t/{key_file(k)}.json" for k in manifest["keys"]}
    chunks |= {f"x/{key_file(k)}.json" for k in manifest["xkeys"]}
    assert chunks == {p for p in index.files if p.startswith(("t/", "x/"))}
    # Description words are in the second tier only: "nhiên" (tự nhiên) is in no name.
    text_chunk = f"x/{key_file(_key(manifest['xkeys'], 'nhien'))}.json"
    assert "nhien" in json.loads(index.files[text_chunk])
    shards = sorted(int(p[2:-5]) for p in index.files if p.startswith("d/"))
    assert shards == list(range(-(-len(docs) // manifest["shard"])))
    records = [r for p in sorted(index.files, key=lambda p: (len(p), p)) if p.startswith("d/")
               for r in json.loads(index.files[p])]
    assert [r[1] for r in records] == [d.url for d in docs]
    # Where does "duong" point? At every product with Đường in its name, as a name match.
    chunk = json.loads(index.files["t/du.json"])
    named = {n for n, w in decode_postings(chunk["duong"]) if w == NAME}
    expected = {i for i, d in enumerate(docs) if "duong" in tokens(d.title)}
    assert named == expected and len(expected) >= 4


def _key(keys: list[str], token: str) -> str:
    return max((k for k in keys if token.startswith(k)), key=len)


def test_index_is_deterministic(sample):
    first = build_search_index(sample, _docs(sample))
    second = build_search_index(sample, _docs(sample))
    assert first.files == second.files
    assert list(first.files) == sorted(first.files)


def test_facet_columns_match_the_catalogue(sample):
    index = build_search_index(sample, _docs(sample))
    facets = json.loads(index.files["facets.json"])
    products = sample.products_sorted
    assert facets["n"] == len(products)
    assert facets["stars"] == "".join(str(p.ocop.stars) for p in products)
    letters = {"valid": "v", "expiring": "e", "expired": "x", "revoked": "r"}
    assert facets["status"] == "".join(letters[p.status.code] for p in products)
    cats = [c[0] for c in facets["cats"]]
    assert [cats[ALPHABET.index(ch)] for ch in facets["cat"]] == [p.subgroup.id for p in products]
    types = [t[0] for t in facets["types"]]
    assert [types[ALPHABET.index(ch)] for ch in facets["type"]] == [
        p.producer.type for p in products]
    assert facets["price"] == [p.price.amount if p.price else -1 for p in products]
    assert facets["provs"] == [["an-giang", "An Giang"]]
    province = json.loads(index.files["p/an-giang.json"])
    places = [s for s, _ in province["places"]]
    assert [places[i] for i in province["idx"]] == [p.producer.place_slug for p in products]


def test_only_existing_pages_are_indexed(mini):
    # No point-of-sale or place pages on this site: none of them may be a result.
    docs = catalogue_docs(mini, [Urls.category(mini.groups.by_id["thuc-pham"])],
                          lambda p: "", lambda p: "")
    kinds = {d.kind for d in docs}
    assert kinds == {"p", "c", "l"}
    assert [d.title for d in docs if d.kind == "l"] == ["Thực phẩm"]


def test_points_of_sale_and_fairs_are_indexed_once_they_have_pages(sample):
    urls = [Urls.point_of_sale(p) for p in sample.points_of_sale.values()]
    urls += [Urls.fair(f) for f in sample.fairs.values()]
    docs = catalogue_docs(sample, urls, lambda p: "", lambda p: "")
    shops = [d for d in docs if d.kind == "s"]
    fairs = [d for d in docs if d.kind == "f"]
    assert len(shops) == len(sample.points_of_sale) and len(fairs) == len(sample.fairs)
    found = {docs[n].title for n, _ in matches(docs, "dac")}
    assert "Cửa hàng Đặc sản Sen Vàng Châu Đốc" in found
    shop = next(d for d in shops if d.title == "Cửa hàng Đặc sản Sen Vàng Châu Đốc")
    address = sample.points_of_sale["cua-hang-dac-san-sen-vang-chau-doc"].address
    assert shop.place == f"{address.commune}, {address.province}" == "Phường Vĩnh Tế, An Giang"
    assert shop.url == "diem-ban/cua-hang-dac-san-sen-vang-chau-doc/"


# --- the built site -------------------------------------------------------------------------

def test_built_site_has_the_index_and_every_result_link_works(sample_site):
    index_dir = sample_site / INDEX_DIR
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    records = [r for shard in sorted(index_dir.glob("d/*.json"))
               for r in json.loads(shard.read_text(encoding="utf-8"))]
    assert len(records) == manifest["docs"]
    for _kind, url, *_rest, thumb in records:
        assert (sample_site / url / "index.html").is_file(), url
        if thumb:
            # A srcset: the 128 px WebP for result rows, up to 320 px for finder cards.
            sources = [part.split(" ") for part in thumb.split(", ")]
            assert int(sources[0][1][:-1]) >= 128, thumb
            assert all(int(w[:-1]) <= 320 for _, w in sources), thumb
            for src, _ in sources:
                assert (sample_site / src).is_file(), thumb
    pages = {r[2]: r[1] for r in records if r[0] == "g"}
    # Hand-written Markdown pages are found too, generated pages are not duplicated.
    hand_written = {"" if md.stem == "index" else f"{md.stem}/"
                    for md in (ROOT / "content").glob("*.md")}
    assert sorted(pages.values()) == sorted(hand_written)
    assert pages["Về chương trình OCOP"] == "gioi-thieu-ocop/"
    assert all(r[5] == 0 or r[0] == "p" for r in records)


# --- finder page data ----------------------------------------------------------------------

def test_finder_counts_are_those_of_the_default_view(sample):
    finder = build_finder(sample)
    shown = [p for p in sample.products.values() if p.status.code in DEFAULT_STATUSES]
    assert finder.total == len(shown) == 37
    assert {o.value: o.count for o in finder.stars} == {
        s: sum(1 for p in shown if str(p.ocop.stars) == s) for s in ("5", "4", "3")}
    food = next(g for g in finder.groups if g.value == "thuc-pham")
    assert food.count == sum(1 for p in shown if p.group.id == "thuc-pham")
    assert sum(c.count for c in food.children) == food.count
    # The status facet counts every status (it is the facet being filtered).
    assert {o.value: o.count for o in finder.statuses} == sample.count_by_status()
    assert finder.prices[0].value == "0-49999"
    assert sum(o.count for o in finder.prices) == sum(1 for p in shown if p.price)
    assert len(finder.places) == len(sample.places)
    assert PRICE_RANGES[-1][1] is None


@pytest.mark.skipif(unicodedata.unidata_version != "14.0.0",
                    reason="the tables are generated from Python 3.11's Unicode 14.0")
def test_fold_tables_are_current():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import fold_tables
    finally:
        sys.path.pop(0)
    assert fold_tables.main(["--check"]) == 0


def test_official_accent_twins_are_two_places_and_son_ha_finds_both(tmp_path):
    """Xã Sơn Hà and Xã Sơn Hạ (Quảng Ngãi): two pages, one folded query finds both."""
    from test_corpus import lay_out

    catalogue = _catalogue(lay_out(tmp_path / "project", ["place-accent-twins"]))
    docs = catalogue_docs(catalogue, [Urls.place(p) for p in catalogue.places], lambda p: "",
                          lambda p: "")
    both = {n for n, _ in matches(docs, "son")} & {n for n, _ in matches(docs, "ha")}
    places = {docs[n].title: docs[n].url for n in both if docs[n].kind == "l"}
    assert places == {"Xã Sơn Hà, Quảng Ngãi": "dia-phuong/xa-son-ha-quang-ngai-21289/",
                      "Xã Sơn Hạ, Quảng Ngãi": "dia-phuong/xa-son-ha-quang-ngai-21292/"}


def test_thumbnails_fill_the_row_square_and_stop_at_a_card_width(tmp_path):
    from types import SimpleNamespace

    from generator.media.library import Picture, SourceVariant
    from generator.write.search_files import _thumbs

    def picture(stem: str, width: int, height: int, widths: tuple[int, ...]) -> Picture:
        return Picture(src=f"anh/{stem}.jpg", mime="image/jpeg", width=width, height=height,
                       webp=tuple(SourceVariant(f"anh/{stem}-{w}.webp", w) for w in widths))

    pictures = {
        "photo": picture("a", 1200, 900, (128, 320, 640, 1200)),
        "wide-logo": picture("b", 1200, 400, (128, 320, 640, 1200)),
        "small": picture("c", 100, 100, (100,)),
    }
    media = SimpleNamespace(picture=lambda path: pictures[path])
    product_thumb, producer_thumb = _thumbs(media)  # type: ignore[arg-type]
    # 4:3: 128 px wide is 96 high, enough for a 48 px square at 2x; 320 px for cards.
    assert product_thumb(SimpleNamespace(id="p", photos=["photo"])) == (
        "anh/a-128.webp 128w, anh/a-320.webp 320w")
    # 3:1: 128 px wide is 43 high, stretched 2.2x in the square; 320 px is 107 high.
    assert producer_thumb(SimpleNamespace(id="q", logo_path="wide-logo")) == (
        "anh/b-320.webp 320w")
    assert producer_thumb(SimpleNamespace(id="r", logo_path="small")) == "anh/c-100.webp 100w"
    assert producer_thumb(SimpleNamespace(id="s", logo_path=None)) == ""


def test_a_thumbnail_is_made_once_for_every_language_index():
    """Each language's index asks for the same thumbnails: made once, by record (a
    product and a producer may share an id)."""
    from types import SimpleNamespace

    from generator.media.library import Picture, SourceVariant
    from generator.write.search_files import _thumbs

    asked: list[str] = []

    def picture(path: str) -> Picture:
        asked.append(path)
        return Picture(src=f"anh/{path}.jpg", mime="image/jpeg", width=400, height=300,
                       webp=(SourceVariant(f"anh/{path}-320.webp", 320),))

    product_thumb, producer_thumb = _thumbs(SimpleNamespace(picture=picture))  # type: ignore[arg-type]
    product = SimpleNamespace(id="x", photos=["sp"])
    producer = SimpleNamespace(id="x", logo_path="logo")
    for _ in ("vi", "en"):
        assert product_thumb(product) == "anh/sp-320.webp 320w"
        assert producer_thumb(producer) == "anh/logo-320.webp 320w"
    assert asked == ["sp", "logo"]
