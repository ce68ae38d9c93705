"""Pages reused from the previous build are exactly what a clean build renders.

One copy of the sample is built with the page cache, then edited step by step the
way staff edit it (a price, a producer's name, a photo, a product added or
removed, a shop, a fair, a hand-written page, mkdocs.yml, a template, the date);
after each step the cached build must equal, byte for byte, a build of the same
sources without the page cache, and must have reused pages where the edit allows it
(and only there: an edit to mkdocs.yml renders every page again).
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXED_EPOCH, copy_sample, snapshot

from generator.adapter.publish import build_site
from generator.render.page_cache import fingerprint

PRODUCER = "banh-bo-thot-not-neang-sa-rinh"
PRODUCT = f"products/{PRODUCER}/banh-bo-thot-not-tinh-bien.yaml"


class Builds:
    """Builds of one project, with the page cache or without any cache."""

    def __init__(self, project: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch,
                 caplog: pytest.LogCaptureFixture) -> None:
        self.project, self.scratch = project, scratch
        self.monkeypatch, self.caplog = monkeypatch, caplog
        self.count = 0

    def cached(self) -> tuple[dict[str, bytes], int, int]:
        """The site built with the page cache, and (rendered, reused) pages."""
        self.monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
        self.caplog.clear()
        with self.caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
            site = build_site(self.project / "mkdocs.yml", self.project / "site")
        line = next(r.getMessage() for r in self.caplog.records
                    if r.getMessage().startswith("ocop pages: "))
        rendered, reused = (int(w) for w in line.split() if w.isdigit())
        return snapshot(site), rendered, reused

    def clean(self) -> dict[str, bytes]:
        """The same sources built in a fresh copy without the page cache (processed
        photos are kept: they are named by content, and tested elsewhere)."""
        self.count += 1
        copy = self.scratch / f"clean-{self.count}"
        shutil.copytree(self.project, copy, ignore=shutil.ignore_patterns(
            "pages.sqlite3*", "records.pickle", "site", ".site.*"))
        self.monkeypatch.setenv("OCOP_PAGE_CACHE", "0")
        return snapshot(build_site(copy / "mkdocs.yml", copy / "site"))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edits(project: Path) -> list[tuple[str, Callable[[], None], str]]:
    """(what staff did, how, which generated pages it should render again: "some",
    "all" or "none")."""
    product = project / PRODUCT
    producer = project / "products" / PRODUCER / "producer.yaml"
    photo = project / "products" / PRODUCER / "banh-bo-thot-not-tinh-bien-2.jpg"
    other_photo = project / "products" / "banh-phong-nep-sau-lan"
    shop = project / "content/points-of-sale/diem-ocop-tinh-bien.yaml"
    fair = project / "content/fairs/hoi-cho-ocop-an-giang-2027.yaml"

    def add_product() -> None:
        text = product.read_text(encoding="utf-8").replace(
            "name: Bánh bò thốt nốt\n", "name: Bánh bò thốt nốt lá dứa\n").replace(
            "name_en: Palm sugar sponge cake\n", "name_en: Pandan palm sugar sponge cake\n")
        (product.parent / "banh-bo-la-dua.yaml").write_text(text, encoding="utf-8")

    def new_photo() -> None:
        donor = sorted(other_photo.glob("*.jpg"))[0]
        shutil.copyfile(donor, photo)

    return [
        ("a price", lambda: _replace(product, "amount: 30000", "amount: 32000"), "some"),
        ("a producer's name", lambda: _replace(
            producer, "name: Cơ sở Bánh Bò Thốt Nốt Néang Sa Rinh",
            "name: Cơ sở Bánh Bò Néang Sa Rinh"), "some"),
        ("a photo replaced", new_photo, "some"),
        ("a product added", add_product, "some"),
        ("a product removed", lambda: (product.parent / "banh-bo-la-dua.yaml").unlink(), "some"),
        ("a shop's name", lambda: _replace(shop, "name: ", "name: Điểm bán "), "some"),
        ("a fair's dates", lambda: _replace(fair, "ends: 2027-", "ends: 2028-"), "some"),
        ("a hand-written page's title", lambda: _replace(
            project / "content/gioi-thieu-ocop.md", "# ", "# Giới thiệu: "), "none"),
        ("the English home page removed",
         lambda: (project / "content/en/index.md").unlink(), "some"),
        ("mkdocs.yml", lambda: _replace(project / "mkdocs.yml", "site_name: Sản phẩm OCOP",
                                        "site_name: Đặc sản OCOP"), "all"),
        ("a template", lambda: _replace(project / "theme/ocop/product.html", "</article>",
                                        "</article><!-- -->"), "all"),
    ]


def test_reused_pages_equal_a_clean_build(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    project = copy_sample(tmp_path / "project")
    builds = Builds(project, tmp_path, monkeypatch, caplog)
    site, rendered, reused = builds.cached()
    assert reused == 0 and rendered > 250
    site, rendered, reused = builds.cached()
    assert rendered == 0 and reused > 250
    for what, edit, expected in _edits(project):
        edit()
        site, rendered, reused = builds.cached()
        clean = builds.clean()
        assert sorted(site) == sorted(clean), what
        assert [name for name in clean if site[name] != clean[name]] == [], what
        found = "none" if rendered == 0 else "all" if reused == 0 else "some"
        assert found == expected, (what, rendered, reused)
    # The build date: every page says what is valid today.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_EPOCH) + 86400))
    site, rendered, reused = builds.cached()
    assert reused == 0 and site == builds.clean()


def test_a_tampered_page_is_rendered_again(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    project = copy_sample(tmp_path / "project")
    builds = Builds(project, tmp_path, monkeypatch, caplog)
    builds.cached()
    url = "san-pham/banh-bo-thot-not-tinh-bien/"
    with sqlite3.connect(project / ".cache/ocop/pages.sqlite3") as db:
        db.execute("UPDATE pages SET html = ? WHERE url = ?",
                   (zlib.compress(b"<script>alert(1)</script>"), url))
        # Damaged lists of reads: rendered again, no error.
        for other, reads in (("en/" + url, b"[1]"), ("chu-the/", b'{"a": 2}'),
                             ("sao/", b"not zlib")):
            db.execute("UPDATE pages SET reads = ? WHERE url = ?",
                       (zlib.compress(reads) if reads != b"not zlib" else reads, other))
    site, rendered, _ = builds.cached()
    assert b"alert(1)" not in site[url + "index.html"]
    assert rendered == 4
    assert site == builds.clean()


def test_without_a_key_outside_the_project_nothing_is_kept(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    project = copy_sample(tmp_path / "project")
    monkeypatch.setenv("OCOP_KEY_DIR", str(project / "key"))  # inside: refused
    builds = Builds(project, tmp_path, monkeypatch, caplog)
    builds.cached()
    assert builds.cached()[2] == 0
    assert not (project / ".cache/ocop/pages.sqlite3").exists()


def test_a_value_the_cache_cannot_fingerprint_is_an_error():
    class Unknown:
        pass

    with pytest.raises(TypeError, match=r"cannot fingerprint a .*Unknown"):
        fingerprint({"x": [Unknown()]})
