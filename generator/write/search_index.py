"""Search index: one chunked, pre-folded index for the header search box and the
product finder, built from the linked catalogue (no HTML of generated pages is parsed).

Why our own index rather than Material's lunr or Pagefind:

- Folding must match ``link.text.fold`` exactly, ``đ`` included; every token in the
  index is already folded here, and the browser folds the query the same way
  (``theme/assets/javascripts/ocop-text.js`` mirrors ``fold``).
- The finder needs facet counts for every combination of filters, a numeric price
  range and Vietnamese (ICU) name order; the per-product facet columns below make
  that a loop over small arrays in the browser.
- Bytes: a browser loads the small manifest, then only the token chunks of the
  words typed, the display records of the results shown, and (finder only) the
  facet columns. Nothing grows with the catalogue in one file except the facet
  columns, at a few bytes per product.
- Two tiers: words of descriptions are three quarters of all postings on a
  catalogue with real descriptions, and the dense ones ("có", "cá", "phú") are most
  of the bytes of a typed query. Results matching every word in a name or the facts
  rank first, so the header box, which shows eight, reads the description tier
  only when the first tier has fewer than eight; the finder, which counts, reads both.

Layout under ``assets/ocop-search/`` (see ``SearchIndex.files``)::

    manifest-2.json    version, counts, chunk keys of both tiers, shard size (MANIFEST)
    t/<key>.json       token → postings where the token is in a name or in the
                       facts (producer, place, group …), for tokens whose prefix is <key>
    x/<key>.json       token → postings where the token is only in a description
    d/<n>.json         display records of documents n*SHARD_SIZE … (n+1)*SHARD_SIZE-1
    facets.json        per-product facet columns and their labels (finder)
    p/<province>.json  commune of each product of one province, and commune labels

Documents are numbered: products first, in Vietnamese name order (so a product's
number is its name rank), then producers, points of sale, fairs, listing pages and
hand-written pages.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..language import VIETNAMESE, Language
from ..link.catalogue import Catalogue
from ..plan.urls import Urls
from ..source.records import (
    POINT_OF_SALE_KINDS,
    PRODUCER_TYPE_LABELS,
    Fair,
    PointOfSale,
    Producer,
    Product,
)
from ..vietnamese import fold, slugify, sorted_vi

#: Site folder of the index files.
INDEX_DIR = "assets/ocop-search"
#: The index's entry point, named by the format of the files it leads to (2: two
#: tiers, thumbnails as srcset). A browser may hold the previous ocop-search.js in its
#: cache for a while after a deploy; that script asks for its own format's manifest,
#: finds none and says the search could not load, instead of misreading new files.
#: Change the number with any change a previous script would misread.
MANIFEST = "manifest-2.json"
#: Display records per ``d/<n>.json`` file. Small files keep a page of scattered
#: results (sorted by stars or price, or the header's eight while a query is typed)
#: cheap; too small means many requests. 16 rather than 32: a letter-by-letter query
#: on a national catalogue fetched 19 % fewer bytes (a Python simulation of the
#: browser's requests, 'mam ca linh': 19.1 → 15.4 KB).
SHARD_SIZE = 16
#: A token chunk larger than this (bytes of JSON) is split one letter deeper.
CHUNK_LIMIT = 16_000
#: Tokens are grouped by their first two letters, then deeper when a chunk is large.
PREFIX_LEN = 2
MAX_PREFIX_LEN = 5

#: Field weights: where in a document a word was found.
NAME, META, TEXT = 3, 2, 1

#: Document kinds (one letter in the display records).
KIND_PRODUCT = "p"
KIND_PRODUCER = "c"
KIND_POINT_OF_SALE = "s"
KIND_FAIR = "f"
KIND_LISTING = "l"
KIND_PAGE = "g"

#: Certificate status codes as one letter in the facet column and records.
STATUS_LETTERS = {"valid": "v", "expiring": "e", "expired": "x", "revoked": "r"}

#: 64 symbols: a facet column with at most 64 values is one character per product.
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"

# Letters and digits of any script; the browser uses /[\p{L}\p{N}]+/gu.
_TOKEN = re.compile(r"[^\W_]+")
# Markdown link targets and bare URLs are not words a shopper types. Every match
# holds "](" or "http": ``_without_urls`` looks for them first.
_URL = re.compile(r"\]\([^)]*\)|https?://\S+")
_SAFE_KEY = re.compile(r"[a-z0-9]+")


#: Texts longer than this are not cached: descriptions are unique, and caching 65,536
#: of them with their words was most of the build's peak (a national warm build's
#: largest process: 1,279 MB with them cached, 994 MB without).
CACHED_TEXT = 120


def tokens(text: str) -> tuple[str, ...]:
    """Folded words of ``text``: 'Mắm Châu Đốc!' → ('mam', 'chau', 'doc').

    Short texts are cached: places, groups and producer names recur on thousands of
    products.
    """
    if len(text) > CACHED_TEXT:
        return tuple(_TOKEN.findall(fold(text)))
    return _short_tokens(text)


@lru_cache(maxsize=1 << 16)
def _short_tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(text)))


def key_file(key: str) -> str:
    """File name (without .json) of a token chunk; non-ASCII keys are hex-encoded."""
    return key if _SAFE_KEY.fullmatch(key) else "_" + key.encode("utf-8").hex()


@dataclass(frozen=True)
class SearchDoc:
    """One searchable thing and what a result line shows about it."""

    kind: str
    url: str
    title: str
    #: Second line: the producer of a product, the type of a producer …
    sub: str = ""
    place: str = ""
    stars: int = 0
    status: str = ""
    price: int = -1
    unit: str = ""
    #: Site-root-relative URL of a small photo, or "".
    thumb: str = ""
    #: (weight, text) pairs that are indexed.
    fields: tuple[tuple[int, str], ...] = ()

    def record(self) -> list[object]:
        return [self.kind, self.url, self.title, self.sub, self.place, self.stars,
                self.status, self.price, self.unit, self.thumb]


@dataclass(frozen=True)
class ExtraPage:
    """A hand-written page (Markdown) to index: its URL, title and plain text."""

    url: str
    title: str
    text: str


@dataclass
class SearchIndex:
    """The index files, site paths relative to ``INDEX_DIR`` → bytes."""

    files: dict[str, bytes] = field(default_factory=dict)
    version: str = ""
    docs: int = 0
    products: int = 0
    tokens: int = 0


Thumb = Callable[[Product], str]


def _place(commune: str, province: str) -> str:
    return f"{commune}, {province}"


def _without_urls(text: str) -> str:
    """``text`` with link targets and web addresses blanked (they would fill the index
    with tokens nobody types). Most descriptions have none: a substring test is a
    fraction of the pattern's search."""
    return _URL.sub(" ", text) if "](" in text or "http" in text else text


def _both(record: object, field: str) -> tuple[str, str]:
    """A field and its English version ('' when none): every language's index holds
    both, so a folded Vietnamese query finds the product on English pages too."""
    return getattr(record, field) or "", getattr(record, f"{field}_en", None) or ""


def product_doc(product: Product, thumb: str, lang: Language = VIETNAMESE) -> SearchDoc:
    p = product.producer
    a = p.address
    group, sub = product.group, product.subgroup
    if lang.prefix:
        names: tuple[str, ...] = (product.name, product.name_en or "")
        meta: tuple[str | None, ...] = (*_both(p, "name"), a.commune, a.province,
                                        a.district_before_2025, *_both(group, "name"),
                                        *_both(sub, "name"), *product.standards)
        described = _both(product, "description")
    else:  # the Vietnamese index as before: the English name a fact, not a name
        names = (product.name,)
        meta = (product.name_en, p.name, a.commune, a.province, a.district_before_2025,
                group.name, sub.name, *product.standards)
        described = (product.description or "",)
    text = (*(_without_urls(d) for d in described), product.ingredients, product.packaging)
    price = product.price
    return SearchDoc(
        kind=KIND_PRODUCT, url=lang.prefix + Urls.product(product),
        title=lang.text(product, "name"), sub=lang.text(p, "name"),
        place=_place(a.commune, a.province),
        stars=product.ocop.stars, status=STATUS_LETTERS[product.status.code],
        price=price.amount if price else -1, unit=price.unit if price else "",
        thumb=thumb,
        fields=(*((NAME, n) for n in names if n), *((META, m) for m in meta if m),
                *((TEXT, t) for t in text if t)),
    )


def producer_doc(producer: Producer, thumb: str, lang: Language = VIETNAMESE) -> SearchDoc:
    a = producer.address
    label = PRODUCER_TYPE_LABELS[producer.type]
    labels = (label, lang.gettext(label)) if lang.prefix else (label,)
    meta = (*labels, a.commune, a.province, a.district_before_2025, a.street,
            *producer.supplier.standards)
    names = _both(producer, "name") if lang.prefix else (producer.name,)
    stories = _both(producer, "story") if lang.prefix else (producer.story or "",)
    return SearchDoc(
        kind=KIND_PRODUCER, url=lang.prefix + Urls.producer(producer),
        title=lang.text(producer, "name"),
        sub=lang.gettext("%(type)s · %(count)s sản phẩm") % {
            "type": lang.gettext(label), "count": len(producer.products)},
        place=_place(a.commune, a.province),
        thumb=thumb,
        fields=(*((NAME, n) for n in names if n), *((META, m) for m in meta if m),
                *((TEXT, _without_urls(s)) for s in stories if s)),
    )


def point_of_sale_doc(pos: PointOfSale, lang: Language = VIETNAMESE) -> SearchDoc:
    a = pos.address
    label = POINT_OF_SALE_KINDS[pos.kind]
    meta = [label] + ([lang.gettext(label)] if lang.prefix else []) + (
        [a.street or "", a.commune, a.province] if a else [])
    names = _both(pos, "name") if lang.prefix else (pos.name,)
    return SearchDoc(
        kind=KIND_POINT_OF_SALE, url=lang.prefix + Urls.point_of_sale(pos),
        title=lang.text(pos, "name"), sub=lang.gettext(label),
        place=_place(a.commune, a.province) if a else "",
        fields=(*((NAME, n) for n in names if n), (META, " ".join(meta)),
                (TEXT, _without_urls(pos.description or ""))),
    )


def fair_doc(fair: Fair, lang: Language = VIETNAMESE) -> SearchDoc:
    _ = lang.gettext
    when = f"{lang.date(fair.starts)} – {lang.date(fair.ends)}"
    names = _both(fair, "name") if lang.prefix else (fair.name,)
    # "hội chợ" finds every fair, in the English index "fair" too.
    kind = f"hội chợ {_('hội chợ')}" if lang.prefix else "hội chợ"
    return SearchDoc(
        kind=KIND_FAIR, url=lang.prefix + Urls.fair(fair), title=lang.text(fair, "name"),
        sub=_("Hội chợ · %(dates)s") % {"dates": when},
        place=fair.city,
        fields=(*((NAME, n) for n in names if n),
                (META, f"{kind} {fair.venue} {fair.city} {fair.organiser or ''}"),
                (TEXT, _without_urls(fair.description or ""))),
    )


def catalogue_docs(catalogue: Catalogue, page_urls: Iterable[str], product_thumb: Thumb,
                   producer_thumb: Callable[[Producer], str],
                   extra_pages: Sequence[ExtraPage] = (),
                   lang: Language = VIETNAMESE) -> list[SearchDoc]:
    """Every searchable document, products first in name order.

    Points of sale, fairs and listings are indexed only when the site has a page
    for them (``page_urls``): a result must never lead to a missing page.
    """
    _, prefix = lang.gettext, lang.prefix
    have = set(page_urls)
    docs = [product_doc(p, product_thumb(p), lang) for p in catalogue.products_sorted]
    docs += [producer_doc(p, producer_thumb(p), lang) for p in catalogue.producers_sorted]
    docs += [point_of_sale_doc(pos, lang) for pos in _by_name(catalogue.points_of_sale.values())
             if prefix + Urls.point_of_sale(pos) in have]
    docs += [fair_doc(f, lang) for f in catalogue.fairs.values()
             if prefix + Urls.fair(f) in have]
    for category in catalogue.groups.by_id.values():
        url = prefix + Urls.category(category)
        if url in have:
            count = len(catalogue.by_category.get(category.id, []))
            names = _both(category, "name") if prefix else (category.name,)
            docs.append(SearchDoc(
                kind=KIND_LISTING, url=url, title=lang.text(category, "name"),
                sub=_("Nhóm sản phẩm · %(count)s sản phẩm") % {"count": count},
                fields=(*((NAME, n) for n in names if n), (META, category.note or "")),
            ))
    for place in catalogue.places.values():
        url = prefix + Urls.place(place.slug)
        if url in have:
            docs.append(SearchDoc(
                kind=KIND_LISTING, url=url, title=_place(place.commune, place.province),
                sub=_("Địa phương · %(count)s sản phẩm") % {"count": len(place.products)},
                fields=((NAME, place.commune), (META, place.province)),
            ))
    for page in sorted(extra_pages, key=lambda p: p.url):
        docs.append(SearchDoc(kind=KIND_PAGE, url=page.url, title=page.title, sub=_("Trang"),
                              fields=((NAME, page.title), (TEXT, page.text))))
    return docs


def _by_name(items: Iterable[PointOfSale]) -> list[PointOfSale]:
    return sorted_vi(items, key=lambda x: x.name)


# --- inverted index ----------------------------------------------------------------

def tier_postings(docs: Sequence[SearchDoc]) -> tuple[dict[str, list[int]],
                                                      dict[str, list[int]]]:
    """(names and facts, descriptions only): token → encoded postings,
    ``(doc - previous doc) << 2 | weight``, docs ascending.

    Each document appears once per token, with the best weight it has for it, in the
    tier that weight decides (so the browser's merge of the two is the whole index).
    One pass, encoding as it goes: holding every (document, weight) pair first, as
    the index did before, took 375 MB (tracemalloc) for a national catalogue's 2.3
    million postings, against 21 MB.
    """
    strong: dict[str, list[int]] = {}
    text: dict[str, list[int]] = {}
    previous: dict[tuple[bool, str], int] = {}
    for number, doc in enumerate(docs):
        best: dict[str, int] = {}
        for weight, field_text in doc.fields:
            for token in tokens(field_text):
                if best.get(token, 0) < weight:
                    best[token] = weight
        for token, weight in best.items():
            high = weight > TEXT
            key = (high, token)
            (strong if high else text).setdefault(token, []).append(
                (number - previous.get(key, 0)) << 2 | weight)
            previous[key] = number
    return strong, text


def decode_postings(encoded: Sequence[int]) -> list[tuple[int, int]]:
    """(doc, weight) pairs of one token, as the browser decodes them."""
    out, number = [], 0
    for value in encoded:
        number += value >> 2
        out.append((number, value & 3))
    return out


def chunk_tokens(index: dict[str, list[int]], limit: int = CHUNK_LIMIT) -> dict[str, list[str]]:
    """Chunk key → tokens in it. A token lives in the longest key that prefixes it.

    Tokens are grouped by their first ``PREFIX_LEN`` letters; a group larger than
    ``limit`` is split by one more letter (its tokens no longer than the key stay
    in the key's own chunk), up to ``MAX_PREFIX_LEN`` letters.
    """
    chunks: dict[str, list[str]] = {}
    # Bytes of each token's entry in its chunk's JSON.
    size = {t: len(t) + 4 + len(json.dumps(v, separators=(",", ":"))) for t, v in index.items()}

    def place(key: str, members: list[str]) -> None:
        depth = len(key)
        if (depth >= MAX_PREFIX_LEN or len(members) == 1
                or sum(size[t] for t in members) <= limit):
            chunks[key] = members
            return
        groups: dict[str, list[str]] = defaultdict(list)
        for token in members:
            groups[token[:depth + 1]].append(token)
        for sub, group in groups.items():
            place(sub, group)

    first: dict[str, list[str]] = defaultdict(list)
    for token in sorted(index):
        first[token[:PREFIX_LEN]].append(token)
    for key, members in first.items():
        place(key, members)
    return dict(sorted(chunks.items()))


# --- facet columns -----------------------------------------------------------------

def _column(values: Sequence[int], size: int) -> str | list[int]:
    """A facet column: one character per product when it has at most 64 values."""
    if size <= len(ALPHABET):
        return "".join(ALPHABET[v] for v in values)
    return list(values)


def facet_files(catalogue: Catalogue, lang: Language = VIETNAMESE) -> dict[str, object]:
    """``facets.json`` and one ``p/<province>.json`` per province (finder data).

    Communes are per province so that the national finder does not download
    3,000 commune names before anyone picks a province.
    """
    products = catalogue.products_sorted
    groups = catalogue.groups
    subgroups = [c for g in groups.groups for c in groups.subgroups[g.id]]
    group_index = {g.id: i for i, g in enumerate(groups.groups)}
    sub_index = {c.id: i for i, c in enumerate(subgroups)}
    types = list(PRODUCER_TYPE_LABELS)
    provinces = sorted_vi({p.producer.address.province for p in products}
                          | {p.address.province for p in catalogue.producers.values()},
                          key=lambda name: name)
    province_index = {name: i for i, name in enumerate(provinces)}
    by_province: dict[str, list[str]] = defaultdict(list)
    for product in products:
        by_province[product.producer.address.province].append(product.producer.place_slug)
    facets = {
        "n": len(products),
        "stars": "".join(str(p.ocop.stars) for p in products),
        "status": "".join(STATUS_LETTERS[p.status.code] for p in products),
        "cat": _column([sub_index[p.subgroup.id] for p in products], len(subgroups)),
        "type": _column([types.index(p.producer.type) for p in products], len(types)),
        "prov": _column([province_index[p.producer.address.province] for p in products],
                        len(provinces)),
        "price": [p.price.amount if p.price else -1 for p in products],
        "groups": [[g.id, lang.text(g, "name")] for g in groups.groups],
        "cats": [[c.id, lang.text(c, "name"), group_index[c.parent or ""]] for c in subgroups],
        "types": [[t, lang.gettext(PRODUCER_TYPE_LABELS[t])] for t in types],
        "provs": [[slugify(name), name] for name in provinces],
    }
    files: dict[str, object] = {"facets.json": facets}
    # catalogue.places is in Vietnamese commune order already.
    slugs_by_province: dict[str, list[str]] = defaultdict(list)
    for slug, place in catalogue.places.items():
        slugs_by_province[place.province].append(slug)
    for name in provinces:
        slugs = slugs_by_province.get(name, [])
        index = {s: i for i, s in enumerate(slugs)}
        files[f"p/{slugify(name)}.json"] = {
            "places": [[s, catalogue.places[s].commune] for s in slugs],
            "idx": [index[s] for s in by_province.get(name, [])],
        }
    return files


# --- everything --------------------------------------------------------------------

def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8")


@dataclass(frozen=True)
class TokenFiles:
    """The token chunk files of both tiers: what only the documents' indexed texts
    decide (``search_cache`` keeps them between builds)."""

    #: ``t/<key>.json`` and ``x/<key>.json`` → bytes.
    files: dict[str, bytes]
    #: Chunk keys of the names-and-facts tier and of the descriptions tier.
    keys: tuple[str, ...]
    xkeys: tuple[str, ...]
    #: Distinct tokens of both tiers.
    tokens: int


def token_files(docs: Sequence[SearchDoc]) -> TokenFiles:
    """Tokenise ``docs``' indexed texts into both tiers' chunk files."""
    strong, text = tier_postings(docs)
    chunks = chunk_tokens(strong)
    text_chunks = chunk_tokens(text)
    files: dict[str, bytes] = {}
    for folder, tier, tier_chunks in (("t", strong, chunks), ("x", text, text_chunks)):
        for key, members in tier_chunks.items():
            files[f"{folder}/{key_file(key)}.json"] = _json({t: tier[t] for t in members})
    return TokenFiles(files, tuple(chunks), tuple(text_chunks),
                      len(strong.keys() | text.keys()))


def build_search_index(catalogue: Catalogue, docs: Sequence[SearchDoc],
                       lang: Language = VIETNAMESE,
                       tokens: TokenFiles | None = None) -> SearchIndex:
    """All index files for ``docs`` (from ``catalogue_docs``); deterministic bytes.
    ``tokens``: ``token_files(docs)`` if already known (kept from a build before)."""
    if tokens is None:
        tokens = token_files(docs)
    files: dict[str, bytes] = dict(tokens.files)
    for start in range(0, len(docs), SHARD_SIZE):
        files[f"d/{start // SHARD_SIZE}.json"] = _json(
            [d.record() for d in docs[start:start + SHARD_SIZE]])
    finder = facet_files(catalogue, lang)
    for path, data in finder.items():
        files[path] = _json(data)
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path] + b"\0")
    version = digest.hexdigest()[:12]
    n_products = len(catalogue.products_sorted)
    files[MANIFEST] = _json({
        "v": version,
        "docs": len(docs),
        "products": n_products,
        "shard": SHARD_SIZE,
        "keys": list(tokens.keys),
        "xkeys": list(tokens.xkeys),
        "provinces": len(finder["facets.json"]["provs"]),  # type: ignore[index]
    })
    return SearchIndex(files=dict(sorted(files.items())), version=version, docs=len(docs),
                       products=n_products, tokens=tokens.tokens)
