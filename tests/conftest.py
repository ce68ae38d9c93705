"""Shared fixtures: building sites and small catalogues for tests."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: 2026-11-18 12:00 UTC: the fixed build date of golden outputs.
FIXED_EPOCH = "1795003200"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/* from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """A writable copy of the mini fixture catalogue (theme path kept working)."""
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("custom_dir: ../../../theme",
                                   f"custom_dir: {ROOT / 'theme'}"), encoding="utf-8")
    return dest


#: The build date of FIXED_EPOCH in Vietnam.
FIXED_DATE = dt.date(2026, 11, 18)


@pytest.fixture(scope="session")
def sample_catalogue():
    """The sample catalogue, loaded and linked on FIXED_DATE (read-only for tests)."""
    from generator.pipeline import build_catalogue
    from generator.source.load import SourceLayout
    from generator.source.problems import Problems

    problems = Problems()
    catalogue = build_catalogue(SourceLayout.default(ROOT), FIXED_DATE, problems)
    assert not problems.errors, problems.report()
    return catalogue


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample catalogue, built once per test session with a fixed date."""
    from generator.adapter.publish import build_site

    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    try:
        site = tmp_path_factory.mktemp("sample") / "site"
        build_site(ROOT / "mkdocs.yml", site, strict=True)
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return site


WriteFiles = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def write_catalogue(tmp_path: Path) -> WriteFiles:
    """Write files (relative path → text or bytes) into an empty project."""

    def write(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "project"
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        (root / "products").mkdir(parents=True, exist_ok=True)
        return root

    return write
