"""Atomic site builds: build elsewhere, swap at the end.

A failed build must never touch the live ``site/``: MkDocs writes into a fresh
temporary folder next to it, and only a successful build replaces it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException


class BuildFailed(Exception):
    """The build stopped; the message says why (all catalogue problems included)."""


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool | None = None,
               fail_on_warnings: bool = False) -> Path:
    """Build the site of ``config_file`` and atomically put it at ``site_dir``.

    ``strict`` is MkDocs' own (its warnings fail the build); ``fail_on_warnings``
    makes catalogue warnings, such as certificates about to expire, fail it too.
    """
    config_file = config_file.resolve()
    overrides: dict[str, object] = {}
    if strict is not None:
        overrides["strict"] = strict
    config = load_config(str(config_file), **overrides)
    target = Path(site_dir or config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        config.site_dir = str(staging)
        if fail_on_warnings:
            config.plugins["ocop"].config.strict = True
        mkdocs_build(config)
        _swap(staging, target)
    except MkDocsException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(str(exc)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _swap(staging: Path, target: Path) -> None:
    # mkdtemp makes 0700 folders; a published site must be world-readable.
    os.chmod(staging, 0o755)
    if not target.exists():
        staging.rename(target)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
