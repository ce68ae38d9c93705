"""The catalogue in one call: load → validate → link.

Used by the command line, the MkDocs plugin and the tests alike, so that
``ocop check`` finds exactly the problems the build finds.
"""

from __future__ import annotations

import datetime as dt

from .link.catalogue import Catalogue, link
from .source.layout import SourceLayout
from .source.load import load_records
from .source.preview import restrict
from .source.problems import Problems


def build_catalogue(layout: SourceLayout, today: dt.date, problems: Problems,
                    workers: int = 1, preview: str = "") -> Catalogue:
    """Load and link a catalogue; check ``problems`` before using the result.

    ``preview`` keeps only part of it (see ``source.preview``); it raises
    ``PreviewError`` when the selection cannot be understood.
    """
    loaded = load_records(layout, problems, workers)
    if preview:
        restrict(loaded, preview)
    return link(loaded, today, problems)
