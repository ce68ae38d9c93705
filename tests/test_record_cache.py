"""The record cache: the same problems and records with or without it, and never a
pickle it did not sign itself."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from generator.cli import main
from generator.source.record_cache import CACHE_FILE, RecordCache

PRODUCT = "products/htx-thot-not-mau/ruou-thot-not.yaml"


def check(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["-f", str(project / "mkdocs.yml"), "check"])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_a_second_check_reads_from_the_cache_and_says_the_same(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None):
    path = mini_project / PRODUCT
    path.write_text(path.read_text(encoding="utf-8").replace("stars: 3", "stars: 9", 1),
                    encoding="utf-8")
    first = check(mini_project, capsys)
    assert first == (1, f"{PRODUCT}:5:12: certificates[0].stars: must be between 3 and 5; "
                        "found 9\n1 error(s), 0 warning(s)\n")
    cache_file = mini_project / ".cache/ocop" / CACHE_FILE
    assert cache_file.is_file()
    cache = RecordCache.open(cache_file.parent)
    assert cache is not None and PRODUCT in cache.old
    assert check(mini_project, capsys) == first
    # An edit is read, not served from the cache.
    path.write_text(path.read_text(encoding="utf-8").replace("stars: 9", "stars: 4", 1),
                    encoding="utf-8")
    status, out = check(mini_project, capsys)
    assert status == 0 and "stars" not in out.split("OK")[0]


def test_a_cache_file_not_signed_by_us_is_never_unpickled(
        mini_project: Path, capsys: pytest.CaptureFixture[str], fixed_date: None,
        tmp_path: Path):
    """A pull request can add .cache/ocop/records.pickle: loading it must not run it."""
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    expected = check(mini_project, capsys)
    cache_file = mini_project / ".cache/ocop" / CACHE_FILE
    payload = pickle.dumps(("any", {PRODUCT: (b"x", pickle.dumps(Exploit()))}))
    for forged in (b"\0" * 32 + payload, payload, b""):
        cache_file.write_bytes(forged)
        assert check(mini_project, capsys) == expected
        assert not marker.exists()


def test_cache_of_other_reading_code_is_ignored(mini_project: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str],
                                                fixed_date: None):
    expected = check(mini_project, capsys)
    monkeypatch.setattr("generator.source.record_cache.code_digest", lambda: "other code")
    cache = RecordCache.open(mini_project / ".cache/ocop")
    assert cache is not None and cache.old == {}
    assert check(mini_project, capsys) == expected


def test_without_a_key_nothing_is_cached(mini_project: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str],
                                         fixed_date: None, tmp_path: Path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the key folder should be", encoding="utf-8")
    monkeypatch.setenv("OCOP_KEY_DIR", str(blocked))
    assert check(mini_project, capsys)[0] == 0
    assert not (mini_project / ".cache/ocop" / CACHE_FILE).exists()
