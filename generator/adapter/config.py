"""Options of the ``ocop`` MkDocs plugin, as written in ``mkdocs.yml``, and the
source layout they describe."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import ConfigurationError

from ..language import ENGLISH, VIETNAMESE, Language
from ..source.layout import DEFAULT_GROUPS_FILE, SourceLayout
from .kept_site import beside_prefix

#: The cache folder when mkdocs.yml does not set ``cache_dir``.
DEFAULT_CACHE_DIR = ".cache/ocop"


class ProjectFolder(c.Type):
    """A folder given relative to mkdocs.yml, refused when it leads out of the
    project (mkdocs.yml's folder), by '..', an absolute path or a link on the way.
    Checked as the options are read, before anything is written or removed there."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def post_validation(self, config: base.Config, key_name: str) -> None:
        if not config.config_file_path:  # options made in code, not read from a project
            return
        root = Path(config.config_file_path).parent.resolve()
        folder = (root / config[key_name]).resolve()
        if folder == root or root in folder.parents:
            return
        raise base.ValidationError(f"the folder '{_shown(folder, root)}' is outside the "
                                   "project; keep it inside")


class CatalogueConfig(base.Config):
    #: Producer folders (each with producer.yaml, product files and photos).
    products_dir = c.Type(str, default="products")
    #: Point-of-sale records.
    points_of_sale_dir = c.Type(str, default="content/points-of-sale")
    #: Fair records.
    fairs_dir = c.Type(str, default="content/fairs")
    #: The official product groups; empty for the copy shipped with the generator.
    product_groups = c.Type(str, default="")
    #: A note shown on every page, e.g. that the catalogue holds sample data.
    notice = c.Type(str, default="")
    #: Treat warnings (e.g. certificates expiring soon) as errors.
    strict = c.Type(bool, default=False)
    #: List every warning; by default a kind seen more than ten times is summarised.
    verbose = c.Type(bool, default=False)
    #: Build only part of the catalogue, for a quick preview of a national one:
    #: "province:<name>" or "products:<n>". The OCOP_PREVIEW variable overrides it.
    preview = c.Type(str, default="")
    #: Processes rendering generated pages; 0 means one per CPU, 1 turns it off.
    #: The OCOP_WORKERS variable overrides it.
    workers = c.Type(int, default=0)
    #: Folder for processed photos and rendered pages kept between builds
    #: (relative to mkdocs.yml, inside the project: the build removes files there).
    cache_dir = ProjectFolder(default=DEFAULT_CACHE_DIR)
    #: Reuse the pages of the previous build that nothing changed (see
    #: render/page_cache.py). The OCOP_PAGE_CACHE variable (0 or 1) overrides it.
    page_cache = c.Type(bool, default=True)
    #: ``ocop build`` keeps the previous site beside the new one (``.site.spare``)
    #: and builds the next site in it, writing only what may have changed (see
    #: adapter/kept_site.py). Costs the disk space of a second site.
    keep_previous_site = c.Type(bool, default=True)
    #: Licence of the open data (exports, feeds), chosen by the catalogue owner.
    data_licence = c.Type(str, default="CC BY 4.0")
    #: Where the licence text is; empty for none.
    data_licence_url = c.Type(str, default="https://creativecommons.org/licenses/by/4.0/deed.vi")
    #: The web editor (/quan-tri/): the GitHub repository it opens pull requests on,
    #: "owner/name" (default: from ``repo_url``), the branch, and the sign-in service.
    editor_repo = c.Type(str, default="")
    editor_branch = c.Type(str, default="main")
    editor_auth_url = c.Type(str, default="")
    #: Publish the English catalogue under /en/ beside the Vietnamese one.
    english = c.Type(bool, default=True)
    #: The site's own words in English, by their Vietnamese text: ``site_name``,
    #: ``site_description``, ``notice`` and the labels of mkdocs.yml's ``nav`` (a
    #: label not given here is looked up in the generator's English catalogue).
    translations = c.Type(dict, default={})


def source_layout(config: Any, options: CatalogueConfig) -> SourceLayout:
    """Where the catalogue's sources are, from mkdocs.yml and the plugin's options."""
    root = Path(config.config_file_path).parent.resolve()
    groups = options.product_groups
    return SourceLayout(
        root=root,
        products_dir=root / options.products_dir,
        points_of_sale_dir=root / options.points_of_sale_dir,
        fairs_dir=root / options.fairs_dir,
        groups_file=root / groups if groups else DEFAULT_GROUPS_FILE,
        content_dir=Path(config.docs_dir),
        theme_dir=Path(config.theme.custom_dir) if config.theme.custom_dir else None,
    )


@dataclass(frozen=True)
class _Apart:
    """A folder the cache folder must keep apart from, as a refusal names it."""

    #: The folder, as staff know it (an option of mkdocs.yml, a command's flag).
    name: str
    #: Why they must be apart.
    why: str
    #: What to do when the cache folder is the default one.
    remedy: str


def check_cache_folder(config: Any, options: CatalogueConfig, site_dir: Path | None = None,
                       from_command_line: bool = False) -> None:
    """Refuse a cache folder (``cache_dir``) that is, lies inside or holds a folder
    MkDocs publishes (docs_dir, the theme's ``custom_dir``), one a build replaces (the
    site folder: ``site_dir`` when given, ``from_command_line`` or not, else mkdocs.yml's;
    and the folders a build keeps beside it: ``.site.spare`` …) or one the catalogue is
    read from. ``ProjectFolder`` only keeps it inside the project; there, MkDocs would
    publish the cached records, pages and photos, a build would remove them while it
    ran, or the loader would read them as records and photos. Folders are compared
    by identity too: on a case-insensitive disk (macOS, Windows) 'Content/cache' is
    inside 'content'."""
    root = Path(config.config_file_path).parent.resolve()
    cache = (root / options.cache_dir).resolve()
    site = (site_dir if site_dir is not None else Path(config.site_dir)).resolve()
    read = "the catalogue is read from there"
    folders = {
        Path(config.docs_dir): _Apart("docs_dir's folder",
                                      "MkDocs publishes that folder's files with the site",
                                      "set docs_dir to another folder"),
        site: (_Apart("the site folder given with --site-dir", "each build replaces that folder",
                      "give --site-dir another folder") if from_command_line else
               _Apart("site_dir's folder", "each build replaces that folder",
                      "set site_dir to another folder")),
        root / options.products_dir: _Apart("products_dir's folder", read,
                                            "keep the records elsewhere"),
        root / options.points_of_sale_dir: _Apart("points_of_sale_dir's folder", read,
                                                  "keep the records elsewhere"),
        root / options.fairs_dir: _Apart("fairs_dir's folder", read,
                                         "keep the records elsewhere"),
    }
    if config.theme.custom_dir:
        folders[Path(config.theme.custom_dir)] = _Apart(
            "the theme folder (theme: custom_dir)",
            "MkDocs publishes that folder's files with the site",
            "keep the theme elsewhere")
    # The folders a build swaps with the site or removes (kept_site.beside_prefix).
    beside = beside_prefix(site).casefold()
    for folder in (cache, *cache.parents):
        if _same(folder.parent, site.parent) and folder.name.casefold().startswith(beside):
            folders[folder] = _Apart(
                "a folder the build keeps beside the site, swaps with it or removes",
                "each build replaces that folder", "choose another folder")
    for folder, apart in folders.items():
        folder = folder.resolve()
        if _same(cache, folder):
            where = "is"
        elif any(_same(above, folder) for above in cache.parents):
            where = "is inside"
        elif any(_same(above, cache) for above in folder.parents):
            where = "holds"
        else:
            continue
        remedy = (f"the cache is in {DEFAULT_CACHE_DIR} by default: {apart.remedy}"
                  if options.cache_dir == DEFAULT_CACHE_DIR else
                  "leave cache_dir out of the ocop plugin's options in mkdocs.yml: the "
                  f"cache is then in {DEFAULT_CACHE_DIR}")
        raise ConfigurationError(
            f"Plugin 'ocop' option 'cache_dir': the cache folder '{_shown(cache, root)}' "
            f"{where} {apart.name} ('{_shown(folder, root)}'): {apart.why}; keep them "
            f"apart ({remedy})")


def _same(one: Path, other: Path) -> bool:
    """The same folder: by name, or by identity where both exist."""
    if one == other:
        return True
    try:
        return os.path.samefile(one, other)
    except OSError:  # either does not exist (yet)
        return False


def _shown(folder: Path, root: Path) -> str:
    """``folder`` as staff wrote it: relative to the project, '/'-separated."""
    try:
        return Path(os.path.relpath(folder, root)).as_posix()
    except ValueError:  # another drive (Windows)
        return folder.as_posix()


def site_languages(options: CatalogueConfig) -> tuple[Language, ...]:
    """The languages the site is published in, the default first."""
    return (VIETNAMESE, ENGLISH) if options.english else (VIETNAMESE,)


def project_settings(config_file: Path) -> tuple[SourceLayout, CatalogueConfig]:
    """The source layout and the ``ocop`` plugin's options of a project's mkdocs.yml."""
    from mkdocs.config import load_config

    config = load_config(str(config_file))
    options = config.plugins["ocop"].config
    check_cache_folder(config, options)
    return source_layout(config, options), options
