"""The MkDocs adapter: event handlers only. The catalogue itself is built by the
core modules (load → validate → link), which know nothing of MkDocs.
"""

from __future__ import annotations

import logging
import os
import posixpath
import time
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..link.catalogue import Catalogue, link
from ..link.certificates import LABELS as STATUS_LABELS
from ..link.clock import build_date
from ..media.library import MediaLibrary
from ..plan import plan_pages
from ..plan.pages import PRODUCER_TYPE_LABELS, PageSpec, Urls
from ..plan.trade import TradeHelpers, jsonld_for
from ..plan.urls import DataUrls
from ..render import formatting, jsonld
from ..render.markdown import render_markdown, safe_url
from ..render.sanitize import clean_page_html, clean_page_meta, title_text
from ..render.social import social_card
from ..source.load import SourceLayout, load_records
from ..source.preview import PreviewError, restrict
from ..source.problems import Problems
from ..write import WRITERS, OutputContext
from .config import CatalogueConfig
from .parallel import STAND_IN, ParallelRenderer, in_worker

log = logging.getLogger("mkdocs.plugins.ocop")

#: Below this many generated pages, forking workers costs more than it saves.
PARALLEL_MIN_PAGES = 400


@pass_context
def _root_filter(context: Any, path: str) -> str:
    """Link to a site-root-relative path via the page's ``base_url`` ('../..').

    Unlike MkDocs' ``url`` filter the result depends only on the page's depth,
    which lets rendered cards be reused across pages.
    """
    return f"{context['base_url']}/{path}"


def _memo_put(memo: dict[Any, Any]) -> Any:
    def put(key: Any, value: Any) -> Any:
        memo[key] = value
        return value

    return put


def _nav_labels(items: list[Any]) -> list[tuple[str, str]]:
    """(label, path) of every page entry in a mkdocs.yml nav."""
    out: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, dict):
            for label, value in item.items():
                if isinstance(value, str):
                    out.append((label, value))
                elif isinstance(value, list):
                    out.extend(_nav_labels(value))
    return out


def _autoescape(template_name: str | None) -> bool:
    return bool(template_name) and template_name.startswith(("ocop/", "partials/ocop/"))


class CataloguePage(Page):
    """A generated page: its body comes from a template and a record, not Markdown.

    Skipping Markdown entirely matters at scale: MkDocs builds a new Markdown
    instance for every page it renders.
    """

    def __init__(self, spec: PageSpec, file: File, config: Any) -> None:
        super().__init__(None, file, config)
        self.spec = spec
        #: The label given in mkdocs.yml's nav, if the page is listed there.
        self.nav_title: str | None = None

    def read_source(self, config: Any) -> None:
        # Titles reach Material templates that print them unescaped.
        title = escape(self.spec.title)
        self.markdown = ""
        self.meta = {"template": self.spec.template, "title": title,
                     "description": escape(self.spec.description)}
        # page.title labels the sidebar; <title> and the header use meta.title.
        self.title = escape(self.nav_title) if self.nav_title else title

    def render(self, config: Any, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()


class CataloguePlugin(BasePlugin[CatalogueConfig]):
    """Compiles the YAML catalogue into generated MkDocs pages."""

    def __init__(self) -> None:
        self.catalogue: Catalogue | None = None
        self.media: MediaLibrary | None = None
        self.problems = Problems()
        self.page_urls: list[str] = []
        #: Rendered fragments reused across pages (cards, sidebars), per build.
        self.memo: dict[Any, Any] = {}
        self.nav_uris: set[str] = set()
        self.timings: dict[str, float] = {}
        self.render_start = time.perf_counter()
        self.command: str | None = None
        self.nav: Any = None
        self.renderer: ParallelRenderer | None = None

    def _layout(self, config: Any) -> SourceLayout:
        root = Path(config.config_file_path).parent.resolve()
        groups = self.config.product_groups
        layout = SourceLayout.default(root, root / groups if groups else None)
        return SourceLayout(
            root=root,
            products_dir=root / self.config.products_dir,
            points_of_sale_dir=root / self.config.points_of_sale_dir,
            fairs_dir=root / self.config.fairs_dir,
            groups_file=layout.groups_file,
        )

    @event_priority(50)
    def on_files(self, files: Files, *, config: Any) -> Files:
        layout = self._layout(config)
        self.problems = Problems()
        self.timings = {}
        start = time.perf_counter()
        loaded = load_records(layout, self.problems, self._workers())
        selection = os.environ.get("OCOP_PREVIEW") or self.config.preview
        if selection:
            try:
                restrict(loaded, selection)
            except PreviewError as exc:
                raise PluginError(str(exc)) from None
            log.info(f"ocop preview ({selection}): {len(loaded.products)} products of "
                     f"{len(loaded.producers)} producers")
        catalogue = link(loaded, build_date(), self.problems)
        self._lap("load+link", start)
        if self.problems.failed(self.config.strict):
            raise PluginError("The catalogue has problems:\n" + self.problems.report())
        for warning in self.problems.warnings:
            log.info(str(warning))
        self.catalogue = catalogue
        self.media = MediaLibrary(layout.root / self.config.cache_dir, layout)
        start = time.perf_counter()
        self.media.prepare(catalogue, self.problems)
        self._lap("photos", start)
        stats = self.media.processor.stats
        # The benchmark reads this line to prove a warm rebuild does no image work.
        log.info(f"ocop photos: {stats.processed} processed, {stats.cached} from cache")
        if self.problems.failed(self.config.strict):
            raise PluginError("The catalogue has problems:\n" + self.problems.report())
        # Image files reach the site in the write step (outputs/media_files.py).
        start = time.perf_counter()
        self.page_urls = []
        for spec in plan_pages(catalogue):
            self.page_urls.append(spec.url)
            file = File.generated(config, spec.src_uri, content="",
                                  inclusion=InclusionLevel.NOT_IN_NAV)
            CataloguePage(spec, file, config)
            files.append(file)
        self._lap("plan", start)
        return files

    def _lap(self, name: str, start: float) -> None:
        self.timings[name] = time.perf_counter() - start

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        # Records outside docs_dir (products/ and their photos) must trigger a rebuild too.
        layout = self._layout(config)
        for folder in (layout.products_dir, layout.groups_file):
            if folder.exists():
                server.watch(str(folder))
        return server

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        self.nav = nav
        self.nav_uris = {page.file.src_uri for page in nav.pages}
        # MkDocs keeps a plugin's Page as it is, ignoring the label written in
        # mkdocs.yml's nav; keep that label for the sidebar.
        for label, src_uri in _nav_labels(config.nav or []):
            file = files.get_file_from_path(src_uri)
            if file is not None and isinstance(file.page, CataloguePage):
                file.page.nav_title = label
        return nav

    def on_post_build(self, *, config: Any) -> None:
        assert self.catalogue is not None
        context = OutputContext(
            catalogue=self.catalogue,
            site_dir=Path(config.site_dir),
            site_url=(config.site_url or "/").rstrip("/") + "/",
            page_urls=tuple(self.page_urls),
            media=self.media,
            site_name=config.site_name or "",
            data_licence=self.config.data_licence,
            data_licence_url=self.config.data_licence_url,
            cache_dir=Path(config.config_file_path).parent.resolve() / self.config.cache_dir,
        )
        if self.renderer is not None:
            self.renderer.close()
            self.renderer = None
        self._lap("pages", self.render_start)
        for writer in WRITERS:
            start = time.perf_counter()
            writer(context)
            self._lap(writer.__module__.rsplit(".", 1)[-1], start)
        # `make bench` reads this line: where the build's time goes.
        log.info("ocop timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items()))

    def on_build_error(self, *, error: Exception) -> None:
        if self.renderer is not None:
            self.renderer.terminate()
            self.renderer = None

    def _workers(self) -> int:
        """Processes for loading and rendering; 1 under `mkdocs serve`, whose
        threaded server must not fork."""
        if self.command == "serve":
            return 1
        return int(os.environ.get("OCOP_WORKERS") or self.config.workers or os.cpu_count() or 1)

    def _start_workers(self, env: Any, config: Any, files: Files) -> None:
        """Render generated pages in worker processes when it pays off."""
        workers = self._workers()
        doc_files = files.documentation_pages()
        pages = [f.page for f in doc_files if isinstance(f.page, CataloguePage)]
        if workers < 2 or len(pages) < PARALLEL_MIN_PAGES:
            return
        for page in pages:
            page.meta["template"] = STAND_IN
        self.renderer = ParallelRenderer(pages, env, config, self.nav, doc_files, workers)
        env.globals["ocop_prerendered"] = self.renderer.html

    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        # Our templates print untrusted data: escape by default there. Material's
        # own templates print pre-rendered HTML and must stay as they are.
        env.autoescape = _autoescape
        self.render_start = time.perf_counter()
        env.filters["root"] = _root_filter
        self.memo = {}
        env.globals["ocop_memo"] = self.memo
        env.globals["ocop_memo_put"] = _memo_put(self.memo)
        env.filters["vnd"] = formatting.vnd
        env.filters["thousands"] = formatting.thousands
        env.filters["date_vi"] = formatting.date_vi
        env.filters["markdown"] = render_markdown
        env.filters["safe_url"] = safe_url
        env.globals["ocop_urls"] = Urls
        env.globals["ocop_status_labels"] = STATUS_LABELS
        env.globals["ocop_producer_types"] = PRODUCER_TYPE_LABELS
        env.globals["ocop_notice"] = self.config.notice
        env.globals["ocop_trade"] = TradeHelpers
        env.globals["ocop_data_urls"] = DataUrls
        env.globals["ocop_data_licence"] = {"name": self.config.data_licence,
                                            "url": self.config.data_licence_url}
        # Last: workers inherit the environment as it is now.
        self._start_workers(env, config, files)
        return env

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: Any,
                        nav: Any) -> dict[str, Any]:
        assert self.catalogue is not None and self.media is not None
        if page.meta.get("template") == STAND_IN and not in_worker():
            return context  # a worker renders this page, with the full context
        context["catalogue"] = self.catalogue
        context["media"] = self.media
        if isinstance(page, CataloguePage):
            context.update(page.spec.context)
            context["jsonld"] = self._jsonld(page.spec, config)
            if page.file.src_uri not in self.nav_uris:
                # Sidebar links are relative to the page's folder; pages outside the
                # nav highlight nothing in it, so those sharing a parent folder share
                # the same sidebar (see theme/main.html).
                parent = posixpath.dirname(page.url.rstrip("/"))
                context["ocop_nav_key"] = ("nav", parent, page.url.count("/"))
            site = (config.site_url or "/").rstrip("/") + "/"
            context["social"] = social_card(page.spec, site, self.media)
        return context

    def on_page_markdown(self, markdown: str, *, page: Page, config: Any,
                         files: Files) -> str:
        if page.is_homepage:
            page.meta.setdefault("template", "ocop/home.html")
        if not isinstance(page, CataloguePage):
            for message in clean_page_meta(page.meta):
                log.warning(f"{Path(config.docs_dir).name}/{page.file.src_uri}: {message}")
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: Any, files: Files) -> str:
        # Hand-written pages come through pull requests too: no script, handler or
        # javascript: link may reach the site from them (see sanitize).
        if isinstance(page, CataloguePage):
            return html
        # Material prints titles unescaped; fix the title now, whatever its source
        # (front matter, first heading, nav entry or file name).
        page.title = title_text(page.title or "")  # type: ignore[misc]
        return clean_page_html(html)

    def _jsonld(self, spec: PageSpec, config: Any) -> Markup:
        site = (config.site_url or "/").rstrip("/") + "/"
        if spec.kind == "product":
            product = spec.context["product"]
            images = [site + self.media.picture(p).src for p in product.photos]  # type: ignore[union-attr]
            return jsonld.script(jsonld.product(
                product, site + Urls.product(product), images,
                site + Urls.producer(product.producer)))
        if spec.kind == "producer":
            producer = spec.context["producer"]
            return jsonld.script(jsonld.organization(producer, site + Urls.producer(producer)))
        trade_data = jsonld_for(spec, site)
        if trade_data is not None:
            return jsonld.script(trade_data)
        return Markup("")
