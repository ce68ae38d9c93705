"""What an output writer receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..language import VIETNAMESE, Language
from ..link.catalogue import Catalogue
from ..source.layout import SourceLayout

if TYPE_CHECKING:
    from ..media.library import MediaLibrary
    from .kept_files import KeptFiles
    from .sitemap import Sitemap


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
    #: Site paths of the hand-written pages MkDocs built ("index.html",
    #: "gioi-thieu-ocop/index.html" …): the search index reads them back.
    hand_written_files: frozenset[str] = frozenset()
    #: Processed photos (site paths of images), when the build made them.
    media: MediaLibrary | None = None
    #: The site's name (``site_name`` in mkdocs.yml), for feed titles.
    site_name: str = ""
    #: Licence of the open data, chosen by the catalogue owner (plugin option).
    data_licence: str = "CC BY 4.0"
    data_licence_url: str = "https://creativecommons.org/licenses/by/4.0/deed.vi"
    #: Folder for work kept between builds (e.g. QR masks); None for none.
    cache_dir: Path | None = None
    #: Worker processes a writer may use (see ``workers``).
    workers: int = 1
    #: Where the sources are (the web editor's collections point there); None in tests
    #: that write without a project.
    layout: SourceLayout | None = None
    #: The GitHub repository the web editor opens pull requests on ("owner/name").
    editor_repo: str = ""
    #: The branch pull requests are made against.
    editor_branch: str = "main"
    #: The sign-in service of the web editor (OAuth for GitHub), if any.
    editor_auth_url: str = ""
    #: The site's languages, the default first (pages of the others under their folder).
    languages: tuple[Language, ...] = (VIETNAMESE,)
    #: True when the site folder is the kept previous site (adapter/kept_site.py):
    #: files there may already hold what a writer writes.
    kept_site: bool = False
    #: True when the page cache is on: a writer may keep work between builds in
    #: ``cache_dir`` (the search index's token files).
    reuse: bool = False
    #: The files the kept site holds already, when the build keeps its site and its
    #: page cache (``kept_files``); None: every file is made.
    kept_files: KeptFiles | None = field(default=None, compare=False, repr=False)
    #: The site's sitemap, when this build writes it (not MkDocs: ``write/sitemap.py``).
    sitemap: Sitemap | None = field(default=None, compare=False, repr=False)
    #: Site folders ``write_bytes`` has made (one mkdir per folder, not per file).
    made_folders: set[str] = field(default_factory=set, compare=False, repr=False)


Writer = Callable[[OutputContext], list[str]]
