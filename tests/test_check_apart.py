"""The reuse check's scan in a process of its own (render/check_apart.py), while the
writers that need no page run in the build's process (adapter/write_step.py's
``BeforePages``): the site and the pages rendered are those of a build that checks
by itself; what the process answers is what a scan in the build's process finds."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from conftest import FIXED_DATE, copy_project, snapshot
from mkdocs.structure.files import File
from test_kept_site import edit

from generator.adapter import plugin, write_step
from generator.adapter.publish import build_site
from generator.link.catalogue import Catalogue
from generator.render import check_apart
from generator.render.page_cache import PageCache, World
from generator.source.groups import ProductGroups
from generator.write import WRITERS

SCANNED = re.compile(r"ocop reuse check: scanned in a process of its own; (\d+) writers ran "
                     r"meanwhile")


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds that keep their site and pages, two processes allowed, the scan apart
    from the first page (a real site needs ``MIN_PAGES``)."""
    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    monkeypatch.setenv("OCOP_WORKERS", "2")
    monkeypatch.delenv("OCOP_CHECK_APART", raising=False)
    monkeypatch.setattr(check_apart, "MIN_PAGES", 1)


def build(project: Path, caplog: pytest.LogCaptureFixture) -> tuple[str, int | None]:
    """Build ``project`` into its kept site: the "ocop pages" line, and how many
    writers ran while the scan did (None: the build checked by itself)."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
        build_site(project / "mkdocs.yml", project / "site")
    said = [r.getMessage() for r in caplog.records]
    pages = next(line for line in said if line.startswith("ocop pages: "))
    found = [SCANNED.fullmatch(line) for line in said]
    ran = [int(m[1]) for m in found if m]
    return pages, ran[0] if ran else None


def test_a_build_that_scans_apart_is_one_that_checks_by_itself(
        mini_project, fixed_date, scanned, monkeypatch, caplog, tmp_path):
    """Two copies of a project, built and edited alike, one scanning apart: the same
    pages rendered and reused, the same site, as a clean build's."""
    alone = copy_project(mini_project, tmp_path / "alone")
    writers = len(write_step.before_pages(WRITERS))

    def both(expected: int | None) -> str:
        pages, ran = build(mini_project, caplog)
        with monkeypatch.context() as patch:
            patch.setenv("OCOP_CHECK_APART", "0")
            assert build(alone, caplog) == (pages, None)
        assert ran == expected
        return pages

    # Nothing stored yet: no page's key found, so the build checks by itself.
    both(None)
    both(writers)  # the first site becomes the spare: written into from now
    for project in (mini_project, alone):
        edit(project, "Đường thốt nốt nguyên chất", "Đường thốt nốt loại một")
        # The search index reads the hand-written pages back once MkDocs has written
        # them (after the pages, as before).
        home = project / "content/index.md"
        home.write_text(home.read_text(encoding="utf-8") + "\nChợ nổi Cái Răng.\n",
                        encoding="utf-8")
    pages = both(writers)
    rendered, reused = map(int, re.findall(r"(\d+) (?:rendered|reused)", pages))
    assert rendered and reused
    site = snapshot(mini_project / "site")
    assert site == snapshot(alone / "site")
    with monkeypatch.context() as patch:
        patch.setenv("OCOP_PAGE_CACHE", "0")
        assert site == snapshot(build_site(mini_project / "mkdocs.yml", tmp_path / "clean"))
    assert any(b"rang" in data for path, data in site.items()
               if path.startswith("assets/ocop-search/"))


def test_with_many_pages_to_render_the_writers_wait_for_the_pages(
        mini_project, fixed_date, scanned, monkeypatch, caplog, tmp_path):
    """Once the answer shows as many pages to render as start the page workers, the
    writers not run yet run after the pages, as without the process (here the answer
    is waited for before the first writer, and one page to render is many)."""
    build(mini_project, caplog)
    build(mini_project, caplog)
    real_collect = check_apart.Scanning.collect
    monkeypatch.setattr(check_apart.Scanning, "collect",
                        lambda self, timeout=0: real_collect(self, 30))
    monkeypatch.setattr(plugin, "PARALLEL_MIN_PAGES", 1)
    assert build(mini_project, caplog)[1] == len(write_step.before_pages(WRITERS))
    edit(mini_project, "Đường thốt nốt nguyên chất", "Đường thốt nốt loại một")
    pages, ran = build(mini_project, caplog)
    assert ran == 0 and not pages.startswith("ocop pages: 0 rendered")
    site = snapshot(mini_project / "site")
    with monkeypatch.context() as patch:
        patch.setenv("OCOP_PAGE_CACHE", "0")
        assert site == snapshot(build_site(mini_project / "mkdocs.yml", tmp_path / "clean"))


def test_a_process_that_gives_no_answer_leaves_the_check_to_the_build(
        mini_project, fixed_date, scanned, monkeypatch, caplog, tmp_path):
    """The process ends without an answer: the build checks by itself, runs every
    writer after all, and the site is a clean build's."""
    build(mini_project, caplog)
    build(mini_project, caplog)
    edit(mini_project, "Đường thốt nốt nguyên chất", "Đường thốt nốt loại một")

    def gone(self: check_apart.Scanning, timeout: float = 0) -> None:
        self.answered, self.scan = True, None
        self.close()

    monkeypatch.setattr(check_apart.Scanning, "collect", gone)
    pages, ran = build(mini_project, caplog)
    assert ran is None and not pages.startswith("ocop pages: 0 rendered")
    assert (f"ocop: {check_apart.WHAT} stopped without an answer; checked in this process"
            in [r.getMessage() for r in caplog.records])
    site = snapshot(mini_project / "site")
    with monkeypatch.context() as patch:
        patch.setenv("OCOP_PAGE_CACHE", "0")
        assert site == snapshot(build_site(mini_project / "mkdocs.yml", tmp_path / "clean"))


def test_after_a_settings_change_the_build_checks_by_itself_and_lists_nothing(
        mini_project, fixed_date, scanned, monkeypatch, caplog):
    """mkdocs.yml edited: no page of the sample is stored with its key; the world's
    lines (183,000 nationally) are not listed, nor the writers run before the pages."""
    build(mini_project, caplog)
    assert build(mini_project, caplog)[1] is not None
    config = mini_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nextra:\n  note: x\n",
                      encoding="utf-8")
    listed: list[int] = []
    real = World.listed
    monkeypatch.setattr(World, "listed", lambda self: listed.append(1) or real(self))
    pages, ran = build(mini_project, caplog)
    assert ran is None and listed == []
    assert " 0 reused" in pages


def test_a_writers_file_mkdocs_copies_too_is_the_writers(mini_project, fixed_date, scanned,
                                                         monkeypatch, caplog, tmp_path):
    """A file put by hand at a writer's path: the writer, run before the pages, wrote
    it before MkDocs copied the hand-written one; it runs again after MkDocs, as in a
    build whose writers all run after the pages."""
    for _ in range(2):
        build(mini_project, caplog)
    by_hand = mini_project / "content/q/ruou-thot-not/qr.svg"
    by_hand.parent.mkdir(parents=True)
    by_hand.write_text("<svg/>", encoding="utf-8")
    copied: list[str] = []
    real_copy = File.copy_file

    def copy(self: File, dirty: bool = False) -> None:
        copied.append(self.dest_uri)
        real_copy(self, dirty)

    monkeypatch.setattr(File, "copy_file", copy)
    assert build(mini_project, caplog)[1]
    assert "q/ruou-thot-not/qr.svg" in copied
    assert "ocop: verify_pages wrote where MkDocs writes a file too: written again after it" in [
        r.getMessage() for r in caplog.records]
    site = snapshot(mini_project / "site")
    assert site["q/ruou-thot-not/qr.svg"] != b"<svg/>"
    with monkeypatch.context() as patch:
        patch.setenv("OCOP_PAGE_CACHE", "0")
        assert site == snapshot(build_site(mini_project / "mkdocs.yml", tmp_path / "alone"))


def _world(answers: dict[str, str]) -> World:
    """A world of no record: a page (by URL) exists when ``answers`` says "1"."""
    return World(Catalogue(build_date=FIXED_DATE, groups=ProductGroups(decision=""),
                           producers={}, products={}, points_of_sale={}, fairs={}),
                 {"page": lambda code, url: answers.get(url)},
                 {"page": lambda: [(("en", url), "1") for url, answer in answers.items()
                                   if answer == "1"]})


def _stored(tmp_path: Path) -> PageCache:
    """A cache of four pages: each reads whether a page exists (the first two, one
    the world will list; the last, one it will not)."""
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    reads = {"a/": [["page", "en", "x/", "1"]], "b/": [["page", "en", "x/", "1"]],
             "c/": [["page", "en", "y/", "1"]], "d/": [["page", "en", "z/", "1"]]}
    cache.add([cache.pack(url, "k", url, read) for url, read in reads.items()])
    cache.commit(set(reads))
    cache.close()
    cache = PageCache.open(tmp_path / "cache", tmp_path)
    assert cache is not None
    return cache


def test_the_process_scans_as_the_build_does(tmp_path):
    """Sent the keys and the listed lines, the process answers what a scan here finds:
    pages found, pages pending with their reads not listed, and those reads' lines."""
    cache = _stored(tmp_path)
    world = _world({"x/": "1", "y/": "0", "z/": None})
    listed = world.listed()
    keys = {"a/": "k", "b/": "k", "c/": "k", "d/": "other"}
    here = cache.scan(keys, lambda: listed)
    assert set(here.found) == {"a/", "b/"} and set(here.pending) == {"c/"}
    assert [line.decode() for line in here.lines.values()] == ['["page","en","y/","1"]']
    assert here.stored == {"a/", "b/", "c/", "d/"}
    said: list[str] = []
    scanning = check_apart.Scanning(tmp_path / "cache/pages.sqlite3", cache.key)
    try:
        assert scanning.send(keys, listed)
        assert scanning.result(said.append) == here
    finally:
        scanning.close()
    assert said == []
    # Settled, the pending page's read is asked of the world: y/ is gone today. All a
    # build keeps of the check is the check made here.
    assert cache.settle(here, listed, world) == cache.check(keys, world)
    assert set(cache.settle(here, listed, world).found) == {"a/", "b/"}
    assert set(cache.settle(here, listed, _world({"x/": "1", "y/": "1"})).found) == {
        "a/", "b/", "c/"}
    cache.close()


def test_a_process_that_cannot_scan_leaves_the_check_to_the_build(tmp_path):
    cache = _stored(tmp_path)
    unreadable = tmp_path / "folder"
    unreadable.mkdir()
    said: list[str] = []
    scanning = check_apart.Scanning(unreadable, cache.key)
    try:
        assert scanning.send({"a/": "k"}, [])
        assert scanning.result(said.append) is None
    finally:
        scanning.close()
    assert said == [f"ocop: {check_apart.WHAT} stopped without an answer; checked in this "
                    "process"]
    cache.close()


def test_a_sample_of_pages_stored_with_their_keys_is_counted(tmp_path):
    cache = _stored(tmp_path)
    assert cache.stored_with({"a/": "k", "b/": "k", "c/": "other", "e/": "k"}) == 2
    assert cache.stored_with({"a/": "other"}) == 0
    cache.close()
