"""Build into the site before last: rewrite what may have changed, keep the rest.

A national site is about 130,000 files and 160,000 photo links. Writing all of
them into an empty folder, then deleting the previous site, was most of the time
of a rebuild after one edit. Instead, ``ocop build`` keeps the previous site
beside the new one (``.site.spare``) and builds the next site in it:

* the spare becomes the build's staging folder (``publish``'s atomic swap and
  recovery are unchanged: the live site is never written to);
* before anything is written into it, anything a build could write *through* is
  removed: symbolic links, special files, and files with other hard links (the
  photos under ``anh/`` excepted: they are links into the photo cache, and only
  the photo writer, which never writes into a file, touches them);
* a generated page is not written when its stored copy (the page cache's row,
  identified by its key, reads and signature) is the one this folder holds, unaltered
  (same size and modification time as recorded in the folder's manifest); every
  other page and file is written as in a clean build;
* files this build did not produce are then removed (``sweep``).

The result is byte for byte the site a build into an empty folder makes (tested).
Only builds whose plugins are all ours do this: another plugin may need every
page to pass through it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..media.library import MEDIA_DIR

#: Changes when the manifest's meaning changes; older manifests are ignored.
MANIFEST_FORMAT = 1
#: Plugins known to be indifferent to pages MkDocs skips in a dirty build.
KNOWN_PLUGINS = frozenset({"ocop"})

#: A page's entry in a manifest: its identity (of the page cache row it came from,
#: hex), size and modification time (ns) as written.
Entry = tuple[str, int, int]

# What MkDocs says of any dirty build; ours writes every file that may differ.
_DIRTY_MESSAGES = ("A 'dirty' build is being performed",
                   "The directory contains stale files")


@dataclass
class KeptFolder:
    """A previous site taken as this build's staging folder."""

    #: The folder (renamed to a staging name: a crash leaves it to ``recover``).
    path: Path
    #: The generated pages it holds, by site path, as its manifest recorded them.
    pages: dict[str, Entry] = field(default_factory=dict)
    #: Files removed before the build because a write could have gone through them.
    unsafe: int = 0

    def holds(self, site_path: str, identity: str | None) -> Entry | None:
        """The entry of ``site_path`` when the folder holds exactly the page of
        ``identity`` there, as written and never changed since; else None."""
        entry = self.pages.get(site_path)
        if identity is None or entry is None or entry[0] != identity:
            return None
        try:
            st = os.lstat(os.path.join(self.path, site_path))
        except OSError:
            return None
        if (not stat.S_ISREG(st.st_mode) or st.st_nlink != 1
                or (st.st_size, st.st_mtime_ns) != entry[1:]):
            return None
        return entry


def spare_path(target: Path) -> Path:
    """Where the previous site of ``target`` is kept: ``.site.spare`` beside it."""
    return target.with_name(f".{target.name}.spare")


def manifest_dir(cache_dir: Path, target: Path) -> Path:
    """Where the manifests of the folders of site ``target`` are kept (one cache may
    serve several sites: ``ocop build --site-dir``)."""
    name = hashlib.blake2b(os.fsencode(target), digest_size=8).hexdigest()
    return cache_dir / "sites" / name


def manifest_path(manifests: Path, folder: Path) -> Path:
    """The manifest of ``folder``, named by the folder's identity on disk (it is
    renamed twice in its life: staging, live site, spare)."""
    st = os.stat(folder)
    return manifests / f"{st.st_dev}-{st.st_ino}.json"


def take_spare(target: Path, staging: Path, manifests: Path) -> KeptFolder | None:
    """The spare site of ``target``, moved to ``staging`` and made safe to write
    into; None when there is none (or another build took it)."""
    spare = spare_path(target)
    if spare.is_symlink() or not spare.is_dir():
        return None
    try:
        os.replace(spare, staging)
    except OSError:
        return None
    kept = KeptFolder(staging, _load(manifest_path(manifests, staging)))
    kept.unsafe = _make_safe(staging)
    return kept


def _load(path: Path) -> dict[str, Entry]:
    """A manifest's pages; empty when it is missing, damaged or of another format."""
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") != MANIFEST_FORMAT:
            return {}
        return {str(k): (str(v[0]), int(v[1]), int(v[2])) for k, v in data["pages"].items()}
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return {}


def save_manifest(manifests: Path, folder: Path, pages: dict[str, Entry]) -> None:
    """Record the generated pages ``folder`` holds (written last, atomically)."""
    path = manifest_path(manifests, folder)
    with contextlib.suppress(OSError):  # no manifest: the next build writes every page
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(path.name + f".{os.getpid()}.tmp")
        temp.write_text(json.dumps({"format": MANIFEST_FORMAT, "pages": pages},
                                   separators=(",", ":")), encoding="utf-8")
        os.replace(temp, path)


def prune_manifests(manifests: Path, folders: Iterable[Path]) -> None:
    """Forget the manifests of folders that are gone (only ``folders`` remain)."""
    keep = set()
    for folder in folders:
        with contextlib.suppress(OSError):
            keep.add(manifest_path(manifests, folder).name)
    with contextlib.suppress(OSError):
        for path in manifests.iterdir():
            if path.name not in keep:
                path.unlink()


def _make_safe(folder: Path) -> int:
    """Remove what a write could go through or out of: symbolic links, anything
    but files and folders, and files with other hard links (outside the photos)."""
    removed = 0
    media = os.path.join(os.fspath(folder), MEDIA_DIR)
    stack = [os.fspath(folder)]
    while stack:
        root = stack.pop()
        in_media = root == media or root.startswith(media + os.sep)
        with os.scandir(root) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    continue
                # The type comes with the listing; the link count needs a stat
                # (not for the photos, which are links into the cache).
                if (not entry.is_file(follow_symlinks=False)
                        or (not in_media and entry.stat(follow_symlinks=False).st_nlink > 1)):
                    _unlink(entry.path)
                    removed += 1
    return removed


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        os.rmdir(path)  # Windows: a link to a folder is removed as a folder


def sweep(folder: Path, produced: set[str]) -> int:
    """Remove every file of ``folder`` not in ``produced`` (site paths), then the
    folders left empty; the number of files removed."""
    def walk(path: str, prefix: str) -> tuple[int, bool]:
        removed, empty = 0, True
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    gone, now_empty = walk(entry.path, prefix + entry.name + "/")
                    removed += gone
                    if now_empty:
                        os.rmdir(entry.path)
                    else:
                        empty = False
                elif prefix + entry.name not in produced:
                    os.unlink(entry.path)
                    removed += 1
                else:
                    empty = False
        return removed, empty

    return walk(os.fspath(folder), "")[0]


def unlink_quietly(path: Path) -> None:
    """Remove a file MkDocs will write again (so that it does: see ``is_modified``)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


class ExactDirtyBuild(logging.Filter):
    """Drops MkDocs' warning that a dirty build may be inaccurate: this one writes
    every file that may differ (and ``strict`` would count the warning)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_DIRTY_MESSAGES)
