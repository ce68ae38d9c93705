"""The search index's token files kept between builds: used only for the same texts,
only when signed with our key, and the index made with them is the same bytes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.language import ENGLISH, VIETNAMESE
from generator.write import search_cache, search_files
from generator.write.search_cache import SearchCache, texts_key
from generator.write.search_index import (
    TEXT,
    ExtraPage,
    SearchDoc,
    build_search_index,
    catalogue_docs,
    token_files,
)


@pytest.fixture(scope="module")
def docs(sample_catalogue) -> list[SearchDoc]:
    return catalogue_docs(sample_catalogue, (), lambda p: f"anh/{p.id}.webp", lambda p: "")


def test_kept_tokens_make_the_same_index(tmp_path: Path, sample_catalogue, docs) -> None:
    cache = SearchCache(tmp_path, b"k" * 32)
    texts = texts_key(docs)
    made = token_files(docs)
    cache.put("vi", texts, made)
    kept = cache.get("vi", texts)
    assert kept == made
    assert cache.get("en", texts) is None  # one file per language
    assert (build_search_index(sample_catalogue, docs, VIETNAMESE, kept).files
            == build_search_index(sample_catalogue, docs).files)


def test_only_the_indexed_texts_decide_the_key(docs) -> None:
    key = texts_key(docs)
    # What a result line shows (a price, a photo) is not tokenised: same key.
    shown = [dataclasses.replace(d, price=d.price + 1000, thumb="") for d in docs]
    assert texts_key(shown) == key
    # A word of a description, a weight, the order, one document fewer: another key.
    first = docs[0]
    worded = [dataclasses.replace(first, fields=(*first.fields, (TEXT, "ngon"))), *docs[1:]]
    weighed = [dataclasses.replace(first, fields=tuple(
        (w + 1, t) for w, t in first.fields)), *docs[1:]]
    assert len({key, texts_key(worded), texts_key(weighed), texts_key(docs[::-1]),
                texts_key(docs[:-1])}) == 5
    # Texts cannot run into each other: ("ab", "c") is not ("a", "bc").
    one = SearchDoc(kind="p", url="x/", title="x", fields=((TEXT, "ab"), (TEXT, "c")))
    two = dataclasses.replace(one, fields=((TEXT, "a"), (TEXT, "bc")))
    assert texts_key([one]) != texts_key([two])


def test_a_kept_file_that_does_not_verify_is_not_used(tmp_path: Path, docs) -> None:
    texts = texts_key(docs)
    made = token_files(docs)
    SearchCache(tmp_path, b"k" * 32).put("vi", texts, made)
    path = tmp_path / "search-vi.bin"
    good = path.read_bytes()
    # Signed with another key (a file slipped into a pull request).
    assert SearchCache(tmp_path, b"o" * 32).get("vi", texts) is None
    # One byte of a token file changed.
    data = bytearray(good)
    data[-10] ^= 1
    path.write_bytes(bytes(data))
    assert SearchCache(tmp_path, b"k" * 32).get("vi", texts) is None
    # Cut short, or empty.
    for broken in (good[:-1], b""):
        path.write_bytes(broken)
        assert SearchCache(tmp_path, b"k" * 32).get("vi", texts) is None
    path.write_bytes(good)
    assert SearchCache(tmp_path, b"k" * 32).get("vi", texts) == made
    assert SearchCache(tmp_path, b"k" * 32).get("vi", texts_key(docs[:-1])) is None


def test_a_build_tokenises_again_only_when_a_text_changed(tmp_path: Path, monkeypatch,
                                                          sample_catalogue) -> None:
    """Through the writer: a second build of the same texts tokenises nothing; a build
    after a text changed tokenises again and writes what a build without the cache does."""
    from conftest import ROOT

    from generator.source.layout import SourceLayout
    from generator.write.context import OutputContext

    calls: list[int] = []
    real = search_files.token_files

    def counted(docs):
        calls.append(len(docs))
        return real(docs)

    monkeypatch.setattr(search_files, "token_files", counted)
    monkeypatch.setattr(search_cache, "token_files", counted)
    pages: list[ExtraPage] = []
    monkeypatch.setattr(search_files, "hand_written_pages", lambda *a: pages)

    def build(site: Path, reuse: bool = True) -> dict[str, bytes]:
        context = OutputContext(catalogue=sample_catalogue, site_dir=site,
                                site_url="https://ocop.example.vn/", page_urls=(),
                                cache_dir=tmp_path / "cache", reuse=reuse,
                                layout=SourceLayout.default(ROOT),
                                languages=(VIETNAMESE, ENGLISH))
        search_files.write(context)
        return {p.relative_to(site).as_posix(): p.read_bytes()
                for p in site.rglob("*") if p.is_file()}

    first = build(tmp_path / "a")
    assert len(calls) == 2  # both languages
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [
        "search-en.bin", "search-vi.bin"]
    assert build(tmp_path / "b") == first
    assert len(calls) == 2
    # With the page cache off, nothing kept is used.
    assert build(tmp_path / "c", reuse=False) == first
    assert len(calls) == 4
    # A hand-written page's words (any indexed text): made again, as without the cache.
    pages.append(ExtraPage(url="gioi-thieu/", title="Giới thiệu", text="Đặc sản xứ Bảy Núi"))
    changed = build(tmp_path / "d")
    assert len(calls) == 6
    assert changed != first and changed == build(tmp_path / "e", reuse=False)
