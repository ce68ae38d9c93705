"""The catalogue in one call: load → validate → link; and everything ``ocop check``
must find before a build would find it.

Used by the command line, the MkDocs plugin and the tests alike, so that
``ocop check`` finds exactly the problems the build finds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from . import collector
from .link.catalogue import Catalogue, link
from .media.photo_check import check_photos
from .plan import plan_pages
from .plan.pages import PageSpec
from .source.layout import SourceLayout
from .source.load import load_records
from .source.pages import (
    PageSource,
    check_links,
    check_theme,
    content_files,
    load_pages,
    walk_files,
)
from .source.preview import restrict
from .source.problems import Problems


def build_catalogue(layout: SourceLayout, today: dt.date, problems: Problems,
                    workers: int = 1, preview: str = "",
                    cache_dir: Path | None = None) -> Catalogue:
    """Load and link a catalogue; check ``problems`` before using the result.

    ``preview`` keeps only part of it (see ``source.preview``); it raises
    ``PreviewError`` when the selection cannot be understood.
    """
    with collector.paused():
        loaded = load_records(layout, problems, workers, cache_dir)
        if preview:
            restrict(loaded, preview)
        return link(loaded, today, problems)


def check_pages(layout: SourceLayout, specs: Iterable[PageSpec],
                problems: Problems) -> list[PageSource]:
    """Hand-written pages and theme files read safely; links checked against the
    site's files (hand-written, generated, theme)."""
    check_theme(layout, problems)
    pages = load_pages(layout, problems)
    known = content_files(layout) | {spec.src_uri for spec in specs}
    if layout.theme_dir is not None:
        known |= {uri for _, uri in walk_files(layout.theme_dir, layout, Problems(), set())}
    check_links(pages, known, problems)
    return pages


def check_project(layout: SourceLayout, today: dt.date, problems: Problems, *,
                  workers: int = 1, cache_dir: Path | None = None,
                  preview: str = "") -> Catalogue:
    """Everything the build examines before it writes anything: records, hand-written
    pages, theme files and (with a ``cache_dir``) every photo and logo."""
    with collector.paused():
        catalogue = build_catalogue(layout, today, problems, workers, preview, cache_dir)
        check_pages(layout, plan_pages(catalogue), problems)
        if cache_dir is not None:
            check_photos(catalogue, layout, cache_dir, problems, workers)
        return catalogue
