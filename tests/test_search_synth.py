"""The synthetic catalogue generator (``ocop synth``): valid, deterministic, realistic."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXED_EPOCH
from PIL import Image

from generator.cli import main as ocop
from generator.link.clock import VIETNAM
from generator.pipeline import build_catalogue
from generator.source.layout import SourceLayout
from generator.source.problems import Problems
from generator.synth.catalogue import SynthOptions, synthesize
from generator.synth.vocabulary import KINDS
from generator.write.search_index import MANIFEST

TODAY = dt.datetime.fromtimestamp(int(FIXED_EPOCH), VIETNAM).date()


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "large"
    synthesize(out, SynthOptions(products=2000, producers=900, points_of_sale=40, fairs=15,
                                 seed=7, provinces=34, today=TODAY))
    return out


def test_cli_writes_a_project_that_passes_check(tmp_path, capsys):
    out = tmp_path / "small"
    assert ocop(["synth", "--products", "60", "--producers", "25", "--points-of-sale", "4",
                 "--fairs", "3", "--seed", "3", "--today", TODAY.isoformat(),
                 "--out", str(out)]) == 0
    assert "Wrote 60 products, 25 producers, 4 points of sale, 3 fairs" in capsys.readouterr().out
    assert ocop(["-f", str(out / "mkdocs.yml"), "check"]) == 0
    assert "OK: 60 products, 25 producers, 4 points of sale, 3 fairs" in capsys.readouterr().out
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "custom_dir: " + str(Path(__file__).resolve().parent.parent / "theme") in config
    assert "- ocop:" in config
    # One small JPEG per product, next to its record.
    products = [p for p in out.glob("products/*/*.yaml") if p.name != "producer.yaml"]
    assert len(products) == 60
    for record in products:
        with Image.open(record.with_suffix(".jpg")) as image:
            assert image.format == "JPEG"
            assert 64 <= image.width <= 200


def test_refuses_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "x.txt").write_text("x")
    assert ocop(["synth", "--products", "5", "--producers", "2", "--out", str(tmp_path)]) == 2
    assert "is not empty" in capsys.readouterr().err


def test_same_seed_same_bytes(tmp_path):
    options = SynthOptions(products=40, producers=15, points_of_sale=3, fairs=2, seed=5,
                           today=TODAY)
    synthesize(tmp_path / "a", options)
    synthesize(tmp_path / "b", options)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    synthesize(tmp_path / "c", SynthOptions(products=40, producers=15, seed=6, today=TODAY))
    assert _tree(tmp_path / "a") != _tree(tmp_path / "c")


def test_realistic_proportions(large):
    problems = Problems()
    catalogue = build_catalogue(SourceLayout.default(large), TODAY, problems)
    assert not problems.errors, problems.report()
    products = list(catalogue.products.values())
    assert len(products) == 2000 and len(catalogue.producers) == 900
    stars = Counter(p.ocop.stars for p in products)
    assert 0.70 < stars[3] / 2000 < 0.80
    assert 0.19 < stars[4] / 2000 < 0.29
    assert 0 < stars[5] / 2000 < 0.03
    status = Counter(p.status.code for p in products)
    assert status["valid"] / 2000 > 0.75
    assert status["expiring"] and status["expired"] and status["revoked"]
    groups = Counter(p.group.id for p in products)
    assert groups["thuc-pham"] / 2000 > 0.65
    assert {p.subgroup.id for p in products} == set(KINDS)
    types = Counter(p.type for p in catalogue.producers.values())
    assert set(types) == {"cooperative", "cooperative_group", "enterprise", "household"}
    assert len({p.address.province for p in catalogue.producers.values()}) == 34
    assert len(catalogue.places) > 500
    assert catalogue.points_of_sale and catalogue.fairs


def test_names_are_built_from_real_vietnamese_parts(large):
    problems = Problems()
    catalogue = build_catalogue(SourceLayout.default(large), TODAY, problems)
    names = [p.name for p in catalogue.products.values()]
    assert any(n.startswith("Mắm cá linh") for n in names)
    assert any(n.startswith("Đường thốt nốt") for n in names)
    assert any(n.startswith("Gạo") for n in names)
    assert any(n.startswith("Trà") for n in names)
    assert len(set(names)) > 1000


def test_a_synthetic_project_builds(tmp_path, fixed_date):
    from generator.adapter.publish import build_site

    out = tmp_path / "site-project"
    synthesize(out, SynthOptions(products=30, producers=12, points_of_sale=2, fairs=2, seed=2,
                                 today=TODAY))
    site = build_site(out / "mkdocs.yml", out / "site", strict=True)
    assert (site / "tim-kiem" / "index.html").is_file()
    assert (site / "assets" / "ocop-search" / MANIFEST).is_file()
    assert len([p for p in (site / "san-pham").iterdir()
                if p.is_dir() and not p.name.startswith("trang-")]) == 30
