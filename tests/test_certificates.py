"""A product's certificate history: which certificate is current, and what each says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXED_DATE

from generator.pipeline import build_catalogue
from generator.source.layout import SourceLayout
from generator.source.problems import Problems

PRODUCT = "products/htx-thot-not-mau/ruou-thot-not.yaml"


def history_of(project: Path, certificates: str):
    (project / PRODUCT).write_text(
        "name: Rượu thốt nốt\ncategory: do-uong-co-con\ncertificates:\n" + certificates
        + "photos:\n  - {file: ruou.png, alt: Chai rượu}\n", encoding="utf-8")
    problems = Problems()
    catalogue = build_catalogue(SourceLayout.default(project), FIXED_DATE, problems)
    assert not problems.errors, problems.report()
    product = catalogue.products["ruou-thot-not"]
    return product, [(c.rating.stars, c.status.code, c.current, c.superseded)
                     for c in product.history]


@pytest.mark.parametrize(("certificates", "expected", "path"), [
    pytest.param(  # upgraded while the 3-star certificate still ran
        "  - {stars: 3, decision: 1/QĐ, issued: 2022-08-15}\n"
        "  - {stars: 4, decision: 2/QĐ, issued: 2024-10-02}\n",
        [(3, "expired", False, True), (4, "valid", True, False)], "certificates[1]",
        id="upgrade"),
    pytest.param(  # renewed after a lapse: the old one is not 'superseded'
        "  - {stars: 4, decision: 1/QĐ, issued: 2021-01-05}\n"
        "  - {stars: 4, decision: 2/QĐ, issued: 2026-05-20}\n",
        [(4, "expired", False, False), (4, "valid", True, False)], "certificates[1]",
        id="renewed-after-lapse"),
    pytest.param(  # the newer one revoked: the older one, still running, is what holds
        "  - {stars: 3, decision: 1/QĐ, issued: 2024-01-10}\n"
        "  - stars: 4\n    decision: 2/QĐ\n    issued: 2025-06-01\n"
        "    revoked: {date: 2026-02-01}\n",
        [(3, "expiring", True, False), (4, "revoked", False, False)], "certificates[0]",
        id="newer-revoked"),
    pytest.param(  # nothing in force: the newest says why
        "  - {stars: 3, decision: 1/QĐ, issued: 2018-03-01}\n"
        "  - {stars: 3, decision: 2/QĐ, issued: 2022-01-10}\n",
        [(3, "expired", False, False), (3, "expired", True, False)], "certificates[1]",
        id="all-expired"),
])
def test_current_certificate(mini_project: Path, certificates: str, expected: list,
                             path: str):
    product, history = history_of(mini_project, certificates)
    assert history == expected
    current = next(c for c in product.history if c.current)
    assert (product.ocop, product.status, product.ocop_path) == (
        current.rating, current.status, path)


def test_a_revocation_dated_after_the_build_date_is_not_stated_yet(mini_project: Path):
    """Decided, not yet in effect: the history must not say "đã thu hồi" today."""
    product, _ = history_of(
        mini_project,
        "  - {stars: 3, decision: 1/QĐ, issued: 2022-08-15}\n"
        "  - stars: 4\n    decision: 2/QĐ\n    issued: 2025-06-01\n"
        "    revoked: {date: 2027-01-15}\n")
    assert [c.state for c in product.history] == ["superseded", "current"]
    from generator.write.verify_pages import history_items

    assert history_items(product)[0] == ("4 sao, cấp ngày 01/06/2025, quyết định 2/QĐ: "
                                         "giấy chứng nhận hiện tại.")


def test_one_certificate_written_as_ocop_is_a_history_of_one(mini_project: Path):
    problems = Problems()
    catalogue = build_catalogue(SourceLayout.default(mini_project), FIXED_DATE, problems)
    product = catalogue.products["duong-thot-not"]
    assert [(c.rating, c.current, c.superseded) for c in product.history] == [
        (product.ocop, True, False)]
    assert product.ocop_path == "ocop"


def test_qr_page_and_product_page_state_the_history(sample_site: Path):
    """What a QR scan opens names every certificate, newest first; so does the page."""
    qr = (sample_site / "q/mam-ca-linh-chau-doc/index.html").read_text(encoding="utf-8")
    assert ("<p>Sản phẩm OCOP 5 sao, giấy chứng nhận còn hiệu lực đến 20/10/2028. "
            "(Dữ liệu ngày 18/11/2026.)</p>\n"
            "<h2>Lịch sử chứng nhận</h2>\n<ol reversed>\n"
            "<li>5 sao, cấp ngày 20/10/2025, quyết định 4512/QĐ-BNNMT: "
            "giấy chứng nhận hiện tại.</li>\n"
            "<li>5 sao, cấp ngày 05/09/2022, quyết định 3103/QĐ-BNN-VPĐP: "
            "hết hạn ngày 05/09/2025.</li>\n"
            "<li>4 sao, cấp ngày 12/09/2019, quyết định 2456/QĐ-UBND: "
            "được thay bằng lần công nhận sau.</li>\n</ol>\n") in qr
    page = (sample_site / "san-pham/tieu-den-phu-quoc/index.html").read_text(encoding="utf-8")
    start = page.index('id="lich-su-chung-nhan"')
    history = page[start:page.index("</ol>", start)]
    assert [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).split(".")[0].strip()
            for li in re.findall(r"<li.*?</li>", history, re.S)] == [
        "4 sao (83/100 điểm), cấp ngày 02/10/2024, cấp tỉnh, quyết định 2105/QĐ-UBND, "
        "giấy chứng nhận số KG-4S-0063/2024",
        "3 sao (68/100 điểm), cấp ngày 15/08/2022, cấp tỉnh, quyết định 1520/QĐ-UBND, "
        "giấy chứng nhận số KG-3S-0121/2022"]
    # A product certified once has no history section.
    once = (sample_site / "san-pham/kho-ech-bay-nui/index.html").read_text(encoding="utf-8")
    assert "lich-su-chung-nhan" not in once
    assert "Lịch sử chứng nhận" not in (
        sample_site / "q/kho-ech-bay-nui/index.html").read_text(encoding="utf-8")
