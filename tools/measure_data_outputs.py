"""Sizes and times of the buyer/open-data outputs at province and national scale.

Builds a synthetic catalogue in memory (no YAML, no photos: only the outputs
that do not need them are measured) and prints the size of the supplier filter
data (plain and gzipped), the exports, the feed and the statistics, and how
long each step took. A benchmark that prints numbers, not a test.

    .venv/bin/python tools/measure_data_outputs.py            # national: 9,000 / 20,000
    .venv/bin/python tools/measure_data_outputs.py 580 280    # products, producers
"""

from __future__ import annotations

import datetime as dt
import gzip
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.link.catalogue import link
from generator.plan.statistics import statistics
from generator.plan.suppliers import plan_supplier_pages
from generator.source.fields import Source
from generator.source.groups import load_groups
from generator.source.layout import SourceLayout
from generator.source.load import LoadedRecords
from generator.source.problems import Problems
from generator.source.records import (
    Address,
    Contacts,
    Photo,
    Price,
    Producer,
    Product,
    Rating,
    SupplierFacts,
)
from generator.write import exports, product_feed, supplier_filter, vcards
from generator.write import verify_pages as qr
from generator.write.context import OutputContext

TYPES = ("cooperative", "cooperative_group", "enterprise", "household")
STANDARDS = ("VietGAP", "HACCP", "ISO 22000:2018", "GlobalGAP", "Halal", "Hữu cơ USDA")
PROVINCES = 34
COMMUNES_PER_PROVINCE = 97


def synthetic(products: int, producers: int, today: dt.date) -> LoadedRecords:
    rng = random.Random(20250701)
    problems = Problems()
    layout = SourceLayout.default(ROOT)
    groups = load_groups(layout.groups_file, layout, problems)
    subgroups = groups.subgroup_ids()
    loaded = LoadedRecords(groups=groups)
    for i in range(producers):
        province = f"Tỉnh Thử Nghiệm {i % PROVINCES + 1}"
        commune = f"Xã Đặc Sản {rng.randrange(COMMUNES_PER_PROVINCE) + 1}"
        p = Producer(
            name=f"Hợp tác xã Nông Sản Sạch Số {i}", type=rng.choice(TYPES),
            address=Address(commune=commune, province=province, street=f"Ấp {i % 9 + 1}"),
            contacts=Contacts(phone=f"0296 3 {i % 1000:03d} {i % 997:03d}",
                              email=f"lienhe{i}@example.vn", zalo=f"0912 {i % 1000:03d} 678"),
            supplier=SupplierFacts(capacity=f"{rng.randrange(1, 500)} tấn/năm",
                                   minimum_order=f"{rng.randrange(1, 100)} thùng",
                                   wholesale=rng.random() < 0.8,
                                   standards=rng.sample(STANDARDS, rng.randrange(0, 3))),
        )
        p.id = f"chu-the-thu-nghiem-{i}"
        p.source = Source(f"products/{p.id}/producer.yaml")
        loaded.producers[p.id] = p
    ids = list(loaded.producers)
    for i in range(products):
        issued = today - dt.timedelta(days=rng.randrange(60, 1300))
        product = Product(
            name=f"Đặc sản thử nghiệm số {i}", category=rng.choice(subgroups),
            ocop=Rating(stars=rng.choice((3, 3, 3, 4, 4, 5)), issued=issued,
                        decision=f"{i}/QĐ-UBND"),
            photos=[Photo(file="anh.jpg", alt="Ảnh sản phẩm")],
            price=Price(amount=rng.randrange(10, 500) * 1000, unit="hộp"),
        )
        product.id = f"san-pham-thu-nghiem-{i}"
        product.producer_id = ids[i % len(ids)]
        product.source = Source(f"products/{product.producer_id}/{product.id}.yaml")
        loaded.products[product.id] = product
    return loaded


def size(path: Path) -> str:
    data = path.read_bytes()
    return f"{len(data) / 1024:9.1f} KB, gzip {len(gzip.compress(data, 9)) / 1024:8.1f} KB"


def main() -> None:
    products = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    producers = int(sys.argv[2]) if len(sys.argv) > 2 else 9_000
    today = dt.date(2026, 11, 18)
    start = time.perf_counter()
    catalogue = link(synthetic(products, producers, today), today, Problems())
    print(f"catalogue: {len(catalogue.products)} products, {len(catalogue.producers)} "
          f"producers, {len(catalogue.places)} communes ({time.perf_counter() - start:.1f} s)")
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as cache:
        site = Path(folder)
        context = OutputContext(catalogue=catalogue, site_dir=site,
                                site_url="https://ocop.example.vn/", page_urls=(),
                                cache_dir=Path(cache))
        for name, writer in (("supplier filter", supplier_filter.write),
                             ("exports", exports.write), ("vcards", vcards.write),
                             ("product feed", product_feed.write),
                             ("qr codes (cold)", qr.write), ("qr codes (warm)", qr.write)):
            start = time.perf_counter()
            written = writer(context)
            print(f"{name:16s} {len(written):6d} files  {time.perf_counter() - start:6.1f} s")
        for rel in ("nha-cung-cap/bo-loc.json", "nha-cung-cap/bo-loc.json.gz",
                    "du-lieu/products.json", "du-lieu/producers.json", "du-lieu/products.csv",
                    "du-lieu/producers.csv", "du-lieu/san-pham-moi.xml"):
            print(f"  {rel:32s} {size(site / rel)}")
    start = time.perf_counter()
    pages = plan_supplier_pages(catalogue)
    stats = statistics(catalogue)
    print(f"supplier directory: {len(pages)} pages of at most "
          f"{max(len(p.context['pager'].items) for p in pages)} producers; statistics: "
          f"{len(stats.charts)} charts, at most {max(len(c.rows) for c in stats.charts)} rows "
          f"({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
