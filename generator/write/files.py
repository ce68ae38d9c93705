"""Writing output files into the built site: one helper, so every writer is deterministic."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from .context import OutputContext


def write_bytes(context: OutputContext, site_path: str, data: bytes) -> str:
    """Write ``data`` at ``site_path`` (relative, '/'-separated) inside the site folder."""
    parts = site_path.split("/")
    # Paths come from record ids (lower-case slugs), never from free text; check anyway,
    # lexically (resolving every one of tens of thousands of paths costs seconds).
    if any(part in ("", ".", "..") or "\\" in part for part in parts) or ":" in parts[0]:
        raise ValueError(f"output path leaves the site folder: {site_path}")
    target = Path(context.site_dir, *parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return site_path


def json_bytes(data: Any, *, indent: int | None = None) -> bytes:
    """UTF-8 JSON, Vietnamese kept readable; compact unless ``indent`` is given."""
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    return (text + "\n").encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no timestamp or file name in the header: same input, same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)
