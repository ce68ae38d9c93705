"""The token files of a search index kept between builds, keyed by what they index.

Tokenising every name, fact and description and building the postings is most of
the search index's cost (7–8 s of a national build). The token files depend only on
the documents' indexed texts, in order, and on the code that folds and splits them;
an edit that changes none of those (a price, a photo, a point of sale's hours)
leaves them byte for byte as they were, so they are kept, one file per language,
in ``<cache_dir>/search-<language>.bin``.

The cache folder sits in a checkout that anyone's pull request can add files to, so
a kept file is signed with the record cache's key (``record_cache.signing_key``)
and ignored unless it verifies; without a key nothing is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ..media.image_cache import write_atomic
from ..source.record_cache import read_cache_file, signing_key
from ..vietnamese import FOLD_TABLE
from .search_index import SearchDoc, TokenFiles, token_files

#: Changes when what is stored changes shape.
FORMAT = 1
_MAC_BYTES = 32


def _code() -> bytes:
    """What else decides the token files: the code that folds, splits and chunks."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{FORMAT}\0{sys.version}".encode())
    for path in (here / "search_index.py", here.parent / "vietnamese.py", FOLD_TABLE):
        h.update(b"\0" + path.read_bytes())
    return h.digest()


#: Read when the code is imported: a file edited during a long build or under
#: ``mkdocs serve`` must not lend its digest to tokens the old code made.
_CODE = _code()
#: Signed with the record cache's key: this tag keeps one kind of file from passing
#: for the other.
_TAG = b"ocop search words\0"


def _mac(key: bytes, blob: bytes) -> bytes:
    signer = hmac.new(key, _TAG, "sha256")
    signer.update(blob)
    return signer.digest()


def texts_key(docs: Sequence[SearchDoc]) -> str:
    """Digest of every document's indexed texts with their weights, in order."""
    h = hashlib.sha256(_CODE)
    h.update(f"{len(docs)}\0".encode())
    for doc in docs:
        # Lengths make the text unambiguous whatever characters a record holds.
        h.update(("\1" + "".join(f"{w}:{len(t)}:{t}" for w, t in doc.fields)).encode(
            "utf-8", "surrogatepass"))
    return h.hexdigest()


class SearchCache:
    """Kept token files for the languages of one site."""

    def __init__(self, cache_dir: Path, key: bytes) -> None:
        self.cache_dir = cache_dir
        self.key = key

    @classmethod
    def open(cls, cache_dir: Path | None, project: Path | None) -> SearchCache | None:
        """The cache in ``cache_dir``, or None without a folder or a signing key."""
        if cache_dir is None or project is None:
            return None
        key = signing_key(project)
        return None if key is None else cls(cache_dir, key)

    def tokens(self, language: str, docs: Sequence[SearchDoc]) -> TokenFiles:
        """``token_files(docs)``: the kept ones when ``docs`` index the same texts,
        else made and kept for the next build."""
        texts = texts_key(docs)
        tokens = self.get(language, texts)
        if tokens is None:
            tokens = token_files(docs)
            self.put(language, texts, tokens)
        return tokens

    def _path(self, language: str) -> Path:
        return self.cache_dir / f"search-{language}.bin"

    def get(self, language: str, texts: str) -> TokenFiles | None:
        """The kept token files of ``language`` if they were made from ``texts``
        (``texts_key``) and the file verifies."""
        data = None
        with contextlib.suppress(OSError):
            data = read_cache_file(self._path(language))
        if not data or len(data) < _MAC_BYTES:
            return None
        mac, blob = data[:_MAC_BYTES], data[_MAC_BYTES:]
        if not hmac.compare_digest(mac, _mac(self.key, blob)):
            return None
        try:
            head, _, body = blob.partition(b"\n")
            header = json.loads(head)
            if header["texts"] != texts:
                return None
            files: dict[str, bytes] = {}
            at = 0
            for path, size in header["files"]:
                files[str(path)] = body[at:at + int(size)]
                at += int(size)
            if at != len(body):
                return None
            return TokenFiles(files=files, keys=tuple(header["keys"]),
                              xkeys=tuple(header["xkeys"]), tokens=int(header["tokens"]))
        except (ValueError, KeyError, TypeError):
            return None

    def put(self, language: str, texts: str, tokens: TokenFiles) -> None:
        """Keep ``tokens``, made from ``texts``, for the next build."""
        header = {"texts": texts, "keys": list(tokens.keys), "xkeys": list(tokens.xkeys),
                  "tokens": tokens.tokens,
                  "files": [[path, len(data)] for path, data in tokens.files.items()]}
        blob = json.dumps(header, ensure_ascii=True).encode() + b"\n" + b"".join(
            tokens.files.values())
        mac = _mac(self.key, blob)
        with contextlib.suppress(OSError):
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            write_atomic(self._path(language), mac + blob)
