"""Python's cycle collector while a catalogue is built: paused while it loads, then
its objects held out of every collection until the next build.

A national catalogue is about 1.3 million long-lived objects (records, strings, paths).
While they are created, CPython starts a full collection each time the long-lived
objects grow by a quarter, and every full collection walks all of them to find
nothing: loading creates almost no cyclic garbage (a collection after loading a
national catalogue found 28 unreachable objects). In a profile of ``ocop check`` on
that catalogue, the collector was a quarter of the CPU time (10.8 s → 8.0 s with it
paused).

After loading, the catalogue lives until the build ends, and so do the pages
planned from it; yet each full collection later in the build walked them all again
(a one-edit national build ran four, 5.4–10.6 s in all, measured with
``gc.callbacks``; 2.3–6.9 s of small ones since). ``gc.freeze()`` moves everything
made so far out of the collector's reach without a walk; the plugin ``hold``s at
the points where a build has just made many long-lived objects (after loading,
after the reuse check, before forking workers). ``paused`` alone does not hold: a
command or a test that loads a catalogue without building a site has nothing that
would ``release`` it. Held objects are still freed by reference counting as usual;
only a cycle among them waits for ``release``, which the next build calls first
(so ``mkdocs serve``, which builds again and again in one process, frees the
catalogue of the build before). Forked workers' collections leave held objects
alone too; that did not lower their memory (reference counts still write into
what they read).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside; afterwards collection resumes (if it was on) and
    what was made inside counts as long-lived (moved to the oldest generation
    without a walk: the young collections that follow would walk it all)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def hold() -> None:
    """Keep every object that exists now out of cycle collections until ``release``:
    for long-lived objects (a catalogue, its pages) that no collection should walk."""
    gc.freeze()


def release() -> None:
    """End every hold and free the cycles among what was held (a full collection,
    only when something was held: at the start of a build, the build before's)."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()


def leave_to_exit() -> None:
    """Let the process end without walking what it built: the catalogue, a cycle of
    records, is garbage once a command returns, and the collection Python runs at
    exit walked and freed it object by object — 5.4 s after a national ``ocop
    build`` had printed its last line. Held objects are never collected; the
    operating system takes back the memory at exit. Only for a process about to end."""
    hold()
