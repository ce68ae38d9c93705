"""The repository holds sources, not what builds make from them."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import ROOT

#: Folders builds and tools make, anywhere in the tree.
MADE = (".cache", "site", ".venv", "__pycache__", "node_modules", ".pytest_cache")


def test_no_build_output_is_committed():
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run([git, "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.splitlines()
    assert [path for path in tracked if set(path.split("/")[:-1]) & set(MADE)] == []
