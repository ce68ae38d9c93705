"""Atomic site builds: build elsewhere, then put the new site in place of the old.

The live ``site/`` is there at every instant and is never half-written:

* MkDocs writes into a fresh staging folder beside ``site/``; a failed build
  removes it and leaves ``site/`` as it was.
* The new site then takes the old one's place in one step where the system can
  exchange two folders atomically (Linux ``renameat2(RENAME_EXCHANGE)``, macOS
  ``renamex_np(RENAME_SWAP)``). Elsewhere (Windows) it takes two renames: the
  old site is moved aside, the new one moved in, and the old one moved back if
  the second rename fails (an indexer or antivirus holding a file open).
* A build killed between those two renames leaves the old site aside; the next
  build puts it back before it starts, and removes what crashed builds left.
* The old site is then kept as ``.site.spare``, the staging folder of the next
  build, which rewrites only what may have changed (``kept_site``).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import logging
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ..workers import WorkerDied
from .config import check_cache_folder
from .kept_site import (
    KNOWN_PLUGINS,
    KeptFolder,
    beside_prefix,
    manifest_dir,
    prune_manifests,
    spare_path,
    take_spare,
)

log = logging.getLogger("mkdocs.plugins.ocop")


class BuildFailed(Exception):
    """The build stopped; the message says why (all catalogue problems included)."""


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool | None = None,
               fail_on_warnings: bool = False, verbose: bool = False) -> Path:
    """Build the site of ``config_file`` and atomically put it at ``site_dir``.

    ``strict`` is MkDocs' own (its warnings fail the build); ``fail_on_warnings``
    makes catalogue warnings, such as certificates about to expire, fail it too.
    """
    config_file = config_file.resolve()
    overrides: dict[str, object] = {}
    if strict is not None:
        overrides["strict"] = strict
    config = load_config(str(config_file), **overrides)
    target = Path(site_dir or config.site_dir).resolve()
    options = config.plugins["ocop"].config
    # Before anything is written; a worker's replay of mkdocs.yml checks no more.
    check_cache_folder(config, options, target, from_command_line=site_dir is not None)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    manifests = manifest_dir(
        Path(config.config_file_path).parent.resolve() / options.cache_dir, target)
    # Another plugin may need every page to pass through it: no page is skipped then.
    keep = bool(options.keep_previous_site) and set(config.plugins) <= KNOWN_PLUGINS
    spare = spare_path(target)
    if not keep:
        _discard(spare)
    settings = (fail_on_warnings, verbose, manifests if keep else None)
    try:
        staging = _build(config, target, keep, *settings)
    except _Conflict as conflict:
        # A file where a folder is needed or the reverse, a file that cannot be removed…
        log.info(f"ocop kept site: the previous site could not be written into "
                 f"({conflict.__cause__}); building into an empty folder")
        staging = _build(load_config(str(config_file), **overrides), target, False, *settings)
    try:
        publish(staging, target, spare if keep else None)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(
            f"The new site could not replace {target}: {exc.strerror or exc}. A program may "
            "be holding a file in it open (a file browser, an antivirus, a local web server): "
            "close it and build again.") from None
    if keep:
        prune_manifests(manifests, [target, spare])
    return target


class _Conflict(Exception):
    """Writing into the kept site failed (a file where this build writes a folder…)."""


def _build(config: Any, target: Path, use_spare: bool, fail_on_warnings: bool, verbose: bool,
           manifests: Path | None) -> Path:
    """Run MkDocs' build into a staging folder (the spare site when ``use_spare`` and
    there is one); the folder, or the build's failure."""
    staging = _new_folder(target)
    kept: KeptFolder | None = None
    if use_spare:
        os.rmdir(staging)  # its unique name is the spare's while this build runs
        assert manifests is not None  # a spare is used only where manifests are kept
        kept = take_spare(target, staging, manifests)
        if kept is None:
            staging = _new_folder(target)  # a new name: a failed take may leave the old

    def discard() -> None:
        plugin.abandon()  # no process of the build left writing into the folder
        if kept is not None:
            # Its safety walk ends before the folder goes; whatever it raises (a
            # Ctrl-C reaches the walk's process too), the build's own error is raised.
            with contextlib.suppress(BaseException):
                kept.ready()
        shutil.rmtree(staging, ignore_errors=True)

    plugin = config.plugins["ocop"]
    quiet = _ExactDirtyBuild()
    build_log = logging.getLogger("mkdocs.commands.build")
    try:
        config.site_dir = str(staging)
        if fail_on_warnings:
            plugin.config.strict = True
        if verbose:
            plugin.config.verbose = True
        # "Dirty": MkDocs leaves the kept folder's files; the plugin says which
        # pages are unchanged there (every other file is written again). Into an
        # empty folder too, where every file is new to MkDocs: no other plugin needs
        # each page to pass through MkDocs (``use_spare`` is only set then), so the
        # plugin writes the generated pages itself.
        plugin.build_into(kept, manifests, writes_pages=use_spare)
        build_log.addFilter(quiet)
        mkdocs_build(config, dirty=use_spare)
        if kept is not None:
            kept.ready()  # the plugin waited for it already, before writing
    except MkDocsException as exc:
        discard()
        raise BuildFailed(_reason(config, exc)) from None
    except WorkerDied as exc:
        discard()
        raise BuildFailed(f"The build stopped: {exc}") from None
    except OSError as exc:
        discard()
        # A file where a folder is needed or the reverse; each system says it its way
        # (IsADirectoryError, PermissionError on Windows …): once more, from empty.
        if kept is not None:
            raise _Conflict() from exc
        raise
    except BaseException:
        discard()
        raise
    finally:
        build_log.removeFilter(quiet)
    return staging


def _new_folder(target: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{_prefix(target, 'new')}{os.getpid()}-",
                                 dir=target.parent))


class _ExactDirtyBuild(logging.Filter):
    """Drops MkDocs' warnings that a dirty build may be inaccurate: the plugin writes
    every file that may differ (and ``strict`` would count the warning)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("A 'dirty' build is being performed",
                                               "The directory contains stale files"))


def _reason(config: Any, exc: MkDocsException) -> str:
    """The catalogue's problems when they stopped the build, else MkDocs' message."""
    plugin = config.plugins.get("ocop")
    problems = getattr(plugin, "problems", None)
    if problems is not None and problems.failed(plugin.config.strict):
        return "The catalogue has problems:\n" + problems.report(plugin.config.verbose)
    return str(exc)


def _prefix(target: Path, kind: str) -> str:
    return f"{beside_prefix(target)}{kind}-"


def publish(staging: Path, target: Path, spare: Path | None = None) -> None:
    """Put the built site ``staging`` at ``target``; the old site is there until then,
    and is kept at ``spare`` afterwards when given (else removed)."""
    # mkdtemp makes 0700 folders; a published site must be world-readable.
    os.chmod(staging, 0o755)
    if not target.exists():
        os.replace(staging, target)
        return
    if exchange(staging, target):
        # ``staging`` now holds the previous site.
        _retire(staging, spare)
        return
    aside = target.with_name(f"{_prefix(target, 'old')}{os.getpid()}-{secrets.token_hex(4)}")
    os.replace(target, aside)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(aside, target)
        raise
    _retire(aside, spare)


def _retire(old: Path, spare: Path | None) -> None:
    """The previous site, once replaced: kept as the spare, or removed."""
    if spare is not None:
        _discard(spare)
        with contextlib.suppress(OSError):
            os.replace(old, spare)
            return
    shutil.rmtree(old, ignore_errors=True)


def _discard(spare: Path) -> None:
    """Remove a spare site. Renamed first: another build may be taking it (a rename
    decides who has it; removing it in place would empty that build's folder)."""
    doomed = spare.with_name(f"{spare.name}.trash-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        os.replace(spare, doomed)
    except OSError:
        return
    shutil.rmtree(doomed, ignore_errors=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step; False where the system cannot."""
    if sys.platform.startswith("linux"):
        libc = _libc()
        call = getattr(libc, "renameat2", None)
        if call is None:
            return False
        at_fdcwd, rename_exchange = -100, 2
        result = call(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    elif sys.platform == "darwin":
        call = getattr(_libc(), "renamex_np", None)
        if call is None:
            return False
        rename_swap = 2
        result = call(os.fsencode(a), os.fsencode(b), rename_swap)
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False  # this file system cannot: fall back to two renames
    raise OSError(code, os.strerror(code), str(b))


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def recover(target: Path) -> None:
    """Undo what a killed build left: the old site put back if it was aside, staging
    folders of builds no longer running removed."""
    parent = target.parent
    if not parent.is_dir():
        return
    aside = sorted((p for p in parent.glob(_prefix(target, "old") + "*") if p.is_dir()),
                   key=lambda p: p.stat().st_mtime_ns)
    if aside and not target.exists():
        os.replace(aside.pop(), target)
    for leftover in aside:
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in parent.glob(f"{spare_path(target).name}.trash-*"):
        shutil.rmtree(leftover, ignore_errors=True)  # a spare being removed when killed
    for staging in parent.glob(_prefix(target, "new") + "*"):
        if staging.is_dir() and not _running(staging.name):
            shutil.rmtree(staging, ignore_errors=True)


def _running(name: str) -> bool:
    """Whether the build that made folder ``name`` (``.site.new-<pid>-…``) still runs."""
    pid_text = name.rsplit(".new-", 1)[-1].split("-", 1)[0]
    if not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    if os.name == "nt":
        return False  # one build at a time per site on Windows (os.kill would signal it)
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
