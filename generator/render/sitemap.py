"""The sitemap's entries: MkDocs' sitemap.xml with each page's versions in the site's
other languages (xhtml:link alternates, as search engines read them).

Written here, not in a template: the template's loop over a national site's
70,610 pages took 0.64 s of every build (a rebuild after one edit included). One
string per page, joined by the sitemap's writer (write/sitemap.py). The text is the
one the theme's template wrote, byte for byte (tests/test_seo.py keeps that
template and compares).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from markupsafe import escape

from ..language import Language

Alternates = Callable[[str], list[tuple[Language, str]]]


def sitemap_entries(files: Iterable[Any], alternates: Alternates,
                    site_url: str) -> Iterator[str]:
    """The ``<url>`` entry of each of ``files`` (MkDocs' documentation files) that is a
    page with a URL: its URL, date and, when it exists in more than one language,
    every version (``alternates`` of its URL, the default language first, which is
    also the x-default)."""
    for file in files:
        page = file.page
        if page is None or page.is_link or not (page.abs_url or page.canonical_url):
            continue
        loc = escape(page.canonical_url or page.abs_url)
        date = f"<lastmod>{page.update_date}</lastmod>" if page.update_date else ""
        versions = alternates(page.url)
        links = "".join([
            *(f'\n         <xhtml:link rel="alternate" hreflang="{language.code}" '
              f'href="{escape(site_url + url)}"/>' for language, url in versions),
            '\n         <xhtml:link rel="alternate" hreflang="x-default" '
            f'href="{escape(site_url + versions[0][1])}"/>']) if len(versions) > 1 else ""
        yield f"\n    <url>\n         <loc>{loc}</loc>\n         {date}{links}\n    </url>"


def sitemap_key(files: Iterable[Any], site_url: str, languages: Iterable[Language],
                pages_key: str) -> str:
    """A digest of everything ``sitemap_entries`` reads: each file's page (whether it is
    one, a link, its URLs and date), the site's URL, the languages and ``pages_key``
    (a digest of the URLs ``alternates`` finds versions among). Making it takes a
    tenth of the entries' time: a build after one edit, whose sitemap is the same,
    made 70,610 entries (about 25 MB) only to find so (0.5-0.8 s, national)."""
    lines = [site_url, pages_key,
             " ".join(f"{language.code}:{language.prefix}" for language in languages)]
    for file in files:
        page = file.page
        lines.append("-" if page is None else
                     f"{page.is_link}\t{page.abs_url}\t{page.canonical_url}\t"
                     f"{page.update_date}\t{page.url}")
    return hashlib.blake2b("\n".join(lines).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def urls_key(urls: Iterable[str]) -> str:
    """A digest of ``urls``, in their order."""
    return hashlib.blake2b("\n".join(urls).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()
