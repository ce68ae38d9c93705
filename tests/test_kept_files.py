"""The writers' files left in a kept site (write/kept_files.py) while nothing they
show changed, and made again as soon as anything did: a record they read, the
date, what they were made of, the build's settings, or the file itself."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import os
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import FIXED_DATE, mini_catalogue

from generator import reads as record_reads
from generator import written
from generator.adapter import kept_site
from generator.language import ENGLISH, VIETNAMESE
from generator.link.catalogue import Catalogue
from generator.render import clock
from generator.render.page_cache import World
from generator.render.sitemap import sitemap_key, urls_key
from generator.write import sitemap, vcards, verify_pages
from generator.write.context import OutputContext
from generator.write.files import write_bytes
from generator.write.kept_files import FileEntry, KeptFiles, watched, write_made
from generator.write.sitemap import Sitemap
from generator.written import Seen

SITE_URL = "https://ocop.example.vn/"


def write(cat: Catalogue, site: Path, before: dict[str, FileEntry], settings: str = "s",
          date: dt.date = FIXED_DATE, seen: Seen | None = None,
          first: Callable[[OutputContext], object] = lambda context: None) -> KeptFiles:
    """The verification pages and contact cards written into ``site`` as a build
    keeping its site does (``seen``: the safety walk's view of the folder; ``first``:
    what an earlier writer of the build writes)."""
    kept = KeptFiles(site, settings, before, World(cat, clock.facts(cat, date)), seen)
    context = OutputContext(catalogue=cat, site_dir=site, site_url=SITE_URL, page_urls=(),
                            kept_site=True, languages=(VIETNAMESE, ENGLISH), kept_files=kept)
    first(context)
    assert verify_pages.write(context) and vcards.write(context)
    return kept


def made_again(kept: KeptFiles, before: dict[str, FileEntry]) -> set[str]:
    """The files written again (not left as they were)."""
    assert set(kept.entries) == set(before)
    return {path for path, entry in kept.entries.items() if entry is not before[path]}


def test_files_nothing_changed_for_are_left(tmp_path):
    cat, site = mini_catalogue(), tmp_path / "site"
    first = write(cat, site, {})
    assert first.left == 0
    files = set(first.entries)
    # Three files per product (its page in two languages, its QR code), a card per producer.
    assert len(files) == 3 * len(cat.products) + len(cat.producers)
    again = write(cat, site, first.entries)
    assert again.left == len(files)
    assert made_again(again, first.entries) == set()


def test_a_record_read_makes_its_files_again(tmp_path):
    cat, site = mini_catalogue(), tmp_path / "site"
    first = write(cat, site, {})
    product = cat.products["duong-thot-not"]
    product.name = "Đường thốt nốt loại một"
    again = write(cat, site, first.entries)
    # Its pages (they show the name) and its QR code (its title names it); nothing else.
    assert made_again(again, first.entries) == {
        "q/duong-thot-not/index.html", "en/q/duong-thot-not/index.html",
        "q/duong-thot-not/qr.svg"}
    assert "Đường thốt nốt loại một" in (site / "q/duong-thot-not/index.html").read_text(
        encoding="utf-8")
    # The producer's name is read by its products' QR codes and by its card.
    producer = product.producer
    producer.name = producer.name + " Mới"
    third = write(cat, site, again.entries)
    assert made_again(third, again.entries) == {
        "q/" + p.id + "/qr.svg" for p in producer.products} | {
        f"chu-the/{producer.id}/{producer.id}.vcf"}


def test_the_date_makes_the_verification_pages_again(tmp_path):
    """They say the date of their data; the QR codes and cards do not."""
    cat, site = mini_catalogue(), tmp_path / "site"
    first = write(cat, site, {})
    next_day = FIXED_DATE + dt.timedelta(days=1)
    again = write(mini_catalogue(next_day), site, first.entries, date=next_day)
    assert made_again(again, first.entries) == {
        path for path in first.entries if path.endswith("/index.html")}


def test_other_settings_or_inputs_make_files_again(tmp_path):
    cat, site = mini_catalogue(), tmp_path / "site"
    first = write(cat, site, {})
    assert made_again(write(cat, site, first.entries, settings="t"),
                      first.entries) == set(first.entries)
    # A card is made of its supplier's facets (its products' groups …), by content: the
    # card does not read the product whose group changed, yet is made again.
    product = cat.products["duong-thot-not"]
    product.group = next(g for g in cat.groups.groups if g.id != product.group.id)
    producer = product.producer.id
    assert made_again(write(cat, site, first.entries), first.entries) == {
        "q/duong-thot-not/index.html", "en/q/duong-thot-not/index.html",
        f"chu-the/{producer}/{producer}.vcf"}


def test_a_file_changed_in_the_folder_is_made_again(tmp_path):
    cat, site = mini_catalogue(), tmp_path / "site"
    first = write(cat, site, {})
    page = site / "q/duong-thot-not/index.html"
    text = page.read_bytes()
    page.write_bytes(text.replace(b"OCOP", b"OCOQ"))  # same size, another time
    linked = site / "q/duong-thot-not/qr.svg"
    os.link(linked, tmp_path / "backup.svg")  # a second link: a write would go through it
    again = write(cat, site, first.entries)
    assert made_again(again, first.entries) == {
        "q/duong-thot-not/index.html", "q/duong-thot-not/qr.svg"}
    assert page.read_bytes() == text


def test_the_walks_view_of_the_folder_stands_for_it_until_a_file_is_written(
        tmp_path, monkeypatch):
    """With the safety walk's sizes and times (``Seen``) no file is asked about again;
    a file written in this build before the check (by another writer) is, and is
    made again."""
    cat, site = mini_catalogue(), tmp_path / "site"
    first = write(cat, site, {})
    _, listing, stats = kept_site._make_safe(site)
    asked: list[str] = []
    real = written.as_written
    monkeypatch.setattr(written, "as_written",
                        lambda path, *entry: (asked.append(path), real(path, *entry))[1])
    again = write(cat, site, first.entries, seen=Seen(os.fspath(site), listing, stats))
    assert again.left == len(first.entries) and asked == []
    # An earlier writer of this build wrote over one of them (same size).
    qr = site / "q/duong-thot-not/qr.svg"
    made = qr.read_bytes()
    _, listing, stats = kept_site._make_safe(site)
    third = write(cat, site, again.entries, seen=Seen(os.fspath(site), listing, stats),
                  first=lambda context: write_bytes(context, "q/duong-thot-not/qr.svg",
                                                    made.replace(b"<", b" ")))
    assert made_again(third, again.entries) == {"q/duong-thot-not/qr.svg"}
    assert asked == [os.path.join(site, "q/duong-thot-not/qr.svg")]
    assert qr.read_bytes() == made


def test_a_file_is_not_made_outside_the_watched_block(tmp_path):
    """Outside it no record read is noted, and an edit would leave a stale file."""
    cat = mini_catalogue()
    kept = KeptFiles(tmp_path, "s", {}, World(cat, clock.facts(cat, FIXED_DATE)))
    context = OutputContext(catalogue=cat, site_dir=tmp_path, site_url=SITE_URL,
                            page_urls=(), kept_files=kept)
    with pytest.raises(RuntimeError, match=r"outside KeptFiles\.watching"):
        write_made(context, "a.txt", (), lambda: b"a")
    with watched(context):
        write_made(context, "a.txt", (), lambda: b"a")
    assert (tmp_path / "a.txt").read_bytes() == b"a"


def test_the_rest_of_the_catalogue_makes_no_file_again(tmp_path):
    """A verification page notes the date, not the catalogue it is read from (whose
    digest changes with any product added, certified or renamed)."""
    cat, site = mini_catalogue(), tmp_path / "site"
    first = write(cat, site, {})
    cat.by_stars = {}
    assert made_again(write(cat, site, first.entries), first.entries) == set()


def test_a_new_way_of_drawing_qr_codes_makes_them_again(tmp_path, monkeypatch):
    cat, site = mini_catalogue(), tmp_path / "site"
    first = write(cat, site, {})
    monkeypatch.setattr(verify_pages, "QR_FORMAT", "segno 0; another drawing")
    assert made_again(write(cat, site, first.entries), first.entries) == {
        path for path in first.entries if path.endswith("/qr.svg")}


def test_a_damaged_manifest_makes_its_files_again(tmp_path):
    cat, site = mini_catalogue(), tmp_path / "site"
    first = write(cat, site, {})
    page = "q/duong-thot-not/index.html"
    damaged = {**first.entries}
    for reads in ('["@","product"]', "not json", "[1, 2]"):
        damaged[page] = (*first.entries[page][:3], reads)
        assert made_again(write(cat, site, damaged), damaged) == {page}


def test_the_sitemap_is_left_by_its_entries_key_without_making_them(tmp_path):
    """A kept site's sitemap is left while the digest of what its entries are made of
    is the same: the entries (70,610 national ones) are not made then."""
    cat, site = mini_catalogue(), tmp_path / "site"
    made: list[int] = []

    def writer(key: str | None, entry: str) -> Callable[[OutputContext], object]:
        def entries() -> list[str]:
            made.append(1)
            record_reads.note(("page", "vi", entry), "1")  # as alternates do: not noted
            return [f"\n    <url>\n         <loc>{SITE_URL}{entry}</loc>\n    </url>"]
        return lambda context: sitemap.write(dataclasses.replace(
            context, sitemap=Sitemap(entries, 7, None if key is None else lambda: key)))

    first = write(cat, site, {}, first=writer("k1", "a/"))
    assert made == [1] and b"a/</loc>" in (site / "sitemap.xml").read_bytes()
    again = write(cat, site, first.entries, first=writer("k1", "b/"))
    assert made == [1]  # not made: the key says they are the same
    assert made_again(again, first.entries) == set()
    changed = write(cat, site, again.entries, first=writer("k2", "b/"))
    assert made == [1, 1]
    assert made_again(changed, again.entries) == {"sitemap.xml", "sitemap.xml.gz"}
    assert changed.entries["sitemap.xml"][3] == ""  # its key stands for its reads
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) \
        == (site / "sitemap.xml").read_bytes()
    assert b"b/</loc>" in (site / "sitemap.xml").read_bytes()
    # Without a key: made each time, left while their text is the same.
    textual = write(cat, site, changed.entries, first=writer(None, "b/"))
    untouched = write(cat, site, textual.entries, first=writer(None, "b/"))
    assert made == [1, 1, 1, 1]
    assert made_again(untouched, textual.entries) == set()


def test_the_sitemaps_key_is_of_everything_its_entries_read():
    def page(url: str, date: str = "2026-12-06", link: bool = False) -> SimpleNamespace:
        return SimpleNamespace(page=SimpleNamespace(
            url=url, abs_url="/" + url, canonical_url=SITE_URL + url, update_date=date,
            is_link=link))

    files = [page(""), page("san-pham/a/"), SimpleNamespace(page=None)]
    languages = (VIETNAMESE, ENGLISH)
    key = sitemap_key(files, SITE_URL, languages, urls_key(["", "san-pham/a/"]))
    assert key == sitemap_key([page(""), page("san-pham/a/"), SimpleNamespace(page=None)],
                              SITE_URL, languages, urls_key(["", "san-pham/a/"]))
    others = [
        sitemap_key([*files[:2]], SITE_URL, languages, urls_key(["", "san-pham/a/"])),
        sitemap_key([files[0], page("san-pham/a/", "2026-12-07"), files[2]], SITE_URL,
                    languages, urls_key(["", "san-pham/a/"])),
        sitemap_key([files[0], page("san-pham/a/", link=True), files[2]], SITE_URL,
                    languages, urls_key(["", "san-pham/a/"])),
        sitemap_key(files, "https://other.example/", languages, urls_key(["", "san-pham/a/"])),
        sitemap_key(files, SITE_URL, (VIETNAMESE,), urls_key(["", "san-pham/a/"])),
        # An English version of a page: its alternates change.
        sitemap_key(files, SITE_URL, languages, urls_key(["", "san-pham/a/", "en/"])),
    ]
    assert len({key, *others}) == len(others) + 1
