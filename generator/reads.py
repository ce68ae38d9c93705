"""What a page reads while it renders: the records it opens and the facts it asks.

A page's HTML is a function of the build's settings, its ``PageSpec`` and what its
template and our helpers read on the way: records (a product, its producer, the
sibling products on its cards …), photos (``MediaLibrary.picture``) and whether
pages exist in a language (``Pages.has``). The page cache (``page_cache``) keeps
a page with the list of what it read, and reuses it only while every item on that
list is unchanged — the dependency tracking of Lektor or Bazel, at record level.

Records are *observed*, not declared: while reads are being recorded, every
attribute access on an instance of a watched class (``watch``) notes the
instance. Nothing has to list what a template shows, so a template or helper that
starts showing more cannot make a cached page stale. Other facts are noted by the
code that knows them (``note``).

Fragments reused across pages (``Memo``: cards, sidebars) keep what they read, so
a page that reuses a fragment depends on what the fragment showed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass
class Reads:
    """What one page (or fragment) read."""

    #: Records opened, by ``id()`` (records are mutable dataclasses: unhashable).
    records: dict[int, Any] = field(default_factory=dict)
    #: Other facts asked: (kind, argument …) -> the answer's text.
    facts: dict[tuple[str, ...], str] = field(default_factory=dict)

    def merge(self, other: Reads) -> None:
        self.records.update(other.records)
        self.facts.update(other.facts)

    def kept(self) -> Kept:
        """These reads as a fragment keeps them (``Memo``)."""
        return tuple(self.records.values()), tuple(self.facts.items())

    def add(self, kept: Kept) -> None:
        """Add the reads a fragment kept (``kept``)."""
        records, facts = kept
        for record in records:
            self.records[id(record)] = record
        self.facts.update(facts)


#: What a fragment read, as the memo keeps it: the records, and the facts with their
#: answers. Two tuples (empty ones are shared), not a ``Reads`` of two dicts: the
#: build's process keeps the cards of a national site (``Memo.adopt``).
Kept = tuple[tuple[Any, ...], tuple[tuple[tuple[str, ...], str], ...]]


# Innermost last; empty while nothing records (the hook then costs one test).
_stack: list[Reads] = []
_watched: dict[type, Any] = {}


def _noting_getattribute(self: Any, name: str, _get: Any = object.__getattribute__) -> Any:
    if _stack:
        _stack[-1].records[id(self)] = self
    return _get(self, name)


def _noting_facts(fields: Mapping[str, str]) -> Callable[[Any, str], Any]:
    """``_noting_getattribute`` that also notes reading one of ``fields`` (attribute
    name -> kind of fact) as the fact ``(kind,)``, answered by the value's text."""
    def getattribute(self: Any, name: str, _get: Any = object.__getattribute__) -> Any:
        value = _get(self, name)
        if _stack:
            _stack[-1].records[id(self)] = self
            kind = fields.get(name)
            if kind is not None:
                _stack[-1].facts[(kind,)] = str(value)
        return value

    return getattribute


def watch(*classes: type, facts: Mapping[type, Mapping[str, str]] | None = None) -> None:
    """Note every attribute access on instances of ``classes`` while recording; for
    the attributes ``facts`` names (class -> attribute -> kind), a fact as well."""
    for cls in classes:
        if cls not in _watched:
            _watched[cls] = cls.__dict__.get("__getattribute__")
            fields = (facts or {}).get(cls)
            cls.__getattribute__ = (  # type: ignore[method-assign]
                _noting_facts(fields) if fields else _noting_getattribute)


def watching() -> bool:
    """Whether records are watched (``watch``) until someone calls ``unwatch``."""
    return bool(_watched)


def unwatch() -> None:
    """Stop watching (attribute access is plain again: the writers read every record)."""
    for cls, own in _watched.items():
        if own is None:
            del cls.__getattribute__
        else:
            cls.__getattribute__ = own  # type: ignore[method-assign]
    _watched.clear()


@contextlib.contextmanager
def recording() -> Iterator[Reads]:
    """Record what is read inside the block (nested blocks add to the outer one)."""
    reads = Reads()
    _stack.append(reads)
    try:
        yield reads
    finally:
        _stack.pop()
        if _stack:
            _stack[-1].merge(reads)


@contextlib.contextmanager
def unrecorded() -> Iterator[None]:
    """Record nothing read inside the block, even inside a recording (what it makes
    is keyed by all it reads already)."""
    saved = _stack[:]
    _stack.clear()
    try:
        yield
    finally:
        _stack[:] = saved


def reset() -> None:
    """Forget any recording left open (by a build that failed half-way)."""
    _stack.clear()


def recording_now() -> bool:
    """Whether something records (a fact costly to state need only be stated then)."""
    return bool(_stack)


def note(fact: tuple[str, ...], answer: str) -> None:
    """Note a fact the page asked for (no effect when nothing records)."""
    if _stack:
        _stack[-1].facts[fact] = answer


class Memo:
    """Rendered fragments reused across pages, each with what it read.

    Templates call ``fragment`` (a call block) or a function of ``cards``: on a hit
    they print the kept fragment (its reads go to the page), on a miss they render it
    and keep it (``put``, ``put_anywhere``). Between the miss (``key in memo``) and the
    put the fragment's reads are recorded on their own (then added to the page's).

    A fragment whose links are the only thing that differs between pages of
    different depths (a card) is kept once for all of them: rendered with
    ``BASE`` where the page's base URL goes, kept by ``put_anywhere`` and printed by
    ``at``, which put the page's base URL in its place. A national site's cards
    otherwise took one entry per depth: 90,000 in each page worker, 185 MB.

    A page worker that is replaced as it grows (``adapter/parallel.py``) hands the
    fragments it made to the build (``listing``, ``made``, ``adopt``): the worker
    forked in its place inherits them instead of rendering them again.
    """

    #: Stands for the page's base URL in a fragment kept for pages of any depth.
    #: No record's text holds a control character (``source.convert``), nor do the
    #: URLs and interface text a fragment shows: it can only come from a link.
    BASE = "\x00"

    def __init__(self) -> None:
        self._items: dict[Hashable, tuple[str, Kept]] = {}
        # UTF-8: half the memory of a str holding Vietnamese (two bytes a character).
        self._anywhere: dict[Hashable, tuple[bytes, Kept]] = {}
        self._open: list[Reads] = []
        # Keys put since ``listing`` or the last ``made`` (None: not listed).
        self._made: list[tuple[bool, Hashable]] | None = None

    def __contains__(self, key: Hashable) -> bool:
        if key in self._items or key in self._anywhere:
            return True
        reads = Reads()
        self._open.append(reads)
        _stack.append(reads)
        return False

    def __getitem__(self, key: Hashable) -> str:
        html, kept = self._items[key]
        if _stack:
            _stack[-1].add(kept)
        return html

    def put(self, key: Hashable, html: str) -> str:
        self._items[key] = (html, self._close())
        if self._made is not None:
            self._made.append((False, key))
        return html

    def fragment(self, key: Hashable, caller: Callable[[], str]) -> str:
        """The fragment kept under ``key``, else ``caller()`` kept: for a template's
        call block (``{% call ocop_memo_fragment(key) %}…{% endcall %}``), whose body
        is rendered only when missing. A Python function, not a macro: five such
        blocks on every generated page, nearly all kept."""
        if key in self:
            return self[key]
        return self.put(key, self._render(caller))

    def at(self, key: Hashable, base: str) -> Markup:
        """The fragment kept by ``put_anywhere``, for a page whose base URL is
        ``base`` ('../..', '.'; on the 404 page the site's own path, such as '/')."""
        html, kept = self._anywhere[key]
        if _stack:
            _stack[-1].add(kept)
        return Markup(html.decode().replace(self.BASE, base.rstrip("/")))

    def put_anywhere(self, key: Hashable, html: str, base: str) -> Markup:
        """Keep a fragment rendered with ``BASE`` for its links' base; returns it
        for a page whose base URL is ``base``."""
        kept = self._close()  # first: the recording ends even if the text cannot be kept
        self._anywhere[key] = (html.encode(), kept)
        if self._made is not None:
            self._made.append((True, key))
        return Markup(str(html).replace(self.BASE, base.rstrip("/")))

    def cards(self, kind: str, render: Callable[..., str], language: str, base: str,
              *defaults: Hashable) -> Callable[..., Markup]:
        """A function printing a record's card on a page of ``language`` whose base URL
        is ``base``: the kept one, else ``render(record, *arguments)`` (its links made
        with ``BASE``) kept by ``put_anywhere``. The card's key is ``(kind, record.id,
        language, *arguments)``, ``arguments`` (positional) being ``defaults`` where
        none are given.
        A template sets it per page (``partials/ocop/macros.html``): a Jinja macro
        checking the memo cost a macro call per card, most of them kept (8,800 in a
        province's pages)."""

        def card(record: Any, *arguments: Hashable) -> Markup:
            arguments = arguments or defaults
            key = (kind, record.id, language, *arguments)
            if key in self:
                return self.at(key, base)
            return self.put_anywhere(key, self._render(render, record, *arguments), base)

        return card

    def _render(self, render: Callable[..., str], *arguments: Any) -> str:
        """``render(*arguments)`` for a missing fragment; if it raises, the recording
        its miss opened ends with it (the page's own goes on)."""
        try:
            return render(*arguments)
        except BaseException:
            self._close()
            raise

    def listing(self) -> None:
        """From now on, list the fragments put, for ``made``."""
        self._made = []

    def made(self) -> list[tuple[bool, Hashable, str | bytes, Kept]]:
        """The fragments put since ``listing`` or the last call: whether each is kept
        for pages of any depth, its key, its text (UTF-8 when kept for any depth) and
        what it read."""
        if not self._made:
            return []
        made, self._made = self._made, []
        return [(anywhere, key, *(self._anywhere if anywhere else self._items)[key])
                for anywhere, key in made]

    def clear(self) -> None:
        """Forget every fragment: once the pages are rendered, their memory is the
        writers' to use (a national site's, over 100 MiB)."""
        self._items.clear()
        self._anywhere.clear()
        self._made = None

    def adopt(self, anywhere: bool, key: Hashable, text: str | bytes, kept: Kept) -> None:
        """Keep a fragment ``made`` in another process by the same templates from the
        same records (the first one kept stays)."""
        if anywhere:
            assert isinstance(text, bytes)
            self._anywhere.setdefault(key, (text, kept))
        else:
            assert isinstance(text, str)
            self._items.setdefault(key, (text, kept))

    def _close(self) -> Kept:
        reads = self._open.pop()
        popped = _stack.pop()
        assert popped is reads, "fragment memo used out of order"
        if _stack:
            _stack[-1].merge(reads)
        return reads.kept()
