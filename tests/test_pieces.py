"""Pieces of the whole-catalogue files kept between builds (write/pieces.py): an
export's items and CSV rows taken from the last build while nothing they read
changed, made again as soon as a record they read did, and never taken from a store
that does not verify. The files are the bytes a build without the store writes."""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import FIXED_DATE, FIXTURES, mini_catalogue

from generator import reads
from generator.link.catalogue import Catalogue
from generator.media.library import Picture
from generator.plan.urls import EXPORT_FILES
from generator.render import clock
from generator.render.page_cache import World
from generator.source.layout import SourceLayout
from generator.source.records import Photo
from generator.write import exports, pieces
from generator.write.context import OutputContext
from generator.write.kept_files import KeptFiles, watched
from generator.write.pieces import Pieces

SITE_URL = "https://ocop.example.vn/"
KEY = "ab" * 32
STORE = "exports.bin"


@pytest.fixture(autouse=True)
def signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOP_CACHE_KEY", KEY)


class Photos:
    """A stand-in for the media library: each photo's picture, and the digest of its
    variants, which a read notes as a fact (as ``MediaLibrary.picture`` does)."""

    def __init__(self) -> None:
        self.digests: dict[str, str] = {}

    def picture(self, item: Photo | Path) -> Picture:
        rel = (item.abs_path if isinstance(item, Photo) else item).name
        if reads.recording_now():
            reads.note(("picture", rel), self.digests.get(rel, "1"))
        return Picture(src=f"anh/{rel}.jpg", mime="image/jpeg", width=640, height=480,
                       webp=())


def context_of(cat: Catalogue, folder: Path, keep: bool = True, settings: str = "s",
               photos: Photos | None = None) -> OutputContext:
    """What a build keeping its work (``keep``) hands the writers, writing into
    ``folder/site`` with the stores in ``folder/cache/pieces``."""
    site = folder / "site"
    facts = {**clock.facts(cat, FIXED_DATE),
             "picture": lambda rel: (photos.digests.get(rel, "1") if photos else None)}
    kept = KeptFiles(site, settings, {}, World(cat, facts)) if keep else None
    return OutputContext(catalogue=cat, site_dir=site, site_url=SITE_URL, page_urls=(),
                         cache_dir=folder / "cache", media=photos,  # type: ignore[arg-type]
                         layout=SourceLayout.default(FIXTURES / "mini"), kept_files=kept)


def write(cat: Catalogue, folder: Path, caplog: pytest.LogCaptureFixture, keep: bool = True,
          settings: str = "s", photos: Photos | None = None
          ) -> tuple[dict[str, bytes], tuple[int, int] | None]:
    """The exports of ``cat`` written as ``context_of`` says: the files, and (kept,
    made) of the store (None: no store)."""
    context = context_of(cat, folder, keep, settings, photos)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
        paths = exports.write(context)
    lines = [r.getMessage() for r in caplog.records
             if r.getMessage().startswith(f"ocop pieces: {STORE}: ")]
    counts = None
    if lines:
        found = re.fullmatch(rf"ocop pieces: {STORE}: (\d+) kept, (\d+) made", lines[-1])
        assert found, lines[-1]
        counts = int(found[1]), int(found[2])
    return {path: (context.site_dir / path).read_bytes() for path in paths}, counts


def runs_of(cat: Catalogue) -> dict[str, list[list[object]]]:
    """The runs of records each kind's export is made of, a piece each."""
    return {kind: exports.runs(kind, exports.export_sources(kind, cat))
            for kind in EXPORT_FILES}


def pieces_of(cat: Catalogue) -> int:
    return sum(len(found) for found in runs_of(cat).values())


def test_pieces_nothing_changed_for_are_kept_and_write_the_same_bytes(tmp_path, caplog):
    cat = mini_catalogue()
    plain, counts = write(cat, tmp_path / "plain", caplog, keep=False)
    assert counts is None and not (tmp_path / "plain/cache").exists()
    first, counts = write(cat, tmp_path / "kept", caplog)
    assert counts == (0, pieces_of(cat))
    assert first == plain
    again, counts = write(cat, tmp_path / "kept", caplog)
    assert counts == (pieces_of(cat), 0)
    assert again == plain
    # Only the store is left in the cache folder (the new one took the old one's name).
    assert sorted(p.name for p in (tmp_path / "kept/cache/pieces").iterdir()) == [STORE]


@pytest.mark.parametrize("run", [pieces.RUN, 1])
def test_a_record_edited_makes_the_pieces_that_read_it_again(tmp_path, caplog, monkeypatch,
                                                              run):
    monkeypatch.setattr(pieces, "RUN", run)  # 1: a piece per record
    cat = mini_catalogue()
    write(cat, tmp_path, caplog)
    product = cat.products["duong-thot-not"]
    product.name = "Đường thốt nốt loại một"
    # The runs of its item, its producer's (which lists its products' ids) and those
    # of the points of sale that carry it (the same): nothing else.
    readers = sum(any(
        source is product or (kind == "producers" and product in source.producer.products)
        or (kind == "points_of_sale" and product in source.products) for source in run)
        for kind, found in runs_of(cat).items() for run in found)
    assert 2 <= readers < pieces_of(cat)
    if run == 1:
        assert readers == 2 + sum(product in pos.products
                                  for pos in cat.points_of_sale.values())
    edited, counts = write(cat, tmp_path, caplog)
    assert counts == (pieces_of(cat) - readers, readers)
    plain, _ = write(cat, tmp_path / "plain", caplog, keep=False)
    assert edited == plain
    assert "Đường thốt nốt loại một".encode() in edited["du-lieu/products.csv"]


def test_a_record_added_or_removed_changes_its_own_run_only():
    sources = [SimpleNamespace(id=f"san-pham-{i}") for i in range(2000)]
    before = exports.runs("products", sources)
    assert 2000 / pieces.RUN / 2 < len(before) < 2000 / pieces.RUN * 2
    assert [s for found in before for s in found] == sources
    for at in (0, 1000, 1999):
        after = exports.runs("products", sources[:at] + sources[at + 1:])
        changed = [found for found in after if found not in before]
        assert len(changed) == 1 and len(after) >= len(before) - 1
        assert sources[at - 1] in changed[0] or sources[at + 1] in changed[0]


def test_other_settings_make_every_piece_again(tmp_path, caplog):
    cat = mini_catalogue()
    write(cat, tmp_path, caplog)
    _, counts = write(cat, tmp_path, caplog, settings="another site URL")
    assert counts == (0, pieces_of(cat))


def test_a_piece_changed_in_the_store_is_made_again(tmp_path, caplog):
    cat = mini_catalogue()
    plain, _ = write(cat, tmp_path / "plain", caplog, keep=False)
    write(cat, tmp_path, caplog)
    store = tmp_path / "cache/pieces" / STORE
    data = bytearray(store.read_bytes())
    at = data.index("Đường thốt nốt nguyên chất".encode())
    data[at:at + 1] = b"X"
    store.write_bytes(bytes(data))
    again, counts = write(cat, tmp_path, caplog)
    assert counts == (pieces_of(cat) - 1, 1)
    assert again == plain


@pytest.mark.parametrize("damage", ["another key", "index", "truncated", "not a store"])
def test_a_store_that_does_not_verify_is_not_read(tmp_path, caplog, monkeypatch, damage):
    cat = mini_catalogue()
    plain, _ = write(cat, tmp_path / "plain", caplog, keep=False)
    write(cat, tmp_path, caplog)
    store = tmp_path / "cache/pieces" / STORE
    data = store.read_bytes()
    if damage == "another key":
        monkeypatch.setenv("OCOP_CACHE_KEY", "cd" * 32)
    elif damage == "index":
        # A byte of the index (before its length and signature) changed.
        store.write_bytes(data[:-50] + bytes([data[-50] ^ 1]) + data[-49:])
    elif damage == "truncated":
        store.write_bytes(data[:-1])
    else:
        store.write_bytes(b"{}")
    again, counts = write(cat, tmp_path, caplog)
    assert counts == (0, pieces_of(cat))
    assert again == plain
    # And the store made again is read by the next build.
    assert write(cat, tmp_path, caplog)[1] == (pieces_of(cat), 0)


def test_a_writer_that_fails_leaves_the_store_as_it_was(tmp_path, caplog):
    cat = mini_catalogue()
    write(cat, tmp_path, caplog)
    store = tmp_path / "cache/pieces" / STORE
    before = store.read_bytes()
    run = runs_of(cat)["products"][0]

    def fails() -> tuple[bytes, ...]:
        raise RuntimeError("a writer's bug")

    with pytest.raises(RuntimeError), Pieces.open(context_of(cat, tmp_path), "exports") as kept:
        assert kept.get(("products", *run), fails)  # kept: the new store is begun
        assert len(list((tmp_path / "cache/pieces").iterdir())) == 2
        kept.get(("another", *run), fails)
    assert store.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "cache/pieces").iterdir()) == [STORE]
    assert not reads.watching()


def test_a_photo_changed_makes_the_pieces_that_show_it_again(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(pieces, "RUN", 1)  # a piece per record
    cat, photos = mini_catalogue(), Photos()
    product = cat.products["duong-thot-not"]
    assert product.photos
    write(cat, tmp_path, caplog, photos=photos)
    assert write(cat, tmp_path, caplog, photos=photos)[1] == (pieces_of(cat), 0)
    photos.digests[product.photos[0].abs_path.name] = "another"
    # Its item only: the others show no photo of it.
    assert write(cat, tmp_path, caplog, photos=photos)[1] == (pieces_of(cat) - 1, 1)


def test_pieces_are_not_kept_inside_another_watched_block(tmp_path):
    cat = mini_catalogue()
    with watched(context_of(cat, tmp_path)), pytest.raises(RuntimeError, match="inside"):
        Pieces.open(context_of(cat, tmp_path), "exports").__enter__()



def test_new_stores_left_by_builds_that_ended_half_way_are_removed(tmp_path, caplog):
    cat = mini_catalogue()
    write(cat, tmp_path, caplog)
    stores = tmp_path / "cache/pieces"
    old, recent = stores / f".{STORE}.abc", stores / f".{STORE}.def"
    for path in (old, recent):
        path.write_bytes(b"half a store")
    hours_ago = time.time() - 2 * pieces.LEFTOVER_S
    os.utime(old, (hours_ago, hours_ago))
    write(cat, tmp_path, caplog)
    # The recent one may be another build's, still being written.
    assert sorted(p.name for p in stores.iterdir()) == [recent.name, STORE]


def test_a_csv_is_not_written_from_a_json_written_in_part(tmp_path, caplog, monkeypatch):
    def first_chunk_only(context: OutputContext, path: str, chunks) -> str:
        next(iter(chunks))
        return path

    monkeypatch.setattr(exports, "write_chunks", first_chunk_only)
    with pytest.raises(RuntimeError, match="JSON of products was not written whole"):
        write(mini_catalogue(), tmp_path, caplog)
    assert not (tmp_path / "site/du-lieu/products.csv").exists()


def test_a_store_where_stores_were_kept_before_is_removed(tmp_path, caplog):
    # Until 04/12/2026 stores sat in the cache folder itself, beside the photos.
    cat = mini_catalogue()
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "pieces-exports.bin").write_bytes(b"an old store")
    (tmp_path / "cache" / "pieces-other.bin").write_bytes(b"not this writer's")
    write(cat, tmp_path, caplog)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["pieces", "pieces-other.bin"]
