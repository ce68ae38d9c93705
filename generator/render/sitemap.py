"""The sitemap's entries: MkDocs' sitemap.xml with each page's versions in the site's
other languages (xhtml:link alternates, as search engines read them).

Written here, not in the template: the template's loop over a national site's
70,610 pages took 0.64 s of every build (a rebuild after one edit included).
The text is the one the template wrote, byte for byte (tests/test_seo.py keeps
that template and compares).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup, escape

from ..language import Language

Alternates = Callable[[str], list[tuple[Language, str]]]


def sitemap_entries(files: Iterable[Any], alternates: Alternates, site_url: str) -> Markup:
    """The ``<url>`` entries of ``files`` (MkDocs' documentation files): each page with
    a URL, its date and, when it exists in more than one language, every version
    (``alternates`` of its URL, the default language first, which is also the
    x-default)."""
    parts: list[str] = []
    add = parts.append
    for file in files:
        page = file.page
        if page is None or page.is_link or not (page.abs_url or page.canonical_url):
            continue
        add(f"\n    <url>\n         <loc>{escape(page.canonical_url or page.abs_url)}</loc>"
            "\n         ")
        if page.update_date:
            add(f"<lastmod>{page.update_date}</lastmod>")
        versions = alternates(page.url)
        if len(versions) > 1:
            for language, url in versions:
                add(f'\n         <xhtml:link rel="alternate" hreflang="{language.code}" '
                    f'href="{escape(site_url + url)}"/>')
            add('\n         <xhtml:link rel="alternate" hreflang="x-default" '
                f'href="{escape(site_url + versions[0][1])}"/>')
        add("\n    </url>")
    return Markup("".join(parts))
