"""The records' digests made in a forked child while the build plans its pages
(``render/page_cache.start_record_digests``): the same digests, taken only when they
are the catalogue's, and a build that does without them when the child fails."""

from __future__ import annotations

import logging

import pytest
from test_write_step import build

from generator import workers
from generator.render import page_cache
from generator.render.page_cache import (
    World,
    fingerprint,
    record_digests,
    start_record_digests,
)


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    # An earlier test's thread may idle in this process (the browser tests').
    monkeypatch.setattr(workers, "threads_running", lambda: False)


def test_the_childs_digests_are_each_records_own(sample_catalogue, forking):
    job = start_record_digests(sample_catalogue, 2)
    assert job is not None
    digests = job.result()
    world = World(sample_catalogue, {})
    assert len(world.records) > 100
    assert digests == [fingerprint(record) for record in world.records.values()]
    assert world.take_digests(digests)
    # Taken by identity: the reuse check asks by kind and key.
    for (kind, key), record in world.records.items():
        assert world.record_digest(kind, key) == fingerprint(record)


def test_digests_not_as_many_as_the_records_are_not_taken(sample_catalogue):
    world = World(sample_catalogue, {})
    digests = record_digests(sample_catalogue)
    assert not world.take_digests(digests[:-1])
    assert not world.take_digests([*digests, "0" * 32])
    assert world._digests == {}


def test_no_child_where_none_may_be_forked(sample_catalogue, forking, monkeypatch):
    assert start_record_digests(sample_catalogue, 1) is None
    monkeypatch.setenv("OCOP_START_METHOD", "spawn")
    assert start_record_digests(sample_catalogue, 2) is None


def test_a_build_takes_the_childs_digests_or_makes_its_own(mini_project, fixed_date,
                                                            forking, monkeypatch, caplog):
    """Two processes allowed and the page cache on: the reuse check takes the child's
    digests; a child that fails is said, and the build makes them itself, reusing
    the same pages."""
    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    monkeypatch.setenv("OCOP_WORKERS", "2")
    taken: list[bool] = []
    take = World.take_digests

    def noted(world: World, digests: list[str]) -> bool:
        taken.append(take(world, digests))
        return taken[-1]

    monkeypatch.setattr(World, "take_digests", noted)
    build(mini_project, caplog)
    assert taken == [True]

    def pages_line() -> str:  # rendered and reused (not how many the kept site held)
        return next(r.getMessage() for r in caplog.records
                    if r.getMessage().startswith("ocop pages: ")).partition(" (")[0]

    build(mini_project, caplog)
    assert taken == [True, True]
    reused = pages_line()
    assert reused == "ocop pages: 0 rendered, 70 reused"

    def broken(catalogue: object) -> list[str]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(page_cache, "record_digests", broken)  # the child inherits it
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
        build(mini_project, caplog)
    assert taken == [True, True]
    assert ("ocop: the digests of the records failed: RuntimeError('a bug'); "
            "the records' digests are made in this process") in caplog.messages
    assert pages_line() == reused
