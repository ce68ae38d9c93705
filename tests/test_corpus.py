"""The bad-input corpus: every case in tests/corpus/ gives exactly its expected output.

Layout (see tests/corpus/README.md): ``tests/corpus/_base/`` is a small valid
catalogue; each other folder is one case whose files are laid over a copy of it.

* ``expected.txt`` — exactly what ``ocop check`` prints (every problem as
  ``path:line:col: field: message``, then the count line, or the OK lines).
  The exit status follows from it: non-zero when the count has an error.
* ``html.txt`` (optional) — what the built site must and must not contain:
  ``page: <file in site/>`` selects a page, ``+ text`` must appear in it,
  ``- text`` must not. All such cases are built together in one site, so they
  only add files (never replace the base's) and use names of their own.
* Inputs that cannot be committed as they are (symbolic links, names that
  differ only in case or Unicode normalisation, huge files) are written by the
  function of the same name in ``MAKERS`` below.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import copy_project, fixed_build_date

from generator.cli import main
from generator.source.yamlsafe import MAX_FILE_BYTES

CORPUS = Path(__file__).resolve().parent / "corpus"
BASE = CORPUS / "_base"
#: Files of a case folder that describe the case rather than belong to the catalogue.
META_FILES = frozenset({"expected.txt", "html.txt"})
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
assert all(c.startswith(("yaml-", "path-", "content-", "place-", "cert-")) for c in CASES), CASES
HTML_CASES = [c for c in CASES if (CORPUS / c / "html.txt").exists()]
PRODUCT = Path("products/htx-thu/duong.yaml")


# --- inputs written by code ------------------------------------------------------

def link(path: Path, target: str, folder: bool = False) -> None:
    """A symbolic link (Windows allows them only with developer mode or as admin)."""
    try:
        path.symlink_to(target, target_is_directory=folder)
    except OSError as exc:
        pytest.skip(f"this system cannot make symbolic links: {exc}")


def yaml_nested_brackets(root: Path) -> None:
    (root / PRODUCT).write_text("name: " + "[" * 100_000 + "\n", encoding="utf-8")


def yaml_oversized(root: Path) -> None:
    text = (BASE / PRODUCT).read_text(encoding="utf-8") + "description: |\n"
    line = "  " + "Đường thốt nốt nấu từ nhựa cây thốt nốt. " * 4 + "\n"
    while len(text.encode("utf-8")) <= MAX_FILE_BYTES:
        text += line
    (root / PRODUCT).write_text(text, encoding="utf-8")


def path_symlink_photo(root: Path) -> None:
    photo = root / "products/htx-thu/photo.png"
    photo.unlink()
    link(photo, "/etc/passwd")


def path_symlink_record(root: Path) -> None:
    link(root / "products/htx-thu/mat-khau.yaml", "/etc/passwd")


def path_symlink_folder(root: Path) -> None:
    link(root / "products/htx-ngoai", "/etc", folder=True)


def path_nfd_file_name(root: Path) -> None:
    # The product file names the photo in NFC (as typed on most systems); on
    # disk the name is NFD (as macOS writes it).
    name = unicodedata.normalize("NFD", "ảnh-đường.png")
    shutil.copyfile(BASE / "products/htx-thu/photo.png", root / "products/htx-thu" / name)


def path_case_clash(root: Path) -> None:
    shutil.copyfile(BASE / "products/htx-thu/photo.png", root / "products/htx-thu/PHOTO.png")


def path_normalisation_clash(root: Path) -> None:
    for form in ("NFC", "NFD"):
        name = unicodedata.normalize(form, "ảnh.png")
        shutil.copyfile(BASE / "products/htx-thu/photo.png", root / "products/htx-thu" / name)


def path_windows_device_names(root: Path) -> None:
    # Git on Windows cannot check such names out, so they are written here.
    if os.name == "nt":
        pytest.skip("Windows itself refuses these names")
    (root / "products/con").mkdir()
    shutil.copyfile(BASE / "products/htx-thu/producer.yaml", root / "products/con/producer.yaml")
    shutil.copyfile(BASE / PRODUCT, root / "products/htx-thu/nul.yaml")
    fairs = root / "content/fairs"
    fairs.mkdir(parents=True)
    (fairs / "com1.yaml").write_text("name: Hội chợ\nstarts: 2026-01-01\nends: 2026-01-02\n"
                                     "venue: Nhà văn hóa\ncity: Long Xuyên\n", encoding="utf-8")


def path_symlink_content(root: Path) -> None:
    # A page, a file and a folder of content/ that are links to files outside the project.
    link(root / "content/mat-khau.md", "/etc/passwd")
    link(root / "content/may.txt", "/etc/hostname")
    link(root / "content/he-thong", "/etc", folder=True)


def path_photo_truncated(root: Path) -> None:
    photo = root / "products/htx-thu/photo.png"
    data = photo.read_bytes()
    photo.write_bytes(data[: len(data) // 2])


def path_photo_bomb(root: Path) -> None:
    # A PNG whose header claims 30,000 x 30,000 pixels (900 MP) in a few bytes.
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
           + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
    (root / "products/htx-thu/photo.png").write_bytes(png)


def path_theme_symlink(root: Path) -> None:
    # The project's own theme overrides hold a link to a file outside.
    overrides = root / "overrides"
    (overrides / "assets").mkdir(parents=True)
    link(overrides / "assets/khoa.txt", "/etc/hostname")
    config = root / "mkdocs.yml"
    text = re.sub(r"custom_dir: .*", "custom_dir: overrides", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")


def path_folders_outside(root: Path) -> None:
    # mkdocs.yml names a page folder and a theme folder beside the project.
    for name in ("trang-ngoai", "giao-dien-ngoai"):
        (root.parent / name).mkdir()
    (root.parent / "trang-ngoai/index.md").write_text("# Ngoài\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("docs_dir: content",
                                                      "docs_dir: ../trang-ngoai")
    text = re.sub(r"custom_dir: .*", "custom_dir: ../giao-dien-ngoai", text)
    config.write_text(text, encoding="utf-8")


MAKERS: dict[str, Callable[[Path], None]] = {
    f.__name__.replace("_", "-"): f
    for f in (yaml_nested_brackets, yaml_oversized, path_symlink_photo, path_symlink_record,
              path_symlink_folder, path_nfd_file_name, path_case_clash,
              path_normalisation_clash, path_windows_device_names, path_symlink_content,
              path_photo_truncated, path_photo_bomb, path_theme_symlink, path_folders_outside)
}


# --- laying out and running a case ------------------------------------------------

def _case_files(case: str) -> list[Path]:
    folder = CORPUS / case
    return sorted(p.relative_to(folder) for p in folder.rglob("*")
                  if p.is_file() and p.relative_to(folder).as_posix() not in META_FILES)


def lay_out(dest: Path, cases: list[str]) -> Path:
    """A project at ``dest``: the base catalogue with the cases' files laid over it."""
    copy_project(BASE, dest, symlinks=True)
    for case in cases:
        for rel in _case_files(case):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(CORPUS / case / rel, dest / rel)
        if case in MAKERS:
            MAKERS[case](dest)
    return dest


def check_output(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["-f", str(root / "mkdocs.yml"), "check"])
    captured = capsys.readouterr()
    return status, captured.err + captured.out


def test_corpus_layout():
    """Every case states its expectation; every maker has its case folder."""
    assert len(CASES) >= 40
    for case in CASES:
        assert (CORPUS / case / "expected.txt").is_file(), case
        assert _case_files(case) or case in MAKERS, f"{case}: no input"
    assert set(MAKERS) <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_case_gives_exactly_its_expected_output(case: str, tmp_path: Path, fixed_date: None,
                                                capsys: pytest.CaptureFixture[str]):
    root = lay_out(tmp_path / "project", [case])
    status, output = check_output(root, capsys)
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8")
    assert output == expected
    errors = int(re.search(r"^(\d+) error\(s\), \d+ warning\(s\)$", output, re.M).group(1))
    assert status == (1 if errors else 0)


#: Cases whose problems only a build used to find (photos, pages, theme, folders):
#: ``ocop check`` must report them, and the build must stop with exactly the same.
BUILD_CASES = [
    "path-symlink-content", "path-theme-symlink", "path-folders-outside",
    "path-photo-not-an-image", "path-photo-truncated", "path-photo-empty", "path-photo-bomb",
    "content-front-matter-alias-bomb", "content-front-matter-fields", "content-broken-links",
    "content-top-lines-read-as-meta", "path-extension-case",
]


@pytest.mark.parametrize("case", BUILD_CASES)
def test_the_build_finds_what_check_finds(case: str, tmp_path: Path, fixed_date: None):
    from generator.adapter.publish import BuildFailed, build_site

    root = lay_out(tmp_path / "project", [case])
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8")
    if expected.startswith("0 error(s)"):
        build_site(root / "mkdocs.yml", root / "site")
        return
    with pytest.raises(BuildFailed) as failed:
        build_site(root / "mkdocs.yml", root / "site")
    assert str(failed.value) == "The catalogue has problems:\n" + expected.rstrip("\n")
    assert not (root / "site").exists()
    assert not any(p.name.startswith(".site.") for p in root.iterdir())


# --- what the built site shows ------------------------------------------------------

def _expectations(case: str) -> list[tuple[str, str, str]]:
    """(page, '+' or '-', text) triples of a case's html.txt."""
    page = ""
    out = []
    for line in (CORPUS / case / "html.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("page: "):
            page = line.removeprefix("page: ").strip()
            continue
        sign, text = line[:2], line[2:]
        assert sign in ("+ ", "- ") and page, f"{case}: bad html.txt line {line!r}"
        out.append((page, sign[0], text))
    return out


@pytest.fixture(scope="module")
def html_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One site built from the base and every case that has html.txt."""
    from generator.adapter.publish import build_site

    base_files = {p.relative_to(BASE) for p in BASE.rglob("*") if p.is_file()}
    seen: dict[Path, str] = {}
    for case in HTML_CASES:
        for rel in _case_files(case):
            assert rel not in base_files, f"{case}: html cases add files, never replace {rel}"
            assert rel not in seen, f"{case} and {seen[rel]} both write {rel}"
            seen[rel] = case
    root = lay_out(tmp_path_factory.mktemp("corpus") / "project", HTML_CASES)
    with fixed_build_date():
        return build_site(root / "mkdocs.yml", root / "site")


@pytest.mark.parametrize("case", HTML_CASES)
def test_case_page_shows_input_safely(case: str, html_site: Path):
    expectations = _expectations(case)
    assert expectations
    for page, sign, text in expectations:
        html = (html_site / page).read_text(encoding="utf-8")
        if sign == "+":
            assert text in html, f"{case}: {page} lacks {text!r}"
        else:
            assert text not in html, f"{case}: {page} contains {text!r}"
