"""The cycle collector is paused while a catalogue loads, and nothing is lost for it."""

from __future__ import annotations

import gc
import weakref

from generator import collector


class Node:
    """Something that refers to itself: only the cycle collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_paused_inside_and_frozen_after():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        # The inner one neither froze nor turned collection back on.
        assert not gc.isenabled()
        node = Node()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    assert not gc.is_tracked(node) or node not in gc.get_objects()


def test_a_cycle_frozen_by_one_build_is_freed_by_the_next():
    with collector.paused():
        node = Node()
        ref = weakref.ref(node)
    del node
    gc.collect()
    assert ref() is not None, "frozen: out of the collector's reach"
    with collector.paused():
        pass
    assert ref() is None, "the next build unfroze and collected it"
    gc.collect()
    assert ref() is None


def test_collection_stays_off_when_it_was_off():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
