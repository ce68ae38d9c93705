"""What an output writer receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalogue import Catalogue

if TYPE_CHECKING:
    from ..media import MediaLibrary


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
    #: Processed photos and logos, for outputs that link to them (None in bare tests).
    media: MediaLibrary | None = None


Writer = Callable[[OutputContext], list[str]]
