"""Record Markdown converted by earlier builds: read back only when signed with our
key, for the same text and code; a site built with it is the site built without."""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from conftest import FIXED_EPOCH, copy_sample, snapshot

from generator.adapter import parallel
from generator.adapter.publish import build_site
from generator.render import markdown_cache, sanitize
from generator.render.markdown_cache import CACHE_FILE, MarkdownCache, text_id
from generator.render.sanitize import render_markdown

KEY = b"k" * 32
TEXT = "Bánh **pía** nhân đậu xanh, sầu riêng.\n\n- 4 cái\n- 500 g"
HTML = ("<p>Bánh <strong>pía</strong> nhân đậu xanh, sầu riêng.</p>\n"
        "<ul>\n<li>4 cái</li>\n<li>500 g</li>\n</ul>")


@pytest.fixture(autouse=True)
def _no_cache_left():
    yield
    sanitize.keep_converted(None)


def _converted_with(cache: MarkdownCache, *texts: str) -> list[str]:
    sanitize.keep_converted(cache)
    try:
        return [str(render_markdown(text)) for text in texts]
    finally:
        sanitize.keep_converted(None)


def test_a_conversion_is_kept_and_read_back_by_the_next_build(tmp_path: Path) -> None:
    first = MarkdownCache(tmp_path / CACHE_FILE, KEY)
    assert _converted_with(first, TEXT, TEXT) == [HTML, HTML]
    assert first.commit(every_text=True) == (0, 1)
    first.close()
    second = MarkdownCache(tmp_path / CACHE_FILE, KEY)
    assert _converted_with(second, TEXT, "Khác") == [HTML, "<p>Khác</p>"]
    assert second.commit(every_text=True) == (1, 1)


def test_a_row_that_does_not_verify_is_converted_again(tmp_path: Path) -> None:
    """A pull request can add files to the cache folder: a row another key signed, or
    one moved to another text's id, is not put on a page."""
    path = tmp_path / CACHE_FILE
    made = MarkdownCache(path, KEY)
    _converted_with(made, TEXT, "Khác")
    made.commit(every_text=True)
    made.close()
    with sqlite3.connect(path) as db:
        forged = MarkdownCache(path, b"x" * 32)
        script = "<script>alert(1)</script>"
        db.execute("UPDATE converted SET html = ?, mac = ? WHERE text = ?",
                   (script, forged._mac(text_id(TEXT), script), text_id(TEXT)))
        # Another text's row (signed for its own id) under this one's id.
        other = db.execute("SELECT html, mac FROM converted WHERE text = ?",
                           (text_id("Khác"),)).fetchone()
        db.execute("DELETE FROM converted WHERE text = ?", (text_id("Khác"),))
        db.execute("INSERT INTO converted VALUES (?, ?, ?)", (text_id("Thứ ba"), *other))
    again = MarkdownCache(path, KEY)
    assert _converted_with(again, TEXT, "Thứ ba") == [HTML, "<p>Thứ ba</p>"]
    assert again.commit(every_text=True) == (0, 2)


def test_another_code_reads_none_of_the_rows(tmp_path: Path, monkeypatch) -> None:
    made = MarkdownCache(tmp_path / CACHE_FILE, KEY)
    _converted_with(made, TEXT)
    made.commit(every_text=True)
    monkeypatch.setattr(markdown_cache, "_CODE", b"another converter".ljust(32, b"\0"))
    later = MarkdownCache(tmp_path / CACHE_FILE, KEY)
    assert _converted_with(later, TEXT) == [HTML]
    assert later.commit(every_text=True) == (0, 1)


def test_a_file_that_is_not_ours_is_started_again(tmp_path: Path) -> None:
    path = tmp_path / CACHE_FILE
    path.write_bytes(b"not a database at all" * 100)
    cache = MarkdownCache(path, KEY)
    assert _converted_with(cache, TEXT) == [HTML]
    cache.commit(every_text=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE extra (x)")
    cache.close()
    again = MarkdownCache(path, KEY)
    assert _converted_with(again, TEXT) == [HTML]
    assert again.commit(every_text=True) == (0, 1)
    # A link is not followed.
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / CACHE_FILE).symlink_to(path)
    assert MarkdownCache(linked / CACHE_FILE, KEY)._db() is None


def test_rows_no_text_used_are_deleted_after_a_build_that_used_every_text(
        tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(markdown_cache, "SPARE_ROWS", 0)
    path = tmp_path / CACHE_FILE
    made = MarkdownCache(path, KEY)
    _converted_with(made, TEXT, "Hai", "Ba")
    made.commit(every_text=True)

    def rows() -> int:
        with sqlite3.connect(path) as db:
            return int(db.execute("SELECT count(*) FROM converted").fetchone()[0])

    # A build that rendered some pages only used some texts: the others stay.
    some = MarkdownCache(path, KEY)
    _converted_with(some, TEXT)
    some.commit(every_text=False)
    assert rows() == 3
    every = MarkdownCache(path, KEY)
    _converted_with(every, TEXT)
    every.commit(every_text=True)
    assert rows() == 1


def _build(project: Path, caplog, cache: str) -> tuple[dict[str, bytes], tuple[int, int]]:
    caplog.clear()
    with (caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"),
          pytest.MonkeyPatch.context() as patch):
        patch.setenv("OCOP_PAGE_CACHE", cache)
        site = build_site(project / "mkdocs.yml", project / "site")
    counts = (0, 0)
    for record in caplog.records:
        found = re.fullmatch(r"ocop markdown: (\d+) texts read from the cache, "
                             r"(\d+) converted", record.getMessage())
        if found:
            counts = (int(found[1]), int(found[2]))
    return snapshot(site), counts


@pytest.mark.parametrize("method", ["fork", "fork, replaced", "spawn"]
                         if sys.platform.startswith("linux") else ["spawn"])
def test_a_build_after_mkdocs_yml_changed_converts_nothing_again(
        tmp_path, monkeypatch, caplog, method) -> None:
    """Every page is rendered again (its settings changed), by workers and this
    process: every text comes from the cache, and the site is the one built with no
    cache at all."""
    if method == "fork, replaced":
        method = "fork"
        monkeypatch.setattr(parallel, "renew_after", lambda: 0)
        monkeypatch.setattr(parallel, "memory_budget", lambda: None)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("OCOP_WORKERS", "2")
    monkeypatch.setenv("OCOP_START_METHOD", method)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    project = copy_sample(tmp_path / "project")
    _, (read, converted) = _build(project, caplog, "1")
    assert read == 0 and converted > 50
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_description: (.*)$", r"site_description: \1 (mới)",
                             text, count=1), encoding="utf-8")
    site, counts = _build(project, caplog, "1")
    assert counts == (converted, 0)
    clean = shutil.copytree(project, tmp_path / "clean", ignore=shutil.ignore_patterns(
        "*.sqlite3*", "records*.pickle", "search-*.bin", "site", ".site.*"))
    assert site == _build(clean, caplog, "0")[0]


def test_the_build_stores_conversions_as_they_come_in_batches(tmp_path: Path,
                                                              monkeypatch) -> None:
    """A first national build converts 20,000 texts: they are stored a batch at a
    time, not held until the pages are done."""
    monkeypatch.setattr(markdown_cache, "BATCH", 2)
    path = tmp_path / CACHE_FILE
    cache = MarkdownCache(path, KEY)
    _converted_with(cache, TEXT)
    worker = [(text_id(t), f"<p>{t}</p>") for t in ("Hai", "Ba")]
    cache.adopt(([], worker))  # a worker's two, and this process's one

    def rows() -> int:
        with sqlite3.connect(path) as db:
            return int(db.execute("SELECT count(*) FROM converted").fetchone()[0])

    assert (rows(), cache.new) == (3, {})
    _converted_with(cache, "Bốn")
    assert cache.commit(every_text=True) == (0, 4)
    assert rows() == 4
