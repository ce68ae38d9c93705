"""Render generated pages on every core.

MkDocs renders pages one after another in one process. Our pages are many and
independent, so worker processes (forked once everything is loaded, linked and
the template environment is ready) render them in parallel, in MkDocs' own
order; MkDocs then writes each page as usual, its template being a stand-in
that returns the worker's HTML. The output is byte-for-byte what a sequential
build writes (tested).

Part of the MkDocs adapter: it calls MkDocs' ``get_context`` exactly as MkDocs'
``_build_page`` does.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from typing import Any

from markupsafe import Markup
from mkdocs.commands.build import get_context

#: Template that returns a page rendered by a worker.
STAND_IN = "ocop/prerendered.html"

# Set in the parent just before forking; workers read it (never pickled).
_STATE: tuple[Sequence[Any], Any, Any, Any, Sequence[Any]] | None = None
_IN_WORKER = False


def _init_worker() -> None:
    global _IN_WORKER
    _IN_WORKER = True


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
    """A pool of forked workers rendering ``pages`` in order."""

    def __init__(self, pages: Sequence[Any], env: Any, config: Any, nav: Any,
                 doc_files: Sequence[Any], workers: int) -> None:
        global _STATE
        self.position = {id(page): i for i, page in enumerate(pages)}
        _STATE = (pages, env, config, nav, doc_files)
        self.pool = multiprocessing.get_context("fork").Pool(workers, _init_worker)
        self.results: Iterator[str] = self.pool.imap(_render, range(len(pages)), chunksize=8)
        self.received: dict[int, str] = {}
        self.next_index = 0

    def html(self, page: Any) -> Markup:
        """The worker's rendering of ``page`` (waits for it if needed)."""
        index = self.position[id(page)]
        while index not in self.received:
            self.received[self.next_index] = next(self.results)
            self.next_index += 1
        return Markup(self.received.pop(index))

    def close(self) -> None:
        global _STATE
        self.pool.close()
        self.pool.join()
        _STATE = None

    def terminate(self) -> None:
        global _STATE
        self.pool.terminate()
        self.pool.join()
        _STATE = None
