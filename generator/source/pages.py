"""Hand-written pages (``content/*.md``) and the theme's own files, read as safely
as the records: nothing behind a symbolic link, nothing outside the project,
front matter through the strict YAML reader, every problem as
``content/<file>:line:col: field: message``.

MkDocs reads these files itself when it builds; these checks run first (in
``ocop check`` and at the start of the build), so MkDocs never parses a front
matter our reader refused (an alias bomb) and never publishes a file from
outside the repository.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .convert import build_record
from .fields import spec
from .layout import SourceLayout
from .problems import Position, Problems
from .walk import SYSTEM_FILES
from .yamlsafe import YamlError, parse

#: Hand-written pages are short; a larger file is a mistake or an attack.
MAX_PAGE_BYTES = 1024 * 1024
#: What a page's front matter may ask Material to hide, and the templates it may use.
HideValue = Literal["navigation", "toc", "footer", "feedback", "path", "tags"]
PageTemplate = Literal["main.html", "ocop/home.html"]

# MkDocs' own front-matter rules (mkdocs.utils.meta): a YAML block between '---'
# lines, or else MultiMarkdown "key: value" lines at the very top.
_YAML_BLOCK = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_MULTIMARKDOWN = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_MULTIMARKDOWN_MORE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")

# Links and images in Markdown: [text](target), ![alt](target), [id]: target.
_INLINE_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)>?", re.MULTILINE)
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@dataclass
class PageMeta:
    """Phần đầu (front matter) của một trang viết tay."""

    title: str | None = spec("Tiêu đề trang", default=None)
    description: str | None = spec("Mô tả ngắn cho công cụ tìm kiếm", default=None)
    subtitle: str | None = spec("Tiêu đề phụ", default=None)
    hide: list[HideValue] = spec("Phần giao diện ẩn đi", default_factory=list)
    template: PageTemplate | None = spec("Mẫu trang", default=None)


@dataclass(frozen=True)
class PageLink:
    """A link or image in a page, to a file of the site (not an outside address)."""

    #: The target as written, e.g. 'san-pham.md#top'.
    target: str
    #: The site file it names, relative to the content folder, e.g. 'san-pham.md'.
    src_uri: str
    position: Position


@dataclass
class PageSource:
    """A hand-written page as read from disk, before MkDocs renders it."""

    #: Path inside the content folder, '/'-separated, e.g. 'gioi-thieu-ocop.md'.
    src_uri: str
    abs_src_path: Path
    meta: PageMeta | None = None
    links: list[PageLink] = field(default_factory=list)


def load_pages(layout: SourceLayout, problems: Problems) -> list[PageSource]:
    """Every Markdown page of the content folder, checked; problems are collected."""
    pages: list[PageSource] = []
    if not layout.check_inside(layout.content_dir, problems, "docs_dir"):
        return pages
    record_folders = {layout.points_of_sale_dir.resolve(), layout.fairs_dir.resolve()}
    for path, src_uri in walk_files(layout.content_dir, layout, problems, record_folders):
        if src_uri.lower().endswith(".md"):
            page = _read_page(path, src_uri, layout, problems)
            if page is not None:
                pages.append(page)
    return pages


def content_files(layout: SourceLayout) -> set[str]:
    """Site paths of the files of the content folder (pages and assets)."""
    record_folders = {layout.points_of_sale_dir.resolve(), layout.fairs_dir.resolve()}
    return {uri for _, uri in walk_files(layout.content_dir, layout, Problems(), record_folders)
            if not uri.lower().endswith((".yaml", ".yml"))}


def _is_junction(path: Path) -> bool:
    """A Windows directory junction: a link by another name (os.path.isjunction, 3.12)."""
    test = getattr(os.path, "isjunction", None)
    return bool(test and test(path))


#: The theme shipped with the generator, which synthetic projects and tests use.
GENERATOR_THEME = Path(__file__).resolve().parents[2] / "theme"


def check_theme(layout: SourceLayout, problems: Problems) -> None:
    """The theme folder of the project: inside it (or the generator's own), no links."""
    theme = layout.theme_dir
    if theme is None:
        return
    if theme.resolve() != GENERATOR_THEME and not layout.check_inside(
            theme, problems, "theme.custom_dir"):
        return
    for _ in walk_files(theme, layout, problems, set()):
        pass


def walk_files(folder: Path, layout: SourceLayout, problems: Problems,
               skip: set[Path]) -> Iterator[tuple[Path, str]]:
    """(path, '/'-separated path inside ``folder``) of every regular file below
    ``folder``, without following links; links and special files are reported.

    Hidden files and folders are left alone, as MkDocs leaves them out of the site.
    """
    if not folder.is_dir():
        return
    for top, dirs, files in os.walk(folder):
        top_path = Path(top)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (top_path / d).resolve() not in skip
                         and _regular(top_path / d, layout, problems))
        for name in sorted(files):
            if name.startswith(".") or name in SYSTEM_FILES:
                continue
            path = top_path / name
            if _regular(path, layout, problems):
                yield path, path.relative_to(folder).as_posix()


def _regular(path: Path, layout: SourceLayout, problems: Problems) -> bool:
    """True for a plain file or folder; a link or special file is reported, never read."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode) or _is_junction(path):
        problems.error(Position(layout.rel(path)), "-",
                       "symbolic links are not allowed; commit the file itself")
        return False
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        problems.error(Position(layout.rel(path)), "-",
                       "not a regular file or folder (a pipe or device); remove it")
        return False
    return True


def _read_page(path: Path, src_uri: str, layout: SourceLayout,
               problems: Problems) -> PageSource | None:
    rel = layout.rel(path)
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        problems.error(Position(rel), "-", f"file is too large ({size} bytes; the limit is "
                       f"{MAX_PAGE_BYTES} bytes)")
        return None
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.error(Position(rel, line, 1), "-",
                       "the file is not valid UTF-8 text (save it as UTF-8)")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    page = PageSource(src_uri, path)
    body_start = 0
    if match := _YAML_BLOCK.match(text):
        page.meta = _front_matter(match.group(1), rel, problems)
        body_start = match.end()
    else:
        page.meta, body_start = _multimarkdown(text, rel, problems)
    page.links = list(_links(text, body_start, src_uri, rel))
    return page


def _front_matter(block: str, rel: str, problems: Problems) -> PageMeta | None:
    """A YAML front matter through the strict reader (no aliases, tags or repeats)."""
    try:
        # The block starts on the file's second line: a leading newline keeps line numbers.
        root = parse(rel, ("\n" + block).encode("utf-8"))
    except YamlError as exc:
        problems.error(exc.position, exc.field or "-", exc.message)
        return None
    return build_record(PageMeta, root, rel, problems)


def _multimarkdown(text: str, rel: str, problems: Problems) -> tuple[PageMeta | None, int]:
    """MultiMarkdown 'key: value' lines at the top, which MkDocs reads as front matter too."""
    keys: list[tuple[str, int]] = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            break
        if match := _MULTIMARKDOWN.match(line):
            keys.append((match.group("key").lower(), number))
        elif not (keys and _MULTIMARKDOWN_MORE.match(line)):
            break
        offset += len(line) + 1
    allowed = ("title", "description", "subtitle")
    for key, number in keys:
        if key not in allowed:
            problems.error(Position(rel, number, 1), key,
                           "a line 'name: value' at the top of a page is read as front matter; "
                           f"only {', '.join(allowed)} may be set so (put a blank line or a "
                           "heading first)")
    return None, offset


def _links(text: str, start: int, src_uri: str, rel: str) -> Iterator[PageLink]:
    """Links and images to files of the site, outside code blocks and code spans."""
    for line_no, column, target in _targets(text, start):
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not path or _HAS_SCHEME.match(target) or target.startswith(("//", "/", "\\")):
            continue
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path))
        yield PageLink(target, uri, Position(rel, line_no, column))


def _targets(text: str, start: int) -> Iterator[tuple[int, int, str]]:
    line_no = text.count("\n", 0, start) + 1
    fence: str | None = None
    for line in text[start:].split("\n"):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
        elif opened:
            fence = opened.group(1)
        elif not line.startswith(("    ", "\t")):
            visible = re.sub(r"`[^`]*`", lambda m: " " * len(m.group()), line)
            for pattern in (_INLINE_LINK, _REFERENCE):
                for match in pattern.finditer(visible):
                    yield line_no, match.start(1) + 1, match.group(1)
        line_no += 1


def check_links(pages: Iterable[PageSource], known: set[str], problems: Problems) -> None:
    """Links to a file (its name has an extension) must name a file of the site, as
    MkDocs requires in strict mode; ``known`` holds the site's source paths."""
    for page in pages:
        for link in page.links:
            if not posixpath.splitext(link.src_uri)[1] or link.src_uri in known:
                continue
            where = ("it points outside the content folder" if link.src_uri.startswith("..")
                     else f"no page or file '{link.src_uri}' exists")
            problems.error(link.position, "link", f"'{link.target}' leads nowhere: {where}")
