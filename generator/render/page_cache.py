"""Rendered pages kept between builds, reused while nothing they showed changed.

Each generated page is stored (``.cache/ocop/pages.sqlite3``) with

* its **key**: a digest of the build's settings for its language (code and
  templates, library versions, ``mkdocs.yml``, the menu, the site URL:
  ``settings_key``) and of its ``PageSpec`` (URL, template, title, description
  and the records or values it was planned with, records by identity);
* its **reads**: every record it opened while rendering, with a digest of the
  record's content (``fingerprint``), and every other fact it asked (a photo's
  variants, whether a page exists in a language, the build date or a fair's
  phase on it: ``render.clock``) with the answer — see ``reads``. Pages share
  most of theirs (a national catalogue's 70,600 pages read 2.7 million, 164,000
  of them distinct), so each read is stored once, as a line of JSON in the
  ``reads`` table, and a page lists the ids of its lines (``ReadIds``).

A later build reuses the page when its key is the same and every read gives the
same digest today; otherwise the page is rendered again. So editing one product
re-renders the pages that showed it (its page, its producer's, the listings and
cards it appears on) and no other. Tests compare a build that reused pages
with a clean build of the same sources, byte for byte.

The cache folder sits in a checkout anyone's pull request can add files to; a
stored page is HTML that would be published as it is. So every row is signed
with keyed BLAKE2b under the key ``record_cache`` keeps outside the repository (with
the id of the dictionary of the site's pages its HTML is compressed with, a keyed
digest of the dictionary's bytes: ``DICTIONARY_BYTES``); a row that does not verify
is rendered again. A
read's id is a keyed digest of its line too, checked before the line is believed.
Without a usable key nothing is cached.
"""

from __future__ import annotations

import array
import collections
import contextlib
import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import hmac
import importlib.metadata
import json
import json.scanner
import marshal
import operator
import sqlite3
import sys
import time
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

import zstandard

from .. import reads
from ..link.catalogue import Catalogue
from ..link.places import Place, Province
from ..reads import Reads
from ..source.admin_units import OfficialProvince
from ..source.record_cache import signing_key
from ..source.records import Fair, PointOfSale, Producer, Product
from .clock import DATE

CACHE_FILE = "pages.sqlite3"
#: Changes when what is stored, or how keys are made, changes.
FORMAT = 7
#: Libraries whose version changes what a page looks like.
LIBRARIES = ("mkdocs", "mkdocs-material", "jinja2", "markupsafe", "markdown", "nh3", "babel",
             "pyyaml", "pyicu-wheels", "vietnam-provinces")

#: Records a page can open: their kind and the field that identifies them across
#: builds. Everything else a page reads is reached through these, is part of its
#: spec, or is a noted fact.
RECORDS: dict[type, tuple[str, str]] = {
    Product: ("product", "id"),
    Producer: ("producer", "id"),
    PointOfSale: ("point-of-sale", "id"),
    Fair: ("fair", "id"),
    Place: ("place", "slug"),
    Province: ("province", "slug"),
    Catalogue: ("catalogue", ""),
}
#: Reference data a pinned library ships (its version is in ``LIBRARIES``): a value
#: by the fields that identify it. An address's province would otherwise bring
#: its whole list of communes into every producer's digest.
REFERENCES: dict[type, tuple[str, ...]] = {OfficialProvince: ("code", "name")}
#: Fields that never reach a page: where in its file each value was written.
_UNSHOWN = frozenset({"source"})
#: Fields left out of a record's digest because reading one is noted as a fact of
#: its own (``reads.watch``): the catalogue's date (``render.clock``), so that the
#: pages that read the catalogue (a group's listing counts its products) do not
#: all change every day.
FACT_FIELDS: dict[type, dict[str, str]] = {Catalogue: {"build_date": DATE}}

# Reads a field without the reads hook: a digest is not the page reading the record.
_get = object.__getattribute__


def watch_records() -> None:
    """Note the records pages read from now on (``reads.watch``), and the facts
    some of their fields are."""
    reads.watch(*RECORDS, facts=FACT_FIELDS)


def identity(record: Any) -> tuple[str, str]:
    """How pages note a record (``RECORDS``): its kind and its key, the same in every
    build and every process."""
    kind, field_name = RECORDS[type(record)]
    return kind, str(_get(record, field_name)) if field_name else ""


_PLAIN = frozenset({type(None), bool, int, float, str})
_FIELDS: dict[type, tuple[str, ...]] = {}

# How each type of value is made canonical, found once per type: the checks below
# ran for every value of a national catalogue's 33,000 records before.
(_SEQUENCE, _RECORD, _REFERENCE, _TEXT, _DATACLASS, _ENUM, _MAPPING, _SET, _TAGGED,
 _CODE) = range(1, 11)
_SHAPES: dict[type, int] = {}


def _shape(kind: type) -> int:
    """How values of type ``kind`` are made canonical (checked in this order: a named
    tuple is a sequence)."""
    if kind is list or kind is tuple:
        return _SEQUENCE
    if kind in RECORDS:
        return _RECORD
    if kind in REFERENCES:
        return _REFERENCE
    if issubclass(kind, enum.Enum):  # before str: a str enum's str() is its name
        return _ENUM
    if issubclass(kind, str):  # Markup
        return _TEXT
    if dataclasses.is_dataclass(kind):
        return _DATACLASS
    if issubclass(kind, (list, tuple)):
        return _SEQUENCE
    if issubclass(kind, Mapping):
        return _MAPPING
    if issubclass(kind, (set, frozenset)):
        return _SET
    if issubclass(kind, (dt.date, dt.datetime, Decimal, PurePath)):
        return _TAGGED
    if issubclass(kind, (types.FunctionType, types.BuiltinFunctionType)):
        # Code: its text is in the code key (``code_key``' folders).
        return _CODE
    # A new kind of value must be taught here, never guessed at: a wrong digest is
    # a stale page on the live site.
    raise TypeError(f"page cache: cannot fingerprint a {kind.__module__}.{kind.__qualname__}")


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(
            f.name for f in dataclasses.fields(kind)
            if not (kind in RECORDS and f.name in _UNSHOWN)
            and f.name not in FACT_FIELDS.get(kind, ()))
    return names


_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _getter(kind: type) -> Callable[[Any], tuple[Any, ...]]:
    """The fields of a dataclass that is not a record, read in one call (a national
    catalogue's digests read 290,000 of them). Not for records: their reads would be
    noted (``_get``)."""
    names = _field_names(kind)
    if len(names) == 1:
        name = names[0]
        found: Callable[[Any], tuple[Any, ...]] = lambda value: (getattr(value, name),)  # noqa: E731
    else:
        found = operator.attrgetter(*names) if names else (lambda value: ())
    _GETTERS[kind] = found
    return found


#: Shared: objects many pages' specs hold (``_SHARED_MIN`` long or more), by id,
#: with what stands for them in a page key (``page_keys``).
Shared = dict[int, tuple[Any, tuple[Any, str]]]
#: A tuple this long is written into a page key as the digest of its content: a
#: listing's links to all its pages, a map's markers. Every page of a listing held
#: the same links; a national catalogue's page keys walked 115 MB of canonical text,
#: mostly those.
_SHARED_MIN = 8


def _canonical(value: Any, top: bool = False, shared: Shared | None = None) -> Any:
    """A plain structure (tuples, strings, numbers) with the same content as ``value``;
    records other than the top one appear as their identity only. With ``shared``,
    long tuples appear as the digest of their content, made once per tuple."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    shape = _SHAPES.get(kind) or _SHAPES.setdefault(kind, _shape(kind))
    if shape == _RECORD and not top:
        return ("@", *identity(value))
    if shape == _SEQUENCE:
        if shared is not None and kind is tuple and len(value) >= _SHARED_MIN:
            found = shared.get(id(value))
            if found is None:
                content = _items(value, shared)
                # The tuple itself is kept: its id is not reused while this lives.
                # Ellipsis: no data canonicalises to it (``_shape`` refuses it).
                found = shared[id(value)] = (value, (..., _digest(content)))
            return found[1]
        return _items(value, shared)
    if shape == _DATACLASS:
        return (kind.__name__, _items((_GETTERS.get(kind) or _getter(kind))(value), shared))
    if shape == _RECORD:
        return (kind.__name__, _items([_get(value, name) for name in _field_names(kind)],
                                      shared))
    if shape == _REFERENCE:
        return (kind.__name__, "=", *[_get(value, name) for name in REFERENCES[kind]])
    if shape == _TEXT:
        return str(value)
    if shape == _ENUM:
        return (kind.__name__, value.value)
    if shape == _MAPPING:
        keys = _items(value.keys(), shared)
        return ("{", tuple(zip(keys, _items(value.values(), shared), strict=True)))
    if shape == _SET:
        return ("set", tuple(sorted(repr(_canonical(v, False, shared)) for v in value)))
    if shape == _TAGGED:
        return (kind.__name__, str(value))
    return ("fn", value.__module__, value.__qualname__)


def _items(values: Iterable[Any], shared: Shared | None) -> tuple[Any, ...]:
    """``_canonical`` of each of ``values``, as a tuple. Plain values and other records
    (by identity) are made here, without a call each: most of what a record holds,
    and all of the catalogue's tables (124,000 records nationally: the digests of a
    national catalogue's records took 1.22 s before, 0.98 s so, as a build makes them)."""
    out = []
    for value in values:
        kind = type(value)
        if kind in _PLAIN:
            out.append(value)
            continue
        named = RECORDS.get(kind)
        if named is None:
            out.append(_canonical(value, False, shared))
        else:
            name, field_name = named  # ``identity``, without its call
            out.append(("@", name, str(_get(value, field_name)) if field_name else ""))
    return tuple(out)


def _digest(canonical: Any) -> str:
    # Marshal's format 2 writes no back-references, so equal content gives equal
    # bytes whatever objects it shares. It takes a third of repr's time; with the
    # structures made, a national catalogue's digests and page keys 2.70 s, not 3.53.
    return hashlib.blake2b(marshal.dumps(canonical, 2), digest_size=16).hexdigest()


def fingerprint(value: Any) -> str:
    """Digest of ``value``'s content (a record: its own fields, other records by id)."""
    return _digest(_canonical(value, top=True))


def code_key(folders: Iterable[Path]) -> str:
    """Digest of the code pages are made with: the files of ``folders`` (our code,
    templates and catalogues), Python and library versions. Read once a build."""
    h = hashlib.blake2b(f"{FORMAT}\0{sys.version}".encode(), digest_size=20)
    for name in LIBRARIES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            h.update(f"\0{name}={importlib.metadata.version(name)}".encode())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0"
                         + path.read_bytes())
    return h.hexdigest()


def settings_key(code: str, parts: Iterable[bytes | str]) -> str:
    """Digest of what every page of a language depends on besides its own data:
    ``code`` (``code_key``) and ``parts`` (the adapter's: mkdocs.yml, the menu, the
    site URL …; not the date, which pages note as they read it)."""
    h = hashlib.blake2b(code.encode(), digest_size=20)
    for part in parts:
        h.update(b"\0" + (part.encode() if isinstance(part, str) else part))
    return h.hexdigest()


def spec_digests(specs: Iterable[Any]) -> list[str]:
    """The digest of each page's spec, whose long tuples count by content (made once
    however many specs share them)."""
    shared: Shared = {}
    return [_digest(_canonical(spec, True, shared)) for spec in specs]


def page_keys(settings: Mapping[str, str], specs: Sequence[Any],
              digests: Sequence[str] | None = None) -> list[str]:
    """Each page's key: the settings of its language (``spec.language``) and its
    spec's digest (``digests``: ``spec_digests(specs)``, made here when not given)."""
    if digests is None:
        digests = spec_digests(specs)
    return [hashlib.blake2b(f"{settings[spec.language]}\0{digest}".encode(),
                            digest_size=20).hexdigest()
            for spec, digest in zip(specs, digests, strict=True)]


def file_key(settings: str, site_path: str, inputs: tuple[Any, ...]) -> str:
    """The key of a file a writer makes (``write/kept_files.py``): the build's
    ``settings``, the file's path and what the writer made it of (``inputs``: records
    by identity, since what is read of them is noted; anything else by content)."""
    return hashlib.blake2b(f"{settings}\0{site_path}\0{_digest(_canonical(inputs))}".encode(),
                           digest_size=20).hexdigest()


def _records_of(catalogue: Catalogue) -> dict[tuple[str, str], Any]:
    """The catalogue and its records by the identity pages note them by (RECORDS)."""
    records: dict[tuple[str, str], Any] = {("catalogue", ""): catalogue}
    for table in (catalogue.products, catalogue.producers, catalogue.points_of_sale,
                  catalogue.fairs, catalogue.places, catalogue.provinces):
        for record in table.values():
            records[identity(record)] = record
    return records


def record_digests(catalogue: Catalogue) -> list[str]:
    """``fingerprint`` of every record of ``World(catalogue)``, in its order."""
    return [fingerprint(record) for record in _records_of(catalogue).values()]


#: Every answer of a fact that has many: (its arguments, its answer) each (``World``).
FactListing = Callable[[], Iterable[tuple[tuple[str, ...], str]]]


class World:
    """Today's answers to what cached pages read: records by identity (``catalogue``)
    and facts (``facts``: kind -> function of the fact's arguments giving the
    answer, None when it has none today). ``listings`` give, for a fact asked of
    many things (a page of each URL, a photo of each file), every answer it has
    today at once (each must be what ``facts`` answers: tested): see ``listed``."""

    def __init__(self, catalogue: Catalogue,
                 facts: Mapping[str, Callable[..., str | None]],
                 listings: Mapping[str, FactListing] | None = None) -> None:
        self.records = _records_of(catalogue)
        self.facts = facts
        self.listings = listings or {}
        self._digests: dict[tuple[str, str], str | None] = {}
        # Reads found true this build, as stored (a line of JSON each). Pages and
        # files share most of theirs (a producer, its places, the photos of its
        # products): each is parsed and checked once (a national rebuild's pages
        # list 2.69 million reads, about 164,000 of them distinct).
        self._true: set[str] = set()

    def take_digests(self, digests: list[str]) -> bool:
        """Take ``record_digests`` of this world's catalogue, made elsewhere (in the
        same order: the same catalogue, as linked); False, and nothing taken, when they
        cannot be its records' (not as many)."""
        if len(digests) != len(self.records):
            return False
        self._digests.update(zip(self.records, digests, strict=True))
        return True

    def record_digest(self, kind: str, key: str) -> str | None:
        found = self._digests.get((kind, key), "")
        if found == "":
            record = self.records.get((kind, key))
            found = None if record is None else fingerprint(record)
            self._digests[(kind, key)] = found
        return found

    def digest_of(self, record: Any) -> str:
        """``fingerprint(record)``, made once a build for a record of this world (the
        reuse check has made most of them by the time pages and files note theirs).
        Records are not changed once linked (nothing after ``link`` assigns to one):
        a digest made at the check is the record's all build."""
        kind_key = identity(record)
        if self.records.get(kind_key) is record:
            found = self.record_digest(*kind_key)
            if found is not None:
                return found
        return fingerprint(record)

    def listed(self) -> list[str]:
        """Reads that hold today, as stored (``read_lines``), listed without being
        asked: every record with its digest, every answer of the ``listings``. The
        check of a national rebuild's pages asked 164,000 stored lines one by one
        (each read, parsed and answered); nearly all are among these, known true
        without reading them (``PageCache.reusable``)."""
        items = [["@", kind, key, digest] for (kind, key) in self.records
                 if (digest := self.record_digest(kind, key)) is not None]
        for kind, listing in self.listings.items():
            items.extend([kind, *args, answer] for args, answer in listing())
        lines = read_lines(items)
        self._true.update(lines)
        return lines

    def still_true(self, lines: list[str]) -> bool:
        """True when every read (``lines``: as ``read_lines`` makes them) gives today
        what it gave when the page or file was made."""
        items = set(lines)
        if items <= self._true:
            return True
        return all(self.holds(line) for line in items - self._true)

    def holds(self, line: str) -> bool:
        """True when one read (a line of ``read_lines``) gives today what it gave then.
        Raises ValueError on a line that is not JSON (and may raise TypeError,
        IndexError, KeyError or RecursionError on a damaged one)."""
        if line in self._true:
            return True
        item = _parsed(line)
        if not (isinstance(item, list) and len(item) >= 2
                and all(isinstance(part, str) for part in item)):
            return False
        if not self._holds(tuple(item)):
            return False
        self._true.add(line)
        return True

    def _holds(self, item: tuple[str, ...]) -> bool:
        kind, *args, answer = item
        if kind == "@":
            return self.record_digest(args[0], args[1]) == answer
        ask = self.facts.get(kind)
        return ask is not None and ask(*args) == answer


#: JSON's own scanner: one value at the start of a text, and where it ends.
_SCAN = json.scanner.make_scanner(json.JSONDecoder())


def _parsed(line: str) -> Any:
    """The JSON value that ``line`` is exactly (no space around it, as ``read_lines``
    writes them); raises ValueError otherwise. ``json.loads`` without its cost per
    call: 164,000 lines of a national rebuild's shape took 0.47 s with it, 0.10 s so
    (parsing alone; not resolved in whole builds on a noisy machine)."""
    try:
        value, end = _SCAN(line, 0)
    except StopIteration:  # no value begins there
        raise ValueError("not a JSON value") from None
    if end != len(line):
        raise ValueError("more than one JSON value")
    return value


def reads_list(reads: Reads, digest_of: Callable[[Any], str]) -> list[list[str]]:
    """The JSON-able list of a page's reads (``digest_of``: ``fingerprint`` or a memo
    of it, such as ``World.digest_of``)."""
    out: list[list[str]] = []
    for record in reads.records.values():
        out.append(["@", *identity(record), digest_of(record)])
    out.extend([*fact, answer] for fact, answer in reads.facts.items())
    out.sort()
    return out


@dataclasses.dataclass(frozen=True)
class Stored:
    """A page as rendered: HTML and what it read."""

    url: str
    key: str
    reads: bytes  # the ids of its reads' lines (``ReadIds``)
    html: bytes  # Zstandard
    #: (id, line) of the reads this process had not handed over with a page before.
    lines: tuple[tuple[int, str], ...] = ()


def read_lines(reads: list[list[str]]) -> list[str]:
    """Reads (``reads_list``) as stored: a line of JSON each, as ``World.holds`` takes
    them (``json.dumps`` with no space and no escaped letter)."""
    return [_read_line(item) for item in reads]


#: How ``json.dumps(..., ensure_ascii=False)`` writes a string (JSON's C function).
_JSON_STRING = json.encoder.encode_basestring


def _read_line(item: list[str]) -> str:
    """``item`` as ``json.dumps`` writes it, by the function it writes a string with:
    a list of strings in a quarter of ``json.dumps``'s time (143,000 lines by
    ``timeit``: 0.10 s against 0.41 s; a national build's world lists 183,500)."""
    try:
        return "[" + ",".join(map(_JSON_STRING, item)) + "]"
    except TypeError:  # not a string: a read that never holds, written as it is
        return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def _ids_bytes(ids: list[int]) -> bytes:
    packed = array.array("q", ids)
    if sys.byteorder == "big":  # stored little-endian, whatever the machine
        packed.byteswap()
    return packed.tobytes()


def _ids_of(blob: Any) -> array.array[int] | None:
    """The ids a stored page lists; None for anything else."""
    if not isinstance(blob, bytes) or len(blob) % 8 or len(blob) > MAX_READS:
        return None
    ids = array.array("q")
    ids.frombytes(blob)
    if sys.byteorder == "big":
        ids.byteswap()
    return ids


class ReadIds:
    """Ids for reads' lines: a 64-bit keyed BLAKE2b digest of the line, so that a line
    is believed only when it gives its id (the ``reads`` table is not signed row by
    row; a forged or damaged line is a page rendered again). Each process that packs
    pages (the build, each worker) hands each new line over once, with the first page
    that reads it."""

    def __init__(self, key: bytes, known: Iterable[tuple[int, str]] = (),
                 dictionary: bytes = b"") -> None:
        self.key = key
        # Pages are compressed with ``dictionary`` (``PageCache.dictionary``; b"": none).
        self._compress = _compressor(dictionary).compress
        #: Lines given an id here, or known stored: line -> id.
        self.given: dict[str, int] = {line: i for i, line in known}
        #: The id of the read of each record met here (by ``id()``, kept with the
        #: record so that the id is not another's) and of each fact with its answer
        #: (``pack_read``). Pages read the same ones (a producer, its places, the
        #: date); making every page's lines again, a list, a sort and a JSON text
        #: each, was 4 % of the CPU time of a national build that stores every page.
        self._records: dict[int, tuple[Any, int]] = {}
        self._facts: dict[tuple[tuple[str, ...], str], int] = {}

    def line_id(self, line: str) -> int:
        digest = hashlib.blake2b(line.encode(), key=self.key, digest_size=8,
                                 person=b"ocop-read").digest()
        return int.from_bytes(digest, "little", signed=True)

    def pack(self, url: str, key: str, html: str | bytes, reads: list[list[str]]) -> Stored:
        """A rendered page (its HTML, as text or as written: UTF-8), ready to store
        (compressed where it was rendered)."""
        new: list[tuple[int, str]] = []
        return self._stored(url, key, html, {self._id(line, new) for line in read_lines(reads)},
                            new)

    def pack_read(self, url: str, key: str, html: str | bytes, seen: Reads,
                  digest_of: Callable[[Any], str]) -> Stored:
        """``pack(url, key, html, reads_list(seen, digest_of))``, each record's and each
        fact's line made once in this process. A record's digest is the same all
        build: records are not changed once linked (``World.digest_of``), nor are the
        values pages read that are not the world's records (before, such a value was
        fingerprinted again for each page). The memo keeps each record it names, so
        its ``id()`` is not another object's while it lives."""
        new: list[tuple[int, str]] = []
        ids: set[int] = set()
        records, facts = self._records, self._facts
        for address, record in seen.records.items():
            known = records.get(address)
            if known is None or known[0] is not record:
                line = _read_line(["@", *identity(record), digest_of(record)])
                known = records[address] = (record, self._id(line, new))
            ids.add(known[1])
        for fact, answer in seen.facts.items():
            found = facts.get((fact, answer))
            if found is None:
                found = facts[(fact, answer)] = self._id(_read_line([*fact, answer]), new)
            ids.add(found)
        return self._stored(url, key, html, ids, new)

    def _id(self, line: str, new: list[tuple[int, str]]) -> int:
        """The id of ``line``; a line given one here for the first time joins ``new``."""
        found = self.given.get(line)
        if found is None:
            found = self.given[line] = self.line_id(line)
            new.append((found, line))
        return found

    def _stored(self, url: str, key: str, html: str | bytes, ids: set[int],
                new: list[tuple[int, str]]) -> Stored:
        data = html if isinstance(html, bytes) else html.encode()
        return Stored(url, key, _ids_bytes(sorted(ids)), self._compress(data), tuple(new))


#: Stored lines the check reads one query each (``PageCache._line``), before it
#: reads them all at once.
LINES_ONE_BY_ONE = 2_000
#: The tables this code writes; a file with any other is not ours (or is damaged).
#: A page's HTML has a table of its own: the check at the start of a build reads every
#: row of ``pages``, and a row's columns after a long HTML are stored after it, on
#: overflow pages SQLite reads one by one (nationally the check read the whole
#: 534 MB file; now 33 MB).
#: A page's HTML is compressed with the dictionary (``dicts``) its row names (0: none).
SCHEMA = {
    "pages": ("CREATE TABLE pages (url TEXT PRIMARY KEY NOT NULL, key TEXT NOT NULL, "
              "reads BLOB NOT NULL, dict INTEGER NOT NULL, mac BLOB NOT NULL)"),
    "html": "CREATE TABLE html (url TEXT PRIMARY KEY NOT NULL, html BLOB NOT NULL)",
    "reads": "CREATE TABLE reads (id INTEGER PRIMARY KEY NOT NULL, line TEXT NOT NULL)",
    "dicts": ("CREATE TABLE dicts (id INTEGER PRIMARY KEY NOT NULL, made INTEGER NOT NULL, "
              "data BLOB NOT NULL)"),
}
#: Larger stored values are not unpacked (a page is ~20 KB, its reads a few hundred
#: ids).
MAX_HTML = 16 << 20
MAX_READS = 4 << 20
#: Bytes of a row's signature.
MAC_SIZE = 32
#: The lines no page lists any more are deleted (``PageCache.commit``) once the table
#: holds more than twice the lines a build looked at or added, plus this many.
SPARE_LINES = 20_000
#: A site's pages share most of their bytes (Material's header, the menu, the footer):
#: pages are compressed with a dictionary of the site's own pages, one of each of the
#: ``DICTIONARY_PAGES`` parts of the site (``_section``) that have most pages, up to
#: ``DICTIONARY_BYTES``. Made when a build has stored at
#: least ``DICTIONARY_MIN_PAGES`` pages and half the pages kept (the first build, or
#: one after a change to mkdocs.yml or the theme); the pages of later builds are
#: compressed with it. National pages (21.7 KB): 53 µs and 7.8 % of their bytes
#: with it, 92 µs and 28.7 % without (450 pages of each kind, Zstandard level 1).
DICTIONARY_BYTES = 128 << 10
DICTIONARY_PAGES = 8
DICTIONARY_MIN_PAGES = 64


def _schema_of(db: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return sorted(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"),
                  key=repr)


def _schema(tables: Mapping[str, str]) -> list[tuple[Any, ...]]:
    """Everything ``tables`` make (the tables and the index SQLite adds for a primary
    key), as ``_schema_of`` lists it."""
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        for sql in tables.values():
            db.execute(sql)
        return _schema_of(db)


def open_own(path: Path, tables: Mapping[str, str]) -> sqlite3.Connection | None:
    """A connection to the cache file ``path``, made with ``tables`` if missing; a
    file that is not ours (another table, an index, a trigger that drops what is
    stored; damaged; an older format) is started again; None for a link, or when it
    cannot be made."""
    for attempt in range(2):
        if path.is_symlink():
            return None
        db = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30)
            found = _schema_of(db)
            if not found:
                for sql in tables.values():
                    db.execute(sql)
                db.commit()
            elif found != _schema(tables):
                raise sqlite3.DatabaseError("not a cache file of ours")
            return db
        except (sqlite3.Error, OSError):
            if db is not None:
                db.close()
            if attempt:
                return None
            with contextlib.suppress(OSError):
                path.unlink()
    return None


def open_read_only(path: Path) -> sqlite3.Connection | None:
    """A connection that reads the cache file ``path`` and changes nothing; None when
    it is missing, a link, or not ours (another schema: the build starts it again)."""
    if path.is_symlink():
        return None
    db = None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        if _schema_of(db) == _schema(SCHEMA):
            return db
    except (sqlite3.Error, OSError, ValueError):
        pass
    if db is not None:
        db.close()
    return None


def _row_identity(key: str, page_reads: bytes, mac: bytes) -> bytes:
    """Which stored row a page's HTML came from. A kept site's copy of a page is
    reused without reading the row's HTML: the key and reads checked in this build
    must be the very ones the signature, checked when the page was written, covered
    (a row made of another row's signature and fresh reads is not the same row).
    A row is accepted only with this build's key (hex digits: no NUL) and a signature
    of ``MAC_SIZE`` bytes: the parts cannot run into each other."""
    return hashlib.blake2b(key.encode() + b"\0" + mac + page_reads, digest_size=20).digest()


def _damaged(error: sqlite3.Error) -> bool:
    """Whether ``error`` says the file is damaged, not busy with another build."""
    return getattr(error, "sqlite_errorcode", None) not in (sqlite3.SQLITE_BUSY,
                                                             sqlite3.SQLITE_LOCKED)


def _zstd_dictionary(data: bytes) -> zstandard.ZstdCompressionDict | None:
    """``data`` as a dictionary of raw content (any bytes: pages' own text); None
    for none."""
    return zstandard.ZstdCompressionDict(data, dict_type=zstandard.DICT_TYPE_RAWCONTENT) \
        if data else None


@functools.lru_cache(maxsize=2)
def _compressor(dictionary: bytes = b"") -> zstandard.ZstdCompressor:
    """One per process and dictionary (a forked worker uses the build's): Zstandard at
    level 1 packs a national page (18.7 KB) in 35 µs where zlib at level 1 took 147 µs,
    to the same size (a third); with ``dictionary`` (``DICTIONARY_BYTES``), faster and
    to a quarter of that."""
    # With a checksum: a frame unpacked with another dictionary than its own fails.
    return zstandard.ZstdCompressor(level=1, dict_data=_zstd_dictionary(dictionary),
                                    write_checksum=True)


@functools.lru_cache(maxsize=4)
def _decompressor(dictionary: bytes = b"") -> zstandard.ZstdDecompressor:
    """One per process and dictionary: a dictionary is loaded once, not once a page."""
    return zstandard.ZstdDecompressor(dict_data=_zstd_dictionary(dictionary))


def _unzip(blob: Any, limit: int, dictionary: bytes = b"") -> bytes | None:
    """``blob`` decompressed (with ``dictionary``, if any), None when it is not a
    Zstandard frame of at most ``limit`` bytes (its size, written in the frame, is
    read before anything is)."""
    if not isinstance(blob, bytes):
        return None
    try:
        size = zstandard.frame_content_size(blob)
        if not 0 <= size <= limit:
            return None
        data = _decompressor(dictionary).decompress(blob, max_output_size=limit)
    except zstandard.ZstdError:
        return None
    return data if len(data) == size else None


def _section(url: str) -> str:
    """The part of the site a page belongs to, for the dictionary's samples: its URL
    without its last folder ('san-pham/x/' -> 'san-pham', 'en/san-pham/x/' ->
    'en/san-pham')."""
    return url.rstrip("/").rpartition("/")[0]


@dataclasses.dataclass
class Scan:
    """What ``PageCache.scan`` found: the stored pages whose key is this build's."""

    #: Those whose every read was listed: URL -> the row's identity.
    found: dict[str, bytes] = dataclasses.field(default_factory=dict)
    #: The others: URL -> the row's identity, the ids of its reads not listed.
    pending: dict[str, tuple[bytes, list[int]]] = dataclasses.field(default_factory=dict)
    #: The stored lines of those ids (bytes as stored; missing: none stored).
    lines: dict[int, Any] = dataclasses.field(default_factory=dict)
    #: The URLs of every stored page.
    stored: set[str] = dataclasses.field(default_factory=set)
    #: The listed lines stored already: their places in the list, and their ids.
    believed_at: list[int] = dataclasses.field(default_factory=list)
    believed_ids: list[int] = dataclasses.field(default_factory=list)
    #: How many lines the reads table holds.
    line_count: int = 0
    #: Whether the file was found damaged (to be started again).
    damaged: bool = False


@dataclasses.dataclass
class Check:
    """What ``PageCache.check`` found: all a build keeps of its reuse check."""

    #: The rows found reusable: URL -> the row's identity (``_row_identity``).
    found: dict[str, bytes]
    #: The URLs of every stored page.
    stored: set[str]
    #: Stored lines found true (``ReadIds``' known lines), by id.
    believed: dict[int, str]
    #: Ids of the stored lines found true, or not true, one by one.
    true: set[int]
    false: set[int]
    #: How many lines the reads table holds; how many of them the world listed.
    line_count: int
    listed_stored: int
    #: Whether the file was found damaged (to be started again).
    damaged: bool


class PageCache:
    """The stored pages of a project: ``reusable`` at the start of a build, ``html``
    for each page found unchanged, ``add`` and ``commit`` for the pages rendered.

    Any problem with the file (damaged, locked, not ours) is a page, or every page,
    rendered again: never a failed build."""

    def __init__(self, db: sqlite3.Connection, key: bytes, path: Path | None = None) -> None:
        self.db = db
        self.key = key
        #: The file ``db`` is connected to, when known (a process of its own scans it:
        #: ``render/check_apart.py``).
        self.path = path
        #: The dictionary this build's pages are compressed with: the newest stored
        #: that is ours (``DICTIONARY_BYTES``, ``_dictionary_id``); (0, b"") for none.
        self.dictionary: tuple[int, bytes] = self._newest_dictionary()
        #: Dictionaries of stored rows, by id, as read (b"": not one of ours).
        self._dictionaries: dict[int, bytes] = {0: b""}
        self._dictionaries[self.dictionary[0]] = self.dictionary[1]
        #: For the next dictionary: the first page of each part of the site this build
        #: stores (``_section`` -> its URL), and how many pages of each.
        self._samples: dict[str, str] = {}
        self._section_pages: collections.Counter[str] = collections.Counter()
        #: Pages this build stored.
        self._stored_now = 0
        #: Ids of this process's reads (``ReadIds``); once ``reusable`` has checked
        #: them, it knows the stored lines it believed.
        self.ids = ReadIds(key, dictionary=self.dictionary[1])
        #: Pages stored by earlier builds.
        self.stored: set[str] = set()
        #: The rows ``reusable`` accepted: URL -> the row's identity (``_row_identity``).
        self.checked: dict[str, bytes] = {}
        #: URL -> identity of the row whose HTML this build has for the page (one
        #: checked, or one added): which page a kept site holds (adapter/kept_site.py).
        self.identities: dict[str, bytes] = {}
        #: Ids of stored reads the check found true (believed: they gave their ids),
        #: and found not true, today, one by one (``settle``).
        self._true: set[int] = set()
        self._false: set[int] = set()
        #: How many stored lines the world listed (counted as looked at, for ``commit``).
        self._listed_stored = 0
        #: How many lines the reads table holds, about (as counted, plus those added).
        self._line_count = 0
        #: Ids the pages added in this build list; ids of the lines it stored.
        self._added: set[int] = set()
        self._inserted: set[int] = set()
        #: Lines whose storing failed, tried again with the next pages added.
        self._pending: list[tuple[int, str]] = []
        #: Whether reading a page's HTML found the file damaged (``commit`` empties it).
        self._damaged = False

    @classmethod
    def open(cls, cache_dir: Path, project: Path) -> PageCache | None:
        """The cache of ``cache_dir``; None when pages cannot be kept (no signing key
        outside ``project``, a folder that cannot be written, a file not ours)."""
        key = signing_key(project)
        if key is None:
            return None
        path = cache_dir / CACHE_FILE
        db = open_own(path, SCHEMA)
        return None if db is None else cls(db, key, path)

    def reusable(self, keys: Mapping[str, str], world: World) -> set[str]:
        """The pages (URL -> key of this build) whose stored copy can be reused: same
        key, every read unchanged (the HTML and its signature are checked when read).
        ``adopt(check(keys, world))``: a build may scan in a process of its own while
        it does other work (``render/check_apart.py``), settle and adopt the answer."""
        return self.adopt(self.check(keys, world))

    def check(self, keys: Mapping[str, str], world: World) -> Check:
        """What ``reusable`` finds, without keeping it (``adopt`` does):
        ``settle(scan(keys, world.listed()), world)``."""
        made: list[list[str]] = []

        def listed() -> list[str]:
            if not made:
                made.append(world.listed())
            return made[0]
        scan = self.scan(keys, listed)
        return self.settle(scan, made[0] if made else [], world)

    def scan(self, keys: Mapping[str, str], listed: Callable[[], Sequence[str]]) -> Scan:
        """The stored pages whose key is in ``keys`` (URL -> key of this build), and
        which of their reads are among the lines ``listed`` gives (``World.listed``:
        lines that hold today; asked once, when the first stored page's key is this
        build's), without the world: a process of its own can scan
        (``render/check_apart.py``).

        A read whose id is that of a listed line holds: the id is a keyed 64-bit
        digest of its line (another line's id is the same by a chance of 2^-64: about
        1e-11 a national build). The other reads' stored lines are read (by id) for
        ``settle`` to check. Pages are read one at a time (a national catalogue's rows
        are tens of MB)."""
        scan = Scan()
        known: set[int] | None = None
        try:
            # The ids alone (one pass over the table, as counting them is): which
            # listed reads are stored already.
            stored_ids = {i for (i,) in self.db.execute("SELECT id FROM reads")}
            scan.line_count = len(stored_ids)
            for url, key, blob, dictionary, mac in self.db.execute(
                    "SELECT url, key, reads, dict, mac FROM pages"):
                scan.stored.add(url)
                if keys.get(url) != key or not isinstance(key, str):
                    continue
                # Not yet verified: a damaged or forged list is a page rendered again,
                # as one whose dictionary is not ours (by the workers, not one by one
                # when MkDocs asks for its HTML).
                page_ids = _ids_of(blob)
                if (page_ids is None or not isinstance(mac, bytes) or len(mac) != MAC_SIZE
                        or not isinstance(dictionary, int)
                        or self._dictionary(dictionary) is None):
                    continue
                if known is None:
                    line_id = self.ids.line_id
                    ids = [line_id(line) for line in listed()]
                    known = set(ids)
                    at = [k for k, i in enumerate(ids) if i in stored_ids]
                    scan.believed_at, scan.believed_ids = at, [ids[k] for k in at]
                    # The listed ids' set stays (8 MiB nationally) till the scan ends.
                    del stored_ids, ids
                identity = _row_identity(key, blob, mac)
                if known.issuperset(page_ids):
                    scan.found[url] = identity
                else:
                    scan.pending[url] = (identity, sorted(set(page_ids) - known))
            scan.lines = self._lines_of({i for _, rest in scan.pending.values() for i in rest})
        except sqlite3.Error as error:
            scan.found, scan.pending, scan.lines = {}, {}, {}
            scan.believed_at, scan.believed_ids = [], []
            # A URL that is not UTF-8 …: started again by ``adopt``, or every build
            # would render every page.
            scan.damaged = _damaged(error)
        return scan

    def stored_with(self, keys: Mapping[str, str]) -> int:
        """How many of the pages ``keys`` names (URL -> key) are stored with that key
        (none, when the file cannot be read)."""
        try:
            return sum(1 for url, key in keys.items() if self.db.execute(
                "SELECT 1 FROM pages WHERE url = ? AND key = ?", (url, key)).fetchone())
        except sqlite3.Error:
            return 0

    def _lines_of(self, wanted: set[int]) -> dict[int, Any]:
        """The stored lines of ids ``wanted``, as bytes (a line that is not UTF-8 is one
        not believed, not a file that cannot be read). One query each while few are
        asked (a national rebuild asks about 300); else every line at once (164,000
        lines, 12 MB), as a check did before lines were listed."""
        if len(wanted) <= LINES_ONE_BY_ONE:
            found = {}
            for i in wanted:
                row = self.db.execute("SELECT CAST(line AS BLOB) FROM reads WHERE id = ?",
                                      (i,)).fetchone()
                if row is not None:
                    found[i] = row[0]
            return found
        return {i: line for i, line in self.db.execute("SELECT id, CAST(line AS BLOB) FROM reads")
                if i in wanted}

    def settle(self, scan: Scan, listed: Sequence[str], world: World) -> Check:
        """The check of ``scan`` (of the lines ``listed``): each page it left pending
        holds when every read of it not listed gives today what it gave then, its
        stored line checked (each line once a build)."""
        found = dict(scan.found)
        true: dict[int, str] = {}
        false: set[int] = set()
        for url, (identity, rest) in scan.pending.items():
            for i in rest:
                if i in true:
                    continue
                if i in false:
                    break
                raw = scan.lines.get(i)
                try:
                    line = raw.decode() if isinstance(raw, bytes) else None
                    holds = (line is not None and self.ids.line_id(line) == i
                             and world.holds(line))
                # (A UnicodeDecodeError is a ValueError.)
                except (ValueError, TypeError, IndexError, KeyError, RecursionError):
                    holds = False
                if not holds:
                    false.add(i)
                    break
                true[i] = line  # type: ignore[assignment]
            else:
                found[url] = identity
        believed = {i: listed[k] for k, i in zip(scan.believed_at, scan.believed_ids,
                                                 strict=True)}
        believed.update(true)
        return Check(found, scan.stored, believed, set(true), false, scan.line_count,
                     len(scan.believed_at), scan.damaged)

    def adopt(self, check: Check) -> set[str]:
        """Keep what ``check`` found (its scan here or in a process of its own): the
        pages it found reusable, by URL."""
        self.stored |= check.stored
        self.checked.update(check.found)
        self.identities.update(check.found)
        self._true |= check.true
        self._false |= check.false
        self._line_count, self._listed_stored = check.line_count, check.listed_stored
        if check.damaged:
            self._empty()  # done when this build commits
        # Lines believed need not be handed over again (forked workers inherit this).
        self.ids = ReadIds(self.key, check.believed.items(), self.dictionary[1])
        return set(check.found)

    def html(self, url: str) -> str | None:
        """The stored HTML of ``url``: the row ``reusable`` accepted, signed; else None
        (the page is rendered again)."""
        data = self.data(url)
        try:
            return None if data is None else data.decode()
        except UnicodeDecodeError:
            return None

    def data(self, url: str) -> bytes | None:
        """``html`` as stored: the page's bytes as written (``adapter.parallel``'s
        ``output_bytes``, or the UTF-8 of the text ``pack`` was given)."""
        checked = self.checked.get(url)
        if checked is None:
            return None
        try:
            row = self.db.execute("SELECT key, reads, html, mac, dict FROM pages JOIN html "
                                  "USING (url) WHERE url = ?", (url,)).fetchone()
        except sqlite3.Error as error:
            # The check never reads the HTML's table: damage there shows here. Started
            # again when this build commits, or its pages would be rendered every build.
            self._damaged = self._damaged or _damaged(error)
            return None
        # The row read now is the row checked then (another build may have replaced it).
        if (row is None or not isinstance(row[0], str)
                or not all(isinstance(v, bytes) for v in row[1:4])
                or not isinstance(row[4], int)
                or _row_identity(row[0], row[1], row[3]) != checked):
            return None
        stored = Stored(url, row[0], row[1], row[2])
        if not hmac.compare_digest(row[3], self._mac(stored, row[4])):
            return None
        dictionary = self._dictionary(row[4])
        if dictionary is None:
            return None
        return _unzip(stored.html, MAX_HTML, dictionary)

    def _mac(self, page: Stored, dictionary: int) -> bytes:
        # Keyed BLAKE2 is a MAC by design, and cheaper per page than HMAC-SHA256.
        h = hashlib.blake2b(key=self.key, digest_size=MAC_SIZE)
        for part in (page.url.encode(), page.key.encode(), page.reads, page.html,
                     str(dictionary).encode()):
            h.update(len(part).to_bytes(8, "big") + part)
        return h.digest()

    def _dictionary_id(self, data: bytes) -> int:
        """A dictionary's id: a keyed digest of its bytes (1 to 2^62). A row's signature
        covers the id of its dictionary, and so the dictionary's bytes; no id is given
        to two dictionaries, and none can be made outside this machine."""
        digest = hashlib.blake2b(data, key=self.key, digest_size=8, person=b"ocop-dict")
        return (int.from_bytes(digest.digest(), "little") >> 2) + 1

    def _dictionary(self, ident: int) -> bytes | None:
        """The stored dictionary ``ident`` (b"" for 0); None when it is missing or not
        ours (its id is not its bytes' ``_dictionary_id``), or the file cannot be read
        now (then asked again next time)."""
        found = self._dictionaries.get(ident)
        if found is None:
            try:
                row = self.db.execute("SELECT data FROM dicts WHERE id = ?",
                                      (ident,)).fetchone()
            except sqlite3.Error:
                return None
            ours = (row is not None and isinstance(row[0], bytes)
                    and len(row[0]) <= DICTIONARY_BYTES and self._dictionary_id(row[0]) == ident)
            found = self._dictionaries[ident] = row[0] if ours else b""
        return found if found or not ident else None

    def _newest_dictionary(self) -> tuple[int, bytes]:
        """The stored dictionary made last that is ours; (0, b"") for none."""
        with contextlib.suppress(sqlite3.Error):
            for ident, data in self.db.execute(
                    "SELECT id, data FROM dicts WHERE length(data) <= ? ORDER BY made DESC",
                    (DICTIONARY_BYTES,)):
                if isinstance(data, bytes) and self._dictionary_id(data) == ident:
                    return ident, data
        return 0, b""

    def pack(self, url: str, key: str, html: str | bytes, reads: list[list[str]]) -> Stored:
        """A page rendered in this process, ready to ``add`` (``ReadIds.pack``)."""
        return self.ids.pack(url, key, html, reads)

    def pack_read(self, url: str, key: str, html: str | bytes, seen: Reads,
                  digest_of: Callable[[Any], str]) -> Stored:
        """A page rendered in this process, ready to ``add`` (``ReadIds.pack_read``)."""
        return self.ids.pack_read(url, key, html, seen, digest_of)

    def add(self, pages: Iterable[Stored]) -> None:
        """Store pages rendered in this build (kept once ``commit`` is called)."""
        pages = list(pages)
        dictionary = self.dictionary[0]
        rows = [(p.url, p.key, p.reads, dictionary, self._mac(p, dictionary)) for p in pages]
        for url, key, page_reads, _, mac in rows:
            self.identities[url] = _row_identity(key, page_reads, mac)
            self._added.update(_ids_of(page_reads) or ())
        self._stored_now += len(pages)
        for page in pages:
            section = _section(page.url)
            self._samples.setdefault(section, page.url)
            self._section_pages[section] += 1
        # A line stored but not believed (forged, or not looked at) is written again.
        lines = self._pending + [(i, line) for p in pages for i, line in p.lines
                                 if i not in self._true and i not in self._inserted]
        try:
            self.db.executemany("INSERT OR REPLACE INTO reads VALUES (?, ?)", lines)
        except sqlite3.Error:
            # Handed over once by their workers: kept to try again, or the pages that
            # list them would be rendered again by every build until one reads them.
            self._pending = lines
        else:
            self._pending = []
            self._line_count += len(lines)
            self._inserted.update(i for i, _ in lines)
        # A page not kept is rendered again by the next build.
        with contextlib.suppress(sqlite3.Error):
            self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)", rows)
            self.db.executemany("INSERT OR REPLACE INTO html VALUES (?, ?)",
                                [(p.url, p.html) for p in pages])

    def commit(self, urls: set[str]) -> None:
        """Keep this build's pages; forget the pages the site no longer has, and the
        lines of reads no page lists when they have piled up."""
        if self._pending:
            self.add([])
        if self._damaged:
            self._empty()
        try:
            gone = [(url,) for url in self.stored if url not in urls]
            self.db.executemany("DELETE FROM pages WHERE url = ?", gone)
            self.db.executemany("DELETE FROM html WHERE url = ?", gone)
            # Most ids this build's pages list were looked at or added in it (not all:
            # a page's check stops at its first changed read); an undercount only
            # makes the exact pass below run sooner.
            # (Listed reads that were stored are among the believed: ``ids.given``.)
            looked_at = len(self._true | self._false | self._added) + self._listed_stored
            if self._line_count > 2 * looked_at + SPARE_LINES:
                self._forget_lines()
            self.db.commit()
        except sqlite3.Error:
            self.rollback()
            return
        if self._stored_now >= DICTIONARY_MIN_PAGES and 2 * self._stored_now >= len(urls):
            try:  # after the pages are kept: a dictionary is not worth them
                self._new_dictionary()
                self.db.commit()
            except sqlite3.Error:
                self.rollback()

    def _empty(self) -> None:
        """Delete every stored page and read (kept when this build commits); not the
        dictionary this build's pages are compressed with."""
        with contextlib.suppress(sqlite3.Error):
            for table in SCHEMA:
                self.db.execute(f"DELETE FROM {table}")
            ident, data = self.dictionary
            if ident:
                self.db.execute("INSERT INTO dicts VALUES (?, ?, ?)",
                                (ident, time.time_ns(), data))
        self.stored.clear()
        self._damaged = False

    def _new_dictionary(self) -> None:
        """Store a dictionary of the pages sampled in this build, for the builds after
        it; forget those no page is compressed with any more (in the commit's
        transaction)."""
        # The commonest last: Zstandard finds what is nearest the end best. The pages
        # are read back as stored (a row another build replaced since: by its own).
        common = sorted(self._samples, key=self._section_pages.__getitem__)
        parts = []
        for section in common[-DICTIONARY_PAGES:]:
            row = self.db.execute("SELECT html, dict FROM html JOIN pages USING (url) "
                                  "WHERE url = ?", (self._samples[section],)).fetchone()
            dictionary = None if row is None or not isinstance(row[1], int) \
                else self._dictionary(row[1])
            part = None if dictionary is None else _unzip(row[0], MAX_HTML, dictionary)
            if part:
                parts.append(part)
        data = b"".join(parts)[-DICTIONARY_BYTES:]
        if not data:
            return
        ident = self._dictionary_id(data)
        # ``made`` orders them only: one not ours is never taken, whatever it says.
        self.db.execute("INSERT OR REPLACE INTO dicts VALUES (?, ?, ?)",
                        (ident, time.time_ns(), data))
        self.db.execute("DELETE FROM dicts WHERE id <> ? AND id NOT IN "
                        "(SELECT DISTINCT dict FROM pages)", (ident,))

    def _forget_lines(self) -> None:
        """Delete the lines no stored page lists, and HTML whose page is gone (in the
        commit's transaction, which sees every page committed by any build)."""
        self.db.execute("DELETE FROM html WHERE url NOT IN (SELECT url FROM pages)")
        listed: set[int] = set()
        for (blob,) in self.db.execute("SELECT reads FROM pages"):
            listed.update(_ids_of(blob) or ())
        unlisted = [(i,) for (i,) in self.db.execute("SELECT id FROM reads")
                    if i not in listed]
        self.db.executemany("DELETE FROM reads WHERE id = ?", unlisted)
        self._line_count -= len(unlisted)

    def rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.rollback()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
