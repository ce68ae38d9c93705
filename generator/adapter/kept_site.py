"""Build into the site before last: rewrite what may have changed, keep the rest.

A national site is about 130,000 files and 160,000 photo links. Writing all of
them into an empty folder, then deleting the previous site, was most of the time
of a rebuild after one edit. Instead, ``ocop build`` keeps the previous site
beside the new one (``.site.spare``) and builds the next site in it:

* the spare becomes the build's staging folder (``publish``'s atomic swap and
  recovery are unchanged: the live site is never written to);
* before anything is written into it, anything a build could write *through* is
  removed: symbolic links, Windows junctions, special files, and files with other
  hard links (the photos under ``anh/`` excepted: they are links into the photo
  cache, and only the photo writer, which never writes into a file, touches them);
* a generated page is not written when its stored copy (the page cache's row,
  identified by its key, reads and signature) is the one this folder holds, unaltered
  (same size and modification time as recorded in the folder's manifest); nor is a
  file a writer makes one per record while the manifest's entry for it (its key and
  reads) still holds (``write/kept_files.py``); every other page and file is written
  as in a clean build, except that a file that already holds its bytes is left and
  the others are written over in place (``write/files.py``: the safety walk below
  leaves no file a write could go through);
* files this build did not produce are then removed, and folders or files left
  under another spelling by a case-insensitive file system renamed (``sweep``, from
  the listing the walk that made the folder safe sent back).

The manifest is not signed (the page cache's rows are): it is only read beside a
spare folder on the same machine, and a page is kept only while its file has the
size and nanosecond modification time the manifest gives, which no one outside
the machine knows (a writer's file likewise).

The result is byte for byte the site a build into an empty folder makes (tested).
Only builds whose plugins are all ours do this: another plugin may need every
page to pass through it.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import json
import os
import shutil
import stat
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TextIO

from ..elsewhere import Elsewhere, answer
from ..media.library import MEDIA_DIR
from ..written import FileEntry, Listing, Seen, Stats, as_written, fold

#: Changes when the manifest's meaning changes; older manifests are ignored.
MANIFEST_FORMAT = 2
#: Plugins known to be indifferent to pages MkDocs skips in a dirty build.
KNOWN_PLUGINS = frozenset({"ocop"})

#: A page's entry in a manifest: its identity (of the page cache row it came from,
#: hex), size and modification time (ns) as written.
Entry = tuple[str, int, int]


@dataclass
class KeptFolder:
    """A previous site taken as this build's staging folder."""

    #: The folder (renamed to a staging name: a crash leaves it to ``recover``).
    path: Path
    #: The generated pages it holds, by site path, as its manifest recorded them.
    pages: dict[str, Entry] = field(default_factory=dict)
    #: The files writers made there (``write/kept_files.py``), as recorded.
    files: dict[str, FileEntry] = field(default_factory=dict)
    #: Files removed before the build because a write could have gone through them.
    unsafe: int = 0
    #: What the folder held then (``Listing``): the sweep reads it instead of listing
    #: the folder again (2-3 s of a national build).
    listing: Listing | None = None
    #: Its files as the walk saw them, until the sweep.
    seen: Seen | None = None
    #: The walk that removes them, while the catalogue loads (``ready``).
    _safety: Elsewhere | None = field(default=None, repr=False)

    def make_safe_meanwhile(self) -> None:
        """Start removing what a write could go through (``_make_safe``) in another
        process. The walk mostly waits on the disk: listing a spare's 75,000 folders
        took 6–7 s when they were no longer in memory (as after a build's minutes),
        time the loading of the catalogue now hides. A process, not a thread: the
        walk's Python code waited on the interpreter lock the loading holds, and a
        national one-edit build gained nothing (median 101.3 → 99.5 s, 3 pairs)."""
        self._safety = _walk_elsewhere(self.path)

    def collect(self) -> None:
        """Take the walk's answer if it has come (``Elsewhere.collect``), so that its
        process ends; ``ready`` still waits for it otherwise."""
        if self._safety is not None:
            self._safety.collect()

    def ready(self) -> None:
        """Wait for that walk; called before anything is written into the folder.
        Its error, if any, is raised (a build then starts again in an empty folder)."""
        safety, self._safety = self._safety, None
        if safety is not None:
            self.unsafe, self.listing, stats = safety.result()
            self.seen = Seen(os.fspath(self.path), self.listing, stats)

    def remove(self, site_path: str) -> None:
        """Remove the file at ``site_path`` if there is one (before MkDocs writes)."""
        if self.seen is not None:
            self.seen.mark(site_path)
        unlink_quietly(self.path / site_path)

    def holds(self, site_path: str, identity: str | None) -> Entry | None:
        """The entry of ``site_path`` when the folder holds exactly the page of
        ``identity`` there, as written and never changed since; else None."""
        entry = self.pages.get(site_path)
        if identity is None or entry is None or entry[0] != identity:
            return None
        if self.seen is None:  # no walk (tests): the file system answers
            return entry if as_written(os.path.join(self.path, site_path), *entry[1:]) else None
        return entry if self.seen.as_written(site_path, *entry[1:]) else None


def beside_prefix(target: Path) -> str:
    """How the names of the folders a build keeps beside the site ``target``, swaps
    with it or removes begin: ``.site.`` (``.site.spare``, ``.site.new-…``,
    ``.site.old-…``, ``.site.spare.trash-…``)."""
    return f".{target.name}."


def spare_path(target: Path) -> Path:
    """Where the previous site of ``target`` is kept: ``.site.spare`` beside it."""
    return target.with_name(f"{beside_prefix(target)}spare")


def manifest_dir(cache_dir: Path, target: Path) -> Path:
    """Where the manifests of the folders of site ``target`` are kept (one cache may
    serve several sites: ``ocop build --site-dir``)."""
    name = hashlib.blake2b(os.fsencode(target), digest_size=8).hexdigest()
    return cache_dir / "sites" / name


def manifest_path(manifests: Path, folder: Path) -> Path:
    """The manifest of ``folder``, named by the folder's identity on disk (the
    folder is renamed in its life: staging folder, live site, spare)."""
    st = os.stat(folder)
    return manifests / f"{st.st_dev}-{st.st_ino}.json"


def take_spare(target: Path, staging: Path, manifests: Path) -> KeptFolder | None:
    """The spare site of ``target``, moved to ``staging``, being made safe to write
    into (``KeptFolder.ready``); None when there is none (or another build took it,
    or it cannot be used: what was taken is then removed)."""
    spare = spare_path(target)
    try:
        if _is_link(os.lstat(spare)) or not spare.is_dir():
            return None
        os.replace(spare, staging)
    except OSError:
        return None
    try:
        manifest = manifest_path(manifests, staging)
        kept = KeptFolder(staging)
        kept.make_safe_meanwhile()  # a process that cannot start: build from empty
        # Read while the walk runs (a national manifest is tens of MB; never raises).
        kept.pages, kept.files = _load(manifest)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        return None
    return kept


def _load(path: Path) -> tuple[dict[str, Entry], dict[str, FileEntry]]:
    """A manifest's pages and files; empty when it is missing, damaged or of another
    format."""
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") != MANIFEST_FORMAT:
            return {}, {}
        pages = {str(k): (str(v[0]), int(v[1]), int(v[2])) for k, v in data["pages"].items()}
        files = {str(k): (str(v[0]), int(v[1]), int(v[2]), str(v[3]))
                 for k, v in data["files"].items()}
        return pages, files
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return {}, {}


def save_manifest(manifests: Path, folder: Path, pages: dict[str, Entry],
                  files: dict[str, FileEntry]) -> None:
    """Record the generated pages and the writers' files ``folder`` holds (written
    last, atomically)."""
    path = manifest_path(manifests, folder)
    with contextlib.suppress(OSError):  # no manifest: the next build writes every page
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(path.name + f".{os.getpid()}.tmp")
        with open(temp, "w", encoding="utf-8") as out:
            out.write(f'{{"format":{MANIFEST_FORMAT},"pages":')
            _write_json_object(out, pages)
            out.write(',"files":')
            _write_json_object(out, files)
            out.write("}")
        os.replace(temp, path)


#: Entries of a manifest's object made into JSON at a time.
_JSON_CHUNK = 4096


def _write_json_object(out: TextIO, entries: dict[str, Any]) -> None:
    """Write ``entries`` as ``json.dumps`` makes it (no spaces, UTF-8 as is), a
    chunk of entries at a time: the whole national manifest (21 MB) made at once
    held its text and the encoder's pieces, about 70 MiB, at the very end of a
    build that renders every page, whose memory peaked there (06/12/2026)."""
    items = list(entries.items())
    out.write("{")
    for start in range(0, len(items), _JSON_CHUNK):
        if start:
            out.write(",")
        out.write(json.dumps(dict(items[start:start + _JSON_CHUNK]), ensure_ascii=False,
                             separators=(",", ":"))[1:-1])
    out.write("}")


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


def _is_link(st: os.stat_result) -> bool:
    """A symbolic link, or a Windows junction (Python 3.11 reports it as a folder)."""
    return (stat.S_ISLNK(st.st_mode)
            or bool(getattr(st, "st_file_attributes", 0) & stat.FILE_ATTRIBUTE_REPARSE_POINT))


_WALK = "the walk of the kept site"


def _walk_elsewhere(folder: Path) -> Elsewhere:
    """``_make_safe(folder)``, started in a process of its own: ``result`` gives the
    count removed, the listing and the files' sizes and times, or raises its error."""
    return Elsewhere(_walk_and_answer, (folder,), _WALK, lambda found: (
        isinstance(found, tuple) and len(found) == 3 and isinstance(found[0], int)
        and isinstance(found[1], dict) and isinstance(found[2], dict)))


def _walk_and_answer(folder: Path, to: Connection) -> None:
    """The walk's process: its result, or its error, through ``to``."""
    answer(_make_safe, (folder,), _WALK, to)


def _make_safe(folder: Path) -> tuple[int, Listing, Stats]:
    """Remove what a write could go through or out of: links (symbolic, junctions),
    anything but files and folders, and files with other hard links (outside the
    photos, which are links into the photo cache). The number removed, what the
    folder holds then, and the size and time of the files it stat'ed doing so."""
    removed = 0
    listing: Listing = {}
    stats: Stats = {}
    media = os.path.join(os.fspath(folder), MEDIA_DIR)
    stack = [(os.fspath(folder), "")]
    while stack:
        root, prefix = stack.pop()
        in_media = root == media or root.startswith(media + os.sep)
        names = []
        sizes = array.array("q")
        with os.scandir(root) as entries:
            for entry in entries:
                st: os.stat_result | None = None
                if os.name == "nt":
                    # The listing's stat has no link count and hides junctions.
                    st = os.lstat(entry.path)
                    is_dir = stat.S_ISDIR(st.st_mode) and not _is_link(st)
                    unsafe = not is_dir and (_is_link(st) or not stat.S_ISREG(st.st_mode)
                                             or (not in_media and st.st_nlink > 1))
                else:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    # The type comes with the listing; the link count needs a stat.
                    is_file = not is_dir and entry.is_file(follow_symlinks=False)
                    if is_file and not in_media:
                        st = entry.stat(follow_symlinks=False)
                    unsafe = not is_dir and (not is_file or (st is not None and st.st_nlink > 1))
                if is_dir:
                    stack.append((entry.path, prefix + entry.name + "/"))
                    names.append(entry.name + "/")
                    sizes.extend((-1, -1))
                elif unsafe:
                    os.unlink(entry.path)  # a link to a folder too (Windows included)
                    removed += 1
                else:
                    names.append(entry.name)
                    sizes.extend((-1, -1) if st is None or in_media
                                 else (st.st_size, st.st_mtime_ns))
        listing[prefix] = "\0".join(names)
        if any(size >= 0 for size in sizes[::2]):
            stats[prefix] = sizes.tobytes()
    return removed, listing, stats


def sweep(folder: Path, produced: set[str], listing: Listing | None = None) -> int:
    """Remove every file of ``folder`` not in ``produced`` (site paths), then the
    folders left empty; the number of files removed.

    ``listing``, what the folder held before the build (``_make_safe``), saves listing
    it again: only what it names is looked at (what the build added is produced), and
    a folder is listed anew where that matters (a name variant to find, a folder that
    is not empty after all). Without it the folder is listed as it is now.

    On a file system that ignores case or Unicode normalisation (Windows, macOS) a
    folder renamed only so (``FAQ/`` → ``faq/``) kept its old name when MkDocs wrote
    into it: it is renamed to the name this build gave it."""
    if listing is not None and _lists_exactly(listing, produced):
        return 0
    # The folders of the produced files, by parent: files are looked up in
    # ``produced`` itself (a national site has 300,000 of them, 75,000 folders).
    subfolders: dict[str, set[str]] = {}
    for path in produced:
        parent, _, _ = path.rpartition("/")
        while parent:
            above, _, name = parent.rpartition("/")
            key = above + "/" if above else ""
            names = subfolders.setdefault(key, set())
            if name in names:
                break  # this folder's ancestors are in already
            names.add(name)
            parent = above

    def walk(path: str, prefix: str, listed: str | None) -> tuple[int, bool]:
        """Sweep the folder at ``path`` (site path ``prefix``); ``listed``: its key
        in ``listing`` (its name before a rename), None to list it now."""
        removed, empty = 0, True
        names = subfolders.get(prefix, set())
        text = None if listing is None or listed is None else listing.get(listed)
        present: set[str] | None = None
        if text is None:
            with os.scandir(path) as found:
                entries = [(e.name, e.is_dir(follow_symlinks=False)) for e in found]
            present, listed = {name for name, _ in entries}, None
        else:
            entries = [(n[:-1], True) if n.endswith("/") else (n, False)
                       for n in text.split("\0") if n]

        def now() -> set[str]:
            # What the folder holds now (the build may have added a name since).
            nonlocal present
            if present is None:
                present = set(os.listdir(path))
            return present

        folded: dict[str, str] | None = None
        for name, is_dir in entries:
            where = os.path.join(path, name)
            if is_dir:
                child = None if listed is None else listed + name + "/"
                if name not in names:
                    if folded is None:  # once per folder, and only where a name is missing
                        folded = {fold(n): n for n in names if n not in now()}
                    variant = folded.pop(fold(name), None)
                    if variant is not None:
                        os.rename(where, os.path.join(path, variant))
                        where, name = os.path.join(path, variant), variant
                try:
                    gone, now_empty = walk(where, prefix + name + "/", child)
                except FileNotFoundError:
                    if child is None:
                        raise
                    continue  # listed, and gone since
                removed += gone
                if now_empty:
                    try:
                        os.rmdir(where)
                        continue
                    except OSError:
                        if child is None:
                            raise
                    # Listed before the build, it holds what the build added: look again.
                    gone, now_empty = walk(where, prefix + name + "/", None)
                    removed += gone
                    if now_empty:
                        os.rmdir(where)
                        continue
                empty = False
            elif prefix + name in produced:
                empty = False
            elif (variant := _file_variant(prefix, name, produced, now)) is not None:
                os.rename(where, os.path.join(path, variant))
                empty = False
            elif listed is not None and name not in now():
                # Listed before the build, no longer there under that spelling: gone,
                # or written again under another (Logo.PNG removed, logo.png written
                # on a system that ignores case: unlinking Logo.PNG would remove it).
                continue
            else:
                os.unlink(where)
                removed += 1
        return removed, empty

    return walk(os.fspath(folder), "", "" if listing is not None else None)[0]


def _lists_exactly(listing: Listing, produced: set[str]) -> bool:
    """Whether ``listing`` names the files of ``produced`` and their folders, and
    nothing else, spelt as they are: then a sweep from it has nothing to remove or
    rename. So it is after most edits (the build writes the paths the build before
    last did). A sweep that walked a national site's 300,000 names to learn it took
    1.2-1.6 s, this 0.2-0.3 s (measured on the national bench site)."""
    files = 0
    for prefix, text in listing.items():
        if not text:
            return False  # an empty folder, which the sweep removes
        for name in text.split("\0"):
            if not name.endswith("/"):
                if prefix + name not in produced:
                    return False
                files += 1
    # Every file listed is produced, and as many as were produced: the same paths.
    # No folder is empty, so each holds a produced file somewhere below it.
    return files == len(produced)


def _file_variant(prefix: str, name: str, produced: set[str],
                  present: Callable[[], set[str]]) -> str | None:
    """The produced file ``name`` is, but for case or normalisation, when the folder
    has no entry of that name (``present``: its names now): writers and the page cache
    found it under the other spelling. Produced file names are lower case in the
    catalogue's own outputs."""
    for candidate in {unicodedata.normalize("NFC", name).lower(),
                      unicodedata.normalize("NFC", name)}:
        if candidate != name and prefix + candidate in produced and candidate not in present():
            return candidate
    return None


def unlink_quietly(path: Path) -> None:
    """Remove a file MkDocs will write again (so that it does: see ``is_modified``)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
