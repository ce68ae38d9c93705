"""Generated pages as MkDocs sees them: a ``Page`` whose body comes from a
template and a record (``PageSpec``), not from Markdown."""

from __future__ import annotations

import contextlib
import functools
import os
import posixpath
import re
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from markupsafe import escape
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..plan.pages import PageSpec

# Shared by every generated page: MkDocs and the theme read them, never change them
# (a national catalogue's 70,000 pages held a copy of each: ~49 MB by object size).
_HIDE = ("navigation", "toc")
_NO_TOC = get_toc([])
_NO_ANCHORS: frozenset[str] = frozenset()
#: Template of every generated page: it prints what ``PageRenderer.html`` gives for the
#: page (``adapter/parallel.py``), rendered with the template its spec names.
STAND_IN = "ocop/prerendered.html"
#: A generated page's virtual source: slugs and slashes, a Markdown file name. Its URL
#: has no '.' or '..' segment, no character a URL would escape, no query.
_SLUG_SOURCE = re.compile(r"(?:[a-z0-9-]+/)*[a-z0-9-]+\.md")


@functools.lru_cache(maxsize=8)
def _joined_base(site_url: str) -> tuple[str, str] | None:
    """(``site_url`` ending in '/', its path) when ``urljoin`` of a slug URL to it
    is their concatenation; else None (a query or fragment, which the join drops;
    '//', '.' or '..' in its path, which the join normalises; a scheme it does not
    join under). Tried on one slug: the join normalises the base's path and keeps
    the slug's segments as they are, so one slug stands for all."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    probe = "a/b.html"
    joined = urljoin(base, probe)
    if joined != base + probe or urlsplit(joined).path != urlsplit(base).path + probe:
        return None
    return base, urlsplit(base).path


class CatalogueFile(File):
    """The file of a generated page. In a build into a kept folder (MkDocs'
    "dirty" build) MkDocs skips the pages whose file says it is unmodified: those
    the folder holds exactly as this build would write them (adapter/kept_site.py)."""

    #: False once the page is known to be in the kept folder as it would be written.
    modified: bool = True

    @classmethod
    def of_page(cls, config: Any, src_uri: str, inclusion: InclusionLevel) -> CatalogueFile:
        """``File.generated(config, src_uri, content="", inclusion=inclusion)``. For a
        slug source with directory URLs (every generated page of the catalogue) a
        ``SlugFile``, whose paths follow from its source path: MkDocs makes a PurePath
        of each source path and derives the rest lazily, 0.6 s for a national site's
        70,000 pages in a profile of a rebuild. Tests compare both ways."""
        if (not config.use_directory_urls or not _SLUG_SOURCE.fullmatch(src_uri)
                or posixpath.basename(src_uri) == "index.md"):
            return cls.generated(config, src_uri, content="", inclusion=inclusion)
        file: CatalogueFile = SlugFile.__new__(SlugFile)
        file.src_uri = src_uri
        file.src_dir = None
        file.dest_dir = config.site_dir
        file.use_directory_urls = True
        file.inclusion = inclusion
        file.generated_by = config.plugins._current_plugin or "<unknown>"
        file.abs_src_path = None
        file._content = ""
        # Set later (its page; ``modified``, for every page a build writes itself):
        # set now, or each file's attributes would become a dict of its own (CPython
        # 3.11 shares their names while no object of the class adds one later), 720
        # bytes more a file.
        file.page = None
        file.modified = True
        return file

    def is_modified(self) -> bool:
        return self.modified

    @property  # type: ignore[override]
    def abs_dest_path(self) -> str:
        """MkDocs' ``abs_dest_path``, not kept on the file: MkDocs' cached value turned
        the attributes of each file written into a dict of its own, 730 bytes more a
        page (52 MB of a national build's process, measured with tracemalloc)."""
        return os.path.normpath(os.path.join(self.dest_dir, self.dest_uri))


class _Made:
    """An attribute made from its object as it is read (``make``), not kept on it. A
    value set instead (by MkDocs or another plugin) is kept in the object's ``_set``
    and given back from then on."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        self.make = make

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        kept = obj._set
        return kept[self.name] if kept is not None and self.name in kept else self.make(obj)

    def __set__(self, obj: Any, value: Any) -> None:
        obj._set = {**(obj._set or {}), self.name: value}


def _slug_url(src_uri: str) -> str:
    """foo/bar.md => foo/bar/ (a slug source with directory URLs)."""
    return src_uri[:-3] + "/"


class SlugFile(CatalogueFile):
    """The file of a generated page at a slug URL (``CatalogueFile.of_page``):
    foo/bar.md is written to foo/bar/index.html, served at foo/bar/ (slugs need no
    quoting). Its name, destination and URL are made from its source path as they
    are read, not kept: three strings a file were 17 MiB of a national build's
    process (tracemalloc, 70,606 files), and copied into every child that reads
    them. Another plugin may still set one: the file then keeps it."""

    #: What another plugin set of ``name``, ``dest_uri`` or ``url`` (None: nothing).
    _set: dict[str, str] | None = None

    name = _Made(lambda file: posixpath.basename(file.src_uri[:-3]))  # type: ignore[assignment]
    dest_uri = _Made(lambda file: file.src_uri[:-3] + "/index.html")  # type: ignore[assignment]
    url = _Made(lambda file: _slug_url(file.src_uri))  # type: ignore[assignment]


#: A generated page's ``canonical_url`` and ``abs_url`` in a site without a URL.
_NO_SITE_URL: dict[str, str | None] = {"canonical_url": None, "abs_url": None}


class _Meta(MutableMapping[str, Any]):
    """A generated page's metadata, made from its spec as it is read. Kept on each
    page as a dict with the escaped title and description, it was 56 MB of a national
    build's process (tracemalloc). Another plugin (Material's ``meta``) may change it:
    then the page keeps a dict of its own, with the change (``CataloguePage.meta``)."""

    __slots__ = ("_page",)
    _KEYS = ("template", "title", "description", "hide")

    def __init__(self, page: CataloguePage) -> None:
        self._page = page

    def __getitem__(self, key: str) -> Any:
        spec = self._page.spec
        if key == "template":
            return STAND_IN
        if key in ("title", "description"):
            # Titles reach Material templates that print them unescaped.
            return escape(getattr(spec, key))
        if key == "hide":
            # A catalogue page, not documentation: the content takes the width.
            return _HIDE
        raise KeyError(key)

    # Material's templates read ``page.meta.title`` and ``.description`` (seven times a
    # page): Jinja tries the attribute first, and its AttributeError before the item
    # was 15,700 exceptions in a province's pages. The same values, as attributes.
    @property
    def title(self) -> Any:
        return self["title"]

    @property
    def description(self) -> Any:
        return self["description"]

    def __iter__(self) -> Iterator[str]:
        return iter(self._KEYS)

    def __len__(self) -> int:
        return len(self._KEYS)

    def __setitem__(self, key: str, value: Any) -> None:
        self._page.meta = {**self, key: value}

    def __delitem__(self, key: str) -> None:
        kept = dict(self)
        del kept[key]
        self._page.meta = kept


@contextlib.contextmanager
def one_build_date() -> Iterator[None]:
    """Pages made inside get the build date the first asked for: MkDocs' ``Page`` asks
    it for every page (the clock or ``SOURCE_DATE_EPOCH``, read and formatted): for a
    national site's 70,600 generated pages 0.3 s of every build on an idle machine,
    0.8 s on a busy one (timed alone)."""
    ask = mkdocs_pages.get_build_date
    date = ask()
    mkdocs_pages.get_build_date = lambda: date
    try:
        yield
    finally:
        mkdocs_pages.get_build_date = ask


class CataloguePage(Page):
    """A generated page: its body comes from a template and a record, not Markdown.

    Skipping Markdown entirely matters at scale: MkDocs builds a new Markdown
    instance for every page it renders.
    """

    #: Metadata another plugin set or changed (None: made from the spec, ``meta``).
    _meta: dict[str, Any] | None = None

    def __init__(self, spec: PageSpec, file: File, config: Any) -> None:
        super().__init__(None, file, config)
        self.spec = spec
        #: The label given in mkdocs.yml's nav, if the page is listed there.
        self.nav_title: str | None = None
        # Every attribute a page gets later, set now to the value it would have read
        # till then: CPython 3.11 keeps an object's attributes in a small array while
        # their names are among those its class's objects had when it was made;
        # names added later (MkDocs' ``parent`` on a nav page, ``title`` set by
        # ``read_source``, ``present_anchor_ids`` by ``render``) turn them into a dict
        # of the page's own, about 830 bytes more a page: 56 MiB of a national
        # build's process (tracemalloc), which MkDocs' pass walks again, copying
        # what a forked child shares (as the writers' forked child did, removed).
        self.parent = None
        self.title = None  # MkDocs' ``title`` before the page is read
        self.present_anchor_ids = None

    #: The site's URL and its path, where the page's URLs are their concatenation
    #: with its own (``_joined_base``): then made as they are read, not kept (two
    #: strings a page, 13 MiB of a national build's process).
    _base: tuple[str, str] | None = None
    #: ``canonical_url`` and ``abs_url`` as MkDocs or another plugin set them.
    _set: dict[str, str | None] | None = None

    canonical_url = _Made(lambda page: page._joined(0))  # type: ignore[assignment]
    abs_url = _Made(lambda page: page._joined(1))  # type: ignore[assignment]

    def _set_canonical_url(self, base: str | None) -> None:
        # MkDocs joins with urljoin and splits the result again: 27 µs a page, 1.9 s
        # for a national site's 70,000 in a profile of a rebuild. Joining a slug URL
        # (a ``SlugFile``'s, as made) is concatenation; anything else is left to MkDocs.
        if not base:
            self._set = _NO_SITE_URL  # MkDocs' two Nones: one dict for every page
            return
        joined = _joined_base(base)
        file = self.file
        if joined is None or not isinstance(file, SlugFile) or file._set is not None:
            super()._set_canonical_url(base)
            return
        self._base = joined

    def _joined(self, index: int) -> str | None:
        # Joined to the URL the file had when the page was made, as MkDocs joins once.
        return None if self._base is None else self._base[index] + _slug_url(self.file.src_uri)

    @property  # type: ignore[override]
    def meta(self) -> MutableMapping[str, Any]:
        """Its metadata, from its spec (its template the stand-in, ``STAND_IN``), or as
        another plugin set it."""
        return _Meta(self) if self._meta is None else self._meta

    @meta.setter
    def meta(self, value: MutableMapping[str, Any]) -> None:
        # MkDocs' Page starts every page with empty metadata: ours come from the spec.
        # Metadata another plugin sets (or changes: ``_Meta``) is kept as it set it.
        if value or self._meta is not None:
            self._meta = dict(value)

    def read_source(self, config: Any) -> None:
        self.markdown = ""
        # page.title labels the sidebar; <title> and the header use meta.title.
        self.title = escape(self.nav_title if self.nav_title else self.spec.title)

    def render(self, config: Any, files: Files) -> None:
        self.content = ""
        self.toc = _NO_TOC
        self.present_anchor_ids = _NO_ANCHORS  # type: ignore[assignment]


def nav_labels(items: list[Any]) -> list[tuple[str, str]]:
    """(label, path) of every page entry in a mkdocs.yml nav."""
    out: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, dict):
            for label, value in item.items():
                if isinstance(value, str):
                    out.append((label, value))
                elif isinstance(value, list):
                    out.extend(nav_labels(value))
    return out
