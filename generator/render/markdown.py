"""Markdown written by staff (stories, descriptions) to safe HTML.

Staff text is untrusted: raw HTML is not interpreted (it shows as the text that
was typed), and the HTML that Markdown produces is then cleaned by an allow-list
sanitiser (nh3, the Rust ammonia library), so no script, style, event handler,
form, frame or ``javascript:``/``data:`` link can reach a page.
"""

from __future__ import annotations

import threading

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote",
    "code", "pre", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

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
    md = _converter()
    html = md.reset().convert(text)
    # Headings inside a record sit under the page's own h1/h2.
    for level in ("1", "2"):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )
    return Markup(clean)


def safe_url(url: str | None) -> str | None:
    """The URL if its scheme is allowed for links from data, else None."""
    if not url:
        return None
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    return url if scheme in ("http", "https") else None
