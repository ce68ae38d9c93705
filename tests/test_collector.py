"""The cycle collector is paused while a catalogue loads; what a build made is held
out of collections until the next build, and nothing is lost for it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import collector
from generator.adapter import plugin
from generator.adapter.publish import build_site


class Node:
    """Something that refers to itself: only the cycle collector can free it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def released() -> Iterator[None]:
    """Each test starts and ends with nothing held."""
    collector.release()
    yield
    collector.release()


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
    # Moved to the oldest generation without a collection, and not held: a command
    # that loads a catalogue without building has nothing that would release it.
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


def test_a_held_cycle_is_freed_once_released():
    node = Node()
    ref = weakref.ref(node)
    collector.hold()
    assert not any(o is node for o in gc.get_objects())  # no collection walks it
    del node
    gc.collect()
    assert ref() is not None
    collector.release()
    assert gc.get_freeze_count() == 0
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


def test_a_build_frees_the_catalogue_of_the_build_before(mini_project: Path,
                                                         monkeypatch: pytest.MonkeyPatch):
    """``mkdocs serve`` builds again and again in one process: each build's records
    (cycles: a producer lists its products, each names its producer) are held while
    it builds, then freed by the next build."""
    producers: list[weakref.ref[Any]] = []
    load = plugin.build_catalogue

    def watched(*args: Any, **kwargs: Any) -> Any:
        catalogue = load(*args, **kwargs)
        producers.append(weakref.ref(next(iter(catalogue.producers.values()))))
        return catalogue

    monkeypatch.setattr(plugin, "build_catalogue", watched)
    build_site(mini_project / "mkdocs.yml", mini_project / "site")
    assert gc.get_freeze_count() > 0
    build_site(mini_project / "mkdocs.yml", mini_project / "site")
    assert producers[0]() is None
    assert producers[1]() is not None
