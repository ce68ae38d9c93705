"""Work done by worker processes is byte-for-byte that of one process, whether the
workers are forked (Linux) or spawned (Windows, macOS; forced here with
OCOP_START_METHOD=spawn); a worker that dies stops the build with a plain message."""

from __future__ import annotations

import contextlib
import errno
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import ROOT

from generator.adapter.parallel import _render as _RENDER
from generator.adapter.publish import build_site


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


#: Windows has no fork; macOS' is unsafe with threads (the build uses spawn there).
METHODS = ["fork", "spawn"] if sys.platform.startswith("linux") else ["spawn"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("jobs_per_worker", [1, None])
def test_parallel_build_equals_sequential(tmp_path, monkeypatch, fixed_date, method,
                                          jobs_per_worker):
    """A worker and the build's process render every page, in jobs handed out a few at a
    time (never more than ``JOBS_PER_WORKER`` a worker waiting to be taken), and the
    site is the same."""
    monkeypatch.delenv("OCOP_RENEW_MB", raising=False)
    from generator.adapter import parallel as parallel_module

    monkeypatch.setattr(parallel_module, "PARALLEL_MIN_PAGES", 0)
    if jobs_per_worker is not None:
        monkeypatch.setattr(parallel_module, "JOBS_PER_WORKER", jobs_per_worker)
    monkeypatch.setenv("OCOP_START_METHOD", method)
    monkeypatch.setenv("OCOP_WORKERS", "1")
    sequential = files_of(build_site(ROOT / "mkdocs.yml", tmp_path / "one"))
    monkeypatch.setenv("OCOP_WORKERS", "2")
    renderers = []
    handed_out = []
    original_close = parallel_module.PageRenderer.close
    original_hand_out = parallel_module.PageRenderer._hand_out

    def close(self):
        renderers.append((len(self.lanes), self.rendered, len(self.pages),
                          self.handed, len(self.chunks), self.limit, self.renewed,
                          self.helping))
        return original_close(self)

    def hand_out(self):
        original_hand_out(self)
        handed_out.append(len(self.jobs))

    monkeypatch.setattr(parallel_module.PageRenderer, "close", close)
    monkeypatch.setattr(parallel_module.PageRenderer, "_hand_out", hand_out)
    parallel = files_of(build_site(ROOT / "mkdocs.yml", tmp_path / "two"))
    # Every generated page was rendered by the worker or by the build's process
    # while it waited (the build writes them itself), a few jobs at a time …
    assert len(renderers) == 1
    lanes, rendered, pages, handed, chunks, limit, renewed, helping = renderers[0]
    # One worker, never replaced on a site this small (the other is the build's process).
    assert helping and lanes == 1 and renewed == 0 and rendered == pages > 100
    assert handed == chunks == -(-pages // parallel_module.CHUNK)
    assert limit == parallel_module.JOBS_PER_WORKER < chunks
    assert max(handed_out) == limit
    # … and the site is the same, file for file.
    assert parallel.keys() == sequential.keys()
    assert [k for k in parallel if parallel[k] != sequential[k]] == []


@pytest.mark.parametrize("method", METHODS)
def test_parallel_loading_equals_sequential(monkeypatch, write_catalogue, method):
    """Folders read by workers give the same records and problems, in order."""
    from generator.source import load as load_module
    from generator.source.layout import SourceLayout
    from generator.source.load import load_records
    from generator.source.problems import Problems

    producer = ("name: Cơ sở {n}\ntype: household\n"
                "address: {{commune: Xã Ô Lâm, province: An Giang}}\n")
    product = ("name: Sản phẩm {n}\ncategory: gia-vi\nocop: {{stars: {stars}, decision: 1/QĐ, "
               "issued: 2025-01-01}}\nphotos: [{{file: a.png, alt: Ảnh}}]\n")
    files: dict[str, str | bytes] = {}
    for n in range(12):
        files[f"products/co-so-{n:02d}/producer.yaml"] = producer.format(n=n)
        files[f"products/co-so-{n:02d}/a.png"] = b"not read while loading"
        # One bad product a folder, and the same product id in two folders.
        files[f"products/co-so-{n:02d}/sp-{n:02d}.yaml"] = product.format(n=n, stars=n % 7)
        files[f"products/co-so-{n:02d}/trung.yaml"] = product.format(n=n, stars=3)
    root = write_catalogue(files)

    def load(workers: int):
        problems = Problems()
        records = load_records(SourceLayout.default(root), problems, workers)
        return (list(records.products), list(records.producers), sorted(records.unreadable),
                [str(p) for p in problems.sorted()])

    monkeypatch.setattr(load_module, "PARALLEL_MIN_FOLDERS", 0)
    monkeypatch.setenv("OCOP_START_METHOD", method)
    sequential = load(1)
    assert load(2) == sequential
    assert "products/co-so-01/trung.yaml: -: product id 'trung' is already used by " \
           "products/co-so-00/trung.yaml" in sequential[3]
    # The system refuses the second worker: this process reads every folder.
    with _refused_after(monkeypatch, 1) as started:
        assert load(2) == sequential
    assert len(started) == 1 and all(p.exitcode is not None for p in started)


@contextlib.contextmanager
def _refused_after(monkeypatch, allowed: int, what: str = "process") -> Iterator[list[Any]]:
    """What the system refuses a build (no memory, a limit on processes): each worker
    process after ``allowed`` of them, a pool's thread (``what="thread"``) or
    multiprocessing's resource tracker (``"tracker"``, which a spawn pool's locks
    start). Gives the processes started."""
    import concurrent.futures.process as futures_process
    from multiprocessing import resource_tracker

    real_start = multiprocessing.process.BaseProcess.start
    started: list[Any] = []

    def start(self):
        if what == "process" and len(started) >= allowed:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
        real_start(self)
        started.append(self)

    def no_thread(self):
        raise RuntimeError("can't start new thread")

    def no_tracker():
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(multiprocessing.process.BaseProcess, "start", start)
        if what == "thread":
            patch.setattr(futures_process._ExecutorManagerThread, "start", no_thread)
        if what == "tracker":
            patch.setattr(resource_tracker._resource_tracker, "ensure_running", no_tracker)
        yield started


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


REFUSALS = [(what, method) for what in ("process 0", "process 1", "thread", "tracker")
            for method in METHODS
            # Fork pools' locks need no tracker.
            if not (what == "tracker" and method == "fork")]


@pytest.mark.parametrize(("refusal", "method"), REFUSALS)
def test_work_is_done_in_this_process_when_workers_cannot_start(monkeypatch, caplog, method,
                                                                refusal):
    """Every pool of the build but the pages' (loading, photo checks, QR codes) goes
    through ``map_in_pool``: refused a process, the pool's thread or the resource
    tracker, it ends the processes started (reaped, none left), does every job here,
    in order, and says so without a warning."""
    from generator.workers import map_in_pool

    what, _, allowed = refusal.partition(" ")
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"), \
            _refused_after(monkeypatch, int(allowed or 0), what) as started:
        out = map_in_pool(_pid_and_square, range(40), 3, "squaring numbers", method=method)
    assert out == [(os.getpid(), n * n) for n in range(40)]
    error = ("can't start new thread" if what == "thread"
             else f"[Errno {errno.EAGAIN}] Resource temporarily unavailable")
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [(
        logging.INFO, f"ocop: worker processes for squaring numbers could not start ({error}); "
        "working in this process")]
    if what == "process":
        assert len(started) == int(allowed)
    elif what == "thread":  # fork starts every process first; spawn one per job
        assert len(started) == (3 if method == "fork" else 1)
    # Ended and reaped, each with its exit code.
    assert [p.exitcode is not None and not p.is_alive() for p in started] == [True] * len(started)


def test_photos_and_qr_codes_are_made_here_when_workers_cannot_start(tmp_path, monkeypatch,
                                                                      caplog):
    """The photo pool hands out its jobs itself; the QR codes' goes through
    ``map_in_pool``. Refused every process, both make the same files here."""
    from test_images import cache_files, make_sources

    from generator.media import qr_codes as qr
    from generator.media.images import ImageProcessor

    srcs = make_sources(tmp_path)
    inline = ImageProcessor(tmp_path / "a", jobs=1).process_many(srcs)
    requests = [qr.QrRequest(f"https://example.org/q/{n}/", f"t{n}", "d") for n in range(4)]
    codes = qr.QrCodes(tmp_path / "qa", jobs=1, secret=bytes(32))
    codes.prepare(requests)
    monkeypatch.setattr(qr, "PARALLEL_FROM", 2)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"), \
            _refused_after(monkeypatch, 0):
        pooled = ImageProcessor(tmp_path / "b", jobs=2)
        assert pooled.process_many(srcs) == inline
        refused = qr.QrCodes(tmp_path / "qb", jobs=2, secret=bytes(32))
        refused.prepare(requests)
    assert pooled.stats.processed == 3
    assert cache_files(tmp_path / "a") == cache_files(tmp_path / "b")
    assert refused.made == 4
    assert [refused.svg(r) for r in requests] == [codes.svg(r) for r in requests]
    assert caplog.messages == [
        f"ocop: worker processes for {what} could not start ([Errno {errno.EAGAIN}] "
        "Resource temporarily unavailable); working in this process"
        for what in ("processing photos", "making QR codes")]


def _die(index: int) -> Any:
    """A rendering worker killed by the system (the OOM killer sends SIGKILL); the
    build's process, which renders pages while it waits for one, renders as usual."""
    from generator.adapter import parallel

    if parallel.in_worker():
        os.kill(os.getpid(), signal.SIGKILL)
    return _RENDER(index)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks a worker and SIGKILLs it")
def test_a_dead_rendering_worker_stops_the_build(tmp_path, monkeypatch, fixed_date):
    from generator.adapter import parallel
    from generator.adapter.publish import BuildFailed

    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("OCOP_WORKERS", "2")
    monkeypatch.setenv("OCOP_START_METHOD", "fork")  # the forked worker runs the patched _render
    monkeypatch.setattr(parallel, "_render", _die)
    with pytest.raises(BuildFailed) as failed:
        build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    assert str(failed.value) == (
        "The build stopped: a worker process rendering pages stopped unexpectedly (the system "
        "may have ended it for lack of memory); build again with OCOP_WORKERS=1 to use one "
        "process")
    assert not (tmp_path / "site").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks")
def test_page_workers_that_cannot_start_leave_every_page_to_this_process(
        tmp_path, monkeypatch, fixed_date, caplog):
    """The system refuses the second worker process (out of memory, at the first job):
    the one started is ended, this process renders every page, the site is the same
    and the build says why, without a warning (which would stop a strict build)."""
    import errno
    import logging
    import multiprocessing

    from generator.adapter import parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    monkeypatch.setenv("OCOP_WORKERS", "1")
    sequential = files_of(build_site(ROOT / "mkdocs.yml", tmp_path / "one"))
    # Two worker processes; the build's process renders too.
    monkeypatch.setenv("OCOP_WORKERS", "3")
    real_fork, started, renderers = os.fork, [], []
    original_start, original_close = parallel.PageRenderer._start, parallel.PageRenderer.close

    def fork():
        if started:
            raise OSError(errno.ENOMEM, "Cannot allocate memory")
        pid = real_fork()
        if pid:
            started.append(pid)
        return pid

    def start(self, *args):
        with monkeypatch.context() as patch:  # only the page workers' forks
            patch.setattr(os, "fork", fork)
            original_start(self, *args)

    def close(self):
        renderers.append((self.lanes, self.rendered, len(self.pages), self.jobs))
        return original_close(self)

    reaped: list[bool] = []
    original_stop = parallel.PageRenderer._stop_pool

    def stop_pool(self):
        original_stop(self)
        # Reaped by the fallback itself, not by a later process start of the build.
        try:
            os.waitpid(started[0], os.WNOHANG)
            reaped.append(False)
        except ChildProcessError:
            reaped.append(True)

    monkeypatch.setattr(parallel.PageRenderer, "_start", start)
    monkeypatch.setattr(parallel.PageRenderer, "close", close)
    monkeypatch.setattr(parallel.PageRenderer, "_stop_pool", stop_pool)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
        site = files_of(build_site(ROOT / "mkdocs.yml", tmp_path / "two"))
    assert site == sequential
    [(lanes, rendered, pages, jobs)] = renderers
    assert lanes == [] and rendered == pages > 0 and jobs == {}
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert ("ocop: page workers could not start ([Errno 12] Cannot allocate memory); "
            "rendering every page in this process") in caplog.messages
    # The worker that did start was ended, not left waiting for jobs, and reaped at
    # once: no zombie is left to wait for.
    assert len(started) == 1 and reaped == [True]
    assert started[0] not in [p.pid for p in multiprocessing.active_children()]


def _fork_in_page_workers(monkeypatch: pytest.MonkeyPatch, fork: Any) -> None:
    """``fork`` in place of ``os.fork`` only where the page renderer starts workers."""
    from generator.adapter import parallel

    def scoped(method):
        def wrapper(*args, **kwargs):
            with monkeypatch.context() as patch:
                patch.setattr(os, "fork", fork)
                return method(*args, **kwargs)
        return wrapper

    for name in ("__init__", "_html"):
        monkeypatch.setattr(parallel.PageRenderer, name,
                            scoped(getattr(parallel.PageRenderer, name)))


def _living(pids: list[int]) -> int:
    """How many of the processes ``pids`` still run (neither reaped nor a zombie)."""
    count = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        count += stat.rsplit(")", 1)[1].split()[0] != "Z"
    return count


def _noting_fork(forked: list[int], living: list[int]) -> Any:
    """``os.fork`` that notes each child's pid in ``forked`` and, before each fork, how
    many of those forked before still run in ``living``."""
    real_fork = os.fork

    def fork() -> int:
        living.append(_living(forked))
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    return fork


def _one_process_site_then_renewing(monkeypatch: pytest.MonkeyPatch,
                                    tmp_path: Path) -> dict[str, bytes]:
    """The sample site built in one process; the builds after it have two forked page
    workers besides the build's process, each replaced after every job
    (``renew_after``: any growth)."""
    from generator.adapter import parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    monkeypatch.setenv("OCOP_WORKERS", "1")
    sequential = files_of(build_site(ROOT / "mkdocs.yml", tmp_path / "one"))
    monkeypatch.setenv("OCOP_WORKERS", "3")
    monkeypatch.setattr(parallel, "renew_after", lambda: 0)
    monkeypatch.setattr(parallel, "memory_budget", lambda: None)
    return sequential


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks its workers")
def test_forked_workers_that_have_grown_are_replaced(tmp_path, monkeypatch, fixed_date):
    """A forked worker that has made more memory its own than ``renew_after`` (here:
    any) is replaced by a new fork after the job that showed it; its jobs not yet
    begun go to the other worker, it finishes the others and is reaped, and only then
    is its successor forked (both alive, the build's memory peaked). The site is the
    same, every page rendered by a worker (or, while it waits for one, by the build's
    process)."""
    from generator.adapter import parallel

    sequential = _one_process_site_then_renewing(monkeypatch, tmp_path)
    forked: list[int] = []
    living: list[int] = []
    renderers = []
    original_close = parallel.PageRenderer.close

    def close(self):
        renderers.append((self.renewed, len(self.chunks), self.rendered_here,
                          len(self.retired)))
        return original_close(self)

    _fork_in_page_workers(monkeypatch, _noting_fork(forked, living))
    monkeypatch.setattr(parallel.PageRenderer, "close", close)
    site = files_of(build_site(ROOT / "mkdocs.yml", tmp_path / "two"))
    assert site == sequential
    # Every job's worker had grown: each taken job of a worker still given jobs
    # replaced it (jobs not yet begun move: test_jobs_a_replaced_worker_...).
    [(renewed, chunks, rendered_here, retired)] = renderers
    assert chunks > renewed > 2
    assert rendered_here == 0 and retired == 0
    # Every fork after the first two is a replacement's, at its first job (the last
    # replacements may get none), when at most the other worker still runs.
    assert renewed - 2 <= len(forked) - 2 <= renewed
    assert living[:2] == [0, 1] and max(living[2:]) == 1
    assert multiprocessing.active_children() == []
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks its workers")
def test_a_worker_the_system_will_not_replace_leaves_its_pages_to_the_others(
        tmp_path, monkeypatch, fixed_date, caplog):
    """The system refuses every fork after the first two workers': each worker that
    has grown is ended without a replacement; once none is left, this process renders
    the rest. The site is the same, and the build says so without a warning."""
    from generator.adapter import parallel

    monkeypatch.setattr(parallel, "JOBS_PER_WORKER", 1)
    sequential = _one_process_site_then_renewing(monkeypatch, tmp_path)
    real_fork, forked, renderers = os.fork, [], []

    def fork():
        if len(forked) == 2:
            raise OSError(errno.ENOMEM, "Cannot allocate memory")
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    original_close = parallel.PageRenderer.close

    def close(self):
        renderers.append((self.lanes, self.renewed, self.rendered, self.rendered_here,
                          len(self.pages)))
        return original_close(self)

    _fork_in_page_workers(monkeypatch, fork)
    monkeypatch.setattr(parallel.PageRenderer, "close", close)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
        site = files_of(build_site(ROOT / "mkdocs.yml", tmp_path / "two"))
    assert site == sequential
    [(lanes, renewed, rendered, rendered_here, pages)] = renderers
    assert lanes == [] and renewed == 2 and rendered == pages > 100
    # The two workers rendered the first jobs, this process the rest.
    assert 0 < rendered_here < pages
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert [m for m in caplog.messages if "could not be replaced" in m] == [
        "ocop: a page worker could not be replaced ([Errno 12] Cannot allocate memory); "
        "1 left",
        "ocop: a page worker could not be replaced ([Errno 12] Cannot allocate memory); "
        "0 left"]
    assert len(forked) == 2 and multiprocessing.active_children() == []


def test_how_much_a_page_worker_may_grow_is_set_in_megabytes(monkeypatch):
    from generator.adapter import parallel

    monkeypatch.delenv("OCOP_RENEW_MB", raising=False)
    assert parallel.renew_after() == 128 * 2**20
    for raw, expected in [("64", 64 * 2**20), (" 200 ", 200 * 2**20), ("0", None),
                          ("", 128 * 2**20)]:
        monkeypatch.setenv("OCOP_RENEW_MB", raw)
        assert parallel.renew_after() == expected
    for raw in ["-1", "1.5", "lots"]:
        monkeypatch.setenv("OCOP_RENEW_MB", raw)
        with pytest.raises(ValueError) as error:
            parallel.renew_after()
        assert str(error.value) == ("OCOP_RENEW_MB must be a whole number of megabytes "
                                    f"(0: never replace a page worker); found {raw!r}")


def _die_loading(job):
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks a worker and SIGKILLs it")
def test_a_dead_loading_worker_stops_check(monkeypatch, write_catalogue, capsys):
    from generator.cli import main
    from generator.source import load as load_module

    root = write_catalogue({"mkdocs.yml": "site_name: x\ndocs_dir: content\nplugins: [ocop]\n",
                            "content/index.md": "# x\n",
                            "products/co-so/producer.yaml": "name: x\n"})
    monkeypatch.setattr(load_module, "PARALLEL_MIN_FOLDERS", 0)
    monkeypatch.setattr(load_module, "_load_chunk", _die_loading)
    monkeypatch.setenv("OCOP_WORKERS", "2")
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    assert main(["-f", str(root / "mkdocs.yml"), "check"]) == 1
    assert capsys.readouterr().err == (
        "Check stopped: a worker process reading producer folders stopped unexpectedly (the "
        "system may have ended it for lack of memory); build again with OCOP_WORKERS=1 to use "
        "one process\n")


def _environment() -> Any:
    """What the page renderer needs of a template environment: its fragment memo."""
    from generator import reads

    return SimpleNamespace(globals={"ocop_memo": reads.Memo()})


def _numbered(index: int):
    return f"page {index}".encode(), b"", b"", ()


def _renewing_renderer(monkeypatch: pytest.MonkeyPatch, render: Any,
                       count: int) -> tuple[list[Any], Any]:
    """``count`` pages rendered by ``render`` in two forked workers, each replaced
    after every job (eight jobs each handed out at a time)."""
    from generator.adapter import parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(parallel, "JOBS_PER_WORKER", 8)
    monkeypatch.setattr(parallel, "renew_after", lambda: 0)
    monkeypatch.setattr(parallel, "memory_budget", lambda: None)
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    monkeypatch.setattr(parallel, "_render", render)
    pages = [SimpleNamespace(url=f"p{i}/") for i in range(count)]
    return pages, parallel.PageRenderer(pages, _environment(), None, None, [], workers=2)


def _slowly_numbered(index: int):
    time.sleep(0.02)
    return _numbered(index)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks the patched _render")
def test_jobs_a_replaced_worker_had_not_begun_go_to_the_others(monkeypatch):
    """Each worker is replaced after every job taken (it has grown): the jobs it held
    and had not begun are cancelled and handed out again, each page still gets its
    own HTML from a worker, a successor is forked only once the worker it replaces
    has ended, and no process is left."""
    forked: list[int] = []
    living: list[int] = []
    monkeypatch.setattr(os, "fork", _noting_fork(forked, living))
    pages, renderer = _renewing_renderer(monkeypatch, _slowly_numbered, 160)
    try:
        html, replaced_at_work = [], 0
        for page in pages:
            html.append(str(renderer.html(page)))
            replaced_at_work = max(replaced_at_work, len(renderer.retired))
        assert html == [f"page {i}" for i in range(160)]
        # A replaced worker finishing its begun jobs is not waited for at once.
        assert replaced_at_work > 0
        # A worker takes up to three of its jobs out of the pool's hands (the one it
        # does, two queued to it); with eight each, the first one replaced still held
        # four not begun, which went to the other worker.
        assert renderer.renewed >= 3 and renderer.moved >= 4
        assert renderer.rendered_here == 0
    finally:
        renderer.close()
    assert renderer.retired == [] and multiprocessing.active_children() == []
    # Two workers: at each successor's fork, only the other one ran.
    assert len(forked) >= 3 and living[:2] == [0, 1] and max(living[2:]) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks the patched _render")
def test_the_build_renders_the_next_jobs_while_it_waits_for_its_worker(monkeypatch):
    """Helping (the plugin writes the pages itself), the build's process is one of the
    two workers: one process is started, and while a page's job is not done the build
    renders the next jobs no worker has; each page gets its own HTML."""
    from generator.adapter import parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    monkeypatch.setattr(parallel, "_render", _slowly_numbered)
    real_fork, forked = os.fork, []

    def fork():
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    pages = [SimpleNamespace(url=f"p{i}/") for i in range(160)]
    renderer = parallel.PageRenderer(pages, _environment(), None, None, [], workers=2,
                                     helping=True)
    try:
        html = [str(renderer.html(page)) for page in pages]
        assert html == [f"page {i}" for i in range(160)]
        # Jobs of 8 pages at 0.02 s a page: the worker and this process share them.
        assert 0 < renderer.helped < 160 and renderer.helped % parallel.CHUNK == 0
        assert renderer.rendered_here == 0 and renderer.limit == parallel.JOBS_PER_WORKER
    finally:
        renderer.close()
    assert len(forked) == 1 and multiprocessing.active_children() == []


def _failing_here(index: int):
    """Pages render slowly in a worker, and fail in the build's process."""
    from generator.adapter import parallel

    if not parallel.in_worker():
        raise ValueError(f"cannot render page {index}")
    return _slowly_numbered(index)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks the patched _render")
def test_a_page_the_build_could_not_render_ahead_fails_when_it_is_asked_for(monkeypatch):
    """An error rendering a page ahead, while the build waits for its worker, stops
    the build at that page, which its error names (MkDocs says which page failed),
    not at the page the build was waiting for."""
    from generator.adapter import parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    monkeypatch.setattr(parallel, "_render", _failing_here)
    pages = [SimpleNamespace(url=f"p{i}/") for i in range(160)]
    renderer = parallel.PageRenderer(pages, _environment(), None, None, [], workers=2,
                                     helping=True)
    try:
        with pytest.raises(ValueError) as error:
            for index, page in enumerate(pages):
                assert str(renderer.html(page)) == f"page {index}"
        assert str(error.value) == f"cannot render page {index}"
        assert index >= parallel.CHUNK and renderer.helped == 0
    finally:
        renderer.terminate()
    assert multiprocessing.active_children() == []


def _dying_late(index: int):
    if index >= 120:
        os.kill(os.getpid(), signal.SIGKILL)
    return _slowly_numbered(index)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks and SIGKILLs workers")
def test_a_dead_worker_ends_the_replaced_ones_too(monkeypatch):
    """Workers are replaced after every job; then one dies: the build stops with
    ``WorkerDied`` and no worker, replaced or not, goes on rendering for it."""
    from generator.workers import WorkerDied

    pages, renderer = _renewing_renderer(monkeypatch, _dying_late, 400)
    with pytest.raises(WorkerDied):
        for page in pages:
            renderer.html(page)
    assert renderer.renewed > 0
    # Jobs of 8 pages take 0.16 s: a worker left alone would still be at work.
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks the patched _render")
def test_pages_asked_for_out_of_order_come_from_their_own_jobs(monkeypatch):
    """MkDocs asks for pages in order; one asked for before its turn (its job not yet
    handed out) or after later ones still gets its own HTML."""
    from generator.adapter import parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(parallel, "JOBS_PER_WORKER", 1)
    monkeypatch.setenv("OCOP_START_METHOD", "fork")
    monkeypatch.setattr(parallel, "_render", _numbered)
    pages = [SimpleNamespace(url=f"p{i}/") for i in range(100)]
    renderer = parallel.PageRenderer(pages, _environment(), None, None, [], workers=2)
    try:
        assert renderer.handed == renderer.limit == 2 < len(renderer.chunks)
        order = [97, 3, 0, 50, *range(100)]
        seen = {}
        for index in order:
            if index not in seen:
                seen[index] = str(renderer.html(pages[index]))
        assert seen == {i: f"page {i}" for i in range(100)}
    finally:
        renderer.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks its workers")
@pytest.mark.parametrize(("budget", "renew", "sized", "replaced"), [
    (1, 1, True, True),  # no room left: replaced after any growth
    (2**40, 0, True, False),  # room enough: the worker's own limit (any growth) unused
    (None, 2**40, True, False),  # no budget: the worker's limit alone, never reached
    # The system does not tell this process's size (no /proc): no budget either.
    (1, 2**40, False, False),
])
def test_a_worker_is_replaced_when_it_and_the_build_have_filled_the_memory_budget(
        tmp_path, monkeypatch, fixed_date, caplog, budget, renew, sized, replaced):
    """With ``memory_budget``, a forked worker is replaced once what it and the build's
    process have made their own since its fork exceeds the room the budget left when it
    was forked (at least ``RENEW_MIN_MB``); the site is the same."""
    from generator.adapter import parallel

    sequential = _one_process_site_then_renewing(monkeypatch, tmp_path)
    monkeypatch.setattr(parallel, "RENEW_MIN_MB", 0)
    monkeypatch.setattr(parallel, "memory_budget", lambda: budget)
    monkeypatch.setattr(parallel, "renew_after", lambda: renew)
    if not sized:
        monkeypatch.setattr(parallel, "_resident", lambda: None)
    renewed: list[int] = []
    original_close = parallel.PageRenderer.close

    def close(self):
        renewed.append(self.renewed)
        return original_close(self)

    monkeypatch.setattr(parallel.PageRenderer, "close", close)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.ocop"):
        site = files_of(build_site(ROOT / "mkdocs.yml", tmp_path / "two"))
    assert site == sequential
    assert (renewed[0] > 2) if replaced else (renewed == [0])
    if replaced:
        assert (f"ocop page workers: replaced {renewed[0]} times, each once it and this "
                "process had made their own what remained of 0 MB when it was forked, "
                "or at least 0 MB (OCOP_MEMORY_MB)") in caplog.messages
    assert multiprocessing.active_children() == []


def test_the_memory_budget_is_set_in_megabytes(monkeypatch):
    from generator.adapter import parallel

    monkeypatch.delenv("OCOP_MEMORY_MB", raising=False)
    assert parallel.memory_budget() == 880 * 2**20
    for raw, expected in [("700", 700 * 2**20), ("0", None), (" ", 880 * 2**20)]:
        monkeypatch.setenv("OCOP_MEMORY_MB", raw)
        assert parallel.memory_budget() == expected
    monkeypatch.setenv("OCOP_MEMORY_MB", "1 GB")
    with pytest.raises(ValueError) as error:
        parallel.memory_budget()
    assert str(error.value) == ("OCOP_MEMORY_MB must be a whole number of megabytes "
                                "(0: no bound on the sum); found '1 GB'")


def test_a_lanes_limit_is_the_room_the_budget_leaves():
    from generator.adapter import parallel

    mib = 2**20
    # One worker: the budget less this process's size.
    assert parallel.lane_limit(880 * mib, 128 * mib, 600 * mib, 1) == 280 * mib
    # Each further worker adds the fixed limit; the room is shared among them.
    assert parallel.lane_limit(880 * mib, 128 * mib, 600 * mib, 2) == 204 * mib
    # This process has filled the budget: the floor.
    assert parallel.lane_limit(880 * mib, 128 * mib, 870 * mib, 1) \
        == parallel.RENEW_MIN_MB * mib
