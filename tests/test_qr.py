"""Verification QR codes decoded back to each product's short URL, which leads to
the product page with its certificate status."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rawdata
import segno
import zxingcpp
from PIL import Image

from generator.qr import QUIET_ZONE, qr_code

SITE_URL = "https://ocop.example.vn/"
SVG = "{http://www.w3.org/2000/svg}"


def decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def svg_modules(svg_text: str) -> set[tuple[int, int]]:
    """Dark modules (row, column) drawn by a segno SVG path: 'M x y', 'm dx dy', 'h n'."""
    root = ET.fromstring(svg_text)
    path = next(p for p in root.iter(f"{SVG}path") if p.get("stroke"))
    x = y = 0.0
    dark = set()
    for op, args in re.findall(r"([MmHh])([-\d. ]+)", path.get("d", "")):
        nums = [float(n) for n in args.split()]
        if op == "M":
            x, y = nums
        elif op == "m":
            x, y = x + nums[0], y + nums[1]
        else:
            n = nums[0] if op == "h" else nums[0] - x
            dark |= {(int(y - 0.5), int(x) + i) for i in range(int(n))}
            x += n
    return dark


def modules_image(dark: set[tuple[int, int]], size: int, scale: int = 8) -> Image.Image:
    image = Image.new("L", (size * scale, size * scale), 255)
    for row, col in dark:
        image.paste(0, (col * scale, row * scale, (col + 1) * scale, (row + 1) * scale))
    return image


@pytest.mark.parametrize("product_id", sorted(rawdata.products()))
def test_printed_qr_code_decodes_to_the_short_url(sample_site: Path, product_id: str):
    url = f"{SITE_URL}q/{product_id}/"
    svg_text = (sample_site / "q" / product_id / "qr.svg").read_text(encoding="utf-8")
    assert "<title>" in svg_text and "<desc>" in svg_text
    # The SVG as written, read module by module and decoded.
    code = qr_code(url)
    size = code.symbol_size(border=QUIET_ZONE)[0]
    dark = svg_modules(svg_text)
    assert decode(modules_image(dark, size)) == [url]
    # The same code rendered by segno as PNG (the independent path the issue asks for).
    png = io.BytesIO()
    segno.make(url, error="m", micro=False).save(png, kind="png", scale=6)
    assert decode(Image.open(io.BytesIO(png.getvalue()))) == [url]


def test_short_url_forwards_to_the_product_page(sample_site: Path):
    for product_id in rawdata.products():
        html = (sample_site / "q" / product_id / "index.html").read_text(encoding="utf-8")
        refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
        assert refresh is not None
        target = (sample_site / "q" / product_id / refresh.group(1)).resolve()
        assert target == (sample_site / "san-pham" / product_id).resolve()
        assert (target / "index.html").is_file()
        assert f'<link rel="canonical" href="{SITE_URL}san-pham/{product_id}/">' in html
        assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize(("product_id", "claim"), [
    ("mam-ca-sac-chau-doc", "Giấy chứng nhận OCOP đã bị thu hồi ngày"),
    ("keo-thot-not-o-lam", "Sản phẩm OCOP 3 sao, giấy chứng nhận còn hiệu lực đến 14/03/2028."),
])
def test_short_url_states_the_certificate_status(sample_site: Path, product_id, claim):
    html = (sample_site / "q" / product_id / "index.html").read_text(encoding="utf-8")
    assert claim in html
    assert "Dữ liệu ngày 18/11/2026." in html


def test_every_status_sentence_matches_the_yaml(sample_site: Path):
    for product in rawdata.products().values():
        html = (sample_site / "q" / product.id / "index.html").read_text(encoding="utf-8")
        status = product.status()
        if status in ("valid", "expiring"):
            assert f"Sản phẩm OCOP {product.stars} sao" in html
            assert product.expires.strftime("%d/%m/%Y") in html
        elif status == "revoked":
            assert "thu hồi" in html
        else:
            assert "hết hạn" in html or "chưa được công nhận" in html


def test_producer_page_links_the_printable_codes(sample_site: Path):
    html = (sample_site / "chu-the/htx-thot-not-phuoc-hoa/index.html").read_text(encoding="utf-8")
    assert 'href="../../q/keo-thot-not-o-lam/qr.svg" download="keo-thot-not-o-lam-qr.svg"' in html


def test_mask_cache_reproduces_the_same_symbol(tmp_path, monkeypatch):
    from generator import qr

    urls = [f"{SITE_URL}q/san-pham-{i}/" for i in range(6)]
    cache = qr.MaskCache(tmp_path / "qr-masks.json")
    masks = cache.resolve(urls, jobs=1)
    cache.save()
    assert cache.reused == 0
    again = qr.MaskCache(tmp_path / "qr-masks.json")
    assert again.resolve(urls[:4], jobs=1) == {u: masks[u] for u in urls[:4]}
    assert again.reused == 4
    for url in urls:
        assert qr.qr_svg(url, "t", "d", mask=masks[url]) == qr.qr_svg(url, "t", "d")
    # Masks chosen by worker processes are the ones chosen in this process.
    monkeypatch.setattr(qr, "PARALLEL_FROM", 2)
    parallel = qr.MaskCache(None).resolve(urls, jobs=2)
    assert parallel == masks


@pytest.mark.parametrize("content", ["{not json", '{"key": "segno 0.0, error m", "masks": {}}',
                                     '{"key": 1}', "[]"])
def test_a_damaged_or_foreign_mask_cache_is_ignored(tmp_path, content):
    from generator.qr import MaskCache

    path = tmp_path / "qr-masks.json"
    path.write_text(content, encoding="utf-8")
    cache = MaskCache(path)
    url = f"{SITE_URL}q/x/"
    assert cache.resolve([url], jobs=1) == {url: int(qr_code(url).mask)}
    assert cache.reused == 0
