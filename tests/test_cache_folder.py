"""The cache folder (``plugins.ocop.cache_dir``): inside the project, or no check and
no build. The build writes there and deletes files it names there (QR codes, record
shards, a page cache it cannot open, kept-site manifests): a pull request that set it
outside the project, or made ``.cache`` a link, would have it do so anywhere."""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

import pytest

from generator.cli import main


def _with_cache_dir(project: Path, value: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  - ocop:\n" in text
    config.write_text(text.replace("\n  - ocop:\n", f"\n  - ocop:\n      cache_dir: {value}\n", 1),
                      encoding="utf-8")


def _outside(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A folder outside the project holding files of the names the build deletes."""
    outside = tmp_path / "elsewhere"
    files = {"qr/nhan.svg": b"<svg/>", "pages.sqlite3": b"not a page cache",
             "records-00.pickle": b"someone's data", "sites/site/notes.txt": b"notes"}
    for rel, data in files.items():
        (outside / rel).parent.mkdir(parents=True, exist_ok=True)
        (outside / rel).write_bytes(data)
    return outside, files


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in folder.rglob("*") if path.is_file()}


def _run(project: Path, command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["-f", str(project / "mkdocs.yml"), command])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.mark.parametrize("how", ["absolute", "dot-dot", "link"])
def test_a_cache_folder_outside_the_project_stops_check_and_build_untouched(
        how: str, mini_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, fixed_date: None):
    outside, files = _outside(tmp_path)
    if how == "absolute":
        _with_cache_dir(mini_project, str(outside))
    elif how == "dot-dot":
        _with_cache_dir(mini_project, "../elsewhere")
    else:
        if sys.platform == "win32":
            pytest.skip("making a link needs a privilege on Windows")
        # The default folder, .cache/ocop, through a link committed as .cache.
        (mini_project / ".cache").symlink_to(tmp_path, target_is_directory=True)
        (tmp_path / "ocop").symlink_to(outside, target_is_directory=True)
    shown = os.path.relpath(outside, mini_project.resolve()).replace(os.sep, "/")
    expected = (f"Config value 'plugins': Plugin 'ocop' option 'cache_dir': the folder "
                f"'{shown}' is outside the project; keep it inside")
    for command in ("check", "build"):
        caplog.clear()
        # MkDocs logs what it refused as it reads mkdocs.yml, then stops: status 2, as
        # for a mkdocs.yml it cannot read.
        assert _run(mini_project, command, capsys) == (2, ""), command
        assert [(r.levelno, r.getMessage()) for r in caplog.records
                if r.levelno >= logging.WARNING] == [(logging.ERROR, expected)], command
    assert _contents(outside) == files
    assert not (mini_project / "site").exists()


def test_a_cache_folder_inside_the_project_is_used(mini_project: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   fixed_date: None):
    """A folder of the project's own, even through a link that stays inside it."""
    if sys.platform == "win32":
        pytest.skip("making a link needs a privilege on Windows")
    (mini_project / "kept").mkdir()
    (mini_project / "here").symlink_to(mini_project / "kept", target_is_directory=True)
    _with_cache_dir(mini_project, "here/ocop")
    status, out = _run(mini_project, "check", capsys)
    assert status == 0, out
    assert any(path.name.startswith("records-") for path in (mini_project / "kept/ocop").iterdir())


SET = ("leave cache_dir out of the ocop plugin's options in mkdocs.yml: the cache is then "
       "in .cache/ocop")


@pytest.mark.parametrize(("value", "expected"), [
    ("content/cache", "the cache folder 'content/cache' is inside docs_dir's folder ('content'): "
                      "MkDocs publishes that folder's files with the site"),
    ("site/cache", "the cache folder 'site/cache' is inside site_dir's folder ('site'): each "
                   "build replaces that folder"),
    ("products", "the cache folder 'products' is products_dir's folder ('products'): the "
                 "catalogue is read from there"),
    ("content/fairs/x", "the cache folder 'content/fairs/x' is inside docs_dir's folder "
                        "('content'): MkDocs publishes that folder's files with the site"),
    ("theme/cache", "the cache folder 'theme/cache' is inside the theme folder (theme: "
                    "custom_dir) ('theme'): MkDocs publishes that folder's files with the site"),
    (".site.spare", "the cache folder '.site.spare' is a folder the build keeps beside the "
                    "site, swaps with it or removes ('.site.spare'): each build replaces that "
                    "folder"),
    (".", "the cache folder '.' holds docs_dir's folder ('content'): MkDocs publishes that "
          "folder's files with the site"),
])
def test_a_cache_folder_among_the_sites_folders_stops_check_and_build_untouched(
        value: str, expected: str, mini_project: Path, capsys: pytest.CaptureFixture[str],
        fixed_date: None):
    """Inside the project but where MkDocs would publish it, where each build replaces
    the folder, or among the records: refused before anything is read or written, by
    ``ocop check`` and ``ocop build`` alike."""
    if value.startswith("theme"):
        (mini_project / "theme").mkdir()
        config = mini_project / "mkdocs.yml"
        config.write_text(re.sub(r"(?m)^  custom_dir: .*$", "  custom_dir: theme",
                                 config.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    _with_cache_dir(mini_project, value)
    before = _tree(mini_project)
    message = f"error: Plugin 'ocop' option 'cache_dir': {expected}; keep them apart ({SET})\n"
    for command in ("check", "build"):
        if value == ".site.spare" and command == "check":
            continue  # only a build has a site folder, and folders beside it
        assert _run(mini_project, command, capsys) == (2, message), command
    assert _tree(mini_project) == before


def test_a_site_folder_given_on_the_command_line_is_named_so(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    """The default cache folder, and a site folder given with --site-dir that holds it:
    the message names the flag and what to do, not cache_dir."""
    before = _tree(mini_project)
    assert main(["-f", str(mini_project / "mkdocs.yml"), "build", "--site-dir",
                 str(mini_project / ".cache")]) == 2
    out = capsys.readouterr()
    assert out.out + out.err == (
        "error: Plugin 'ocop' option 'cache_dir': the cache folder '.cache/ocop' is inside the "
        "site folder given with --site-dir ('.cache'): each build replaces that folder; keep "
        "them apart (the cache is in .cache/ocop by default: give --site-dir another folder)\n")
    assert _tree(mini_project) == before


def test_a_cache_folder_named_in_other_letters_is_the_same_folder(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    """On a case-insensitive disk (macOS, Windows) 'Content/cache' is inside 'content'."""
    if not (mini_project / "CONTENT").exists():
        pytest.skip("needs a case-insensitive disk (macOS, Windows)")
    _with_cache_dir(mini_project, "Content/cache")
    status, out = _run(mini_project, "check", capsys)
    assert status == 2 and "is inside docs_dir's folder" in out


def test_folders_are_compared_by_identity(tmp_path: Path):
    """What makes 'Content/cache' inside 'content' on a case-insensitive disk: two names of
    one folder are the same folder (here, a link and its target)."""
    from generator.adapter.config import _same

    if sys.platform == "win32":
        pytest.skip("making a link needs a privilege on Windows")
    (tmp_path / "content").mkdir()
    (tmp_path / "Content").symlink_to(tmp_path / "content", target_is_directory=True)
    assert _same(tmp_path / "Content", tmp_path / "content")
    assert not _same(tmp_path / "Content" / "cache", tmp_path / "content")
    assert not _same(tmp_path / "missing", tmp_path / "content")


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None) under ``folder``."""
    return {path.relative_to(folder).as_posix(): None if path.is_dir() else path.read_bytes()
            for path in sorted(folder.rglob("*"))}


def test_mkdocs_itself_refuses_a_cache_folder_in_docs_dir(mini_project: Path,
                                                          caplog: pytest.LogCaptureFixture):
    """`mkdocs build` and `mkdocs serve` run the plugin's on_config: the same check,
    as MkDocs reports a plugin's error."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    _with_cache_dir(mini_project, "content/cache")
    config = load_config(str(mini_project / "mkdocs.yml"))
    with pytest.raises(Abort):
        build(config)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        "Plugin 'ocop' option 'cache_dir': the cache folder 'content/cache' is inside "
        "docs_dir's folder ('content'): MkDocs publishes that folder's files with the site; "
        f"keep them apart ({SET})"]
    assert not (mini_project / "content/cache").exists()
