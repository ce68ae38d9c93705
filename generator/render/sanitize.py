"""Hand-written pages (``content/*.md``) are untrusted too: clean their HTML.

They reach the repository through pull requests like the YAML records, but
MkDocs renders them with raw HTML allowed and with ``attr_list``, which lets
``[link](x){onclick="..."}`` add any attribute. After Markdown has run, the
page's HTML is passed through nh3 (the Rust ammonia sanitiser) with allow-lists
wide enough for what Material for MkDocs renders from Markdown — headings with
ids, admonitions and details, tables, highlighted code, abbreviations,
footnotes, ``{ .md-button }`` classes, local images — and nothing that runs
code: no ``script``/``style``/``iframe``/``form``/``object`` elements, no event
handlers or ``style`` attributes, no ``javascript:``/``data:`` URLs, and no
images loaded from other sites (they would track visitors).

Adding a Markdown extension that emits other markup (e.g. inline SVG icons)
means widening these lists, deliberately.
"""

from __future__ import annotations

import re
from typing import Any

import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
})
#: ``class`` and ``id`` carry Material's styling and the table of contents' anchors.
GENERIC_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),
    "ol": frozenset({"start", "type"}),
    "details": frozenset({"open"}),
    "col": frozenset({"span"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
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
    attributes = {tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}
    attributes["*"] = set(GENERIC_ATTRIBUTES)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
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
