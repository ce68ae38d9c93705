"""Pieces of the whole-catalogue files kept between builds (write/pieces.py): an
export's items and CSV rows taken from the last build while nothing they read
changed, made again as soon as a record they read did, and never taken from a store
that does not verify. The files are the bytes a build without the store writes."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import FIXED_DATE, FIXTURES

from generator.language import ENGLISH, VIETNAMESE
from generator.link.catalogue import Catalogue
from generator.pipeline import build_catalogue
from generator.plan.urls import EXPORT_FILES
from generator.render import clock
from generator.render.page_cache import World
from generator.source.layout import SourceLayout
from generator.source.problems import Problems
from generator.write import exports, pieces
from generator.write.context import OutputContext, Writer
from generator.write.kept_files import KeptFiles
from generator.write.pieces import Pieces

SITE_URL = "https://ocop.example.vn/"
KEY = "ab" * 32
STORE = "pieces-exports.bin"


@pytest.fixture(autouse=True)
def signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOP_CACHE_KEY", KEY)


def catalogue(date: dt.date = FIXED_DATE) -> Catalogue:
    """The mini fixture's catalogue, loaded afresh (tests here change its records)."""
    problems = Problems()
    found = build_catalogue(SourceLayout.default(FIXTURES / "mini"), date, problems)
    assert not problems.errors
    return found


def write(cat: Catalogue, folder: Path, caplog: pytest.LogCaptureFixture, keep: bool = True,
          settings: str = "s", writer: Writer = exports.write,
          store: str = STORE) -> tuple[dict[str, bytes], tuple[int, int] | None]:
    """The files ``writer`` writes of ``cat`` into ``folder/site`` with its stores in
    ``folder/cache`` (none without ``keep``): the files, and (kept, made) of ``store``."""
    site, cache = folder / "site", folder / "cache"
    kept = KeptFiles(site, settings, {}, World(cat, clock.facts(cat, FIXED_DATE))) if keep else None
    context = OutputContext(catalogue=cat, site_dir=site, site_url=SITE_URL, page_urls=(),
                            cache_dir=cache, layout=SourceLayout.default(FIXTURES / "mini"),
                            languages=(VIETNAMESE, ENGLISH), kept_files=kept)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
        paths = writer(context)
    lines = [r.getMessage() for r in caplog.records
             if r.getMessage().startswith(f"ocop pieces: {store}: ")]
    counts = None
    if lines:
        found = re.fullmatch(rf"ocop pieces: {store}: (\d+) kept, (\d+) made", lines[-1])
        assert found, lines[-1]
        counts = int(found[1]), int(found[2])
    return {path: (site / path).read_bytes() for path in paths}, counts


def runs_of(cat: Catalogue) -> dict[str, list[list[object]]]:
    """The runs of records each kind's export is made of, a piece each."""
    return {kind: exports.runs(kind, exports.export_sources(kind, cat))
            for kind in EXPORT_FILES}


def pieces_of(cat: Catalogue) -> int:
    return sum(len(found) for found in runs_of(cat).values())


def test_pieces_nothing_changed_for_are_kept_and_write_the_same_bytes(tmp_path, caplog):
    cat = catalogue()
    plain, counts = write(cat, tmp_path / "plain", caplog, keep=False)
    assert counts is None and not (tmp_path / "plain/cache").exists()
    first, counts = write(cat, tmp_path / "kept", caplog)
    assert counts == (0, pieces_of(cat))
    assert first == plain
    again, counts = write(cat, tmp_path / "kept", caplog)
    assert counts == (pieces_of(cat), 0)
    assert again == plain
    # Only the store is left in the cache folder (the new one took the old one's name).
    assert sorted(p.name for p in (tmp_path / "kept/cache").iterdir()) == [STORE]


@pytest.mark.parametrize("run", [pieces.RUN, 1])
def test_a_record_edited_makes_the_pieces_that_read_it_again(tmp_path, caplog, monkeypatch,
                                                              run):
    monkeypatch.setattr(pieces, "RUN", run)  # 1: a piece per record
    cat = catalogue()
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
    cat = catalogue()
    write(cat, tmp_path, caplog)
    _, counts = write(cat, tmp_path, caplog, settings="another site URL")
    assert counts == (0, pieces_of(cat))


def test_a_piece_changed_in_the_store_is_made_again(tmp_path, caplog):
    cat = catalogue()
    plain, _ = write(cat, tmp_path / "plain", caplog, keep=False)
    write(cat, tmp_path, caplog)
    store = tmp_path / "cache" / STORE
    data = bytearray(store.read_bytes())
    at = data.index("Đường thốt nốt nguyên chất".encode())
    data[at:at + 1] = b"X"
    store.write_bytes(bytes(data))
    again, counts = write(cat, tmp_path, caplog)
    assert counts == (pieces_of(cat) - 1, 1)
    assert again == plain


@pytest.mark.parametrize("damage", ["another key", "index", "truncated", "not a store"])
def test_a_store_that_does_not_verify_is_not_read(tmp_path, caplog, monkeypatch, damage):
    cat = catalogue()
    plain, _ = write(cat, tmp_path / "plain", caplog, keep=False)
    write(cat, tmp_path, caplog)
    store = tmp_path / "cache" / STORE
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
    cat = catalogue()
    write(cat, tmp_path, caplog)
    store = tmp_path / "cache" / STORE
    before = store.read_bytes()
    kept = KeptFiles(tmp_path / "site", "s", {}, World(cat, clock.facts(cat, FIXED_DATE)))
    context = OutputContext(catalogue=cat, site_dir=tmp_path / "site", site_url=SITE_URL,
                            page_urls=(), cache_dir=tmp_path / "cache",
                            layout=SourceLayout.default(FIXTURES / "mini"), kept_files=kept)
    product = next(iter(cat.products.values()))

    def fails() -> tuple[bytes, ...]:
        raise RuntimeError("a writer's bug")

    with pytest.raises(RuntimeError), Pieces.open(context, "exports") as pieces:
        assert pieces.get(("products", product), fails)  # kept: the new store is begun
        pieces.get(("another", product), fails)
    assert store.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [STORE]

