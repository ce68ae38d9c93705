"""Write step: files produced after MkDocs has written the pages.

Each output module has one job (a feed, an export, a calendar …) and exposes
``write(context: OutputContext) -> list[str]`` returning the site paths it wrote.
Register it in ``WRITERS``; the plugin calls them in order after the build.
"""

from __future__ import annotations

from . import (
    calendars,
    exports,
    fair_feed,
    map_data,
    photos,
    product_feed,
    robots,
    script_text,
    search_files,
    sitemap,
    supplier_filter,
    vcards,
    verify_pages,
    web_editor,
)
from .context import OutputContext, Writer

__all__ = ["WRITERS", "OutputContext", "Writer"]

#: Output writers, in the order they run.
WRITERS: list[Writer] = [
    photos.write,
    calendars.write,
    fair_feed.write,
    map_data.write,
    search_files.write,
    script_text.write,
    exports.write,
    vcards.write,
    product_feed.write,
    verify_pages.write,
    supplier_filter.write,
    robots.write,
    sitemap.write,
    web_editor.write,
]
