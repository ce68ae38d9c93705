"""Writing output files into the built site: one helper, so every writer is deterministic."""

from __future__ import annotations

import gzip
import json
import os
from typing import Any

from .context import OutputContext


def write_bytes(context: OutputContext, site_path: str, data: bytes) -> str:
    """Write ``data`` at ``site_path`` (relative, '/'-separated) inside the site folder."""
    parts = site_path.split("/")
    # Paths come from record ids (lower-case slugs), never from free text; check anyway,
    # lexically (resolving every one of tens of thousands of paths costs seconds).
    if any(part in ("", ".", "..") or "\\" in part for part in parts) or ":" in parts[0]:
        raise ValueError(f"output path leaves the site folder: {site_path}")
    # Strings and one mkdir per folder: a national build writes 60,000 small files.
    site = os.fspath(context.site_dir)
    folder = site_path.rpartition("/")[0]
    if folder not in context.made_folders:
        os.makedirs(os.path.join(site, folder), exist_ok=True)
        context.made_folders.add(folder)
    with open(os.path.join(site, site_path), "wb") as file:
        file.write(data)
    return site_path


def json_bytes(data: Any, *, indent: int | None = None) -> bytes:
    """UTF-8 JSON, Vietnamese kept readable; compact unless ``indent`` is given."""
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    return (text + "\n").encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no timestamp or file name in the header: same input, same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)
