"""Render generated pages: reuse the unchanged ones, render the others on every core.

MkDocs renders pages one after another in one process, from scratch. Every
generated page's template is a stand-in (``pages.STAND_IN``) that returns what
``PageRenderer.html`` gives for it (``ocop build`` has MkDocs skip the stand-ins and
the plugin writes that HTML itself: ``CataloguePlugin._write_pages``):

* the page stored by an earlier build, when nothing it showed has changed
  (``render.page_cache``: a page is kept with what it read);
* otherwise the page rendered now — by worker processes, in MkDocs' order, when
  there are enough of them to pay for the workers; else in this process.

Either way the HTML is byte for byte what MkDocs would render (tested: with and
without workers, either start method, with and without the cache).

How a worker gets what it renders with (pages, navigation, template
environment, catalogue):

* ``fork`` (Linux): it inherits the parent's, ready, once everything is loaded,
  linked and the environment is set up;
* ``spawn`` (Windows, macOS, or ``OCOP_START_METHOD=spawn``): it replays the
  build up to that point from ``mkdocs.yml`` — the same MkDocs calls, in the
  same order, as ``mkdocs.commands.build.build`` — so it holds the same pages.

Where the plugin writes the pages itself (``ocop build``), this process is one of
the workers: it renders the next jobs while it waits for a worker's (``helping``),
and one process fewer is started. A worker that dies stops the build with
``WorkerDied`` instead of a hang. A forked worker that with this process has made
more memory their own since it was forked than ``memory_budget()`` left them then
(without a budget: that has made ``renew_after()`` its own) is replaced at the next
job handed out or taken: its successor is forked once it has ended, never beside it.

Part of the MkDocs adapter: it calls MkDocs' ``get_context`` exactly as MkDocs'
``_build_page`` does.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.commands.build import _populate_page, get_context
from mkdocs.config import load_config
from mkdocs.structure.files import get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from .. import collector, reads
from ..render import sanitize
from ..render.markdown_cache import Handed, MarkdownCache
from ..render.page_cache import (
    Check,
    PageCache,
    ReadIds,
    Stored,
    World,
    fingerprint,
    identity,
)
from ..workers import Ending, WorkerDied, end_pool, new_pool, refused, start_method, stop_pool

log = logging.getLogger("mkdocs.plugins.ocop")

#: Below this many pages to render, starting workers costs more than it saves.
PARALLEL_MIN_PAGES = 400
#: Pages of one job: a page's language versions (planned one after the other) share
#: one, and so a worker (``render_markdown`` converts their text once).
CHUNK = 8
#: Jobs handed out and not yet taken, per worker. ``pool.map`` handed out every job
#: at once: when this process fell behind (writing pages to a slow disk), every page
#: the workers finished waited in its memory until MkDocs asked for it.
JOBS_PER_WORKER = 8


#: Megabytes of memory a forked page worker may make its own before a new fork
#: replaces it, unless ``OCOP_RENEW_MB`` says otherwise.
RENEW_MB = 128


def renew_after() -> int | None:
    """Bytes of memory a forked page worker may make its own (``_grown``) before a
    new fork replaces it, where no ``memory_budget`` is set (with one: what each
    further worker adds to it): ``OCOP_RENEW_MB`` megabytes (unset: ``RENEW_MB``); 0,
    never (None; no budget then either).

    A fork shares this process' memory until it writes into it, and reading an
    object writes into it (its reference count): rendering every page of a national
    catalogue, each of two workers had made ~500 MB its own by the end, most of it
    copies of the catalogue it read (summed PSS 1.64 GB). A new worker copies again
    what it reads, but not the cards its predecessor rendered: it inherits them from
    this process, which keeps what workers hand over (``_adopt``). Measured on that
    catalogue, every page rendered (02/12/2026), with this process rendering too
    (``helping``) and one worker: peak 876-967 MB replaced at 128 MB, 1,145-1,206 MB
    never replaced, for 1.05-1.07 times the wall time and 1.04-1.06 times the CPU time
    (two interleaved pairs; docs/performance-history.md): each fork makes what this
    process shares with the new worker copy-on-write again (2.5 times its page faults)."""
    return _megabytes("OCOP_RENEW_MB", RENEW_MB, "never replace a page worker")


#: Megabytes the build's process and one forked page worker may hold together,
#: about, before the worker is replaced, unless ``OCOP_MEMORY_MB`` says otherwise.
MEMORY_MB = 880
#: A worker may make at least this many megabytes its own, however large this
#: process has grown (else it would be replaced after every job).
RENEW_MIN_MB = 48


def _megabytes(name: str, default: int, zero: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    try:
        megabytes = int(raw) if raw else default
        if megabytes < 0:
            raise ValueError
    except ValueError:
        raise ValueError(f"{name} must be a whole number of megabytes (0: {zero}); "
                         f"found {raw!r}") from None
    return megabytes * 2**20 if megabytes else None


def memory_budget() -> int | None:
    """Bytes the build's process and one forked page worker may hold together before
    the worker is replaced: ``OCOP_MEMORY_MB`` megabytes (unset: ``MEMORY_MB``), and
    ``renew_after()`` more for each further worker; 0 (None): no such bound, a worker
    is replaced by ``renew_after()`` alone.

    The build's process grows while pages render (it keeps the fragments workers hand
    over, the pages' reads), and what it writes into after a fork is copied too: a
    worker replaced at a fixed 128 MB made a national build that renders every page
    peak at 1,004-1,032 MiB late in the stage, the build's process then at about 850
    MiB. Bounded by what both have made their own since the fork (``_Lane.limit``),
    a worker early in the stage may grow more and one late in it less: 935-977 MiB
    (06/12/2026, docs/performance-history.md)."""
    return _megabytes("OCOP_MEMORY_MB", MEMORY_MB, "no bound on the sum")


def lane_limit(memory: int, renew: int, resident: int, lanes: int) -> int:
    """Bytes a new forked worker and this process may make their own, together, before
    the worker is replaced (``_Lane.limit``): the room ``memory`` (and ``renew`` for
    each further worker) leaves beside this process's ``resident`` size, shared among
    the ``lanes``; at least ``RENEW_MIN_MB``. This process's page faults count its
    growth from then on: too much, if anything (a page it freed and touches again
    counts again), so a worker is replaced sooner rather than later."""
    room = memory + (lanes - 1) * renew - resident
    return max(RENEW_MIN_MB << 20, room // lanes)

# What a worker renders with: inherited (fork) or rebuilt by _replay (spawn).
_STATE: tuple[Sequence[Any], Any, Any, Any, Sequence[Any]] | None = None
_IN_WORKER = False
# True while this process renders a page for real (not MkDocs' stand-in pass).
_RENDERING = False
# Digests of the records this process has seen, by id() (records live all build),
# when it has no ``World`` whose memo the reuse check filled.
_DIGESTS: dict[int, str] = {}
_WORLD: World | None = None
# Set when rendered pages are kept (the page cache is on): workers then note what
# each page reads and pack it, giving its reads ids with it.
_IDS: ReadIds | None = None
# Page faults of this worker when it started (forked workers only).
_FAULTS_AT_START: int | None = None
# A forked worker that may be replaced hands the fragments it renders to the build.
_HANDING_OVER = False


def _faults() -> int:
    import resource  # not on Windows, which never forks

    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _init_forked(hand_over: bool = False) -> None:
    global _IN_WORKER, _FAULTS_AT_START, _HANDING_OVER
    _IN_WORKER = True
    _FAULTS_AT_START = _faults()
    _HANDING_OVER = hand_over
    if hand_over:
        _memo().listing()
    kept = sanitize.kept_converted()
    if kept is not None:
        kept.forked()


def _memo() -> reads.Memo:
    """The fragment memo of the pages' template environment (``_STATE``'s)."""
    assert _STATE is not None
    memo: reads.Memo = _STATE[1].globals["ocop_memo"]
    return memo


def _resident() -> int | None:
    """Bytes of this process in memory; None where the system does not say (Linux's
    ``/proc`` only: fork forced elsewhere with ``OCOP_START_METHOD``)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _grown() -> int:
    """Bytes of memory a forked worker has made its own since it started, about: a
    page for each page fault (a page copied because it wrote into it, or a new one);
    0 in a spawned worker."""
    if _FAULTS_AT_START is None:
        return 0
    return (_faults() - _FAULTS_AT_START) * os.sysconf("SC_PAGE_SIZE")


def _replay(config_file: str, strict: bool, key: bytes | None,
            markdown: tuple[str, bytes] | None = None, dictionary: bytes = b"") -> None:
    """Spawned worker: build the site's pages, navigation and environment again
    (``key``: the page cache's, when pages are kept, and ``dictionary`` the one its
    pages are compressed with; ``markdown``: the Markdown cache's file and key, when
    conversions are kept)."""
    global _IN_WORKER, _STATE, _IDS
    _IN_WORKER = True
    _IDS = None if key is None else ReadIds(key, dictionary=dictionary)
    # The parent reports every warning once; a worker would repeat them.
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(config_file, strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    files = get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    for file in files.documentation_pages():
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
        _populate_page(file.page, config, files)
    env = config.plugins.on_env(env, config=config, files=files)
    doc_files = files.documentation_pages()
    from .pages import CataloguePage  # a worker's own copy of the class

    pages = [f.page for f in doc_files if isinstance(f.page, CataloguePage)]
    _STATE = (pages, env, config, nav, doc_files)
    if markdown is not None:
        sanitize.keep_converted(MarkdownCache(Path(markdown[0]), markdown[1]))


def in_worker() -> bool:
    """True inside a rendering worker process."""
    return _IN_WORKER


def keeping() -> bool:
    """True when the pages rendered are kept for the next build."""
    return _IDS is not None


def rendering() -> bool:
    """True while a generated page is being rendered for real in this process (its
    context must be complete; MkDocs' own pass over a stand-in needs none)."""
    return _RENDERING


def render_page(page: Any, env: Any, config: Any, nav: Any,
                doc_files: Sequence[Any]) -> tuple[str, reads.Reads]:
    """``page`` rendered as MkDocs would, and what it read."""
    global _RENDERING
    page.active = True
    _RENDERING = True
    try:
        with reads.recording() as seen:
            context = get_context(nav, doc_files, config, page)
            template = env.get_template(page.spec.template)
            context = config.plugins.on_page_context(context, page=page, config=config,
                                                     nav=nav)
            html = template.render(context)
        return html, seen
    finally:
        _RENDERING = False
        page.active = False


def _digest_of(record: Any) -> str:
    if _WORLD is not None:
        return _WORLD.digest_of(record)
    found = _DIGESTS.get(id(record))
    if found is None:
        found = _DIGESTS[id(record)] = fingerprint(record)
    return found


#: A page a worker rendered: its HTML as written (``output_bytes``), and its reads, HTML
#: and new lines packed for the page cache (empty without it).
Packed = tuple[bytes, bytes, bytes, tuple[tuple[int, str], ...]]
#: A fragment a worker rendered (``reads.Memo.made``), its records by ``identity``:
#: kept for pages of any depth, key, text, records read, facts read.
Fragment = tuple[bool, Any, str | bytes, tuple[tuple[str, str], ...],
                 tuple[tuple[tuple[str, ...], str], ...]]
#: A worker's job done: its pages, what the worker has grown, the fragments it made,
#: the Markdown it read from the cache and converted.
Done = tuple[list[Packed], int, list[Fragment], Handed]


def _render_chunk(indexes: list[int]) -> Done:
    """A worker's job: ``_render`` of each page, what the worker has grown and, when it
    may be replaced, the fragments it rendered for them."""
    packed = [_render(index) for index in indexes]
    kept = sanitize.kept_converted()
    return (packed, _grown(), _fragments() if _HANDING_OVER else [],
            kept.handed() if kept is not None else ([], []))


def _fragments() -> list[Fragment]:
    """The fragments this worker rendered since its last job, for the build to keep:
    the worker forked in this one's place inherits them (not rendering them again
    cost a replaced worker's successor 55 % more CPU time on listing pages)."""
    return [(anywhere, key, text, tuple(identity(record) for record in records), facts)
            for anywhere, key, text, (records, facts) in _memo().made()]


def output_bytes(html: str) -> bytes:
    """A page's HTML as MkDocs writes it (``_build_page``): UTF-8, a character it cannot
    hold as a reference. Made once where the page is rendered: the file's bytes, the
    page cache's and what a worker sends (a str was encoded three times more)."""
    return html.encode("utf-8", errors="xmlcharrefreplace")


def _render(index: int) -> Packed:
    """A worker's page: its HTML as written, and the page packed for the cache."""
    assert _STATE is not None
    pages, env, config, nav, doc_files = _STATE
    page = pages[index]
    html, seen = render_page(page, env, config, nav, doc_files)
    data = output_bytes(html)
    if _IDS is None:
        return data, b"", b"", ()
    packed = _IDS.pack_read(page.url, "", data, seen, _digest_of)
    return data, packed.reads, packed.html, packed.lines


@dataclass(eq=False)
class _Lane:
    """Workers jobs are handed to: a pool (of one process, when forked workers are
    replaced as they grow: each alone)."""

    pool: ProcessPoolExecutor
    #: Once replaced: its pool, told to finish the jobs it holds and stop.
    ending: Ending | None = None
    #: Set as soon as a job of its shows it has grown too much (by the pool's thread;
    #: here, when the job was done before it was watched).
    grown: bool = False
    #: Bytes its worker and the build's process may make their own, together, since
    #: it was made, before the worker is replaced (``memory_budget``; None: the
    #: worker's growth alone is bounded, by ``renew_after``).
    limit: int | None = None
    #: The build's page faults when the lane was made (``_faults``).
    faults_at_fork: int = 0


class PageRenderer:
    """Every generated page of a build (``pages``, in MkDocs' order): stored ones
    reused, the others rendered, by ``workers`` processes when it pays off."""

    def __init__(self, pages: Sequence[Any], env: Any, config: Any, nav: Any,
                 doc_files: Sequence[Any], workers: int, cache: PageCache | None = None,
                 keys: Sequence[str] = (), world: World | None = None,
                 helping: bool = False, markdown: MarkdownCache | None = None,
                 checked: Check | None = None) -> None:
        global _WORLD, _IDS
        # Read first: a wrong value stops any build, with workers or not.
        renew = renew_after()
        #: ``memory_budget()``: with ``renew_after``, when a forked worker is replaced.
        self.memory = memory_budget()
        self.pages = pages
        self.state = (pages, env, config, nav, doc_files)
        #: Whether this process renders pages too, while it waits for a worker's job:
        #: then it is one of the ``workers`` (one process fewer is started). Only where
        #: pages are asked for one after the other with no other page being rendered
        #: (the plugin writes them itself): a page rendered ahead is not the one
        #: MkDocs is rendering.
        self.helping = helping and workers >= 2
        #: Pages this process rendered while it waited for a worker's job; a page it
        #: could not render so, with the error.
        self.helped = 0
        self.failed: dict[int, Exception] = {}
        self.cache = cache
        #: Record Markdown converted by earlier builds (workers read it too).
        self.markdown = markdown
        sanitize.keep_converted(markdown)
        self.keys = keys
        self.position = {id(page): i for i, page in enumerate(pages)}
        self.reused: set[int] = set()
        if cache is not None and world is not None:
            # ``checked``: the check made already, in a child (render/check_apart.py).
            found = cache.adopt(checked) if checked is not None else cache.reusable(
                {page.url: keys[i] for i, page in enumerate(pages)}, world)
            self.reused = {i for i, page in enumerate(pages) if page.url in found}
        todo = [i for i in range(len(pages)) if i not in self.reused]
        #: Pages rendered in this build (the rest were reused).
        self.rendered = 0
        #: Pages rendered in this process (with workers: those no worker could take).
        self.rendered_here = 0
        #: The workers jobs are handed to; and those replaced (``renew_after``) that
        #: still have jobs to finish.
        self.lanes: list[_Lane] = []
        self.retired: list[_Lane] = []
        self._new_lane: Callable[[], _Lane] | None = None
        #: Bytes a forked worker may grow before it is replaced (None: never; spawned
        #: workers, which load everything they hold themselves, are kept).
        self.renew_after = renew if start_method() == "fork" else None
        #: Workers replaced (or ended, where the system refused their replacement),
        #: and jobs they had not begun, handed to others.
        self.renewed = self.moved = 0
        #: Where a worker's fragments are kept for the workers forked after it (with
        #: ``renew_after``), and today's record of each identity they name.
        self.memo: reads.Memo = env.globals["ocop_memo"]
        self.records = world.records if world is not None else {}
        # Set once the first workers have started: a process refused after that is a
        # replacement's.
        self._started = False
        # Forked workers inherit the lines the check believed: not handed over again
        # (spawned ones hand over each line they meet once).
        _IDS = None if cache is None else cache.ids
        # By id(): a record of an earlier build in this process (``mkdocs serve``) may
        # have left its id to a record of this one.
        _DIGESTS.clear()
        # Forked workers inherit it, its memo filled by the check above.
        _WORLD = world
        #: Jobs of the pages to render, when workers render them.
        self.chunks: list[list[int]] = []
        self.chunk_of: dict[int, int] = {}
        #: Jobs handed to workers and not yet taken, by chunk number (handed out and
        #: taken in order), and the worker of each.
        self.jobs: dict[int, Future[Done]] = {}
        self.lane_of: dict[int, _Lane] = {}
        self.handed = 0
        self.limit = 0
        #: Pages of a taken job that MkDocs has not asked for yet.
        self.received: dict[int, Packed] = {}
        self._batch: list[Stored] = []
        if workers >= 2 and len(todo) >= PARALLEL_MIN_PAGES:
            try:
                self._start(workers, todo, config)
            except BaseException as error:
                if not refused(error):
                    # Not left running (nor the page cache open) by a renderer the
                    # plugin never got to hold.
                    self.terminate()
                    raise
                # The system would not start another process or thread (memory, a
                # limit on processes; at the first job, when the pool starts them):
                # this process renders every page, as with OCOP_WORKERS=1. No job was
                # taken, so none is lost.
                # Not a warning: a strict build would stop at its end for it.
                log.info(f"ocop: page workers could not start ({error}); rendering "
                         "every page in this process")
                self._stop_pool()

    def _start(self, workers: int, todo: list[int], config: Any) -> None:
        """Start the worker processes (``workers``, one fewer when this process helps)
        and hand them the first jobs of ``todo``."""
        global _STATE
        _STATE = self.state
        # What the workers inherit lives all build; held, a forked worker's
        # collections do not walk it (its memory is copied all the same:
        # reference counts write into what a worker reads).
        collector.hold()
        processes = workers - 1 if self.helping else workers
        if start_method() == "fork":
            # Never replaced, one pool forks all its processes before it starts a
            # thread. Replaced one by one, each worker is a pool of its own: later
            # ones fork while the others' threads run (as multiprocessing.Pool's
            # maxtasksperchild does), each using only the queues made for it.
            size = processes if self.renew_after is None else 1
            hand_over = self.renew_after is not None
            lanes = processes // size

            def forked() -> _Lane:
                limit, resident = None, None
                if self.memory is not None and self.renew_after is not None:
                    resident = _resident()
                if resident is not None:
                    # This process's share of the sum counted now; what it makes its
                    # own from now on is counted with the worker's (``_watch``).
                    assert self.memory is not None and self.renew_after is not None
                    limit = lane_limit(self.memory, self.renew_after, resident, lanes)
                faults = _faults()
                return _Lane(new_pool(size, method="fork", initializer=_init_forked,
                                      initargs=(hand_over,)),
                             limit=limit, faults_at_fork=faults)

            self._new_lane = forked
        else:
            size = processes
            key = None if self.cache is None else self.cache.key
            markdown = (None if self.markdown is None
                        else (str(self.markdown.path), self.markdown.key))
            dictionary = b"" if self.cache is None else self.cache.dictionary[1]
            initargs = (config.config_file_path, bool(config.strict), key, markdown, dictionary)
            self._new_lane = lambda: _Lane(new_pool(size, method="spawn", initializer=_replay,
                                                    initargs=initargs))
        self.lanes = [self._new_lane() for _ in range(processes // size)]
        self.chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
        self.chunk_of = {index: n for n, chunk in enumerate(self.chunks) for index in chunk}
        self.limit = JOBS_PER_WORKER * processes
        self._hand_out()
        self._started = True

    def html(self, page: Any) -> Markup:
        """The HTML of ``page``: stored, from a worker (waits for it) or rendered now."""
        return Markup(self._html(page).decode())

    def data(self, page: Any) -> bytes:
        """The HTML of ``page`` as written (``output_bytes``)."""
        return self._html(page)

    def _html(self, page: Any) -> bytes:
        """``html`` as written: stored, rendered by a worker or here."""
        index = self.position[id(page)]
        if index in self.reused:
            assert self.cache is not None
            stored = self.cache.data(page.url)
            if stored is not None:
                return stored
            # A row that does not verify is rendered again.
        if index in self.failed:
            raise self.failed.pop(index)
        chunk = self.chunk_of.get(index)
        while chunk is not None and self.lanes and self.handed <= chunk:
            self._submit()
        if index in self.received or chunk in self.jobs:
            if index not in self.received:
                if self.helping:
                    self._help(chunk)
                self._take(chunk)
                self._hand_out()
            data, page_reads, packed, lines = self.received.pop(index)
            self._keep(Stored(page.url, self._key(index), page_reads, packed, lines))
        else:
            self.rendered_here += 1
            html, seen = render_page(page, *self.state[1:])
            data = output_bytes(html)
            if self.cache is not None:
                self._keep(self.cache.pack_read(page.url, self._key(index), data, seen,
                                                _digest_of))
        self.rendered += 1
        return data

    def _help(self, chunk: int) -> None:
        """Until the job ``chunk`` is done, do here the next job not handed out (up to
        ``limit`` jobs past those the workers hold): with a worker fewer, the build's
        memory holds one copy fewer of what a worker makes its own (the catalogue it
        reads), and no core waits while this process does. (Capped at ``limit`` jobs
        past ``chunk``, the workers holding ``limit``, it rendered 7,808 of 70,606
        national pages, not 33,264: one job each time it waited.)"""
        future = self.jobs[chunk]
        while (not future.done() and self.handed < len(self.chunks)
               and self.handed - chunk < 2 * self.limit and not self.failed):
            ahead = self.handed
            self.handed += 1
            for index in self.chunks[ahead]:
                try:
                    # As a worker does: packed with this process's ids of reads' lines.
                    self.received[index] = _render(index)
                except Exception as error:
                    # Raised when the page is asked for: the error names that page.
                    self.failed[index] = error
                    break
                self.helped += 1

    def _take(self, chunk: int) -> None:
        """The pages of the job ``chunk``, handed out: waits for them."""
        try:
            results, _grown_by, fragments, converted = self.jobs.pop(chunk).result()
        except BrokenProcessPool:
            self.terminate()
            raise WorkerDied("rendering pages") from None
        for index, result in zip(self.chunks[chunk], results, strict=True):
            self.received[index] = result
        self._adopt(fragments)
        if self.markdown is not None:
            self.markdown.adopt(converted)  # and this process's, stored in batches
        lane = self.lane_of.pop(chunk)
        self._renew_grown()
        if lane in self.retired and not self._waiting(lane):
            self.retired.remove(lane)
            self._succeed(lane)

    def _adopt(self, fragments: list[Fragment]) -> None:
        """Keep the fragments a worker rendered, with the records they read as this
        process holds them; one that read a record this process cannot name (none
        should) is left to be rendered again."""
        for anywhere, key, text, identities, facts in fragments:
            records = tuple(self.records.get(named) for named in identities)
            if None not in records:
                self.memo.adopt(anywhere, key, text, (records, facts))

    def _watch(self, lane: _Lane, future: Future[Done]) -> None:
        """Mark ``lane`` grown as soon as ``future``'s job is done, not when its turn to
        be taken comes (its worker may be eight jobs ahead by then)."""
        limit = self.renew_after
        if limit is None:
            return

        def done(future: Future[Done]) -> None:
            # In the pool's thread: a flag only (the build's process acts on it).
            if future.cancelled() or future.exception() is not None:
                return
            grown = future.result()[1]
            if lane.limit is not None:
                grown += (_faults() - lane.faults_at_fork) * os.sysconf("SC_PAGE_SIZE")
            if grown > (limit if lane.limit is None else lane.limit):
                lane.grown = True

        future.add_done_callback(done)

    def _renew_grown(self) -> None:
        """Replace every worker taking jobs that has grown too much."""
        for lane in [lane for lane in self.lanes if lane.grown]:
            if lane in self.lanes:
                self._renew(lane)

    def _renew(self, lane: _Lane) -> None:
        """Replace the worker of ``lane`` with a new fork once it has ended. Its jobs
        not yet begun go to the other workers; it finishes the others (the one begun
        and up to two queued; every one when it is the only worker) while this process
        renders ahead, and its successor is forked when the last of them is taken
        (``_succeed``). Both alive at once, the build's memory peaked: national builds
        filling the page cache peaked at 961 and 963 MiB so, 916 and 917 without."""
        self.renewed += 1
        self.lanes.remove(lane)
        moving = [chunk for chunk in sorted(c for c, holder in self.lane_of.items()
                                            if holder is lane)
                  if self.lanes and self.jobs[chunk].cancel()]
        for chunk in moving:
            del self.jobs[chunk], self.lane_of[chunk]
        lane.ending = end_pool(lane.pool)
        if self._waiting(lane):
            # Before its jobs move: a build that fails while they do ends it too.
            self.retired.append(lane)
        else:
            self._succeed(lane)
        for chunk in moving:
            self.moved += 1
            self._hand(chunk)

    def _succeed(self, lane: _Lane) -> None:
        """Wait until the replaced worker of ``lane`` has ended (its jobs all taken),
        then fork its successor."""
        assert lane.ending is not None and self._new_lane is not None
        lane.ending.wait()
        try:
            self.lanes.append(self._new_lane())
        except BaseException as error:
            if not refused(error):
                raise
            self._drop(lane, error)

    def _waiting(self, lane: _Lane) -> int:
        """Jobs handed to ``lane`` and not yet taken (at most ``limit``)."""
        return sum(holder is lane for holder in self.lane_of.values())

    def _drop(self, lane: _Lane, error: BaseException) -> None:
        """The system would not start a new worker in place of one that had grown:
        the others go on (with none left, this process renders the rest)."""
        if lane in self.lanes:
            self.lanes.remove(lane)
        # Those replaced and still finishing their jobs are at work too.
        log.info(f"ocop: a page worker could not be replaced ({error}); "
                 f"{len(self.lanes) + len(self.retired)} left")

    def _hand_out(self) -> None:
        """Hand out the next jobs, up to ``limit`` not yet taken."""
        self._renew_grown()
        while self.lanes and len(self.jobs) < self.limit and self.handed < len(self.chunks):
            self._submit()

    def _submit(self) -> None:
        """Hand out the next job (MkDocs asks for pages in order: the first job not
        yet taken; one asked for before its turn is handed out at once)."""
        self._hand(self.handed)
        self.handed += 1

    def _hand(self, chunk: int) -> None:
        """Give the job ``chunk`` to the worker with the fewest waiting; with none
        left, this process renders its pages."""
        while self.lanes:
            lane = min(self.lanes, key=lambda lane: (lane.grown, self._waiting(lane)))
            try:
                future = lane.pool.submit(_render_chunk, self.chunks[chunk])
            except BrokenProcessPool:
                # A worker died: the pool takes no more jobs.
                self.terminate()
                raise WorkerDied("rendering pages") from None
            except BaseException as error:
                if not (refused(error) and self._started):
                    raise  # at the start: ``__init__`` falls back to this process
                stop_pool(lane.pool)
                self._drop(lane, error)
                continue
            self.jobs[chunk], self.lane_of[chunk] = future, lane
            self._watch(lane, future)
            return

    def identities(self) -> dict[str, bytes]:
        """URL -> identity of the stored row each page's HTML is (pages reused, or
        rendered and stored); empty without the page cache."""
        return self.cache.identities if self.cache is not None else {}

    def _key(self, index: int) -> str:
        return self.keys[index] if self.keys else ""

    def _keep(self, page: Stored) -> None:
        if self.cache is None:
            return
        self._batch.append(page)
        if len(self._batch) >= 256:
            self.cache.add(self._batch)
            self._batch = []

    def close(self) -> None:
        """Wait for the workers (those replaced too); store the pages rendered in
        this build."""
        global _STATE, _WORLD, _IDS
        for lane in self.lanes:
            lane.pool.shutdown(wait=True)
        for lane in self.retired:
            assert lane.ending is not None
            lane.ending.wait()
        if self.helped:
            log.info(f"ocop page workers: this process rendered {self.helped} of the pages "
                     "while it waited for them")
        if self.renewed:
            assert self.renew_after is not None
            if self.memory is None:
                log.info(f"ocop page workers: replaced {self.renewed} times, each once it "
                         f"had made about {self.renew_after >> 20} MB of memory its own "
                         "(OCOP_RENEW_MB)")
            else:
                log.info(f"ocop page workers: replaced {self.renewed} times, each once it "
                         "and this process had made their own what remained of "
                         f"{self.memory >> 20} MB when it was forked, or at least "
                         f"{RENEW_MIN_MB} MB (OCOP_MEMORY_MB)")
        # Not held past the build: under ``mkdocs serve`` the next one loads first.
        _STATE, _WORLD, _IDS = None, None, None
        sanitize.keep_converted(None)
        if self.markdown is not None:
            read, converted = self.markdown.commit(every_text=self.rendered == len(self.pages))
            self.markdown.close()
            log.info(f"ocop markdown: {read} texts read from the cache, {converted} "
                     "converted")
        if self.cache is not None:
            self.cache.add(self._batch)
            self._batch = []
            self.cache.commit({page.url for page in self.pages})
            self.cache.close()

    def terminate(self) -> None:
        """Stop at once (the build failed): queued pages are dropped, workers ended,
        nothing stored."""
        global _STATE, _WORLD, _IDS
        self._stop_pool()
        _STATE, _WORLD, _IDS = None, None, None
        sanitize.keep_converted(None)
        if self.markdown is not None:
            self.markdown.close()
        if self.cache is not None:
            self.cache.rollback()
            self.cache.close()

    def _stop_pool(self) -> None:
        """End the workers at once, dropping their jobs; pages not taken are then
        rendered in this process."""
        for lane in self.lanes:
            stop_pool(lane.pool)
        for lane in self.retired:
            assert lane.ending is not None
            lane.ending.stop()
        self.lanes, self.retired, self.lane_of = [], [], {}
        self.chunks, self.chunk_of, self.jobs, self.received = [], {}, {}, {}
        self.handed = self.limit = 0
