"""The markers of each map as JSON: ban-do/vi-tri.json, or ban-do/tinh/<province>/vi-tri.json.

The map pages keep only a page of their address list in HTML; the map script
draws every marker of the map from this file, so no page grows with the number
of located places. Links in the file are relative to the file itself. Keys are
sorted and the order of markers is the address list's, so builds are
byte-identical.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..plan.trade import map_data, map_scopes
from .context import OutputContext


def write(context: OutputContext) -> list[str]:
    written = []
    for scope in map_scopes(context.catalogue):
        target = Path(context.site_dir) / scope.data_url
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(map_data(scope), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))
        target.write_text(text + "\n", encoding="utf-8")
        written.append(scope.data_url)
    return written
