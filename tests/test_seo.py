"""What search engines are told: robots.txt, and structured data they accept."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
