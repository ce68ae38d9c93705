"""The writers run apart (adapter/write_step.py): in a forked child while the build
writes its pages, where ``ocop build`` keeps its site on Linux. The site is the one
the writers make in the build's process; what the child's writers did reaches the
build (the files a kept site holds, their log lines and warnings, their error)."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import snapshot
from mkdocs.structure.files import File
from test_kept_site import edit, files_left

from generator import workers
from generator.adapter import plugin, write_step
from generator.adapter.publish import BuildFailed, build_site
from generator.write import robots

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks")

@pytest.fixture
def apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds that keep their site and pages, two processes allowed, forking, the
    writers' child asked for."""
    monkeypatch.setenv("OCOP_WRITERS_APART", "1")
    monkeypatch.setenv("OCOP_PAGE_CACHE", "1")
    monkeypatch.setenv("OCOP_WORKERS", "2")
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    # An earlier test's thread may idle in this process (the browser tests'): the
    # builds here start none.
    monkeypatch.setattr(workers, "threads_running", lambda: False)


def build(project: Path, caplog: pytest.LogCaptureFixture, **options: bool) -> str:
    """Build ``project``; the build's "ocop timings" line."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
        build_site(project / "mkdocs.yml", project / "site", **options)
    return next(r.getMessage() for r in caplog.records
                if r.getMessage().startswith("ocop timings: "))


def test_writers_apart_make_the_site_the_build_makes_alone(mini_project, fixed_date, apart,
                                                           monkeypatch, caplog, tmp_path):
    project = mini_project
    # Run apart: the build's timings say how long it waited for the child.
    assert " writers " in build(project, caplog)
    build(project, caplog)  # the first site becomes the spare: written into from now
    edit(project, "Đường thốt nốt nguyên chất", "Đường thốt nốt loại một")
    # The search index reads the hand-written pages back once MkDocs has written them
    # (the folder holds the page of two builds ago until then).
    home = project / "content/index.md"
    home.write_text(home.read_text(encoding="utf-8") + "\nChợ nổi Cái Răng.\n",
                    encoding="utf-8")
    assert " writers " in build(project, caplog)
    # The child's files were recorded for the next build: left unless edited.
    left, files = files_left(caplog)
    assert 0 < left < files
    # The kept site is two folders in turn: the one this edit was built into comes next.
    build(project, caplog)
    assert " writers " in build(project, caplog)
    assert files_left(caplog) == (files, files)
    with monkeypatch.context() as patch:
        patch.setattr(write_step, "can_fork", lambda workers: False)
        patch.setenv("OCOP_PAGE_CACHE", "0")
        alone = build_site(project / "mkdocs.yml", tmp_path / "alone")
    site = snapshot(project / "site")
    assert site == snapshot(alone)
    assert any(b"rang" in data for path, data in site.items()
               if path.startswith("assets/ocop-search/"))


def test_a_warning_of_the_childs_writers_is_the_builds(mini_project, fixed_date, apart,
                                                      caplog):
    config = mini_project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("site_url: https://mini.example.vn/\n", ""),
                      encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(mini_project, caplog, strict=True)
    assert "Aborted with 1 warnings in strict mode" in str(failed.value)
    timings = [r.getMessage() for r in caplog.records
               if r.getMessage().startswith("ocop timings: ")]
    assert len(timings) == 1 and " writers " in timings[0]  # the child's warning
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith("site_url is not set in mkdocs.yml")


def _refuse(context: object) -> list[str]:
    raise ValueError("output path leaves the site folder: ../x")


def _die(context: object) -> list[str]:
    os._exit(3)


@pytest.mark.parametrize(("writer", "message"), [
    (_refuse, "output path leaves the site folder: ../x"),
    (_die, "The build stopped: a worker process writing the site's files stopped "
           "unexpectedly (the system may have ended it for lack of memory); build again "
           "with OCOP_WORKERS=1 to use one process"),
])
def test_the_childs_error_stops_the_build(mini_project, fixed_date, apart, monkeypatch,
                                          caplog, writer, message):
    build(mini_project, caplog)
    site = snapshot(mini_project / "site")
    monkeypatch.setattr(plugin, "WRITERS",
                        [writer if w is robots.write else w for w in plugin.WRITERS])
    with pytest.raises((BuildFailed, ValueError)) as failed:
        build(mini_project, caplog)
    assert str(failed.value) == message
    assert snapshot(mini_project / "site") == site  # the live site as it was


def test_no_child_is_forked_while_a_thread_runs(monkeypatch):
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    monkeypatch.setenv("OCOP_WRITERS_APART", "1")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not write_step.can_fork(2)
    finally:
        stop.set()
        thread.join()
    monkeypatch.setattr(workers, "threads_running", lambda: False)
    monkeypatch.delenv("OCOP_WRITERS_APART", raising=False)
    assert not write_step.can_fork(2)  # by default: the memory it costs, saved
    monkeypatch.setenv("OCOP_WRITERS_APART", "0")
    assert not write_step.can_fork(2)
    monkeypatch.setenv("OCOP_WRITERS_APART", "1")
    assert write_step.can_fork(2) and not write_step.can_fork(1)
    monkeypatch.setenv("OCOP_START_METHOD", "spawn")
    assert not write_step.can_fork(2)


def test_a_writers_file_mkdocs_copies_too_is_the_writers(mini_project, fixed_date, apart,
                                                         monkeypatch, caplog, tmp_path):
    """A file put by hand at a writer's path: MkDocs copies it while the child writes
    the writer's; the writer runs again after MkDocs, as in a build in one process."""
    for _ in range(3):
        build(mini_project, caplog)
    by_hand = mini_project / "content/q/ruou-thot-not/qr.svg"
    by_hand.parent.mkdir(parents=True)
    by_hand.write_text("<svg/>", encoding="utf-8")
    # The worse order, made sure of: MkDocs copies the file once the child has
    # written the writer's (else it copies it first, and the child writes over it).
    real_copy = File.copy_file

    def copy_after_the_child(self: File, dirty: bool = False) -> None:
        if self.dest_uri == "q/ruou-thot-not/qr.svg":
            target = Path(self.abs_dest_path)
            deadline = time.monotonic() + 30
            while not (target.exists() and target.read_bytes() != b"<svg/>"):
                assert time.monotonic() < deadline, "the child never wrote the QR code"
                time.sleep(0.01)
        real_copy(self, dirty)

    monkeypatch.setattr(File, "copy_file", copy_after_the_child)
    build(mini_project, caplog)
    monkeypatch.setattr(File, "copy_file", real_copy)
    assert "ocop: verify_pages wrote where MkDocs writes a file too: written again after it" in [
        r.getMessage() for r in caplog.records]
    site = snapshot(mini_project / "site")
    assert site["q/ruou-thot-not/qr.svg"] != b"<svg/>"
    with monkeypatch.context() as patch:
        patch.setattr(write_step, "can_fork", lambda workers: False)
        patch.setenv("OCOP_PAGE_CACHE", "0")
        assert site == snapshot(build_site(mini_project / "mkdocs.yml", tmp_path / "alone"))


def test_the_child_makes_its_qr_codes_itself(mini_project, fixed_date, apart, monkeypatch,
                                              caplog, tmp_path):
    """A daemon process may not start workers: the child is given one process (its
    QR codes were refused a pool, and the build stopped, when 256 or more were new)."""
    from generator.media import qr_codes

    monkeypatch.setattr(qr_codes, "PARALLEL_FROM", 2)
    assert " writers " in build(mini_project, caplog)
    with monkeypatch.context() as patch:
        patch.setattr(write_step, "can_fork", lambda workers: False)
        patch.setenv("OCOP_PAGE_CACHE", "0")
        alone = build_site(mini_project / "mkdocs.yml", tmp_path / "alone")
    assert snapshot(mini_project / "site") == snapshot(alone)


class _Unsent(Exception):
    """An error that does not come back as itself through a pipe."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"{path}: {why}")


def _refuse_oddly(context: object) -> list[str]:
    raise _Unsent("du-lieu/x.json", "cannot be written")


def test_an_error_that_does_not_travel_is_said_in_words(mini_project, fixed_date, apart,
                                                         monkeypatch, caplog):
    monkeypatch.setattr(plugin, "WRITERS",
                        [_refuse_oddly if w is robots.write else w for w in plugin.WRITERS])
    with pytest.raises(RuntimeError) as failed:
        build(mini_project, caplog)
    assert str(failed.value) == "_Unsent: du-lieu/x.json: cannot be written"
    # Where it was raised, in the child.
    assert "in _refuse_oddly" in "\n".join(getattr(failed.value, "__notes__", []))
