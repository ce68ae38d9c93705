"""National scale: index pages stay bounded, and every record stays reachable without JS.

The sample (one province) keeps its simple indexes; a synthetic several-province
catalogue (``ocop synth``) gets a province level, paginated lists and per-province
maps. Built pages are measured against the product page's bound (DESIGN §4).
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXED_EPOCH, ROOT, fixed_build_date
from test_trade_validation import FAIR, POS, project
from test_validation import PRODUCER, PRODUCT, catalogue, png, problems_of

from generator.link.catalogue import Catalogue
from generator.link.clock import VIETNAM
from generator.link.regions import province_level, regions
from generator.pipeline import build_catalogue
from generator.plan import fairs as plan_fairs
from generator.plan import maps as plan_maps
from generator.plan import plan_pages
from generator.plan import points_of_sale as plan_pos
from generator.source.layout import SourceLayout
from generator.source.problems import Problems
from generator.synth.catalogue import SynthOptions, synthesize

TODAY = dt.datetime.fromtimestamp(int(FIXED_EPOCH), VIETNAM).date()
#: DESIGN §4: a product page stays under 40 KB of HTML; so must every index page.
PAGE_BOUND = 40_000


def load(root: Path) -> Catalogue:
    problems = Problems()
    cat = build_catalogue(SourceLayout.default(root), TODAY, problems)
    assert problems.errors == [], problems.report()
    return cat


@pytest.fixture(scope="module")
def sample() -> Catalogue:
    return load(ROOT)


def synth(out: Path, products: int, producers: int, points: int, fairs: int,
          provinces: int = 5) -> Path:
    synthesize(out, SynthOptions(products=products, producers=producers, points_of_sale=points,
                                 fairs=fairs, provinces=provinces, seed=5, today=TODAY))
    return out


# --- the province level ------------------------------------------------------------------

def test_sample_is_one_province_and_keeps_its_simple_indexes(sample):
    assert list(sample.provinces) == ["an-giang"]
    an_giang = sample.provinces["an-giang"]
    assert an_giang.name == "An Giang"
    assert an_giang.places == tuple(sample.places.values())
    assert an_giang.product_count == len(sample.products)
    assert an_giang.producer_count == len(sample.producers)
    assert not province_level(sample)
    urls = [s.url for s in plan_pages(sample)]
    extra = ("dia-phuong/tinh/", "diem-ban/tinh/", "diem-ban/trang-", "hoi-cho/trang-",
             "hoi-cho/nam-", "ban-do/tinh/", "ban-do/trang-")
    assert [u for u in urls if u.startswith(extra)] == []
    assert {"dia-phuong/", "diem-ban/", "hoi-cho/", "ban-do/"} <= set(urls)


def test_provinces_in_vietnamese_order_with_their_communes(tmp_path):
    cat = load(synth(tmp_path / "p", 300, 150, 30, 10))
    names = [p.name for p in cat.provinces.values()]
    assert names == ["An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ"]
    # Every commune is in exactly one province; counts add up.
    assert sum(len(p.places) for p in cat.provinces.values()) == len(cat.places)
    assert sum(p.product_count for p in cat.provinces.values()) == len(cat.products)
    for province in cat.provinces.values():
        assert {pl.province for pl in province.places} == {province.name}
    assert province_level(cat)
    areas = regions(cat)
    assert [r.name for r in areas] == names
    assert sum(len(r.points_of_sale) for r in areas) == sum(
        1 for p in cat.points_of_sale.values() if p.address is not None)


def _second_producer(commune: str, province: str) -> dict[str, str | bytes]:
    other = PRODUCER.replace("Hợp tác xã Thử", "Cơ sở Khác").replace(
        "Xã Ô Lâm", commune).replace("province: An Giang", f"province: {province}")
    return {"products/htx-khac/producer.yaml": other,
            "products/htx-khac/mam.yaml": PRODUCT.replace("Đường thốt nốt", "Mắm cá linh"),
            "products/htx-khac/photo.png": png()}


def test_official_province_spelled_two_ways_is_one_province(write_catalogue):
    root = catalogue(write_catalogue, extra=_second_producer("Xã Tri Tôn", "an giang"))
    assert problems_of(root) == []
    assert [p.name for p in load(root).provinces.values()] == ["An Giang"]


def test_unofficial_province_spelled_two_ways(write_catalogue):
    producer = PRODUCER.replace("province: An Giang", "province: Tỉnh Thử")
    root = catalogue(write_catalogue, producer=producer,
                     extra=_second_producer("Xã Tri Tôn", "tỉnh thử"))
    not_official = ("is not a province or city since 1/7/2025 (vietnam-provinces "
                    "2025.10.1)")
    assert problems_of(root) == [
        f"products/htx-khac/producer.yaml:5:13: address.province: warning: 'tỉnh thử' "
        f"{not_official}",
        "products/htx-thu/producer.yaml:5:13: address.province: 'Tỉnh Thử' and 'tỉnh thử' "
        "differ only in accents or case; spell the province one way",
        f"products/htx-thu/producer.yaml:5:13: address.province: warning: 'Tỉnh Thử' "
        f"{not_official}"]


def test_commune_without_letters(write_catalogue):
    root = catalogue(write_catalogue, producer=PRODUCER.replace("Xã Ô Lâm", '"—"'))
    assert problems_of(root) == [
        "products/htx-thu/producer.yaml:4:12: address.commune: '—' has no letters or digits; "
        "write the name in full",
        "products/htx-thu/producer.yaml:4:12: address.commune: warning: '—' is not a commune, "
        "ward or special zone of An Giang in the official list (vietnam-provinces 2025.10.1)"]


@pytest.mark.parametrize(("files", "expected"), [
    pytest.param({"content/points-of-sale/tinh.yaml": POS},
                 "content/points-of-sale/tinh.yaml:1:1: -: id 'tinh' is reserved for the pages "
                 "of the points of sale of each province; choose another file name",
                 id="point-of-sale-tinh"),
    pytest.param({"content/fairs/nam-2020.yaml": FAIR},
                 "content/fairs/nam-2020.yaml:1:1: -: id 'nam-2020' is reserved for the pages "
                 "of the past fairs of each year; choose another file name",
                 id="fair-nam-2020"),
])
def test_ids_of_index_pages_are_reserved(write_catalogue, files, expected):
    # The same records under other names are fine (test_trade_validation).
    assert problems_of(project(write_catalogue, files)) == [expected]


# --- pages of one province-sized catalogue, cut small ------------------------------------

def test_points_of_sale_index_pages_by_commune(sample, monkeypatch):
    monkeypatch.setattr(plan_pos, "POINTS_PAGE_SIZE", 2)
    specs = [s for s in plan_pages(sample) if s.url.startswith("diem-ban/")
             and s.template == "ocop/index-points-of-sale.html"]
    assert [s.url for s in specs] == ["diem-ban/"] + [
        f"diem-ban/trang-{n}/" for n in range(2, len(specs) + 1)]
    assert len(specs) == 5  # 9 points of sale, 2 a page
    listed = [pos.id for s in specs for g in s.context["listing"].groups for k in g.kinds
              for pos in k.points]
    assert sorted(listed) == sorted(sample.points_of_sale)
    # The pages cut one list: commune order, then kind, online last.
    whole = plan_pos.points_of_sale_by_commune(sample.points_of_sale.values())
    assert listed == [pos.id for g in whole for k in g.kinds for pos in k.points]
    for spec in specs:
        listing = spec.context["listing"]
        assert sum(len(k.points) for g in listing.groups for k in g.kinds) <= 2
        # A commune begun on the page before says so.
        earlier = {g.slug for s in specs[:specs.index(spec)]
                   for g in s.context["listing"].groups}
        assert listing.continued == {g.slug for g in listing.groups} & earlier


def test_fairs_past_inline_while_few_else_a_page_per_year(sample, monkeypatch):
    specs = plan_pages(sample)
    index = next(s for s in specs if s.url == "hoi-cho/")
    assert index.context["past_inline"] is True
    assert not [s for s in specs if s.url.startswith("hoi-cho/nam-")]

    monkeypatch.setattr(plan_fairs, "FAIRS_PAGE_SIZE", 2)
    specs = plan_pages(sample)
    fair_lists = [s for s in specs if s.template in ("ocop/index-fairs.html",
                                                     "ocop/fairs-year.html")]
    assert [s.url for s in fair_lists] == [
        "hoi-cho/", "hoi-cho/trang-2/", "hoi-cho/trang-3/",  # 5 to come
        "hoi-cho/nam-2020/", "hoi-cho/nam-2020/trang-2/", "hoi-cho/nam-2020/trang-3/"]
    assert fair_lists[0].context["past_inline"] is False
    shown = [f.id for s in fair_lists for f in s.context["pager"].items]
    assert sorted(shown) == sorted(sample.fairs)


def test_map_list_pages_and_each_point_links_to_its_page(sample, monkeypatch):
    monkeypatch.setattr(plan_maps, "MAP_PAGE_SIZE", 10)
    specs = plan_pages(sample)
    maps = [s for s in specs if s.kind == "map"]
    points, producers = plan_maps.map_markers(sample)
    assert len(maps) == -(-(len(points) + len(producers)) // 10) > 1
    assert [s.url for s in maps] == ["ban-do/"] + [
        f"ban-do/trang-{n}/" for n in range(2, len(maps) + 1)]
    on_page = {m.anchor: s.url for s in maps for m in s.context["pager"].items}
    assert len(on_page) == len(points) + len(producers)
    for spec in specs:
        if spec.kind == "point-of-sale" and spec.context["pager_number"] == 1:
            pos = spec.context["pos"]
            expected = on_page.get(f"diem-ban-{pos.id}") if pos.location else None
            assert spec.context["map_url"] == expected


def test_map_data_links_resolve_from_the_file(sample):
    (scope,) = plan_maps.map_scopes(sample)
    data = plan_maps.map_data(scope)
    assert scope.data_url == "ban-do/vi-tri.json"
    assert [m["anchor"] for m in data["markers"]] == [m.anchor for m in scope.markers]
    first = data["markers"][0]
    assert first["url"] == "../diem-ban/" + first["anchor"].removeprefix("diem-ban-") + "/"


# --- a several-province catalogue, built -------------------------------------------------

FAMILIES = ("dia-phuong/index.html", "dia-phuong/tinh/", "diem-ban/index.html",
            "diem-ban/trang-", "diem-ban/tinh/", "hoi-cho/index.html", "hoi-cho/trang-",
            "hoi-cho/nam-", "ban-do/")


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> tuple[Path, Catalogue]:
    """A five-province catalogue big enough that every old one-page index was over 40 KB."""
    from generator.adapter.publish import build_site

    project_dir = synth(tmp_path_factory.mktemp("scale") / "p", 600, 450, 220, 220)
    with fixed_build_date():
        site = build_site(project_dir / "mkdocs.yml", project_dir / "site", strict=True)
    return site, load(project_dir)


def _pages(site: Path) -> dict[str, str]:
    """Site path ('diem-ban/tinh/x/') → HTML of every index page of the families, in
    both languages (English pages carry lang="vi" marks around Vietnamese names)."""
    out = {}
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).as_posix()
        if any(rel.removeprefix("en/").startswith(f) for f in FAMILIES):
            out[rel.removesuffix("index.html")] = path.read_text(encoding="utf-8")
    return out


def _targets(page: str, html: str) -> set[str]:
    """Site paths of the relative links of a page (fragments dropped)."""
    out = set()
    for href in re.findall(r'href="([^"#:]+)', html):
        parts = [p for p in page.split("/") if p]
        for piece in href.split("/"):
            if piece == "..":
                parts = parts[:-1]
            elif piece and piece != ".":
                parts.append(piece)
        out.add("/".join(parts) + "/")
    return out


def test_every_index_page_stays_under_the_bound(national):
    site, cat = national
    pages = _pages(site)
    sizes = {url: len(html.encode("utf-8")) for url, html in pages.items()}
    too_big = {url: size for url, size in sizes.items() if size > PAGE_BOUND}
    assert too_big == {}
    # The catalogue is big enough to need the province level and pagination.
    assert province_level(cat)
    for prefix in ("dia-phuong/tinh/", "diem-ban/tinh/", "hoi-cho/trang-2/", "hoi-cho/nam-",
                   "ban-do/tinh/"):
        assert any(url.startswith(prefix) for url in pages), prefix
    assert any("/trang-" in url for url in pages if url.startswith("ban-do/tinh/"))
    # The places index names provinces, never communes (about 240 of them here).
    index = _targets("dia-phuong/", pages["dia-phuong/"])
    assert {f"dia-phuong/tinh/{slug}/" for slug in cat.provinces} <= index
    assert not index & {f"dia-phuong/{slug}/" for slug in cat.places}
    assert len(cat.places) > 200
    # One page of a list never holds more lines than its page size.
    for url, html in pages.items():
        if url.startswith("ban-do/tinh/"):
            assert html.count('class="ocop-marker"') <= plan_maps.MAP_PAGE_SIZE, url
        if url.startswith("diem-ban/"):
            assert html.count('class="ocop-places__meta"') <= plan_pos.POINTS_PAGE_SIZE, url
        if url.startswith("hoi-cho/"):
            assert html.count('class="ocop-fair-item"') <= plan_fairs.FAIRS_PAGE_SIZE, url


def test_every_record_is_reachable_without_javascript(national):
    site, cat = national
    pages = _pages(site)

    def reached(prefix: str) -> set[str]:
        """Everything linked from the pages of a family reachable from its index."""
        seen, todo = set(), [prefix]
        found: set[str] = set()
        while todo:
            url = todo.pop()
            if url in seen or url not in pages:
                continue
            seen.add(url)
            targets = _targets(url, pages[url])
            found |= targets
            todo += [t for t in targets if t.startswith(prefix)]
        return found

    places = reached("dia-phuong/")
    assert {f"dia-phuong/{slug}/" for slug in cat.places} <= places
    points = reached("diem-ban/")
    assert {f"diem-ban/{pos_id}/" for pos_id in cat.points_of_sale} <= points
    fairs = reached("hoi-cho/")
    assert {f"hoi-cho/{fair_id}/" for fair_id in cat.fairs} <= fairs
    # Every located place is on the address list of exactly one map page.
    on_lists = Counter(anchor for url, html in pages.items() if url.startswith("ban-do/")
                       for anchor in re.findall(r'<li class="ocop-marker" id="([^"]+)"',
                                                html))
    located = {f"chu-the-{p.id}" for p in cat.producers.values() if p.location} | {
        f"diem-ban-{p.id}" for p in cat.points_of_sale.values()
        if p.location and p.address}
    assert set(on_lists) == located and set(on_lists.values()) == {1}
    map_pages = reached("ban-do/")
    for anchor in located:
        folder = "chu-the" if anchor.startswith("chu-the-") else "diem-ban"
        assert f"{folder}/{anchor.removeprefix(folder + '-')}/" in map_pages, anchor


def test_province_maps_draw_from_their_json(national):
    site, cat = national
    scopes = plan_maps.map_scopes(cat)
    assert len(scopes) == 5
    for scope in scopes:
        data = json.loads((site / scope.data_url).read_text(encoding="utf-8"))
        assert len(data["markers"]) == len(scope.markers)
        html = (site / scope.url() / "index.html").read_text(encoding="utf-8")
        assert 'data-markers="../../../ban-do/tinh/' in html
        # Links in the file resolve, from the file's folder, to built pages.
        folder = posixpath.dirname(scope.data_url) + "/"
        for marker in data["markers"][:5]:
            target = _targets(folder, f'href="{marker["url"]}"').pop()
            assert (site / target / "index.html").is_file(), target
    # A point of sale links to the map page whose list holds it.
    pos = next(p for p in cat.points_of_sale.values() if p.location and p.address)
    html = (site / "diem-ban" / pos.id / "index.html").read_text(encoding="utf-8")
    link = re.search(r'href="([^"]+)#diem-ban-' + re.escape(pos.id) + '"', html)
    assert link is not None
    page = _targets(f"diem-ban/{pos.id}/", f'href="{link.group(1)}"').pop()
    assert f'id="diem-ban-{pos.id}"' in (site / page / "index.html").read_text("utf-8")


def test_synthetic_project_has_the_repository_settings(tmp_path):
    """Stylesheets, scripts and Markdown options of mkdocs.yml carry over, tags and all."""
    from generator.synth.project import mkdocs_yml

    text = mkdocs_yml(tmp_path, 10)
    for line in ("- assets/stylesheets/ocop.css", "- assets/javascripts/ocop-menu.js",
                 "slugify: !!python/name:generator.vietnamese.toc_slug", "primary: custom"):
        assert line in text, line


def test_synth_camera_photos(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """`--photo-size 640x480 --photos 1-3`: camera-like JPEGs of that size, one to three a
    product, each listed in its product file; the same seed gives the same bytes."""
    from PIL import Image

    from generator.cli import main

    args = ["synth", "--products", "12", "--producers", "4", "--photo-size", "640x480",
            "--photos", "1-3", "--today", "2026-11-18"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    photos = sorted((tmp_path / "a/products").glob("*/*.jpg"))
    assert 12 < len(photos) <= 36
    for photo in photos[:3]:
        with Image.open(photo) as im:
            assert (im.format, im.size) == ("JPEG", (640, 480))
        assert photo.read_bytes() == (tmp_path / "b" / photo.relative_to(tmp_path / "a")
                                      ).read_bytes()
    listed = sum(path.read_text(encoding="utf-8").count("  - file: ")
                 for path in (tmp_path / "a/products").glob("*/*.yaml"))
    assert listed == len(photos)
    with pytest.raises(SystemExit) as refused:
        main(["synth", "--products", "1", "--producers", "1", "--photo-size", "0x5",
              "--out", str(tmp_path / "c")])
    assert refused.value.code == 2
    assert "'0x5': numbers out of range" in capsys.readouterr().err


def test_synth_realistic_shape(tmp_path: Path):
    """--realistic: at most 30 products a producer, one in ten with a certificate history,
    long descriptions; the catalogue checks clean."""
    from collections import Counter as Count

    out = tmp_path / "real"
    with fixed_build_date():
        synthesize(out, SynthOptions(products=200, producers=8, realistic=True, words=(80, 200),
                                     today=dt.date(2026, 11, 18)))
        problems = Problems()
        build_catalogue(SourceLayout.default(out), dt.date(2026, 11, 18), problems)
    assert not problems.errors, problems.report()
    files = [p for p in (out / "products").glob("*/*.yaml") if p.name != "producer.yaml"]
    per_producer = Count(p.parent.name for p in files)
    assert max(per_producer.values()) <= 30
    texts = [p.read_text(encoding="utf-8") for p in files]
    assert 5 <= sum("certificates:" in t for t in texts) <= 40
    assert min(len(t.split("description: |", 1)[1].split()) for t in texts) >= 80
