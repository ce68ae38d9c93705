"""The template environment: our filters and globals, and each page's context.

Templates receive records (``product``, ``producer`` …) and these helpers,
never pre-baked HTML; only Markdown from data arrives as (sanitised) HTML,
through the ``markdown`` filter. Nothing here imports MkDocs: the adapter calls
``configure`` on the Jinja environment MkDocs made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, pass_context

from .. import vietnamese
from ..media.library import MediaLibrary
from ..plan.breadcrumbs import breadcrumbs
from ..plan.pages import PageSpec
from ..plan.urls import Urls
from ..source.certificates import CARD_LABELS as STATUS_CARD_LABELS
from ..source.certificates import LABELS as STATUS_LABELS
from ..source.records import LEVEL_LABELS, PRODUCER_TYPE_LABELS
from . import jsonld
from .helpers import TradeHelpers
from .sanitize import render_markdown, safe_url
from .social import social_card


@dataclass(frozen=True)
class SiteOptions:
    """What every page shows from the site's configuration."""

    #: A note shown on every page (e.g. that the catalogue holds sample data).
    notice: str = ""
    data_licence: str = "CC BY 4.0"
    data_licence_url: str = ""


@pass_context
def _root_filter(context: Any, path: str) -> str:
    """Link to a site-root-relative path via the page's ``base_url`` ('../..').

    Unlike MkDocs' ``url`` filter the result depends only on the page's depth,
    which lets rendered cards be reused across pages.
    """
    # base_url is '.' or '../..' — or '/' on the 404 page, which any URL may show.
    return f"{context['base_url'].rstrip('/')}/{path}"


def _memo_put(memo: dict[Any, Any]) -> Any:
    def put(key: Any, value: Any) -> Any:
        memo[key] = value
        return value

    return put


@dataclass(frozen=True)
class Section:
    """One entry of the sections bar or of the catalogue's menu."""

    title: str
    url: str
    current: bool
    #: The pages of a section (its entries in mkdocs.yml's nav), for the menu.
    children: tuple[Section, ...] = ()


def sections(nav: Any, page_url: str) -> list[Section]:
    """The top entries of the site's navigation (MkDocs' nav: items with ``title``,
    ``url`` and ``children``), each linking to its first page; the one ``page_url``
    belongs to (by its first folder) is marked current."""
    head = page_url.split("/", 1)[0]
    out = []
    for item in nav or ():
        pages = [p for p in (item.children or ()) or [item] if getattr(p, "url", None) is not None]
        if not pages:
            continue
        urls = [p.url for p in pages]
        heads = {url.split("/", 1)[0] for url in urls}
        current = page_url in urls or (bool(head) and head in heads)
        children = tuple(Section(p.title, p.url, p.url == page_url) for p in pages
                         ) if item.children else ()
        out.append(Section(item.title, urls[0], current, children))
    return out


def autoescape(template_name: str | None) -> bool:
    """Our templates print untrusted data: escape by default there. Material's own
    templates print pre-rendered HTML and must stay as they are."""
    return bool(template_name) and template_name.startswith(("ocop/", "partials/ocop/"))


def configure(env: Environment, options: SiteOptions) -> dict[Any, Any]:
    """Add our filters and globals to ``env``; returns the build's fragment memo."""
    env.autoescape = autoescape
    memo: dict[Any, Any] = {}
    env.filters.update({
        "root": _root_filter,
        "vnd": vietnamese.vnd,
        "thousands": vietnamese.thousands,
        "date_vi": vietnamese.date_vi,
        "markdown": render_markdown,
        "safe_url": safe_url,
    })
    env.globals.update({
        # Rendered fragments reused across pages (sidebars, footers), per build.
        "ocop_memo": memo,
        "ocop_memo_put": _memo_put(memo),
        "ocop_urls": Urls,
        "ocop_status_labels": STATUS_LABELS,
        "ocop_status_card_labels": STATUS_CARD_LABELS,
        "ocop_producer_types": PRODUCER_TYPE_LABELS,
        "ocop_level_labels": LEVEL_LABELS,
        "ocop_notice": options.notice,
        "ocop_trade": TradeHelpers,
        "ocop_sections": sections,
        "ocop_data_licence": {"name": options.data_licence, "url": options.data_licence_url},
    })
    return memo


def page_context(spec: PageSpec, site_url: str, media: MediaLibrary) -> dict[str, Any]:
    """What a generated page's template receives besides MkDocs' own context:
    its records, its JSON-LD and its social card (``site_url`` ends with '/')."""
    return {
        **spec.context,
        "breadcrumbs": breadcrumbs(spec),
        "jsonld": jsonld.script(jsonld.page_data(spec, site_url, media)),
        "social": social_card(spec, site_url, media),
    }
