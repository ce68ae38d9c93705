"""Pages rendered by worker processes are byte-for-byte those of a sequential build."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from generator.adapter import plugin
from generator.adapter.publish import build_site


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_parallel_build_equals_sequential(tmp_path, monkeypatch, fixed_date):
    monkeypatch.setattr(plugin, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("OCOP_WORKERS", "1")
    sequential = files_of(build_site(ROOT / "mkdocs.yml", tmp_path / "one"))
    monkeypatch.setenv("OCOP_WORKERS", "2")
    rendered = []
    original = plugin.ParallelRenderer.html

    def spy(self, page):
        rendered.append(page.file.src_uri)
        return original(self, page)

    monkeypatch.setattr(plugin.ParallelRenderer, "html", spy)
    parallel = files_of(build_site(ROOT / "mkdocs.yml", tmp_path / "two"))
    # Every generated page went through the workers …
    assert "san-pham/banh-bo-thot-not-tinh-bien.md" in rendered
    assert len(rendered) > 100
    # … and the site is the same, file for file.
    assert parallel.keys() == sequential.keys()
    assert [k for k in parallel if parallel[k] != sequential[k]] == []


def test_parallel_loading_equals_sequential(monkeypatch, write_catalogue):
    """Folders read by forked workers give the same records and problems, in order."""
    from generator.source import load as load_module
    from generator.source.layout import SourceLayout
    from generator.source.load import load_records
    from generator.source.problems import Problems

    producer = ("name: Cơ sở {n}\ntype: household\n"
                "address: {{commune: Xã Ô Lâm, province: An Giang}}\n")
    product = ("name: Sản phẩm {n}\ncategory: gia-vi\nocop: {{stars: {stars}, decision: 1/QĐ, "
               "issued: 2025-01-01}}\nphotos: [{{file: a.png, alt: Ảnh}}]\n")
    files: dict[str, str | bytes] = {}
    for n in range(12):
        files[f"products/co-so-{n:02d}/producer.yaml"] = producer.format(n=n)
        files[f"products/co-so-{n:02d}/a.png"] = b"not read while loading"
        # One bad product a folder, and the same product id in two folders.
        files[f"products/co-so-{n:02d}/sp-{n:02d}.yaml"] = product.format(n=n, stars=n % 7)
        files[f"products/co-so-{n:02d}/trung.yaml"] = product.format(n=n, stars=3)
    root = write_catalogue(files)

    def load(workers: int):
        problems = Problems()
        records = load_records(SourceLayout.default(root), problems, workers)
        return (list(records.products), list(records.producers), sorted(records.unreadable),
                [str(p) for p in problems.sorted()])

    monkeypatch.setattr(load_module, "PARALLEL_MIN_FOLDERS", 0)
    sequential = load(1)
    assert load(2) == sequential
    assert "products/co-so-01/trung.yaml: -: product id 'trung' is already used by " \
           "products/co-so-00/trung.yaml" in sequential[3]
