"""The web editor (/quan-tri/) in Chromium, saving through Decap's local backend.

decap-server (tools/web-editor, installed by .ci/run) writes into a copy of the
sample project, as ``make edit`` does into the working copy. The editor page comes
from the built sample site; only its config's local-backend address is pointed at
this test's server.

With OCOP_GUIDE_SCREENSHOTS=<folder> the tests also save the screenshots the
publishing guide shows (``make guide-screenshots``).
"""

from __future__ import annotations

import difflib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, fixed_build_date
from conftest import run_ocop as run

SERVER = ROOT / "tools" / "web-editor" / "node_modules" / "decap-server" / "dist" / "index.js"
PHOTO = ROOT / "products" / "banh-bo-thot-not-neang-sa-rinh" / "banh-bo-thot-not-tinh-bien-1.jpg"
SHOTS = os.environ.get("OCOP_GUIDE_SCREENSHOTS")
#: Decap 3.16 was seen waiting 8 s and 30 s before sending a save, or showing a form,
#: when a page was opened during its redirect after a save with a photo
#: (waitForMediaLibraryToLoad, limit 30 s); the tests wait for that redirect.
SAVE_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the sample project (records, photos, pages, mkdocs.yml)."""
    dest = tmp_path / "project"
    for name in ("products", "content"):
        shutil.copytree(ROOT / name, dest / name)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs.yml").write_text(
        text.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}"), encoding="utf-8")
    return dest


@pytest.fixture
def backend(project: Path) -> Iterator[str]:
    """decap-server on ``project``: its API address."""
    node = shutil.which("node")
    if node is None or not SERVER.exists():
        pytest.fail("decap-server is not installed: npm ci --prefix tools/web-editor "
                    "(.ci/run does it)")
    port = _free_port()
    env = {**os.environ, "GIT_REPO_DIRECTORY": str(project), "PORT": str(port),
           "BIND_HOST": "127.0.0.1", "LOG_LEVEL": "warn"}
    server = subprocess.Popen([node, str(SERVER)], env=env)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("decap-server did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def editor(offline_page, site_url: str, backend: str):
    """The editor page, signed in to the local backend."""
    page = offline_page

    def config(route) -> None:
        response = route.fetch()
        text = response.text().replace("local_backend: true",
                                       f"local_backend:\n  url: {backend}")
        route.fulfill(response=response, body=text, content_type="text/yaml")

    page.route("**/quan-tri/config.yml", config)
    page.goto(f"{site_url}quan-tri/")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Cơ sở Bánh Bò Thốt Nốt Néang Sa Rinh").wait_for()
    page.editor_url = f"{site_url}quan-tri/#/collections/"
    return page


def _shot(page, name: str, show: str | None = None) -> None:
    """Save what the screen shows (``show``: a field to bring into view first)."""
    if SHOTS:
        if show:
            page.locator(f"input[id^={show}-field]").first.scroll_into_view_if_needed()
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.jpg"), type="jpeg", quality=80)


def _open(page, where: str) -> None:
    """Go to an editor page and wait for its form (Decap may first wait for its media
    library, see SAVE_TIMEOUT_S)."""
    page.goto(page.editor_url + where)
    page.locator("input[id^=name-field]").first.wait_for(timeout=SAVE_TIMEOUT_S * 1000)


def _choose(page, field: str, text: str) -> None:
    """Pick ``text`` in a select or relation field (a searchable list)."""
    page.locator(f"input[id^={field}-field]").first.fill(text)
    page.locator("[class*=option]").filter(has_text=text).first.click()


def _publish(page) -> None:
    page.get_by_text("Công bố", exact=True).first.click()
    page.get_by_text("Công bố ngay", exact=True).click()


def _saved(page, done) -> None:
    """Wait until Decap says the entry is saved, then check ``done()`` (the file)."""
    page.locator("text=/Thay đổi đã được lưu/i").wait_for(timeout=SAVE_TIMEOUT_S * 1000)
    assert done(), "the editor said it saved, but the file is not there"


NEW_PRODUCT = """\
# yaml-language-server: $schema=../../generator/schemas/product.schema.json
name: Bánh bò lá dứa
category: thuc-pham-che-bien
ocop:
  stars: 4
  decision: 12/QĐ-UBND
  issued: 2026-05-20
photos:
  - file: banh-bo-la-dua.jpg
    alt: Bánh bò lá dứa xanh trong hộp giấy
price:
  amount: 35000
  unit: hộp 10 cái
"""


def test_staff_add_a_producer_and_a_product_with_a_photo(
        editor, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    page = editor
    _shot(page, "1-danh-sach")
    # A producer: its folder is named after it.
    _open(page, "producers/new")
    page.locator("input[id^=name-field]").first.fill("Cơ sở Bánh Lá Dứa Út Mười")
    _choose(page, "type", "Hộ sản xuất kinh doanh")
    page.locator("input[id^=commune-field]").fill("Phường Tịnh Biên")
    page.locator("input[id^=province-field]").fill("An Giang")
    producer = project / "products" / "co-so-banh-la-dua-ut-muoi" / "producer.yaml"
    _publish(page)
    _saved(page, producer.exists)
    # Decap then moves to the new entry's address; going elsewhere before that races it.
    page.wait_for_url("**/producers/entries/co-so-banh-la-dua-ut-muoi/producer")
    assert producer.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../generator/schemas/producer.schema.json\n"
        "name: Cơ sở Bánh Lá Dứa Út Mười\ntype: household\naddress:\n"
        "  commune: Phường Tịnh Biên\n  province: An Giang\n")

    # A product of that producer, with a photo uploaded from this computer.
    upload = tmp_path / "Bánh bò lá dứa.jpg"
    shutil.copyfile(PHOTO, upload)
    _open(page, "products/new")
    _choose(page, "producer", "Cơ sở Bánh Lá Dứa Út Mười")
    page.locator("input[id^=name-field]").first.fill("Bánh bò lá dứa")
    _choose(page, "category", "Thực phẩm chế biến")
    page.locator("input[id^=stars-field]").fill("4")
    page.locator("input[id^=decision-field]").first.fill("12/QĐ-UBND")
    page.locator("input[id^=issued-field]").fill("2026-05-20")
    page.get_by_role("button", name="Add ảnh sản phẩm").click()
    page.get_by_role("button", name="Chọn một hình").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Tải lên", exact=True).click()
    chooser.value.set_files(str(upload))
    _shot(page, "3-tai-anh")
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.locator("input[id^=alt-field]").fill("Bánh bò lá dứa xanh trong hộp giấy")
    page.locator("input[id^=amount-field]").fill("35000")
    page.locator("input[id^=unit-field]").fill("hộp 10 cái")
    _shot(page, "2-san-pham-moi", show="producer")
    folder = producer.parent
    _publish(page)
    _saved(page, (folder / "banh-bo-la-dua.yaml").exists)

    assert sorted(p.name for p in folder.iterdir()) == [
        "banh-bo-la-dua.jpg", "banh-bo-la-dua.yaml", "producer.yaml"]
    assert (folder / "banh-bo-la-dua.jpg").read_bytes() == PHOTO.read_bytes()
    assert (folder / "banh-bo-la-dua.yaml").read_text(encoding="utf-8") == NEW_PRODUCT
    assert run(project, capsys, "fmt", "--check")[0] == 0
    with fixed_build_date():
        status, out, err = run(project, capsys, "check")
        assert status == 0, err
        assert out.splitlines()[-1].startswith("OK: 43 products, 29 producers")
        site = tmp_path / "site"
        assert run(project, capsys, "build", "--site-dir", str(site))[0] == 0
    html = (site / "san-pham" / "banh-bo-la-dua" / "index.html").read_text(encoding="utf-8")
    assert "Bánh bò lá dứa" in html
    assert 'alt="Bánh bò lá dứa xanh trong hộp giấy"' in html
    # The photo, processed like any other (named by its content).
    img = html.split('alt="Bánh bò lá dứa xanh trong hộp giấy"')[0].rpartition("<img ")[2]
    assert img.startswith('src="../../anh/') and img.split('"')[1].endswith("-640.jpg")


def test_editing_the_price_changes_one_line(editor, project: Path):
    page = editor
    folder = project / "products" / "banh-bo-thot-not-neang-sa-rinh"
    path = folder / "banh-bo-thot-not-tinh-bien.yaml"
    before = path.read_text(encoding="utf-8")
    _open(page, "products/entries/banh-bo-thot-not-neang-sa-rinh/banh-bo-thot-not-tinh-bien")
    page.locator("input[id^=amount-field]").fill("32000")
    page.locator("text=/Thay đổi chưa được lưu/i").wait_for()
    _shot(page, "4-sua-gia")
    _publish(page)
    _saved(page, lambda: path.read_text(encoding="utf-8") != before)
    after = path.read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                     lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-  amount: 30000", "+  amount: 32000"]


def test_the_form_refuses_a_missing_name_and_seven_stars(editor, project: Path):
    page = editor
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    _open(page, "products/new")
    _choose(page, "producer", "Cơ sở Bánh Bò Thốt Nốt Néang Sa Rinh")
    _choose(page, "category", "Thực phẩm chế biến")
    page.locator("input[id^=stars-field]").fill("7")
    _publish(page)
    page.get_by_text("Bạn còn thiếu vài thông tin bắt buộc. Hãy hoàn thành trước khi lưu."
                     ).wait_for()
    page.get_by_text("Tên sản phẩm bắt buộc nhập.").wait_for()
    page.get_by_text("Số sao được công nhận phải nằm trong khoảng từ 3 đến 5.").wait_for()
    _shot(page, "5-loi", show="name")
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_a_new_product_needs_its_producer(editor, project: Path):
    page = editor
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    _open(page, "products/new")
    page.locator("input[id^=name-field]").first.fill("Bánh không chủ")
    _choose(page, "category", "Thực phẩm chế biến")
    page.get_by_role("button", name="Add ảnh sản phẩm").click()
    page.get_by_role("button", name="Chọn một hình").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Tải lên", exact=True).click()
    chooser.value.set_files(str(PHOTO))
    page.get_by_role("button", name="Lấy những cái đã chọn").click()
    page.locator("input[id^=alt-field]").fill("Ảnh")
    _publish(page)
    page.get_by_text("Không thể giữ lại mục: Error: hãy chọn chủ thể của sản phẩm mới (ô “Chủ thể”)"
                     ).wait_for(timeout=SAVE_TIMEOUT_S * 1000)
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_a_hand_written_page_keeps_its_markdown(editor, project: Path):
    """Pages are edited as raw Markdown: MkDocs' own syntax ({ #anchor }) survives."""
    page = editor
    path = project / "content" / "huong-dan-dang-tai.md"
    before = path.read_text(encoding="utf-8")
    assert "{ #doc-thong-bao-loi }" in before
    page.goto(page.editor_url + "pages/entries/huong-dan-dang-tai")
    # Decap's raw Markdown editor is a plain-text editable area (Slate), not a textarea.
    body = page.locator("[data-slate-editor=true]").first
    body.wait_for(timeout=SAVE_TIMEOUT_S * 1000)
    last = body.locator("[data-slate-node=element]").last
    last.scroll_into_view_if_needed()
    last.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("Một dòng mới.")
    _publish(page)
    _saved(page, lambda: path.read_text(encoding="utf-8") != before)
    assert path.read_text(encoding="utf-8") == before + "\nMột dòng mới.\n"


def test_a_photo_the_build_cannot_use_is_refused_before_upload(editor, tmp_path: Path):
    page = editor
    gif = tmp_path / "Ảnh chụp.gif"
    gif.write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    _open(page, "products/new")
    page.get_by_role("button", name="Add ảnh sản phẩm").click()
    page.get_by_role("button", name="Chọn một hình").click()
    messages: list[str] = []
    page.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Tải lên", exact=True).click()
    chooser.value.set_files(str(gif))
    for _ in range(50):
        if messages:
            break
        page.wait_for_timeout(100)
    assert messages == ["Không dùng được ảnh “Ảnh chụp.gif”: chỉ nhận ảnh JPEG, JPG, PNG, "
                        "WEBP. Hãy lưu ảnh dạng JPG rồi tải lên lại."]
    page.wait_for_timeout(500)
    assert page.get_by_text("anh-chup").count() == 0  # not in the media library
