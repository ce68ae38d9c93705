"""Every page of the sample site through the Nu Html Checker (vnu.jar): no error from
our templates. Material for MkDocs' own templates cause two kinds, listed here with
the reason (and in the README); any other error fails.

vnu.jar is the npm package pinned in tools/a11y/package.json; it needs a Java
runtime (Debian's default-jre-headless, installed by .ci/run).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

VNU = ROOT / "tools" / "a11y" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

#: (start of the message, markup in the extract) of errors Material's templates make.
MATERIAL = (
    # base.html: autocomplete="off" on the drawer and search toggles (type=checkbox).
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"'),
    # partials/nav-item.html: tabindex="" on the labels of nested navigation sections.
    ("Bad value “” for attribute “tabindex” on element “label”", 'class="md-nav__link'),
)


def vnu_errors(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("no Java runtime: apt-get install default-jre-headless (.ci/run does it)")
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: npm ci --prefix tools/a11y (.ci/run does it)")
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                             *map(str, files)], capture_output=True, text=True)
    return json.loads(result.stderr)["messages"]


def from_material(error: dict) -> bool:
    return any(error["message"].startswith(message) and markup in error.get("extract", "")
               for message, markup in MATERIAL)


def test_no_html_error_from_our_templates(sample_site: Path):
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 100
    errors = vnu_errors(pages)
    ours = [f"{Path(e['url'].removeprefix('file:')).relative_to(sample_site)}:"
            f"{e.get('lastLine')}: {e['message']}" for e in errors if not from_material(e)]
    assert ours == []


def test_the_checker_really_runs(tmp_path: Path):
    """It finds the error our search box had: role=combobox on an input of type search."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="vi"><title>x</title>'
                   '<input type="search" role="combobox" aria-expanded="false">', "utf-8")
    assert [e["message"][:40] for e in vnu_errors([bad])] == [
        "Bad value “search” for attribute “type” "]
