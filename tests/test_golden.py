"""Golden output: the mini catalogue's pages compared, whole, with checked-in HTML.

Whole pages: Material's chrome (header with our search box, the sidebar and
footer rendered once per folder and reused, scripts) is as much our output as
the content. Run ``pytest tests/test_golden.py --update-golden`` after an
intended change and review the diff of tests/golden/ like any other code
change; a run that rewrites goldens reports them as skipped, never as passed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.adapter.publish import build_site

GOLDEN = Path(__file__).parent / "golden"

PAGES = {
    "product-duong-thot-not.html": "san-pham/duong-thot-not/index.html",
    # The same product in English: English name and description, the Vietnamese name
    # under the title, English interface and formats.
    "en-product-duong-thot-not.html": "en/san-pham/duong-thot-not/index.html",
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


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory, request) -> Path:

    from conftest import FIXTURES, copy_project, fixed_build_date

    project = copy_project(FIXTURES / "mini", tmp_path_factory.mktemp("golden") / "mini")
    with fixed_build_date():
        return build_site(project / "mkdocs.yml", project / "site", strict=True)


@pytest.mark.parametrize("golden_name", sorted(PAGES))
def test_page_matches_golden(mini_site: Path, golden_name: str, update_golden: bool):
    actual = (mini_site / PAGES[golden_name]).read_text(encoding="utf-8")
    golden = GOLDEN / golden_name
    if update_golden:
        golden.write_text(actual, encoding="utf-8")
        pytest.skip(f"{golden_name} rewritten: review its diff")
    assert golden.exists(), f"no golden file {golden}; run pytest --update-golden"
    assert actual == golden.read_text(encoding="utf-8")


def test_generated_pages_not_in_sidebar(mini_site: Path):
    html = (mini_site / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary[^"]*".*?</nav>\s*</div>', html, re.S)
    assert nav is not None
    assert "san-pham/duong-thot-not/" not in nav.group(0)
