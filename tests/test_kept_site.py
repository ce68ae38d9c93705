"""A build into the previous site (adapter/kept_site.py) equals a clean build.

``ocop build`` keeps the old site as ``.site.spare`` and writes the next site into
it, leaving the generated pages it holds unchanged. Whatever happened to that folder
while it was the live site (a page edited by hand, a file added, a backup made with
hard links, a symbolic link to elsewhere), the next site is byte for byte the one a
build into an empty folder makes, and nothing outside the folder is written.
"""

from __future__ import annotations

import errno
import json
import logging
import multiprocessing
import os
import re
import shutil
import time
from concurrent.futures import Future
from pathlib import Path

import pytest
from conftest import leftovers, snapshot

from generator import written
from generator.adapter import kept_site
from generator.adapter.kept_site import sweep
from generator.adapter.publish import build_site, recover
from generator.elsewhere import Elsewhere
from generator.media.image_types import ImageVariant, ProcessedImage
from generator.media.library import MediaLibrary
from generator.source.layout import SourceLayout
from generator.write import photos
from generator.write.context import OutputContext
from generator.write.files import write_bytes
from generator.written import Seen

PRODUCT = "products/htx-thot-not-mau/duong-thot-not.yaml"
PAGE = "san-pham/duong-thot-not/index.html"


def build(project: Path, caplog: pytest.LogCaptureFixture) -> tuple[int, int]:
    """Build ``project``'s site; (pages reused, pages of them left as they were)."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
        build_site(project / "mkdocs.yml", project / "site")
    line = next(r.getMessage() for r in caplog.records
                if r.getMessage().startswith("ocop pages: "))
    found = re.fullmatch(r"ocop pages: \d+ rendered, (\d+) reused \((\d+) of them left in "
                         r"the kept site\)", line)
    assert found, line
    return int(found[1]), int(found[2])


def files_left(caplog: pytest.LogCaptureFixture) -> tuple[int, int]:
    """Of the last build's files made one per record (write/kept_files.py): how many
    were left as they were, of how many."""
    line = next(r.getMessage() for r in reversed(caplog.records)
                if r.getMessage().startswith("ocop files: "))
    found = re.fullmatch(r"ocop files: (\d+) of (\d+) left in the kept site", line)
    assert found, line
    return int(found[1]), int(found[2])


def clean_build(project: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The same sources built into an empty folder, without the page cache."""
    with monkeypatch.context() as patch:
        patch.setenv("OCOP_PAGE_CACHE", "0")
        return build_site(project / "mkdocs.yml", folder)


def folders(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir())


def edit(project: Path, old: str, new: str) -> None:
    path = project / PRODUCT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_next_site_is_built_in_the_previous_one(mini_project, fixed_date, monkeypatch,
                                                    caplog, tmp_path):
    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    project = mini_project
    assert build(project, caplog) == (0, 0)
    assert build(project, caplog)[1] == 0  # no spare yet: the first site becomes it
    assert leftovers(project) == [".site.spare"]
    spare = project / ".site.spare"
    # What may happen to a site while it is live, before it becomes the spare.
    (spare / "notes.txt").write_text("left by hand", encoding="utf-8")
    (spare / "san-pham/cu/index.html").parent.mkdir()
    (spare / "san-pham/cu/index.html").write_text("a page gone", encoding="utf-8")
    edited = spare / "nhom/index.html"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("<title>", "<title>X"), encoding="utf-8")
    verify = spare / "q/ruou-thot-not/index.html"  # a writer's file, edited as well
    verify.write_text(verify.read_text(encoding="utf-8").replace("OCOP", "OCOQ"),
                      encoding="utf-8")
    backup = tmp_path / "backup.html"
    os.link(spare / PAGE, backup)  # a backup made with hard links (cp -al, rsync)
    backed_up = backup.read_bytes()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the site's", encoding="utf-8")
    os.symlink(outside, spare / "lien-ket")
    photos = {p: p.read_bytes() for p in (project / ".cache").rglob("*.webp")}
    assert photos

    edit(project, "Đường thốt nốt nguyên chất", "Đường thốt nốt loại một")
    reused, kept = build(project, caplog)
    assert 0 < kept < reused  # the hand-edited and hard-linked pages were written again
    left, files = files_left(caplog)
    assert 0 < left < files  # the edited product's verification pages are made again
    site = project / "site"
    clean = clean_build(project, tmp_path / "clean", monkeypatch)
    assert snapshot(site) == snapshot(clean)
    assert folders(site) == folders(clean)
    assert "Đường thốt nốt loại một" in (site / PAGE).read_text(encoding="utf-8")
    # Nothing outside the site was written through a link.
    assert backup.read_bytes() == backed_up
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert {p: p.read_bytes() for p in photos} == photos
    # The photos are still links into the cache, not copies.
    some_photo = next((site / "anh").rglob("*.webp"))
    assert some_photo.stat().st_nlink > 1

    # And once more, with the site of two builds ago (the second) as the folder.
    edit(project, "Đường thốt nốt loại một", "Đường thốt nốt nguyên chất")
    reused, kept = build(project, caplog)
    assert kept > 0
    # The QR codes of files left in the folder stay in the cache all the same: those
    # of the two products not edited (the edited one's code under its first name left
    # the cache while it had another; the folder holds its file).
    assert len(list((project / ".cache/ocop/qr").glob("*.qr"))) == 2
    assert snapshot(site) == snapshot(clean_build(project, tmp_path / "clean-2", monkeypatch))


def test_a_page_added_by_hand_leaves_the_writers_files(mini_project, fixed_date, monkeypatch,
                                                       caplog):
    """The writers' files do not show the menu: a hand-written page added (without a
    nav in mkdocs.yml the menu lists it, and the pages showing it are rendered again)
    makes none of them again but the sitemap (.xml and .gz), which lists it."""
    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    project = mini_project
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text[:text.index("nav:\n")], encoding="utf-8")
    for _ in range(3):
        reused = build(project, caplog)[0]
    left, total = files_left(caplog)
    assert left == total > 0
    (project / "content/tin-moi.md").write_text("# Tin mới\n\nMột trang viết tay.\n",
                                                encoding="utf-8")
    assert build(project, caplog)[0] < reused  # the menu changed: pages rendered again
    assert files_left(caplog) == (total - 2, total)
    assert "/tin-moi/</loc>" in (project / "site/sitemap.xml").read_text(encoding="utf-8")


def test_a_file_mkdocs_copies_where_a_writer_writes_is_written_over(
        mini_project, fixed_date, monkeypatch, caplog, tmp_path):
    """A hand-written file at a writer's path: MkDocs copies it into the kept site
    after the safety walk looked at the folder, so the walk's size and time of the
    writer's file there no longer count; the writer writes over it, as it does in a
    clean build."""
    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    project = mini_project
    for _ in range(3):
        build(project, caplog)
    left, total = files_left(caplog)
    assert left == total > 0
    by_hand = project / "content/q/ruou-thot-not/qr.svg"
    by_hand.parent.mkdir(parents=True)
    by_hand.write_text("<svg/>", encoding="utf-8")
    build(project, caplog)
    site = project / "site"
    assert (site / "q/ruou-thot-not/qr.svg").read_text(encoding="utf-8") != "<svg/>"
    assert snapshot(site) == snapshot(clean_build(project, tmp_path / "clean", monkeypatch))


def test_without_the_option_no_site_is_kept(mini_project, fixed_date, caplog):
    project = mini_project
    build(project, caplog)
    build(project, caplog)
    assert leftovers(project) == [".site.spare"]
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - ocop:\n", "  - ocop:\n      keep_previous_site: false\n"), encoding="utf-8")
    build(project, caplog)
    assert leftovers(project) == []


def test_another_plugin_turns_it_off(mini_project, fixed_date, caplog):
    """A plugin we do not know may need every page to pass through it."""
    project = mini_project
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "plugins:\n" in text
    config.write_text(text.replace("plugins:\n", "plugins:\n  - search\n"), encoding="utf-8")
    build(project, caplog)
    build(project, caplog)
    assert leftovers(project) == []


def test_a_file_where_a_folder_is_needed_builds_into_an_empty_folder(
        mini_project, fixed_date, monkeypatch, caplog, tmp_path):
    project = mini_project
    build(project, caplog)
    build(project, caplog)
    spare = project / ".site.spare"
    shutil.rmtree(spare / "san-pham")
    (spare / "san-pham").write_text("a file now", encoding="utf-8")
    build(project, caplog)
    assert "building into an empty folder" in caplog.text
    assert leftovers(project) == [".site.spare"]
    assert snapshot(project / "site") == snapshot(clean_build(project, tmp_path / "clean",
                                                              monkeypatch))


def test_a_safety_walk_that_fails_builds_into_an_empty_folder(
        mini_project, fixed_date, monkeypatch, caplog, tmp_path):
    """The walk that removes links runs (in another process) while the catalogue
    loads; its error is raised before anything is written, and the build starts
    again from empty."""
    project = mini_project
    build(project, caplog)
    build(project, caplog)

    class Refused(Future):
        def collect(self) -> None:
            """Taken when the build is ready to write (``ready``)."""

    def refuse(folder: Path) -> Future[int]:
        walk: Future[int] = Refused()
        walk.set_exception(PermissionError(13, "Permission denied", str(folder / "anh")))
        return walk

    with monkeypatch.context() as patch:
        patch.setattr(kept_site, "_walk_elsewhere", refuse)
        assert build(project, caplog)[1] == 0
    assert "building into an empty folder" in caplog.text
    assert leftovers(project) == [".site.spare"]
    assert snapshot(project / "site") == snapshot(clean_build(project, tmp_path / "clean",
                                                              monkeypatch))


def test_nothing_is_written_into_the_kept_folder_before_its_walk_ends(
        mini_project, fixed_date, monkeypatch, caplog):
    """The walk runs while the catalogue loads; the build asks for its end before
    its first write (a write before it could go through a link it removes)."""
    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    project = mini_project
    build(project, caplog)
    build(project, caplog)
    def stamps(folder: Path) -> dict[str, tuple[int, int]]:
        """Each file's inode and time: a file rewritten with the same bytes differs."""
        return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
                for p in folder.rglob("*") if p.is_file()}

    spare = stamps(project / ".site.spare")
    seen: list[bool] = []

    class Walk:
        """The walk, done when its result is asked for: the folder must be as taken."""

        def __init__(self, folder: Path) -> None:
            self.folder = folder

        def collect(self) -> None:
            """Never done early: the walk is done when its result is asked for."""

        def result(self) -> int:
            seen.append(stamps(self.folder) == spare)
            return kept_site._make_safe(self.folder)

    with monkeypatch.context() as patch:
        patch.setattr(kept_site, "_walk_elsewhere", Walk)
        assert build(project, caplog)[1] > 0
    assert seen == [True]


def test_the_walk_process_sends_back_its_count_and_its_error(tmp_path):
    """The walk runs in a spawned process of its own: what it removed, or the error
    it met (raised here as it was there)."""
    (tmp_path / "site/trang").mkdir(parents=True)
    (tmp_path / "site/trang/index.html").write_text("x", encoding="utf-8")
    os.link(tmp_path / "site/trang/index.html", tmp_path / "copy.html")
    assert kept_site._walk_elsewhere(tmp_path / "site").result() == (
        1, {"": "trang/", "trang/": ""}, {})
    assert not (tmp_path / "site/trang/index.html").exists()
    with pytest.raises(FileNotFoundError) as error:
        kept_site._walk_elsewhere(tmp_path / "gone").result()
    assert error.value.filename == str(tmp_path / "gone")


def test_an_answer_collected_early_ends_the_walks_process(tmp_path):
    """``collect`` reads the answer once it has come, without waiting for it: the
    walk's process, which holds it until then, ends; ``result`` gives it later, an
    error as it would have. Before the answer has come, it takes nothing."""
    (tmp_path / "site/trang").mkdir(parents=True)
    (tmp_path / "site/trang/index.html").write_text("x", encoding="utf-8")

    def collected(walk: Elsewhere) -> None:
        deadline = time.monotonic() + 60
        while walk._taken is None and not walk._answer.closed:
            assert time.monotonic() < deadline
            walk.collect()
            time.sleep(0.01)

    walk = kept_site._walk_elsewhere(tmp_path / "site")
    walk.collect()  # a spawned Python is still starting: nothing to read yet
    assert walk._taken is None and not walk._answer.closed
    collected(walk)
    assert walk._answer.closed
    walk.collect()  # read once
    assert walk.result() == kept_site._make_safe(tmp_path / "site")
    assert walk._taken is None  # given once
    gone = kept_site._walk_elsewhere(tmp_path / "gone")
    collected(gone)
    with pytest.raises(FileNotFoundError):
        gone.result()
    dead = kept_site._walk_elsewhere(tmp_path / "site")
    dead._process.kill()
    collected(dead)  # its end is read as its answer: none
    with pytest.raises(OSError, match=r"^the walk of the kept site stopped"):
        dead.result()


def test_a_walk_that_fails_otherwise_sends_back_an_os_error(tmp_path, monkeypatch):
    """Whatever the walk raises reaches the build as an OSError (a build from an
    empty folder), never as an error the build would stop on."""
    def broken(folder: Path) -> int:
        raise ValueError("a bug")

    monkeypatch.setattr(kept_site, "_make_safe", broken)
    receive, send = multiprocessing.Pipe(duplex=False)
    kept_site._walk_and_answer(tmp_path, send)
    answer = receive.recv()
    assert type(answer) is OSError
    assert str(answer) == "the walk of the kept site failed: ValueError('a bug')"


def test_a_walk_process_that_dies_is_an_os_error(tmp_path):
    """Killed (out of memory, say) before it answers: an OSError, which the build
    turns into a build from an empty folder."""
    (tmp_path / "site").mkdir()
    walk = kept_site._walk_elsewhere(tmp_path / "site")
    walk._process.kill()  # long before a spawned Python has imported the walk
    with pytest.raises(OSError, match=r"^the walk of the kept site stopped \(exit code -?\d+\)$"):
        walk.result()


def ignores_case(folder: Path) -> bool:
    (folder / "Probe").mkdir(parents=True)
    try:
        return (folder / "probe").exists()
    finally:
        (folder / "Probe").rmdir()


def test_sweep_renames_what_changed_only_in_case(tmp_path):
    """What a case-insensitive file system (Windows, macOS) leaves when content/FAQ.md
    becomes faq.md: MkDocs wrote faq/index.html into the existing FAQ/ folder; a
    writer wrote its file into one spelt otherwise."""
    site = tmp_path / "site"
    (site / "FAQ").mkdir(parents=True)
    (site / "FAQ/index.html").write_text("new", encoding="utf-8")
    (site / "du-lieu").mkdir()
    (site / "du-lieu/Products.JSON").write_text("new", encoding="utf-8")
    (site / "du-lieu/cu.json").write_text("stale", encoding="utf-8")
    removed = sweep(site, {"faq/index.html", "du-lieu/products.json"})
    assert removed == 1
    assert snapshot(site) == {"du-lieu/products.json": b"new", "faq/index.html": b"new"}
    assert sorted(p.name for p in site.iterdir()) == ["du-lieu", "faq"]


def test_sweep_removes_the_other_spelling_where_both_exist(tmp_path):
    """A case-sensitive system (Linux) can hold both: the one not produced is stale."""
    site = tmp_path / "site"
    if ignores_case(site):
        pytest.skip("this file system ignores case")
    for name in ("Cu", "cu"):
        (site / name).mkdir()
        (site / name / "index.html").write_text(name, encoding="utf-8")
    (site / "cu/INDEX.html").write_text("stale", encoding="utf-8")
    assert sweep(site, {"cu/index.html"}) == 2
    assert snapshot(site) == {"cu/index.html": b"cu"}


def test_sweep_from_the_listing_made_before_the_build(tmp_path):
    """The safety walk's listing is from before the build: what the build added since
    (a file in a listed folder, a new folder, a name in another case) is kept, what it
    removed is no error, and a stale file is never renamed over a produced one."""
    site = tmp_path / "site"
    for path in ("a/old.html", "b/stale.html", "c/keep.html", "gone.html", "cu/INDEX.html"):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("old", encoding="utf-8")
    removed, listing, _ = kept_site._make_safe(site)
    assert removed == 0
    # The build.
    (site / "a/new.html").write_text("new", encoding="utf-8")
    (site / "d").mkdir()
    (site / "d/new.html").write_text("new", encoding="utf-8")
    (site / "gone.html").unlink()
    (site / "c/keep.html").write_text("new", encoding="utf-8")
    produced = {"a/new.html", "d/new.html", "c/keep.html", "cu/index.html"}
    if not ignores_case(site):
        (site / "cu/index.html").write_text("new", encoding="utf-8")
    else:
        (site / "cu/INDEX.html").write_text("new", encoding="utf-8")
    removed = sweep(site, produced, listing)
    assert snapshot(site) == {path: b"new" for path in produced}
    assert removed == (3 if not ignores_case(site) else 2)
    assert folders(site) == ["a", "c", "cu", "d"]


def test_sweep_never_removes_a_listed_name_the_folder_no_longer_has(tmp_path, monkeypatch):
    """Logo.PNG became logo.png: the build removed the old file and wrote the new one.
    On a system that ignores case, removing the listed Logo.PNG would remove logo.png."""
    site = tmp_path / "site"
    (site / "img").mkdir(parents=True)
    (site / "img/Logo.PNG").write_bytes(b"old")
    listing = kept_site._make_safe(site)[1]
    (site / "img/Logo.PNG").unlink()
    (site / "img/logo.png").write_bytes(b"new")
    removed: list[str] = []
    unlink = os.unlink
    monkeypatch.setattr(os, "unlink", lambda path: (removed.append(os.fspath(path)),
                                                    unlink(path))[1])
    assert sweep(site, {"img/logo.png"}, listing) == 0
    assert removed == []
    assert snapshot(site) == {"img/logo.png": b"new"}


def test_a_listing_of_what_was_produced_and_nothing_else_needs_no_sweep(tmp_path):
    """``_lists_exactly``: the sweep's shortcut when the folder held, before the build,
    the paths the build produced, spelt the same (the usual case after one edit)."""
    site = tmp_path / "site"
    produced = {"index.html", "a/index.html", "a/b/c/index.html", "a/b/c/x.json", "d/e.svg"}
    for path in produced:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("x", encoding="utf-8")
    listing = kept_site._make_safe(site)[1]
    assert kept_site._lists_exactly(listing, produced)
    assert sweep(site, produced, listing) == 0
    assert set(snapshot(site)) == produced

    def variant(change) -> dict[str, str]:
        other = dict(listing)
        change(other)
        return other

    for other in (
        variant(lambda o: o.update({"d/": "e.svg\0old.svg"})),  # a stale file
        variant(lambda o: o.update({"": o[""] + "\0f/", "f/": ""})),  # an empty folder
        variant(lambda o: o.update({"a/b/c/": "index.html"})),  # a file missing
        variant(lambda o: o.update({"d/": "E.svg"})),  # another spelling
        variant(lambda o: o.update({"a/b/c/": "index.html\0x.json/", "a/b/c/x.json/": ""})),
    ):
        assert not kept_site._lists_exactly(other, produced), other
    assert not kept_site._lists_exactly(listing, produced | {"g/index.html"})
    # An empty folder beside a produced path spelt as a folder (no writer makes one; an
    # empty folder's listing, split, is one empty name, which would pass for that path).
    empty = variant(lambda o: o.update({"": o[""] + "\0f/", "f/": ""}))
    assert not kept_site._lists_exactly(empty, produced | {"f/"})
    assert not kept_site._lists_exactly(listing, produced - {"d/e.svg"})


def test_recover_removes_a_spare_left_half_removed(tmp_path):
    (tmp_path / ".site.spare.trash-4242-abcd/x").mkdir(parents=True)
    recover(tmp_path / "site")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "nt", reason="junctions are Windows folders")
def test_a_junction_in_the_spare_is_removed_not_followed(mini_project, fixed_date, caplog,
                                                         tmp_path):
    import _winapi

    project = mini_project
    build(project, caplog)
    build(project, caplog)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the site's", encoding="utf-8")
    shutil.rmtree(project / ".site.spare" / "san-pham")  # CreateJunction makes the folder
    _winapi.CreateJunction(str(outside), str(project / ".site.spare" / "san-pham"))
    build(project, caplog)
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert (project / "site/san-pham/duong-thot-not/index.html").is_file()


def test_a_writer_leaves_a_file_that_already_holds_its_bytes(tmp_path, sample_catalogue,
                                                              monkeypatch):
    site = tmp_path / "site"
    context = OutputContext(catalogue=sample_catalogue, site_dir=site, site_url="/", page_urls=(),
                            kept_site=True)
    write_bytes(context, "du-lieu/a.json", b"[1]\n")
    path = site / "du-lieu/a.json"
    os.utime(path, ns=(1, 1))
    write_bytes(context, "du-lieu/a.json", b"[1]\n")
    assert path.stat().st_mtime_ns == 1  # not written again
    write_bytes(context, "du-lieu/a.json", b"[2]\n")
    assert path.read_bytes() == b"[2]\n"
    # Compared a piece at a time (here 4 bytes): the same bytes over several pieces
    # are left, a difference in any piece (the last, shorter, one too) is written.
    from generator.write import files

    monkeypatch.setattr(files, "_COMPARED", 4)
    data = bytearray(b"0123456789abcdefghij-")
    write_bytes(context, "du-lieu/a.json", data)
    os.utime(path, ns=(1, 1))
    write_bytes(context, "du-lieu/a.json", bytes(data))
    assert path.stat().st_mtime_ns == 1
    for at in (0, 5, 20):
        changed = bytearray(data)
        changed[at] = ord("X")
        write_bytes(context, "du-lieu/a.json", changed)
        assert path.read_bytes() == changed and path.stat().st_mtime_ns != 1
        write_bytes(context, "du-lieu/a.json", data)
        os.utime(path, ns=(1, 1))
    with pytest.raises(ValueError, match=r"output path among the photos: anh/x\.webp"):
        write_bytes(context, "anh/x.webp", b"")


class _Photos:
    """A media library's variants: their names, in its cache folder."""

    def __init__(self, cache: Path, names: list[str]) -> None:
        self._cache, self._names = cache, names

    def cache_folder(self) -> str:
        return os.fspath(self._cache)

    def variant_names(self) -> list[str]:
        return self._names


def test_photos_a_kept_site_links_already_are_left_the_others_linked(tmp_path,
                                                                       sample_catalogue):
    cache, site = tmp_path / "cache", tmp_path / "site"
    cache.mkdir()
    (site / "anh").mkdir(parents=True)
    names = ["a.webp", "b.webp", "c.webp", "d.webp", "e.webp"]
    for name in names:
        (cache / name).write_bytes(name.encode())
    os.link(cache / "a.webp", site / "anh/a.webp")  # as the last build left it
    (site / "anh/b.webp").write_bytes(b"b.webp")  # a copy: same bytes, not the file
    os.symlink(cache / "d.webp", site / "anh/d.webp")  # a link to it, not the file
    os.link(cache / "a.webp", site / "anh/e.webp")  # a cached file, but another one
    (cache / "old.webp").write_bytes(b"old")
    os.link(cache / "old.webp", site / "anh/old.webp")  # linked, no longer a variant
    media = _Photos(cache, names)
    assert photos._linked(os.fspath(site / "anh"), os.fspath(cache), names) == {"a.webp"}
    context = OutputContext(catalogue=sample_catalogue, site_dir=site, site_url="/",
                            page_urls=(), kept_site=True, media=media)  # type: ignore[arg-type]
    assert photos.write(context) == [f"anh/{name}" for name in names]
    for name in names:
        assert os.path.samefile(site / "anh" / name, cache / name)
        assert not (site / "anh" / name).is_symlink()


@pytest.mark.parametrize("kept", [True, False])
def test_photos_into_a_site_without_their_folder(tmp_path, sample_catalogue, kept):
    """The first build into a kept folder, or a site built afresh: the folder is made
    and every variant linked; with no variant, no folder."""
    cache, site = tmp_path / "cache", tmp_path / "site"
    cache.mkdir()
    site.mkdir()
    names = ["a.webp", "b.jpg"]
    for name in names:
        (cache / name).write_bytes(name.encode())

    def write(names: list[str]) -> list[str]:
        return photos.write(OutputContext(
            catalogue=sample_catalogue, site_dir=site, site_url="/", page_urls=(),
            kept_site=kept, media=_Photos(cache, names)))  # type: ignore[arg-type]

    assert write([]) == []
    assert not (site / "anh").exists()
    assert write(names) == ["anh/a.webp", "anh/b.jpg"]
    for name in names:
        assert os.path.samefile(site / "anh" / name, cache / name)


def test_photos_on_another_device_are_copied(tmp_path, sample_catalogue, monkeypatch):
    """Where the cache is on another file system than the site, no file is taken as
    linked and each is copied (a hard link cannot cross devices)."""
    cache, site = tmp_path / "cache", tmp_path / "site"
    cache.mkdir()
    (site / "anh").mkdir(parents=True)
    (cache / "a.webp").write_bytes(b"a")
    os.link(cache / "a.webp", site / "anh/a.webp")
    real_stat = os.stat

    class Other:
        def __init__(self, st: os.stat_result) -> None:
            self.st_dev = st.st_dev + 1

    def stat(path: str, *args: object, **kwargs: object) -> object:
        st = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        return Other(st) if os.fspath(path) == os.fspath(cache) else st

    def no_link(source: str, target: str) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(photos.os, "stat", stat)
    assert photos._linked(os.fspath(site / "anh"), os.fspath(cache), ["a.webp"]) == set()
    monkeypatch.setattr(photos.os, "link", no_link)
    (site / "anh/a.webp").unlink()
    assert photos.write(OutputContext(
        catalogue=sample_catalogue, site_dir=site, site_url="/", page_urls=(), kept_site=True,
        media=_Photos(cache, ["a.webp"]))) == ["anh/a.webp"]  # type: ignore[arg-type]
    assert (site / "anh/a.webp").read_bytes() == b"a"
    assert not os.path.samefile(site / "anh/a.webp", cache / "a.webp")


def test_a_librarys_variants_are_named_once_in_order_and_plain(tmp_path):
    """What ``photos.write`` links: each variant file once (two photos with the same
    bytes share theirs), sorted; a name that is not a plain file name is refused."""
    def image(digest: str, *names: str) -> ProcessedImage:
        variants = tuple(ImageVariant(1, 1, "webp", name) for name in names)
        return ProcessedImage(digest, 1, 1, variants, ImageVariant(1, 1, "jpeg", digest + ".jpg"))

    def library(images: dict[Path, ProcessedImage]) -> MediaLibrary:
        media = MediaLibrary(tmp_path / "cache", SourceLayout.default(tmp_path), jobs=1)
        media._images = images
        return media

    media = library({tmp_path / "b.jpg": image("b", "b-1.webp", "b-2.webp"),
                     tmp_path / "a.jpg": image("a", "a-1.webp"),
                     tmp_path / "a-again.jpg": image("a", "a-1.webp")})
    names = ["a-1.webp", "a.jpg", "b-1.webp", "b-2.webp", "b.jpg"]
    assert media.variant_names() == names
    assert media.site_paths() == {f"anh/{name}" for name in names}
    assert media.cache_folder() == os.fspath(tmp_path / "cache")
    assert library({}).variant_names() == []
    for name in (".", "..", "", "x/y.webp", "x\\y.webp", "c:y.webp", "x\0y.webp"):
        with pytest.raises(ValueError, match=re.escape(f"not a variant file name: {name!r}")):
            library({tmp_path / "c.jpg": image("c", name)}).variant_names()


def test_the_walk_sees_each_file_as_the_file_system_does(tmp_path, monkeypatch):
    """``Seen`` answers ``as_written`` from the walk's sizes and times: for a file
    alone in its folder and for one among many; a photo link (not looked at), a name
    the walk did not see and a path written since are asked of the file system."""
    site = tmp_path / "site"
    many = [f"c/{i}.txt" for i in range(12)]  # a folder indexed, not searched
    for path in ("a/index.html", "b/one.txt", "b/two.txt", "b/three.txt", "anh/x.webp", *many):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(path, encoding="utf-8")
    (site / "b/sub").mkdir()
    removed, listing, stats = kept_site._make_safe(site)
    assert removed == 0 and "anh/" not in stats
    seen = Seen(os.fspath(site), listing, stats)
    asked: list[str] = []
    real = written.as_written
    monkeypatch.setattr(written, "as_written",
                        lambda path, *entry: (asked.append(path), real(path, *entry))[1])

    def entry(path: str) -> tuple[int, int]:
        st = os.lstat(site / path)
        return st.st_size, st.st_mtime_ns

    for path in ("a/index.html", "b/one.txt", "b/two.txt", "b/three.txt", *many):
        size, mtime = entry(path)
        assert seen.as_written(path, size, mtime)
        assert not seen.as_written(path, size + 1, mtime)
        assert not seen.as_written(path, size, mtime + 1)
    assert asked == []
    assert seen.as_written("anh/x.webp", *entry("anh/x.webp"))
    assert not seen.as_written("b/sub", 0, 0)
    assert not seen.as_written("b/four.txt", 1, 1)
    # Written since the walk: the walk's size and time no longer count.
    before = entry("b/two.txt")
    (site / "b/two.txt").write_text("changed", encoding="utf-8")
    seen.mark("b/two.txt")
    assert not seen.as_written("b/two.txt", *before)
    assert seen.as_written("b/two.txt", *entry("b/two.txt"))
    assert asked == [os.path.join(site, p) for p in (
        "anh/x.webp", "b/sub", "b/four.txt", "b/two.txt", "b/two.txt")]
    # A path written under another spelling (one file where the file system ignores
    # case): asked of the file system too.
    asked.clear()
    seen.mark("B/One.TXT")
    assert seen.as_written("b/one.txt", *entry("b/one.txt"))
    assert asked == [os.path.join(site, "b/one.txt")]


def test_pages_rendered_again_are_written_over_in_place(mini_project, fixed_date, caplog,
                                                        monkeypatch, tmp_path):
    """Every page rendered (no page cache), into the kept folder: a page whose file
    holds its bytes already is left as it is (its time unchanged), others written over
    (longer or of the same size), one whose folder is gone written in a new folder;
    the site is the clean build's."""
    project = mini_project
    build(project, caplog)
    build(project, caplog)
    spare = project / ".site.spare"
    same = spare / PAGE
    os.utime(same, ns=(1, 1))
    changed = spare / "nhom/index.html"
    changed.write_text(changed.read_text(encoding="utf-8").replace("<title>", "<title>X"),
                       encoding="utf-8")
    # Changed, of the same size: read, then written over.
    producer = spare / "chu-the/htx-thot-not-mau/index.html"
    size = producer.stat().st_size
    producer.write_text(producer.read_text(encoding="utf-8").replace("<title>", "<TITLE>"),
                        encoding="utf-8")
    assert producer.stat().st_size == size
    gone = spare / "san-pham/mam-ca-linh"
    shutil.rmtree(gone)
    assert build(project, caplog) == (0, 0)
    site = project / "site"
    assert (site / PAGE).stat().st_mtime_ns == 1
    assert (site / "san-pham/mam-ca-linh/index.html").is_file()
    assert snapshot(site) == snapshot(clean_build(project, tmp_path / "clean", monkeypatch))


def test_a_manifest_is_the_json_of_its_entries_written_in_chunks(tmp_path, monkeypatch):
    """Written a chunk of entries at a time, the manifest is byte for byte what one
    ``json.dumps`` of it makes, and reads back the same."""
    monkeypatch.setattr(kept_site, "_JSON_CHUNK", 3)
    folder = tmp_path / "site"
    folder.mkdir()
    pages = {f"san-pham/trà-{i}/index.html": [f"{i:032x}", 100 + i, 10**18 + i]
             for i in range(10)}
    files = {"lich.ics": ["ab" * 16, 7, 1], 'a"b\\c.json': ["cd" * 16, 8, 2, ["x"]]}
    for made_pages, made_files in ((pages, files), ({}, {}), (dict(list(pages.items())[:3]),
                                                             {})):
        kept_site.save_manifest(tmp_path / "manifests", folder, made_pages, made_files)
        path = kept_site.manifest_path(tmp_path / "manifests", folder)
        whole = {"format": kept_site.MANIFEST_FORMAT, "pages": made_pages,
                 "files": made_files}
        assert path.read_bytes() == json.dumps(whole, ensure_ascii=False,
                                               separators=(",", ":")).encode()
        assert json.loads(path.read_text(encoding="utf-8")) == whole
