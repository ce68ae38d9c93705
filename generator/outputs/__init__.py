"""Write step: files produced after MkDocs has written the pages.

Each output module has one job (a feed, an export, a calendar …) and exposes
``write(context: OutputContext) -> list[str]`` returning the site paths it wrote.
Register it in ``WRITERS``; the plugin calls them in order after the build.
"""

from __future__ import annotations

from .context import OutputContext, Writer

__all__ = ["WRITERS", "OutputContext", "Writer"]

#: Output writers, in the order they run.
WRITERS: list[Writer] = []

from . import calendars, fair_feed  # noqa: E402  (registered below, after WRITERS exists)

WRITERS += [calendars.write, fair_feed.write]

from . import map_data  # noqa: E402

WRITERS.append(map_data.write)
