"""Atom feed of newly certified products and sitemap.xml: valid XML with every
expected URL."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rawdata

from generator.plan import plan_pages
from generator.write.product_feed import FEED_SIZE, newly_certified

SITE_URL = "https://ocop.example.vn/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def catalogue(sample_catalogue):
    assert sample_catalogue.build_date == rawdata.BUILD_DATE
    return sample_catalogue


@pytest.fixture(scope="module")
def feed(sample_site: Path) -> ET.Element:
    return ET.parse(sample_site / "du-lieu" / "san-pham-moi.xml").getroot()


def test_feed_is_atom_with_required_elements(feed):
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None
    assert self_link.get("href") == SITE_URL + "du-lieu/san-pham-moi.xml"
    for entry in feed.iter(f"{ATOM}entry"):
        for tag in ("id", "title", "updated", "link", "author", "summary"):
            assert entry.find(f"{ATOM}{tag}") is not None, tag
        dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))


def test_feed_lists_certified_products_newest_certificate_first(feed, sample_site):
    certified = [p for p in rawdata.products().values() if p.certified]
    certified.sort(key=lambda p: p.id)
    certified.sort(key=lambda p: p.issued, reverse=True)
    expected = certified[:FEED_SIZE]
    entries = feed.findall(f"{ATOM}entry")
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == [f"{SITE_URL}san-pham/{p.id}/" for p in expected]
    for link in links:
        assert (sample_site / link.removeprefix(SITE_URL) / "index.html").is_file()
    updated = [e.findtext(f"{ATOM}updated")[:10] for e in entries]
    assert updated == [p.issued.isoformat() for p in expected]
    assert feed.findtext(f"{ATOM}updated")[:10] == expected[0].issued.isoformat()
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    revoked = {p.id for p in rawdata.products().values() if p.revoked}
    assert revoked and not any(link.rstrip("/").rsplit("/", 1)[1] in revoked for link in links)


def test_feed_is_limited_to_the_latest(catalogue):
    assert [p.id for p in newly_certified(catalogue, limit=3)] == \
        [p.id for p in newly_certified(catalogue)][:3]


def sitemap_urls(site: Path) -> list[str]:
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_has_every_generated_page(sample_site, catalogue):
    urls = set(sitemap_urls(sample_site))
    page_urls = [spec.url for spec in plan_pages(catalogue)]
    missing = [u for u in page_urls if SITE_URL + u not in urls]
    assert not missing
    for name in ("nha-cung-cap/", "thong-ke/", "du-lieu/"):
        assert SITE_URL + name in urls


def test_sitemap_urls_exist_and_cover_the_site(sample_site):
    urls = sitemap_urls(sample_site)
    assert len(urls) == len(set(urls))
    for url in urls:
        assert (sample_site / url.removeprefix(SITE_URL) / "index.html").is_file(), url
    pages = {p.parent.relative_to(sample_site).as_posix() + "/"
             for p in sample_site.rglob("index.html")}
    pages = {"" if p == "./" else p for p in pages}
    # Short verification URLs only forward and the web editor is for staff (both
    # noindex); everything else is listed.
    listed = {u.removeprefix(SITE_URL) for u in urls}
    assert {p for p in pages if not p.startswith(("q/", "en/q/", "quan-tri/"))} == listed
