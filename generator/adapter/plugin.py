"""The MkDocs adapter: event handlers only.

The catalogue is built by the core (``pipeline``: load → validate → link), its
pages planned by ``plan``, helped by ``render``, its files written by ``write``;
none of them knows MkDocs. Here each MkDocs event hands over to them.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mkdocs.exceptions import BuildError, ConfigurationError, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_timestamp, write_file

from .. import collector, reads
from ..language import BY_CODE, LANGUAGES, VIETNAMESE, Language, language_of
from ..link.catalogue import Catalogue
from ..link.clock import build_date
from ..media.library import MediaLibrary
from ..pipeline import build_catalogue, check_pages
from ..plan import plan_pages
from ..plan.home import home
from ..plan.urls import Urls
from ..render import check_apart, clock, digests_apart, environment
from ..render.markdown_cache import MarkdownCache
from ..render.page_cache import (
    Check,
    PageCache,
    World,
    code_key,
    page_keys,
    settings_key,
    watch_records,
)
from ..render.sanitize import clean_page_html, clean_page_meta, title_text
from ..render.sitemap import sitemap_entries, sitemap_key, urls_key
from ..source.layout import SourceLayout
from ..source.preview import PreviewError
from ..source.problems import Problems
from ..source.record_cache import signing_key
from ..workers import worker_count
from ..write import WRITERS
from ..write.context import OutputContext
from ..write.files import write_over
from ..write.kept_files import KeptFiles
from ..write.sitemap import SITEMAP, Sitemap
from . import write_step
from .config import CatalogueConfig, check_cache_folder, site_languages, source_layout
from .kept_site import Entry, KeptFolder, save_manifest, sweep
from .languages import LocalConfig, alternates, default_nav, site_pages, translated_nav
from .pages import STAND_IN, CatalogueFile, CataloguePage, nav_labels, one_build_date
from .parallel import (
    PARALLEL_MIN_PAGES,
    PageRenderer,
    in_worker,
    keeping,
    memory_budget,
    rendering,
    renew_after,
)

log = logging.getLogger("mkdocs.plugins.ocop")


class CataloguePlugin(BasePlugin[CatalogueConfig]):
    """Compiles the YAML catalogue into generated MkDocs pages."""

    def __init__(self) -> None:
        self.catalogue: Catalogue | None = None
        self.build_date = build_date()
        self.media: MediaLibrary | None = None
        self.problems = Problems()
        self.page_urls: list[str] = []
        self.nav_uris: set[str] = set()
        self.timings: dict[str, float] = {}
        self.render_start = time.perf_counter()
        self.command: str | None = None
        self.nav: Any = None
        self.renderer: PageRenderer | None = None
        #: Which pages exist in which language; each language's menu.
        self.pages = site_pages((), (VIETNAMESE,))
        #: A digest of the URLs ``pages`` was made of (``urls_key``).
        self.pages_key = urls_key(())
        self.navs: dict[str, Any] = {}
        self._local_configs: dict[str, LocalConfig] = {}
        #: Set by ``ocop build`` (adapter/publish.py): the previous site this build
        #: writes into, if any, and where the manifest of the site built is kept
        #: (None: not kept; ``mkdocs build`` and ``mkdocs serve``).
        self.kept: KeptFolder | None = None
        self.manifest_dir: Path | None = None
        self.files: Files | None = None
        #: URLs of the generated pages left as they were in the kept folder.
        self._left: set[str] = set()
        #: Set by ``ocop build`` when MkDocs builds "dirty" (it skips a page whose file
        #: says it is unmodified): the generated pages are then written here, not
        #: through MkDocs' pass over their stand-ins (``_write_pages``).
        self.writes_pages = False
        self._to_write: list[CataloguePage] = []
        #: The writers run before the pages, while the reuse check's scan ran in a
        #: process of its own (``write_step``).
        self._before: write_step.BeforePages | None = None
        #: The records' and the pages' digests, made in children of their own while
        #: the pages are planned and the photos looked at (``render/digests_apart.py``);
        #: taken by the reuse check.
        self._digesting: digests_apart.Digesting | None = None
        #: What ``build_into`` gave, for the next build only: MkDocs keeps one instance
        #: of this plugin for every build of the process (its ``on_startup``), and a
        #: plain ``mkdocs build`` after ``ocop build`` must not write into a kept site.
        self._next_build: tuple[KeptFolder | None, Path | None, bool] = (None, None, False)
        #: This build's generated pages and the identities of the stored pages they
        #: are (for the manifest, written last).
        self._written: tuple[Sequence[Any], dict[str, bytes]] = ((), {})
        #: What pages (and the writers' kept files) are checked against, and the
        #: writers' files' settings key, when the page cache is on.
        self.world: World | None = None
        self.files_settings = ""
        #: Whether the theme makes a sitemap, which the writers write instead of MkDocs.
        self.writes_sitemap = False

    @event_priority(50)
    def on_files(self, files: Files, *, config: Any) -> Files:
        # The catalogue, its pages and their MkDocs files live until the build ends:
        # held out of collections (collector.py) from then on. The plugin lives
        # through `mkdocs serve`'s rebuilds: the last build's are let go and freed
        # first.
        self.catalogue = self.media = self.nav = self.files = None
        self.navs, self._written = {}, ((), {})
        self._close_digests()  # a build before that failed early
        collector.release()
        with collector.paused():
            files = self._add_catalogue(files, config)
        collector.hold()
        return files

    def _add_catalogue(self, files: Files, config: Any) -> Files:
        if self.writes_sitemap:
            _drop_theme_sitemap(files, config)
        layout = source_layout(config, self.config)
        self.problems = Problems()
        self.timings = {}
        # Photo workers are spawned, never forked: safe under `mkdocs serve` too.
        self.media = MediaLibrary(layout.root / self.config.cache_dir, layout,
                                  jobs=worker_count(self.config.workers))
        self.media.begin()  # the look at the photo cache, while the catalogue loads
        try:
            return self._load_catalogue(files, config, layout)
        finally:
            self.media.end()

    def _load_catalogue(self, files: Files, config: Any, layout: SourceLayout) -> Files:
        assert self.media is not None
        start = time.perf_counter()
        selection = os.environ.get("OCOP_PREVIEW") or self.config.preview
        try:
            catalogue = build_catalogue(layout, build_date(), self.problems, self._workers(),
                                        preview=selection,
                                        cache_dir=layout.root / self.config.cache_dir)
        except PreviewError as exc:
            raise PluginError(str(exc)) from None
        if selection:
            log.info(f"ocop preview ({selection}): {len(catalogue.products)} products of "
                     f"{len(catalogue.producers)} producers")
        self._lap("load+link", start)
        self._stop_on_problems()
        if self.problems.warnings:
            for line in self.problems.lines(self.config.verbose):
                log.info(line)
        self.catalogue = catalogue
        self.build_date = catalogue.build_date
        languages = site_languages(self.config)
        if self._reusing() and not in_worker() and signing_key(layout.root) is not None:
            # Linked, the records no longer change: the digests the reuse check
            # compares are made beside the planning and the photos (only where a page
            # cache can open: it signs with that key).
            self._digesting = digests_apart.start(catalogue, self._workers())
        # After the fork: what the build takes in is its own, not a page both hold.
        self._collect_helpers()
        start = time.perf_counter()
        for file in _switched_off(files, languages):
            files.remove(file)  # a language switched off: its hand-written pages too
        specs = plan_pages(catalogue, languages)
        self._lap("plan", start)
        if self._digesting is not None:
            self._digesting.planned(specs)
        self._collect_helpers()
        # Before MkDocs reads a page or copies a file: no link, no outside file, no
        # front matter the strict reader refuses, no link to a missing file.
        check_pages(layout, specs, self.problems)
        self._stop_on_problems()
        start = time.perf_counter()
        self.media.prepare(catalogue, self.problems)
        self._lap("photo cache", start)  # the writer "photos" links them later
        self._collect_helpers()
        stats = self.media.processor.stats
        # The benchmark reads this line to prove a warm rebuild does no image work.
        log.info(f"ocop photos: {stats.processed} processed, {stats.cached} from cache")
        self._stop_on_problems()
        # Image files reach the site in the write step (write/photos.py).
        self.page_urls = []
        with one_build_date():
            for spec in specs:
                self.page_urls.append(spec.url)
                file = CatalogueFile.of_page(config, spec.src_uri, InclusionLevel.NOT_IN_NAV)
                CataloguePage(spec, file, config)
                files.append(file)
        # Pages, and the verification pages the writers add (linked from product pages).
        verify = [lang.prefix + Urls.verify(p) for lang in languages
                  for p in catalogue.products.values()]
        urls = [*(f.url for f in files.documentation_pages()), *verify]
        self.pages, self.pages_key = site_pages(urls, languages), urls_key(urls)
        if self.kept is not None:
            start = time.perf_counter()
            self.kept.ready()  # nothing is written into the folder before
            # Waiting for the walk of the kept folder (begun as the build started):
            # it is the disk's time when the folder is no longer in memory.
            self._lap("kept site walk", start)
            # MkDocs would keep a file whose copy in the folder is newer than its
            # source; a hand-written page also shows the menu and other pages'
            # titles: each is written again. Removed through the kept folder, which
            # notes it: a writer's file at such a path is not taken as it was.
            for file in files:
                if not isinstance(file, CatalogueFile) and file.inclusion.is_included():
                    self.kept.remove(file.dest_uri)
            # So that one MkDocs no longer writes (a template gone) is not left.
            for name in _theme_outputs(config):
                self.kept.remove(name)
        return files

    def _collect_helpers(self) -> None:
        """Take the answers the helper processes begun with the build have given (the
        look at the photo cache, the walk of the kept site, the digests): each holds
        what it made until its answer is read (the walk's until the photo step was
        done), and a forked one its copies of this process's memory."""
        assert self.media is not None
        self.media.collect()
        if self.kept is not None:
            self.kept.collect()
        if self._digesting is not None:
            self._digesting.collect()

    def _stop_on_problems(self) -> None:
        if self.problems.failed(self.config.strict):
            raise PluginError("The catalogue has problems:\n"
                              + self.problems.report(self.config.verbose))

    def _lap(self, name: str, start: float) -> None:
        self.timings[name] = time.perf_counter() - start

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        # Records outside docs_dir (products/ and their photos) must trigger a rebuild too.
        layout = source_layout(config, self.config)
        for folder in (layout.products_dir, layout.groups_file):
            if folder.exists():
                server.watch(str(folder))
        return server

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: Any) -> Any:
        # `mkdocs build` and `mkdocs serve` too (`ocop` commands check it first). Not in
        # a spawned page worker: it reads mkdocs.yml's site_dir, not --site-dir's.
        if not in_worker():
            try:
                check_cache_folder(config, self.config)
            except ConfigurationError as exc:
                raise PluginError(str(exc)) from None
        # The first event of each build: what ``build_into`` said is for this one.
        (self.kept, self.manifest_dir, self.writes_pages), self._next_build = (
            self._next_build, (None, None, False))
        # The sitemap is written by a writer (write/sitemap.py): left as it is in a
        # kept site while no entry changed, not gzipped again on every build.
        self.writes_sitemap = SITEMAP in config.theme.static_templates
        config.theme.static_templates.discard(SITEMAP)
        return config

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        self.nav = nav
        self.nav_uris = {page.file.src_uri for page in nav.pages}
        # MkDocs keeps a plugin's Page as it is, ignoring the label written in
        # mkdocs.yml's nav; keep that label for the sidebar.
        languages = site_languages(self.config)
        written = config.nav
        if written is None and len(languages) > 1:
            # MkDocs' own menu lists every page, the other languages' too: the
            # default language's pages only, as MkDocs would order them.
            written = default_nav(files, VIETNAMESE, languages)
            nav = self._navigation(written, files, config)
            # What MkDocs renders pages with, and so must the renderer (it did not
            # before: the workers of a big site without a nav got "En" in the menu).
            self.nav = nav
        self._label_pages(written or [], files)
        self.navs = {VIETNAMESE.code: nav}
        self._local_configs = {}
        for language in languages[1:]:
            items = translated_nav(written or [], language,
                                   lambda path: files.get_file_from_path(path) is not None,
                                   self.config.translations)
            if written is None or (config.nav is None and not items):
                items = default_nav(files, language, languages)
            self.navs[language.code] = self._navigation(items, files, config)
            self._label_pages(items, files)
            self._local_configs[language.code] = LocalConfig(
                config, language, self.config.translations, self.config.notice,
                has_home=self.pages.has(language.prefix, language))
        return nav

    @staticmethod
    def _label_pages(items: list[Any], files: Files) -> None:
        """Give the pages of a menu the labels it gives them (MkDocs keeps a Page
        made before the menu as it is, ignoring the label)."""
        for label, src_uri in nav_labels(items):
            file = files.get_file_from_path(src_uri)
            if file is not None and isinstance(file.page, CataloguePage):
                file.page.nav_title = label
            elif file is not None and file.page is not None and label:
                file.page.title = label

    @staticmethod
    def _navigation(items: list[Any], files: Files, config: Any) -> Any:
        """MkDocs' navigation of a language's menu (``items``, a nav as in mkdocs.yml)."""
        written = config.nav
        config.nav = items
        try:
            # MkDocs reports the pages a nav leaves out; the other languages' pages are.
            quiet = logging.getLogger("mkdocs.structure.nav")
            level = quiet.level
            quiet.setLevel(logging.WARNING)
            try:
                return get_navigation(files, config)
            finally:
                quiet.setLevel(level)
        finally:
            config.nav = written

    def on_post_build(self, *, config: Any) -> None:
        assert self.catalogue is not None
        self._write_pages(config)
        before, self._before = self._before, None
        context = before.context if before is not None else self._output_context(config)
        self._written = ((), {})
        if self.renderer is not None:
            self.renderer.close()
            # The benchmark reads this line.
            log.info(f"ocop pages: {self.renderer.rendered} rendered, "
                     f"{len(self.renderer.pages) - self.renderer.rendered} reused "
                     f"({len(self._left)} of them left in the kept site)")
            self._written = (self.renderer.pages, self.renderer.identities())
            # The writers render no fragment: they reuse the memory of those kept
            # (a national build that renders every page grew by about 100 MiB in its
            # writers, to 900-968 MiB, its peak, with them kept; 06/12/2026).
            self.renderer.memo.clear()
            self.renderer = None
        reads.unwatch()  # the writers read every record: plain attribute access
        self._lap("pages", self.render_start)
        if before is not None:
            # The writers run before the pages have their own laps in the line.
            self.timings["pages"] -= sum(before.written.timings.values())
        if before is not None:
            written = before.finish(WRITERS)
        else:
            written = write_step.Written()
            write_step.run(context, WRITERS, written)
        self.timings.update(written.timings)
        if context.kept_files is not None:
            log.info(f"ocop files: {context.kept_files.left} of "
                     f"{len(context.kept_files.entries)} left in the kept site")
        self._finish_site(config, written.produced, context.kept_files)
        self.world = None
        # `make bench` reads this line: where the build's time goes.
        log.info("ocop timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items()))

    def _output_context(self, config: Any) -> OutputContext:
        """What the writers receive."""
        assert self.catalogue is not None
        return OutputContext(
            catalogue=self.catalogue,
            site_dir=Path(config.site_dir),
            site_url=_site_url(config),
            page_urls=tuple(self.page_urls),
            hand_written_files=frozenset(
                f.dest_uri for f in (() if self.files is None else self.files.documentation_pages())
                if not isinstance(f, CatalogueFile)),
            media=self.media,
            site_name=config.site_name or "",
            data_licence=self.config.data_licence,
            data_licence_url=self.config.data_licence_url,
            cache_dir=Path(config.config_file_path).parent.resolve() / self.config.cache_dir,
            workers=worker_count(self.config.workers),
            layout=source_layout(config, self.config),
            editor_repo=self.config.editor_repo or _github_repo(config.repo_url or ""),
            editor_branch=self.config.editor_branch,
            editor_auth_url=self.config.editor_auth_url,
            languages=site_languages(self.config),
            kept_site=self.kept is not None,
            reuse=self._reusing(),
            kept_files=self._kept_files(config),
            sitemap=self._sitemap(config),
        )

    def _sitemap(self, config: Any) -> Sitemap | None:
        """The sitemap MkDocs would have made of the theme's template: the entries of
        its documentation pages, the time of the latest (``_build_theme_template``)."""
        if not self.writes_sitemap or self.files is None:
            return None
        files = self.files.documentation_pages()
        pages = [f.page for f in files if f.page is not None]
        languages = site_languages(self.config)
        site_url, pages_of, pages_key = _site_url(config), self.pages, self.pages_key
        return Sitemap(lambda: sitemap_entries(
            files, lambda url: alternates(url, pages_of, languages), site_url),
            get_build_timestamp(pages=pages),
            lambda: sitemap_key(files, site_url, languages, pages_key))

    def _kept_files(self, config: Any) -> KeptFiles | None:
        """The writers' files to record for the next build (and to leave, in a kept
        folder): only where a manifest is kept and the page cache is on."""
        if self.manifest_dir is None or self.world is None:
            return None
        # The walk's view of the folder: what MkDocs writes there besides the generated
        # pages was removed, and so marked, before the build (_add_catalogue).
        seen = self.kept.seen if self.kept is not None else None
        return KeptFiles(Path(config.site_dir), self.files_settings,
                         self.kept.files if self.kept is not None else {}, self.world, seen)

    def build_into(self, kept: KeptFolder | None, manifest_dir: Path | None,
                   writes_pages: bool = False) -> None:
        """Called by ``ocop build`` before MkDocs starts: the previous site to write
        into, if any, where to keep the manifest of the site built (None: none), and
        whether MkDocs builds dirty with no other plugin to see each page (then the
        generated pages are written here: ``_write_pages``)."""
        self._next_build = (kept, manifest_dir, writes_pages)

    def _finish_site(self, config: Any, produced: set[str],
                     kept_files: KeptFiles | None) -> None:
        """A kept folder: remove what this build did not write; then record the
        generated pages and the writers' files (``kept_files``) the folder holds, for
        the build that will write into it."""
        if self.kept is not None:
            start = time.perf_counter()
            photos = self.media.site_paths() if self.media is not None else set()
            removed = sweep(Path(config.site_dir),
                            produced | photos | self._mkdocs_outputs(config),
                            self.kept.listing)
            self.kept.listing = self.kept.seen = None
            if kept_files is not None:
                kept_files.seen = None  # nor the walk's view, before the manifest's JSON
            self._lap("stale files", start)
            log.info(f"ocop kept site: {removed} stale files removed, "
                     f"{self.kept.unsafe} unsafe ones before the build")
        if self.manifest_dir is not None:
            save_manifest(self.manifest_dir, Path(config.site_dir),
                          self._page_entries(Path(config.site_dir)),
                          {} if kept_files is None else kept_files.entries)
        self._written = ((), {})

    def _page_entries(self, site_dir: Path) -> dict[str, Entry]:
        """The manifest of the generated pages now in ``site_dir``: each page's
        identity (of its stored row), size and time as written."""
        pages, identities = self._written
        entries: dict[str, Entry] = {}
        for page in pages:
            path = page.file.dest_uri
            if page.url in self._left:
                assert self.kept is not None
                entries[path] = self.kept.pages[path]  # left as it was
                continue
            identity = identities.get(page.url)
            if identity is None:
                continue
            try:
                st = os.lstat(site_dir / path)
            except OSError:
                continue
            entries[path] = (identity.hex(), st.st_size, st.st_mtime_ns)
        return entries

    def _mkdocs_outputs(self, config: Any) -> set[str]:
        """Site paths MkDocs wrote (or left unchanged) in this build."""
        assert self.files is not None
        written = {f.dest_uri for f in self.files if f.inclusion.is_included()}
        return written | _theme_outputs(config)

    def on_build_error(self, *, error: Exception) -> None:
        self.abandon()

    def abandon(self) -> None:
        """End the build's processes (page workers, the digests' children) at once: the
        build failed (``ocop build`` calls it too for what MkDocs does not see, such as
        Ctrl-C, before it removes the folder they write into)."""
        if self.renderer is not None:
            self.renderer.terminate()
            self.renderer = None
        self._before = None
        self._close_digests()
        reads.unwatch()

    def _made_digests(self) -> digests_apart.Digests | None:
        """The digests made in their children, if any (``render/digests_apart.py``)."""
        digesting, self._digesting = self._digesting, None
        return None if digesting is None else digesting.answers(log.info)

    def _close_digests(self) -> None:
        """End the digests' children unless their answers were taken: the build
        stopped, or it has no page cache to use them."""
        if self._digesting is not None:
            self._digesting.close()
            self._digesting = None

    def _workers(self) -> int:
        """Processes for loading and rendering; 1 under `mkdocs serve`, whose
        threaded server must not fork."""
        if self.command == "serve" or in_worker():
            return 1
        return worker_count(self.config.workers)

    def _start_renderer(self, env: Any, config: Any, files: Files) -> None:
        """Every generated page goes through the renderer: reused when unchanged,
        else rendered (in workers when it pays off)."""
        assert self.catalogue is not None and self.media is not None
        doc_files = files.documentation_pages()
        # Their template is the stand-in (CataloguePage.meta): MkDocs renders it to what
        # the renderer gives for the page.
        pages = [f.page for f in doc_files if isinstance(f.page, CataloguePage)]
        # Read first: a wrong value stops any build, before a writer runs.
        renew_after()
        memory_budget()
        cache, keys, world = self._page_cache(config), [], None
        self.world, self.files_settings, self._before = None, "", None
        # Started first: it starts while the keys are made. Only where the build
        # writes the pages (no other plugin sees one).
        scanning = None
        if self.writes_pages:
            scanning = check_apart.start(cache, len(pages), self._workers())
        try:
            start = time.perf_counter()
            if cache is not None:
                # Records note who reads them while pages render (render/page_cache.py);
                # before the workers fork.
                watch_records()
                layout = source_layout(config, self.config)
                folders = [Path(__file__).parent.parent]  # the generator: code, catalogues, data
                if layout.theme_dir is not None:
                    folders.append(layout.theme_dir)
                code = code_key(folders)  # once: it reads every file of the generator
                settings = {language.code: self._settings_key(config, language, code)
                            for language in site_languages(self.config)}
                made = self._made_digests()
                specs = [page.spec for page in pages]
                made_pages = None if made is None else made.of_pages(specs)
                if made is not None and made.pages is not None and made_pages is None:
                    log.info("ocop: the pages' digests made apart were not this build's "
                             "pages'; made in this process")
                keys = page_keys(settings, specs, made_pages)
                self.files_settings = self._files_settings_key(config, code)
                self._lap("page keys", start)
                pages_of = self.pages
                media = self.media
                world = World(self.catalogue, {
                    "picture": media.picture_digest_of,
                    "page": lambda code, url: ("1" if pages_of.has(url, BY_CODE[code]) else "0")
                    if code in BY_CODE else None,
                    **clock.facts(self.catalogue, self.build_date),
                }, listings={
                    # Their every answer at once (what the two above give for each).
                    "picture": media.listed,
                    "page": lambda: pages_of.listed(BY_CODE),
                })
                if made is not None and made.records is not None \
                        and not world.take_digests(made.records):
                    log.info("ocop: the records' digests made apart were not this "
                             "catalogue's; made in this process")
                self.world = world
            else:
                self._close_digests()
            start = time.perf_counter()
            checked = None
            if scanning is not None and cache is not None and world is not None:
                checked = self._check_apart(config, pages, cache, keys, world, scanning)
                if self._before is not None:
                    # The writers' time is theirs (in the line's writers): this lap is
                    # the rest, the wait for the scan among it.
                    start += sum(self._before.written.timings.values())
        except BaseException:
            if cache is not None:
                cache.close()  # the renderer that closes it is not made (a writer failed …)
            raise
        finally:
            if scanning is not None:
                scanning.close()  # not left waiting for what to scan
        # Writing the pages itself, this process renders pages while it waits for the
        # workers: one of them fewer is started.
        self.renderer = PageRenderer(pages, env, config, self.nav, doc_files,
                                     self._workers(), cache, keys, world,
                                     helping=self.writes_pages,
                                     markdown=self._markdown_cache(config),
                                     checked=checked)
        self._left, self._to_write = set(), []
        if self.kept is not None:
            self._leave_unchanged(self.renderer)
        if self.writes_pages:
            # MkDocs skips them: its pass over a stand-in made the page's whole context
            # (get_context) and rendered the stand-in, about 20 s of a national build's
            # 70,000 pages, for HTML made already.
            self._to_write = [page for page in pages if page.url not in self._left]
            for page in self._to_write:
                page.file.modified = False
        if cache is not None:
            # Part of "pages", as "page keys" is; with the workers' start, if any.
            self._lap("reuse check", start)
        env.globals["ocop_prerendered"] = self.renderer.html

    def _check_apart(self, config: Any, pages: list[CataloguePage], cache: PageCache,
                     keys: list[str], world: World, scanning: check_apart.Scanning
                     ) -> Check | None:
        """The reuse check with its scan in the process ``scanning``
        (``render/check_apart.py``) and, meanwhile, here, the writers that need no
        page (``write_step.BeforePages``): while few pages are to be rendered (no page
        worker starts), all of them; the check, or None when the process gave no
        answer (the build then checks itself)."""
        by_url = {page.url: keys[i] for i, page in enumerate(pages)}
        # No page of a sample stored with its key (mkdocs.yml or the code changed:
        # every page is rendered): the build checks itself, and lists no line.
        step = max(1, len(pages) // check_apart.SAMPLE)
        if not cache.stored_with({page.url: by_url[page.url] for page in pages[::step]}):
            return None
        listed = world.listed()
        if not scanning.send(by_url, listed):
            return None
        try:
            before = self._before = write_step.BeforePages(
                self._output_context(config), frozenset(self._mkdocs_outputs(config)))
            reads.unwatch()  # the writers read every record: plain attribute access
            try:
                for writer in write_step.before_pages(WRITERS):
                    if not scanning.answered:
                        scanning.collect()
                        scan = scanning.scan
                        # Many pages to render (the page workers start): the others
                        # run after the pages, as without the process.
                        if scanning.answered and (scan is None or len(pages) - len(scan.found)
                                                  - len(scan.pending) >= PARALLEL_MIN_PAGES):
                            break
                    before.run(writer)
            finally:
                watch_records()
            scan = scanning.result(log.info)
        finally:
            scanning.close()
        if scan is None:
            return None
        # Tests read this line.
        log.info(f"ocop reuse check: scanned in a process of its own; {len(before.ran)} "
                 "writers ran meanwhile")
        return cache.settle(scan, listed, world)

    def _leave_unchanged(self, renderer: PageRenderer) -> None:
        """Tell MkDocs to skip the reused pages the kept folder holds as they are."""
        assert self.kept is not None
        identities = renderer.identities()
        for index in renderer.reused:
            page = renderer.pages[index]
            identity = identities.get(page.url)
            entry = self.kept.holds(page.file.dest_uri,
                                    None if identity is None else identity.hex())
            if entry is not None:
                page.file.modified = False
                self._left.add(page.url)

    def _write_pages(self, config: Any) -> None:
        """Write the generated pages MkDocs skipped (``writes_pages``), in order, as
        its ``_build_page`` writes a page's output (no other plugin has a page event
        to run: ``ocop build`` checks)."""
        pages, self._to_write = self._to_write, []
        if not pages:
            return
        assert self.renderer is not None
        # A page rendered here runs the page_context event, which leaves MkDocs'
        # record of the plugin whose event is running empty: this one's, again after.
        plugin = config.plugins._current_plugin
        # Into a kept folder, over the page's file in place, as the writers' files: a
        # file cut to nothing and written again (ext4 mounted with ``discard`` trims
        # its blocks) made "pages" 7 s longer in a national build that renders every
        # page, most of them the same bytes as before.
        write = write_file if self.kept is None else (lambda data, path: write_over(path, data))
        try:
            for page in pages:
                config._current_page = page
                try:
                    data = self.renderer.data(page)
                    if not _blank(data):
                        write(data, page.file.abs_dest_path)
                    else:
                        log.info(f"Page skipped: '{page.file.src_uri}'. "
                                 "Generated empty output.")
                except Exception as exc:
                    # As MkDocs says it for a page it builds.
                    message = f"Error building page '{page.file.src_uri}':"
                    if not isinstance(exc, BuildError):
                        message += f" {exc}"
                    log.error(message)
                    raise
        finally:
            config._current_page = None
            config.plugins._current_plugin = plugin

    def _reusing(self) -> bool:
        """Whether work is kept between builds (the page cache, the search tokens)."""
        setting = os.environ.get("OCOP_PAGE_CACHE", "")
        return setting == "1" or (setting != "0" and self.config.page_cache)

    def _page_cache(self, config: Any) -> PageCache | None:
        if not self._reusing():
            return None
        layout = source_layout(config, self.config)
        return PageCache.open(layout.root / self.config.cache_dir, layout.root)

    def _markdown_cache(self, config: Any) -> MarkdownCache | None:
        """Record Markdown converted by earlier builds, where work is kept."""
        if not self._reusing():
            return None
        layout = source_layout(config, self.config)
        return MarkdownCache.open(layout.root / self.config.cache_dir, layout.root)

    def _settings_key(self, config: Any, language: Language, code: str) -> str:
        """What every page of ``language`` depends on besides its own data (not the
        date: a page notes what it shows of it, render/clock.py)."""
        return settings_key(code, [
             *self._site_settings(config), language.code,
             repr(_nav_outline(self.navs.get(language.code, self.nav)))])

    def _files_settings_key(self, config: Any, code: str) -> str:
        """What every writer's file kept between builds (``KeptFiles``) depends on
        besides what it was made of and read: the site's settings, not a language's
        menu (a hand-written page added would make 69,000 national files again)."""
        return settings_key(code, ["files", *self._site_settings(config)])

    def _site_settings(self, config: Any) -> list[bytes | str]:
        """The configuration as written and as read, the plugin's options, the site
        URL and languages."""
        return [Path(config.config_file_path).read_bytes(), _config_outline(config),
                json.dumps(dict(self.config), sort_keys=True, default=_plain),
                _site_url(config), " ".join(x.code for x in site_languages(self.config))]

    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        self.render_start = time.perf_counter()
        self.files = files
        environment.configure(env, environment.SiteOptions(
            notice=self.config.notice, data_licence=self.config.data_licence,
            data_licence_url=self.config.data_licence_url), self.build_date)
        languages = site_languages(self.config)
        env.globals["ocop_site_url"] = _site_url(config)
        env.globals["ocop_site_languages"] = languages
        env.globals["ocop_pages"] = self.pages  # pages without a context of their own (404)
        env.globals["ocop_page_alternates"] = (
            lambda url: alternates(url, self.pages, languages))
        reads.reset()  # a build that failed may have left a fragment open
        # Last: workers inherit the environment as it is now.
        if not in_worker():
            self._start_renderer(env, config, files)
            # The pages MkDocs read and the reuse check's answers live all build too.
            collector.hold()
        elif keeping():
            watch_records()
        return env

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: Any,
                        nav: Any) -> dict[str, Any]:
        assert self.catalogue is not None and self.media is not None
        if page.meta.get("template") == STAND_IN and not rendering():
            return context  # MkDocs' pass over the stand-in; the renderer's has it all
        context["catalogue"] = self.catalogue
        # No date here: templates ask ``ocop_clock``, which notes it (render/clock.py).
        context["media"] = self.media
        language = language_of(page.url)
        context.update(environment.language_context(language.code))
        context["ocop_alternates"] = alternates(page.url, self.pages,
                                                site_languages(self.config))
        local = self._local_configs.get(language.code)
        if local is not None:
            context["nav"] = self.navs[language.code]
            context["config"] = local
            context["ocop_notice"], context["ocop_notice_lang"] = local.notice, local.notice_lang
        if page.is_homepage or _is_language_home(page):
            context["home"] = home(self.catalogue)
            context["ocop_catalogue_page"] = True
        if isinstance(page, CataloguePage):
            context["ocop_catalogue_page"] = True
            context.update(environment.page_context(page.spec, _site_url(config), self.media))
            if page.file.src_uri not in self.nav_uris:
                # Sidebar links are relative to the page's folder; pages outside the
                # nav highlight nothing in it, so those sharing a parent folder share
                # the same sidebar (see theme/main.html).
                parent = posixpath.dirname(page.url.rstrip("/"))
                context["ocop_nav_key"] = ("nav", parent, page.url.count("/"))
        return context

    def on_page_markdown(self, markdown: str, *, page: Page, config: Any,
                         files: Files) -> str:
        if isinstance(page, CataloguePage):
            # Its template and layout come from its spec (read_source). MkDocs calls
            # this for each of a national site's 70,000 pages: 1.6 s spent finding
            # which of them was a language's home page.
            return markdown
        if page.is_homepage or _is_language_home(page):
            page.meta.setdefault("template", "ocop/home.html")
            page.meta.setdefault("hide", ["navigation", "toc"])
        for message in clean_page_meta(page.meta):
            log.warning(f"{Path(config.docs_dir).name}/{page.file.src_uri}: {message}")
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: Any, files: Files) -> str:
        # Hand-written pages come through pull requests too: no script, handler or
        # javascript: link may reach the site from them (see render.sanitize).
        if isinstance(page, CataloguePage):
            return html
        # Material prints titles unescaped; fix the title now, whatever its source
        # (front matter, first heading, nav entry or file name).
        page.title = title_text(page.title or "")  # type: ignore[misc]
        return clean_page_html(html)


def _blank(data: bytes) -> bool:
    """Whether a page's HTML as written is white space only, as ``str.strip`` has it
    (MkDocs writes no file for such a page): text is decoded only when it does not
    begin with a tag after ASCII white space, as every page does."""
    return data.lstrip()[:1] != b"<" and not data.decode("utf-8", errors="replace").strip()


def _drop_theme_sitemap(files: Files, config: Any) -> None:
    """MkDocs copies a theme's files that are not among its templates: the sitemap's
    template, taken out of them (``on_config``), would be copied as it is, over the
    sitemap the writers write."""
    theirs = files.get_file_from_path(SITEMAP)
    if theirs is not None and any(
            Path(theirs.abs_src_path or "").is_relative_to(folder)
            for folder in config.theme.dirs):
        files.remove(theirs)


def _theme_outputs(config: Any) -> set[str]:
    """The files MkDocs makes of the theme's own templates (404.html; not the sitemap,
    which the writers write: ``on_config``)."""
    return set(config.theme.static_templates)


def _config_outline(config: Any) -> str:
    """What of the configuration as MkDocs read it (``INHERIT``, ``!ENV``, options of
    the command line applied) a generated page can show."""
    keys = ("site_name", "site_url", "site_description", "site_author", "copyright",
            "repo_url", "repo_name", "edit_uri", "use_directory_urls", "extra", "extra_css",
            "extra_javascript", "markdown_extensions", "mdx_configs")
    data = {key: config.get(key) for key in keys}
    data["theme"] = [dict(config.theme.items()), [str(d) for d in config.theme.dirs]]
    return json.dumps(data, sort_keys=True, default=_plain, ensure_ascii=False)


def _plain(value: Any) -> str:
    """A value JSON has no form for, as text that is the same in every build."""
    if hasattr(value, "__qualname__"):  # a function or class: its code is in the key
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    text = repr(value)
    return type(value).__qualname__ if " at 0x" in text else text


def _nav_outline(nav: Any) -> list[Any]:
    """A menu as plain data: each item's kind, title, URL and children."""
    def outline(items: Any) -> list[Any]:
        return [(type(item).__name__, item.title, getattr(item, "url", None),
                 outline(item.children or ()) if getattr(item, "children", None) else [])
                for item in items or ()]

    return outline(getattr(nav, "items", None))


def _switched_off(files: Files, languages: tuple[Language, ...]) -> list[File]:
    """Hand-written pages and files of a known language the site does not publish."""
    off = tuple(x.prefix for x in LANGUAGES if x.prefix and x not in languages)
    return [f for f in files if off and f.src_uri.startswith(off)]


def _is_language_home(page: Page) -> bool:
    """The home page of a language other than the default ('en/')."""
    return bool(page.url) and page.url == language_of(page.url).prefix


def _site_url(config: Any) -> str:
    """The absolute site URL with a trailing slash ('/' when mkdocs.yml has none)."""
    return (config.site_url or "/").rstrip("/") + "/"


def _github_repo(repo_url: str) -> str:
    """"owner/name" of a GitHub ``repo_url``; empty for any other host."""
    head = "https://github.com/"
    if not repo_url.startswith(head):
        return ""
    return "/".join(repo_url[len(head):].strip("/").removesuffix(".git").split("/")[:2])
