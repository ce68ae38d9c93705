"""Parsed records kept between runs, keyed by each file's bytes.

Reading a national catalogue is mostly parsing and validating 29,000 small YAML
files (14 of 19 s of a one-process ``ocop check``). A file whose bytes, record
kind and reading code are unchanged reads to the same record and the same
problems, so both are kept, pickled, in ``<cache_dir>/records.pickle`` and
unpickled next time instead.

Pickle runs code when it loads, and the cache folder sits inside a checkout
that anyone's pull request can add files to. So the file is signed with HMAC
under a key kept outside the repository (the user's cache folder, created on
first use, readable by the user only); a file that does not verify, or that was
written by other reading code, is ignored and rewritten. Without a usable key
nothing is cached.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any

import platformdirs
import yaml

from .problems import Problem

CACHE_FILE = "records.pickle"
#: Changes when what is stored changes shape.
FORMAT = 1
_KEY_FILE = "record-cache.key"


@functools.cache
def code_digest() -> str:
    """Digest of everything that decides what a file reads to: this package's reading
    code, the Python and PyYAML versions."""
    h = hashlib.sha256(f"{FORMAT}:{sys.version}:{yaml.__version__}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _key() -> bytes | None:
    """The signing key, made on first use; None when it cannot be kept."""
    folder = Path(os.environ.get("OCOP_KEY_DIR") or platformdirs.user_cache_dir("ocop-catalogue"))
    path = folder / _KEY_FILE
    try:
        return path.read_bytes() if path.stat().st_size == 32 else None
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile
        return path.read_bytes()
    except OSError:
        return None
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


def file_digest(kind: type, data: bytes) -> bytes:
    return hashlib.blake2b(kind.__name__.encode() + b"\0" + data, digest_size=20).digest()


class RecordCache:
    """Entries read from the cache file (``old``) and the entries of this run (``new``):
    relative path -> (digest of the file, pickled (record, problems))."""

    def __init__(self, old: dict[str, tuple[bytes, bytes]] | None = None,
                 key: bytes | None = None) -> None:
        self.old = old or {}
        self.new: dict[str, tuple[bytes, bytes]] = {}
        self.key = key

    @classmethod
    def open(cls, cache_dir: Path | None) -> RecordCache | None:
        """The cache of ``cache_dir`` (empty when missing, unsigned or stale); None when
        caching is off (no folder, no key)."""
        key = _key() if cache_dir is not None else None
        if cache_dir is None or key is None:
            return None
        with contextlib.suppress(OSError, ValueError):
            blob = (cache_dir / CACHE_FILE).read_bytes()
            signature, payload = blob[:32], blob[32:]
            if hmac.compare_digest(signature, hmac.digest(key, payload, "sha256")):
                code, entries = pickle.loads(payload)
                if code == code_digest():
                    return cls(entries, key)
        return cls({}, key)

    def get(self, rel: str, digest: bytes) -> tuple[Any, list[Problem]] | None:
        entry = self.old.get(rel)
        if entry is None or entry[0] != digest:
            return None
        self.new[rel] = entry
        record, problems = pickle.loads(entry[1])
        return record, problems

    def put(self, rel: str, digest: bytes, record: Any, problems: list[Problem]) -> None:
        # Pickled now: the record is changed later (ids, links) and must be kept as read.
        self.new[rel] = (digest, pickle.dumps((record, problems), pickle.HIGHEST_PROTOCOL))

    def part(self, prefixes: list[str]) -> RecordCache:
        """The entries under some folders, for a worker process."""
        chosen = tuple(prefixes)
        return RecordCache({rel: e for rel, e in self.old.items() if rel.startswith(chosen)},
                           self.key)

    def merge(self, other: RecordCache) -> None:
        self.new.update(other.new)

    def save(self, cache_dir: Path) -> None:
        """Write this run's entries (files gone since are dropped), signed, whole."""
        if self.key is None or self.new == self.old:
            return
        payload = pickle.dumps((code_digest(), self.new), pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):
            cache_dir.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=".records.", dir=cache_dir)
            with os.fdopen(fd, "wb") as out:
                out.write(hmac.digest(self.key, payload, "sha256") + payload)
            os.replace(temporary, cache_dir / CACHE_FILE)
