"""Pages reused from the previous build are exactly what a clean build renders.

One copy of the sample is built with the page cache, then edited step by step the
way staff edit it (a price, a producer's name, a photo, a product added or
removed, a shop, a fair, a hand-written page, mkdocs.yml, a template, the date);
after each step the cached build must equal, byte for byte, a build of the same
sources without the page cache, and must have reused pages where the edit allows it
(and only there: an edit to mkdocs.yml renders every page again).
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import importlib.metadata
import json
import logging
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import zstandard
from conftest import FIXED_DATE, FIXED_EPOCH, copy_sample, snapshot
from markupsafe import Markup

from generator import reads
from generator.adapter import parallel
from generator.adapter.publish import build_site
from generator.link.catalogue import Catalogue
from generator.plan.pages import PageSpec, paginate
from generator.render import page_cache
from generator.render.page_cache import (
    LIBRARIES,
    PageCache,
    World,
    _digest,
    code_key,
    fingerprint,
    page_keys,
    read_lines,
)
from generator.source.admin_units import official_units
from generator.source.groups import ProductGroups

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
            "pages.sqlite3*", "records*.pickle", "search-*.bin", "site", ".site.*"))
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
        ("an English name", lambda: _replace(
            product, "name_en: Palm sugar sponge cake", "name_en: Palm sugar cake"), "some"),
        # A menu entry named by its page's first heading: every Vietnamese page shows
        # it in the menu (the English menu leaves out this Vietnamese-only page).
        ("a menu label removed", lambda: _replace(
            project / "mkdocs.yml", "- Hướng dẫn đăng tải: huong-dan-dang-tai.md",
            "- huong-dan-dang-tai.md"), "all"),
        ("the heading of a page the menu names by it", lambda: _replace(
            project / "content/huong-dan-dang-tai.md", "# ", "# Cẩm nang: "), "some"),
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
    assert parallel._WORLD is None  # the build's records are not held past it
    for what, edit, expected in _edits(project):
        edit()
        site, rendered, reused = builds.cached()
        clean = builds.clean()
        assert sorted(site) == sorted(clean), (what, sorted(set(site) ^ set(clean)))
        assert [name for name in clean if site[name] != clean[name]] == [], what
        found = "none" if rendered == 0 else "all" if reused == 0 else "some"
        assert found == expected, (what, rendered, reused)
    # The build date. The next day only the pages that show the date or a count of
    # days from it are rendered again (the home page, an expiring certificate's
    # product page …); 113 days on, a fair has opened and certificates have come
    # near their end or passed it; 400 days on, three more fairs are over.
    for days in (1, 113, 400):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_EPOCH) + days * 86400))
        site, rendered, reused = builds.cached()
        clean = builds.clean()
        assert [name for name in clean if site.get(name) != clean[name]] == [], days
        assert sorted(site) == sorted(clean), days
        assert rendered > 0 and (days > 1 or rendered < reused / 4), (days, rendered, reused)


@pytest.mark.parametrize("method", ["fork", "fork, replaced", "spawn"]
                         if sys.platform.startswith("linux") else ["spawn"])
def test_pages_kept_by_workers_equal_a_clean_build(tmp_path, monkeypatch, caplog, method):
    """Workers note what their pages read and pack them; the main process keeps them.
    Forked workers replaced after every job (``renew_after``: any growth) hand the
    cards they render to the build, for the workers forked after them: a page that
    shows a card rendered by an earlier worker still depends on what the card read."""
    from generator.adapter import parallel

    if method == "fork, replaced":
        method = "fork"
        monkeypatch.setattr(parallel, "renew_after", lambda: 0)
        monkeypatch.setattr(parallel, "memory_budget", lambda: None)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("OCOP_WORKERS", "2")
    monkeypatch.setenv("OCOP_START_METHOD", method)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    project = copy_sample(tmp_path / "project")
    builds = Builds(project, tmp_path, monkeypatch, caplog)
    assert builds.cached()[2] == 0
    # Every line of what the workers' pages read was handed over and stored.
    assert builds.cached()[1] == 0
    edits = dict((what, edit) for what, edit, _ in _edits(project))
    # What workers noted of the date holds: the next day (pages that print the
    # catalogue's date), then the day a fair opens.
    for what in ("a producer's name", "a fair's dates", "1 day", "113 days"):
        if what.endswith(("day", "days")):
            days = int(what.split()[0])
            monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_EPOCH) + days * 86400))
        else:
            edits[what]()
        site, rendered, reused = builds.cached()
        assert rendered > 0 and reused > 0, what
        assert site == builds.clean(), what
    # Nothing changed: every page is served as stored, those the workers packed with
    # the dictionary the first build made included (one that does not unpack would
    # be rendered again).
    assert builds.cached()[1] == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks its workers")
def test_cards_a_replaced_worker_made_are_kept_with_the_records_they_read(
        tmp_path, monkeypatch, caplog):
    """Forked workers replaced after every job hand the cards they render to the build,
    which keeps each with what it read as this process holds it: a product card
    printed later (by this process or a worker forked after) brings to its page the
    product and the product's producer, whose name the card shows."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(parallel, "renew_after", lambda: 0)
    monkeypatch.setattr(parallel, "memory_budget", lambda: None)
    monkeypatch.setenv("OCOP_WORKERS", "2")
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    kept: list[tuple[reads.Memo, dict[tuple[str, str], object], int]] = []
    original_close, original_adopt = parallel.PageRenderer.close, reads.Memo.adopt
    adopted: set[object] = set()

    def close(self):
        # As it is once the pages are rendered (the writers find it emptied).
        memo = reads.Memo()
        memo._items, memo._anywhere = dict(self.memo._items), dict(self.memo._anywhere)
        kept.append((memo, self.records, self.renewed))
        emptied.append(self.memo)
        return original_close(self)

    emptied: list[reads.Memo] = []

    def adopt(self, anywhere, key, text, seen):
        # What workers handed over (the build's process renders cards too).
        if key not in self._anywhere and key not in self._items:
            adopted.add(key)
        return original_adopt(self, anywhere, key, text, seen)

    original_init = parallel.PageRenderer.__init__

    def workers_only(self, *args, **kwargs):
        # The build's process renders no page: cards come from the workers.
        original_init(self, *args, **{**kwargs, "helping": False})

    monkeypatch.setattr(parallel.PageRenderer, "__init__", workers_only)
    monkeypatch.setattr(parallel.PageRenderer, "close", close)
    monkeypatch.setattr(reads.Memo, "adopt", adopt)
    Builds(copy_sample(tmp_path / "project"), tmp_path, monkeypatch, caplog).cached()
    [(memo, records, renewed)] = kept
    assert renewed > 2
    assert memo._anywhere and not emptied[0]._anywhere and not emptied[0]._items
    products = {key: product for (kind, key), product in records.items() if kind == "product"}
    shown = set()
    for key, product in products.items():
        for language, path in (("vi", "san-pham"), ("en", "en/san-pham")):
            card = ("product", key, language, False)
            if card not in adopted:
                continue
            with reads.recording() as seen:
                html = memo.at(card, "../..")
            producer = product.producer
            assert seen.records == {id(product): product, id(producer): producer}, key
            assert f'href="../../{path}/{key}/"' in html, (key, html)
            shown.add(key)
    # Cards of most products came from workers.
    assert len(shown) > len(products) / 2


def test_a_tampered_page_is_rendered_again(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    project = copy_sample(tmp_path / "project")
    builds = Builds(project, tmp_path, monkeypatch, caplog)
    builds.cached()
    url = "san-pham/banh-bo-thot-not-tinh-bien/"
    with sqlite3.connect(project / ".cache/ocop/pages.sqlite3") as db:
        db.execute("UPDATE html SET html = ? WHERE url = ?",
                   (zstandard.compress(b"<script>alert(1)</script>"), url))
        # Damaged lists of reads: rendered again, no error.
        for other, reads in (("en/" + url, b"[1]"), ("chu-the/", b"\0" * 8),
                             ("sao/", "text")):
            db.execute("UPDATE pages SET reads = ? WHERE url = ?", (reads, other))
        # A page that read nothing passes the check of its reads: its signature (and
        # the kept site's identity of its row) must still refuse it.
        db.execute("UPDATE pages SET reads = x'' WHERE url = 'en/sao/'")
    site, rendered, _ = builds.cached()
    assert b"alert(1)" not in site[url + "index.html"]
    assert rendered == 5
    assert site == builds.clean()


def test_stored_html_is_unpacked_only_within_its_limit():
    """A page's HTML is stored as a Zstandard frame; one that says it holds more than
    the limit is not unpacked, nor is anything else."""
    from generator.render import page_cache

    html = "<p>Bánh bò thốt nốt</p>".encode() * 100
    stored = page_cache.ReadIds(b"k" * 32).pack("a/", "k", html.decode(), []).html
    assert page_cache._unzip(stored, len(html)) == html
    assert page_cache._unzip(stored, len(html) - 1) is None
    assert page_cache._unzip(zstandard.compress(b"x" * 1000), 999) is None
    for blob in (html, b"", stored[:-3], "text"):
        assert page_cache._unzip(blob, 1 << 20) is None


def test_a_forged_read_is_not_believed(tmp_path):
    """The table of reads' lines is not signed row by row: a line is believed only
    when its keyed digest is its id. A line changed to what is true today (so that a
    page rendered before a change would pass as unchanged) is not; nor is a line
    whose id was changed, nor one written otherwise (spaces) to the same effect."""
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    pages = [("a/", "0"), ("b/", "0"), ("c/", "0"), ("d/", "0"), ("e/", "1")]
    cache.add([cache.pack(url, "k", f"<p>{url}</p>", [["page", "en", url, answer]])
               for url, answer in pages])
    cache.commit({url for url, _ in pages})
    cache.close()
    path = tmp_path / "cache/pages.sqlite3"
    with sqlite3.connect(path) as db:
        lines = dict(db.execute("SELECT line, id FROM reads"))
        forged = {url: lines[f'["page","en","{url}","0"]'] for url in ("a/", "b/", "c/")}
        db.execute("UPDATE reads SET line = ? WHERE id = ?",
                   ('["page","en","a/","1"]', forged["a/"]))
        db.execute("UPDATE reads SET id = ? WHERE id = ?", (forged["b/"] + 1, forged["b/"]))
        db.execute("UPDATE pages SET reads = ? WHERE url = 'b/'",
                   ((forged["b/"] + 1).to_bytes(8, "little", signed=True),))
        db.execute("UPDATE reads SET line = ? WHERE id = ?",
                   ('["page", "en", "c/", "0"]', forged["c/"]))
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    world = World(_world().records[("catalogue", "")],
                  {"page": lambda code, url: "1"})
    # Today every page exists ("1"): only e/ read that when it was rendered.
    assert cache.reusable({url: "k" for url, _ in pages}, world) == {"e/"}
    cache.close()
    # Where the answer is what a page read, it is reused, unless its line was forged:
    # a/ (whose forged line now tells the truth), b/ and c/ never are.
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    world = World(_world().records[("catalogue", "")],
                  {"page": lambda code, url: "1" if url in ("a/", "e/") else "0"})
    assert cache.reusable({url: "k" for url, _ in pages}, world) == {"d/", "e/"}
    cache.close()
    # A line that is not UTF-8 (d/'s) is not believed either, and fails nothing else.
    with sqlite3.connect(path) as db:
        db.execute("UPDATE reads SET line = CAST(x'ff' AS TEXT) WHERE id = ?",
                   (lines['["page","en","d/","0"]'],))
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    assert cache.reusable({url: "k" for url, _ in pages}, world) == {"e/"}
    # Rendered again, each page's line is stored as it should be; the next build
    # believes them all.
    cache.add([cache.pack(url, "k", f"<p>{url}</p>", [["page", "en", url, "0"]])
               for url in ("a/", "b/", "c/", "d/")])
    cache.commit({url for url, _ in pages})
    cache.close()
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    world = World(_world().records[("catalogue", "")], {"page": lambda code, url: "0"})
    assert cache.reusable({url: "k" for url, _ in pages}, world) == {"a/", "b/", "c/", "d/"}
    cache.close()


def test_a_page_whose_line_is_missing_is_rendered_once(tmp_path):
    """A line gone from the table (deleted by hand, or never stored) costs its pages
    one rendering: the line is handed over again with them."""
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    reads = {"a/": [["page", "en", "a/", "1"], ["page", "en", "x/", "1"]],
             "b/": [["page", "en", "x/", "1"]]}
    cache.add([cache.pack(url, "k", url, read) for url, read in reads.items()])
    cache.commit(set(reads))
    cache.close()
    with sqlite3.connect(tmp_path / "cache/pages.sqlite3") as db:
        db.execute("""DELETE FROM reads WHERE line = '["page","en","a/","1"]'""")
    world = World(_world().records[("catalogue", "")], {"page": lambda code, url: "1"})
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    assert cache.reusable(dict.fromkeys(reads, "k"), world) == {"b/"}
    cache.add([cache.pack("a/", "k", "a/", reads["a/"])])
    cache.commit(set(reads))
    cache.close()
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    assert cache.reusable(dict.fromkeys(reads, "k"), world) == {"a/", "b/"}
    cache.close()


@pytest.mark.parametrize("one_by_one", [page_cache.LINES_ONE_BY_ONE, 1])
def test_a_read_the_world_lists_is_believed_without_its_stored_line(
        tmp_path, monkeypatch, one_by_one):
    """A read whose line the world lists (``World.listed``) holds: its stored line is
    not read, nor needed. A read it does not list is read from the table (by id, or
    past ``LINES_ONE_BY_ONE`` the whole table at once) and asked as before: a stored
    answer that is not today's is no page reused."""
    monkeypatch.setattr(page_cache, "LINES_ONE_BY_ONE", one_by_one)
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    reads = {"a/": [["page", "en", "a/", "1"]], "b/": [["page", "en", "b/", "0"]],
             "c/": [["page", "en", "a/", "1"], ["page", "en", "c/", "0"]]}
    cache.add([cache.pack(url, "k", url, read) for url, read in reads.items()])
    cache.commit(set(reads))
    cache.close()
    with sqlite3.connect(tmp_path / "cache/pages.sqlite3") as db:
        db.execute("""DELETE FROM reads WHERE line = '["page","en","a/","1"]'""")
    asked: list[str] = []
    world = World(_world().records[("catalogue", "")],
                  {"page": lambda code, url: asked.append(url) or ("1" if url < "c/" else "0")},
                  {"page": lambda: [(("en", "a/"), "1"), (("en", "b/"), "1")]})
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    statements: list[str] = []
    cache.db.set_trace_callback(statements.append)
    # a/: listed (its line is gone from the table); b/ read "0", and the world lists
    # "1"; c/: a/ listed, its own line read and asked.
    assert cache.reusable(dict.fromkeys(reads, "k"), world) == {"a/", "c/"}
    assert sorted(asked) == ["b/", "c/"]
    # Two lines read by id; past the limit, none (the whole table at once).
    by_id = sum("FROM reads WHERE id" in statement for statement in statements)
    assert by_id == (2 if one_by_one >= 2 else 0)
    # Only the lines not listed were read (by id, or all of them and the others left).
    scan = cache.scan(dict.fromkeys(reads, "k"), world.listed)
    assert sorted(line.decode() for line in scan.lines.values()) == [
        '["page","en","b/","0"]', '["page","en","c/","0"]']
    cache.close()


def test_listed_reads_stored_are_neither_forgotten_nor_stored_again(
        tmp_path, monkeypatch, caplog):
    """Lines no page lists are forgotten once they outnumber twice those the build
    looked at (``SPARE_LINES`` aside): reads believed because the world listed them
    count as looked at, so a build that reused every page forgets nothing; and a page
    rendered again stores only the lines the table did not hold."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.setattr(page_cache, "SPARE_LINES", 0)
    forgot: list[int] = []
    caches: list[tuple[PageCache, set[int]]] = []
    real_forget, real_reusable = PageCache._forget_lines, PageCache.reusable

    def forget(self: PageCache) -> None:
        forgot.append(self._line_count)
        real_forget(self)

    def reusable(self: PageCache, keys: Any, world: World) -> set[str]:
        found = real_reusable(self, keys, world)
        caches.append((self, {i for (i,) in self.db.execute("SELECT id FROM reads")}))
        return found

    monkeypatch.setattr(PageCache, "_forget_lines", forget)
    monkeypatch.setattr(PageCache, "reusable", reusable)
    project = copy_sample(tmp_path / "project")
    builds = Builds(project, tmp_path, monkeypatch, caplog)
    builds.cached()
    assert builds.cached()[1] == 0 and forgot == []
    _replace(project / PRODUCT, "amount: 30000", "amount: 32000")
    _site, rendered, _reused = builds.cached()
    cache, stored = caches[-1]
    assert rendered > 0 and forgot == []
    assert cache._inserted and not cache._inserted & stored


def test_what_the_world_lists_is_what_it_answers(tmp_path, monkeypatch, caplog):
    """Every line a build's world lists (every record's digest, every photo's, every
    page of each language) is one a world that lists nothing finds true when asked:
    a listing that told an answer of yesterday would reuse a page it should not."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    worlds: list[tuple[World, list[str]]] = []
    real = World.listed

    def listed(self: World) -> list[str]:
        lines = real(self)
        worlds.append((self, lines))
        return lines

    monkeypatch.setattr(World, "listed", listed)
    project = copy_sample(tmp_path / "project")
    builds = Builds(project, tmp_path, monkeypatch, caplog)
    builds.cached()  # nothing stored yet: nothing listed
    assert worlds == []
    builds.cached()
    _replace(project / PRODUCT, "amount: 30000", "amount: 32000")
    photo = project / "products" / PRODUCER / "banh-bo-thot-not-tinh-bien-2.jpg"
    shutil.copyfile(sorted((project / "products/banh-phong-nep-sau-lan").glob("*.jpg"))[0],
                    photo)
    builds.cached()
    assert len(worlds) == 2 and worlds[0][1] != worlds[1][1]
    for world, lines in worlds:
        kinds = {json.loads(line)[0] for line in lines}
        assert kinds == {"@", "picture", "page"}
        asking = World(world.records[("catalogue", "")], world.facts)
        assert [line for line in lines if not asking.holds(line)] == []


def test_a_cache_file_with_a_trigger_is_replaced(tmp_path):
    """A trigger planted in the file (one that drops every line stored, say) would
    have every build render every page: the file is not ours, and is started again."""
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    cache.close()
    with sqlite3.connect(tmp_path / "cache/pages.sqlite3") as db:
        db.execute("CREATE TRIGGER drop_lines BEFORE INSERT ON reads "
                   "BEGIN SELECT RAISE(IGNORE); END")
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    cache.close()
    with sqlite3.connect(tmp_path / "cache/pages.sqlite3") as db:
        assert list(db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")) == []


@pytest.mark.parametrize("spare", [page_cache.SPARE_LINES, -(10**9)])
def test_lines_no_page_lists_are_forgotten(tmp_path, monkeypatch, spare):
    """Each build stores the lines of reads it has not stored before (a record's new
    digest, a new day). Lines no page lists any more are deleted once they pile up
    (``SPARE_LINES``; below zero: at every build), never one a stored page lists."""
    monkeypatch.setattr(page_cache, "SPARE_LINES", spare)
    world = World(_world().records[("catalogue", "")],
                  {"page": lambda code, url: "1", "day": lambda: None})
    urls = {f"p{n}/": "k" for n in range(3)}
    for day in range(4):
        cache = PageCache.open(tmp_path / "cache", tmp_path)
        assert cache is not None
        assert cache.reusable({**urls, "new/": "k"}, world) == (set(urls) if day else set())
        # new/ reads the day: rendered again each day, its line of the day before unlisted.
        cache.add([cache.pack("new/", "k", "<p>new</p>", [["day", str(day)]])]
                  + ([] if day else [cache.pack(url, "k", url, [["page", "en", url, "1"]])
                                     for url in urls]))
        cache.commit({*urls, "new/"})
        cache.close()
        with sqlite3.connect(tmp_path / "cache/pages.sqlite3") as db:
            lines = {line for (line,) in db.execute("SELECT line FROM reads")}
        listed = {f'["page","en","{url}","1"]' for url in urls}
        days = range(day + 1) if spare >= 0 else [day]
        assert lines == listed | {f'["day","{d}"]' for d in days}


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


def test_reference_data_is_fingerprinted_by_identity_and_library_version():
    """An address's province is the official list's: identified by code and name (its
    communes are not walked for every producer); the list's version is in the code
    key, so a new list re-renders every page."""
    units = official_units()
    province = units.province("An Giang")
    assert province is not None
    emptied = dataclasses.replace(province, communes=())
    renamed = dataclasses.replace(province, name="An Giang mới")
    assert fingerprint(emptied) == fingerprint(province) != fingerprint(renamed)


def test_a_digest_depends_on_content_not_on_shared_objects():
    """Equal content, equal digest, whether its strings are one object or two,
    interned or not (marshal's later formats would write a back-reference)."""
    word = "Đồng Tháp " * 3
    twin = "".join(["Đồng Tháp "] * 3)
    assert word == twin and word is not twin
    assert _digest((word, word, ("x", 1.5, None))) == _digest((word, twin, ("x", 1.5, None)))
    assert _digest((sys.intern("an-giang"), 1)) == _digest(("".join(["an-", "giang"]), 1))
    kinds = [("a", 1), ("a", True), ("a", 1.0), ("a", "1"), ("a", 0.0), ("a", -0.0),
             ("a", 2**70), ("a", None), ("a", ...), ("a", ("1",))]
    assert len({_digest(k) for k in kinds}) == len(kinds)


def test_records_inside_a_value_are_written_by_identity(sample_catalogue):
    """Only the top record is walked; one inside a list, a tuple or a mapping is its
    kind and identity, each in its place; plain values are kept."""
    product = next(iter(sample_catalogue.products.values()))
    producer = product.producer
    product_id = ("@", "product", product.id)
    producer_id = ("@", "producer", producer.id)
    canonical = page_cache._canonical
    assert canonical([product, 1, None, "x", producer]) == (
        product_id, 1, None, "x", producer_id)
    assert canonical({"a": product, 2: [producer], "c": 1.5}) == (
        "{", (("a", product_id), (2, (producer_id,)), ("c", 1.5)))
    assert canonical((sample_catalogue,)) == (("@", "catalogue", ""),)
    assert canonical({2, 1}) == ("set", ("1", "2")) and canonical([{None}]) == (("set", ("None",)),)
    assert canonical(3) == 3 and canonical(None) is None
    assert canonical(sample_catalogue, True)[1][1] == (
        "{", tuple((key, ("@", "producer", key)) for key in sample_catalogue.producers))
    # The top record itself is walked: its name, and its producer by identity.
    fields = canonical(product, True)
    assert fields[0] == "Product" and product.name in fields[1]
    assert producer_id in fields[1] and product_id not in fields[1]


def test_a_read_is_one_json_value_exactly(sample_catalogue):
    """The reuse check parses each line with JSON's own scanner: a line is true only
    when it is one read, as ``read_lines`` writes it, that gives today's answer; a
    damaged one (not JSON, a value and more, space around it) is a ValueError, which
    the check takes as not true."""
    product = next(iter(sample_catalogue.products.values()))

    def world() -> World:
        return World(sample_catalogue, {"day": lambda: "2026-12-02"})

    true = read_lines([["@", "product", product.id, fingerprint(product)],
                       ["day", "2026-12-02"]])
    untrue = read_lines([["@", "product", product.id, "0" * 32], ["day", "2026-12-01"],
                         ["unknown", "x"], ["@", "product", "no-such-product", "0"]])
    untrue += ['"a read"', '[1, "a"]', '["@"]']
    checked = world()
    assert [checked.holds(line) for line in true + untrue] == [True] * 2 + [False] * 7
    # What was found true is known for the writers' checks (``still_true``).
    assert checked._true == set(true)
    with pytest.raises(TypeError):
        world().holds('["day","extra","2026-12-02"]')  # the fact takes no argument
    for damaged in ("", "[", '["day"', '"2026-12-02"]', "1,2", '["day","2026-12-02"]]',
                    f"{true[1]} ", f" {true[1]}", f"{true[1]},{true[1]}"):
        with pytest.raises(ValueError):
            world().holds(damaged)


def test_a_read_line_is_what_json_writes():
    """Reads' lines are written by JSON's string function, not ``json.dumps``: the same
    text for any string (escapes, Vietnamese, a line separator), and a value that is no
    string as ``json.dumps`` writes it."""
    items = [["page", "en", 'en/a\nb "c" Đồng Tháp\u2028/', "1"],
             ["@", "product", "x\\y\t\x00\x7f</script>", "é"], ["date", 1, None]]
    assert read_lines(items) == [json.dumps(item, ensure_ascii=False, separators=(",", ":"))
                                 for item in items]


def test_a_page_packed_from_its_reads_is_packed_as_from_its_lines(sample_catalogue):
    """``pack_read`` (each record's and fact's line made once a process) stores what
    ``pack`` of the page's ``reads_list`` stores, page after page: the same ids, and
    each line handed over with the first page that reads it. A record met again is
    its id from the memo, unless the memo's entry is another object's (an id that
    Python gave again): then its own line."""
    products = list(sample_catalogue.products.values())[:3]
    producer = products[0].producer
    pages = [([*products[:2], producer], {("day",): "2026-12-02"}),
             ([*products[1:], producer], {("day",): "2026-12-02", ("picture", "a"): "x"}),
             ([producer], {("day",): "2026-12-03"})]
    by_lines, by_reads = page_cache.ReadIds(b"k" * 32), page_cache.ReadIds(b"k" * 32)
    for n, (records, facts) in enumerate(pages):
        seen = reads.Reads({id(r): r for r in records}, dict(facts))
        want = by_lines.pack(f"{n}/", "k", "<p></p>", page_cache.reads_list(seen, fingerprint))
        got = by_reads.pack_read(f"{n}/", "k", "<p></p>", seen, fingerprint)
        assert (got.reads, got.html) == (want.reads, want.html)
        assert sorted(got.lines) == sorted(want.lines)
    assert len(by_reads._records) == 4 and len(by_reads._facts) == 3
    # An entry left by another object at this record's id is not this record's.
    twin = copy.copy(producer)
    twin.name += " mới"
    by_reads._records[id(twin)] = (producer, by_reads._records[id(producer)][1])
    twinned = reads.Reads({id(twin): twin})
    assert (by_reads.pack_read("t/", "k", "", twinned, fingerprint).reads
            == by_lines.pack("t/", "k", "", page_cache.reads_list(twinned, fingerprint)).reads
            != by_lines.pack("p/", "k", "", page_cache.reads_list(
                reads.Reads({id(producer): producer}), fingerprint)).reads)


def test_the_world_gives_its_records_digests_and_others_their_own(sample_catalogue):
    """``World.digest_of`` is ``fingerprint``: from the reuse check's memo for a
    record of the world, and made for any other object, even one of the same id."""
    catalogue = sample_catalogue
    world = World(catalogue, {})
    product = next(iter(catalogue.products.values()))
    assert world.digest_of(product) == fingerprint(product)
    twin = copy.copy(product)  # the same id: another object, other content
    twin.name += " mới"
    assert world.digest_of(twin) == fingerprint(twin) != fingerprint(product)
    # The memo is the reuse check's: a digest noted later matches what it checks.
    kind_key = next(k for k, r in world.records.items() if r is product)
    assert world.record_digest(*kind_key) == world.digest_of(product)


def test_the_code_key_changes_with_each_library_that_shapes_pages(tmp_path, monkeypatch):
    """Every library named is installed (a misspelt name would be skipped silently),
    and a new version of any of them, the official list's included, is a new key."""
    versions = {name: importlib.metadata.version(name) for name in LIBRARIES}
    assert "vietnam-provinces" in versions
    before = code_key([tmp_path])
    for name in LIBRARIES:
        with monkeypatch.context() as patch:
            patch.setattr(importlib.metadata, "version",
                          lambda n, name=name: versions[n] + ("+1" if n == name else ""))
            assert code_key([tmp_path]) != before, name
    assert code_key([tmp_path]) == before


def test_a_str_enum_is_fingerprinted_by_its_value():
    """str() of a (str, Enum) member is its name: a value changed behind the same
    name must still change the digest."""
    before = enum.Enum("Status", {"VALID": "còn hiệu lực"}, type=str)
    after = enum.Enum("Status", {"VALID": "hết hiệu lực"}, type=str)
    assert fingerprint([before.VALID]) != fingerprint([after.VALID])


def _listing(items: list[str], language: str = "vi") -> list[PageSpec]:
    """A listing of ``items``, 2 a page: every page holds the links to all pages."""
    return [PageSpec(url=f"ds/{pager.number}/", template="ocop/listing.html", title="ds",
                     kind="products", context={"pager": pager}, language=language)
            for pager in paginate(items, lambda n: f"ds/{n}/", size=2)]


def test_page_keys_count_a_shared_tuple_by_its_content():
    """The pages of a listing share one tuple of links, whose digest is made once:
    keys are the same as with copies of it, and change with any link."""
    settings = {"vi": "v", "en": "e"}
    items = [f"sp-{n}" for n in range(20)]
    specs = _listing(items)
    assert len({id(spec.context["pager"].links) for spec in specs}) == 1
    keys = page_keys(settings, specs)
    copied = [dataclasses.replace(spec, context={"pager": dataclasses.replace(
        spec.context["pager"], links=tuple(list(spec.context["pager"].links)))})
        for spec in specs]
    assert len({id(spec.context["pager"].links) for spec in copied}) == len(specs)
    assert page_keys(settings, copied) == keys
    assert len(set(keys)) == len(specs)
    # One more item: a new last page, so every page's links change.
    longer = page_keys(settings, _listing([*items, "sp-20"]))
    assert not set(longer) & set(keys)
    # Another language's settings.
    assert not set(page_keys(settings, _listing(items, "en"))) & set(keys)


def test_page_keys_see_a_change_inside_a_shared_tuple():
    settings = {"vi": "v"}
    specs = _listing([f"sp-{n}" for n in range(20)])
    links = specs[0].context["pager"].links
    changed = (*links[:-1], dataclasses.replace(links[-1], url="khac/"))
    edited = [dataclasses.replace(spec, context={"pager": dataclasses.replace(
        spec.context["pager"], links=changed)}) for spec in specs]
    assert all(a != b for a, b in zip(page_keys(settings, specs),
                                      page_keys(settings, edited), strict=True))


def _world() -> World:
    return World(Catalogue(build_date=FIXED_DATE, groups=ProductGroups(decision=""),
                           producers={}, products={}, points_of_sale={}, fairs={}),
                 {"page": lambda code, url: "1"})


def test_reads_of_any_text_come_back_as_they_were(tmp_path):
    """Reads are stored a line of JSON each: a newline, quotes or Vietnamese in a read
    split nothing; a page that read nothing is reusable; a changed answer is not."""
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    odd = 'en/a\nb "c" Đồng Tháp\u2028/'
    cache.add([cache.pack("a/", "k", "<p>a</p>", [["page", "en", odd, "1"]]),
               cache.pack("b/", "k", "<p>b</p>", []),
               cache.pack("c/", "k", "<p>c</p>", [["page", "en", "x/", "0"]])])
    cache.commit({"a/", "b/", "c/"})
    asked: list[str] = []
    world = World(_world().records[("catalogue", "")],
                  {"page": lambda code, url: asked.append(url) or "1"})
    assert cache.reusable({"a/": "k", "b/": "k", "c/": "k"}, world) == {"a/", "b/"}
    assert sorted(asked) == sorted([odd, "x/"])
    assert cache.html("b/") == "<p>b</p>"
    cache.close()


def test_a_shared_tuple_in_a_key_is_not_a_value_that_looks_like_it():
    """A shared tuple stands in a page key as a marker no data can take: a spec that
    holds the same digest as text gets another key."""
    specs = _listing([f"sp-{n}" for n in range(20)])
    links = specs[0].context["pager"].links
    digest = fingerprint(links)  # any 32-digit hex text
    lookalike = [dataclasses.replace(spec, context={"pager": dataclasses.replace(
        spec.context["pager"], links=("#", digest))}) for spec in specs]
    keys = page_keys({"vi": "v"}, specs)
    assert not set(keys) & set(page_keys({"vi": "v"}, lookalike))


def test_only_the_row_that_was_checked_is_served(tmp_path):
    """Another build (say mkdocs serve with another site URL) may replace a row between
    the check and the read: the page is then rendered again, never served."""
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    reads = [["page", "en", "en/", "1"]]
    cache.add([cache.pack("a/", "key-1", "<p>new</p>", reads),
               cache.pack("b/", "key-1", "<p>b</p>", reads)])
    cache.commit({"a/", "b/"})
    assert cache.reusable({"a/": "key-1", "b/": "key-1"}, _world()) == {"a/", "b/"}
    # Signed with the same key, by an older build: valid, but not what was checked.
    cache.add([cache.pack("a/", "key-0", "<p>old</p>", reads)])
    cache.commit({"a/", "b/"})
    assert cache.html("a/") is None
    assert cache.html("b/") == "<p>b</p>"
    assert cache.html("c/") is None  # never checked
    cache.close()


def test_a_row_whose_reads_moved_into_its_signature_is_not_the_row_checked(tmp_path):
    """A kept site's page is reused by the identity of its row (key, signature, reads),
    without reading the row's HTML. Cut a read that no longer holds off a row's reads
    and append it to its signature: the row's bytes run on the same, and so would its
    identity; it must not be accepted, or the page would be left in a kept site
    without that read checked."""
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    # The read that changed must be the first id (ids are stored in order).
    holds, changed = ["page", "en", "en/", "1"], None
    # Ids are keyed hashes (a random key): 64 tries miss in one run in 65 (a CI run did).
    for n in range(1 << 16):
        line = ["page", "en", f"x{n}/", "0"]  # the world says "1" today
        if cache.ids.line_id(read_lines([line])[0]) < cache.ids.line_id(read_lines([holds])[0]):
            changed = line
            break
    assert changed is not None
    cache.add([cache.pack("a/", "k", "<p>a</p>", [holds, changed])])
    cache.commit({"a/"})
    identity = cache.identities["a/"]
    assert cache.reusable({"a/": "k"}, _world()) == set()
    blob, mac = cache.db.execute("SELECT reads, mac FROM pages").fetchone()
    assert page_cache._row_identity("k", blob[8:], mac + blob[:8]) == identity
    cache.db.execute("UPDATE pages SET reads = ?, mac = ?", (blob[8:], mac + blob[:8]))
    cache.db.commit()
    cache.close()
    again = PageCache.open(tmp_path / "cache", tmp_path)
    assert again is not None
    assert again.reusable({"a/": "k"}, _world()) == set()
    assert again.identities == {}
    again.close()


def test_a_page_and_its_html_are_kept_and_forgotten_together(tmp_path):
    """The HTML has a table of its own (the check reads every row of ``pages``, not the
    HTML): a page whose HTML is missing is rendered again; a page the site no longer
    has leaves no HTML behind."""
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    cache.add([cache.pack(url, "k", f"<p>{url}</p>", []) for url in ("a/", "b/", "c/")])
    cache.commit({"a/", "b/", "c/"})
    cache.db.execute("DELETE FROM html WHERE url = 'b/'")
    cache.db.commit()
    assert cache.reusable({"a/": "k", "b/": "k"}, _world()) == {"a/", "b/"}
    assert cache.html("a/") == "<p>a/</p>"
    assert cache.html("b/") is None
    cache.commit({"a/", "b/"})
    assert sorted(cache.db.execute("SELECT url FROM html")) == [("a/",)]
    assert sorted(cache.db.execute("SELECT url FROM pages")) == [("a/",), ("b/",)]
    cache.close()


def test_html_whose_page_is_gone_is_forgotten_with_the_lines(tmp_path, monkeypatch):
    """HTML left without its page (a page row deleted by hand, an emptying that failed
    half-way) is deleted when unlisted lines are."""
    monkeypatch.setattr(page_cache, "SPARE_LINES", 0)
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    cache.add([cache.pack("a/", "k", "<p></p>", [["page", "en", "a/", "1"]]),
               cache.pack("b/", "k", "<p></p>", [["page", "en", f"{n}/", "1"]
                                                 for n in range(3)])])
    cache.commit({"a/", "b/"})
    cache.db.execute("DELETE FROM pages WHERE url = 'b/'")
    cache.db.commit()
    cache.close()
    cache = PageCache.open(tmp_path / "cache", tmp_path)  # the next build
    assert cache is not None
    assert cache.reusable({"a/": "k"}, _world()) == {"a/"}
    cache.commit({"a/"})
    assert list(cache.db.execute("SELECT url FROM html")) == [("a/",)]
    cache.close()


class _UnreadableHtml:
    """A connection whose HTML table cannot be read: damaged, or busy (``code``)."""

    def __init__(self, db: sqlite3.Connection, code: int) -> None:
        self.db = db
        self.code = code

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if "JOIN html" in sql:
            error = sqlite3.DatabaseError("cannot read")
            error.sqlite_errorcode = self.code  # type: ignore[attr-defined]
            raise error
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)


def test_a_damaged_html_table_starts_the_cache_again(tmp_path):
    """The check never reads the HTML's table: a page whose HTML cannot be read is
    rendered again, and the file is emptied when the build commits (or the same pages
    would be rendered by every build); a busy file is left as it is."""
    def counts(db: sqlite3.Connection) -> list[int]:
        return [db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in page_cache.SCHEMA]

    for code, left in ((sqlite3.SQLITE_BUSY, [2, 2, 1, 0]),
                       (sqlite3.SQLITE_CORRUPT, [0, 0, 0, 0])):
        cache = PageCache.open(tmp_path / "cache", tmp_path)
        assert cache is not None
        cache.add([cache.pack(url, "k", "<p></p>", [["page", "en", "en/", "1"]])
                   for url in ("a/", "b/")])
        cache.commit({"a/", "b/"})
        assert cache.reusable({"a/": "k", "b/": "k"}, _world()) == {"a/", "b/"}
        db = cache.db
        cache.db = _UnreadableHtml(db, code)  # type: ignore[assignment]
        assert cache.html("a/") is None
        cache.db = db
        cache.commit({"a/", "b/"})
        assert counts(db) == left
        cache.close()


def test_a_cache_file_that_is_not_ours_is_replaced(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    project = copy_sample(tmp_path / "project")
    (project / ".cache/ocop").mkdir(parents=True)
    with sqlite3.connect(project / ".cache/ocop/pages.sqlite3") as db:
        # No unique URL: a row planted beside a good one could be the one served.
        db.execute("CREATE TABLE pages (url TEXT, key TEXT, reads BLOB, html BLOB, mac BLOB)")
        db.execute("INSERT INTO pages VALUES ('sao/', 'x', x'00', x'00', x'00')")
    (project / ".cache/ocop/other.sqlite3").write_bytes(b"not a database")
    builds = Builds(project, tmp_path, monkeypatch, caplog)
    site, rendered, reused = builds.cached()
    assert reused == 0 and rendered > 250
    assert builds.cached()[1:] == (0, rendered)
    (project / ".cache/ocop/pages.sqlite3").write_bytes(b"SQLite format 3\0" + b"\xff" * 200)
    assert builds.cached()[1:] == (rendered, 0)
    assert site == builds.clean()


def test_a_card_kept_for_every_depth_links_from_each_page_and_brings_its_reads():
    """A card is rendered once, with ``Memo.BASE`` for its links' base, and printed on
    pages of any depth with theirs; a page that reuses it reads what it read."""
    memo = reads.Memo()
    key = ("product", "p1", "vi", False)
    with reads.recording() as first:
        assert key not in memo
        reads.note(("photo", "a.jpg"), "d1")
        html = Markup(f'<a href="{memo.BASE}/san-pham/x/"><img src="{memo.BASE}/a.webp">')
        shown = memo.put_anywhere(key, html, "../..")
    assert shown == Markup('<a href="../../san-pham/x/"><img src="../../a.webp">')
    assert first.facts == {("photo", "a.jpg"): "d1"}
    with reads.recording() as second:
        assert key in memo
        assert memo.at(key, ".") == Markup('<a href="./san-pham/x/"><img src="./a.webp">')
    assert second.facts == {("photo", "a.jpg"): "d1"}
    # The 404 page's base is the site's root.
    assert memo.at(key, "/") == Markup('<a href="/san-pham/x/"><img src="/a.webp">')
    # Vietnamese text survives its keeping as UTF-8.
    with reads.recording():
        assert ("producer", "p2", "vi") not in memo
        memo.put_anywhere(("producer", "p2", "vi"), Markup("Bánh bò thốt nốt"), ".")
    assert memo.at(("producer", "p2", "vi"), "..") == "Bánh bò thốt nốt"


def test_a_card_function_renders_each_card_once_and_prints_the_kept_one():
    """``Memo.cards``: a record's card, rendered once per key (kind, id, language and
    the arguments, ``defaults`` where none are given) with ``BASE`` for its links'
    base, then printed from the memo with each page's base and bringing its reads;
    the same keys as before, so cards kept by ``put_anywhere`` are found."""
    from types import SimpleNamespace

    memo = reads.Memo()
    rendered: list[tuple[str, tuple[Any, ...]]] = []

    def render(record: Any, *arguments: Any) -> Markup:
        rendered.append((record.id, arguments))
        reads.note(("photo", f"{record.id}.jpg"), "d1")
        return Markup(f'<a href="{memo.BASE}/san-pham/{record.id}/">{arguments}</a>')

    one, two = SimpleNamespace(id="p1"), SimpleNamespace(id="p2")
    deep = memo.cards("product", render, "vi", "../..", False)
    with reads.recording() as first:
        assert deep(one) == Markup('<a href="../../san-pham/p1/">(False,)</a>')
    assert first.facts == {("photo", "p1.jpg"): "d1"}
    assert ("product", "p1", "vi", False) in memo
    shallow = memo.cards("product", render, "vi", ".", False)
    with reads.recording() as second:  # kept: printed with its reads, not rendered
        assert shallow(one) == Markup('<a href="./san-pham/p1/">(False,)</a>')
    assert second.facts == {("photo", "p1.jpg"): "d1"}
    with reads.recording() as third:
        assert shallow(one, True) == Markup('<a href="./san-pham/p1/">(True,)</a>')
    assert third.facts == {("photo", "p1.jpg"): "d1"}
    assert rendered == [("p1", (False,)), ("p1", (True,))]
    english = memo.cards("product", render, "en", ".", False)
    english(one)
    memo.cards("producer", render, "vi", ".")(two)
    assert rendered[2:] == [("p1", (False,)), ("p2", ())]
    assert memo.at(("product", "p1", "en", False), "..") == '<a href="../san-pham/p1/">(False,)</a>'
    assert memo.at(("producer", "p2", "vi"), "/") == '<a href="/san-pham/p2/">()</a>'
    # A card that fails to render leaves no recording open: the page's own goes on.
    broken = memo.cards("product", lambda record: 1 / 0, "vi", ".")
    with reads.recording() as page:
        with pytest.raises(ZeroDivisionError):
            broken(two)
        reads.note(("page", "after"), "1")
    assert page.facts == {("page", "after"): "1"}
    with pytest.raises(ZeroDivisionError):
        memo.fragment(("footer", "vi"), lambda: 1 / 0)
    assert not reads._stack


def test_a_call_block_fragment_is_rendered_once_and_brings_its_reads():
    """``Memo.fragment`` (a template's call block): the body is rendered when the
    memo has no such fragment and kept; later pages get the kept one, with what it
    read, without rendering it. Through Jinja, as main.html calls it."""
    from jinja2 import Environment

    memo = reads.Memo()
    bodies: list[str] = []

    def body(name: str) -> str:
        bodies.append(name)
        reads.note(("page", name), "1")
        return f"<footer>{name}</footer>"

    env = Environment()
    env.globals.update(ocop_memo_fragment=memo.fragment, body=body)
    page = env.from_string("{% call ocop_memo_fragment(('footer', lang)) %}"
                           "{{ body(lang) }}{% endcall %}|")
    with reads.recording() as first:
        assert page.render(lang="vi") == "<footer>vi</footer>|"
    with reads.recording() as second:
        assert page.render(lang="vi") == "<footer>vi</footer>|"
        assert page.render(lang="en") == "<footer>en</footer>|"
    assert bodies == ["vi", "en"]
    assert first.facts == {("page", "vi"): "1"}
    assert second.facts == {("page", "vi"): "1", ("page", "en"): "1"}


_CARD = re.compile(r'<li class="ocop-card[^"]*">.*?</li>', re.S)
_CARD_URLS = re.compile(r'(?:href|src)="([^"]+)"|srcset="([^"]+)"')


def test_every_card_links_from_its_page_to_files_that_exist(sample_site):
    """Cards are kept once for pages of every depth (home, listings, producers, both
    languages): on each page every link and photo of every card leads to a file of
    the site, and no page holds the memo's marker."""
    cards, depths = 0, set()
    for page in sorted(sample_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert reads.Memo.BASE not in text, page
        for card in _CARD.findall(text):
            cards += 1
            depths.add(len(page.relative_to(sample_site).parts))
            for href, srcset in _CARD_URLS.findall(card):
                for url in [href] if href else [p.split()[0] for p in srcset.split(",")]:
                    target = (page.parent / url).resolve()
                    assert (target / "index.html" if url.endswith("/") else target).is_file(), \
                        (page.relative_to(sample_site).as_posix(), url)
    assert cards > 100 and len(depths) >= 4, (cards, depths)


def _site_page(url: str, n: int) -> str:
    """A page as the site's are: the same header and footer around its own text."""
    return ("<!doctype html><header>" + "Mỗi xã một sản phẩm · menu " * 40 + "</header>"
            f"<main><h1>{url}</h1><p>{n} " + "đặc sản " * n + "</p></main>"
            + "<footer>" + "Danh mục OCOP · liên hệ " * 40 + "</footer>")


def test_pages_are_compressed_with_a_dictionary_a_build_before_made_of_the_site(
        tmp_path, monkeypatch):
    """A build that stores most of the site's pages leaves a dictionary of them for
    the builds after it: their pages are compressed with it (smaller) and name it by
    its id, a keyed digest of its bytes; each page's HTML comes back as it was,
    whichever dictionary packed it. A dictionary that is not ours (changed, put under
    another id, or signed with another key as the row's id says) is not believed: its
    pages are rendered again, and a build does not compress with it. One no page uses
    any more is forgotten."""
    monkeypatch.setattr(page_cache, "DICTIONARY_MIN_PAGES", 4)
    urls = [f"{part}/{n}/" for part in ("san-pham", "chu-the") for n in range(4)]
    every = {url: "k" for url in urls}

    def build(start: int, urls: list[str]) -> tuple[PageCache, dict[str, int]]:
        cache = PageCache.open(tmp_path / "cache", tmp_path)
        assert cache is not None
        cache.add([cache.pack(url, "k", _site_page(url, start + n), [])
                   for n, url in enumerate(urls)])
        cache.commit(set(urls))
        sizes = dict(cache.db.execute("SELECT url, length(html) FROM html"))
        return cache, sizes

    def dictionaries(cache: PageCache) -> list[int]:
        return [i for (i,) in cache.db.execute("SELECT id FROM dicts ORDER BY made")]

    first, plain = build(0, urls)
    assert first.dictionary == (0, b"")
    assert [i for (i,) in first.db.execute("SELECT dict FROM pages")] == [0] * 8
    [(one, data)] = list(first.db.execute("SELECT id, data FROM dicts"))
    assert one == first._dictionary_id(data) and _site_page("san-pham/0/", 0).encode() in data
    first.close()
    second, packed = build(100, urls[:2])  # two pages edited: no new dictionary
    assert second.dictionary == (one, data)
    assert sum(packed[url] for url in urls[:2]) < sum(plain[url] for url in urls[:2]) / 2
    assert dictionaries(second) == [one]
    assert second.reusable(every, _world()) == set(urls)
    for n, url in enumerate(urls):
        assert second.html(url) == _site_page(url, (100 if n < 2 else 0) + n)
    second.close()
    # Every page again: a new dictionary; the first stays while pages name it.
    third, _ = build(200, urls)
    two = dictionaries(third)[-1]
    assert dictionaries(third) == [one, two] and two != one
    third.close()
    fourth, _ = build(300, urls)
    three = dictionaries(fourth)[-1]
    assert dictionaries(fourth) == [two, three]
    assert fourth.reusable(every, _world()) == set(urls)
    assert [fourth.html(url) for url in urls] == [_site_page(url, 300 + n)
                                                 for n, url in enumerate(urls)]
    # A row that names another dictionary of ours than its own: not believed.
    other = fourth.db.execute("SELECT data FROM dicts WHERE id = ?", (two,)).fetchone()[0]
    other = other.replace(b"menu", b"MENU")
    fourth.db.execute("INSERT INTO dicts VALUES (?, 0, ?)", (fourth._dictionary_id(other), other))
    fourth.db.execute("UPDATE pages SET dict = ? WHERE url = ?",
                      (fourth._dictionary_id(other), urls[0]))
    assert fourth.html(urls[0]) is None
    fourth.db.execute("UPDATE pages SET dict = ? WHERE url = ?", (two, urls[0]))
    # The dictionary the pages name, changed; a forged one made last, of any id.
    data_3 = fourth.db.execute("SELECT data FROM dicts WHERE id = ?", (three,)).fetchone()[0]
    fourth.db.execute("UPDATE dicts SET data = ? WHERE id = ?", (data_3, two))
    fourth.db.execute("INSERT INTO dicts VALUES (?, ?, ?)", ((1 << 63) - 1, 1 << 62, b"x"))
    fourth.db.commit()
    fourth.close()
    fifth = PageCache.open(tmp_path / "cache", tmp_path)
    assert fifth is not None and fifth.dictionary == (three, data_3)
    assert fifth.reusable(every, _world()) == set()  # their dictionary is not ours
    fifth.add([fifth.pack(url, "k", _site_page(url, 400 + n), []) for n, url in enumerate(urls)])
    fifth.commit(set(urls))  # a new one; those no page names are forgotten, forged too
    four = dictionaries(fifth)[-1]
    assert dictionaries(fifth) == [three, four]
    fifth.close()
    sixth = PageCache.open(tmp_path / "cache", tmp_path)
    assert sixth is not None and sixth.dictionary[0] == four
    assert sixth.reusable(every, _world()) == set(urls)
    assert [sixth.html(url) for url in urls] == [_site_page(url, 400 + n)
                                                for n, url in enumerate(urls)]
    sixth.close()


def test_pages_are_kept_when_their_dictionary_cannot_be(tmp_path, monkeypatch):
    """The dictionary is made after the build's pages are committed: an error in it
    costs the next builds a smaller cache, not the pages."""
    monkeypatch.setattr(page_cache, "DICTIONARY_MIN_PAGES", 1)

    def fails(self: PageCache) -> None:
        self.db.execute("INSERT INTO dicts VALUES (1, 0, x'00')")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(PageCache, "_new_dictionary", fails)
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    cache.add([cache.pack("a/", "k", "<p>a</p>", [])])
    cache.commit({"a/"})
    assert list(cache.db.execute("SELECT url FROM pages")) == [("a/",)]
    assert list(cache.db.execute("SELECT id FROM dicts")) == []
    cache.close()
