"""Jobs run in a process of their own (``generator/elsewhere.py``): their answers taken
as soon as they are given, so that a finished job's process and its memory do not
wait for the build to need the answer."""

from __future__ import annotations

import multiprocessing
import os
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest
from test_write_step import build

from generator import elsewhere
from generator.adapter import plugin
from generator.elsewhere import Elsewhere, answer, take_finished

#: More than a pipe holds (64 KiB on Linux): the job waits in ``send`` until read.
BIG = 4 * 1024 * 1024
#: The method tests start jobs with: fork is quick, where there is one.
METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _big(size: int) -> bytes:
    return b"x" * size


def _when_there(path: str) -> str:
    while not os.path.exists(path):
        time.sleep(0.01)
    return path


def _big_answer(size: int, to: Connection) -> None:
    answer(_big, (size,), "a big answer", to)


def _answer_when_there(path: str, to: Connection) -> None:
    answer(_when_there, (path,), "a wait", to)


def _answer_in_a_child(to: Connection) -> None:
    # What a forked child of the build would take: nothing of its parent's.
    answer(lambda: len(elsewhere._running), (), "a count", to)


def _is_bytes(found: object) -> bool:
    return isinstance(found, bytes)


def test_a_finished_jobs_answer_is_taken_and_its_process_ends():
    """A job whose answer is bigger than a pipe holds waits in ``send`` until it is
    read: ``take_finished`` reads it, the process ends, and ``result`` gives it."""
    job = Elsewhere(_big_answer, (BIG,), "a big answer", _is_bytes, method=METHOD)
    assert job._answer.poll(60)  # it has begun to send: it is done
    job._process.join(0.5)
    assert job._process.is_alive()  # waiting for its answer to be read
    take_finished()
    job._process.join(60)
    assert not job._process.is_alive()
    assert job._process.exitcode == 0
    assert job.result() == b"x" * BIG
    take_finished()  # taken once: nothing is left to take
    assert list(elsewhere._running) == []


def test_a_job_still_working_is_not_waited_for(tmp_path: Path):
    """``take_finished`` leaves a job that has not answered; ``result`` then waits
    for it as before."""
    there = tmp_path / "there"
    job = Elsewhere(_answer_when_there, (os.fspath(there),), "a wait",
                    lambda found: isinstance(found, str), method=METHOD)
    take_finished()
    assert job._taken is None
    assert job._process.is_alive()
    there.write_text("", encoding="utf-8")
    assert job.result(60) == os.fspath(there)
    assert not job._process.is_alive()


def test_a_job_that_died_is_told_when_its_result_is_asked(tmp_path: Path):
    """A process killed before it answers: taken as ended, the error is ``result``'s."""
    job = Elsewhere(_answer_when_there, (os.fspath(tmp_path / "never"),), "a wait",
                    lambda found: isinstance(found, str), method=METHOD)
    job._process.kill()
    job._process.join(60)
    take_finished()
    assert job._taken is not None
    with pytest.raises(OSError, match=r"^a wait stopped \(exit code -?\d+\)$"):
        job.result()


def test_a_closed_job_is_no_longer_taken(tmp_path: Path):
    job = Elsewhere(_answer_when_there, (os.fspath(tmp_path / "never"),), "a wait",
                    lambda found: isinstance(found, str), method=METHOD)
    job.close()
    assert not job._process.is_alive()
    assert job not in set(elsewhere._running)
    take_finished()
    assert job._taken is None


@pytest.mark.skipif(METHOD != "fork", reason="a forked child only")
def test_a_forked_child_has_no_jobs_of_its_parents(tmp_path: Path):
    """A child forked while a job runs does not take that job's answer: it is its
    parent's."""
    waiting = Elsewhere(_answer_when_there, (os.fspath(tmp_path / "there"),), "a wait",
                        lambda found: isinstance(found, str), method="fork")
    child = Elsewhere(_answer_in_a_child, (), "a count", lambda found: found == 0,
                      method="fork")
    assert child.result(60) == 0
    (tmp_path / "there").write_text("", encoding="utf-8")
    assert waiting.result(60) == os.fspath(tmp_path / "there")


def test_a_build_takes_finished_answers_after_each_stage(mini_project, caplog, monkeypatch):
    """Between the stages of ``on_files`` (where the walk of the kept site, the look
    at the photo cache and the digests' child run beside the build)."""
    stages: list[str] = []
    monkeypatch.setattr(plugin, "take_finished", lambda: stages.append("taken"))
    lap = plugin.CataloguePlugin._lap

    def noted(self: plugin.CataloguePlugin, name: str, start: float) -> None:
        stages.append(name)
        lap(self, name, start)

    monkeypatch.setattr(plugin.CataloguePlugin, "_lap", noted)
    build(mini_project, caplog)
    for stage in ("load+link", "plan", "photo cache"):
        assert stages[stages.index(stage) + 1] == "taken"
