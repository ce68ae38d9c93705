"""Shared fixtures: building sites and small catalogues for tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: 2026-11-18 12:00 UTC: the fixed build date of golden outputs.
FIXED_EPOCH = "1795003200"


@pytest.fixture(autouse=True, scope="session")
def record_cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The record cache's signing key in a folder of the test run, not the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OCOP_KEY_DIR", str(tmp_path_factory.mktemp("key")))
        # Builds of the sample share its cache folder, and tests change code and
        # templates under a build: no page is reused unless a test asks for it
        # (tests/test_page_cache.py).
        patch.setenv("OCOP_PAGE_CACHE", "0")
        yield


@pytest.fixture(autouse=True)
def digests_apart_are_this_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wherever a build takes the digests its forked children made (``render/
    digests_apart.py``), they are those this process makes of its catalogue and
    pages: every test whose build forks them checks that planning and the
    records stayed pure (ARCHITECTURE.md)."""
    from generator.adapter import plugin
    from generator.adapter.config import site_languages
    from generator.plan import plan_pages
    from generator.render.page_cache import record_digests, spec_digests

    made_digests = plugin.CataloguePlugin._made_digests

    def checked(self: plugin.CataloguePlugin) -> object:
        made = made_digests(self)
        if made is not None:
            specs = plan_pages(self.catalogue, site_languages(self.config))
            # A part a child did not give (it failed, or was made to) is None.
            assert made.records in (None, record_digests(self.catalogue))
            assert made.pages in (None, dict(zip((spec.url for spec in specs),
                                                 spec_digests(specs), strict=True)))
        return made

    monkeypatch.setattr(plugin.CataloguePlugin, "_made_digests", checked)
    keys_of = plugin.page_keys

    def keyed(settings: object, specs: list, digests: list[str] | None = None) -> list[str]:
        # The pages' child digested the specs as they were when it forked: they
        # must be those of the specs the build keys now (nothing changed them since).
        if digests is not None:
            assert digests == spec_digests(specs)
        return keys_of(settings, specs, digests)

    monkeypatch.setattr(plugin, "page_keys", keyed)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/* from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@contextlib.contextmanager
def fixed_build_date(epoch: str = FIXED_EPOCH) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set while inside, restored after (for fixtures wider than
    a test, which cannot use the ``monkeypatch`` fixture)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch)
        yield


def run_ocop(project: Path, capsys: pytest.CaptureFixture[str],
             *args: str) -> tuple[int, str, str]:
    """``ocop -f <project>/mkdocs.yml <args>`` in this process: (status, stdout, stderr)."""
    from generator.cli import main

    status = main(["-f", str(project / "mkdocs.yml"), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def copy_project(source: Path, dest: Path, symlinks: bool = False) -> Path:
    """A writable copy of a fixture project whose mkdocs.yml points at ``../../../theme``."""
    # Never a cache a local run left in the fixture: each test starts cold.
    shutil.copytree(source, dest, symlinks=symlinks, ignore=shutil.ignore_patterns(".cache"))
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("custom_dir: ../../../theme",
                                   f"custom_dir: {ROOT / 'theme'}"), encoding="utf-8")
    return dest


def copy_sample(dest: Path) -> Path:
    """The sample catalogue's sources in another folder (no cache, no site)."""
    dest.mkdir(parents=True)
    for name in ("products", "content", "theme"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """A writable copy of the mini fixture catalogue (theme path kept working)."""
    return copy_project(FIXTURES / "mini", tmp_path / "mini")


#: The build date of FIXED_EPOCH in Vietnam.
FIXED_DATE = dt.date(2026, 11, 18)


def mini_catalogue(date: dt.date = FIXED_DATE):
    """The mini fixture's catalogue, loaded afresh (for tests that change its records)."""
    from generator.pipeline import build_catalogue
    from generator.source.layout import SourceLayout
    from generator.source.problems import Problems

    problems = Problems()
    catalogue = build_catalogue(SourceLayout.default(FIXTURES / "mini"), date, problems)
    assert not problems.errors, problems.report()
    return catalogue


@pytest.fixture(scope="session")
def sample_catalogue():
    """The sample catalogue, loaded and linked on FIXED_DATE (read-only for tests)."""
    from generator.pipeline import build_catalogue
    from generator.source.layout import SourceLayout
    from generator.source.problems import Problems

    problems = Problems()
    catalogue = build_catalogue(SourceLayout.default(ROOT), FIXED_DATE, problems)
    assert not problems.errors, problems.report()
    return catalogue


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample catalogue, built once per test session with a fixed date."""
    from generator.adapter.publish import build_site

    site = tmp_path_factory.mktemp("sample") / "site"
    with fixed_build_date():
        build_site(ROOT / "mkdocs.yml", site, strict=True)
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


# --- a site already built, for the build-safety tests ---------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path → bytes); links would be an error."""
    out = {}
    for path in sorted(folder.rglob("*")):
        assert not path.is_symlink(), path
        if path.is_file():
            out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


@pytest.fixture
def built(mini_project: Path, fixed_date: None) -> tuple[Path, dict[str, bytes]]:
    """The mini project with a good site already built in site/."""
    from generator.adapter.publish import build_site

    site = build_site(mini_project / "mkdocs.yml", mini_project / "site")
    before = snapshot(site)
    assert "index.html" in before and "san-pham/duong-thot-not/index.html" in before
    return mini_project, before
