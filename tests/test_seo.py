"""What search engines are told: robots.txt, and structured data they accept."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from generator.adapter.pages import CataloguePage
from generator.render import jsonld


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
        ours = CataloguePage(None, file, config)  # type: ignore[arg-type]
        assert (ours.canonical_url, ours.abs_url) == (theirs.canonical_url, theirs.abs_url), url
