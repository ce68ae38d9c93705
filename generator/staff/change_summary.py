"""``ocop changes``: the pages a pull request adds, alters or removes, for reviewers.

The pull-request workflow feeds it ``git diff --name-status`` against the base
branch and appends the Markdown to the job summary, so whoever reviews a change
made in the web editor sees which product and producer pages to look at in the
preview, without reading YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..link.catalogue import Catalogue
from ..plan.urls import Urls
from ..source.layout import SourceLayout

#: git's status letters, in staff's words.
STATUS = {"A": "thêm", "M": "sửa", "D": "xóa", "R": "đổi tên", "C": "chép", "T": "sửa"}


@dataclass(frozen=True)
class PageChange:
    """One page a changed file touches."""

    #: The file, relative to the project.
    path: str
    #: What happened to the file ("thêm", "sửa", "xóa" …).
    status: str
    #: The page's title and its site path; empty for a page that is no more.
    title: str = ""
    url: str = ""


def parse_name_status(text: str) -> list[tuple[str, str]]:
    """``(status, path)`` of each change ``git diff --name-status`` lists (renames and
    copies: the new path), from its ``-z`` output (NUL-separated, paths as they are)
    or its lines (tab-separated; paths with unusual characters come quoted)."""
    out = []
    if "\0" in text:
        fields = text.split("\0")
        i = 0
        while i < len(fields) and fields[i]:
            status = fields[i]
            count = 2 if status[:1] in ("R", "C") else 1
            out.append((STATUS.get(status[:1], status), fields[i + count]))
            i += count + 1
        return out
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0]:
            out.append((STATUS.get(parts[0][0], parts[0]), parts[-1]))
    return out


def page_changes(catalogue: Catalogue, layout: SourceLayout,
                 changed: list[tuple[str, str]]) -> list[PageChange]:
    """The catalogue pages each changed file shows on (photos: the pages showing them)."""
    by_file: dict[str, list[tuple[str, str]]] = {}

    def add(path: Path | None, title: str, url: str) -> None:
        if path is not None:
            by_file.setdefault(layout.rel(path), []).append((title, url))

    for producer in catalogue.producers.values():
        add(layout.root / producer.source.path, producer.name, Urls.producer(producer))
        add(producer.logo_path, producer.name, Urls.producer(producer))
    for product in catalogue.products.values():
        add(layout.root / product.source.path, product.name, Urls.product(product))
        for photo in product.photos:
            add(photo.abs_path, product.name, Urls.product(product))
    for pos in catalogue.points_of_sale.values():
        add(layout.root / pos.source.path, pos.name, Urls.point_of_sale(pos))
    for fair in catalogue.fairs.values():
        add(layout.root / fair.source.path, fair.name, Urls.fair(fair))

    records = tuple(layout.rel(folder) + "/" for folder in (
        layout.products_dir, layout.points_of_sale_dir, layout.fairs_dir))
    content = layout.rel(layout.content_dir) + "/"
    out = []
    for status, path in changed:
        pages = by_file.get(path)
        if pages:
            out.extend(PageChange(path, status, title, url) for title, url in pages)
        elif path.startswith(records):  # a record or photo no page shows (or no more)
            out.append(PageChange(path, status))
        elif path.startswith(content) and path.endswith(".md") and status != STATUS["D"]:
            page = path[len(content):-len(".md")]
            url = "" if page == "index" else page.removesuffix("/index") + "/"
            out.append(PageChange(path, status, Path(path).name, url))
    return out


#: What Markdown may read as markup inside a table cell (emphasis, code, links, HTML,
#: entities, a new column); a backslash keeps each literal.
_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")


def _cell(text: str) -> str:
    """Text from a pull request (names, paths) as plain text in a table cell: never a
    link, an image, HTML or a second column."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def summary_markdown(changes: list[PageChange], site_url: str) -> str:
    """The job summary: a table of files and the pages to look at."""
    if not changes:
        return "### Trang thay đổi\n\nYêu cầu này không đổi dữ liệu sản phẩm hay chủ thể.\n"
    lines = ["### Trang thay đổi", "",
             "Địa chỉ là địa chỉ trang sau khi hợp nhất; để xem trước, tải bản dựng "
             "**ban-xem-truoc** ở mục Artifacts của lần chạy này.", "",
             "| Tệp | Thay đổi | Trang |", "|---|---|---|"]
    for change in changes:
        # Site paths of records are slugs; a hand-written page's comes from its file name.
        page = (f"[{_cell(change.title)}]({site_url}{quote(change.url)})" if change.title
                else "(không có trang)")
        lines.append(f"| {_cell(change.path)} | {change.status} | {page} |")
    return "\n".join(lines) + "\n"
