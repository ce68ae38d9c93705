"""Page specs: what one generated page is (URL, template, title, records), and
pagination of listings. Pure data; the MkDocs adapter turns specs into pages.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..language import Language

#: At most this many cards on one listing page.
PAGE_SIZE = 48

def src_uri(url: str) -> str:
    """The virtual source file of a directory URL: 'san-pham/x/' → 'san-pham/x.md'.

    Section pages ('san-pham/') become 'san-pham.md', served at the same URL.
    """
    return url.rstrip("/") + ".md"


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int
    url: str


@dataclass(frozen=True, slots=True)
class Pager:
    """One page of a paginated listing."""

    items: Sequence[Any]
    number: int
    count: int
    total_items: int
    links: tuple[PageLink, ...]

    @property
    def previous(self) -> PageLink | None:
        return self.links[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> PageLink | None:
        return self.links[self.number] if self.number < self.count else None


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One generated page: where it goes, how it looks, what it shows."""

    url: str
    template: str
    title: str
    kind: str
    context: dict[str, Any] = field(default_factory=dict)
    #: One-sentence summary for <meta name="description"> and social cards.
    description: str = ""
    #: The page's language (``language.BY_CODE``); its ``url`` starts with its prefix.
    language: str = "vi"

    @property
    def src_uri(self) -> str:
        return src_uri(self.url)


def paginate(items: Sequence[Any], url_of: Any, size: int = PAGE_SIZE) -> list[Pager]:
    count = max(1, math.ceil(len(items) / size))
    links = tuple(PageLink(n, url_of(n)) for n in range(1, count + 1))
    return [Pager(items[(n - 1) * size: n * size], n, count, len(items), links)
            for n in range(1, count + 1)]


def page_suffix(pager: Pager, lang: Language) -> str:
    """What a title says after the first page of a listing: ' – trang 2'."""
    _ = lang.gettext
    return _(" – trang %(number)s") % {"number": pager.number} if pager.number > 1 else ""


def listing(lang: Language, kind: str, title: str, items: Sequence[Any], url_of: Any,
            description: str, **context: Any) -> list[PageSpec]:
    """The pages of a listing of product (or producer) cards, ``ocop/listing.html``."""
    pages = []
    for pager in paginate(items, url_of):
        pages.append(PageSpec(
            url=url_of(pager.number), template="ocop/listing.html",
            title=title + page_suffix(pager, lang),
            kind=kind, description=description,
            context={"pager": pager, "heading": title, **context},
        ))
    return pages


