"""The cycle collector is paused while a catalogue loads, and nothing is lost for it."""

from __future__ import annotations

import gc
import weakref

import pytest

from generator import collector


class Node:
    """Something that refers to itself: only the cycle collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_paused_inside_then_long_lived():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        # The inner one did not turn collection back on.
        assert not gc.isenabled()
        node = Node()
        assert any(o is node for o in gc.get_objects(generation=0))
    assert gc.isenabled()
    # Moved to the oldest generation without a collection, and not frozen.
    assert any(o is node for o in gc.get_objects(generation=2))
    assert gc.get_freeze_count() == 0


def test_a_cycle_made_while_paused_is_still_freed():
    with collector.paused():
        node = Node()
        ref = weakref.ref(node)
    del node
    assert ref() is not None
    gc.collect()
    assert ref() is None


def test_collection_stays_off_when_it_was_off_and_after_an_error():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValueError), collector.paused():
        raise ValueError
    assert gc.isenabled()
