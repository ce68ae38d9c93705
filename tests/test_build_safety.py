"""The live site is never broken, and a build can be reproduced byte for byte.

* Atomic: ``ocop build`` (``make site``) builds into a temporary folder and
  replaces ``site/`` only when the build succeeded; whatever fails — bad data,
  a MkDocs strict-mode warning, a crash in a writer — the previous ``site/`` is
  left exactly as it was and no temporary folder is left behind.
* Reproducible: two builds of the same sources with the same
  ``SOURCE_DATE_EPOCH`` are identical in every file, even from different
  folders, with a cold or a warm image cache, another hash seed, time zone and
  locale.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXED_EPOCH, copy_sample, leftovers, snapshot

from generator.adapter.publish import BuildFailed, build_site
from generator.cli import main


def break_product(project: Path) -> None:
    path = project / "products/htx-thot-not-mau/duong-thot-not.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("stars: 4", "stars: 9"),
                    encoding="utf-8")


def test_bad_data_leaves_the_previous_site_untouched(built, capsys: pytest.CaptureFixture[str],
                                                     caplog: pytest.LogCaptureFixture):
    project, before = built
    break_product(project)
    assert main(["-f", str(project / "mkdocs.yml"), "build"]) == 1
    assert capsys.readouterr().err.startswith(
        "Build failed; the previous site was left untouched.\n")
    # MkDocs logs the plugin's error: every problem, then the count.
    assert ("The catalogue has problems:\nproducts/htx-thot-not-mau/duong-thot-not.yaml:5:10: "
            "ocop.stars: must be between 3 and 5; found 9\n1 error(s), 0 warning(s)"
            ) in caplog.text
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_strict_mode_warning_leaves_the_previous_site_untouched(built):
    """A warning of MkDocs' own (here: a missing anchor, once the site validates
    anchors) fails a strict build late, after pages were written elsewhere."""
    project, before = built
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "validation:\n  links:\n    anchors: warn\n", encoding="utf-8")
    (project / "content/lien-ket-hong.md").write_text("# Hỏng\n\n[x](index.md#khong-co)\n",
                                                      encoding="utf-8")
    with pytest.raises(BuildFailed, match="Aborted with 1 warnings in strict mode"):
        build_site(project / "mkdocs.yml", project / "site", strict=True)
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_a_crash_after_pages_were_written_leaves_the_previous_site_untouched(
        built, monkeypatch: pytest.MonkeyPatch):
    from generator import write as outputs

    project, before = built

    def crashing_writer(context: outputs.OutputContext) -> list[str]:
        (context.site_dir / "half-written.json").write_text("{", encoding="utf-8")
        raise RuntimeError("writer crashed")

    monkeypatch.setattr(outputs, "WRITERS", [*outputs.WRITERS, crashing_writer])
    monkeypatch.setattr("generator.adapter.plugin.WRITERS", outputs.WRITERS)
    with pytest.raises(RuntimeError, match="writer crashed"):
        build_site(project / "mkdocs.yml", project / "site")
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_a_successful_build_replaces_the_site(built):
    project, before = built
    (project / "site" / "stale.html").write_text("old", encoding="utf-8")
    path = project / "products/htx-thot-not-mau/duong-thot-not.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Đường thốt nốt nguyên chất", "Đường thốt nốt loại một"), encoding="utf-8")
    build_site(project / "mkdocs.yml", project / "site")
    after = snapshot(project / "site")
    assert "stale.html" not in after
    assert "Đường thốt nốt loại một" in after["san-pham/duong-thot-not/index.html"].decode()
    # Same pages and files; the search index may gain a chunk for the new word.
    index = ("assets/ocop-search/", "en/assets/ocop-search/")
    assert {f for f in after if not f.startswith(index)} == {
        f for f in before if not f.startswith(index)}
    assert oct((project / "site").stat().st_mode & 0o777) == "0o755"
    assert leftovers(project) == [".site.spare"]  # the old site, kept for the next build


# --- reproducible ------------------------------------------------------------------

def test_two_builds_of_the_sample_are_byte_identical(sample_site: Path, tmp_path: Path):
    """A cold build elsewhere (new process, other hash seed, time zone and locale)
    gives exactly the files of the session's sample build."""
    project = copy_sample(tmp_path / "elsewhere")
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONHASHSEED": "12345",
           "TZ": "America/Los_Angeles", "LC_ALL": "C", "LANG": "C"}
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "-f", str(project / "mkdocs.yml"), "build"],
        env=env, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first, second = snapshot(sample_site), snapshot(project / "site")
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
    assert len(first) > 300


def test_a_photo_edited_in_the_site_does_not_reach_the_next_build(built):
    """Photos in site/ are hard links into the cache: an edit in place is caught."""
    project, before = built
    photo = next(name for name in sorted(before) if name.startswith("anh/")
                 and name.endswith(".webp"))
    with open(project / "site" / photo, "r+b") as f:
        f.seek(40)
        f.write(b"\x00" * 8)
    build_site(project / "mkdocs.yml", project / "site")
    assert (project / "site" / photo).read_bytes() == before[photo]
