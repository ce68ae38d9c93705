"""``sitemap.xml`` and ``sitemap.xml.gz``, written here rather than by MkDocs.

MkDocs renders the theme's sitemap template and gzips it at level 9 on every build:
on a national site, 25 MB of XML and 0.5 s of gzip after every edit, though an edit
of a price changes no entry. Written by this writer (the plugin takes the template
out of the theme's ``static_templates``), a kept site leaves both files as they are
while the text is the same (``write_made``). The bytes are MkDocs': the theme's
template's text (tests/test_seo.py compares), gzipped as ``_build_theme_template``
does (the file name in the header, the build's timestamp as its time). A theme's
own sitemap template (in a ``custom_dir``) is not used: the catalogue's pages need
their language versions listed. MkDocs dates every page with the build's day, so the
first build of a day writes the sitemap again.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .. import reads
from ..plan.urls import Urls
from .context import OutputContext
from .kept_files import watched, write_made

SITEMAP = Urls.sitemap
_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
         'schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">')
_TAIL = "\n</urlset>"


@dataclass(frozen=True)
class Sitemap:
    """What the sitemap is made of: its entries (``render.sitemap``), made when it
    is written, and the time in its gzip header (MkDocs' ``get_build_timestamp``)."""

    entries: Callable[[], Iterable[str]]
    mtime: int
    #: A digest of what the entries are made of (``render.sitemap.sitemap_key``): a
    #: kept site's sitemap is then left without making them. None: the text's.
    key: Callable[[], str] | None = None


def sitemap_text(entries: Iterable[str]) -> str:
    """The theme's sitemap template's text for ``entries``."""
    return _HEAD + "".join(entries) + _TAIL


def sitemap_bytes(entries: Iterable[str]) -> bytearray:
    """``sitemap_text(entries)`` as UTF-8, made an entry at a time: a national
    sitemap's list of entries, its text and its bytes, about 25 MB each, were made one
    from the other at the very end of a build (the build's peak there, 06/12/2026)."""
    data = bytearray(_HEAD.encode())
    for entry in entries:
        data += entry.encode("utf-8")
    data += _TAIL.encode()
    return data


def gzipped(data: bytes | bytearray, mtime: int) -> bytes:
    """``data`` gzipped as MkDocs gzips the sitemap."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, filename=SITEMAP + ".gz", mode="wb", mtime=mtime) as gz:
        gz.write(data)
    return out.getvalue()


def write(context: OutputContext) -> list[str]:
    if context.sitemap is None:
        return []
    sitemap = context.sitemap
    made: list[bytearray] = []

    def data() -> bytearray:
        if not made:
            # Not noted as the file's reads (each entry asks which pages exist, 141,000
            # questions nationally): the key is made of all they read.
            with reads.unrecorded():
                made.append(sitemap_bytes(sitemap.entries()))
        return made[0]

    mtime = sitemap.mtime
    # Made of its entries' inputs, or of its text: by digest (the key's canonical
    # form would copy 25 MB twice). Nothing to compare without a kept site.
    made_of: tuple[str, ...] = ()
    if context.kept_files is not None:
        made_of = (("entries", sitemap.key()) if sitemap.key is not None
                   else ("text", hashlib.blake2b(data()).hexdigest()))
    with watched(context):
        return [write_made(context, SITEMAP, made_of, data),
                write_made(context, SITEMAP + ".gz", (*made_of, mtime),
                           lambda: gzipped(data(), mtime))]
