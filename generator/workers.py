"""Worker processes: how many, for every pool of the build (loading, rendering,
photos, QR codes).

``OCOP_WORKERS`` (or the plugin's ``workers`` option) sets the number; by
default one per CPU this process may run on.
"""

from __future__ import annotations

import os


def cpu_count() -> int:
    """CPUs this process may use (respects CPU pinning in containers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows and macOS have no affinity call
        return os.cpu_count() or 1


def worker_count(configured: int = 0) -> int:
    """Processes to use: ``OCOP_WORKERS``, else ``configured`` (0: one per CPU)."""
    return max(1, int(os.environ.get("OCOP_WORKERS") or configured or cpu_count()))
