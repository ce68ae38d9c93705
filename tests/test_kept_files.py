"""The writers' files left in a kept site (write/kept_files.py) while nothing they
show changed, and made again as soon as anything did: a record they read, the
date, what they were made of, the build's settings, or the file itself."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXED_DATE, mini_catalogue

from generator import written
from generator.adapter import kept_site
from generator.language import ENGLISH, VIETNAMESE
from generator.link.catalogue import Catalogue
from generator.render import clock
from generator.render.page_cache import World
from generator.write import vcards, verify_pages
from generator.write.context import OutputContext
from generator.write.files import write_bytes
from generator.write.kept_files import FileEntry, KeptFiles, watched, write_made
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
