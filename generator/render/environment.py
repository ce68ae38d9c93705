"""The template environment: our filters and globals, and each page's context.

Templates receive records (``product``, ``producer`` …) and these helpers,
never pre-baked HTML; only Markdown from data arrives as (sanitised) HTML,
through the ``markdown`` filter. Nothing here imports MkDocs: the adapter calls
``configure`` on the Jinja environment MkDocs made.
"""

from __future__ import annotations

import datetime as dt
import types
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, KeysView, MutableMapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, pass_context, pass_eval_context
from jinja2.utils import LRUCache
from markupsafe import Markup, escape

from .. import reads
from ..language import BY_CODE, LANGUAGES, VIETNAMESE, Language
from ..media.library import MediaLibrary
from ..plan.breadcrumbs import breadcrumbs
from ..plan.pages import PageSpec
from ..plan.urls import Urls
from ..source.certificates import CARD_LABELS as STATUS_CARD_LABELS
from ..source.certificates import LABELS as STATUS_LABELS
from ..source.records import LEVEL_LABELS, PRODUCER_TYPE_LABELS
from . import jsonld
from .clock import Clock
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


def _language(context: Any) -> Language:
    return context.get("ocop_lang") or VIETNAMESE


@pass_context
def _root_filter(context: Any, path: str, base: str | None = None) -> str:
    """Link to a site-root-relative path via the page's ``base_url`` ('../..'), or
    via ``base`` when given (``Memo.BASE`` in a card kept for pages of any depth); a
    page in the page's own language when there is one (``Pages.url``).

    Unlike MkDocs' ``url`` filter the result depends only on the page's depth
    and language, which lets rendered cards be reused across pages.
    """
    # base_url is '.' or '../..' — or '/' on the 404 page, which any URL may show.
    pages: Pages | None = context.get("ocop_pages")
    if pages is not None:
        path = pages.url(path, _language(context))
    return f"{(context['base_url'] if base is None else base).rstrip('/')}/{path}"


@pass_context
def _price_filter(context: Any, amount: int) -> str:
    return _language(context).price(amount)


@pass_context
def _number_filter(context: Any, number: int) -> str:
    return _language(context).number(number)


@pass_context
def _date_filter(context: Any, day: Any) -> str:
    return _language(context).date(day)


class Pages:
    """Which pages exist in which language, for links between pages: an English
    page links to the English version of a page, or to the Vietnamese one when
    there is none (a hand-written page nobody translated)."""

    def __init__(self, urls_by_language: dict[str, set[str]]) -> None:
        self.urls = urls_by_language

    def url(self, path: str, language: Language) -> str:
        """``path`` (a site path in the default language) in ``language``."""
        if not language.prefix:
            return path
        page = path.split("#", 1)[0].split("?", 1)[0]
        # Files ('…/qr.svg', photos, data) are the same for every language.
        if (page == "" or page.endswith("/")) and self.has(language.prefix + page, language):
            return language.prefix + path
        return path

    def has(self, url: str, language: Language) -> bool:
        found = url in self.urls.get(language.code, ())
        reads.note(("page", language.code, url), "1" if found else "0")
        return found

    def listed(self, codes: Iterable[str]) -> Iterator[tuple[tuple[str, str], str]]:
        """What ``has`` notes for every page of the languages of ``codes``: ((code,
        URL), "1") each (the page cache's check lists them: ``World``)."""
        for code in codes:
            for url in self.urls.get(code, ()):
                yield (code, url), "1"


@pass_context
def _local_file_filter(context: Any, path: str) -> str:
    """``root`` for a file every language has its own of (feeds, calendars, the data
    of maps and of the supplier filter), in the language's folder."""
    return f"{context['base_url'].rstrip('/')}/{_language(context).prefix}{path}"


@pass_context
def _root_exact_filter(context: Any, path: str) -> str:
    """``root`` for a path already in its language (the switcher's, hreflang's)."""
    return f"{context['base_url'].rstrip('/')}/{path}"


def other_languages(current: Language, alternates: list[tuple[Language, str]],
                    pages: Pages) -> list[tuple[Language, str]]:
    """Where the language switcher leads: for each language but ``current``, this
    page in it (``alternates``) or, when it has none, that language's home page."""
    found = dict(alternates)
    return [(language, found.get(language, language.prefix))
            for language in LANGUAGES if language is not current
            and (language in found or pages.has(language.prefix, language))]


def _newstyle(function: Any) -> Any:
    """gettext as Jinja's i18n extension calls it with ``newstyle_gettext``:
    %-placeholders filled from keywords, escaped in autoescaped templates."""
    # A page asks for about 40 messages, nearly all without variables (millions of
    # calls for a national catalogue's pages): each of those is translated, escaped
    # and formatted once a process (the catalogue is read once a process too). Only
    # for a plain ``str``: a Markup message equals its text but is not escaped.
    plain: dict[tuple[str, bool], str] = {}
    # Every message translated and escaped once, the variables of those that have
    # some ("Còn hiệu lực đến %(date)s") put in at each call.
    formats: dict[tuple[str, bool], str] = {}

    # Only the evaluation context (is the template autoescaped?): a function that takes
    # the whole context is given a copy of it at each call in a loop or a block
    # (``Context.call``), about 6 % of a page's rendering.
    @pass_eval_context
    def call(eval_ctx: Any, message: str, *args: Any, **variables: Any) -> str:
        autoescape = bool(eval_ctx.autoescape)
        if args or type(message) is not str:
            return _translate(function, message, autoescape, args, variables)
        key = (message, autoescape)
        if not variables:
            found = plain.get(key)
            if found is not None:
                return found
        text = formats.get(key)
        if text is None:
            text = formats[key] = _message(function, message, autoescape)
        if variables:
            return text % variables
        found = plain[key] = text % {}
        return found

    return call


def _message(function: Any, message: str, autoescape: bool, *args: Any) -> str:
    """The translation of ``message``, before its variables are put in."""
    text = function(message, *args)
    # Translations are text, never markup (a catalogue comes through pull requests
    # too): escaped, then the variables (escaped too) put in.
    return escape(text) if autoescape else text


def _translate(function: Any, message: str, autoescape: bool, args: tuple[Any, ...],
               variables: dict[str, Any]) -> str:
    text = _message(function, message, autoescape, *args)
    if args:  # ngettext: the count is also "num"
        variables.setdefault("num", args[-1])
    return text % variables


def language_context(code: str) -> dict[str, Any]:
    """What every page of ``code``'s language receives: the language and the
    gettext functions of its catalogue (Jinja's i18n extension reads
    ``gettext``/``ngettext`` from the context, so pages differ by language)."""
    return _LANGUAGE_CONTEXT[code]


def _in_language(code: str, value: Any) -> Markup:
    """``value`` escaped, marked as written in the language ``code`` (one of ours: a
    ``Language``'s code, not data). Not ``Markup % …``: a third of its time."""
    return Markup(f'<span lang="{code}">{escape(value)}</span>')


def _field_printer(language: Language) -> Callable[[Any, str], Markup]:
    """``text(record, field)`` of ``language``'s pages: the record's ``field`` in the
    page's language (``name_en`` on English pages when staff wrote one, else the
    Vietnamese), escaped, and marked ``lang="vi"`` where it is not the page's
    language.

    A function the page's language context holds, not a template macro: a province's
    2,242 pages call ``text`` and ``vi`` 44,000 times, and a macro call costs Jinja a
    context, its arguments' checks and a ``Markup`` of its output (in a loop: 4.3–5.1
    µs a call of the ``text`` macro, 1.9–2.7 µs of this function). Taking the page's
    context instead (``pass_context``) would copy it at each call in a loop or a
    block."""
    code = language.code
    localized = language.localized

    def text(record: Any, field: str) -> Markup:
        value, written_in = localized(record, field)
        if written_in != code:
            return _in_language(written_in, value)
        return escape(value)

    return text


def _vietnamese_printer(language: Language) -> Callable[[Any], Markup]:
    """``vi(value)`` of ``language``'s pages: Vietnamese data that has no translation
    (addresses, units, ingredients), escaped, marked ``lang="vi"`` on pages of another
    language (as ``_field_printer``, for a value rather than a record's field)."""
    if not language.prefix:
        return escape

    def vi(value: Any) -> Markup:
        return _in_language(VIETNAMESE.code, value)

    return vi


def _language_context(language: Language) -> dict[str, Any]:
    gettext = _newstyle(language.gettext)
    # ``_`` too: the i18n extension's own takes the whole context, only to look
    # ``gettext`` up in it (see ``_newstyle``). A template given no page's context
    # (404.html, a module imported without one) finds the Vietnamese one in the
    # globals, as it found the Vietnamese ``gettext`` there before.
    return {"ocop_lang": language, "gettext": gettext, "_": gettext,
            "ngettext": _newstyle(language.ngettext),
            "text": _field_printer(language), "vi": _vietnamese_printer(language)}


_LANGUAGE_CONTEXT = {code: _language_context(language) for code, language in BY_CODE.items()}


@dataclass(frozen=True)
class Section:
    """One entry of the sections bar or of the catalogue's menu."""

    title: str
    url: str
    current: bool
    #: The pages of a section (its entries in mkdocs.yml's nav), for the menu.
    children: tuple[Section, ...] = ()


def sections(nav: Any, page_url: str, lang: Language = VIETNAMESE) -> list[Section]:
    """The top entries of the site's navigation (MkDocs' nav: items with ``title``,
    ``url`` and ``children``), each linking to its first page; the one ``page_url``
    belongs to (by its first folder) is marked current. URLs without the language's
    folder (the ``root`` filter adds it)."""
    page_url = page_url.removeprefix(lang.prefix)
    head = page_url.split("/", 1)[0]
    out = []
    for item in nav or ():
        pages = [p for p in (item.children or ()) or [item] if getattr(p, "url", None) is not None]
        if not pages:
            continue
        urls = [p.url.removeprefix(lang.prefix) for p in pages]
        heads = {url.split("/", 1)[0] for url in urls}
        current = page_url in urls or (bool(head) and head in heads)
        children = tuple(Section(p.title, url, url == page_url)
                         for p, url in zip(pages, urls, strict=True)) if item.children else ()
        out.append(Section(item.title, urls[0], current, children))
    return out


def autoescape(template_name: str | None) -> bool:
    """Our templates print untrusted data: escape by default there. Material's own
    templates print pre-rendered HTML and must stay as they are."""
    return bool(template_name) and template_name.startswith(("ocop/", "partials/ocop/"))


class TemplateGlobals(ChainMap[str, Any]):
    """A template's globals as Jinja makes them (``Environment.make_globals``): its
    own (nearly always none) over the environment's, live. Jinja lists them for
    every context it makes (each include and import of each page) and compares them
    at each import of a module: through ``ChainMap``'s general paths that was 6 % of
    a national build's page rendering in a profile. With no globals of its own the
    template's are the environment's dict itself, as fast as a dict."""

    def _shared_only(self) -> MutableMapping[str, Any] | None:
        """The environment's globals when they are all there is, else None (a template
        with its own, or a chain made from this one by ``new_child`` or ``parents``)."""
        maps = self.maps
        return maps[1] if len(maps) == 2 and not maps[0] else None

    def __iter__(self) -> Iterator[str]:
        shared = self._shared_only()
        return super().__iter__() if shared is None else iter(shared)

    def __contains__(self, key: object) -> bool:
        shared = self._shared_only()
        return super().__contains__(key) if shared is None else key in shared

    def keys(self) -> KeysView[str]:
        shared = self._shared_only()
        return super().keys() if shared is None else shared.keys()


def _interface_text(known: dict[tuple[str, str, str], str],
                    ) -> Callable[[Any, Any], Callable[[str], str]]:
    """Material's ``t(key)`` (partials/language.html) for a page whose interface
    language is the template module ``lang`` (``fallback``: English): its text for
    ``key``, else English's, else the key, as Material's macro prints it. Each
    language's macro builds a dict of every text to look one up (Material's
    ``partials/languages/*.html``), 6,946 calls in a province's pages: each
    answer is kept in ``known`` (per build) once made."""

    def bind(lang: Any, fallback: Any) -> Callable[[str], str]:
        def t(key: str) -> str:
            found = (lang.__name__, fallback.__name__, key)
            text = known.get(found)
            if text is None:
                # Macros of Material's templates (not autoescaped) give str.
                text = known[found] = str(lang.t(key) or fallback.t(key) or key)
            return text

        return t

    return bind


def _make_globals(env: Environment,
                  d: MutableMapping[str, Any] | None = None) -> ChainMap[str, Any]:
    """``Environment.make_globals``, made of ``TemplateGlobals``."""
    return TemplateGlobals({} if d is None else d, env.globals)


def configure(env: Environment, options: SiteOptions, today: dt.date) -> reads.Memo:
    """Add our filters and globals to ``env`` for a build on ``today``; returns the
    build's fragment memo."""
    # Before any template is loaded (this is MkDocs' on_env): each keeps what it got.
    env.make_globals = types.MethodType(_make_globals, env)  # type: ignore[method-assign]
    # Jinja's default cache of loaded templates is an LRU whose every lookup (each
    # extends, include and import of each page) takes a lock and moves its key in a
    # deque, comparing weak references: 1.7 % of a province build in one process. A
    # site has a few dozen templates: a dict (Jinja's ``cache_size=-1``) holds them.
    if isinstance(env.cache, LRUCache):
        env.cache = dict(env.cache.items())
    env.autoescape = autoescape
    env.add_extension("jinja2.ext.i18n")
    # Pages without a language of their own (none so far) read Vietnamese.
    env.install_gettext_callables(VIETNAMESE.gettext, VIETNAMESE.ngettext,  # type: ignore[attr-defined]
                                  newstyle=True)
    memo = reads.Memo()
    clock = Clock(today)
    env.filters.update({
        "root": _root_filter,
        "root_exact": _root_exact_filter,
        "local_file": _local_file_filter,
        "price": _price_filter,
        "number": _number_filter,
        "date": _date_filter,
        "markdown": render_markdown,
        "safe_url": safe_url,
    })
    env.globals.update({
        # Rendered fragments reused across pages (sidebars, footers), per build.
        "ocop_memo": memo,
        "ocop_memo_fragment": memo.fragment,
        "ocop_urls": Urls,
        "ocop_status_labels": STATUS_LABELS,
        "ocop_status_card_labels": STATUS_CARD_LABELS,
        "ocop_producer_types": PRODUCER_TYPE_LABELS,
        "ocop_level_labels": LEVEL_LABELS,
        "ocop_notice": options.notice,
        # The notice's language when it is not the page's (a notice nobody translated).
        "ocop_notice_lang": "",
        "ocop_other_languages": other_languages,
        "ocop_alternates": [],
        "ocop_pages": Pages({}),
        # The build date: templates reach it only through these (render/clock.py).
        "ocop_clock": clock,
        "ocop_trade": TradeHelpers(clock),
        "ocop_sections": sections,
        "ocop_interface_text": _interface_text({}),
        "ocop_data_licence": {"name": options.data_licence, "url": options.data_licence_url},
        # Pages MkDocs renders without a page context (404.html) are Vietnamese.
        **language_context(VIETNAMESE.code),
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
