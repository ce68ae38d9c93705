"""The live site is there at every instant: faults injected at each step of the swap.

``publish`` puts a built site in place of the old one (atomic exchange where the
system has it, else two renames with a restore); ``recover`` undoes what a killed
build left; ``build_site`` turns a file held open into a plain message.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import leftovers, snapshot

from generator.adapter import publish as publishing
from generator.adapter.publish import BuildFailed, build_site, publish, recover


def site_with(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def sites(tmp_path: Path) -> tuple[Path, Path]:
    """(the live site, a newly built one beside it)."""
    return (site_with(tmp_path / "site", "old"),
            site_with(tmp_path / ".site.new-1-test", "new"))


def watch_replace(monkeypatch: pytest.MonkeyPatch, target: Path, fail_on: int = 0,
                  error: BaseException | None = None) -> list[bool]:
    """Record, before each os.replace, whether ``target`` holds a site; raise ``error``
    at call number ``fail_on`` (1-based)."""
    seen: list[bool] = []
    real = os.replace

    def replace(src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        seen.append((target / "index.html").exists())
        if len(seen) == fail_on:
            assert error is not None
            raise error
        real(src, dst)

    monkeypatch.setattr(publishing.os, "replace", replace)
    return seen


@pytest.mark.skipif(not sys.platform.startswith(("linux", "darwin")),
                    reason="Windows has no atomic exchange of two folders")
def test_exchange_swaps_in_one_step(sites: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch):
    site, new = sites
    seen = watch_replace(monkeypatch, site)
    publish(new, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert seen == []  # no rename: no instant without a site
    assert leftovers(site.parent) == []


def test_two_renames_when_the_system_cannot_exchange(sites: tuple[Path, Path],
                                                     monkeypatch: pytest.MonkeyPatch):
    site, new = sites
    monkeypatch.setattr(publishing, "exchange", lambda a, b: False)
    seen = watch_replace(monkeypatch, site)
    publish(new, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert seen == [True, False]  # the old site moved aside, then the new one moved in
    assert leftovers(site.parent) == []


@pytest.mark.parametrize("atomic", [True, False])
def test_the_old_site_is_kept_as_the_spare(sites: tuple[Path, Path], atomic: bool,
                                           monkeypatch: pytest.MonkeyPatch):
    """The next build writes into it (adapter/kept_site.py); one spare at most."""
    site, new = sites
    if not atomic or not sys.platform.startswith(("linux", "darwin")):
        monkeypatch.setattr(publishing, "exchange", lambda a, b: False)
    site_with(site.parent / ".site.spare", "left by another build")
    publish(new, site, site.parent / ".site.spare")
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert (site.parent / ".site.spare/index.html").read_text(encoding="utf-8") == "old"
    assert leftovers(site.parent) == [".site.spare"]


def test_a_failed_second_rename_puts_the_old_site_back(sites: tuple[Path, Path],
                                                       monkeypatch: pytest.MonkeyPatch):
    site, new = sites
    monkeypatch.setattr(publishing, "exchange", lambda a, b: False)
    watch_replace(monkeypatch, site, fail_on=2, error=PermissionError(13, "Access is denied"))
    with pytest.raises(PermissionError):
        publish(new, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
    assert leftovers(site.parent) == [".site.new-1-test"]  # build_site removes it


def test_a_failed_exchange_leaves_both_sites(sites: tuple[Path, Path],
                                             monkeypatch: pytest.MonkeyPatch):
    site, new = sites

    def refuse(a: Path, b: Path) -> bool:
        raise PermissionError(13, "Permission denied", str(b))

    monkeypatch.setattr(publishing, "exchange", refuse)
    with pytest.raises(PermissionError):
        publish(new, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "old"


def test_recover_puts_back_a_site_a_killed_build_left_aside(tmp_path: Path):
    """A kill between the two renames leaves no site/ and the old one aside."""
    site_with(tmp_path / ".site.old-4242-aaaa", "old")
    recover(tmp_path / "site")
    assert (tmp_path / "site/index.html").read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []


def test_recover_removes_leftovers_of_crashed_builds(tmp_path: Path):
    site_with(tmp_path / "site", "live")
    site_with(tmp_path / ".site.old-4242-aaaa", "aside after a crash")
    site_with(tmp_path / ".site.new-999999999-x", "staging of a dead build")
    site_with(tmp_path / f".site.new-{os.getpid()}-y", "this process' own old staging")
    recover(tmp_path / "site")
    assert (tmp_path / "site/index.html").read_text(encoding="utf-8") == "live"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name == "nt", reason="process liveness is not checked on Windows")
def test_recover_keeps_the_staging_folder_of_a_build_still_running(tmp_path: Path):
    site_with(tmp_path / "site", "live")
    site_with(tmp_path / f".site.new-{os.getppid()}-z", "a build running now")
    recover(tmp_path / "site")
    assert leftovers(tmp_path) == [f".site.new-{os.getppid()}-z"]


def test_a_file_held_open_is_a_plain_message(built, monkeypatch: pytest.MonkeyPatch):
    """Windows: an indexer or antivirus holds a file of site/ open; no traceback, and
    the previous site stays, untouched."""
    project, before = built

    def held(staging: Path, target: Path, spare: Path | None = None) -> None:
        raise PermissionError(13, "Access is denied", str(target))

    monkeypatch.setattr(publishing, "publish", held)
    with pytest.raises(BuildFailed) as caught:
        build_site(project / "mkdocs.yml", project / "site")
    assert str(caught.value) == (
        f"The new site could not replace {project / 'site'}: Access is denied. A program may "
        "be holding a file in it open (a file browser, an antivirus, a local web server): "
        "close it and build again.")
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_the_next_build_restores_then_replaces(built):
    project, _ = built
    os.replace(project / "site", project / ".site.old-4242-aaaa")  # as a kill leaves it
    build_site(project / "mkdocs.yml", project / "site")
    assert (project / "site/index.html").is_file()
    assert leftovers(project) == [".site.spare"]  # the old site, kept for the next build


def test_ocop_build_writes_the_generated_pages_and_the_site_is_mkdocs_own(
        mini_project: Path, fixed_date: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """``ocop build`` has MkDocs skip the stand-ins of the generated pages (rendering
    each stand-in made a whole page context for HTML made already) and writes their
    HTML itself; the site is byte for byte the one ``mkdocs build`` makes, which renders
    every stand-in: into an empty folder, and into the kept previous site after an
    edit (the pages that show it written again, the others left)."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    from generator.adapter import plugin as plugin_module
    from generator.adapter.pages import CataloguePage

    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    rendered_by_mkdocs: list[str] = []
    real = mkdocs_build._build_page

    def spy(page, config, doc_files, nav, env, dirty=False, excluded=False):
        if isinstance(page, CataloguePage) and (not dirty or page.file.is_modified()):
            rendered_by_mkdocs.append(page.url)
        return real(page, config, doc_files, nav, env, dirty, excluded)

    written_by_plugin: list[str] = []
    real_write, real_write_over = plugin_module.write_file, plugin_module.write_over

    def write(content: bytes, path: str) -> None:
        written_by_plugin.append(Path(path).as_posix())
        real_write(content, path)

    def write_over(path: str, content: bytes) -> None:  # into the kept site
        written_by_plugin.append(Path(path).as_posix())
        real_write_over(path, content)

    monkeypatch.setattr(mkdocs_build, "_build_page", spy)
    monkeypatch.setattr(plugin_module, "write_file", write)
    monkeypatch.setattr(plugin_module, "write_over", write_over)

    def mkdocs_site(folder: Path) -> dict[str, bytes]:
        mkdocs_build.build(load_config(str(mini_project / "mkdocs.yml"), site_dir=str(folder)))
        assert rendered_by_mkdocs  # the spy sees MkDocs' own pass over the stand-ins
        assert written_by_plugin == []
        rendered_by_mkdocs.clear()
        return snapshot(folder)

    def ocop_site() -> tuple[dict[str, bytes], list[str]]:
        site = build_site(mini_project / "mkdocs.yml", mini_project / "site")
        assert rendered_by_mkdocs == []
        written = [w.removeprefix(w.split("/san-pham/")[0]) for w in written_by_plugin
                   if "/san-pham/" in w]
        written_by_plugin.clear()
        return snapshot(site), written

    plain = mkdocs_site(tmp_path / "plain")
    for _ in range(2):  # an empty folder, twice (the first site becomes the spare)
        site, written = ocop_site()
        assert site == plain and "/san-pham/duong-thot-not/index.html" in written
    assert leftovers(mini_project) == [".site.spare"]
    product = mini_project / "products/htx-thot-not-mau/duong-thot-not.yaml"
    text = product.read_text(encoding="utf-8")
    assert "Đường thốt nốt nguyên chất" in text
    product.write_text(text.replace("Đường thốt nốt nguyên chất", "Đường thốt nốt loại một"),
                       encoding="utf-8")
    edited = mkdocs_site(tmp_path / "edited")
    site, written = ocop_site()  # into the kept site
    assert site == edited
    assert "/san-pham/duong-thot-not/index.html" in written  # shows the name
    assert "/san-pham/mam-ca-linh/index.html" not in written  # left as it was


def test_a_page_of_white_space_is_not_written_as_mkdocs_does_not():
    """``ocop build`` writes a generated page's bytes as rendered (UTF-8), and skips
    one MkDocs would skip: ``str.strip`` leaves nothing of it, Unicode's white space
    included (a page of ideographic spaces), not only ASCII's."""
    from generator.adapter.plugin import _blank

    for text in ("", " \n\t", "\u3000\u00a0\n", "\u2028"):
        assert _blank(text.encode()), repr(text)
    for text in ("<p>", " \n<html>", "x", "\u3000x", " \u00e9"):
        assert not _blank(text.encode()), repr(text)
