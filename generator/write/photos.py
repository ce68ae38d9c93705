"""Processed photos into the site: hard links to the cache, not copies.

At national scale there are tens of thousands of image variants; linking them is
nearly free where copying costs seconds of I/O on every build. Where the site
and the cache are on different file systems, the files are copied.
"""

from __future__ import annotations

import os
import shutil

from .context import OutputContext


def write(context: OutputContext) -> list[str]:
    if context.media is None:
        return []
    written = []
    made: set[str] = set()
    for site_path, cached in context.media.files():
        target = context.site_dir / site_path
        if target.parent.as_posix() not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent.as_posix())
        if target.exists():
            target.unlink()
        try:
            os.link(cached, target)
        except OSError:
            shutil.copyfile(cached, target)
        written.append(site_path)
    return written
