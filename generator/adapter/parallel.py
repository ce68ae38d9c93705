"""Render generated pages on every core.

MkDocs renders pages one after another in one process. Our pages are many and
independent, so worker processes render them in parallel, in MkDocs' own order;
MkDocs then writes each page as usual, its template being a stand-in that
returns the worker's HTML. The output is byte-for-byte what a sequential build
writes (tested, with either start method).

How a worker gets what it renders with (pages, navigation, template
environment, catalogue):

* ``fork`` (Linux): it inherits the parent's, ready, once everything is loaded,
  linked and the environment is set up;
* ``spawn`` (Windows, macOS, or ``OCOP_START_METHOD=spawn``): it replays the
  build up to that point from ``mkdocs.yml`` — the same MkDocs calls, in the
  same order, as ``mkdocs.commands.build.build`` — so it holds the same pages.

A worker that dies stops the build with ``WorkerDied`` instead of a hang.

Part of the MkDocs adapter: it calls MkDocs' ``get_context`` exactly as MkDocs'
``_build_page`` does.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from markupsafe import Markup
from mkdocs.commands.build import _populate_page, get_context
from mkdocs.config import load_config
from mkdocs.structure.files import get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from ..workers import WorkerDied, new_pool, start_method

#: Template that returns a page rendered by a worker.
STAND_IN = "ocop/prerendered.html"

# What a worker renders with: inherited (fork) or rebuilt by _replay (spawn).
_STATE: tuple[Sequence[Any], Any, Any, Any, Sequence[Any]] | None = None
_IN_WORKER = False


def _init_forked() -> None:
    global _IN_WORKER
    _IN_WORKER = True


def _replay(config_file: str, strict: bool) -> None:
    """Spawned worker: build the site's pages, navigation and environment again."""
    global _IN_WORKER, _STATE
    _IN_WORKER = True
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


def in_worker() -> bool:
    """True inside a rendering worker process."""
    return _IN_WORKER


def _render(index: int) -> str:
    assert _STATE is not None
    pages, env, config, nav, doc_files = _STATE
    page = pages[index]
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.spec.template)
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        return template.render(context)
    finally:
        page.active = False


class ParallelRenderer:
    """A pool of workers rendering ``pages`` (every generated page, in order)."""

    def __init__(self, pages: Sequence[Any], env: Any, config: Any, nav: Any,
                 doc_files: Sequence[Any], workers: int) -> None:
        global _STATE
        self.position = {id(page): i for i, page in enumerate(pages)}
        if start_method() == "fork":
            _STATE = (pages, env, config, nav, doc_files)
            self.pool = new_pool(workers, method="fork", initializer=_init_forked)
        else:
            self.pool = new_pool(workers, method="spawn", initializer=_replay,
                                 initargs=(config.config_file_path, bool(config.strict)))
        self.results: Iterator[str] = self.pool.map(_render, range(len(pages)), chunksize=8)
        self.received: dict[int, str] = {}
        self.next_index = 0

    def html(self, page: Any) -> Markup:
        """The worker's rendering of ``page`` (waits for it if needed)."""
        index = self.position[id(page)]
        while index not in self.received:
            try:
                self.received[self.next_index] = next(self.results)
            except BrokenProcessPool:
                self.terminate()
                raise WorkerDied("rendering pages") from None
            self.next_index += 1
        return Markup(self.received.pop(index))

    def close(self) -> None:
        global _STATE
        self.pool.shutdown(wait=True)
        _STATE = None

    def terminate(self) -> None:
        """Stop at once (the build failed): queued pages are dropped, workers ended."""
        global _STATE
        # Before shutdown forgets them; a broken pool has none left.
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        _STATE = None
