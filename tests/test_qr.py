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

from generator.media.qr_codes import QUIET_ZONE, qr_code

SITE_URL = "https://ocop.example.vn/"
SVG = "{http://www.w3.org/2000/svg}"
#: A signing key for the QR cache (``record_cache.signing_key`` gives a build its own).
SECRET = bytes(range(32))


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



def test_cached_codes_are_the_codes(tmp_path, monkeypatch):
    from generator.media import qr_codes as qr

    requests = [qr.QrRequest(f"{SITE_URL}q/san-pham-{i}/", f"Mã QR {i}", "Quét") for i in range(6)]
    codes = qr.QrCodes(tmp_path, jobs=1, secret=SECRET)
    codes.prepare(requests)
    assert (codes.reused, codes.made) == (0, 6)
    fresh = [qr.qr_svg(r.url, r.title, r.description) for r in requests]
    assert [codes.svg(r) for r in requests] == fresh
    again = qr.QrCodes(tmp_path, jobs=1, secret=SECRET)
    again.prepare(requests[:4])
    assert (again.reused, again.made) == (4, 0)
    # Codes no longer in the catalogue leave the cache.
    assert sorted(p.name for p in (tmp_path / "qr").iterdir()) == sorted(
        qr.file_name(SECRET, r) for r in requests[:4])
    # Codes wanted but not needed now (their files are left in a kept site) stay in
    # the cache; only the needed ones missing from it are made.
    needed = qr.QrCodes(tmp_path, jobs=1, secret=SECRET)
    needed.prepare(requests, needed=requests[4:5])
    assert (needed.reused, needed.made) == (0, 1)
    assert sorted(p.name for p in (tmp_path / "qr").iterdir()) == sorted(
        qr.file_name(SECRET, r) for r in requests[:5])
    needed.prepare(requests[:5], needed=[])
    assert len(list((tmp_path / "qr").iterdir())) == 5
    # A damaged cache file is made again, not served.
    (tmp_path / "qr" / qr.file_name(SECRET, requests[0])).write_bytes(b"<?xml trunc")
    assert again.svg(requests[0]) == fresh[0]
    # Codes made by worker processes are the ones made here.
    monkeypatch.setattr(qr, "PARALLEL_FROM", 2)
    parallel = qr.QrCodes(tmp_path / "p", jobs=2, secret=SECRET)
    parallel.prepare(requests)
    assert parallel.made == 6
    assert [parallel.svg(r) for r in requests] == fresh
    assert [qr.QrCodes(None).svg(r) for r in requests[:2]] == fresh[:2]


def test_only_codes_this_machine_signed_are_served(tmp_path):
    """The cache folder is in a checkout a pull request can add files to, and an SVG
    runs its scripts when opened: a cached file is served only with its signature."""
    from generator.media import qr_codes as qr

    first, second = (qr.QrRequest(f"{SITE_URL}q/san-pham-{i}/", f"Mã QR {i}", "Quét")
                     for i in range(2))
    codes = qr.QrCodes(tmp_path, jobs=1, secret=SECRET)
    codes.prepare([first, second])
    fresh = qr.qr_svg(first.url, first.title, first.description)
    folder = tmp_path / "qr"
    evil = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
            b"<script>alert(1)</script></svg>\n")
    signed = (folder / qr.file_name(SECRET, first)).read_bytes()
    assert signed.endswith(fresh) and len(signed) == len(fresh) + qr.MAC_SIZE
    forgeries = {
        "unsigned": evil,
        "signature of the real code": signed[:qr.MAC_SIZE] + evil,
        "signed with another key": qr._mac(bytes(32), first.key, evil) + evil,
        "signed for another code": (folder / qr.file_name(SECRET, second)).read_bytes(),
    }
    for why, forged in forgeries.items():
        (folder / qr.file_name(SECRET, first)).write_bytes(forged)
        assert codes.svg(first) == fresh, why
        # ... and the file is made again, signed.
        assert (folder / qr.file_name(SECRET, first)).read_bytes() == signed, why
    # A code cached before files were signed is not served either: it is removed.
    (folder / f"{first.key}.svg").write_bytes(evil)
    codes.prepare([first, second])
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        qr.file_name(SECRET, r) for r in (first, second))
    # Without a signing key nothing is cached.
    assert qr.QrCodes(tmp_path / "keyless", jobs=1).folder is None


def test_codes_cached_under_another_key_are_made_again_together(tmp_path):
    """A CI run without a fixed key has a key of its own and restores the cache of the
    run before: those files are not this key's, so they count as missing (made with the
    others, on all cores, not found bad one by one while the pages are written) and
    leave the cache."""
    from generator.media import qr_codes as qr

    requests = [qr.QrRequest(f"{SITE_URL}q/san-pham-{i}/", f"Mã QR {i}", "Quét")
                for i in range(3)]
    qr.QrCodes(tmp_path, jobs=1, secret=SECRET).prepare(requests)
    other = bytes(reversed(SECRET))
    codes = qr.QrCodes(tmp_path, jobs=1, secret=other)
    codes.prepare(requests)
    assert (codes.reused, codes.made) == (0, 3)
    assert sorted(p.name for p in (tmp_path / "qr").iterdir()) == sorted(
        qr.file_name(other, r) for r in requests)


def test_cache_key_covers_what_shapes_the_file():
    from generator.media.qr_codes import QrRequest

    base = QrRequest(f"{SITE_URL}q/a/", "t", "d")
    assert len({base.key, QrRequest(f"{SITE_URL}q/b/", "t", "d").key,
                QrRequest(base.url, "t2", "d").key, QrRequest(base.url, "t", "d2").key}) == 4


def test_a_build_publishes_no_forged_code(mini_project: Path, fixed_date, tmp_path):
    """A pull request can add files under ``.cache/``: codes written there by hand
    (scripts in an SVG) are not published, though their names are the cache's."""
    from generator.adapter.publish import build_site
    from generator.media.qr_codes import MAC_SIZE

    build_site(mini_project / "mkdocs.yml", tmp_path / "first")
    cached = sorted((mini_project / ".cache" / "ocop" / "qr").glob("*.qr"))
    assert cached
    evil = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
            b"<script>alert(1)</script></svg>\n")
    for path in cached:
        # In the cache's shape, with the real code's signature.
        path.write_bytes(path.read_bytes()[:MAC_SIZE] + evil)
    build_site(mini_project / "mkdocs.yml", tmp_path / "second")
    codes = sorted((tmp_path / "second" / "q").glob("*/qr.svg"))
    assert len(codes) == len(cached)
    assert [p.read_bytes() for p in codes] == [
        (tmp_path / "first" / p.relative_to(tmp_path / "second")).read_bytes()
        for p in codes]


def test_the_cache_folder_is_written_and_cleaned_without_following_links(tmp_path):
    """What a pull request may place in the cache folder: a link where a code's file
    goes (to a file signed for that code, even), a folder of a code's name, the folder
    itself a link. No file outside the folder is read, written or removed, every code
    is the right one, and the build does not fail."""
    import os
    import time

    from generator.media import qr_codes as qr

    first, second = (qr.QrRequest(f"{SITE_URL}q/san-pham-{i}/", f"Mã QR {i}", "Quét")
                     for i in range(2))
    fresh = [qr.qr_svg(r.url, r.title, r.description) for r in (first, second)]
    qr.QrCodes(tmp_path / "other", jobs=1, secret=SECRET).prepare([first])
    outside = tmp_path / "outside.qr"
    signed = (tmp_path / "other" / "qr" / qr.file_name(SECRET, first)).read_bytes()
    outside.write_bytes(signed)
    folder = tmp_path / "cache" / "qr"
    folder.mkdir(parents=True)
    (folder / qr.file_name(SECRET, first)).symlink_to(outside)
    (folder / qr.file_name(SECRET, second)).mkdir()
    codes = qr.QrCodes(tmp_path / "cache", jobs=1, secret=SECRET)
    codes.prepare([first, second])
    assert [codes.svg(r) for r in (first, second)] == fresh
    assert outside.read_bytes() == signed
    # The link was not read but replaced by a signed file; the folder stays (the code
    # is made).
    assert not (folder / qr.file_name(SECRET, first)).is_symlink()
    assert (folder / qr.file_name(SECRET, first)).read_bytes().endswith(fresh[0])
    assert (folder / qr.file_name(SECRET, second)).is_dir()
    # A temporary file is removed once it is old, not while a build may write it.
    young, old = folder / "a.qr.1.tmp", folder / "b.qr.2.tmp"
    young.write_bytes(b"")
    old.write_bytes(b"")
    os.utime(old, (time.time() - qr.LEFTOVER_S - 60,) * 2)
    codes.prepare([first, second])
    assert young.exists() and not old.exists()
    # The folder itself a link: no cache (cleaning it would remove files elsewhere).
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.svg").write_bytes(b"<svg/>")
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "qr").symlink_to(elsewhere, target_is_directory=True)
    linked = qr.QrCodes(tmp_path / "linked", jobs=1, secret=SECRET)
    linked.prepare([first])
    assert linked.folder is None and linked.svg(first) == fresh[0]
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.svg"]
