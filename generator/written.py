"""What a build wrote into its site folder, as a manifest records it, and whether a
file is still as written.

Apart from ``write/kept_files.py`` and ``adapter/kept_site.py``, which both read the
manifest: the safety walk's process imports the latter, and should not import every
writer with it.
"""

from __future__ import annotations

import os
import stat

#: A writer's file in a manifest: key, size, modification time (ns) as written, and
#: its reads (JSON lines, as the page cache stores a page's, joined by newlines).
FileEntry = tuple[str, int, int, str]


def as_written(path: str, size: int, mtime_ns: int) -> bool:
    """Whether ``path`` is still the file written there: a regular file with no other
    link (a write would go through it), of that size and nanosecond time."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return (stat.S_ISREG(st.st_mode) and st.st_nlink == 1
            and (st.st_size, st.st_mtime_ns) == (size, mtime_ns))
