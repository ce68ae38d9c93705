"""Writing output files into the built site: one helper, so every writer is deterministic."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from ..media.library import MEDIA_DIR
from .context import OutputContext


def write_bytes(context: OutputContext, site_path: str, data: bytes | bytearray) -> str:
    """Write ``data`` at ``site_path`` (relative, '/'-separated) inside the site folder."""
    path = _site_file(context, site_path)
    if not context.kept_site:
        with open(path, "wb") as file:
            file.write(data)
        return site_path
    # In the kept previous site most files are already so: read, they are left.
    with _open_in_place(path) as file:
        _write_over(file, data)
    return site_path


def write_over(path: str, data: bytes | bytearray) -> None:
    """Write ``data`` at ``path``, a file of a kept site (``adapter/kept_site.py``: the
    walk that made it safe has ended), its folder made if need be: a file that holds
    ``data`` already is left, any other written over in place (``_open_in_place``)."""
    with _open_in_place(path, make_folder=True) as file:
        _write_over(file, data)


#: Bytes of a file compared at a time with what would be written over it.
_COMPARED = 1 << 20


def _write_over(file: BinaryIO, data: bytes | bytearray) -> None:
    if not (file.readable() and os.fstat(file.fileno()).st_size == len(data)
            and _holds(file, data)):
        file.seek(0)
        file.write(data)
        file.truncate()


def _holds(file: BinaryIO, data: bytes | bytearray) -> bool:
    """Whether ``file``, read from where it is, holds ``data`` and nothing after: a
    piece at a time, not a second copy of a large file (a national sitemap: 25 MB)."""
    with memoryview(data) as view:
        for start in range(0, len(data), _COMPARED):
            if file.read(_COMPARED) != view[start:start + _COMPARED]:
                return False
    return file.read(1) == b""


def write_chunks(context: OutputContext, site_path: str, chunks: Iterable[bytes]) -> str:
    """Write ``chunks`` one after another at ``site_path``: a large file (a national
    catalogue's products.json is 59 MB) is never held whole."""
    path = _site_file(context, site_path)
    with (_open_in_place(path) if context.kept_site else open(path, "wb")) as file:
        for chunk in chunks:
            file.write(chunk)
        file.truncate()
    return site_path


def _open_in_place(path: str, make_folder: bool = False) -> BinaryIO:
    """The file at ``path`` opened to be read and written over in place; a new file,
    opened "wb" (not readable), if there is none (its folder made first with
    ``make_folder``; a folder that exists then costs no ``makedirs``: 70,000 pages in a
    national build). A kept site's files are regular files with one link each
    (``adapter/kept_site.py`` removes any other), so writing over one changes no other
    file. Cutting 8,000 small files to nothing and writing them again took ten times
    as long as writing over them (ext4 mounted with ``discard``, which trims every
    block freed)."""
    try:
        return open(path, "r+b")
    except FileNotFoundError:
        if make_folder:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        return open(path, "wb")


def _site_file(context: OutputContext, site_path: str) -> str:
    """The file system path of ``site_path``, its folder made."""
    parts = site_path.split("/")
    # Paths come from record ids (lower-case slugs), never from free text; check anyway,
    # lexically (resolving every one of tens of thousands of paths costs seconds).
    if any(part in ("", ".", "..") or "\\" in part for part in parts) or ":" in parts[0]:
        raise ValueError(f"output path leaves the site folder: {site_path}")
    if parts[0] == MEDIA_DIR:
        # Photos there are hard links into the photo cache: a write into a kept
        # site (adapter/kept_site.py) would go through one.
        raise ValueError(f"output path among the photos: {site_path}")
    if context.kept_files is not None:
        context.kept_files.wrote(site_path)
    # Strings and one mkdir per folder: a national build writes 60,000 small files.
    site = os.fspath(context.site_dir)
    folder = site_path.rpartition("/")[0]
    if folder not in context.made_folders:
        os.makedirs(os.path.join(site, folder), exist_ok=True)
        context.made_folders.add(folder)
    return os.path.join(site, site_path)


def json_bytes(data: Any, *, indent: int | None = None) -> bytes:
    """UTF-8 JSON, Vietnamese kept readable; compact unless ``indent`` is given."""
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    return (text + "\n").encode("utf-8")


def json_list_chunks(data: dict[str, Any], key: str, items: Iterable[Any]) -> Iterator[bytes]:
    """``json_bytes({**data, key: list(items)})``, byte for byte, an item at a time
    (the whole text of a large export would be held twice: as text, then as UTF-8)."""
    return json_list_of_encoded(data, key, (json_item(item) for item in items))


def json_item(item: Any) -> bytes:
    """One item of a list ``json_list_chunks`` writes, encoded as it writes it."""
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_list_of_encoded(data: dict[str, Any], key: str,
                         encoded: Iterable[bytes]) -> Iterator[bytes]:
    """``json_list_chunks`` of items already encoded (``json_item``), or of runs of
    them joined by commas."""
    if key in data:
        raise ValueError(f"json_list_chunks: {key!r} is already in the data")
    head = json.dumps({**data, key: []}, ensure_ascii=False, separators=(",", ":"))
    end = "[]}"
    yield head[:-len(end)].encode("utf-8") + b"["
    separator = b""
    for item in encoded:
        yield separator + item
        separator = b","
    yield b"]}\n"


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no timestamp or file name in the header: same input, same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)
