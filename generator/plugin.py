"""The MkDocs adapter: event handlers only. The catalogue itself is built by the
core modules (load → validate → link), which know nothing of MkDocs.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import formatting, jsonld
from .catalogue import Catalogue, build_catalogue
from .certificates import LABELS as STATUS_LABELS
from .clock import build_date
from .config import CatalogueConfig
from .dataurls import DataUrls
from .errors import Problems
from .load import SourceLayout
from .markup import render_markdown, safe_url
from .media import MediaLibrary
from .outputs import WRITERS, OutputContext
from .pages import PRODUCER_TYPE_LABELS, PageSpec, Urls
from .plan import plan_pages

log = logging.getLogger("mkdocs.plugins.ocop")


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

    def read_source(self, config: Any) -> None:
        # Titles reach Material templates that print them unescaped.
        title = escape(self.spec.title)
        self.markdown = ""
        self.meta = {"template": self.spec.template, "title": title,
                     "description": escape(self.spec.description)}
        self.title = title

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
        catalogue = build_catalogue(layout, build_date(), self.problems)
        if self.problems.failed(self.config.strict):
            raise PluginError("The catalogue has problems:\n" + self.problems.report())
        for warning in self.problems.warnings:
            log.info(str(warning))
        self.catalogue = catalogue
        self.media = MediaLibrary(layout.root / self.config.cache_dir, layout)
        self.media.prepare(catalogue, self.problems)
        if self.problems.failed(self.config.strict):
            raise PluginError("The catalogue has problems:\n" + self.problems.report())
        for src_uri, abs_path in self.media.files():
            files.append(File.generated(config, src_uri, abs_src_path=str(abs_path)))
        self.page_urls = []
        for spec in plan_pages(catalogue):
            self.page_urls.append(spec.url)
            file = File.generated(config, spec.src_uri, content="",
                                  inclusion=InclusionLevel.NOT_IN_NAV)
            CataloguePage(spec, file, config)
            files.append(file)
        return files

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
        for writer in WRITERS:
            writer(context)

    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        # Our templates print untrusted data: escape by default there. Material's
        # own templates print pre-rendered HTML and must stay as they are.
        env.autoescape = _autoescape
        env.filters["vnd"] = formatting.vnd
        env.filters["thousands"] = formatting.thousands
        env.filters["date_vi"] = formatting.date_vi
        env.filters["markdown"] = render_markdown
        env.filters["safe_url"] = safe_url
        env.globals["ocop_urls"] = Urls
        env.globals["ocop_status_labels"] = STATUS_LABELS
        env.globals["ocop_producer_types"] = PRODUCER_TYPE_LABELS
        env.globals["ocop_notice"] = self.config.notice
        env.globals["ocop_data_urls"] = DataUrls
        env.globals["ocop_data_licence"] = {"name": self.config.data_licence,
                                            "url": self.config.data_licence_url}
        return env

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: Any,
                        nav: Any) -> dict[str, Any]:
        assert self.catalogue is not None and self.media is not None
        context["catalogue"] = self.catalogue
        context["media"] = self.media
        if isinstance(page, CataloguePage):
            context.update(page.spec.context)
            context["jsonld"] = self._jsonld(page.spec, config)
        return context

    def on_page_markdown(self, markdown: str, *, page: Page, config: Any,
                         files: Files) -> str:
        if page.is_homepage:
            page.meta.setdefault("template", "ocop/home.html")
        return markdown

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
        return Markup("")
