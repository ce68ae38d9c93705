"""The markers of each map as JSON: ban-do/vi-tri.json, or ban-do/tinh/<province>/vi-tri.json.

The map pages keep only a page of their address list in HTML; the map script
draws every marker of the map from this file, so no page grows with the number
of located places. Links in the file are relative to the file itself. Keys are
sorted and the order of markers is the address list's, so builds are
byte-identical.
"""

from __future__ import annotations

import json

from ..plan.maps import map_data, map_scopes
from .context import OutputContext
from .files import write_bytes


def write(context: OutputContext) -> list[str]:
    """Each map's markers, for each language in its folder."""
    written = []
    for scope in map_scopes(context.catalogue):
        for lang in context.languages:
            text = json.dumps(map_data(scope, lang), ensure_ascii=False, sort_keys=True,
                              separators=(",", ":"))
            written.append(write_bytes(context, lang.prefix + scope.data_url,
                                       (text + "\n").encode("utf-8")))
    return written
