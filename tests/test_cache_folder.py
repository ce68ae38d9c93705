"""The cache folder (``plugins.ocop.cache_dir``): inside the project, or no check and
no build. The build writes there and deletes files it names there (QR codes, record
shards, a page cache it cannot open, kept-site manifests): a pull request that set it
outside the project, or made ``.cache`` a link, would have it do so anywhere."""

from __future__ import annotations

import logging
import os
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


@pytest.mark.parametrize(("value", "expected"), [
    ("content/.ocop-cache", "the folder 'content/.ocop-cache' is inside docs_dir ('content'): "
                            "MkDocs would publish the cache with the site"),
    ("site/cache", "the folder 'site/cache' is inside site_dir ('site'): each build replaces "
                   "that folder"),
    ("products", "the folder 'products' is products_dir ('products'): the catalogue is read "
                 "from there"),
    (".", "the folder '.' holds docs_dir ('content'): MkDocs would publish the cache with "
          "the site"),
])
def test_a_cache_folder_among_the_sites_folders_stops_check_and_build_untouched(
        value: str, expected: str, mini_project: Path, capsys: pytest.CaptureFixture[str],
        fixed_date: None):
    """Inside the project but where MkDocs would publish it (its signing key with it),
    where each build replaces the folder, or among the records: refused before anything
    is read or written, by ``ocop check`` and ``ocop build`` alike."""
    _with_cache_dir(mini_project, value)
    before = _contents(mini_project)
    message = (f"error: Plugin 'ocop' option 'cache_dir': {expected}; keep the cache apart "
               "from it (the default is .cache/ocop)\n")
    for command in ("check", "build"):
        assert _run(mini_project, command, capsys) == (2, message), command
    assert _contents(mini_project) == before
    assert not (mini_project / "site").exists()


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
        "Plugin 'ocop' option 'cache_dir': the folder 'content/cache' is inside docs_dir "
        "('content'): MkDocs would publish the cache with the site; keep the cache apart "
        "from it (the default is .cache/ocop)"]
    assert not (mini_project / "content/cache").exists()
