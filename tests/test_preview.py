"""Previewing a part of the catalogue (make serve PREVIEW=...)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT

from generator.link.catalogue import link
from generator.source.layout import SourceLayout
from generator.source.load import load_records
from generator.source.preview import PreviewError, restrict
from generator.source.problems import Problems

TODAY = dt.date(2026, 11, 18)


def loaded():
    problems = Problems()
    records = load_records(SourceLayout.default(ROOT), problems)
    assert problems.errors == []
    return records


def test_products_selection_keeps_whole_producers_and_links_cleanly():
    records = restrict(loaded(), "products:5")
    problems = Problems()
    catalogue = link(records, TODAY, problems)
    assert problems.errors == []
    assert 5 <= len(catalogue.products) < 42
    # Whole producers only: every kept producer keeps all of its products.
    full = loaded()
    for producer_id in catalogue.producers:
        assert {p.id for p in catalogue.producers[producer_id].products} == {
            p.id for p in full.products.values() if p.producer_id == producer_id}
    # Points of sale list only what remains.
    for pos in catalogue.points_of_sale.values():
        assert all(p.id in catalogue.products for p in pos.products)


def test_province_selection():
    records = restrict(loaded(), "province:an giang")
    assert len(records.products) == 42


def test_unknown_selection_says_what_to_write():
    with pytest.raises(PreviewError, match=r"no producer in province 'Hà Nội'; provinces: "
                                           r"An Giang"):
        restrict(loaded(), "province:Hà Nội")
    with pytest.raises(PreviewError, match="write province:<name> or products:<number>"):
        restrict(loaded(), "some")


def test_preview_build(tmp_path, monkeypatch, fixed_date):
    from generator.adapter.publish import build_site

    monkeypatch.setenv("OCOP_PREVIEW", "products:3")
    site = build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    pages = [p for p in (site / "san-pham").glob("*/index.html")
             if not p.parent.name.startswith("trang-")]
    assert 3 <= len(pages) < 42
