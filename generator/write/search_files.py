"""Write the search index (see ``generator.search``) into the built site.

Catalogue records are indexed from the linked catalogue; hand-written pages
(Markdown under ``content/``) are read back from the HTML MkDocs wrote, since
the writer sees only the finished site.
"""

from __future__ import annotations

import dataclasses
import marshal
from collections.abc import Callable, Sequence
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .. import reads
from ..language import VIETNAMESE, Language
from ..media.library import MediaLibrary
from ..source.records import Photo, Producer, Product
from .context import OutputContext
from .files import write_bytes
from .pieces import Pieces
from .pieces import runs as pieces_runs
from .search_cache import SearchCache
from .search_index import (
    INDEX_DIR,
    DocsOf,
    ExtraPage,
    SearchDoc,
    build_search_index,
    catalogue_docs,
    each_doc,
    token_files,
)

#: Pixels the short side of a result thumbnail needs: drawn as a 48 px square (2.4rem)
#: with object-fit: cover, times two for dense screens (128 px wide for a 4:3 photo).
THUMB_MIN_SIDE = 96
#: The widest variant a finder card needs: half a 360 px phone at 2×, 4:3.
CARD_MAX_WIDTH = 320
#: Site folders that never hold hand-written pages.
_SKIP_DIRS = {"assets", "anh", "search"}


class _MainText(HTMLParser):
    """Title and text of the main article of a Material page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # nesting inside <article class="md-content__inner …">
        self.in_h1 = False
        self.skip = 0  # inside <script>/<style>
        self.title: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        if self.depth:
            if tag == "article":
                self.depth += 1
            elif tag == "h1" and not self.title:
                self.in_h1 = True
            return
        if tag == "article" and "md-content__inner" in (dict(attrs).get("class") or ""):
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        if not self.depth:
            return
        if tag == "h1":
            self.in_h1 = False
        elif tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            (self.title if self.in_h1 else self.text).append(data)


def read_page(path: Path, url: str) -> ExtraPage | None:
    parser = _MainText()
    try:
        parser.feed(path.read_text(encoding="utf-8"))
    except FileNotFoundError:  # MkDocs writes no file for a page that renders empty
        return None
    title = " ".join("".join(parser.title).split())
    text = " ".join(" ".join(parser.text).split())
    if not title and not text:
        return None
    return ExtraPage(url=url, title=title or url, text=text)


def hand_written_pages(site_dir: Path, page_urls: tuple[str, ...],
                       lang: Language = VIETNAMESE,
                       languages: tuple[Language, ...] = (VIETNAMESE,),
                       built: frozenset[str] = frozenset()) -> list[ExtraPage]:
    """Pages of the site in ``lang`` that the catalogue did not generate (home, about …):
    those of ``built`` (site paths of the files MkDocs built) at ``…/index.html``, read
    back from ``site_dir``. Not a walk of the folder: a kept site holds the pages of
    two builds ago until the build ends, and listing 75,000 folders took seconds."""
    generated = set(page_urls)
    # Other languages' folders hold their own pages.
    skip = _SKIP_DIRS | {other.prefix.rstrip("/") for other in languages if other.prefix}
    pages = []
    for path in sorted(built):
        if not (path == "index.html" or path.endswith("/index.html")):
            continue
        url = path.removesuffix("index.html")
        if not url.startswith(lang.prefix) or url in generated:
            continue
        names = url[len(lang.prefix):].split("/")[:-1]
        # A generated page's folder holds no hand-written page below it.
        if (names and names[0] in skip) or any(
                lang.prefix + "/".join(names[:depth]) + "/" in generated
                for depth in range(2, len(names))):
            continue
        page = read_page(site_dir / path, url)
        if page is not None:
            pages.append(page)
    return pages


def _thumbs(media: MediaLibrary | None) -> tuple[Callable[[Product], str],
                                                 Callable[[Producer], str]]:
    """Thumbnail srcset functions: the WebP variants from the smallest whose short side
    is THUMB_MIN_SIDE up to CARD_MAX_WIDTH (the finder draws cards with them)."""

    def srcset(path: Photo | Path) -> str:
        picture = media.picture(path)  # type: ignore[union-attr]
        ratio = picture.height / picture.width
        variants = picture.webp
        # The first variant whose short side fills the square (a wide logo needs more
        # than 128 px of width), then those up to a finder card's width.
        start = next((i for i, v in enumerate(variants)
                      if min(v.width, v.width * ratio) >= THUMB_MIN_SIDE), len(variants) - 1)
        chosen = [v for v in variants[start:] if v.width <= CARD_MAX_WIDTH] or [variants[start]]
        return ", ".join(f"{v.url} {v.width}w" for v in chosen)

    # Made once for every language's index (and shared by their documents).
    made: dict[tuple[str, str], str] = {}

    def once(kind: str, record_id: str, path: Photo | Path) -> str:
        found = made.get((kind, record_id))
        if found is None:
            found = made[(kind, record_id)] = srcset(path)
        elif reads.recording_now():
            media.picture(path)  # type: ignore[union-attr]  # notes the read: a piece's
        return found

    def product_thumb(product: Product) -> str:
        if media is None or not product.photos:
            return ""
        return once("product", product.id, product.photos[0])

    def producer_thumb(producer: Producer) -> str:
        if media is None or producer.logo_path is None:
            return ""
        return once("producer", producer.id, producer.logo_path)

    return product_thumb, producer_thumb


#: A document's fields, in order, its indexed texts last: what a piece holds of it.
_DOC_FIELDS = tuple(f.name for f in dataclasses.fields(SearchDoc))
assert _DOC_FIELDS[-1] == "fields"
#: Fields of a record a document indexes as they are: a piece names the field rather
#: than holding a copy of its text. A description is most of a document's bytes, and
#: the documents made from copies held 100 MB more at a national build's peak than
#: those made from the records, which share the records' strings.
_SHARED = ("description", "description_en", "story", "story_en")


def _docs_in_pieces(context: OutputContext, lang: Language) -> DocsOf:
    """``DocsOf`` taking the documents of a run of records (``pieces.runs``) from the
    last build's (``Pieces``: a store for each language and kind) while nothing they
    read changed. After one edit of a national catalogue, making every product's and
    producer's document again was 2.1 s of the search index's 3.5 s."""

    def docs_of(kind: str, records: Sequence[Any], make: Callable[[Any], SearchDoc]
                ) -> list[SearchDoc]:
        with Pieces.open(context, f"search-{lang.code}-{kind}") as pieces:
            if pieces.path is None:
                return each_doc(kind, records, make)
            docs: list[SearchDoc] = []
            for run in pieces_runs(records, lambda record: record.id):
                (data,) = pieces.get((kind, *run), partial(_piece, run, make))
                docs += map(_doc, run, marshal.loads(data))
        return docs

    return docs_of


def _piece(run: list[Any], make: Callable[[Any], SearchDoc]) -> tuple[bytes]:
    """The documents of ``run``: their fields' values (strings, numbers, tuples), each
    indexed text as (weight, text, "") or, where it is one of the record's ``_SHARED``
    fields, (weight, "", field); as marshal writes them (read back only from a store
    whose signature verified)."""
    docs = []
    for record in run:
        doc = make(record)
        *head, fields = (getattr(doc, name) for name in _DOC_FIELDS)
        docs.append((*head, tuple(_indexed(record, weight, text) for weight, text in fields)))
    return (marshal.dumps(docs, 4),)


def _indexed(record: Any, weight: int, text: str) -> tuple[int, str, str]:
    for name in _SHARED:
        if getattr(record, name, None) is text:
            return weight, "", name
    return weight, text, ""


def _doc(record: Any, values: tuple[Any, ...]) -> SearchDoc:
    """The document of ``record`` a piece holds (``_piece``), its shared texts the
    record's own strings."""
    *head, fields = values
    return SearchDoc(*head, tuple((weight, getattr(record, name) if name else text)
                                  for weight, text, name in fields))


def write(context: OutputContext) -> list[str]:
    """One index per language: ``assets/ocop-search/``, ``en/assets/ocop-search/`` …"""
    product_thumb, producer_thumb = _thumbs(context.media)
    cache = None
    if context.reuse:
        cache = SearchCache.open(context.cache_dir,
                                 context.layout.root if context.layout else None)
    written = []
    for lang in context.languages:
        pages = hand_written_pages(context.site_dir, context.page_urls, lang, context.languages,
                                   context.hand_written_files)
        docs = catalogue_docs(context.catalogue, context.page_urls, product_thumb,
                              producer_thumb, pages, lang, _docs_in_pieces(context, lang))
        tokens = cache.tokens(lang.code, docs) if cache is not None else token_files(docs)
        index = build_search_index(context.catalogue, docs, lang, tokens)
        written += [write_bytes(context, f"{lang.prefix}{INDEX_DIR}/{rel}", data)
                    for rel, data in index.files.items()]
    return written
