"""Untrusted text to safe HTML: Markdown from records, and hand-written pages.

Both reach the repository through pull requests, so neither may put a script,
style, event handler, form, frame or ``javascript:``/``data:`` link on a page.
Two allow-lists, one per source, both enforced by nh3 (the Rust ammonia
sanitiser):

* **Record Markdown** (stories, descriptions: ``render_markdown``): raw HTML is
  not interpreted (it shows as the text that was typed), and the HTML Markdown
  produces is cleaned with the narrow ``RECORD_*`` lists — paragraphs, lists,
  links, emphasis, tables; headings demoted under the page's own.
* **Hand-written pages** (``content/*.md``: ``clean_page_html``): MkDocs renders
  them with raw HTML allowed and with ``attr_list``, which lets
  ``[link](x){onclick="..."}`` add any attribute. The page's HTML is cleaned
  after Markdown with the wider ``PAGE_*`` lists — what Material renders from
  Markdown (headings with ids, admonitions and details, tables, highlighted
  code, abbreviations, footnotes, ``{ .md-button }`` classes, local images) —
  and no image loaded from another site (it would track visitors). Their front
  matter and titles are made plain text (``clean_page_meta``, ``title_text``).

Adding a Markdown extension that emits other markup (e.g. inline SVG icons)
means widening these lists, deliberately.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

import markdown
import nh3
from markupsafe import Markup, escape

from .markdown_cache import MarkdownCache

#: Link schemes allowed in both kinds of text.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# --- record Markdown ------------------------------------------------------------------

RECORD_TAGS = frozenset({
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote",
    "code", "pre", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
})
RECORD_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}

_local = threading.local()


def _converter() -> markdown.Markdown:
    """One Markdown instance per thread, reused (creating one per page is costly)."""
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
        # Raw HTML in the source is kept as literal text instead of passed through.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        _local.md = md
    return md


def render_markdown(text: str | None) -> Markup:
    """Sanitised HTML for a Markdown field; empty markup for no text."""
    if not text or not text.strip():
        return Markup("")
    return _converted(text)


#: Conversions kept between builds, while a build that keeps them renders pages.
_kept: MarkdownCache | None = None


def kept_converted() -> MarkdownCache | None:
    """The cache ``keep_converted`` gave, if any."""
    return _kept


def keep_converted(cache: MarkdownCache | None) -> None:
    """Read conversions from ``cache`` and note new ones in it (None: neither)."""
    global _kept
    _kept = cache
    # Texts converted before are used again without asking: the cache would not
    # count them as used.
    _converted.cache_clear()


# A page's versions follow one another (``plan_pages``): in a full render the
# description an English page shows untranslated is converted once, for the
# Vietnamese page before it (a worker's chunk holds both). Per process, and small:
# the versions are rendered next to each other. The result depends on the text alone.
@functools.lru_cache(maxsize=64)
def _converted(text: str) -> Markup:
    kept = _kept
    if kept is not None:
        found = kept.get(text)
        if found is not None:
            return Markup(found)
    html = _convert(text)
    if kept is not None:
        kept.note(text, html)
    return Markup(html)


def _convert(text: str) -> str:
    md = _converter()
    html = md.reset().convert(text)
    # Headings inside a record sit under the page's own h1/h2.
    for level in ("1", "2"):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return str(_record_cleaner().clean(html))


def _record_cleaner() -> nh3.Cleaner:
    """The record lists' cleaner, one per thread as the converter: made once, not
    for each of a national build's 56,000 texts (``nh3.clean`` turns its lists into
    the sanitiser's own on every call: 40-60 µs a text against 27-30)."""
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = nh3.Cleaner(
            tags=set(RECORD_TAGS),
            attributes={k: set(v) for k, v in RECORD_ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            link_rel="nofollow noopener ugc",
            strip_comments=True,
        )
    return cleaner


def safe_url(url: str | None) -> str | None:
    """The URL if its scheme is allowed for links from data, else None."""
    if not url:
        return None
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    return url if scheme in ("http", "https") else None


# --- hand-written pages ---------------------------------------------------------------

PAGE_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
})
#: ``class`` and ``id`` carry Material's styling and the table of contents' anchors.
PAGE_GENERIC_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir"})
PAGE_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "ol": frozenset({"start", "type"}),
    "details": frozenset({"open"}),
    "col": frozenset({"span"}),
}
#: Removed with everything inside them (not just the tags).
REMOVED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "textarea",
                                  "select", "iframe", "object", "embed"})

_HAS_SCHEME = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|//|\\\\)")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Drop images that would be fetched from another site; keep everything else."""
    if tag == "img" and attribute == "src" and _HAS_SCHEME.match(value):
        return None
    return value


def clean_page_html(html: str) -> str:
    """The HTML of a hand-written page with anything able to run code removed."""
    attributes = {tag: set(names) for tag, names in PAGE_ATTRIBUTES.items()}
    attributes["*"] = set(PAGE_GENERIC_ATTRIBUTES)
    return nh3.clean(
        html,
        tags=set(PAGE_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=_attribute_filter,
        url_schemes=set(URL_SCHEMES),
        # Internal links stay as they are; rel is not something pages need to set.
        link_rel=None,
        strip_comments=True,
    )


# --- front matter and titles -------------------------------------------------------
#
# Material prints page titles and some front-matter values without escaping them
# (``<title>{{ page.title | striptags }}</title>``: ``striptags`` even undoes
# escaping), so a hand-written page's title, description or subtitle could carry
# ``</title><script>``. They are kept as plain text without angle brackets, and
# front-matter fields that reach templates in other ways (icons are template
# includes, statuses become class names) are not accepted at all.

#: Front-matter fields a hand-written page may set.
TEXT_META = ("title", "description", "subtitle")
HIDE_VALUES = frozenset({"navigation", "toc", "footer", "feedback", "path", "tags"})
TEMPLATES = frozenset({"main.html", "ocop/home.html"})
ALLOWED_META = frozenset({*TEXT_META, "hide", "template"})


def plain_text(value: object) -> Markup:
    """Text safe wherever a template prints it, escaped or not, ``striptags`` or not.

    Angle brackets become ‹ › (they survive unescaping as harmless characters);
    everything else is escaped once.
    """
    text = str(value).replace("<", "‹").replace(">", "›")
    return escape(" ".join(text.split()))


def title_text(html_title: str) -> Markup:
    """A page title MkDocs extracted from a heading (escaped HTML) as safe plain text."""
    return plain_text(Markup(html_title).striptags())


def _allowed_value(key: object, value: object) -> bool:
    if key == "hide":
        return isinstance(value, list) and all(
            isinstance(v, str) and v in HIDE_VALUES for v in value)
    return key == "template" and isinstance(value, str) and value in TEMPLATES


def clean_page_meta(meta: dict[str, Any]) -> list[str]:
    """Make a hand-written page's front matter safe in place.

    Returns one message per field removed (unknown fields, values not allowed).
    """
    removed = []
    for key in sorted(meta, key=str):
        value = meta[key]
        if key in TEXT_META:
            meta[key] = plain_text(value)
        elif not _allowed_value(key, value):
            del meta[key]
            if key in ALLOWED_META:
                removed.append(f"{key}: value {value!r} is not allowed")
            else:
                removed.append(f"{key}: front-matter field not allowed on hand-written pages; "
                               f"allowed: {', '.join(sorted(ALLOWED_META))}")
    return removed
