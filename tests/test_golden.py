"""Golden output: the mini catalogue's pages compared with checked-in HTML.

Run ``pytest tests/test_golden.py --update-golden`` after an intended change and
review the diff of tests/golden/ like any other code change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.adapter.publish import build_site

GOLDEN = Path(__file__).parent / "golden"

PAGES = {
    "product-duong-thot-not.html": "san-pham/duong-thot-not/index.html",
    "product-mam-ca-linh-revoked.html": "san-pham/mam-ca-linh/index.html",
    "product-ruou-thot-not-expired.html": "san-pham/ruou-thot-not/index.html",
    "producer-htx-thot-not-mau.html": "chu-the/htx-thot-not-mau/index.html",
    "listing-stars-4.html": "sao/4/index.html",
    "home.html": "index.html",
    "fair-hoi-cho-mau-2027.html": "hoi-cho/hoi-cho-mau-2027/index.html",
    "point-of-sale-cua-hang-mau.html": "diem-ban/cua-hang-mau/index.html",
    "index-fairs.html": "hoi-cho/index.html",
    "suppliers.html": "nha-cung-cap/index.html",
    "statistics.html": "thong-ke/index.html",
    "map.html": "ban-do/index.html",
}


def significant(html: str) -> str:
    """The parts of a page we own: title, JSON-LD, description and main content."""
    title = re.search(r"<title>.*?</title>", html, re.S)
    description = re.search(r'<meta name="description"[^>]*>', html)
    jsonld = re.findall(r'<script type="application/ld\+json">.*?</script>', html, re.S)
    social = re.findall(r"<meta (?:property=\"og:|name=\"twitter:)[^>]*>", html)
    main = re.search(r'<article class="md-content__inner md-typeset">(.*?)</main>', html, re.S)
    parts = [title.group(0) if title else "", description.group(0) if description else "",
             *social, *jsonld, main.group(1).strip() if main else "<no main content>"]
    return "\n".join(parts) + "\n"


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory, request) -> Path:

    from conftest import FIXTURES, copy_project, fixed_build_date

    project = copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("golden") / "mini")
    with fixed_build_date():
        return build_site(project / "mkdocs.yml", project / "site", strict=True)


@pytest.mark.parametrize("golden_name", sorted(PAGES))
def test_page_matches_golden(mini_site: Path, golden_name: str, update_golden: bool):
    actual = significant((mini_site / PAGES[golden_name]).read_text(encoding="utf-8"))
    golden = GOLDEN / golden_name
    if update_golden:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run pytest --update-golden"
    assert actual == golden.read_text(encoding="utf-8")


def test_generated_pages_not_in_sidebar(mini_site: Path):
    html = (mini_site / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', html, re.S)
    assert nav is not None
    assert "san-pham/duong-thot-not/" not in nav.group(0)
