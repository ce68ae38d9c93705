"""The search index's documents of products and producers kept between builds as
pieces (write/pieces.py, ``search_files._docs_in_pieces``): taken from the last build
while nothing they read changed, made again in every language as soon as a record or
a photo they show did; the index is the bytes a build without the stores writes."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from conftest import FIXED_DATE, FIXTURES, mini_catalogue

from generator import reads
from generator.language import ENGLISH, VIETNAMESE
from generator.link.catalogue import Catalogue
from generator.media.library import Picture, SourceVariant
from generator.plan.urls import Urls
from generator.render import clock
from generator.render.page_cache import World
from generator.source.layout import SourceLayout
from generator.source.records import Photo
from generator.write import pieces, search_files
from generator.write.context import OutputContext
from generator.write.kept_files import KeptFiles
from generator.write.search_index import catalogue_docs

LANGUAGES = (VIETNAMESE, ENGLISH)
STORES = [f"search-{lang.code}-{kind}.bin" for lang in LANGUAGES
          for kind in ("products", "producers")]


@pytest.fixture(autouse=True)
def signing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOP_CACHE_KEY", "cd" * 32)


class Photos:
    """A stand-in for the media library: each photo's picture (two WebP widths, so
    that a result has a thumbnail), and its digest, noted as a read as
    ``MediaLibrary.picture`` notes it."""

    def __init__(self) -> None:
        self.digests: dict[str, str] = {}

    def picture(self, item: Photo | Path) -> Picture:
        rel = (item.abs_path if isinstance(item, Photo) else item).name
        if reads.recording_now():
            reads.note(("picture", rel), self.digests.get(rel, "1"))
        width = 128 if self.digests.get(rel, "1") == "1" else 160
        return Picture(src=f"anh/{rel}.jpg", mime="image/jpeg", width=640, height=480,
                       webp=(SourceVariant(f"anh/{rel}-{width}.webp", width),
                             SourceVariant(f"anh/{rel}-320.webp", 320)))


def context_of(cat: Catalogue, folder: Path, photos: Photos, keep: bool = True
               ) -> OutputContext:
    facts = {**clock.facts(cat, FIXED_DATE), "picture": lambda rel: photos.digests.get(rel, "1")}
    site = folder / "site"
    kept = KeptFiles(site, "s", {}, World(cat, facts)) if keep else None
    return OutputContext(catalogue=cat, site_dir=site, site_url="https://ocop.example.vn/",
                         page_urls=(), cache_dir=folder / "cache",
                         media=photos,  # type: ignore[arg-type]
                         layout=SourceLayout.default(FIXTURES / "mini"), kept_files=kept,
                         languages=LANGUAGES, reuse=keep)


def write(cat: Catalogue, folder: Path, caplog: pytest.LogCaptureFixture, photos: Photos,
          keep: bool = True) -> tuple[dict[str, bytes], dict[str, tuple[int, int]]]:
    """The search index of ``cat`` in both languages, written into ``folder/site`` by a
    build that keeps its work (``keep``) in ``folder/cache``: its files, and (kept,
    made) of each store."""
    site = folder / "site"
    context = context_of(cat, folder, photos, keep)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
        paths = search_files.write(context)
    counts = {}
    for record in caplog.records:
        found = re.fullmatch(r"ocop pieces: (search-\S+): (\d+) kept, (\d+) made",
                             record.getMessage())
        if found:
            counts[found[1]] = int(found[2]), int(found[3])
    return {path: (site / path).read_bytes() for path in paths}, counts


def test_documents_nothing_changed_for_are_kept_and_index_the_same(tmp_path, caplog):
    cat, photos = mini_catalogue(), Photos()
    plain, counts = write(cat, tmp_path / "plain", caplog, photos, keep=False)
    assert counts == {} and not (tmp_path / "plain/cache/pieces").exists()
    assert any(b"anh/" in data for data in plain.values())  # thumbnails are indexed
    first, counts = write(cat, tmp_path / "kept", caplog, photos)
    assert sorted(counts) == sorted(STORES)
    assert all(kept == 0 and made > 0 for kept, made in counts.values())
    assert first == plain
    again, kept = write(cat, tmp_path / "kept", caplog, photos)
    assert kept == {store: (made, 0) for store, (_, made) in counts.items()}
    assert again == plain
    assert sorted(p.name for p in (tmp_path / "kept/cache/pieces").iterdir()) == sorted(STORES)


def test_a_product_edited_makes_its_documents_again_in_each_language(
        tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(pieces, "RUN", 1)  # a piece per record
    cat, photos = mini_catalogue(), Photos()
    write(cat, tmp_path, caplog, photos)
    cat.products["duong-thot-not"].name = "Đường thốt nốt loại một"
    edited, counts = write(cat, tmp_path, caplog, photos)
    products, producers = len(cat.products), len(cat.producers)
    assert counts == {"search-vi-products.bin": (products - 1, 1),
                      "search-en-products.bin": (products - 1, 1),
                      # A producer's document counts its products, names none of them.
                      "search-vi-producers.bin": (producers, 0),
                      "search-en-producers.bin": (producers, 0)}
    plain, _ = write(cat, tmp_path / "plain", caplog, photos, keep=False)
    assert edited == plain
    assert any("Đường thốt nốt loại một".encode() in data for data in edited.values())


def test_a_photo_changed_makes_the_documents_that_show_it_again_in_each_language(
        tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(pieces, "RUN", 1)
    cat, photos = mini_catalogue(), Photos()
    product = cat.products["duong-thot-not"]
    write(cat, tmp_path, caplog, photos)
    photos.digests[product.photos[0].abs_path.name] = "another"
    # The English index shows the thumbnail the Vietnamese one made first: its piece
    # notes the photo all the same.
    changed, counts = write(cat, tmp_path, caplog, photos)
    products = len(cat.products)
    assert counts["search-vi-products.bin"] == (products - 1, 1)
    assert counts["search-en-products.bin"] == (products - 1, 1)
    plain, _ = write(cat, tmp_path / "plain", caplog, photos, keep=False)
    assert changed == plain
    assert any(b"-160.webp" in data for data in changed.values())


def test_documents_from_pieces_index_the_records_own_descriptions(tmp_path, caplog):
    """Not copies: the documents of a national catalogue's descriptions held 100 MB
    more at the build's peak than those made from the records."""
    cat, photos = mini_catalogue(), Photos()
    product = next(p for p in cat.products.values() if p.description)
    context = context_of(cat, tmp_path, photos)

    def texts() -> list[str]:
        docs = catalogue_docs(cat, (), lambda p: "", lambda p: "", (), ENGLISH,
                              search_files._docs_in_pieces(context, ENGLISH))
        doc = next(d for d in docs if d.url == ENGLISH.prefix + Urls.product(product))
        return [text for _, text in doc.fields]

    runs = len(pieces.runs(cat.products_sorted, lambda p: p.id))
    for kept, made in ((0, runs), (runs, 0)):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
            found = texts()
        assert f"ocop pieces: search-en-products.bin: {kept} kept, {made} made" in caplog.text
        assert product.description in found
        assert any(text is product.description for text in found)
