"""Write the search index (see ``generator.search``) into the built site.

Catalogue records are indexed from the linked catalogue; hand-written pages
(Markdown under ``content/``) are read back from the HTML MkDocs wrote, since
the writer sees only the finished site.
"""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from ..language import VIETNAMESE, Language
from ..media.library import MediaLibrary
from ..source.records import Photo, Producer, Product
from .context import OutputContext
from .files import write_bytes
from .search_cache import SearchCache
from .search_index import (
    INDEX_DIR,
    ExtraPage,
    build_search_index,
    catalogue_docs,
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
                              producer_thumb, pages, lang)
        tokens = cache.tokens(lang.code, docs) if cache is not None else token_files(docs)
        index = build_search_index(context.catalogue, docs, lang, tokens)
        written += [write_bytes(context, f"{lang.prefix}{INDEX_DIR}/{rel}", data)
                    for rel, data in index.files.items()]
    return written
