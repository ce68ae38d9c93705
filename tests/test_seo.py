"""What search engines are told: robots.txt, and structured data they accept."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import re
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from conftest import FIXED_DATE, copy_sample, run_ocop
from markupsafe import Markup
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page

from generator.adapter.pages import (
    STAND_IN,
    CatalogueFile,
    CataloguePage,
    SlugFile,
    one_build_date,
)
from generator.language import ENGLISH, VIETNAMESE
from generator.plan.pages import PageSpec
from generator.render import jsonld
from generator.render.sitemap import sitemap_entries
from generator.write.sitemap import sitemap_bytes, sitemap_text


def test_the_gzipped_sitemap_is_the_one_mkdocs_wrote(sample_site: Path):
    """write/sitemap.py writes it instead of MkDocs: the same bytes as MkDocs'
    ``_build_theme_template`` (the file's path as its name, the latest page's date)."""
    data = (sample_site / "sitemap.xml").read_bytes()
    out = io.BytesIO()
    mtime = int(dt.datetime(*FIXED_DATE.timetuple()[:3], tzinfo=dt.UTC).timestamp())
    with gzip.GzipFile(fileobj=out, filename=str(sample_site / "sitemap.xml.gz"), mode="wb",
                       mtime=mtime) as gz:
        gz.write(data)
    assert (sample_site / "sitemap.xml.gz").read_bytes() == out.getvalue()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset ')
    assert data.endswith(b"</url>\n</urlset>") and b"<lastmod>2026-11-18</lastmod>" in data


def test_robots_txt_points_to_the_sitemap(sample_site: Path):
    assert (sample_site / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nAllow: /\nSitemap: https://ocop.example.vn/sitemap.xml\n")
    assert (sample_site / "sitemap.xml").is_file()


def test_a_product_without_a_price_is_no_product_for_search_engines(sample_catalogue):
    """Google refuses a Product without an offer: none is made when there is no price."""
    product = next(iter(sample_catalogue.products_sorted))
    assert jsonld.product(product, "u", [], "p") is not None
    original = product.price
    try:
        product.price = None
        assert jsonld.product(product, "u", [], "p") is None
    finally:
        product.price = original


def test_every_product_page_offers_what_it_claims(sample_site: Path):
    for page in sorted((sample_site / "san-pham").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
        products = [d for d in map(json.loads, blocks) if d.get("@type") == "Product"]
        if products:
            assert products[0]["offers"]["priceCurrency"] == "VND", page


#: A page's spec, where what it says does not matter.
SPEC = PageSpec(url="san-pham/gao/", template="ocop/product.html", title="Gạo", kind="product")


@pytest.mark.parametrize("site_url", ["https://ocop.example.vn/", "https://ocop.example.vn/an-giang",
                                      "https://h.vn", "ocop.example.vn",
                                      "https://h.vn/sub/?q=1", "https://h.vn/a#x", "https://h.vn//",
                                      "https://h.vn/a/./b/", "https://h.vn/a/..", "s3://b/site/",
                                      "", None])
def test_a_generated_page_has_the_canonical_url_mkdocs_gives(site_url):
    """A generated page joins its URL to the site's itself (MkDocs' join cost 1.9 s
    a national build): the same canonical and absolute URLs, whatever the two are."""
    for url in ["", "san-pham/gao/", "nhom/che/trang-2/", "q/x.html", "San-pham/", "a/../b/",
                "./a/", "đặc-sản/", "a//b/", "a b/", "/a/"]:
        file = File("x.md", src_dir=None, dest_dir="/site", use_directory_urls=True)
        file.url = url
        config = {"site_url": site_url}
        theirs = Page(None, file, config)
        ours = CataloguePage(SPEC, file, config)  # type: ignore[arg-type]
        assert (ours.canonical_url, ours.abs_url) == (theirs.canonical_url, theirs.abs_url), url
    # The pages a build makes: a slug source's file (``SlugFile``), whose URL is joined
    # to the site's by concatenation where that is what urljoin gives.
    config = Config({"site_url": site_url})
    for src_uri in ["san-pham/gao.md", "nhom/che/trang-2.md", "en.md", "en/q/x-1.md",
                    "index.md", "Hoa.md"]:
        ours = CataloguePage(SPEC, CatalogueFile.of_page(config, src_uri,
                                                         InclusionLevel.NOT_IN_NAV), config)
        theirs = Page(None, File.generated(config, src_uri, content=""), config)  # type: ignore[arg-type]
        assert (ours.canonical_url, ours.abs_url) == (theirs.canonical_url, theirs.abs_url), src_uri


class Plugins:
    _current_plugin = "ocop"


class Config(dict):
    """What a generated page asks of MkDocs' configuration when it is made."""

    site_dir = "/site"
    plugins = Plugins()
    use_directory_urls = True


@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_a_generated_pages_file_is_the_file_mkdocs_makes(use_directory_urls):
    """A generated page's file sets its paths itself (MkDocs' PurePath for each cost
    0.6 s a national build): the same file as ``File.generated`` in every attribute a
    build reads, for slug sources and for the others (left to MkDocs)."""
    config = Config()
    config.use_directory_urls = use_directory_urls  # type: ignore[attr-defined]
    for src_uri in ["san-pham/gao.md", "nhom/che/trang-2.md", "en.md", "en/q/x-1.md",
                    "index.md", "a/index.md", "Hoa.md", "đặc-sản.md", "a b.md", "a/README.md"]:
        ours = CatalogueFile.of_page(config, src_uri, InclusionLevel.NOT_IN_NAV)
        theirs = File.generated(config, src_uri, content="",  # type: ignore[arg-type]
                                inclusion=InclusionLevel.NOT_IN_NAV)
        slug = use_directory_urls and src_uri in ("san-pham/gao.md", "nhom/che/trang-2.md",
                                                  "en.md", "en/q/x-1.md")
        assert type(ours) is (SlugFile if slug else CatalogueFile), src_uri
        if slug:
            # Made as they are read, never kept (three strings a file, 17 MiB of a
            # national build's process), and nothing a cached_property could add
            # later: an attribute added so turned each file's attributes into a
            # dict of their own (830 bytes, not 170).
            assert not {"name", "dest_uri", "url"} & vars(ours).keys()
        before = set(vars(ours))
        for name in ("src_uri", "src_path", "dest_uri", "dest_path", "url", "name",
                     "abs_src_path", "abs_dest_path", "src_dir", "dest_dir", "edit_uri",
                     "use_directory_urls", "inclusion", "generated_by", "content_string"):
            assert getattr(ours, name) == getattr(theirs, name), (src_uri, name)
        # The path a page is written to is made each time, never kept on the file.
        assert "abs_dest_path" not in vars(ours)
        if slug:
            assert set(vars(ours)) == before
        # Whatever MkDocs' own file holds (a newer MkDocs may set more), ours does:
        # kept, or made as it is read.
        made = {"name", "dest_uri", "url"} if slug else set()
        assert set(vars(theirs)) - {"abs_dest_path"} <= set(vars(ours)) | made, src_uri
        assert ours.is_documentation_page() and ours.is_modified()


def test_paths_and_urls_another_plugin_sets_are_kept():
    """A generated page's file and page make their paths and URLs as they are read;
    what another plugin sets instead (MkDocs allows it) is what they give after."""
    config = Config({"site_url": "https://h.vn/sub/"})
    file = CatalogueFile.of_page(config, "san-pham/gao.md", InclusionLevel.NOT_IN_NAV)
    page = CataloguePage(SPEC, file, config)
    assert (file.name, file.dest_uri, file.url) == ("gao", "san-pham/gao/index.html",
                                                    "san-pham/gao/")
    assert (page.canonical_url, page.abs_url) == ("https://h.vn/sub/san-pham/gao/",
                                                  "/sub/san-pham/gao/")
    file.url = "../gao.html"
    assert (file.name, file.dest_uri, file.url) == ("gao", "san-pham/gao/index.html",
                                                    "../gao.html")
    # The page's URLs stay those joined when it was made, as MkDocs' own page's.
    theirs = Page(None, File("san-pham/gao.md", src_dir=None, dest_dir="/site",
                             use_directory_urls=True), config)
    theirs.file.url = "../gao.html"
    assert (page.url, page.canonical_url, page.abs_url) == (
        theirs.url, theirs.canonical_url, theirs.abs_url) == (
        "../gao.html", "https://h.vn/sub/san-pham/gao/", "/sub/san-pham/gao/")
    file.dest_uri, file.name = "gao.html", "g"
    assert (file.name, file.dest_uri, file.abs_dest_path) == ("g", "gao.html",
                                                              os.path.normpath("/site/gao.html"))
    page.canonical_url = None
    assert (page.canonical_url, page.abs_url) == (None, "/sub/san-pham/gao/")
    page.abs_url = "/x/"
    assert (page.canonical_url, page.abs_url) == (None, "/x/")
    # The other file and page made by the same build keep theirs.
    other = CatalogueFile.of_page(config, "san-pham/che.md", InclusionLevel.NOT_IN_NAV)
    assert (other.url, CataloguePage(SPEC, other, config).canonical_url) == (
        "san-pham/che/", "https://h.vn/sub/san-pham/che/")
    # A file whose URL another plugin set before its page was made: joined as MkDocs
    # joins it.
    for url, canonical in (("../tra/", "https://h.vn/tra/"), ("tra/", "https://h.vn/sub/tra/")):
        moved = CatalogueFile.of_page(config, "san-pham/tra.md", InclusionLevel.NOT_IN_NAV)
        moved.url = url
        assert CataloguePage(SPEC, moved, config).canonical_url == canonical
    # In a site without a URL both are None, as MkDocs has them, in one dict for all
    # pages (not one each: 13 MiB of a national build).
    bare = [CataloguePage(SPEC, CatalogueFile.of_page(Config(), f"san-pham/{n}.md",
                                                      InclusionLevel.NOT_IN_NAV), Config())
            for n in ("a", "b")]
    assert [(p.canonical_url, p.abs_url) for p in bare] == [(None, None)] * 2
    assert vars(bare[0])["_set"] is vars(bare[1])["_set"]


def test_pages_made_in_one_build_ask_the_build_date_once(monkeypatch):
    """MkDocs' Page asks it for each page (0.3-0.8 s of a national site's 70,600)."""
    from mkdocs import utils


    asked: list[int] = []
    real = utils.get_build_datetime
    monkeypatch.setattr(utils, "get_build_datetime", lambda: asked.append(1) or real())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795003200")
    spec = PageSpec(url="san-pham/gao/", template="ocop/product.html", title="Gạo",
                    kind="product")

    def page(n: int) -> CataloguePage:
        return CataloguePage(spec, CatalogueFile.of_page(
            Config(), f"san-pham/gao-{n}.md", InclusionLevel.NOT_IN_NAV), Config())

    with one_build_date():
        made = [page(n) for n in range(3)]
    assert len(asked) == 1
    assert {p.update_date for p in made} == {"2026-11-18"}
    # Outside, MkDocs asks as it did (and the date it gives is the same).
    assert page(3).update_date == "2026-11-18" and len(asked) == 2


def test_a_generated_pages_metadata_is_made_from_its_spec():
    """What MkDocs and the theme read of a generated page's metadata: the stand-in
    template, its spec's title and description escaped, the layout without sidebars.
    Made as it is read, not kept on the page (56 MB of a national build's process)."""

    spec = PageSpec(url="san-pham/gao/", template="ocop/product.html", title="Gạo <ST25>",
                    kind="product", description="Gạo thơm & dẻo")
    page = CataloguePage(spec, CatalogueFile.of_page(Config(), "san-pham/gao.md",
                                                     InclusionLevel.NOT_IN_NAV), Config())
    assert page.title is None  # as MkDocs' own page before it is read
    page.read_source(Config())
    assert dict(page.meta) == {"template": STAND_IN, "title": "Gạo &lt;ST25&gt;",
                               "description": "Gạo thơm &amp; dẻo",
                               "hide": ("navigation", "toc")}
    assert isinstance(page.meta["title"], Markup) and page.title == "Gạo &lt;ST25&gt;"
    assert page.meta.get("tags") is None and "hide" in page.meta and len(page.meta) == 4
    assert "meta" not in vars(page) and "_meta" not in vars(page)
    # As the theme reads them (``page.meta.title``: Jinja tries the attribute first).
    assert page.meta.title == page.meta["title"] == "Gạo &lt;ST25&gt;"
    assert page.meta.description == page.meta["description"]
    env = jinja2.Environment()
    for key in ("template", "title", "description", "hide", "tags"):
        assert env.getattr(page.meta, key) == env.getitem(page.meta, key)
    # Another plugin may change it (Material's meta plugin sets a merged copy, or sets
    # a default): the page then keeps what it was given.
    page.meta.setdefault("tags", ["gạo"])
    assert page.meta["tags"] == ["gạo"] and page.meta["template"] == STAND_IN
    page.meta = {**page.meta, "title": "Gạo"}
    assert page.meta == {"template": STAND_IN, "title": "Gạo",
                         "description": "Gạo thơm &amp; dẻo",
                         "hide": ("navigation", "toc"), "tags": ["gạo"]}


def test_a_built_pages_attributes_are_all_there_when_it_is_made(tmp_path, capsys,
                                                               monkeypatch):
    """Nothing a build sets on a generated page or its file (MkDocs, Material, this
    plugin) is new to it: CPython keeps an object's attributes in a small array while
    none is added after its class's objects had theirs; one added later (MkDocs'
    ``parent`` on a nav page, ``present_anchor_ids``, ``modified``) gave each page and
    file a dict of its own, 106 MiB of a national build's process (tracemalloc)."""
    made: list[tuple[CataloguePage, set[str], set[str]]] = []
    init = CataloguePage.__init__

    def noted(page: CataloguePage, *args, **kwargs) -> None:
        init(page, *args, **kwargs)
        made.append((page, set(vars(page)), set(vars(page.file))))

    monkeypatch.setattr(CataloguePage, "__init__", noted)
    project = copy_sample(tmp_path / "sample")
    status, _, err = run_ocop(project, capsys, "build")
    assert status == 0, err
    slugs = [(page, names, file_names) for page, names, file_names in made
             if isinstance(page.file, SlugFile)]  # ``of_page``'s own (others: ``File.generated``)
    assert len(slugs) > 200
    assert any(page.parent is not None for page, _, _ in made)  # a nav page among them
    for page, names, _ in made:
        assert set(vars(page)) == names, page.url
    for page, _, file_names in slugs:
        assert set(vars(page.file)) == file_names, page.url


#: theme/sitemap.xml before generator/render/sitemap.py wrote its entries (and before
#: write/sitemap.py wrote the file instead of MkDocs).
SITEMAP_TEMPLATE = """\
<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
{%- for file in pages -%}
    {% if not file.page.is_link and (file.page.abs_url or file.page.canonical_url) %}
    <url>
         <loc>{% if file.page.canonical_url %}{{ file.page.canonical_url|e }}{% else %}{{ file.page.abs_url|e }}{% endif %}</loc>
         {% if file.page.update_date %}<lastmod>{{file.page.update_date}}</lastmod>{% endif %}
         {%- set versions = ocop_page_alternates(file.page.url) %}
         {%- if versions | length > 1 %}
         {%- for language, url in versions %}
         <xhtml:link rel="alternate" hreflang="{{ language.code }}" href="{{ (ocop_site_url ~ url) | e }}"/>
         {%- endfor %}
         <xhtml:link rel="alternate" hreflang="x-default" href="{{ (ocop_site_url ~ versions[0][1]) | e }}"/>
         {%- endif %}
    </url>
    {%- endif -%}
{% endfor %}
</urlset>"""  # noqa: E501


def test_the_sitemap_is_the_one_its_template_wrote():
    """Written in Python (the template's loop cost 0.64 s a national build): the same
    text as the template wrote, for pages in one language or more,
    without a date, links, pages without a URL, URLs to escape."""
    site_url = "https://h.vn/a&b/"
    versions = {"san-pham/": [(VIETNAMESE, "san-pham/"), (ENGLISH, "en/san-pham/")],
                "en/san-pham/": [(VIETNAMESE, "san-pham/"), (ENGLISH, "en/san-pham/")],
                "q/<x>/": [(VIETNAMESE, "q/<x>/"), (ENGLISH, "en/q/<x>/")]}

    def page(url: str, canonical: str | None = "", date: str = "2026-12-01",
             link: bool = False) -> SimpleNamespace:
        return SimpleNamespace(page=SimpleNamespace(
            url=url, canonical_url=site_url + url if canonical == "" else canonical,
            abs_url="/a&b/" + url, update_date=date, is_link=link))

    files = [page(""), page("san-pham/"), page("en/san-pham/", date=""),
             page("gioi-thieu/", canonical=None), page("q/<x>/"), page("x/", link=True),
             SimpleNamespace(page=SimpleNamespace(url="y/", canonical_url=None, abs_url=None,
                                                  update_date="d", is_link=False)),
             page("only-vi/")]
    env = jinja2.Environment()
    env.globals.update(ocop_site_url=site_url,
                       ocop_page_alternates=lambda url: versions.get(url, []))
    theirs = env.from_string(SITEMAP_TEMPLATE).render(pages=files)
    ours = sitemap_text(sitemap_entries(files, lambda url: versions.get(url, []), site_url))
    assert ours == theirs
    assert "&amp;" in ours and "&lt;x&gt;" in ours and "only-vi" in ours
    assert ours.count("<url>") == 6
    # As the writer makes it: an entry at a time, as UTF-8.
    made = sitemap_bytes(sitemap_entries(files, lambda url: versions.get(url, []), site_url))
    assert made == theirs.encode("utf-8")
