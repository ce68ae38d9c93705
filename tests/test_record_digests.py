"""The records' and pages' digests made in forked children while the build plans its
pages and looks at its photos (``render/digests_apart.py``): the same digests, taken
only when they are this build's, and a build that does without them when a child
fails."""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import time
from pathlib import Path

import pytest

from generator import workers
from generator.adapter import plugin
from generator.adapter.publish import BuildFailed, build_site
from generator.language import ENGLISH, VIETNAMESE
from generator.plan import plan_pages
from generator.render import digests_apart
from generator.render.page_cache import (
    World,
    fingerprint,
    page_keys,
    record_digests,
    spec_digests,
)

LANGUAGES = (VIETNAMESE, ENGLISH)


def build(project: Path, caplog: pytest.LogCaptureFixture) -> str:
    """Build ``project``; the build's "ocop timings" line."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
        build_site(project / "mkdocs.yml", project / "site")
    return next(r.getMessage() for r in caplog.records
                if r.getMessage().startswith("ocop timings: "))


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    # An earlier test's thread may idle in this process (the browser tests').
    monkeypatch.setattr(workers, "threads_running", lambda: False)


def test_the_childs_digests_are_each_records_and_pages_own(sample_catalogue, forking):
    job = digests_apart.start(sample_catalogue, 2)
    assert job is not None and job.records is not None and job.pages is None
    specs = plan_pages(sample_catalogue, LANGUAGES)
    job.planned(specs)
    assert job.pages is not None
    said: list[str] = []
    made = job.answers(said.append)
    assert said == [] and job.records is None and job.pages is None
    world = World(sample_catalogue, {})
    assert len(world.records) > 100
    assert made.records == [fingerprint(record) for record in world.records.values()]
    assert world.take_digests(made.records)
    # Taken by identity: the reuse check asks by kind and key.
    for (kind, key), record in world.records.items():
        assert world.record_digest(kind, key) == fingerprint(record)
    # The pages as this process plans them again: the keys they make are the same.
    specs = plan_pages(sample_catalogue, LANGUAGES)
    assert len(specs) > 100
    settings = {"vi": "v", "en": "e"}
    assert page_keys(settings, specs, made.of_pages(specs)) == page_keys(settings, specs)
    reordered = [*specs[1:], specs[0]]
    assert made.of_pages(reordered) == spec_digests(reordered)
    assert _digests_children() == []


def test_digests_not_of_this_build_are_not_taken(sample_catalogue):
    world = World(sample_catalogue, {})
    digests = record_digests(sample_catalogue)
    assert not world.take_digests(digests[:-1])
    assert not world.take_digests([*digests, "0" * 32])
    assert world._digests == {}
    specs = plan_pages(sample_catalogue, LANGUAGES)
    made = digests_apart.Digests(digests, digests_apart.make_pages(specs))
    assert made.of_pages(specs[:-1]) is None  # fewer pages
    other = dataclasses.replace(specs[0], url="no-such-page/")
    assert made.of_pages([other, *specs[1:]]) is None  # another page
    assert made.of_pages([specs[0], *specs[:-1]]) is None  # one page twice, one missing
    assert digests_apart.Digests(digests, None).of_pages(specs) is None  # none given


def test_no_child_where_none_may_be_forked(sample_catalogue, forking, monkeypatch):
    assert digests_apart.start(sample_catalogue, 1) is None
    monkeypatch.setenv("OCOP_START_METHOD", "spawn")
    assert digests_apart.start(sample_catalogue, 2) is None
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    monkeypatch.setenv("OCOP_DIGESTS_APART", "0")  # switched off alone
    assert digests_apart.start(sample_catalogue, 2) is None
    monkeypatch.delenv("OCOP_DIGESTS_APART")
    job = digests_apart.start(sample_catalogue, 2)
    assert job is not None
    monkeypatch.setattr(workers, "threads_running", lambda: True)  # a thread began since
    job.planned(plan_pages(sample_catalogue, LANGUAGES))
    assert job.pages is None
    job.close()
    assert job.records is None
    assert _digests_children() == []


def test_no_child_where_no_page_cache_can_open(mini_project, fixed_date, forking,
                                               monkeypatch):
    """Without a signing key the page cache does not open and nothing would take the
    digests: no child is forked for them."""
    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    monkeypatch.setenv("OCOP_WORKERS", "2")
    monkeypatch.setenv("OCOP_CACHE_KEY", "not hex")  # a key given, and unusable
    started: list[object] = []
    monkeypatch.setattr(digests_apart, "start", lambda *args: started.append(args))
    build_site(mini_project / "mkdocs.yml", mini_project / "site")
    assert started == []
    monkeypatch.delenv("OCOP_CACHE_KEY")
    build_site(mini_project / "mkdocs.yml", mini_project / "site")
    assert len(started) == 1


def test_a_build_takes_the_childs_digests_or_makes_its_own(mini_project, fixed_date,
                                                            forking, monkeypatch, caplog):
    """Two processes allowed and the page cache on: the reuse check takes the child's
    digests; a child that fails is said, and the build makes them itself, reusing
    the same pages."""
    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    monkeypatch.setenv("OCOP_WORKERS", "2")
    taken: list[tuple[bool, bool]] = []
    take, of_pages = World.take_digests, digests_apart.Digests.of_pages

    def noted(world: World, digests: list[str]) -> bool:
        taken.append((take(world, digests), True))
        return taken[-1][0]

    def pages_noted(made: digests_apart.Digests, specs: list) -> list[str] | None:
        found = of_pages(made, specs)
        taken.append((found is not None, False))
        return found

    monkeypatch.setattr(World, "take_digests", noted)
    monkeypatch.setattr(digests_apart.Digests, "of_pages", pages_noted)
    build(mini_project, caplog)
    assert taken == [(True, False), (True, True)]

    def pages_line() -> str:  # rendered and reused (not how many the kept site held)
        return next(r.getMessage() for r in caplog.records
                    if r.getMessage().startswith("ocop pages: ")).partition(" (")[0]

    build(mini_project, caplog)
    assert taken == [(True, False), (True, True)] * 2
    reused = pages_line()
    assert reused == "ocop pages: 0 rendered, 70 reused"

    def broken(*args: object) -> digests_apart.Digests:
        raise RuntimeError("a bug")

    for job, what in (("make_records", "the records' digests"),
                      ("make_pages", "the pages' digests")):
        with monkeypatch.context() as patch:
            patch.setattr(digests_apart, job, broken)  # the child inherits it
            with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
                build(mini_project, caplog)
        assert (f"ocop: {what} failed: RuntimeError('a bug'); "
                "they are made in this process") in caplog.messages
        assert pages_line() == reused
    # Each build took what the other child gave: the pages' digests while the
    # records' child failed; the records' (and no pages' to take) while the other did.
    assert taken[4:] == [(True, False), (False, False), (True, True)]


def _digests_children() -> list[str]:
    return [child.name for child in multiprocessing.active_children()
            if child.name.startswith(("ocop-the-records'-digests",
                                      "ocop-the-pages'-digests"))]


def test_a_child_that_gives_no_answer_is_not_waited_for(mini_project, fixed_date, forking,
                                                        monkeypatch, caplog):
    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    monkeypatch.setenv("OCOP_WORKERS", "2")

    def stuck(*args: object) -> digests_apart.Digests:
        time.sleep(60)
        raise AssertionError("not ended")

    monkeypatch.setattr(digests_apart, "WAIT", 0.5)
    forked: list[str] = []
    fork = digests_apart._fork

    alive: list[list[str]] = []

    def noted(run: object, args: tuple, what: str, kind: type) -> object:
        forked.append(what)
        alive.append(_digests_children())
        return fork(run, args, what, kind)  # type: ignore[arg-type]

    monkeypatch.setattr(digests_apart, "_fork", noted)
    # The records' child stuck: ended once the pages are planned (not waited for
    # again), then the pages' forked; never both alive.
    children = ["the records' digests", "the pages' digests"]
    for job, unanswered in (("make_records", children[0]), ("make_pages", children[1])):
        forked.clear()
        alive.clear()
        caplog.clear()
        with monkeypatch.context() as patch:
            patch.setattr(digests_apart, job, stuck)
            started = time.perf_counter()
            with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
                build(mini_project, caplog)
            assert time.perf_counter() - started < 30
        assert forked == children
        assert alive == [[], []]  # the stuck records' child ended first
        said = [m for m in caplog.messages if "gave no answer" in m]
        assert said == [f"ocop: {unanswered} gave no answer in 0.5 s; "
                        "they are made in this process"]
        assert _digests_children() == []


def test_the_pages_child_is_forked_once_the_records_child_has_answered(
        sample_catalogue, forking, monkeypatch):
    """Never both children at once (each keeps copies of the build's memory): a
    records' child still at work when the pages are planned is waited for."""
    make = digests_apart.make_records

    def slow(catalogue: object) -> list[str]:
        time.sleep(1.5)
        return make(catalogue)  # type: ignore[arg-type]

    monkeypatch.setattr(digests_apart, "make_records", slow)
    alive: list[list[str]] = []
    fork = digests_apart._fork

    def noted(run: object, args: tuple, what: str, kind: type) -> object:
        alive.append(_digests_children())
        return fork(run, args, what, kind)  # type: ignore[arg-type]

    monkeypatch.setattr(digests_apart, "_fork", noted)
    job = digests_apart.start(sample_catalogue, 2)
    assert job is not None and job.records is not None and job.records.pending
    job.planned(plan_pages(sample_catalogue, LANGUAGES))
    assert alive == [[], []]  # each forked with no other child alive
    assert job.pages is not None
    made = job.answers(lambda line: pytest.fail(line))
    assert made.records == record_digests(sample_catalogue) and made.pages
    assert _digests_children() == []


def test_a_build_that_fails_ends_the_child(mini_project, fixed_date, forking, monkeypatch):
    """A build stopped after the fork (here: while its pages are checked) leaves no
    child behind, working or waiting to be read."""
    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    monkeypatch.setenv("OCOP_WORKERS", "2")
    forked: list[object] = []
    start = digests_apart.start

    def noted(*args: object) -> object:
        forked.append(start(*args))  # type: ignore[arg-type]
        return forked[-1]

    def refused(*args: object) -> None:
        raise plugin.PluginError("a page refused")

    closing: list[tuple[bool, bool]] = []
    close = digests_apart.Digesting.close

    def close_noted(job: digests_apart.Digesting) -> None:
        closing.append((job.records is not None, job.pages is not None))
        close(job)

    monkeypatch.setattr(digests_apart, "start", noted)
    monkeypatch.setattr(digests_apart.Digesting, "close", close_noted)
    monkeypatch.setattr(plugin, "check_pages", refused)
    with pytest.raises(BuildFailed):
        build_site(mini_project / "mkdocs.yml", mini_project / "site")
    assert forked and forked[0] is not None
    assert closing[0] == (True, True)  # both forked (the pages' once they were planned)
    assert _digests_children() == []
