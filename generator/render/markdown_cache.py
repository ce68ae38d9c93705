"""Record Markdown converted by earlier builds, kept by its text.

Converting a record's Markdown (Python-Markdown, then nh3: ``sanitize``) is about a
tenth of rendering a page that shows a description: some 29,000 texts in a national
build. The HTML depends only on the text and on the code that converts and cleans
it, so a build that renders every page again because the site's settings, the theme
or the generator changed converts none of the texts that stayed the same: it reads
them here, in ``<cache_dir>/markdown.sqlite3``.

The HTML read here goes into pages unescaped, and the cache folder sits in a
checkout that anyone's pull request can add files to: each row is signed with the
record cache's key (``record_cache.signing_key``) and a row that does not verify is
converted again. Without a key nothing is kept.

One process writes: the build's. Its page workers read the file with connections
of their own and hand what they converted over with their jobs (``handed``), which
the build stores when the pages are done (``commit``).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import sqlite3
import sys
from pathlib import Path

import markdown
import nh3

from ..source.record_cache import signing_key
from .page_cache import open_own

CACHE_FILE = "markdown.sqlite3"
#: Changes when what is stored changes shape.
FORMAT = 1
SCHEMA = {"converted": "CREATE TABLE converted (text BLOB PRIMARY KEY NOT NULL, "
                        "html TEXT NOT NULL, mac BLOB NOT NULL)"}
#: Longer stored HTML is not read (a description converts to a few KB).
MAX_HTML = 4 << 20
#: Conversions the build's process holds before it stores them (a first national
#: build makes 20,000, ~30 MB of HTML).
BATCH = 1_000
#: Rows no build used are deleted (after a build that converted every text it
#: showed) once the table holds more than twice the texts that build used, plus this.
SPARE_ROWS = 5_000


def _code() -> bytes:
    """What else decides the HTML: the converter, the cleaner and their settings."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{markdown.__version__}\0"
                       f"{nh3.__version__}".encode())
    h.update((Path(__file__).resolve().parent / "sanitize.py").read_bytes())
    return h.digest()


#: Read when the code is imported, as the search cache does (``search_cache._CODE``).
_CODE = _code()


def text_id(text: str) -> bytes:
    """A text's row: its digest with the code's (other code, other rows)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), key=_CODE[:32],
                           digest_size=20, person=b"ocop-md-text").digest()


#: A worker's hand-over: ids of the texts it read here, and the texts it converted.
Handed = tuple[list[bytes], list[tuple[bytes, str]]]


class MarkdownCache:
    """Converted record Markdown, read by every process of a build, written by one."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self.key = key
        #: Connections by process: a forked worker opens its own, never using (nor
        #: closing) one it inherited.
        self._dbs: dict[int, sqlite3.Connection | None] = {}
        #: The conversions of this build not stored yet (any process's), and the ids
        #: of those stored.
        self.new: dict[bytes, str] = {}
        self.stored: set[bytes] = set()
        #: This process's since the last ``handed`` (a worker's).
        self._used_here: list[bytes] = []
        self._new_here: list[tuple[bytes, str]] = []
        #: Ids of the texts read from the cache, in this process and those handed over.
        self.read: set[bytes] = set()

    @classmethod
    def open(cls, cache_dir: Path, project: Path) -> MarkdownCache | None:
        """The cache of ``cache_dir``; None without a signing key, or where the file is
        a link or cannot be made ours."""
        key = signing_key(project)
        if key is None:
            return None
        cache = cls(cache_dir / CACHE_FILE, key)
        return cache if cache._db() is not None else None

    def _db(self) -> sqlite3.Connection | None:
        pid = os.getpid()
        if pid not in self._dbs:
            self._dbs[pid] = open_own(self.path, SCHEMA)
        return self._dbs[pid]

    def _mac(self, text: bytes, html: str) -> bytes:
        h = hashlib.blake2b(key=self.key, digest_size=32, person=b"ocop-markdown")
        h.update(text)
        h.update(html.encode("utf-8", "surrogatepass"))
        return h.digest()

    def get(self, text: str) -> str | None:
        """The HTML kept for ``text``, if a row of this code holds it and verifies."""
        db = self._db()
        found = None
        if db is not None:
            tid = text_id(text)
            with contextlib.suppress(sqlite3.Error):
                found = db.execute("SELECT html, mac FROM converted WHERE text = ? "
                                   "AND length(CAST(html AS BLOB)) <= ?",
                                   (tid, MAX_HTML)).fetchone()
        if (found is None or not isinstance(found[0], str) or not isinstance(found[1], bytes)
                or not hmac.compare_digest(found[1], self._mac(tid, found[0]))):
            return None
        self._used_here.append(tid)
        return str(found[0])

    def note(self, text: str, html: str) -> None:
        """``html`` was converted from ``text`` in this process."""
        self._new_here.append((text_id(text), html))

    def handed(self) -> Handed:
        """A worker's: what it read and converted since it last handed them over."""
        out = (self._used_here, self._new_here)
        self._used_here, self._new_here = [], []
        return out

    def forked(self) -> None:
        """In a new forked worker: what the build's process noted is not handed back."""
        self._used_here, self._new_here = [], []

    def adopt(self, handed: Handed) -> None:
        """Keep what a worker handed over (``handed``) and what this process noted;
        store them once there are ``BATCH``."""
        for used, new in (handed, self.handed()):
            self.read.update(used)
            self.new.update(new)
        if len(self.new) >= BATCH:
            db = self._db()
            if db is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._store(db)
                    db.commit()

    def _store(self, db: sqlite3.Connection) -> None:
        db.executemany("INSERT OR REPLACE INTO converted VALUES (?, ?, ?)",
                       [(tid, html, self._mac(tid, html)) for tid, html in self.new.items()])
        self.stored.update(self.new)
        self.new = {}

    def commit(self, every_text: bool) -> tuple[int, int]:
        """Store this build's conversions (and this process's own); after a build
        that rendered every page (``every_text``: every text it shows was used),
        delete the rows no text used once they have piled up. A cache that cannot
        be written stays as it was. How many texts were read from it, and how many
        converted (each counted once, whichever processes used it)."""
        self.adopt(([], []))
        made = self.stored | self.new.keys()
        counts = len(self.read - made), len(made)
        used = self.read | made
        db = self._db()
        if db is None:
            return counts
        try:
            self._store(db)
            if every_text:
                count = db.execute("SELECT count(*) FROM converted").fetchone()[0]
                if count > 2 * len(used) + SPARE_ROWS:
                    unused = [(tid,) for (tid,) in db.execute("SELECT text FROM converted")
                              if tid not in used]
                    db.executemany("DELETE FROM converted WHERE text = ?", unused)
            db.commit()
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.rollback()
        self.read, self.new, self.stored = set(), {}, set()
        return counts

    def close(self) -> None:
        """Close this process's connection (others' are not this process's to use)."""
        db = self._dbs.pop(os.getpid(), None)
        if db is not None:
            db.close()

