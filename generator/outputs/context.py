"""What an output writer receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..catalogue import Catalogue


@dataclass(frozen=True)
class OutputContext:
    """What an output writer may use."""

    catalogue: Catalogue
    #: Folder MkDocs wrote the site into (the staging folder during ``ocop build``).
    site_dir: Path
    #: Absolute site URL with a trailing slash, e.g. "https://ocop.example.vn/".
    site_url: str
    #: Site paths of every generated catalogue page, e.g. "san-pham/x/".
    page_urls: tuple[str, ...]


Writer = Callable[[OutputContext], list[str]]
